"""How far the office-holder tables agree with a dated actor dictionary (Phoenix's country file).

    from eventcoder.actors.agreement import compare_office_holders
    report = compare_office_holders("../shared/data/petrarch/Phoenix.Countries.actors.txt")
    print(report.summary())

For every person both list (the KB's full name, or a multi-word alias, among the dictionary entry's
phrases), each KB term in office between `start` and `end` (default 1979-2014) is compared with
the entry's dated codes:
  country  the KB's country equals the country of the dictionary's codes for that person;
  sector   the dictionary's code covering the middle of the KB term has the KB's sector (GOV);
  dates    a dictionary code of that sector starts within `slack` days of the KB term's start and
           ends within `slack` days of its end (an open end matches an end after `end`).
`python -m eventcoder.actors.agreement [DICTIONARY]` prints the figures and the disagreements.
"""
from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from typing import Optional

from .dictionaries import read_dictionary, split_code
from .kb import KnowledgeBase, normalise


@dataclass
class Agreement:
    persons: int = 0
    terms: int = 0          # KB terms of persons both list (country compared on all)
    country: int = 0
    sector_terms: int = 0   # terms whose middle a dictionary code covers
    sector: int = 0
    date_terms: int = 0     # terms with an overlapping dictionary code of the same sector
    dates: int = 0
    disagreements: list = field(default_factory=list)  # (kind, name, kb, dictionary)

    def rate(self, k: str) -> float:
        n = {"country": self.terms, "sector": self.sector_terms, "dates": self.date_terms}[k]
        return getattr(self, k) / n if n else 0.0

    def summary(self) -> str:
        return (f"{self.persons} persons, {self.terms} KB terms: country {self.rate('country'):.3f} "
                f"({self.country}/{self.terms}), sector {self.rate('sector'):.3f} "
                f"({self.sector}/{self.sector_terms}), dates {self.rate('dates'):.3f} "
                f"({self.dates}/{self.date_terms})")


def _d(s: Optional[str]) -> Optional[dt.date]:
    if not s:
        return None
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        return None


def compare_office_holders(dictionary: str, kb: Optional[KnowledgeBase] = None, start: str = "1979-01-01",
                           end: str = "2014-12-31", slack: int = 31) -> Agreement:
    kb = kb or KnowledgeBase()
    d = read_dictionary(dictionary)
    known = set(kb._country_names)
    by_name: dict = {}
    for e in d.actors:
        if not e.dated:
            continue
        for n in [e.name, *e.aliases]:
            by_name.setdefault(normalise(n), e)
    lo, hi = _d(start), _d(end)
    out = Agreement()
    seen = set()
    for t in kb._terms:  # every person-term, with its own aliases
        ts, te = _d(t.start), _d(t.end)
        if ts is None or ts > hi or (te is not None and te < lo):
            continue
        keys = [normalise(t.name)] + [k for k in map(normalise, t.aliases) if " " in k]
        e = next((by_name[k] for k in keys if k in by_name), None)
        if e is None:
            continue
        if e.name not in seen:
            seen.add(e.name)
            out.persons += 1
        out.terms += 1
        codes = [(split_code(c, known), _d(a), _d(b)) for c, a, b in e.dated]
        countries = {cs[0] for cs, _, _ in codes if cs[0]}
        if t.country in countries:
            out.country += 1
        else:
            out.disagreements.append(("country", t.name, t.country, sorted(countries)))
        # the part of the term the comparison period covers, and its middle
        te_c = min(te or hi, hi)
        mid = max(ts, lo) + (te_c - max(ts, lo)) / 2
        cover = [cs[1] for cs, a, b in codes if (a is None or a <= mid) and (b is None or mid <= b)]
        if cover:  # the dictionary says something about that date
            out.sector_terms += 1
            if t.sector in cover:
                out.sector += 1
            else:
                out.disagreements.append(("sector", t.name, f"{t.sector} {t.start}..{t.end or ''}", cover))
        same = [(a, b) for (c, s), a, b in codes if s == t.sector and a is not None
                and a <= te_c and (b is None or b >= ts)]
        if same:  # a code of the same sector overlapping the term: are the dates the same?
            out.date_terms += 1
            ends_inside = te is not None and te <= hi
            best = min(same, key=lambda ab: abs((ab[0] - ts).days))
            start_ok = abs((best[0] - ts).days) <= slack
            end_ok = not ends_inside or (best[1] is not None and abs((best[1] - te).days) <= slack)
            if start_ok and end_ok:
                out.dates += 1
            else:
                out.disagreements.append(("dates", t.name, f"{t.start}..{t.end or ''}",
                                          [f"{a}..{b or ''}" for a, b in same]))
    return out


def main(argv=None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("-h", "--help"):
        print(__doc__)
        print("example:\n  python -m eventcoder.actors.agreement ../shared/data/petrarch/Phoenix.Countries.actors.txt")
        return 0
    path = args[0] if args else "../shared/data/petrarch/Phoenix.Countries.actors.txt"
    rep = compare_office_holders(path)
    print(rep.summary())
    print(f"dates within a year: {compare_office_holders(path, slack=366).rate('dates'):.3f}")
    for kind, name, mine, theirs in rep.disagreements:
        print(f"{kind:8} {name}: KB {mine} | dictionary {theirs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

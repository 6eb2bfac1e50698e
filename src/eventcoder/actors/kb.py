"""The actor knowledge base: countries, metonyms, organisations, sector cues and office holders.

All tables are package data (``actors/data/*.tsv``, UTF-8, a ``# source:`` comment line, then a
header row). Lookups are on a normalised form: diacritics stripped, casefolded, dots removed
("U.S." == "US"), hyphens and runs of spaces collapsed to one space, a leading "the " and a trailing
possessive "'s" dropped. Short all-capital acronyms ("US", "IS", "WHO", "PA") and a few names that are
also common lowercase words ("china", "turkey", "polish") only match when written capitalised.
"""
from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

DATA = Path(__file__).resolve().parent / "data"

# Lowercase keys that only match capitalised input (they are ordinary words in lower case).
_TITLE_ONLY = {
    "china", "turkey", "chad", "jordan", "georgia", "guinea", "niger", "polish", "french", "dutch",
    "swiss", "greek", "turk", "turks", "pole", "poles", "dane", "danes", "finn", "finns", "brit", "brits",
    "scot", "scots", "kiwi", "kiwis", "american", "panama", "congress", "rada", "diet", "duma",
    "amnesty", "labour", "fatah", "democrats", "republicans", "conservatives", "commonwealth",
    "the commonwealth", "press", "wagner", "vatican", "fano", "sis", "peace", "lao", "india",
    "mali", "malawi", "cuba", "oman", "peru", "wales", "england", "holland", "kuwait", "israel",
    "iran", "iraq", "taliban", "hamas", "sanaa", "aden", "lima", "male",
}
_TITLES = (
    "former president", "former prime minister", "former", "late", "president", "prime minister",
    "premier", "chancellor", "king", "queen", "emir", "sheikh", "crown prince", "prince", "sultan",
    "supreme leader", "ayatollah", "mr", "mrs", "ms", "dr", "sir", "dame", "general", "gen",
    "foreign minister", "defence minister", "defense minister", "secretary of state", "secretary",
    "minister", "vice president", "spokesman", "spokeswoman", "spokesperson", "senator", "pope",
)
_PARTICLES = {"bin", "bint", "ibn", "al", "el", "von", "der", "van", "de", "da", "dos", "du", "la", "le", "abu"}
NOW_END = "9999-12-31"
_COURTESY = {"mr", "mrs", "ms", "dr", "sir", "dame"}
_ROMAN = re.compile(r"^[ivx]+$")


@functools.lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """The matching form of a name: no diacritics or dots, casefolded, single spaces (cached:
    the coder asks for the same words over and over)."""
    s = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = s.replace(".", "").replace("‐", "-").replace("–", "-")
    s = re.sub(r"[-_/]+", " ", s)
    s = " ".join(s.split())
    if s.startswith("the ") and len(s) > 4:
        s = s[4:]
    if s.endswith("'s") and len(s) > 3:
        s = s[:-2]
    elif s.endswith("s'") and len(s) > 3:
        s = s[:-1]
    return s.strip(" ,;:'\"")


def _is_cased_acronym(raw: str) -> bool:
    core = raw.replace(".", "").replace(" ", "")
    return core.isalpha() and core.isupper() and len(core) <= 3


def _allowed(raw_key: str, table_form_acronym: bool, text: str) -> bool:
    """Case guards: acronyms need capitals; title-only words need an initial capital."""
    stripped = text.strip()
    if stripped.lower().startswith("the "):
        stripped = stripped[4:].lstrip()
    if table_form_acronym:
        core = re.sub(r"['’]s$", "", stripped).replace(".", "").replace(" ", "")
        return core.isupper()
    if raw_key in _TITLE_ONLY:
        return stripped[:1].isupper()
    return True


@dataclass(frozen=True)
class OrgEntry:
    name: str
    country: str
    sector: Optional[str]
    code: str
    aliases: tuple = field(default=(), compare=False, repr=False)
    note: Optional[str] = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class PersonEntry:
    name: str
    country: str
    sector: Optional[str]
    role: str
    start: Optional[str]
    end: Optional[str]
    in_office: bool
    note: Optional[str] = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class _Term:
    name: str
    aliases: tuple
    country: str
    role: str
    sector: Optional[str]
    start: str
    end: Optional[str]
    note: Optional[str]
    order: int


def _read(name: str, data_dir: Path = DATA) -> list[dict]:
    path = data_dir / name
    with path.open(encoding="utf-8", newline="") as f:
        lines = [ln for ln in f if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _split(v: Optional[str]) -> list[str]:
    return [x.strip() for x in (v or "").split("|") if x.strip()]


class _Index:
    """normalised key -> value, remembering whether the table form was a cased acronym."""

    def __init__(self) -> None:
        self.d: dict[str, tuple[object, bool]] = {}

    def add(self, raw: str, value: object, overwrite: bool = False) -> None:
        k = normalise(raw)
        if not k:
            return
        if overwrite or k not in self.d:
            self.d[k] = (value, _is_cased_acronym(raw))

    def get(self, text: str):
        if not text:
            return None
        k = normalise(text)
        hit = self.d.get(k)
        if hit is None:
            return None
        value, acronym = hit
        return value if _allowed(k, acronym, text) else None


class _Typos:
    """Names misspelt by one letter ("Phillippines", "Bouteflicka", "Mitterand"): one token of seven
    or more letters (people: eight, nine for a one-word name) that is one insertion, deletion,
    substitution or swap of adjacent letters away from the same token of a known name (first and
    last letters unchanged), every other token equal.
    Short words are left alone: "Perry" and "Berry" are different people. A spelling close to two
    different entries matches neither. The index holds the name words, not the names: each word of
    seven or more letters under itself and its one-letter deletions."""

    def __init__(self, keys: Iterable[str], lookup, min_len: int = 7, min_len_alone: int = 7) -> None:
        self.min_len = min_len  # letters of the misspelt word
        self.min_len_alone = min_len_alone  # ... when it is the whole name
        self._lookup = lookup  # key -> value or None
        self._by_variant: dict[str, tuple] = {}
        words = {w for key in keys for w in key.split() if len(w) >= min_len and w.isalpha()}
        for w in words:
            for variant in {w, *self._deletions(w)}:
                self._by_variant[variant] = self._by_variant.get(variant, ()) + (w,)

    @staticmethod
    def _deletions(tok: str) -> set:
        return {tok[:i] + tok[i + 1:] for i in range(len(tok))}

    def get(self, key: str):
        toks = key.split()
        found: dict = {}
        for j, tok in enumerate(toks):
            if len(tok) < (self.min_len if len(toks) > 1 else self.min_len_alone) or not tok.isalpha():
                continue
            for variant in {tok, *self._deletions(tok)}:
                for word in self._by_variant.get(variant, ()):
                    if word != tok and _one_edit(tok, word):
                        cand = " ".join(toks[:j] + [word] + toks[j + 1:])
                        value = self._lookup(cand)
                        if value is not None:
                            found[cand] = value
        values = {repr(v) for v in found.values()}
        return next(iter(found.values())) if len(values) == 1 else None


def _is_place(text: str) -> bool:
    from ..places import Gazetteer
    return text.strip() in Gazetteer.default()


def _one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance of at most one, with the first and last letters kept: a change
    at either end is more often another word or form ("Indians"/"Indiana") than a typo."""
    if a == b:
        return True
    if a[0] != b[0] or a[-1] != b[-1]:
        return False
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if len(a) > len(b):
        a, b = b, a
    return any(b[:i] + b[i + 1:] == a for i in range(len(b)))


class KnowledgeBase:
    def __init__(self, data_dir: Path = DATA) -> None:
        self.data_dir = Path(data_dir)
        self._countries = _Index()
        self._country_names: dict[str, str] = {}
        self.un_members: list[str] = []
        self._metonyms = _Index()
        self._orgs = _Index()
        self._phoenix_orgs: Optional[_Index] = None
        self.dictionary_counts: dict = {}    # users' dictionaries read (with_dictionaries)
        self.dictionary_problems: list = []  # their lines that were skipped, named
        self._sectors: dict[str, str] = {}
        self._terms: list[_Term] = []
        self._full: dict[str, list[int]] = {}
        self._partial: dict[str, list[int]] = {}
        self._country_typos: Optional[_Typos] = None  # built on first use
        self._person_typos: Optional[_Typos] = None
        self._names: Optional[frozenset] = None
        self._n_main = 1 << 62  # set when the 1979-2014 table is loaded
        self._load_countries()
        self._load_metonyms()
        self._load_orgs()
        self._load_sectors()
        self._load_people()

    # ---------------------------------------------------------------- loading
    def _load_countries(self) -> None:
        rows = _read("countries.tsv", self.data_dir)
        names = set()
        for r in rows:
            iso = r["iso3"]
            self._country_names[iso] = r["name"]
            if r.get("un_member") == "1":
                self.un_members.append(iso)
            for k in [r["name"], *_split(r["aliases"]), *_split(r["demonyms"])]:
                self._countries.add(k, iso)
                names.add(normalise(k))
        for r in rows:
            for k in [r["capital"], *_split(r["metonyms"])]:
                if k and normalise(k) not in names:
                    self._metonyms.add(k, (r["iso3"], "GOV"))

    def _load_metonyms(self) -> None:
        for r in _read("metonyms.tsv", self.data_dir):
            self._metonyms.add(r["term"], (r["country"], r["sector"] or None), overwrite=True)

    def _load_orgs(self) -> None:
        for e in self._org_rows("organisations.tsv"):
            for k in [e.name, *e.aliases]:
                self._orgs.add(k, e)

    def _org_rows(self, table: str) -> list:
        if not (self.data_dir / table).exists():
            return []
        return [OrgEntry(r["name"], r["country"], r["sector"] or None, r["code"],
                         tuple(_split(r["aliases"])), r.get("note") or None)
                for r in _read(table, self.data_dir)]

    def _phoenix(self) -> "_Index":
        """Organisations derived from the Phoenix dictionaries (`organisations_phoenix.tsv`,
        tools/build_phoenix_orgs.py): asked only for names the hand-written table lacks, and
        loaded on first use (7,000 rows would double the KB's start-up)."""
        if self._phoenix_orgs is None:
            idx = _Index()
            for e in self._org_rows("organisations_phoenix.tsv"):
                for k in [e.name, *e.aliases]:
                    idx.add(k, e)
            self._phoenix_orgs = idx
        return self._phoenix_orgs

    def _load_sectors(self) -> None:
        for r in _read("sectors.tsv", self.data_dir):
            self._sectors.setdefault(normalise(r["term"]), r["sector"])

    def _load_people(self) -> None:
        """Office holders 2015-2026 (`office_holders.tsv`: the full name, the aliases and every
        trailing part of them match, so "Peskov" and "bin Salman" do), then 1979-2014
        (`office_holders_history.tsv`: only the name and the listed aliases match, since a table
        of thousands of past holders would turn many common surnames into actors)."""
        tables = [("office_holders.tsv", True)]
        if (self.data_dir / "office_holders_history.tsv").exists():
            tables.append(("office_holders_history.tsv", False))
        for table, suffixes in tables:
            if not suffixes:
                self._n_main = len(self._terms)  # terms before this index are 2015-2026
            for r in _read(table, self.data_dir):
                i = len(self._terms)
                t = _Term(r["name"], tuple(_split(r["aliases"])), r["country"], r["role"],
                          r["sector"] or None, r["start"], r["end"] or None, r.get("note") or None, i)
                self._terms.append(t)
                full = {normalise(n) for n in (t.name, *t.aliases)}
                for k in full:
                    self._full.setdefault(k, []).append(i)
                if suffixes:
                    for k in {p for n in full for p in self._suffixes(n)} - full:
                        self._partial.setdefault(k, []).append(i)

    @staticmethod
    def _suffixes(n: str) -> Iterable[str]:
        toks = n.split()
        for j in range(1, len(toks)):
            # "salman", "bin salman", "der leyen", "von der leyen"; never a lone particle
            suffix = toks[j:]
            if all(t in _PARTICLES or _ROMAN.match(t) for t in suffix):
                continue  # never a lone particle or regnal number ("al", "III")
            yield " ".join(suffix)

    # ---------------------------------------------------------------- lookups
    @classmethod
    def default(cls) -> "KnowledgeBase":
        return _default()

    def country(self, text: str) -> Optional[str]:
        """ISO alpha-3 for a country name, alias, demonym or adjective, or a capitalised spelling of
        one that is a letter off ("Ethopia"); None otherwise."""
        got = self._countries.get(text)
        if got is None and text and text.strip()[:1].isupper():
            if self._country_typos is None:
                d = self._countries.d
                self._country_typos = _Typos(d, lambda k: d[k][0] if k in d else None)
            got = self._country_typos.get(normalise(text))
            if got is not None and (_is_place(text) or normalise(text) in self._name_words()):
                got = None  # "Columbia" (South Carolina) is a place, "Cameron" a name
        return got

    def country_name(self, iso3: str) -> Optional[str]:
        return self._country_names.get(iso3)

    def _name_words(self) -> frozenset:
        """Every word of a known person's name or alias (normalised)."""
        if self._names is None:
            self._names = frozenset(w for t in self._terms for n in (t.name, *t.aliases)
                                    for w in normalise(n).split())
        return self._names

    def metonym(self, text: str) -> Optional[tuple[str, Optional[str]]]:
        """(country, sector) for a capital or seat of power used as an actor ("Kremlin")."""
        return self._metonyms.get(text)

    def organisation(self, text: str) -> Optional[OrgEntry]:
        got = self._orgs.get(text)
        if got is None and text:
            got = self._phoenix().get(text)
        return got

    def sector(self, text: str) -> Optional[str]:
        """Sector for a title or noun ("spokesperson" -> GOV), lemma or plural."""
        if not text:
            return None
        k = normalise(text)
        for cand in self._singulars(k):
            s = self._sectors.get(cand)
            if s:
                return s
        return None

    @staticmethod
    def _singulars(k: str) -> list[str]:
        out = [k]
        head, _, last = k.rpartition(" ")
        pre = head + " " if head else ""
        if last.endswith("men"):
            out.append(pre + last[:-3] + "man")
        if last.endswith("ies"):
            out.append(pre + last[:-3] + "y")
        if last.endswith("es"):
            out.append(pre + last[:-2])
        if last.endswith("s") and not last.endswith("ss"):
            out.append(pre + last[:-1])
        return out

    def person(self, name: str, date: Optional[str] = None, titled: bool = False) -> Optional[PersonEntry]:
        """The office holder a name refers to, with the term that applies on ``date``.

        In office on ``date`` -> the term's sector (usually GOV); a known office holder out of office
        on that date -> ELI. With ``date`` None the latest term is used. Surnames alone match; when
        several people share a name, the one in office on the date wins, else the most recent.
        A one-word name names a 1979-2014 office holder only while in office on ``date``, or when
        the mention has a title (``titled``, or a title in ``name``: "former President Gbagbo"):
        a "Manning" quoted in 2020 is not Trinidad's prime minister of 2001-2010.
        """
        if not name:
            return None
        k0 = normalise(name)
        k = self._strip_titles(k0)
        # an office title in the name counts ("President", "former Prime Minister"); "Mr" does not
        titled = titled or (k != k0 and any(w not in _COURTESY for w in k0[: len(k0) - len(k)].split()))
        capital = name.split()[-1][:1].isupper()  # the name itself, after any title words
        if " " not in k and not capital:
            return None  # one word names a person only when written as a name ("Begin", not "begin")
        idx = self._full.get(k)
        if not idx and capital:  # a bare surname must be written as a name
            idx = self._partial.get(k)
            if not idx:  # a letter off a full name or alias: "Abdelaziz Bouteflicka"
                if self._person_typos is None:
                    full = self._full
                    # people's names are riskier than countries' ("Pranowo" is not "Prabowo"): longer words only
                    self._person_typos = _Typos(full, lambda k: tuple(full[k]) if k in full else None,
                                                min_len=8, min_len_alone=9)
                idx = self._person_typos.get(k)
        if idx and " " not in k and date is not None and not titled:
            idx = [i for i in idx if i < self._n_main or (
                self._terms[i].start <= date <= (self._terms[i].end or NOW_END))]
        if not idx:
            return None
        by_person: dict[tuple, list[_Term]] = {}
        for i in idx:
            t = self._terms[i]
            by_person.setdefault((t.name, t.country), []).append(t)
        best = None
        for terms in by_person.values():
            cand = self._pick(terms, date)
            if best is None or cand[0] > best[0]:
                best = cand
        return best[1] if best else None

    def _strip_titles(self, k: str) -> str:
        changed = True
        while changed:
            changed = False
            for t in _TITLES:
                if k.startswith(t + " ") and len(k) > len(t) + 1:
                    k = k[len(t) + 1:]
                    changed = True
        return k

    @staticmethod
    def _pick(terms: list[_Term], date: Optional[str]) -> tuple[tuple, PersonEntry]:
        rank = {"head_of_state_and_government": 0, "head_of_state": 1, "head_of_government": 2}
        if date is None:
            live = [t for t in terms if t.end is None]
            pool = live or terms
            t = max(pool, key=lambda t: (t.start, -rank.get(t.role, 9), -t.order))
            in_office = t.end is None
            score = (2 if in_office else 1, t.end or NOW_END, -t.order)
        else:
            live = [t for t in terms if t.start <= date and (t.end is None or date <= t.end)]
            if live:
                t = min(live, key=lambda t: (rank.get(t.role, 9), t.order))
                in_office = True
                score = (2, NOW_END, -rank.get(t.role, 9), -t.order)
            else:
                past = [t for t in terms if t.start <= date]
                if past:
                    t = max(past, key=lambda t: (t.end or NOW_END, -t.order))
                    in_office = False
                    score = (1, t.end or NOW_END, 0, -t.order)
                else:
                    t = min(terms, key=lambda t: t.start)
                    in_office = False
                    score = (0, "", 0, -t.order)
        if in_office:
            sector = t.sector
        elif date is not None and t.start > date:
            sector = None  # not yet an office holder on that date
        else:
            sector = "ELI"
        return score, PersonEntry(t.name, t.country, sector, t.role, t.start, t.end, in_office, t.note)

    def terms(self, country: Optional[str] = None) -> list[PersonEntry]:
        """All person-terms (optionally for one country), as PersonEntry with in_office per end date."""
        return [PersonEntry(t.name, t.country, t.sector, t.role, t.start, t.end, t.end is None, t.note)
                for t in self._terms if country is None or t.country == country]

    def holders(self, country: str, date: str) -> list[PersonEntry]:
        """Everyone in office for ``country`` on ``date``."""
        return [PersonEntry(t.name, t.country, t.sector, t.role, t.start, t.end, True, t.note)
                for t in self._terms if t.country == country and t.start <= date
                and (t.end is None or date <= t.end)]

    # ---------------------------------------------------------------- users' dictionaries
    @classmethod
    def with_dictionaries(cls, paths) -> "KnowledgeBase":
        """The shipped KB plus users' dictionaries (PETRARCH/TABARI or TSV, see
        `eventcoder.actors.dictionaries`), later files winning; cached per list of paths."""
        paths = tuple(str(p) for p in (paths or ()))
        if not paths:
            return _default()
        return _with_dictionaries(paths)

    def add_dictionary(self, d, win: bool = True) -> dict:
        """Add a parsed `Dictionary`; its entries win over what the KB already has (`win=False`:
        they only fill what the KB lacks). Returns counts of what was added: countries,
        organisations, people (terms), sectors."""
        from .dictionaries import split_code

        known = set(self._country_names)
        n = {"country_names": 0, "organisations": 0, "person_terms": 0, "sectors": 0}
        for phrase, sector in d.agents:
            k = normalise(phrase)
            if win or k not in self._sectors:
                self._sectors[k] = sector
                n["sectors"] += 1
        for e in d.actors:
            names = [e.name, *e.aliases]
            if e.dated:
                keys = {normalise(x) for x in names}
                if not win and keys & set(self._full):
                    continue  # a person the KB already has
                for k in keys:  # the user's person replaces ours
                    self._full.pop(k, None)
                    self._partial.pop(k, None)
                default_country = split_code(e.code, known)[0] if e.code else None
                for code, start, end in e.dated:
                    country, sector = split_code(code, known)
                    country = country or default_country or e.country
                    if not country:
                        continue
                    i = len(self._terms)
                    t = _Term(e.name, tuple(e.aliases), country, "dictionary", e.sector or sector,
                              start or "0001-01-01", end, f"{d.path}:{e.line}", i)
                    self._terms.append(t)
                    for k in keys:
                        self._full.setdefault(k, []).append(i)
                    n["person_terms"] += 1
                continue
            code = e.code.strip().upper()
            country, sector = split_code(code, known)
            country, sector = e.country or country, e.sector or sector
            if code in known and not e.country and not e.sector:  # "AFGHANISTAN_ [AFG]": names
                for x in names:
                    self._countries.add(x, code, overwrite=win)
                    n["country_names"] += 1
                continue
            if not country:
                continue
            org = OrgEntry(e.name, country, sector, code, tuple(e.aliases), f"{d.path}:{e.line}")
            added = False
            for x in names:
                if win or self.organisation(x) is None:
                    self._orgs.add(x, org, overwrite=win)
                    added = True
            n["organisations"] += added
        self._country_typos = self._person_typos = None
        self._names = None
        return n

    def sizes(self) -> dict[str, int]:
        return {"countries": len(self._country_names), "country_keys": len(self._countries.d),
                "metonyms": len(self._metonyms.d), "organisation_keys": len(self._orgs.d),
                "phoenix_organisation_keys": len(self._phoenix().d),
                "sectors": len(self._sectors), "office_terms": len(self._terms)}


@lru_cache(maxsize=1)
def _default() -> KnowledgeBase:
    return KnowledgeBase()


@lru_cache(maxsize=4)
def _with_dictionaries(paths: tuple) -> KnowledgeBase:
    from .dictionaries import read_dictionary

    kb = KnowledgeBase()
    for p in paths:
        d = read_dictionary(p)
        kb.dictionary_counts[p] = kb.add_dictionary(d)
        kb.dictionary_problems.extend(d.problems)
    return kb

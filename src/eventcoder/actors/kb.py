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


class KnowledgeBase:
    def __init__(self, data_dir: Path = DATA) -> None:
        self.data_dir = Path(data_dir)
        self._countries = _Index()
        self._country_names: dict[str, str] = {}
        self.un_members: list[str] = []
        self._metonyms = _Index()
        self._orgs = _Index()
        self._sectors: dict[str, str] = {}
        self._terms: list[_Term] = []
        self._full: dict[str, list[int]] = {}
        self._partial: dict[str, list[int]] = {}
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
        for r in _read("organisations.tsv", self.data_dir):
            e = OrgEntry(r["name"], r["country"], r["sector"] or None, r["code"],
                         tuple(_split(r["aliases"])), r.get("note") or None)
            for k in [e.name, *e.aliases]:
                self._orgs.add(k, e)

    def _load_sectors(self) -> None:
        for r in _read("sectors.tsv", self.data_dir):
            self._sectors.setdefault(normalise(r["term"]), r["sector"])

    def _load_people(self) -> None:
        for i, r in enumerate(_read("office_holders.tsv", self.data_dir)):
            t = _Term(r["name"], tuple(_split(r["aliases"])), r["country"], r["role"],
                      r["sector"] or None, r["start"], r["end"] or None, r.get("note") or None, i)
            self._terms.append(t)
            full = {normalise(n) for n in (t.name, *t.aliases)}
            for k in full:
                self._full.setdefault(k, []).append(i)
            for k in {p for n in full for p in self._suffixes(n)} - full:
                self._partial.setdefault(k, []).append(i)

    @staticmethod
    def _suffixes(n: str) -> Iterable[str]:
        toks = n.split()
        for j in range(1, len(toks)):
            # "salman", "bin salman", "der leyen", "von der leyen"; never a lone particle
            suffix = toks[j:]
            if all(t in _PARTICLES for t in suffix):
                continue
            yield " ".join(suffix)

    # ---------------------------------------------------------------- lookups
    @classmethod
    def default(cls) -> "KnowledgeBase":
        return _default()

    def country(self, text: str) -> Optional[str]:
        """ISO alpha-3 for a country name, alias, demonym or adjective; None otherwise."""
        return self._countries.get(text)

    def country_name(self, iso3: str) -> Optional[str]:
        return self._country_names.get(iso3)

    def metonym(self, text: str) -> Optional[tuple[str, Optional[str]]]:
        """(country, sector) for a capital or seat of power used as an actor ("Kremlin")."""
        return self._metonyms.get(text)

    def organisation(self, text: str) -> Optional[OrgEntry]:
        return self._orgs.get(text)

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

    def person(self, name: str, date: Optional[str] = None) -> Optional[PersonEntry]:
        """The office holder a name refers to, with the term that applies on ``date``.

        In office on ``date`` -> the term's sector (usually GOV); a known office holder out of office
        on that date -> ELI. With ``date`` None the latest term is used. Surnames alone match; when
        several people share a name, the one in office on the date wins, else the most recent.
        """
        if not name:
            return None
        k = self._strip_titles(normalise(name))
        idx = self._full.get(k)
        if not idx and name.strip()[:1].isupper():  # a bare surname must be written as a name
            idx = self._partial.get(k)
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

    def sizes(self) -> dict[str, int]:
        return {"countries": len(self._country_names), "country_keys": len(self._countries.d),
                "metonyms": len(self._metonyms.d), "organisation_keys": len(self._orgs.d),
                "sectors": len(self._sectors), "office_terms": len(self._terms)}


@lru_cache(maxsize=1)
def _default() -> KnowledgeBase:
    return KnowledgeBase()

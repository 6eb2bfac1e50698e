"""The trigger lexicon: which lemmas (with which syntactic neighbours) signal which CAMEO code.

Package data ``events/data/triggers.tsv`` (tab-separated, ``#`` comments, one header line):

    pos   head   requires   cameo   flags   note

* ``pos``: ``V`` (verb trigger) or ``N`` (noun trigger).
* ``head``: the spaCy lemma of the trigger token, lowercase.
* ``requires``: space-separated lemmas that must all occur in the trigger's neighbourhood (for a
  verb: children with deps prt/prep/dobj/dative/attr/acomp/oprd/xcomp/advmod, or the pobj of a prep
  child; for a noun: compound/amod children, or the pobj of a prep child). Empty = the head alone.
  A requirement ``@class`` stands for any lemma of that word class (``events/data/word_classes.tsv``):
  the row is expanded into one entry per member at load time (an explicit row with the same pos,
  head and requires wins over an expanded one), so ``V pull out @agreement 160`` reads "pulled out
  of the deal / treaty / accord ...". Object classes keep a verb's reading tied to what it acts on.
* ``cameo``: a code in the ontology, or ``-`` (``NOT_EVENT``): the head with these neighbours is
  not an event at all ("seized the moment", "the release of the video"). Such rows take part in
  matching (the most specific row wins, and a ``-`` row means no trigger) but are not listed by
  iteration. ``flags``: comma-separated subset of ``FLAGS``.

Entries for one (pos, head) are returned most specific first (most requires, then file order).
Loading needs no spaCy.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Optional, Union

COLUMNS = ("pos", "head", "requires", "cameo", "flags", "note")
POS = ("V", "N")
# intent: commitment verbs/nouns; their event complement becomes the 03x intent code.
# report: speech verbs; not events alone (010), they pass their clause complement through.
# reciprocal: mutual by nature when the source is plural and there is no target.
FLAGS = frozenset({"intent", "report", "reciprocal"})
NOT_EVENT = "-"  # the cameo of a row that says "this is not an event"


@dataclass(frozen=True)
class TriggerEntry:
    pos: str
    head: str
    requires: tuple[str, ...]
    cameo: str
    flags: frozenset[str]
    note: str = ""
    line: int = field(default=0, compare=False)  # line in the source file (for --explain)
    file: str = field(default="", compare=False)  # that file's name ("triggers.tsv")

    @property
    def is_event(self) -> bool:
        return self.cameo != NOT_EVENT

    @property
    def specificity(self) -> int:
        return len(self.requires)

    def matches(self, neighbours: Iterable[str]) -> bool:
        """True when every required lemma is among ``neighbours``."""
        have = neighbours if isinstance(neighbours, (set, frozenset)) else set(neighbours)
        return all(r in have for r in self.requires)

    @property
    def rule(self) -> str:
        """A short human-readable name, e.g. 'V:call+for' (used in explanations)."""
        return f"{self.pos}:{self.head}" + "".join("+" + r for r in self.requires)

    @property
    def where(self) -> str:
        """The file and line of the row, e.g. 'triggers.tsv:412' ('' for an entry made in code)."""
        return f"{self.file}:{self.line}" if self.file and self.line else ""


class Lexicon:
    def __init__(self, entries: Iterable[TriggerEntry]):
        entries = list(entries)
        self._entries: list[TriggerEntry] = [e for e in entries if e.is_event]
        by: dict[tuple[str, str], list[TriggerEntry]] = {}
        for e in entries:
            by.setdefault((e.pos, e.head), []).append(e)
        # stable sort: longest requires first, then file order
        self._by = {k: tuple(sorted(v, key=lambda e: -len(e.requires))) for k, v in by.items()}
        self._heads = {p: frozenset(h for (q, h) in self._by if q == p) for p in POS}
        self._lemmas = frozenset(
            {e.head for e in self._entries} | {r for e in self._entries for r in e.requires})

    # -- loading -------------------------------------------------------------------------------
    @classmethod
    def default(cls) -> "Lexicon":
        """The packaged lexicon, validated against the default ontology (cached)."""
        return _default_lexicon()

    @classmethod
    def from_path(cls, path: Union[str, Path], ontology=None) -> "Lexicon":
        """Load a custom TSV; malformed rows raise ValueError naming the file and line.

        Cameo codes are checked against ``ontology`` (default: ``Ontology.default()``).
        """
        path = Path(path)
        with path.open(encoding="utf-8", newline="") as f:
            return cls(parse(f, str(path), ontology))

    # -- queries -------------------------------------------------------------------------------
    def entries(self, pos: str, head: str) -> list[TriggerEntry]:
        """Entries for a trigger lemma, most specific first (longest requires, then file order);
        NOT_EVENT rows included (a caller that finds one first has no trigger)."""
        return list(self._by.get((pos, head), ()))

    def match(self, pos: str, head: str, neighbours: Iterable[str]) -> Optional[TriggerEntry]:
        """The most specific entry whose requires are all in ``neighbours``, or None (also when
        that entry is a NOT_EVENT row)."""
        have = set(neighbours)
        for e in self._by.get((pos, head), ()):
            if e.matches(have):
                return e if e.is_event else None
        return None

    def heads(self, pos: str) -> frozenset[str]:
        return self._heads.get(pos, frozenset())

    def all_lemmas(self) -> frozenset[str]:
        """Every lemma used as a head or in requires (for a cheap pre-filter)."""
        return self._lemmas

    def __iter__(self):
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


def parse(lines: Iterable[str], source: str = "<triggers>", ontology=None,
          classes: Optional[dict] = None) -> list[TriggerEntry]:
    """Parse lexicon rows; raise ValueError('<source>:<line>: ...') on the first bad row.

    ``classes`` maps a word class to its lemmas (default: the packaged word_classes.tsv)."""
    if ontology is None:
        from .ontology import Ontology
        ontology = Ontology.default()
    if classes is None:
        classes = word_classes()
    out: list[TriggerEntry] = []
    expanded: list[TriggerEntry] = []
    seen: dict[tuple[str, str, tuple[str, ...]], int] = {}
    header_seen = False
    file = Path(source).name  # what --explain cites ("triggers.tsv:412")
    for lineno, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        row = next(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE))
        if not header_seen:
            if tuple(x.strip() for x in row) != COLUMNS:
                raise ValueError(f"{source}:{lineno}: expected header {' '.join(COLUMNS)}")
            header_seen = True
            continue

        def bad(msg: str) -> ValueError:
            return ValueError(f"{source}:{lineno}: {msg}: {line!r}")

        if len(row) < 4 or len(row) > len(COLUMNS):
            raise bad(f"expected 4 to {len(COLUMNS)} tab-separated columns, got {len(row)}")
        row = [x.strip() for x in row] + [""] * (len(COLUMNS) - len(row))
        pos, head, requires, cameo, flags, note = row
        if pos not in POS:
            raise bad(f"pos must be one of {'/'.join(POS)}")
        if not head or " " in head or head != head.lower():
            raise bad("head must be one lowercase lemma")
        req = tuple(requires.lower().split())
        if requires != requires.lower():
            raise bad("requires must be lowercase lemmas")
        if cameo != NOT_EVENT and cameo not in ontology:
            raise bad(f"unknown CAMEO code {cameo!r}")
        unknown = [r for r in req if r.startswith("@") and r[1:] not in classes]
        if unknown:
            raise bad(f"unknown word class {unknown[0]!r}; known: {', '.join('@' + c for c in sorted(classes))}")
        fl = frozenset(f.strip() for f in flags.split(",") if f.strip())
        if fl - FLAGS:
            raise bad(f"unknown flag(s) {sorted(fl - FLAGS)}; allowed: {sorted(FLAGS)}")
        key = (pos, head, req)
        if key in seen:
            raise bad(f"duplicate of line {seen[key]} (same pos, head and requires)")
        seen[key] = lineno
        if any(r.startswith("@") for r in req):
            expanded.extend(_expand(TriggerEntry(pos, head, req, cameo, fl, note, lineno, file), classes))
        else:
            out.append(TriggerEntry(pos, head, req, cameo, fl, note, lineno, file))
    if not header_seen:
        raise ValueError(f"{source}: no header line ({' '.join(COLUMNS)})")
    explicit = {(e.pos, e.head, e.requires) for e in out}
    for e in expanded:  # explicit rows win; the first expansion of a key wins over later ones
        key = (e.pos, e.head, e.requires)
        if key not in explicit:
            explicit.add(key)
            out.append(e)
    out.sort(key=lambda e: e.line)  # file order (matching takes the first of equal specificity)
    return out


def _expand(entry: TriggerEntry, classes: dict) -> list[TriggerEntry]:
    """One entry per combination of the members of its ``@class`` requirements."""
    combos: list[tuple] = [()]
    for r in entry.requires:
        opts = sorted(classes[r[1:]]) if r.startswith("@") else [r]
        combos = [c + (o,) for c in combos for o in opts]
    return [TriggerEntry(entry.pos, entry.head, c, entry.cameo, entry.flags,
                         entry.note or "+".join(entry.requires), entry.line, entry.file) for c in combos]


def parse_classes(lines: Iterable[str], source: str = "<word classes>", lowercase: bool = True) -> dict:
    """``class<TAB>word word ...`` rows (``#`` comments) -> {class: frozenset(words)}; raise
    ValueError('<source>:<line>: ...') on a bad row, a class defined twice or a word listed twice
    in its class. ``lowercase``: the words must be lowercase (lemmas); the class name always is."""
    out: dict = {}
    for lineno, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, _, words = line.partition("\t")
        name = name.strip()
        if not name or not words.strip() or name != name.lower() or (lowercase and words != words.lower()):
            what = "lowercase lemmas" if lowercase else "words"
            raise ValueError(f"{source}:{lineno}: expected 'class<TAB>{what}': {line!r}")
        if name in out:
            raise ValueError(f"{source}:{lineno}: word class {name!r} defined twice")
        listed = words.split()
        twice = sorted({w for w in listed if listed.count(w) > 1})
        if twice:
            raise ValueError(f"{source}:{lineno}: {twice[0]!r} listed twice in word class {name!r}")
        out[name] = frozenset(listed)
    return out


@lru_cache(maxsize=1)
def word_classes() -> dict:
    """The packaged word classes (events/data/word_classes.tsv)."""
    ref = resources.files("eventcoder.events").joinpath("data", "word_classes.tsv")
    with ref.open("r", encoding="utf-8") as f:
        return parse_classes(f, "eventcoder/events/data/word_classes.tsv")


@lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    ref = resources.files("eventcoder.events").joinpath("data", "triggers.tsv")
    with ref.open("r", encoding="utf-8", newline="") as f:
        return Lexicon(parse(f, "eventcoder/events/data/triggers.tsv"))

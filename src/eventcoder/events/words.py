"""The word and code tables of the rule stage, as data.

``events/data/frame_words.tsv`` holds the word lists the rules read (reporting verbs, target
prepositions, status cues ...) and ``events/data/frame_codes.tsv`` the CAMEO roots and actor codes
they test; both are ``class<TAB>words`` rows read by the lexicon's word-class parser
(`lexicon.parse_classes`), which names the file and line of a bad row and rejects a class defined
twice or a word listed twice. A CAMEO root class (a name ending in ``_roots``) must list roots.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from .lexicon import parse_classes
from .ontology import ROOTS

WORDS_FILE = "frame_words.tsv"
CODES_FILE = "frame_codes.tsv"


def parse_codes(lines, source: str = "<frame codes>") -> dict:
    """`parse_classes` for code tables (upper-case codes allowed); a ``*_roots`` class must hold
    CAMEO roots (01-20), or the error names the file and line."""
    lines = list(lines)
    out = parse_classes(lines, source, lowercase=False)
    for lineno, raw in enumerate(lines, start=1):
        name, _, words = raw.strip().partition("\t")
        if name.endswith("_roots") and not raw.lstrip().startswith("#"):
            bad = [w for w in words.split() if w not in ROOTS]
            if bad:
                raise ValueError(f"{source}:{lineno}: {bad[0]!r} in {name!r} is not a CAMEO root (01-20)")
    return out


@lru_cache(maxsize=None)
def _table(filename: str) -> dict:
    ref = resources.files("eventcoder.events").joinpath("data", filename)
    with ref.open("r", encoding="utf-8") as f:
        parse = parse_codes if filename == CODES_FILE else parse_classes
        return parse(f, f"eventcoder/events/data/{filename}")


def _get(filename: str, name: str) -> frozenset:
    table = _table(filename)
    if name not in table:
        raise KeyError(f"eventcoder/events/data/{filename}: no class {name!r} (has: {', '.join(sorted(table))})")
    return table[name]


def words(name: str) -> frozenset:
    """One word list of frame_words.tsv."""
    return _get(WORDS_FILE, name)


def codes(name: str) -> frozenset:
    """One code list of frame_codes.tsv."""
    return _get(CODES_FILE, name)

"""Word lists kept as data: TSV rows ``name<TAB>word word ...`` (``#`` comments, blank lines).

`parse_classes` reads them for the trigger lexicon's word classes (events/data/word_classes.tsv)
and for actor resolution's tables (actors/data/actor_words.tsv, attachment_words.tsv). A bad
row, a name defined twice or a word listed twice under one name raises ValueError naming the file
and line. A leaf module: it imports nothing of eventcoder."""
from __future__ import annotations

from importlib import resources
from typing import Iterable


def parse_classes(lines: Iterable[str], source: str = "<word classes>", cased: Iterable[str] = ()) -> dict:
    """``class<TAB>lemma lemma ...`` rows (``#`` comments) -> {class: frozenset(lemmas)}.

    Names and words are lowercase, except the words of the classes in `cased` (codes such as
    GOV, capitalised words such as Republican), which are kept as written."""
    cased = frozenset(cased)
    out: dict = {}
    for lineno, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, _, words = line.partition("\t")
        name = name.strip()
        if not name or not words.strip() or name != name.lower() or (
                name not in cased and words != words.lower()):
            raise ValueError(f"{source}:{lineno}: expected 'class<TAB>lowercase lemmas': {line!r}")
        if name in out:
            raise ValueError(f"{source}:{lineno}: word class {name!r} defined twice")
        listed = words.split()
        twice = next((w for i, w in enumerate(listed) if w in listed[:i]), None)
        if twice is not None:
            raise ValueError(f"{source}:{lineno}: {twice!r} listed twice in {name!r}")
        out[name] = frozenset(listed)
    return out


def read_package_lists(package: str, filename: str, cased: Iterable[str] = ()) -> dict:
    """`parse_classes` over the package data file ``<package>/data/<filename>``."""
    ref = resources.files(package).joinpath("data", filename)
    with ref.open("r", encoding="utf-8") as f:
        return parse_classes(f, f"{package.replace('.', '/')}/data/{filename}", cased)

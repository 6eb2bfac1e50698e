"""The word and code tables actor resolution reads (resolve.py, mentions.py, roles.py,
countries.py, names.py, coref.py).

The tables are data: ``data/actor_words.tsv`` (``table<TAB>words``) and
``data/attachment_words.tsv`` (``word<TAB>prepositions``), read by the trigger lexicon's
word-class parser (events.lexicon.parse_classes: a bad row, a table defined twice or a word listed
twice raises ValueError naming the file and line; lexicon.py imports nothing of eventcoder when
loaded). Words are lowercase except in the CASED tables. Sector words themselves are in the
knowledge base (kb.py). What stays here is spaCy's own labels, and one pattern."""
from __future__ import annotations

import re
from importlib import resources
from typing import Iterable

from ..events.lexicon import parse_classes

# ---- spaCy's labels (the parser's and the NER's vocabulary, not ours)
NAME_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj", "dative", "agent", "poss"}
NON_ACTOR_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY", "LAW",
                  "LANGUAGE", "WORK_OF_ART", "EVENT", "PRODUCT"}
NP_MOD_DEPS = {"compound", "amod", "nmod", "poss", "flat", "nummod", "det", "case", "punct"}
# "Sen. Lindsey Graham, R-S.C.", "Rep. Ilhan Omar (D-Minn.)": a US legislator's party and state
US_PARTY_STATE = re.compile(r"\s*,?\s*\(?\s*[RDI]-[A-Z][A-Za-z.]{1,12}\)?")

WORDS_FILE = "actor_words.tsv"
ATTACHMENTS_FILE = "attachment_words.tsv"
# the tables of WORDS_FILE, each exactly once
TABLES = ("quantity_heads", "owner_participles", "former_words", "generic_party_words", "state_sectors",
          "institution_sectors", "international_codes", "diplomat_heads", "us_markers", "portfolio_heads",
          "place_preps", "locative_preps", "person_pronouns", "plural_pronouns", "thing_pronouns",
          "group_heads", "pair_dets", "owned_groups", "person_titles")
# tables whose words keep their case: codes, and words matched on the token's text
CASED = frozenset({"state_sectors", "institution_sectors", "international_codes", "us_markers"})


def parse_tables(lines: Iterable[str], source: str = "<actor words>") -> dict:
    """The rows of an actor word file -> {table: frozenset(words)}. Every table of TABLES must be
    there, and no other; the words of a table not in CASED must be lowercase."""
    lines = list(lines)
    for lineno, raw in enumerate(lines, start=1):
        name, _, words = raw.strip().partition("\t")
        if name and not name.startswith("#") and name.strip() not in CASED and words != words.lower():
            raise ValueError(f"{source}:{lineno}: expected 'table<TAB>lowercase words' "
                             f"(only {', '.join(sorted(CASED))} keep their case): {raw.strip()!r}")
    tables = parse_classes(lines, source, lowercase=False)
    missing = [t for t in TABLES if t not in tables]
    unknown = sorted(set(tables) - set(TABLES))
    if missing or unknown:
        raise ValueError(f"{source}: " + "; ".join(
            ([f"missing table(s) {', '.join(missing)}"] if missing else [])
            + ([f"unknown table(s) {', '.join(unknown)}; known: {', '.join(TABLES)}"] if unknown else [])))
    return tables


def _read(filename: str) -> list[str]:
    ref = resources.files("eventcoder.actors").joinpath("data", filename)
    with ref.open("r", encoding="utf-8") as f:
        return f.readlines()


def _load() -> tuple[dict, dict]:
    tables = parse_tables(_read(WORDS_FILE), f"eventcoder/actors/data/{WORDS_FILE}")
    attach = parse_classes(_read(ATTACHMENTS_FILE), f"eventcoder/actors/data/{ATTACHMENTS_FILE}")
    return tables, {word: tuple(sorted(preps)) for word, preps in attach.items()}


_T, ATTACHMENT_WORDS = _load()
# "a newspaper based in Beirut", "workers affiliated with the Serbian union", "militias loyal to X":
# ATTACHMENT_WORDS maps the participle or adjective to the prepositions that name the owner.

# ---- which tokens are mentions, and their extent
QUANTITY_HEADS = _T["quantity_heads"]  # "a group of Moroccan diplomats": the "of" phrase is the actor
OWNER_PARTICIPLES = _T["owner_participles"]  # "Saudi-led coalition", "London-based group"
FORMER_WORDS = _T["former_words"]

# ---- sectors and codes
GENERIC_PARTY_WORDS = _T["generic_party_words"]
STATE_SECTORS = _T["state_sectors"]
INSTITUTION_SECTORS = _T["institution_sectors"]
INTERNATIONAL_CODES = _T["international_codes"]
DIPLOMAT_HEADS = _T["diplomat_heads"]

# ---- countries
US_MARKERS = _T["us_markers"]  # "Republican lawmakers", "congressional leaders" -> USA
PORTFOLIO_HEADS = _T["portfolio_heads"]  # "the envoy for North Korea": a portfolio, not a country
PLACE_PREPS = tuple(sorted(_T["place_preps"]))  # "police in Jericho": the place's country
LOCATIVE_PREPS = _T["locative_preps"]

# ---- coreference
PERSON_PRONOUNS = _T["person_pronouns"]
PLURAL_PRONOUNS = _T["plural_pronouns"]
THING_PRONOUNS = _T["thing_pronouns"]
GROUP_HEADS = _T["group_heads"]
PAIR_DETS = _T["pair_dets"]
OWNED_GROUPS = _T["owned_groups"]
PERSON_TITLES = _T["person_titles"]

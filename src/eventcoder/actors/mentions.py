"""Mentions: which tokens head an actor mention, and the noun phrase a head spans.

A mention is a noun phrase headed by one token: the head plus its left modifiers, recursively
("the former foreign minister", "Russia's military", "Saudi-led coalition"), and the "of" phrase
inside a title ("secretary of state"). `NounPhrase` carries what every resolution strategy reads:
the tokens, the text and character span (without determiners and possessive marks), and whether
the phrase says the person is a former office holder."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..model import Actor
from ..syntax import descendants
from .words import (FORMER_WORDS, GROUP_HEADS, LOCATIVE_PREPS, NAME_DEPS, NP_MOD_DEPS, OWNED_GROUPS,
                    OWNER_PARTICIPLES, PERSON_TITLES, QUANTITY_HEADS)


@dataclass
class NounPhrase:
    """The noun phrase headed by `h`: its tokens in text order, text, span and "former"."""
    h: object
    toks: list
    former: bool
    text: str
    span: tuple


def noun_phrase(h, text: str) -> NounPhrase:
    """The noun phrase headed by token `h` in the article `text`."""
    toks = np_tokens(h)
    lemmas = [t.lemma_.lower() for t in toks]
    former = any(lem in FORMER_WORDS for lem in lemmas) or any(t.lower_.startswith("ex-") for t in toks)
    span = np_span(toks)
    return NounPhrase(h, toks, former, text[span[0]:span[1]], span)


def np_tokens(h) -> list:
    """Head plus its left modifiers (recursively), and "X of Y" inside titles."""
    def admits(t, c) -> bool:
        if c.dep_ in NP_MOD_DEPS:
            return True
        if t.i != h.i and ((c.dep_ == "prep" and c.lower_ == "of")
                           or (c.dep_ == "pobj" and t.dep_ == "prep" and t.lower_ == "of")):
            return True
        # "Saudi-led": the npadvmod of an owner participle before a hyphen
        return (c.dep_ == "npadvmod" and t.dep_ == "amod" and t.lemma_.lower() in OWNER_PARTICIPLES
                and c.i + 2 == t.i and c.nbor().text == "-")

    return sorted(descendants(h, admits), key=lambda t: t.i)


def np_span(toks) -> tuple[int, int]:
    """Character span of the phrase without punctuation, possessive marks and articles."""
    toks = [t for t in toks if t.dep_ not in ("punct", "case") and t.lower_ not in ("the", "a", "an")] or toks
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def list_members(h) -> list:
    """The other members of a coordination headed by `h`: its conjuncts, and a list the parser
    read as an apposition ("Greece, Panama and South Korea": Panama appos of Greece, Korea conj of
    Panama) when the apposition is itself coordinated."""
    members = list(h.conjuncts)
    for c in h.children:
        if c.dep_ == "appos" and c.pos_ == "PROPN" and any(g.dep_ == "conj" for g in c.children):
            members.append(c)
            members.extend(g for g in c.conjuncts if g.i != h.i)
    return members


def hyphen_end(h):
    """The last token of the hyphenated word `h` starts ("Tehreek" in "Tehreek-e-Insaf")."""
    doc = h.doc
    j = h.i
    while j + 2 < len(doc) and doc[j].whitespace_ == "" and doc[j + 1].text == "-" \
            and doc[j + 1].whitespace_ == "" and doc[j + 2].is_alpha:
        j += 2
    return doc[j]


def is_location_object(h) -> bool:
    """A name governed by a locative preposition ("in Madrid", "at the Kremlin")."""
    return h.dep_ == "pobj" and h.head.lower_ in LOCATIVE_PREPS


def is_titled(toks, former: bool) -> bool:
    """Does the mention carry an office title ("President", "former")?"""
    return former or any(t.lemma_.lower() in PERSON_TITLES for t in toks)


def looks_like_person(name: str) -> bool:
    """A person the NER found, with at least a first and last name: kept as an actor with
    no country code ("Lt. Gen. Prosper Avril") so that the act is still recorded."""
    parts = [p for p in name.split() if p[:1].isupper()]
    return len(parts) >= 2


def norm_code(country: Optional[str], sector: Optional[str]) -> Optional[str]:
    """The actor code: country then sector ("RUS" + "MIL"), None when both are unknown."""
    if not country and not sector:
        return None
    return (country or "") + (sector or "")


def copy_actor(a: Actor, text: str, span) -> Actor:
    """The same actor, named by another mention."""
    return Actor(text=text, name=a.name, country=a.country, sector=a.sector, code=a.code, span=span)


# ---- which tokens head a mention -------------------------------------------------------------
def person_entity(h, ent_of: dict):
    """The PERSON entity `h` belongs to, or None."""
    if h.ent_type_ == "PERSON":
        ent = ent_of.get(h.i)
        if ent is not None and ent.label_ == "PERSON":
            return ent
    return None


def mistagged_name(tok, ent_of: dict) -> bool:
    """The head of a named person or organisation the tagger took for a common noun or a verb
    ("published by ISIS": "ISIS" NOUN; "said Trump": "Trump" VERB)."""
    if tok.ent_type_ not in ("PERSON", "ORG", "NORP") or tok.pos_ not in ("NOUN", "VERB"):
        return False
    if not tok.text[:1].isupper() or tok.dep_ not in NAME_DEPS:
        return False
    ent = ent_of.get(tok.i)
    return ent is not None and ent.root.i == tok.i


def tagged_noun_name(tok, kb, names: dict, published: Optional[str]) -> bool:
    """A known person's name the tagger took for a common noun ("Trump met Macron": "Trump"
    NOUN): capitalised, no entity, a subject or object, and a name the article (`names`) or the
    knowledge base knows."""
    if tok.pos_ != "NOUN" or tok.ent_type_ or not tok.text[:1].isupper() or tok.text.isupper():
        return False
    if tok.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj"):
        return False
    if any(c.dep_ == "det" for c in tok.children):
        return False  # "The Trump of ..." is a noun phrase, not the name
    return tok.lower_ in names or kb.person(tok.text, published) is not None


def maybe_actor_noun(tok, kb, names: dict, published: Optional[str]) -> bool:
    """Cheap gate before full resolution: a common noun can only denote an actor when it is a
    role or group word, or carries a name, demonym or possessive ("Russian troops")."""
    lemma = tok.lemma_.lower()
    if lemma in QUANTITY_HEADS or lemma in OWNED_GROUPS or lemma in GROUP_HEADS or tok.like_num:
        return True
    if tagged_noun_name(tok, kb, names, published):
        return True
    if kb.sector(lemma) is not None:
        return True
    for c in tok.children:
        if c.dep_ in ("amod", "compound", "poss", "nmod", "prep") and (
                c.pos_ in ("PROPN", "PRON", "ADJ", "NOUN") or c.dep_ == "prep"):
            return True
    return False


def is_candidate(tok, kb, names: dict, published: Optional[str], ent_of: dict) -> bool:
    """Is `tok` worth resolving when a sentence starts: a proper noun, a pronoun, a common noun
    that may denote an actor, or a mistagged name."""
    pos = tok.pos_
    return pos == "PROPN" or pos == "PRON" or (pos == "NOUN" and maybe_actor_noun(tok, kb, names, published)) \
        or mistagged_name(tok, ent_of)

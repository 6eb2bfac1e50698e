"""Acts a later sentence refers back to by a noun, and who did them.

    In Nairobi, police arrested 40 protesters. Amnesty International condemned the arrests.

The condemnation's target is whoever made the arrests (the police), not the people arrested and
not "the arrests" themselves. `ActMemory` keeps the verb acts decided so far in an article with
their sources; `referred` finds, for a reaction's trigger ("condemned"), a definite event noun
among its objects ("the arrests", "the killing of protesters", "these detentions") that names an
earlier act, and returns that act's sources.
"""
from __future__ import annotations

from typing import Optional

# Reactions to an act: their target is the act's author.
REACTION_TYPES = {"ACCUSE", "REJECT", "PROTEST", "REQUEST", "SANCTION", "THREATEN"}
# acts a noun of the same type names again ("attacked ... the strikes", "detained ... the arrests")
MATERIAL_TYPES = {"ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "AID", "RETREAT"}
DEFINITE = {"the", "these", "those", "this", "that", "such"}
OBJECT_PREPS = {"over", "about", "of", "against", "at", "for", "on"}
# Nouns of acts whose verb is not the noun itself or the noun less "-ing".
NOMINALS = {
    "detention": "detain", "invasion": "invade", "deportation": "deport", "execution": "execute",
    "expulsion": "expel", "annexation": "annex", "demolition": "demolish", "abduction": "abduct",
    "occupation": "occupy", "seizure": "seize", "crackdown": "crack", "assassination": "assassinate",
    "imprisonment": "imprison", "persecution": "persecute", "intervention": "intervene",
    "violation": "violate", "kidnapping": "kidnap", "eviction": "evict", "destruction": "destroy",
    "closure": "close", "suspension": "suspend", "withdrawal": "withdraw", "sentence": "sentence",
    "conviction": "convict", "prosecution": "prosecute", "bombardment": "bombard", "blockade": "blockade",
}
MAX_ACTS = 50


def act_verbs(noun_lemma: str) -> set:
    """The verb lemmas an event noun can name ("arrests" -> arrest, "shelling" -> shell,
    "stabbing" -> stab, "detention" -> detain)."""
    out = {noun_lemma}
    if noun_lemma.endswith("ing") and len(noun_lemma) > 5:
        stem = noun_lemma[:-3]
        out.add(stem)
        if len(stem) > 2 and stem[-1] == stem[-2]:
            out.add(stem[:-1])
        out.add(stem + "e")
    verb = NOMINALS.get(noun_lemma)
    if verb:
        out.add(verb)
    return out


class ActMemory:
    """The verb acts decided so far in one article, with their sources."""

    def __init__(self) -> None:
        self.acts: list = []  # (verb lemma, token index, sources)

    def remember(self, tok, sources: list, plover_type: Optional[str] = None) -> None:
        if tok.pos_ == "VERB" and sources:
            self.acts.append((tok.lemma_.lower(), plover_type, tok.i, list(sources)))
            if len(self.acts) > MAX_ACTS:
                del self.acts[: MAX_ACTS // 2]

    def referred(self, trigger, noun_type=None) -> Optional[tuple]:
        """(the event noun, the earlier act's sources) when the trigger's object names an act
        already decided in the article: by its verb ("the arrests" -> arrested) or, for material
        acts, by its type (`noun_type(noun)`, the lexicon's PLOVER type of the noun: "the strikes"
        -> an ASSAULT such as "attacked"); else None."""
        if not self.acts:
            return None
        for noun in _objects(trigger):
            if noun.pos_ != "NOUN" or not any(
                    (d.dep_ == "det" and d.lower_ in DEFINITE) or d.dep_ == "poss" for d in noun.children):
                continue
            verbs = act_verbs(noun.lemma_.lower())
            ntype = noun_type(noun) if noun_type is not None else None
            for lemma, ptype, i, sources in reversed(self.acts):
                if i >= noun.i:
                    continue
                if lemma in verbs or (ntype is not None and ntype == ptype and ptype in MATERIAL_TYPES):
                    return noun, sources
        return None


def _objects(trigger):
    for c in trigger.children:
        if c.dep_ == "dobj":
            yield c
        elif c.dep_ == "prep" and c.lower_ in OBJECT_PREPS:
            for p in c.children:
                if p.dep_ == "pobj":
                    yield p


def inside(actor, noun) -> bool:
    """Is the actor's mention inside the event noun's phrase ("the killing of protesters")?"""
    if not actor.span:
        return False
    lo = noun.left_edge.idx
    hi = noun.right_edge.idx + len(noun.right_edge.text)
    return lo <= actor.span[0] < hi

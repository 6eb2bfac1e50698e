"""Argument finding: the source and target actors of a trigger in the dependency parse.

Source: the doer of the verb (`syntax.doer`, the walk the quotes' speakers share: the agent of
a passive, the subject, the noun of a relative clause, or the governing verb's doer). Targets: the
object or a prepositional object (with, to, against, on, from, ...), the author of an object act
or proposal ("condemned the Russian invasion"), the subject of an addressee clause ("demanded that
the US cancel"), or what a complement acts on; candidates are tried best first. Actors are
resolved by the article's resolver (`actors.resolve.ActorResolver`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Actor
from ..syntax import OBJECT_CONTROL, STATIVE_PASSIVES, SUBJ_DEPS, doer  # noqa: F401  (re-exported)
from .triggers import TriggerMatcher
from .words import words

if TYPE_CHECKING:  # the resolver is passed in, never built here
    from ..actors.resolve import ActorResolver

VERB_TARGET_PREPS = words("verb_target_preps")
NOUN_TARGET_PREPS = words("noun_target_preps")
CONTENT_NOUNS = words("content_nouns")
OWN_POSS = words("own_poss")
OWN_MEANS_VERBS = words("own_means_verbs")
# Prepositions of background ("after an attack", "in retaliation for"): not the verb's own act.
BACKGROUND_PREPS = words("background_preps")


def governing_verb(noun):
    """The verb that takes an event noun as its object ("held talks"), or as the object of
    its preposition ("participate in the meeting", "took part in talks"); None otherwise."""
    tok = noun
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ == "compound" and tok.head.pos_ == "NOUN":
        tok = tok.head  # "launched a mediation effort", "suspended the aid programme"
    if tok.dep_ in ("dobj", "attr", "oprd", "nsubjpass"):
        return tok.head if tok.head.pos_ in ("VERB", "AUX") else None
    if tok.dep_ == "pobj" and tok.head.dep_ == "prep":
        prep = tok.head
        gov = prep.head
        if prep.lower_ in BACKGROUND_PREPS or prep.lower_ in ("as", "like"):
            return None  # "it came after an attack": background, not the verb's own act
        if gov.pos_ in ("VERB", "AUX"):
            return gov
        # "gave 5 million dollars of aid", "sent tons of food aid": a measure noun in between
        if prep.lower_ == "of" and gov.dep_ in ("dobj", "attr") and gov.head.pos_ == "VERB" and (
                gov.like_num or any(c.like_num or c.pos_ == "NUM" for c in gov.children)):
            return gov.head
        if gov.lemma_ in ("part", "role") and gov.dep_ == "dobj" and gov.head.pos_ == "VERB":
            return gov.head
    return None


def same_actor(a: Actor, b: Actor) -> bool:
    """One actor twice: the same name when both are named, else the same code, name and text."""
    if a.name and b.name:
        return a.name == b.name
    return a.code == b.code and a.name == b.name and a.text == b.text


class ArgumentFinder:
    """Finds source and target actors of triggers; `matcher` tells which verbs are triggers (a
    verb's CAMEO root decides some target rules)."""

    def __init__(self, matcher: TriggerMatcher):
        self.matcher = matcher
        self.noun_heads = matcher.noun_heads

    @staticmethod
    def actors_of(actors: ActorResolver, tok) -> list[Actor]:
        return actors.resolve_with_conjuncts(tok)

    def subject(self, actors: ActorResolver, verb) -> tuple[list, str]:
        """Source actors of a verb and how they were found (the walk is `syntax.doer`)."""
        tok, how = doer(verb)
        if tok is None or (how == "relative(which)" and tok.pos_ != "PROPN" and not tok.ent_type_):
            # "an attack that killed", "a law that targets": a thing's act is no actor's
            return [], how
        return self.actors_of(actors, tok), how

    def prep_targets(self, actors: ActorResolver, tok, preps) -> list:
        for c in tok.children:
            if c.dep_ in ("prep", "dative") and c.lower_ in preps:
                for p in c.children:
                    if p.dep_ == "pobj":
                        found = self.actors_of(actors, p)
                        if found:
                            return found
            if c.dep_ == "dative" and c.pos_ in ("NOUN", "PROPN", "PRON"):
                found = self.actors_of(actors, c)
                if found:
                    return found
        return []

    def modifier_actors(self, actors: ActorResolver, noun) -> list:
        """Actors named as possessor or modifier of an act noun ("the Russian invasion"), or as
        the possessor of any action noun ("Serbia's suppression of the unrest")."""
        if noun.lemma_.lower() not in self.noun_heads and noun.lemma_.lower() not in CONTENT_NOUNS:
            if noun.pos_ == "NOUN" and noun.tag_ == "NN":
                for c in noun.children:
                    if c.dep_ == "poss":
                        found = [a for a in self.actors_of(actors, c) if a.country]
                        if found:
                            return found
            return []
        for c in noun.children:
            if c.dep_ in ("poss", "amod", "compound", "nmod"):
                found = [a for a in self.actors_of(actors, c) if a.country or c.dep_ == "poss"]
                if found:
                    return found
        return []

    def content_author(self, actors: ActorResolver, noun) -> list:
        """Author of a proposal/idea/demand noun: its possessor, "by"/"from" phrase, or the
        latest proposer for an anaphoric "this idea"."""
        if noun.lemma_.lower() not in CONTENT_NOUNS:
            return []
        for c in noun.children:
            if c.dep_ == "poss":
                found = self.actors_of(actors, c)
                if found:
                    return found
            if c.dep_ in ("prep", "agent") and c.lower_ in ("by", "from"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        found = self.actors_of(actors, p)
                        if found:
                            return found
        if any(c.lower_ in ("this", "that", "the", "such", "these", "those") for c in noun.children):
            if actors.last_proposer is not None:
                return [actors.last_proposer]
        return []

    def verb_target_candidates(self, actors: ActorResolver, verb, consumed: set, depth: int = 0,
                               own: frozenset = frozenset()):
        """Candidate target lists of a verb, best first, with how each was found."""
        objs = [c for c in verb.children if c.dep_ in ("dobj", "dative", "attr", "oprd")]
        passive_subj = [c for c in verb.children if c.dep_ == "nsubjpass"]
        if verb.lemma_.lower() in OWN_MEANS_VERBS and depth == 0 or (
                depth > 0 and verb.lemma_.lower() in OWN_MEANS_VERBS):
            # "withdraw its inspectors from Iraq", "deployed troops to Bosnia": the object is the
            # source's own means; the place or party in the prepositional phrase is the target.
            yield self.prep_targets(actors, verb, ("from", "to", "into", "in", "against", "toward", "towards")), "prep-object(own means)"
        own_means = verb.lemma_.lower() in OWN_MEANS_VERBS
        for c in objs + passive_subj:
            if any(g.dep_ == "poss" and g.lower_ in OWN_POSS for g in c.children):
                continue  # "offered its troops to Lebanon": the source's own means, not a target
            found = self.actors_of(actors, c)
            if own_means and c.dep_ == "dobj":
                # "Ankara withdrew ambassadors": the source's own people are not the target
                # (unnamed "troops", "inspectors" are the source's own too)
                found = [a for a in found if a.country and a.country not in own]
            yield found, "object" if c.dep_ != "nsubjpass" else "passive-subject"
        if self.root_of(verb) in ("11", "12", "14"):
            # "complained to the UN over Israeli air raids": what is complained about names the
            # target; the addressee comes after
            for c in verb.children:
                if c.dep_ == "prep" and c.lower_ in ("over", "about", "against"):
                    for p in c.children:
                        if p.dep_ == "pobj":
                            yield (self.modifier_actors(actors, p) or self.actors_of(actors, p)), "grievance"
        yield self.prep_targets(actors, verb, VERB_TARGET_PREPS), "prep-object"
        for c in objs:
            # The author of the object act or proposal: "condemned the Russian invasion of
            # Ukraine" -> RUS; "welcomed Iran's offer" -> IRN; "rejected the proposal by the EU".
            if not any(g.dep_ == "poss" and g.lower_ in OWN_POSS for g in c.children):
                yield self.content_author(actors, c) or self.modifier_actors(actors, c), "author-of-object"
            yield self.prep_targets(actors, c, NOUN_TARGET_PREPS), "object's-prep"
        if depth == 0:
            # "demanded that the US cancel ...", "urged that Iran ...": the addressee is the subject
            # of the clause that says what they must do.
            for c in verb.children:
                if c.dep_ == "ccomp":
                    for g in c.children:
                        if g.dep_ in ("nsubj", "nsubjpass"):
                            yield (self.actors_of(actors, g) if self.addressee_clause(verb) else []), "clause-subject"
            # The act committed to or consumed: "offered to hand over X to Britain", "agreed to US
            # mediation", "agreed to lift embargoes on Iran".
            for c in verb.children:
                if c.dep_ in ("xcomp", "ccomp") or (c.dep_ == "prep" and c.i in consumed):
                    comps = [c] if c.dep_ != "prep" else [p for p in c.children if p.dep_ in ("pobj", "pcomp")]
                    for comp in comps:
                        if comp.pos_ in ("NOUN", "PROPN"):
                            yield self.modifier_actors(actors, comp), "complement-author"
                            yield self.prep_targets(actors, comp, NOUN_TARGET_PREPS), "complement-prep"
                        elif comp.dep_ != "ccomp" or comp.i in consumed:
                            for found, how in self.verb_target_candidates(actors, comp, consumed, depth + 1, own):
                                yield found, f"complement-{how}"

    def condition_subjects(self, actors: ActorResolver, trigger) -> list:
        """Subjects of "if/unless" clauses attached to the trigger or its complement."""
        heads = [trigger] + [c for c in trigger.children if c.dep_ in ("xcomp", "ccomp")]
        for h in heads:
            for c in h.children:
                if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children):
                    for g in c.children:
                        if g.dep_ in ("nsubj", "nsubjpass"):
                            found = self.actors_of(actors, g)
                            if found:
                                return found
        return []

    def root_of(self, verb) -> str:
        entry = self.matcher.match(verb, "V")
        return entry.cameo[:2] if entry is not None else ""

    def addressee_clause(self, verb) -> bool:
        entry = self.matcher.match(verb, "V")
        return entry is not None and entry.cameo[:2] in ("02", "10", "11", "13")

    def verb_targets(self, actors: ActorResolver, verb, consumed: set, sources=()) -> tuple[list, str]:
        own = frozenset(s.country for s in sources if s.country)
        for found, how in self.verb_target_candidates(actors, verb, consumed, own=own):
            found = [a for a in found if not any(same_actor(a, s) for s in sources)]
            if found:
                return found, how
        return [], "none"

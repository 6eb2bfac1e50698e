"""Trigger matching: which tokens of a parsed sentence are acts in the trigger lexicon.

A token triggers a lexicon entry when its lemma heads the entry and the lemmas the entry requires
occur in its syntactic neighbourhood (`neighbourhood`); the most specific entry wins, and a
NOT_EVENT row ("seized the moment") means no trigger. `TriggerMatcher.triggers` lists a sentence's
verb and noun triggers; `may_hold_event` is the cheap test the sentence pre-filter asks
(prefilter.py): a trigger, or the "X said Y must Z" obligation pattern.
"""
from __future__ import annotations

from typing import Optional

from .lexicon import Lexicon, TriggerEntry
from .words import words

MAX_SENT_CHARS = 2000  # longer "sentences" (tables, lists run together) are not read
NON_TRIGGER_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY", "PERSON", "GPE"}
NOT_TRIGGERS = words("not_triggers")  # forms never read as triggers ("according to")
# Heads that only package the act they modify ("a sanctions package", "an aid programme").
CONTAINER_NOUNS = words("container_nouns")
# Auxiliaries by which a clause says its subject must act ("must hand over").
OBLIGATION_WORDS = words("obligation_words")
OBLIGATION_AUX = {"must", "should", "ought", "has", "have"}
REPORTING_LEMMAS = words("reporting_lemmas")
OBLIGATION_REPORTERS = REPORTING_LEMMAS | words("obligation_reporters")


def neighbourhood(tok, pos: str) -> set:
    """The lemmas (and lower-case forms) near `tok` that a lexicon entry's requires are matched
    against: for a verb its particles, objects, complements and prepositional objects; for a noun
    its modifiers and prepositional objects."""
    found = set()
    for c in tok.children:
        if pos == "V":
            if c.dep_ in ("prt", "prep", "dobj", "dative", "attr", "acomp", "oprd", "xcomp",
                          "advmod", "ccomp", "nsubjpass", "agent", "npadvmod", "pcomp"):
                found.add(c.lemma_.lower())
                found.add(c.lower_)
                if c.dep_ in ("prep", "agent", "dobj", "xcomp") or c.lower_ in ("out", "away"):
                    for g in c.children:
                        if g.dep_ in ("pobj", "pcomp", "compound", "amod", "dobj", "prep", "prt"):
                            found.add(g.lemma_.lower())
                            if g.dep_ == "prep" and (c.dep_ == "dobj" or c.lower_ in ("out", "away")):
                                # "tons of food aid"; "pulled out of the deal", "walk away from"
                                for gg in g.children:
                                    if gg.dep_ == "pobj":
                                        found.add(gg.lemma_.lower())
        else:
            if c.dep_ in ("compound", "amod", "nmod", "prep", "npadvmod", "nummod", "poss"):
                found.add(c.lemma_.lower())
                found.add(c.lower_)
                if c.dep_ == "prep":
                    for g in c.children:
                        if g.dep_ in ("pobj", "pcomp"):
                            found.add(g.lemma_.lower())
    return found


def is_verbal(tok) -> bool:
    """A verb, or a mis-tagged infinitive ("agreed to commence negotiations": commence/NOUN/xcomp)."""
    if tok.pos_ in ("VERB",):
        return True
    return tok.dep_ in ("xcomp", "ccomp", "advcl", "relcl", "pcomp", "conj") and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def obligation(verb) -> bool:
    """Does the clause say its subject must or should act ("must hand over")?"""
    for c in verb.children:
        if c.dep_ == "aux" and c.lower_ in OBLIGATION_WORDS:
            return True
    return False


class TriggerMatcher:
    """Matches tokens against a trigger lexicon, remembering the answers for one sentence (target
    selection asks again about the same verbs); `reset` starts a sentence."""

    def __init__(self, lexicon: Optional[Lexicon] = None):
        self.lex = lexicon or Lexicon.default()
        self.verb_heads = self.lex.heads("V")
        self.noun_heads = self.lex.heads("N")
        self._matched: dict = {}

    def reset(self) -> None:
        self._matched = {}

    def match(self, tok, pos: str) -> Optional[TriggerEntry]:
        """The lexicon entry `tok` triggers as `pos` ("V" or "N"), or None."""
        key = (tok.i, pos)
        if key not in self._matched:
            self._matched[key] = self._match(tok, pos)
        return self._matched[key]

    def _match(self, tok, pos: str) -> Optional[TriggerEntry]:
        lemma = tok.lemma_.lower()
        heads = self.verb_heads if pos == "V" else self.noun_heads
        if lemma not in heads:
            return None
        entries = self.lex.entries(pos, lemma)
        if not entries:
            return None
        near = None
        for e in entries:
            if e.requires:
                if near is None:
                    near = neighbourhood(tok, pos)
                if not all(r in near for r in e.requires):
                    continue
            return e if e.is_event else None  # a NOT_EVENT row: "seized the moment"
        return None

    def triggers(self, sent) -> tuple[list, list]:
        """(verb triggers, noun triggers) of a sentence: (token, lexicon entry) pairs."""
        verbs, nouns = [], []
        for tok in sent:
            lemma = tok.lemma_.lower()
            if tok.ent_type_ in NON_TRIGGER_ENTS or (tok.dep_ == "prep" and tok.pos_ != "VERB") or (
                    tok.lower_ in NOT_TRIGGERS):
                continue  # "March 6", "according to"
            if lemma in self.verb_heads and is_verbal(tok):
                e = self.match(tok, "V")
                if e is not None:
                    verbs.append((tok, e))
                    continue
            if lemma in self.noun_heads and tok.pos_ in ("NOUN", "PROPN", "VERB") and not (
                    tok.dep_ == "compound" and tok.head.pos_ in ("NOUN", "PROPN")
                    and tok.head.lemma_.lower() not in CONTAINER_NOUNS):
                # a noun modifying another noun ("war games", "war crimes") is not an act itself,
                # unless the head only packages it ("a sanctions package", "an aid programme")
                e = self.match(tok, "N")
                if e is not None:
                    nouns.append((tok, e))
        return verbs, nouns

    def may_hold_event(self, sent) -> bool:
        """Can `sent` (tagged, parsed and lemmatised; entities not needed) yield an event? True when
        it has a lexicon trigger or the "X said Y must Z" pattern. Without entities the test only
        over-approximates the frame stage (entities only ever rule a trigger out)."""
        self.reset()
        verbs, nouns = self.triggers(sent)
        if any("report" not in e.flags for _, e in verbs) or nouns:
            return True
        return any(tok.pos_ in ("VERB", "AUX") and tok.dep_ == "ccomp" and obligation(tok)
                   and tok.head.lemma_.lower() in OBLIGATION_REPORTERS for tok in sent)

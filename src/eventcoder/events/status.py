"""Event status from the parse: negated, planned, possible or occurred.

The cues are looked for on the trigger and on the verbs that govern it through complement links
(xcomp, pcomp, prep, dobj/pobj of a nominal, conj), stopping at a reporting verb's clause
boundary: "Peskov said Russia will not discuss ..." takes its status from "will not discuss".
"""
from __future__ import annotations

from .words import words

# Verbs whose complement did not happen ("refrained from engaging", "failed to reach").
NEGATING_GOVERNORS = words("negating_governors")
# Verbs/nouns/adjectives under which the act is planned ("is set to meet", "plans to visit").
PLANNED_GOVERNORS = words("planned_governors")
POSSIBLE_WORDS = words("possible_words")
FUTURE_AUX = words("future_aux")
CLIMB_DEPS = {"xcomp", "pcomp", "prep", "pobj", "dobj", "conj", "acl", "attr", "nsubj", "nsubjpass",
              "advcl", "relcl", "oprd", "appos", "compound", "amod"}


def _cues_on(tok) -> tuple[bool, bool, bool]:
    """(negated, planned, possible) cues attached directly to token `tok`."""
    neg = planned = possible = False
    for c in tok.children:
        low = c.lower_
        if c.dep_ == "neg" or (c.dep_ == "det" and low == "no"):
            neg = True
        elif c.dep_ in ("aux", "auxpass"):
            if low in FUTURE_AUX:
                planned = True
            elif low in ("might", "may", "could", "can"):
                if low != "can":
                    possible = True
        elif c.dep_ in ("advmod", "amod", "acomp") and low in POSSIBLE_WORDS:
            possible = True
        elif c.dep_ in ("amod", "advmod", "npadvmod") and c.lemma_.lower() in PLANNED_GOVERNORS:
            planned = True
        elif c.dep_ == "prep" and low == "without":
            pass
    # A purpose infinitive ("... to discuss the situation") is intended, not yet done.
    if tok.dep_ in ("advcl", "xcomp", "relcl", "acl") and tok.tag_ == "VB" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in tok.children
    ) and tok.dep_ == "advcl":
        planned = True
    # "going to meet", "is to meet", "are due to meet"
    if tok.dep_ == "xcomp" and tok.head.lemma_ in ("go", "be") and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in tok.children
    ):
        planned = True
    return neg, planned, possible


def event_status(trigger) -> str:
    """Status of the act expressed by `trigger` (a spaCy Token)."""
    neg, planned, possible = _cues_on(trigger)
    tok = trigger
    steps = 0
    while steps < 6 and tok.dep_ in CLIMB_DEPS and tok.head.i != tok.i:
        dep = tok.dep_
        head = tok.head
        if dep == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in tok.children):
            possible = True  # "... if it is attacked": a hypothetical act
        lemma = head.lemma_.lower()
        if dep == "prep" and tok.lower_ == "without":
            neg = True
        if dep == "pobj" and head.lower_ == "without":
            neg = True
        if lemma in NEGATING_GOVERNORS and head.i != trigger.i:
            neg = True
        if dep in ("relcl", "advcl", "acl"):
            break  # a modifier clause has its own status
        if dep == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            break  # a coordinated clause with its own subject has its own status
        h_neg, h_planned, h_possible = _cues_on(head)
        if lemma in POSSIBLE_WORDS:
            possible = True
        if lemma in PLANNED_GOVERNORS and dep in ("xcomp", "pcomp", "prep", "pobj", "dobj", "amod"):
            planned = True
        if h_neg:
            # "has not decided on visiting" -> undecided, i.e. possible; "did not try to meet" -> negated
            if lemma in ("decide", "plan", "say", "confirm", "rule", "know", "expect", "agree"):
                possible = True
            else:
                neg = True
        planned = planned or h_planned
        possible = possible or h_possible
        if dep in ("nsubj", "nsubjpass"):
            break  # the act is the subject of its head: that verb's cues applied, stop climbing
        tok = head
        steps += 1
    if neg and not possible:
        return "negated"
    if possible:
        return "possible"
    if planned:
        return "planned"
    return "occurred"


# Words by which a source commits itself to a future act ("is ready to withdraw", "has offered to
# hand over", "pledged to send", "will visit").
COMMITMENT_GOVERNORS = words("commitment_governors")


def commitment_cue(trigger, negated: bool = False):
    """True when the source itself announces the act as its own future act: a future auxiliary on
    the trigger ("will support", "would meet"), or a commitment word governing it ("is willing to
    send", "has offered to hand over"). An act someone else asks for ("urged Iran to release") or a
    conditional one ("if it is attacked") is not a commitment. Returns the governing word (or
    "will" for a future auxiliary) when there is a commitment, else False."""
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in trigger.children):
        return False
    if trigger.pos_ in ("NOUN", "PROPN") and trigger.dep_ in ("dobj", "attr", "nsubjpass") \
            and trigger.head.pos_ in ("VERB", "AUX"):
        return commitment_cue(trigger.head, negated)  # "will extend the curfew", "would tighten the blockade"
    if any(c.dep_ in ("aux",) and c.lower_ in FUTURE_AUX for c in trigger.children):
        return "will"
    if negated and any(c.dep_ == "aux" and c.lower_ in ("ca", "can", "could") for c in trigger.children):
        return "can"  # "cannot accept", "could not agree"
    if negated and trigger.dep_ == "xcomp" and trigger.head.lemma_.lower() in ("decline", "refuse"):
        return trigger.head.lemma_.lower()  # "declined to resign": a refusal
    tok = trigger
    for _ in range(3):
        if tok.dep_ not in ("xcomp", "pcomp", "prep", "acomp") or tok.head.i == tok.i:
            return False
        head = tok.head
        if head.lemma_.lower() in COMMITMENT_GOVERNORS or head.lower_ in COMMITMENT_GOVERNORS:
            if any(c.dep_ in ("dobj",) for c in head.children) and tok.dep_ == "xcomp":
                return False  # object control: someone else's act
            return head.lemma_.lower()
        if head.lemma_.lower() == "be" and tok.dep_ == "acomp":
            return False
        tok = head
    return False


def conditional_on(trigger):
    """The "if/unless" clause an act is made conditional on ("will withdraw its force unless ...",
    "may halt mediation if cooperation founders"), looking at the act and the verb that carries it."""
    heads = [trigger]
    if trigger.pos_ in ("NOUN", "PROPN") and trigger.head.pos_ in ("VERB", "AUX"):
        heads.append(trigger.head)
    for h in heads:
        for c in h.children:
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children):
                return c
    return None

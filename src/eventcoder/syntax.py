"""Walks over the dependency parse that several stages share.

`descendants(head, admits)`: a phrase as the head and the dependents a rule lets in (the actors'
noun phrases, the quotes' source phrases).

`doer(verb)` returns the token heading whoever does what the verb says, and how it was found:

* the agent of a passive ("was attacked by rebels"), else the subject ("Russia shelled");
* the head noun of a relative clause for its relative pronoun ("the rebels who attacked",
  "the minister, who said"; "relative(which)" for which/that, whose noun may be a thing: "an
  attack that killed", "sanctions, which include");
* an adjectival passive's subject ("Vietnam is committed to opening up");
* a verb without a subject of its own takes it from the verb that governs it: object control
  ("urged Iran to withdraw" -> Iran), raising through a passive ("is set to meet"), control and
  coordination ("agreed to meet", "met X and signed"), adverbial and prepositional clauses
  ("refrained from engaging"), relative clauses and participles on a noun ("the troops stationed").

A passive without an agent has no doer ("was arrested": who arrested is not said). The events'
`ArgumentFinder.subject` resolves the token to actors; the quotes' source is the token itself.
"""
from __future__ import annotations

from typing import Optional

from .events.words import words

SUBJ_DEPS = ("nsubj", "csubj")
STATIVE_PASSIVES = words("stative_passives")
OBJECT_CONTROL = words("object_control")
PERSON_RELATIVES = frozenset({"who", "whom"})
RELATIVE_PRONOUNS = PERSON_RELATIVES | {"which", "that"}
INHERIT_DEPS = ("conj", "advcl", "pcomp", "xcomp", "acomp", "pobj", "prep")
NOUN_POS = ("NOUN", "PROPN")
MAX_DEPTH = 4


def descendants(head, admits) -> list:
    """`head` and every token reached from it through children that `admits(parent, child)` lets
    in, in the order found (head first)."""
    out = [head]
    stack = [head]
    while stack:
        t = stack.pop()
        for c in t.children:
            if admits(t, c):
                out.append(c)
                stack.append(c)
    return out


def doer(verb, depth: int = 0) -> tuple[Optional[object], str]:
    """The token heading the doer of `verb` (None when the parse gives none) and how it was found."""
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    for c in verb.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p, "agent"
    if not passive:
        subjects = [c for c in verb.children if c.dep_ in SUBJ_DEPS]
        # a subject that is not a relative pronoun first: "the men, who they allege were killed"
        # is parsed with two subjects, and "they" acts
        subj = min(subjects, key=lambda c: c.lower_ in RELATIVE_PRONOUNS, default=None)
        if subj is not None:
            if subj.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl" and verb.head.pos_ in NOUN_POS:
                return verb.head, "relative" if subj.lower_ in PERSON_RELATIVES else "relative(which)"
            return subj, "subject"
    elif verb.lemma_.lower() in STATIVE_PASSIVES:
        for c in verb.children:
            if c.dep_ == "nsubjpass":
                return c, "subject(adjectival passive)"
    else:
        return None, "passive-no-agent"
    head = verb.head
    if depth >= MAX_DEPTH or head.i == verb.i:
        return None, "none"
    dep = verb.dep_
    if dep == "xcomp":
        if head.lemma_.lower() in OBJECT_CONTROL:
            for c in head.children:
                if c.dep_ == "dobj":
                    return c, "object-control"
                if c.dep_ == "prep" and c.lower_ == "on":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            return p, "object-control"
        for c in head.children:
            if c.dep_ == "nsubjpass":
                return c, "control(passive head)"
        tok, how = doer(head, depth + 1)
        return tok, "control" if tok is not None else how
    if dep in INHERIT_DEPS:
        tok, how = doer(head, depth + 1)
        if tok is not None and dep not in ("pobj", "prep"):
            how = f"inherited({dep})"
        return tok, how
    if dep in ("relcl", "acl") and head.pos_ in NOUN_POS:
        if verb.tag_ == "VBN" and dep == "acl":
            return None, "none"  # "the attack carried out": a participle, not its noun's act
        return head, "relative"
    return None, "none"

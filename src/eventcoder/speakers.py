"""Speakers: the Actor behind an attribution's source span, through the coder's actors and coreference.

    actor = resolve_speaker(actors, head, source_tokens)

In order:
  1. the actor resolver on the head ("Zelenskyy", "the Kremlin", "he" as the resolver's
     in-article coreference resolved it when it read the sentence);
  2. a name inside the source phrase ("an analysis by Lily Batchelder", "Trump's campaign");
  3. a pronoun the resolver left open: "he"/"she" -> the nearest earlier person mention (a subject
     first), "they" -> the nearest earlier group, country or organisation, "it" -> the nearest earlier
     country or organisation;
  4. a role noun ("the spokesman", "a senior official", "the campaign") or a group noun
     ("officials", "authorities", "Republicans"): its sector from the knowledge base, and the story's
     country when the article names one country only; a singular person role with no sector takes
     the nearest earlier person who carried that title;
  5. a name the knowledge base does not know keeps its name (no code).
A source none of these fits ("the poll", "a report") has no speaker.
"""
from __future__ import annotations

from collections import Counter
from typing import Optional

from .actors.words import INTERNATIONAL_CODES
from .model import Actor

HE_SHE = frozenset({"he", "she", "him", "her", "his", "hers"})
THEY = frozenset({"they", "them", "their"})
IT = frozenset({"it", "its"})
NAME_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


def _copy(a: Actor, text: str, span) -> Actor:
    return Actor(text=text, name=a.name, country=a.country, sector=a.sector, code=a.code, span=span)


def _earlier(actors, head, kinds, subject_first: bool = True, max_back: int = 3):
    """The nearest mention of one of `kinds` before `head` within `max_back` sentences."""
    hist = [m for m in actors.history if m.token_i < head.i and m.kind in kinds]
    if not hist:
        return None
    last = hist[-1].sent_i
    near = [m for m in hist if m.sent_i >= last - max_back]
    if subject_first:
        subj = [m for m in near if m.is_subject]
        if subj and subj[-1].sent_i >= last - 1:
            return subj[-1]
    return near[-1] if near else None


def _titled_person(actors, head):
    """For a singular role noun with a definite article ("the spokesman", "the Republican nominee"):
    the nearest earlier person mention that carried the title."""
    if head.tag_ != "NN" or not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
        return None
    lem = head.lemma_.lower()
    for m in reversed(actors.history):
        if m.token_i < head.i and m.kind == "person" and (lem in m.titles or lem in (m.actor.text or "").lower()):
            return m
    return None


def story_country(actors) -> Optional[str]:
    """The one country the article is about, when its actors point to a single one."""
    counts = Counter(m.actor.country for m in actors.history if m.actor.country and len(m.actor.country) == 3
                     and m.actor.country not in INTERNATIONAL_CODES)
    if not counts:
        cs = actors.story_countries()
        return next(iter(cs)) if len(cs) == 1 else None
    (top, n), *rest = counts.most_common(2) + [(None, 0)]
    return top if n >= 2 * rest[0][1] else None


def resolve_speaker(actors, head, toks=None) -> Optional[Actor]:
    """The Actor of a source phrase (head token and the phrase's tokens), or None."""
    if actors is None or head is None:
        return None
    toks = sorted(toks or [head], key=lambda t: t.i)
    text = actors.text[toks[0].idx:toks[-1].idx + len(toks[-1].text)] if toks else head.text
    span = (toks[0].idx, toks[-1].idx + len(toks[-1].text)) if toks else None
    try:
        found = actors.resolve(head)
        if found:
            a = found[0]
            if a.country is None and a.sector and head.pos_ == "NOUN":
                # "the spokesman" after "Kremlin spokesman Dmitry Peskov": that person; "officials":
                # the story's country
                m = _titled_person(actors, head)
                if m is not None:
                    return _copy(m.actor, text, span)
                country = story_country(actors)
                if country:
                    return Actor(text=a.text, name=a.name, country=country, sector=a.sector, span=a.span)
            return a
        for t in toks:  # a name inside the phrase
            if t.i != head.i and (t.pos_ == "PROPN" or t.ent_type_ in NAME_ENTS):
                got = actors.resolve(t)
                if got:
                    return _copy(got[0], text, span)
        low = head.lower_
        if low in HE_SHE:
            m = _earlier(actors, head, ("person",))
            return _copy(m.actor, text, span) if m else None
        if low in THEY:
            m = _earlier(actors, head, ("group", "country", "org", "other"), subject_first=False, max_back=1)
            return _copy(m.actor, text, span) if m else None
        if low in IT:
            m = _earlier(actors, head, ("country", "org"), subject_first=False, max_back=1)
            return _copy(m.actor, text, span) if m else None
        if head.pos_ == "NOUN":
            sector = actors._sector_of(toks, head)
            if sector:
                return Actor(text=text, country=story_country(actors), sector=sector, span=span)
            m = _titled_person(actors, head)
            return _copy(m.actor, text, span) if m else None
        if head.pos_ == "PROPN" or head.ent_type_ in ("PERSON", "ORG"):
            name = " ".join(t.text for t in toks if t.pos_ == "PROPN") or head.text
            return Actor(text=text, name=name, span=span)
    except Exception:  # resolution must never sink the quote
        return None
    return None

"""Country inference: the country a mention's words, its prepositional phrases or its sentence
name.

Each function takes the article's resolver `r` (resolve.ActorResolver) and reads of it only
`r.kb`, `r.text`, `r.ent_of` (token -> entity), `r.current_ents` (the sentence's entities),
`r.history` and `r.sent_i` (the memory), `r.story_countries()` (the sense of a place name), and
`r.resolve` for the actor a possessor or an "of" phrase names ("leaders of Romania's government")."""
from __future__ import annotations

from typing import Optional

from ..model import Actor
from .words import (ATTACHMENT_WORDS, INTERNATIONAL_CODES, NON_ACTOR_ENTS, PLACE_PREPS, PORTFOLIO_HEADS,
                    STATE_SECTORS, US_MARKERS)


def gazetteer_country(text: str, story: frozenset = frozenset()) -> Optional[str]:
    """The country of a place name, from the gazetteer, in the sense the story supports
    (`story`: the countries the article names; "police in Saint-Denis" near Paris are French)."""
    from ..places import Gazetteer

    return Gazetteer.default().country_of(text, story)


# ---- from the words of the phrase -------------------------------------------------------------
def from_modifiers(r, toks, h) -> Optional[str]:
    """The first country a modifier of the phrase names ("Russian troops", "Cairo's security
    chief", "Democratic lawmakers" -> USA); `h` (the head, skipped) may be None."""
    kb = r.kb
    ent_of = r.ent_of
    for t in toks:
        if h is not None and t.i == h.i:
            continue
        if t.text in US_MARKERS and t.dep_ in ("amod", "compound", "nmod") and t.head.pos_ == "NOUN" \
                and not (t.i in ent_of and len(ent_of[t.i]) > 1):
            return "USA"  # "Democratic lawmakers", "GOP senators", "congressional leaders"
        if t.ent_type_ in ("GPE", "NORP", "ORG", "LOC") or t.pos_ in ("PROPN", "ADJ"):
            iso = kb.country(t.text)
            if iso is None and t.ent_type_ in ("GPE", "NORP"):
                for ent in ([ent_of[t.i]] if t.i in ent_of else ()):
                    if ent.start <= t.i < ent.end:
                        iso = kb.country(ent.text)
            if iso is None:
                met = kb.metonym(t.text)
                if met:
                    iso = met[0]
            if iso is None:
                org = kb.organisation(t.text)
                if org is not None and org.country:
                    iso = org.country
            if iso:
                return iso
    # Two-token names ("Saudi Arabia", "South Korea") used as modifiers.
    propn = [t for t in toks if t.pos_ == "PROPN" and (h is None or t.i != h.i)]
    for i in range(len(propn) - 1):
        iso = kb.country(f"{propn[i].text} {propn[i + 1].text}")
        if iso:
            return iso
    return None


def all_modifier_countries(r, toks, h) -> list:
    """Countries named by the modifiers of h, in order, with coordinated adjectives
    ("Turkish and Greek") each counted."""
    kb = r.kb
    out = []
    for t in toks:
        if t.i == h.i or t.dep_ not in ("amod", "compound", "poss", "nmod", "conj"):
            continue
        if t.ent_type_ in NON_ACTOR_ENTS:
            continue
        iso = kb.country(t.text) if (t.pos_ in ("PROPN", "ADJ") or t.ent_type_ in ("NORP", "GPE")) else None
        if iso is None and t.ent_type_ in ("GPE", "NORP") and t.i in r.ent_of:
            iso = kb.country(r.ent_of[t.i].text)
        if iso is None and t.pos_ == "PROPN":
            met = kb.metonym(t.text)  # "Cairo's security chief"
            iso = met[0] if met else None
        if iso and iso not in out:
            out.append(iso)
        for c in t.children:
            if c.dep_ == "conj" and c.i < h.i:
                iso2 = kb.country(c.text)
                if iso2 and iso2 not in out:
                    out.append(iso2)
    return out


def countries_in_name(r, h) -> list:
    """A country word inside an organisation's name: "Serbian Workers' Union" -> SRB."""
    ent = r.ent_of.get(h.i)
    if ent is not None:
        if ent.label_ == "ORG":
            for t in ent:
                if t.pos_ in ("PROPN", "ADJ"):
                    iso = r.kb.country(t.text)
                    if iso:
                        return [iso]
    return []


def sending_state(r, toks, h) -> Optional[str]:
    """The state a possessor or a modifier of a diplomat's title names (not a body such as
    the U.N.), or None."""
    for c in h.children:
        if c.dep_ == "poss":
            for a in r.resolve(c):
                if a.country and a.country not in INTERNATIONAL_CODES:
                    return a.country
    for t in toks:
        if t.i == h.i or t.dep_ not in ("amod", "compound", "nmod"):
            continue
        iso = r.kb.country(t.text)
        if iso and iso not in INTERNATIONAL_CODES:
            return iso
    return None


def person_modifier_country(r, toks, h) -> Optional[str]:
    """The country of a known office holder named as a modifier of a government word: "the
    Trump administration", "the Erdogan government"."""
    names = [t for t in toks if t.i < h.i and t.pos_ == "PROPN" and t.dep_ in ("compound", "nmod")]
    for start in range(len(names)):
        cand = " ".join(t.text for t in names[start:])
        p = r.kb.person(cand, r.published)
        if p is not None and p.country:
            return p.country
    return None


# ---- from prepositional phrases ---------------------------------------------------------------
def from_of(r, h, place_preps: bool = True) -> Optional[str]:
    """Country from a prepositional phrase: "leaders of Romania", "police in Jericho" (the
    latter only with `place_preps`)."""
    preps = ("of", "from", "for") + (PLACE_PREPS if place_preps else ())
    if h.lemma_.lower() in PORTFOLIO_HEADS:
        preps = tuple(p for p in preps if p != "for")  # "the envoy for North Korea": a portfolio
    for c in h.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            iso = of_prep(r, c)
            if iso:
                return iso
    return from_attachment(r, h)


def portfolio(r, h) -> Optional[str]:
    """The country a portfolio head deals with ("the envoy for North Korea" -> PRK)."""
    if h.lemma_.lower() not in PORTFOLIO_HEADS:
        return None
    for c in h.children:
        if c.dep_ == "prep" and c.lower_ == "for":
            return of_prep(r, c)
    return None


def from_attachment(r, h) -> Optional[str]:
    """"a newspaper based in Beirut" -> LBN; "workers affiliated with the Serbian union" -> SRB;
    "militias loyal to Damascus" -> SYR (a participle or adjective after the head)."""
    for c in h.children:
        if c.dep_ not in ("acl", "amod", "relcl") or c.i < h.i:
            continue
        preps = ATTACHMENT_WORDS.get(c.lemma_.lower()) or ATTACHMENT_WORDS.get(c.lower_) or ()
        for pr in c.children:
            if pr.dep_ == "prep" and pr.lower_ in preps:
                iso = of_prep(r, pr)
                if iso:
                    return iso
    return None


def of_prep(r, prep) -> Optional[str]:
    """The country of a preposition's object: the place's country after in/throughout/across/
    inside ("in Jericho"), else the country of the actor it names ("of Romania's government")."""
    for p in prep.children:
        if p.dep_ != "pobj":
            continue
        if prep.lower_ in PLACE_PREPS:
            if p.pos_ == "PROPN" or p.ent_type_ in ("GPE", "LOC"):
                iso = r.kb.country(p.text) or gazetteer_country(
                    r.text[min(t.idx for t in p.subtree):p.idx + len(p.text)], r.story_countries())
                if iso:
                    return iso
            continue
        for a in r.resolve(p):
            if a.country:
                return a.country
    return None


# ---- from the sentence and the story ----------------------------------------------------------
def story_countries(kb, ents) -> frozenset:
    """The countries the article names (countries, demonyms, capitals and seats of power among
    its entities `ents`)."""
    found = set()
    for ent in ents:
        if ent.label_ in ("GPE", "NORP"):
            iso = kb.country(ent.text) or (kb.metonym(ent.text) or (None,))[0]
            if iso:
                found.add(iso)
    return frozenset(found)


def sentence_countries(kb, sentence_ents) -> set:
    """The countries the sentence's GPE and NORP entities name."""
    found = set()
    for ent in sentence_ents:
        if ent.label_ in ("GPE", "NORP"):
            iso = kb.country(ent.text)
            if iso:
                found.add(iso)
    return found


def sentence_country(kb, sentence_ents) -> Optional[str]:
    """The one country named in the sentence (by name or demonym), if exactly one is."""
    found = sentence_countries(kb, sentence_ents)
    return found.pop() if len(found) == 1 else None


def person_country_from_sentence(r, actor: Actor) -> Optional[str]:
    """For a person with a title but no known country ("Judge Alejandro Rivera", "Lt. Gen.
    Prosper Avril"): the one country the sentence names that no other person, country or
    organisation mention in the sentence already stands for ("... to allow Haiti's first
    democratic elections" -> HTI; not "President Bush threatened action against Russia")."""
    if not actor.name or actor.country or actor.sector not in STATE_SECTORS | {"ELI"}:
        return None
    named = sentence_countries(r.kb, r.current_ents)
    doc = r.doc
    taken = {m.actor.country for m in r.history
             if m.sent_i == r.sent_i and m.kind in ("person", "country", "org")
             and m.actor.country and m.actor.name != actor.name
             and doc[m.token_i].pos_ in ("PROPN", "PRON")  # the name itself is an actor,
             and doc[m.token_i].dep_ != "poss"}  # not a possessor ("Guinea's elections")
    left = named - taken
    return left.pop() if len(left) == 1 else None

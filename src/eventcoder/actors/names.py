"""Names: a person (the knowledge base's, dated, or one the article introduced) and a named actor
(an organisation, a seat of power, a country) from the words of a mention.

The functions take the article's resolver `r` (resolve.ActorResolver): its `kb`, `text`,
`published`, `ent_of`, `current_ents`, its `memory` (coref.Memory: the names introduced so far)
and `_resolve` for an apposition ("Geir Pedersen, the UN envoy")."""
from __future__ import annotations

from typing import Optional

from ..model import Actor
from . import countries
from .kb import _PARTICLES
from .mentions import copy_actor, hyphen_end, is_location_object, is_titled, looks_like_person, norm_code
from .roles import elite_if_former, sector_of
from .words import PERSON_TITLES, US_PARTY_STATE


def person(r, name: str, toks, former: bool, text: str, span) -> Optional[Actor]:
    """The person `name` in the mention `toks`: the knowledge base's office holder on the date, a
    person introduced earlier in the article, or a new person with the country and sector the
    title words around the name give. None for a name that is no person. The person is
    remembered under the full name, the surname and the other parts of the name."""
    kb = r.kb
    names = r.memory.names
    key = name.lower()
    surname = name.split()[-1].lower() if name.split() else key
    entry = kb.person(name, r.published, titled=is_titled(toks, former))
    if entry is not None and len(name.split()) == 1 and key in names \
            and names[key].name != entry.name and entry.sector in (None, "ELI"):
        # "Richard Bennett ... Bennett said": the person the article introduced, not the
        # knowledge base's other Bennett, who was out of office then ("Ivanka Trump ...
        # Trump said" in 2018 stays the sitting president: a surname alone in the news
        # is the office holder far more often)
        entry = None
    if entry is not None and len(name.split()) == 1 and entry.country:
        # A single name matched only as a surname ("King Hassan of Morocco" is not Jordan's
        # Hassan): a country stated in the phrase overrides the knowledge base's guess.
        head = next((t for t in toks if t.pos_ == "PROPN" and t.dep_ not in ("compound", "flat")), None)
        # stated before the name ("Morocco's Hassan") or by of/from ("Hassan of Morocco"); a
        # place after it is where the person is ("Vance in Munich"), not their country
        before = [t for t in toks if head is None or t.i < head.i]
        stated = countries.from_modifiers(r, before, None) or (
            countries.from_of(r, head, place_preps=False) if head is not None else None)
        if stated and stated != entry.country:
            entry = None
    titles = {t.lemma_.lower() for t in toks if t.lemma_.lower() in PERSON_TITLES}
    if entry is not None:
        sector = elite_if_former(entry.sector, former)
        actor = Actor(text=text, name=entry.name, country=entry.country, sector=sector,
                      code=norm_code(entry.country, sector), span=span)
    elif key in names or surname in names:
        prior = names.get(key) or names[surname]
        actor = copy_actor(prior, text, span)
    else:
        actor = _new_person(r, name, toks, former, text, span)
        if actor is None:
            return None
    names[key] = actor
    names[surname] = actor
    for part in name.lower().split()[:-1]:
        # any part of the name finds the person later ("Fu Cong ... Fu said": family names
        # come first in Chinese, Korean, Hungarian names); a part another person of the
        # article already holds stays theirs
        if part not in _PARTICLES and len(part) > 1 and part.isalpha():
            names.setdefault(part, actor)
    tok = toks[-1]
    for t in toks:
        if t.ent_type_ == "PERSON":
            tok = t
    r.memory.remember(tok if tok.dep_ not in ("compound",) else toks[-1], actor, "person", titles=titles)
    return actor


def _new_person(r, name: str, toks, former: bool, text: str, span) -> Optional[Actor]:
    """Unknown person: country and sector from the title words around the name, or from an
    apposition ("Kofi Annan, UN secretary-general"; "Geir Pedersen, the UN envoy")."""
    sector = sector_of(r.kb, toks, None)
    country = countries.from_modifiers(r, toks, None)
    head = next((t for t in toks if t.pos_ == "PROPN" and t.dep_ not in ("compound", "flat")),
                None)
    if country is None and US_PARTY_STATE.match(r.text, span[1]):
        country, sector = "USA", sector or "LEG"
    if country is None and head is not None:
        country = countries.from_of(r, head)  # "King Hassan of Morocco"
    for c in (head.children if head is not None else ()):
        if c.dep_ == "appos" and country is None:
            for a in r._resolve(c):
                if a.country:
                    country, sector = a.country, a.sector or sector
                    break
    if country is None and sector is None and not looks_like_person(name):
        return None
    sector = elite_if_former(sector, former)
    return Actor(text=text, name=name, country=country, sector=sector,
                 code=norm_code(country, sector), span=span)


def _capitalised_modifier(t) -> bool:
    """A capitalised word modifying the next one ("Islamic" in "Islamic State militants")."""
    return t.text[:1].isupper() and t.dep_ in ("compound", "amod", "nmod")


def named_actor(r, h, toks) -> Optional[Actor]:
    """An organisation (UN, NATO, Hamas ...), a seat of power (Kremlin -> RUS GOV) or a country
    named by the entity `h` is in or by the proper nouns of the phrase; None when none is."""
    kb = r.kb
    text = r.text
    candidates = []
    if h.ent_type_:
        if h.i in r.ent_of:
            candidates.append(r.ent_of[h.i].text)
    # The named part of the phrase: proper nouns with and without the head ("Red Cross
    # officials" -> "Red Cross"), and named entities among the modifiers ("Osama bin Laden's
    # al-Qaeda terror network" -> "al-Qaeda").
    propn = [t for t in toks if t.pos_ == "PROPN" or t.i == h.i]
    if propn:
        candidates.append(text[propn[0].idx: propn[-1].idx + len(propn[-1].text)])
        # A hyphenated name the tokenizer split ("Pakistan Tehreek-e-Insaf"): the whole word.
        end = hyphen_end(h)
        if end.i > h.i:
            start = propn[0] if propn[0].i <= h.i else h
            candidates[-1:-1] = [text[start.idx: end.idx + len(end.text)],
                                 text[h.idx: end.idx + len(end.text)]]
    only = [t for t in toks if t.pos_ == "PROPN" and t.i < h.i and t.dep_ in ("compound", "nmod", "poss", "amod")]
    if only and h.pos_ != "PROPN":
        candidates.append(text[only[0].idx: only[-1].idx + len(only[-1].text)])
    # A name the tagger split into an adjective and a noun ("Islamic State militants"): the
    # capitalised modifiers just before a common-noun head, read as one name.
    in_phrase = {t.i for t in toks}
    first = h.i
    while first - 1 in in_phrase and _capitalised_modifier(h.doc[first - 1]):
        first -= 1
    if h.pos_ == "NOUN" and h.i - first >= 2:
        cand = text[h.doc[first].idx: h.doc[h.i - 1].idx + len(h.doc[h.i - 1].text)]
        if cand not in candidates:
            candidates.append(cand)
    lo, hi = toks[0].i, toks[-1].i
    for ent in r.current_ents:
        if ent.label_ in ("ORG", "NORP", "GPE", "FAC") and lo <= ent.start and ent.end - 1 <= hi \
                and ent.text not in candidates:
            candidates.append(ent.text)
    candidates.append(h.text)
    for cand in candidates:
        org = kb.organisation(cand)
        if org is not None:
            return Actor(text=cand, name=org.name, country=org.country, sector=org.sector, code=org.code)
        met = kb.metonym(cand)
        if met is not None:
            if cand == h.text and is_location_object(h):
                continue  # "talks in Madrid", "at the Kremlin": where, not who
            return Actor(text=cand, name=cand, country=met[0], sector=met[1])
        if h.pos_ == "PROPN" or h.ent_type_ in ("GPE", "NORP"):
            iso = kb.country(cand)
            if iso is not None:
                return Actor(text=cand, name=None, country=iso, sector=None, code=iso)
    return None

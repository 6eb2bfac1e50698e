"""Roles: the sector a mention's words give ("troops" -> MIL, "foreign minister" -> GOV,
"secretary of state" -> GOV), from the knowledge base's sector words; "former" makes a
government or military actor ELI (elites), as CAMEO codes former officials."""
from __future__ import annotations

from typing import Optional

from ..model import Actor
from .mentions import copy_actor, norm_code
from .words import GENERIC_PARTY_WORDS, INSTITUTION_SECTORS, STATE_SECTORS


def elite_if_former(sector: Optional[str], former: bool) -> Optional[str]:
    """A former government or military official is an elite (ELI)."""
    if former and sector in ("GOV", "MIL"):
        return "ELI"
    return sector


def head_sector(kb, toks, h) -> Optional[str]:
    """Sector of a phrase whose head is a role noun ("troops", "foreign minister", "secretary
    of state"); None when the head is not one ("President Zelenskyy's stance")."""
    if h.lemma_.lower() == "party" and any(t.lower_ in GENERIC_PARTY_WORDS for t in toks):
        return None  # "all parties", "the warring parties": sides of a conflict, not political parties
    idx = [t.i for t in toks]
    pos = idx.index(h.i)
    for n in (4, 3, 2):
        for i in range(max(0, pos - n + 1), pos + 1):
            chunk = toks[i:i + n]
            if len(chunk) == n and h in chunk:
                s = kb.sector(" ".join(t.lower_ for t in chunk))
                if s:
                    return s
    s = kb.sector(h.lemma_.lower()) or kb.sector(h.lower_)
    if s is None and h.pos_ == "NOUN":
        # a place or thing of an institution: "an Israeli army post", "a police station",
        # "government buildings" carry the sector of the institution noun that modifies them
        for c in h.children:
            if c.dep_ == "compound" and c.pos_ == "NOUN" and c.i == h.i - 1:
                cs = kb.sector(c.lemma_.lower())
                if cs in INSTITUTION_SECTORS:
                    return cs
    return s


def sector_of(kb, toks, h) -> Optional[str]:
    """The sector any word of the phrase gives: multi-word titles first, then the head (when
    `h` is given), then the words from the right."""
    words = [t for t in toks if t.pos_ in ("NOUN", "PROPN", "ADJ") and t.ent_type_ != "PERSON"]
    lemmas = [t.lemma_.lower() for t in words]
    # Multi-word titles first ("secretary of state", "foreign minister", "vice president").
    for n in (4, 3, 2):
        for i in range(len(toks) - n + 1):
            phrase = " ".join(t.lower_ for t in toks[i:i + n])
            s = kb.sector(phrase)
            if s:
                return s
    if h is not None:
        s = kb.sector(h.lemma_.lower()) or kb.sector(h.lower_)
        if s:
            return s
    for lem, t in zip(reversed(lemmas), reversed(words)):
        s = kb.sector(lem) or kb.sector(t.lower_)
        if s:
            return s
    return None


def apply_role(kb, actor: Actor, toks, h, former: bool) -> Actor:
    """A named actor with a role word in the phrase ("Kremlin spokesperson") keeps its country
    and takes the role's sector when the name itself gave none."""
    sector = actor.sector
    if sector is None:
        sector = sector_of(kb, toks, None)
    sector = elite_if_former(sector, former)
    if sector != actor.sector:
        actor.sector = sector
        if actor.country and len(actor.country) == 3 and actor.code in (None, actor.country) or actor.code == actor.country:
            actor.code = norm_code(actor.country, sector)
    return actor


def owned(kb, owner: Actor, h, toks, text: str, span) -> Actor:
    """A group a state or its official owns carries the group's own sector ("Russia's military"
    -> RUSMIL, "Putin's army" -> RUSMIL, "China's delegation" -> CHNGOV); a non-state owner's
    group stays the owner's ("Hamas's fighters" -> PSEREB), as does a group with no sector of its
    own ("his team")."""
    sector = head_sector(kb, toks, h)
    if not sector or not owner.country or (owner.sector and owner.sector not in STATE_SECTORS | {"ELI"}):
        return copy_actor(owner, text, span)
    if owner.sector == "ELI" and sector in ("GOV", "MIL"):
        sector = "ELI"  # a former leader's team is not the government
    return Actor(text=text, name=None, country=owner.country, sector=sector,
                 code=norm_code(owner.country, sector), span=span)

"""Actor resolution: a noun phrase in a parsed article -> Actor(s), with in-article coreference.

One `ActorResolver` per article. It reads the spaCy Doc sentence by sentence (call `start_sentence`
before resolving inside a sentence) and remembers who was mentioned (coref.Memory), so that a later
"Peskov", "the president", "he", "they" or "both leaders" resolves to the right earlier actor.

A noun phrase headed by token `h` (mentions.NounPhrase) goes through `CASCADE`, an ordered list
of small strategies; the first that answers wins:
  1. pronouns and plural group expressions ("he", "they", "both leaders") -> the most recent
     compatible actor(s) in the article (coref.py);
  2. a known person (knowledge base, dated) or a person already introduced in this article
     (names.py);
  3. a known organisation (UN, NATO, Hamas ...) or a seat of power (Kremlin -> RUS GOV);
  4. a country name or demonym ("Russia", "Russia's", "Ukrainian forces");
  5. a role noun ("spokesperson", "troops", "protesters") giving the sector (roles.py), with the
     country from a modifier ("Russian troops"), a possessive ("Romania's government") or an "of"
     phrase ("leaders of Romania") (countries.py); "the president" alone -> the latest person
     with that title.
"Former"/"ex-" turn a government actor into ELI (elites), as CAMEO codes former officials.
The word tables are in words.py.
"""
from __future__ import annotations

from typing import Optional

from ..layout import dateline_end
from ..model import Actor
from . import countries, names, roles
from .coref import Memory, Mention
from .kb import _PARTICLES, KnowledgeBase  # noqa: F401
from .mentions import (NounPhrase, copy_actor, is_candidate, is_titled, list_members, noun_phrase, norm_code,
                       person_entity, tagged_noun_name)
# the tables, importable from here as before
from .words import (ATTACHMENT_WORDS, DIPLOMAT_HEADS, FORMER_WORDS, GENERIC_PARTY_WORDS, GROUP_HEADS,  # noqa: F401
                    INSTITUTION_SECTORS, INTERNATIONAL_CODES, LOCATIVE_PREPS, NAME_DEPS, NON_ACTOR_ENTS,
                    NP_MOD_DEPS, OWNED_GROUPS, OWNER_PARTICIPLES, PAIR_DETS, PERSON_PRONOUNS, PERSON_TITLES,
                    PLACE_PREPS, PLURAL_PRONOUNS, PORTFOLIO_HEADS, QUANTITY_HEADS, STATE_SECTORS,
                    THING_PRONOUNS, US_MARKERS, US_PARTY_STATE)
# the helpers' old names, for code that imported them from here
from .countries import gazetteer_country as _gazetteer_country  # noqa: F401
from .mentions import hyphen_end as _hyphen_end, is_location_object as _is_location_object  # noqa: F401

_list_members = list_members
_norm_code = norm_code


class ActorResolver:
    """Resolves actor mentions within one article, sentence by sentence; what it has seen so far
    (the coreference state) is its `coref.Memory`."""

    def __init__(self, doc, published: Optional[str], kb: Optional[KnowledgeBase] = None):
        self.doc = doc
        self.text = doc.text  # Doc.text rebuilds the string on every access: keep one copy
        # Token -> its named entity, and sentence start -> that sentence's entities (Token.sent
        # walks the whole document each time it is read, so it is never used here).
        self.ent_of: dict = {}
        self.ents = list(doc.ents)
        for ent in self.ents:
            for i in range(ent.start, ent.end):
                self.ent_of[i] = ent
        self.published = published
        self.kb = kb or KnowledgeBase.default()
        # "KYIV, Ukraine (AP) — ...": where the story was filed, not an actor
        self.dateline_end = dateline_end(self.text)
        self.excluded = {t.i for t in doc if t.idx < self.dateline_end} if self.dateline_end else set()
        self._story_countries: Optional[frozenset] = None  # story_countries(), on first use
        self.memory = Memory(self.kb, published)
        self.history = self.memory.history  # the memory's lists, by these names too
        self.names = self.memory.names
        self.titles = self.memory.titles
        self.groups = self.memory.groups
        self.cache: dict[int, list[Actor]] = {}
        self.current_sent = None
        self.current_ents: list = []
        self.last_proposer: Optional[Actor] = None
        self._sent_country: dict = {}

    @property
    def sent_i(self) -> int:
        """Index of the sentence being read."""
        return self.memory.sent_i

    @sent_i.setter
    def sent_i(self, value: int) -> None:
        self.memory.sent_i = value

    # ---- public --------------------------------------------------------------------------
    def start_sentence(self, sent, sent_i: int) -> None:
        """Register the sentence's actor mentions in text order (so coreference sees them)."""
        self.sent_i = sent_i
        self.current_sent = sent
        self.current_ents = [e for e in self.ents if sent.start <= e.start < sent.end]
        for tok in sent:
            if tok.dep_ in ("compound", "flat") or tok.i in self.cache:
                continue
            if is_candidate(tok, self.kb, self.names, self.published, self.ent_of):
                self.resolve(tok)

    def resolve(self, h) -> list[Actor]:
        """Actors denoted by the noun phrase headed by token `h` ([] when it is not an actor)."""
        if h.i in self.cache:
            return self.cache[h.i]
        actors = [] if h.i in self.excluded else self._resolve(h)
        self.cache[h.i] = actors
        return actors

    def resolve_with_conjuncts(self, h) -> list[Actor]:
        """The actors of `h` and of the other members of its coordination ("Russia and China")."""
        out = list(self.resolve(h))
        for c in list_members(h):
            if c.i != h.i:
                for a in self.resolve(c):
                    if all(a.code != b.code or a.name != b.name for b in out):
                        out.append(a)
        if len(out) >= 2:
            self.memory.remember_group(h, out)
        return out

    def story_countries(self) -> frozenset:
        """The countries the article names (countries, demonyms, capitals and seats of power
        among its entities): the sense a place name takes when it has several ("Saint-Denis" in a
        story about France is not the capital of Réunion)."""
        got = self._story_countries
        if got is None:
            got = self._story_countries = countries.story_countries(self.kb, self.ents)
        return got

    def person_country_from_sentence(self, actor: Actor) -> Optional[str]:
        """For a titled person with no known country: the one country the sentence names that no
        other mention of the sentence stands for (countries.person_country_from_sentence)."""
        return countries.person_country_from_sentence(self, actor)

    # ---- the cascade ---------------------------------------------------------------------
    def _resolve(self, h) -> list[Actor]:
        if h.ent_type_ in NON_ACTOR_ENTS and not any(
                c.dep_ == "prep" and c.lower_ == "of" for c in h.children):
            return []  # "Friday", "$5 million" -- but "thousands of Iraqi Kurds" goes on
        if h.pos_ == "PRON" or h.lower_ in PERSON_PRONOUNS | PLURAL_PRONOUNS | THING_PRONOUNS:
            return self.memory.pronoun(h)
        np = noun_phrase(h, self.text)
        for strategy in CASCADE:
            found = strategy(self, np)
            if found is not None:
                return found
        return []

    def _sentence_country(self) -> Optional[str]:
        """The one country the current sentence names, if exactly one is (cached per sentence)."""
        if self.current_sent is None:
            return None
        key = ("sc", self.current_sent.start)
        if key in self._sent_country:
            return self._sent_country[key]
        result = countries.sentence_country(self.kb, self.current_ents)
        self._sent_country[key] = result
        return result

    def _remember(self, tok, actor: Actor, kind: str, titles=frozenset(), plural=False) -> None:
        self.memory.remember(tok, actor, kind, titles=titles, plural=plural)


# ---- the strategies: each takes the resolver and the noun phrase, and returns the actors or None
# (not mine: the next strategy tries) -------------------------------------------------------------
def group_of(r: ActorResolver, np: NounPhrase) -> Optional[list]:
    """"a group of Moroccan diplomats", "members of the opposition": the "of" phrase is the actor,
    unless the head itself names a role ("leaders of Romania's government" keeps GOV)."""
    h = np.h
    if h.lemma_.lower() in QUANTITY_HEADS or h.pos_ == "NUM":
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for p in c.children:
                    if p.dep_ == "pobj":
                        inner = r.resolve(p)
                        if inner and (r.kb.sector(h.lemma_.lower()) is None
                                      or all(a.sector for a in inner)):
                            return [copy_actor(a, np.text, np.span) for a in inner]
    return None


def pair(r: ActorResolver, np: NounPhrase) -> Optional[list]:
    """Pairs and groups: "both leaders", "the two sides", "the two countries"."""
    h = np.h
    if h.tag_ in ("NNS", "NNPS") and h.lemma_.lower() in GROUP_HEADS and any(
        t.lower_ in PAIR_DETS for t in np.toks if t.i < h.i
    ):
        if h.lemma_.lower() in PERSON_TITLES:  # "both leaders": the two latest people
            got = r.memory.recent_group(h, 2, ("person",)) or r.memory.recent_pair(h, ("person",))
        else:
            got = r.memory.recent_pair(h, ("person", "country", "org"))
        if got:
            r.memory.remember_group(h, got)
            return [copy_actor(a, np.text, np.span) for a in got]
    return None


def person(r: ActorResolver, np: NounPhrase) -> Optional[list]:
    """A known person, or a person introduced earlier in this article."""
    h = np.h
    ent = person_entity(h, r.ent_of)
    if ent is not None or (h.pos_ == "PROPN" and h.lower_ in r.names) \
            or tagged_noun_name(h, r.kb, r.names, r.published):
        name = ent.text if ent is not None else h.text
        actor = names.person(r, name, np.toks, np.former, np.text, np.span)
        if actor is not None:
            return [actor]
    return None


def named(r: ActorResolver, np: NounPhrase) -> Optional[list]:
    """An organisation, seat of power or country, tried on the named entity or the head phrase."""
    h, toks = np.h, np.toks
    found = names.named_actor(r, h, toks)
    if found is None:
        return None
    if any(t.lower_ in ("ethnic", "ethnically") for t in toks) and found.sector is None:
        # "ethnic Albanians", "ethnic Turks": an ethnic group, not that state's nationals; the
        # country of residence comes from "in/of <place>" or, failing that, stays unknown.
        found = Actor(text=found.text, name=None, country=countries.from_of(r, h), sector="CVL")
        found.code = (found.country or "") + "CVL"
    if h.tag_ in ("NNS", "NNPS") and found.country and len(found.country) == 3:
        # "Ethnic Albanians in south Serbia", "the Albanians of southern Serbia": residents of a
        # place are coded with the place's country, not their ethnicity.
        place = countries.from_of(r, h)
        if place and place != found.country and h.ent_type_ in ("NORP", ""):
            found = Actor(text=found.text, name=None, country=place, sector="CVL")
    if found.country in INTERNATIONAL_CODES and h.lemma_.lower() in DIPLOMAT_HEADS:
        # "Iran's U.N. ambassador", "the Chinese U.N. envoy", "the U.S. mission to the EU": the
        # sending state's diplomat, not the body's own official ("the U.N. envoy for Syria").
        home = countries.sending_state(r, toks, h)
        if home is not None:
            found = Actor(text=np.text, name=None, country=home, sector="GOV", code=home + "GOV", span=np.span)
    actor = copy_actor(found, np.text, np.span)
    actor = roles.apply_role(r.kb, actor, toks, h, np.former)
    r.memory.remember(h, actor, "org" if actor.country not in (None,) and actor.sector else "country",
                      plural=h.tag_ in ("NNS", "NNPS"))
    return [actor]


def unlabelled_person(r: ActorResolver, np: NounPhrase) -> Optional[list]:
    """A known person the NER did not label PERSON ("Zelenskyy" tagged GPE)."""
    h, toks = np.h, np.toks
    if h.pos_ != "PROPN":
        return None
    parts = [t for t in toks if t.pos_ == "PROPN" and t.i <= h.i and t.dep_ in ("compound", "flat") or t.i == h.i]
    for start in range(len(parts)):
        if start and _given_name(r, parts[start - 1]):
            break  # "Ivanka Trump" is not the knowledge base's Trump: another person of that name
        cand = " ".join(t.text for t in parts[start:])
        if r.kb.person(cand, r.published, titled=is_titled(toks, np.former)) is not None:
            actor = names.person(r, cand, toks, np.former, np.text, np.span)
            if actor is not None:
                return [actor]
            break
    return None


def _given_name(r: ActorResolver, t) -> bool:
    """Is the name part `t` a given name ("Ivanka"), not a title, a country, a seat of power or an
    organisation ("President", "U.S.", "Kremlin", "Hamas") that may stand before a surname?"""
    w = t.text
    return (w.isalpha() and w[:1].isupper() and not w.isupper() and t.lemma_.lower() not in PERSON_TITLES
            and w.lower() not in PERSON_TITLES and r.kb.country(w) is None and not r.kb.metonym(w)
            and r.kb.organisation(w) is None)


def titled_name(r: ActorResolver, np: NounPhrase) -> Optional[list]:
    """A titled name the NER did not label PERSON ("Vice-President Moody Awori" tagged ORG)."""
    h, toks = np.h, np.toks
    if h.pos_ == "PROPN" and h.ent_type_ not in ("GPE", "LOC", "NORP", "FAC"):
        titled = [t for t in toks if t.i < h.i and t.lemma_.lower() in PERSON_TITLES]
        if titled:
            after = [t for t in toks if t.i > titled[-1].i and t.pos_ == "PROPN" and t.i <= h.i]
            if after:
                name = r.text[after[0].idx: after[-1].idx + len(after[-1].text)]
                actor = names.person(r, name, toks, np.former, np.text, np.span)
                if actor is not None:
                    return [actor]
    return None


def state_description(r: ActorResolver, np: NounPhrase) -> Optional[list]:
    """A state named again by a description: "the country", "the North" in a Korean story."""
    state = r.memory.state_anaphor(np.h, np.toks, np.text, np.span, r.story_countries)
    if state is None:
        return None
    r.memory.remember(np.h, state, "country")
    return [state]


def owned_group(r: ActorResolver, np: NounPhrase) -> Optional[list]:
    """A group noun owned by an actor: "their teams", "Russia's delegation", "his government"."""
    h = np.h
    if h.lemma_.lower() in OWNED_GROUPS:
        for c in h.children:
            if c.dep_ == "poss":
                owners = r.resolve(c)
                if owners:
                    return [roles.owned(r.kb, a, h, np.toks, np.text, np.span) for a in owners]
    return None


def _role_country(r: ActorResolver, np: NounPhrase) -> Optional[str]:
    """The country of a role noun: its modifiers, an office holder modifying a group noun, an
    "of" phrase, or a possessor already resolved to a country."""
    h, toks = np.h, np.toks
    country = countries.from_modifiers(r, toks, h)
    if country is None and h.lemma_.lower() in OWNED_GROUPS:
        country = countries.person_modifier_country(r, toks, h)
    if country is None:
        country = countries.from_of(r, h)
    if country is None:
        # "the country's supreme leader", "the kingdom's army": a possessor already resolved
        owner = next((a for c in h.children if c.dep_ == "poss" and c.pos_ == "NOUN"
                      for a in r.resolve(c) if a.country and a.sector is None), None)
        country = owner.country if owner is not None else None
    return country


def role_noun(r: ActorResolver, np: NounPhrase) -> Optional[list]:
    """A role noun with a country from modifiers, possessive or an "of" phrase; "the president"
    alone is the latest person with that title; a state role with no country takes the one
    country of the sentence."""
    h, toks, text, span = np.h, np.toks, np.text, np.span
    sector = roles.head_sector(r.kb, toks, h)
    if not sector:
        return None
    title = h.lemma_.lower()
    country = _role_country(r, np)
    if country is None and h.tag_ in ("NN", "NNP") and any(t.lower_ == "the" for t in toks):
        # "the president", "the Russian leader": the latest person with such a title.
        prior = r.memory.recent_person(h, title=title, country=None)
        if prior is not None and title in PERSON_TITLES:
            return [copy_actor(prior, text, span)]
    if country is not None and h.tag_ in ("NN", "NNP") and title in PERSON_TITLES:
        prior = r.memory.recent_person(h, title=title, country=country)
        if prior is not None and any(t.lower_ == "the" for t in toks):
            return [copy_actor(prior, text, span)]
    if country is None and sector in STATE_SECTORS and h.tag_ in ("NNS", "NNPS", "NN", "NNP"):
        country = r._sentence_country()
        if country is not None and country == countries.portfolio(r, h):
            country = None  # "the representative for North Korea" is not North Korea's
    if np.former and sector == "GOV":
        sector = "ELI"
    plural = h.tag_ in ("NNS", "NNPS")
    several = countries.all_modifier_countries(r, toks, h) if plural else []
    if len(several) > 1:
        # "French and Egyptian warships": one actor per country
        out = [Actor(text=text, name=None, country=c, sector=sector, code=norm_code(c, sector),
                     span=span) for c in several]
        for a in out:
            r.memory.remember(h, a, "group", titles={title}, plural=True)
        r.memory.remember_group(h, out)
        return out
    actor = Actor(text=text, name=None, country=country, sector=sector,
                  code=norm_code(country, sector), span=span)
    r.memory.remember(h, actor, "group" if plural else "other", titles={title}, plural=plural)
    return [actor]


def country_marked(r: ActorResolver, np: NounPhrase) -> Optional[list]:
    """Any other noun phrase marked with countries ("Palestinian youths", "Danish web sites",
    "the Turkish and Greek sides", "the Nigerian Union of Teachers"): the countries, as
    PETRARCH-style coders do; the sector stays unknown."""
    h = np.h
    found = countries.all_modifier_countries(r, np.toks, h)
    if not found and h.ent_type_ == "ORG":
        found = countries.countries_in_name(r, h)
    if not found:
        return None
    plural = h.tag_ in ("NNS", "NNPS") or len(found) > 1
    out = []
    kind = "org" if h.ent_type_ == "ORG" else ("group" if plural else "other")
    for iso in found:
        actor = Actor(text=np.text, name=None, country=iso, sector=None, code=iso, span=np.span)
        out.append(actor)
        r.memory.remember(h, actor, kind, plural=plural and kind != "org")
    if len(out) > 1:
        r.memory.remember_group(h, out)
    return out


# The order is the rule: the first strategy that answers wins.
CASCADE = (group_of, pair, person, named, unlabelled_person, titled_name, state_description,
           owned_group, role_noun, country_marked)

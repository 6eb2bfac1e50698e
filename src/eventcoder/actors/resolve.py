"""Actor resolution: a noun phrase in a parsed article -> Actor(s), with in-article coreference.

One `ArticleActors` per article. It reads the spaCy Doc sentence by sentence (call `start_sentence`
before resolving inside a sentence) and remembers who was mentioned, so that a later "Peskov",
"the president", "he", "they" or "both leaders" resolves to the right earlier actor.

Resolution of a noun phrase headed by token `h`, in this order:
  1. pronouns and plural group expressions ("he", "they", "both leaders") -> the most recent
     compatible actor(s) in the article;
  2. a known person (knowledge base, dated) or a person already introduced in this article;
  3. a known organisation (UN, NATO, Hamas ...) or a seat of power (Kremlin -> RUS GOV);
  4. a country name or demonym ("Russia", "Russia's", "Ukrainian forces");
  5. a role noun ("spokesperson", "troops", "protesters") giving the sector, with the country from
     a modifier ("Russian troops"), a possessive ("Romania's government") or an "of" phrase
     ("leaders of Romania"); "the president" alone -> the latest person with that title.
"Former"/"ex-" turn a government actor into ELI (elites), as CAMEO codes former officials.
"""
from __future__ import annotations

import re

from dataclasses import dataclass, field
from typing import Optional

from ..model import Actor
from ..layout import dateline_end
from .kb import _PARTICLES, KnowledgeBase

NAME_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj", "dative", "agent", "poss"}
NON_ACTOR_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY", "LAW",
                  "LANGUAGE", "WORK_OF_ART", "EVENT", "PRODUCT"}
# Heads that only count or group what their "of" phrase names: "a group of Moroccan diplomats".
QUANTITY_HEADS = {"group", "member", "ten", "delegation", "number", "dozen", "hundred", "thousand", "million",
                  "some", "most", "many", "majority", "minority", "part", "representative", "team",
                  "contingent", "unit", "band", "batch", "crowd", "handful", "score", "all", "few",
                  "several", "one", "two", "leader", "head", "chief", "spokesman", "spokesperson",
                  "spokeswoman", "faction", "wing", "section", "bloc", "coalition", "alliance"}
GENERIC_PARTY_WORDS = {"all", "both", "warring", "relevant", "concerned", "other", "two", "various",
                       "involved", "interested", "opposing", "rival", "each", "either"}
STATE_SECTORS = {"GOV", "MIL", "COP", "SPY", "JUD", "LEG"}
INTERNATIONAL_CODES = {"UNO", "EUR", "IGO", "IMG", "NGO", "MNC"}
DIPLOMAT_HEADS = {"ambassador", "envoy", "representative", "mission", "delegation", "delegate", "diplomat",
                  "emissary", "negotiator"}
# modifiers that make a group American ("Republican lawmakers", "congressional leaders")
US_MARKERS = {"Republican", "Democratic", "Democrat", "GOP", "congressional", "Congressional"}
# "Sen. Lindsey Graham, R-S.C.", "Rep. Ilhan Omar (D-Minn.)": a US legislator's party and state
US_PARTY_STATE = re.compile(r"\s*,?\s*\(?\s*[RDI]-[A-Z][A-Za-z.]{1,12}\)?")
# heads whose "for <country>" names the country they deal with, not their own
PORTFOLIO_HEADS = {"envoy", "representative", "rapporteur", "coordinator", "negotiator", "emissary", "czar",
                   "adviser", "advisor", "director", "secretary", "minister", "spokesman", "spokeswoman",
                   "spokesperson"}


def _gazetteer_country(text: str) -> Optional[str]:
    from ..places import Gazetteer

    return Gazetteer.default().country_of(text)


NP_MOD_DEPS = {"compound", "amod", "nmod", "poss", "flat", "nummod", "det", "case", "punct"}
# "Saudi-led coalition", "London-based group", "Hamas-run ministry": the hyphenated modifier names who
# the group belongs to. Not "US-backed rebels" or "Russian-speaking separatists".
OWNER_PARTICIPLES = {"lead", "led", "base", "based", "run", "control", "controlled", "own", "owned",
                     "dominate", "dominated", "command", "commanded"}
# "a newspaper based in Beirut", "workers affiliated with the Serbian union", "militias loyal to X".
ATTACHMENT_WORDS = {"base": ("in",), "station": ("in",), "headquarter": ("in",), "locate": ("in",),
                    "affiliate": ("with", "to"), "link": ("to", "with"), "belong": ("to",),
                    "loyal": ("to",), "allied": ("with", "to")}
PLACE_PREPS = ("in", "throughout", "across", "inside")  # "police in Jericho": the place's country
FORMER_WORDS = {"former", "ex", "ex-", "erstwhile", "onetime", "one-time", "late", "outgoing"}
PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "hers", "himself", "herself"}
PLURAL_PRONOUNS = {"they", "them", "their", "theirs", "themselves"}
THING_PRONOUNS = {"it", "its", "itself"}
GROUP_HEADS = {"leader", "side", "country", "nation", "government", "president", "party", "state",
               "delegation", "minister", "official", "team"}
PAIR_DETS = {"both", "two"}
OWNED_GROUPS = {"team", "delegation", "negotiator", "envoy", "representative", "government",
                "administration", "force", "troops", "army", "military", "official", "ally", "leadership"}
PERSON_TITLES = {
    "president", "leader", "minister", "premier", "chancellor", "secretary", "spokesperson",
    "spokesman", "spokeswoman", "king", "queen", "emir", "prince", "envoy", "ambassador",
    "general", "commander", "chief", "governor", "mayor", "senator", "prosecutor", "judge",
    "dictator", "monarch", "sultan", "ayatollah", "pope",
}


def _list_members(h) -> list:
    """The other members of a coordination headed by `h`: its conjuncts, and a list the parser
    read as an apposition ("Greece, Panama and South Korea": Panama appos of Greece, Korea conj of
    Panama) when the apposition is itself coordinated."""
    members = list(h.conjuncts)
    for c in h.children:
        if c.dep_ == "appos" and c.pos_ == "PROPN" and any(g.dep_ == "conj" for g in c.children):
            members.append(c)
            members.extend(g for g in c.conjuncts if g.i != h.i)
    return members


@dataclass
class Mention:
    actor: Actor
    token_i: int
    sent_i: int
    is_subject: bool
    kind: str  # person | group | org | country | other
    titles: frozenset = field(default_factory=frozenset)
    plural: bool = False


def _norm_code(country: Optional[str], sector: Optional[str]) -> Optional[str]:
    if not country and not sector:
        return None
    return (country or "") + (sector or "")


INSTITUTION_SECTORS = frozenset({"MIL", "COP", "GOV", "JUD", "LEG"})
LOCATIVE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "around", "across", "throughout"})


def _hyphen_end(h):
    """The last token of the hyphenated word `h` starts ("Tehreek" in "Tehreek-e-Insaf")."""
    doc = h.doc
    j = h.i
    while j + 2 < len(doc) and doc[j].whitespace_ == "" and doc[j + 1].text == "-" \
            and doc[j + 1].whitespace_ == "" and doc[j + 2].is_alpha:
        j += 2
    return doc[j]


def _is_location_object(h) -> bool:
    """A name governed by a locative preposition ("in Madrid", "at the Kremlin")."""
    return h.dep_ == "pobj" and h.head.lower_ in LOCATIVE_PREPS


class ArticleActors:
    """Resolves actor mentions within one article and keeps the coreference state."""

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
        self.history: list[Mention] = []
        self.names: dict[str, Actor] = {}  # full names and surnames introduced in this article
        self.titles: dict[str, set] = {}  # canonical name -> title words seen with it in this article
        self.cache: dict[int, list[Actor]] = {}
        self.sent_i = -1
        self.current_sent = None
        self.current_ents: list = []
        self.last_proposer: Optional[Actor] = None
        self.groups: list[tuple[int, int, list]] = []  # (token_i, sent_i, actors) of pairs/groups
        self._sent_country: dict = {}

    # ---- bookkeeping -------------------------------------------------------------------
    def start_sentence(self, sent, sent_i: int) -> None:
        """Register the sentence's actor mentions in text order (so coreference sees them)."""
        self.sent_i = sent_i
        self.current_sent = sent
        self.current_ents = [e for e in self.ents if sent.start <= e.start < sent.end]
        for tok in sent:
            if tok.dep_ in ("compound", "flat") or tok.i in self.cache:
                continue
            pos = tok.pos_
            if pos == "PROPN" or pos == "PRON" or (pos == "NOUN" and self._maybe_actor_noun(tok)) \
                    or self._mistagged_name(tok):
                self.resolve(tok)

    def _mistagged_name(self, tok) -> bool:
        """The head of a named person or organisation the tagger took for a common noun or a verb
        ("published by ISIS": "ISIS" NOUN; "said Trump": "Trump" VERB)."""
        if tok.ent_type_ not in ("PERSON", "ORG", "NORP") or tok.pos_ not in ("NOUN", "VERB"):
            return False
        if not tok.text[:1].isupper() or tok.dep_ not in NAME_DEPS:
            return False
        ent = self.ent_of.get(tok.i)
        return ent is not None and ent.root.i == tok.i

    def _maybe_actor_noun(self, tok) -> bool:
        """Cheap gate before full resolution: a common noun can only denote an actor when it is a
        role or group word, or carries a name, demonym or possessive ("Russian troops")."""
        lemma = tok.lemma_.lower()
        if lemma in QUANTITY_HEADS or lemma in OWNED_GROUPS or lemma in GROUP_HEADS or tok.like_num:
            return True
        if self._tagged_noun_name(tok):
            return True
        if self.kb.sector(lemma) is not None:
            return True
        for c in tok.children:
            if c.dep_ in ("amod", "compound", "poss", "nmod", "prep") and (
                    c.pos_ in ("PROPN", "PRON", "ADJ", "NOUN") or c.dep_ == "prep"):
                return True
        return False

    def story_countries(self) -> frozenset:
        """The countries the article names (countries, demonyms, capitals and seats of power
        among its entities): the sense a place name takes when it has several ("Saint-Denis" in a
        story about France is not the capital of Réunion)."""
        got = self._story_countries
        if got is None:
            found = set()
            for ent in self.ents:
                if ent.label_ in ("GPE", "NORP"):
                    iso = self.kb.country(ent.text) or (self.kb.metonym(ent.text) or (None,))[0]
                    if iso:
                        found.add(iso)
            got = self._story_countries = frozenset(found)
        return got

    def _tagged_noun_name(self, tok) -> bool:
        """A known person's name the tagger took for a common noun ("Trump met Macron": "Trump"
        NOUN): capitalised, no entity, a subject or object, and a name the article or the
        knowledge base knows."""
        if tok.pos_ != "NOUN" or tok.ent_type_ or not tok.text[:1].isupper() or tok.text.isupper():
            return False
        if tok.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj"):
            return False
        if any(c.dep_ == "det" for c in tok.children):
            return False  # "The Trump of ..." is a noun phrase, not the name
        return tok.lower_ in self.names or self.kb.person(tok.text, self.published) is not None

    def _remember(self, tok, actor: Actor, kind: str, titles=frozenset(), plural=False) -> None:
        # 2 = subject of the main clause, 1 = subject of an embedded clause, 0 = not a subject
        is_subject = 0
        if tok.dep_ in ("nsubj", "nsubjpass", "agent"):
            is_subject = 2 if tok.head.dep_ == "ROOT" else 1
        if kind == "person" and actor.name:
            known = self.titles.setdefault(actor.name, set())
            known.update(titles)
            titles = frozenset(known)
        self.history.append(Mention(actor, tok.i, self.sent_i, is_subject, kind, frozenset(titles), plural))
        if len(self.history) > 200:
            del self.history[:100]

    # ---- public --------------------------------------------------------------------------
    def resolve(self, h) -> list[Actor]:
        """Actors denoted by the noun phrase headed by token `h` ([] when it is not an actor)."""
        if h.i in self.cache:
            return self.cache[h.i]
        actors = [] if h.i in self.excluded else self._resolve(h)
        # Coordinated heads ("Hungarian and Romanian officials") share the head noun's sector.
        self.cache[h.i] = actors
        return actors

    def resolve_with_conjuncts(self, h) -> list[Actor]:
        out = list(self.resolve(h))
        for c in _list_members(h):
            if c.i != h.i:
                for a in self.resolve(c):
                    if all(a.code != b.code or a.name != b.name for b in out):
                        out.append(a)
        if len(out) >= 2:
            self._remember_group(h, out)
        return out

    def _remember_group(self, h, actors: list) -> None:
        if not any(g[0] == h.i for g in self.groups):
            self.groups.append((h.i, self.sent_i, list(actors)))
            if len(self.groups) > 50:
                del self.groups[:25]

    # ---- internals -----------------------------------------------------------------------
    def _np_tokens(self, h) -> list:
        """Head plus its left modifiers (recursively), and "X of Y" inside titles."""
        toks = [h]
        stack = [h]
        while stack:
            t = stack.pop()
            for c in t.children:
                if c.dep_ in NP_MOD_DEPS or (c.dep_ == "prep" and c.lower_ == "of" and t.i != h.i) or (
                        c.dep_ == "npadvmod" and t.dep_ == "amod" and t.lemma_.lower() in OWNER_PARTICIPLES
                        and c.i + 2 == t.i and c.nbor().text == "-"):
                    toks.append(c)
                    stack.append(c)
                elif c.dep_ == "pobj" and t.dep_ == "prep" and t.lower_ == "of" and t.i != h.i:
                    toks.append(c)
                    stack.append(c)
        return sorted(toks, key=lambda t: t.i)

    def _span(self, toks) -> tuple[int, int]:
        toks = [t for t in toks if t.dep_ not in ("punct", "case") and t.lower_ not in ("the", "a", "an")] or toks
        return toks[0].idx, toks[-1].idx + len(toks[-1].text)

    def _text(self, toks) -> str:
        start, end = self._span(toks)
        return self.text[start:end]

    def _person_entity(self, h):
        if h.ent_type_ == "PERSON":
            ent = self.ent_of.get(h.i)
            if ent is not None and ent.label_ == "PERSON":
                return ent
        return None

    def _resolve(self, h) -> list[Actor]:
        low = h.lower_
        if h.ent_type_ in NON_ACTOR_ENTS and not any(
                c.dep_ == "prep" and c.lower_ == "of" for c in h.children):
            return []  # "Friday", "$5 million" -- but "thousands of Iraqi Kurds" goes on
        if h.pos_ == "PRON" or low in PERSON_PRONOUNS | PLURAL_PRONOUNS | THING_PRONOUNS:
            return self._pronoun(h)
        toks = self._np_tokens(h)
        lemmas = [t.lemma_.lower() for t in toks]
        former = any(l in FORMER_WORDS for l in lemmas) or any(t.lower_.startswith("ex-") for t in toks)
        text = self._text(toks)
        span = self._span(toks)

        # "a group of Moroccan diplomats", "members of the opposition": the "of" phrase is the actor,
        # unless the head itself names a role ("leaders of Romania's government" keeps GOV).
        if h.lemma_.lower() in QUANTITY_HEADS or h.pos_ == "NUM":
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            inner = self.resolve(p)
                            if inner and (self.kb.sector(h.lemma_.lower()) is None
                                          or all(a.sector for a in inner)):
                                return [self._copy(a, text, span) for a in inner]

        # Pairs and groups: "both leaders", "the two sides", "the two countries".
        if h.tag_ in ("NNS", "NNPS") and h.lemma_.lower() in GROUP_HEADS and any(
            t.lower_ in PAIR_DETS for t in toks if t.i < h.i
        ):
            if h.lemma_.lower() in PERSON_TITLES:  # "both leaders": the two latest people
                pair = self._recent_group(h, 2, ("person",)) or self._recent_pair(h, ("person",))
            else:
                pair = self._recent_pair(h, ("person", "country", "org"))
            if pair:
                self._remember_group(h, pair)
                return [self._copy(a, text, span) for a in pair]

        # Known person, or a person introduced earlier in this article.
        ent = self._person_entity(h)
        if ent is not None or (h.pos_ == "PROPN" and h.lower_ in self.names) or self._tagged_noun_name(h):
            name = ent.text if ent is not None else h.text
            actor = self._person(name, toks, former, text, span)
            if actor is not None:
                return [actor]

        # Organisation, seat of power, country — tried on the named entity or the head phrase.
        named = self._named_actor(h, toks)
        if named is not None and any(t.lower_ in ("ethnic", "ethnically") for t in toks) and named.sector is None:
            # "ethnic Albanians", "ethnic Turks": an ethnic group, not that state's nationals; the
            # country of residence comes from "in/of <place>" or, failing that, stays unknown.
            named = Actor(text=named.text, name=None, country=self._country_from_of(h), sector="CVL")
            named.code = (named.country or "") + "CVL"
        if named is not None and h.tag_ in ("NNS", "NNPS") and named.country and len(named.country) == 3:
            # "Ethnic Albanians in south Serbia", "the Albanians of southern Serbia": residents of a
            # place are coded with the place's country, not their ethnicity.
            place = self._country_from_of(h)
            if place and place != named.country and h.ent_type_ in ("NORP", ""):
                named = Actor(text=named.text, name=None, country=place, sector="CVL")
        if named is not None and named.country in INTERNATIONAL_CODES and h.lemma_.lower() in DIPLOMAT_HEADS:
            # "Iran's U.N. ambassador", "the Chinese U.N. envoy", "the U.S. mission to the EU": the
            # sending state's diplomat, not the body's own official ("the U.N. envoy for Syria").
            home = self._sending_state(toks, h)
            if home is not None:
                named = Actor(text=text, name=None, country=home, sector="GOV", code=home + "GOV", span=span)
        if named is not None:
            actor = self._copy(named, text, span)
            actor = self._apply_role(actor, toks, h, former)
            self._remember(h, actor, "org" if actor.country not in (None,) and actor.sector else "country",
                           plural=h.tag_ in ("NNS", "NNPS"))
            return [actor]

        # A known person the NER did not label PERSON ("Zelenskyy" tagged GPE).
        if h.pos_ == "PROPN":
            names = [t for t in toks if t.pos_ == "PROPN" and t.i <= h.i and t.dep_ in ("compound", "flat") or t.i == h.i]
            for start in range(len(names)):
                cand = " ".join(t.text for t in names[start:])
                if self.kb.person(cand, self.published, titled=self._titled(toks, former)) is not None:
                    actor = self._person(cand, toks, former, text, span)
                    if actor is not None:
                        return [actor]
                    break

        # A titled name the NER did not label PERSON ("Vice-President Moody Awori" tagged ORG).
        if h.pos_ == "PROPN" and h.ent_type_ not in ("GPE", "LOC", "NORP", "FAC"):
            titled = [t for t in toks if t.i < h.i and t.lemma_.lower() in PERSON_TITLES]
            if titled:
                after = [t for t in toks if t.i > titled[-1].i and t.pos_ == "PROPN" and t.i <= h.i]
                if after:
                    name = self.text[after[0].idx: after[-1].idx + len(after[-1].text)]
                    actor = self._person(name, toks, former, text, span)
                    if actor is not None:
                        return [actor]

        # A state named again by a description: "the country", "the North" in a Korean story.
        state = self._state_anaphor(h, toks, text, span)
        if state is not None:
            self._remember(h, state, "country")
            return [state]

        # A group noun owned by an actor: "their teams", "Russia's delegation", "his government".
        if h.lemma_.lower() in OWNED_GROUPS:
            for c in h.children:
                if c.dep_ == "poss":
                    owners = self.resolve(c)
                    if owners:
                        return [self._owned(a, h, toks, text, span) for a in owners]

        # Role noun with a country from modifiers, possessive or an "of" phrase.
        sector = self._head_sector(toks, h)
        if sector:
            country = self._country_from_modifiers(toks, h)
            if country is None and h.lemma_.lower() in OWNED_GROUPS:
                country = self._person_modifier_country(toks, h)
            if country is None:
                country = self._country_from_of(h)
            if country is None:
                # "the country's supreme leader", "the kingdom's army": a possessor already resolved
                owner = next((a for c in h.children if c.dep_ == "poss" and c.pos_ == "NOUN"
                              for a in self.resolve(c) if a.country and a.sector is None), None)
                country = owner.country if owner is not None else None
            if country is None and h.tag_ in ("NN", "NNP") and any(t.lower_ == "the" for t in toks):
                # "the president", "the Russian leader": the latest person with such a title.
                prior = self._recent_person(h, title=h.lemma_.lower(), country=None)
                if prior is not None and h.lemma_.lower() in PERSON_TITLES:
                    actor = self._copy(prior, text, span)
                    return [actor]
            if country is not None and h.tag_ in ("NN", "NNP") and h.lemma_.lower() in PERSON_TITLES:
                prior = self._recent_person(h, title=h.lemma_.lower(), country=country)
                if prior is not None and any(t.lower_ == "the" for t in toks):
                    return [self._copy(prior, text, span)]
            if country is None and sector in STATE_SECTORS and h.tag_ in ("NNS", "NNPS", "NN", "NNP"):
                country = self._sentence_country(h)
                if country is not None and country == self._portfolio(h):
                    country = None  # "the representative for North Korea" is not North Korea's
            if former and sector == "GOV":
                sector = "ELI"
            plural = h.tag_ in ("NNS", "NNPS")
            several = self._all_modifier_countries(toks, h) if plural else []
            if len(several) > 1:
                # "French and Egyptian warships": one actor per country
                out = [Actor(text=text, name=None, country=c, sector=sector, code=_norm_code(c, sector),
                             span=span) for c in several]
                for a in out:
                    self._remember(h, a, "group", titles={h.lemma_.lower()}, plural=True)
                self._remember_group(h, out)
                return out
            actor = Actor(text=text, name=None, country=country, sector=sector,
                          code=_norm_code(country, sector), span=span)
            self._remember(h, actor, "group" if plural else "other", titles={h.lemma_.lower()}, plural=plural)
            return [actor]

        # Any other noun phrase marked with countries ("Palestinian youths", "Danish web sites",
        # "the Turkish and Greek sides", "the Nigerian Union of Teachers"): the countries, as
        # PETRARCH-style coders do; the sector stays unknown.
        countries = self._all_modifier_countries(toks, h)
        if not countries and h.ent_type_ == "ORG":
            countries = self._countries_in_name(h)
        if countries:
            plural = h.tag_ in ("NNS", "NNPS") or len(countries) > 1
            out = []
            kind = "org" if h.ent_type_ == "ORG" else ("group" if plural else "other")
            for iso in countries:
                actor = Actor(text=text, name=None, country=iso, sector=None, code=iso, span=span)
                out.append(actor)
                self._remember(h, actor, kind, plural=plural and kind != "org")
            if len(out) > 1:
                self._remember_group(h, out)
            return out
        return []

    def _all_modifier_countries(self, toks, h) -> list:
        """Countries named by the modifiers of h, in order, with coordinated adjectives
        ("Turkish and Greek") each counted."""
        out = []
        for t in toks:
            if t.i == h.i or t.dep_ not in ("amod", "compound", "poss", "nmod", "conj"):
                continue
            if t.ent_type_ in NON_ACTOR_ENTS:
                continue
            iso = self.kb.country(t.text) if (t.pos_ in ("PROPN", "ADJ") or t.ent_type_ in ("NORP", "GPE")) else None
            if iso is None and t.ent_type_ in ("GPE", "NORP") and t.i in self.ent_of:
                iso = self.kb.country(self.ent_of[t.i].text)
            if iso is None and t.pos_ == "PROPN":
                met = self.kb.metonym(t.text)  # "Cairo's security chief"
                iso = met[0] if met else None
            if iso and iso not in out:
                out.append(iso)
            for c in t.children:
                if c.dep_ == "conj" and c.i < h.i:
                    iso2 = self.kb.country(c.text)
                    if iso2 and iso2 not in out:
                        out.append(iso2)
        return out

    def _countries_in_name(self, h) -> list:
        """A country word inside an organisation's name: "Serbian Workers' Union" -> SRB."""
        ent = self.ent_of.get(h.i)
        if ent is not None:
            if ent.label_ == "ORG":
                for t in ent:
                    if t.pos_ in ("PROPN", "ADJ"):
                        iso = self.kb.country(t.text)
                        if iso:
                            return [iso]
        return []

    # -- pieces ------------------------------------------------------------------------------
    def _copy(self, a: Actor, text: str, span) -> Actor:
        return Actor(text=text, name=a.name, country=a.country, sector=a.sector, code=a.code, span=span)

    def _owned(self, owner: Actor, h, toks, text: str, span) -> Actor:
        """A group a state or its official owns carries the group's own sector ("Russia's military"
        -> RUSMIL, "Putin's army" -> RUSMIL, "China's delegation" -> CHNGOV); a non-state owner's
        group stays the owner's ("Hamas's fighters" -> PSEREB), as does a group with no sector of its
        own ("his team")."""
        sector = self._head_sector(toks, h)
        if not sector or not owner.country or (owner.sector and owner.sector not in STATE_SECTORS | {"ELI"}):
            return self._copy(owner, text, span)
        if owner.sector == "ELI" and sector in ("GOV", "MIL"):
            sector = "ELI"  # a former leader's team is not the government
        return Actor(text=text, name=None, country=owner.country, sector=sector,
                     code=_norm_code(owner.country, sector), span=span)

    def _person(self, name: str, toks, former: bool, text: str, span) -> Optional[Actor]:
        key = name.lower()
        surname = name.split()[-1].lower() if name.split() else key
        entry = self.kb.person(name, self.published, titled=self._titled(toks, former))
        if entry is not None and len(name.split()) == 1 and key in self.names \
                and self.names[key].name != entry.name and entry.sector in (None, "ELI"):
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
            stated = self._country_from_modifiers(before, None) or (
                self._country_from_of(head, place_preps=False) if head is not None else None)
            if stated and stated != entry.country:
                entry = None
        titles = {t.lemma_.lower() for t in toks if t.lemma_.lower() in PERSON_TITLES}
        if entry is not None:
            sector = entry.sector
            if former and sector in ("GOV", "MIL"):
                sector = "ELI"
            actor = Actor(text=text, name=entry.name, country=entry.country, sector=sector,
                          code=_norm_code(entry.country, sector), span=span)
        elif key in self.names or surname in self.names:
            prior = self.names.get(key) or self.names[surname]
            actor = self._copy(prior, text, span)
        else:
            # Unknown person: country and sector from the title words around the name, or from an
            # apposition ("Kofi Annan, UN secretary-general"; "Geir Pedersen, the UN envoy").
            sector = self._sector_of(toks, None)
            country = self._country_from_modifiers(toks, None)
            head = next((t for t in toks if t.pos_ == "PROPN" and t.dep_ not in ("compound", "flat")),
                        None)
            if country is None and US_PARTY_STATE.match(self.text, span[1]):
                country, sector = "USA", sector or "LEG"
            if country is None and head is not None:
                country = self._country_from_of(head)  # "King Hassan of Morocco"
            for c in (head.children if head is not None else ()):
                if c.dep_ == "appos" and country is None:
                    for a in self._resolve(c):
                        if a.country:
                            country, sector = a.country, a.sector or sector
                            break
            if country is None and sector is None and not self._looks_like_person(name):
                return None
            if former and sector in ("GOV", "MIL"):
                sector = "ELI"
            actor = Actor(text=text, name=name, country=country, sector=sector,
                          code=_norm_code(country, sector), span=span)
        self.names[key] = actor
        self.names[surname] = actor
        for part in name.lower().split()[:-1]:
            # any part of the name finds the person later ("Fu Cong ... Fu said": family names
            # come first in Chinese, Korean, Hungarian names); a part another person of the
            # article already holds stays theirs
            if part not in _PARTICLES and len(part) > 1 and part.isalpha():
                self.names.setdefault(part, actor)
        tok = toks[-1]
        for t in toks:
            if t.ent_type_ == "PERSON":
                tok = t
        self._remember(tok if tok.dep_ not in ("compound",) else toks[-1], actor, "person", titles=titles)
        return actor

    @staticmethod
    def _looks_like_person(name: str) -> bool:
        """A person the NER found, with at least a first and last name: kept as an actor with
        no country code ("Lt. Gen. Prosper Avril") so that the act is still recorded."""
        parts = [p for p in name.split() if p[:1].isupper()]
        return len(parts) >= 2

    def _named_actor(self, h, toks) -> Optional[Actor]:
        kb = self.kb
        candidates = []
        if h.ent_type_:
            if h.i in self.ent_of:
                candidates.append(self.ent_of[h.i].text)
        # The named part of the phrase: proper nouns with and without the head ("Red Cross
        # officials" -> "Red Cross"), and named entities among the modifiers ("Osama bin Laden's
        # al-Qaeda terror network" -> "al-Qaeda").
        propn = [t for t in toks if t.pos_ == "PROPN" or t.i == h.i]
        if propn:
            candidates.append(self.text[propn[0].idx: propn[-1].idx + len(propn[-1].text)])
            # A hyphenated name the tokenizer split ("Pakistan Tehreek-e-Insaf"): the whole word.
            end = _hyphen_end(h)
            if end.i > h.i:
                start = propn[0] if propn[0].i <= h.i else h
                candidates[-1:-1] = [self.text[start.idx: end.idx + len(end.text)],
                                     self.text[h.idx: end.idx + len(end.text)]]
        only = [t for t in toks if t.pos_ == "PROPN" and t.i < h.i and t.dep_ in ("compound", "nmod", "poss", "amod")]
        if only and h.pos_ != "PROPN":
            candidates.append(self.text[only[0].idx: only[-1].idx + len(only[-1].text)])
        lo, hi = toks[0].i, toks[-1].i
        for ent in self.current_ents:
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
                if cand == h.text and _is_location_object(h):
                    continue  # "talks in Madrid", "at the Kremlin": where, not who
                return Actor(text=cand, name=cand, country=met[0], sector=met[1])
            if h.pos_ == "PROPN" or h.ent_type_ in ("GPE", "NORP"):
                iso = kb.country(cand)
                if iso is not None:
                    return Actor(text=cand, name=None, country=iso, sector=None, code=iso)
        return None

    def _apply_role(self, actor: Actor, toks, h, former: bool) -> Actor:
        """A named actor with a role word in the phrase ("Kremlin spokesperson") keeps its country
        and takes the role's sector when the name itself gave none."""
        sector = actor.sector
        if sector is None:
            sector = self._sector_of(toks, None)
        if former and sector in ("GOV", "MIL"):
            sector = "ELI"
        if sector != actor.sector:
            actor.sector = sector
            if actor.country and len(actor.country) == 3 and actor.code in (None, actor.country) or actor.code == actor.country:
                actor.code = _norm_code(actor.country, sector)
        return actor

    def _head_sector(self, toks, h) -> Optional[str]:
        """Sector of a phrase whose head is a role noun ("troops", "foreign minister", "secretary
        of state"); None when the head is not one ("President Zelenskyy's stance")."""
        kb = self.kb
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

    def _sector_of(self, toks, h) -> Optional[str]:
        kb = self.kb
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

    def _country_from_modifiers(self, toks, h) -> Optional[str]:
        kb = self.kb
        for t in toks:
            if h is not None and t.i == h.i:
                continue
            if t.text in US_MARKERS and t.dep_ in ("amod", "compound", "nmod") and t.head.pos_ == "NOUN" \
                    and not (t.i in self.ent_of and len(self.ent_of[t.i]) > 1):
                return "USA"  # "Democratic lawmakers", "GOP senators", "congressional leaders"
            if t.ent_type_ in ("GPE", "NORP", "ORG", "LOC") or t.pos_ in ("PROPN", "ADJ"):
                iso = kb.country(t.text)
                if iso is None and t.ent_type_ in ("GPE", "NORP"):
                    for ent in ([self.ent_of[t.i]] if t.i in self.ent_of else ()):
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

    def _sending_state(self, toks, h) -> Optional[str]:
        """The state a possessor or a modifier of a diplomat's title names (not a body such as
        the U.N.), or None."""
        for c in h.children:
            if c.dep_ == "poss":
                for a in self.resolve(c):
                    if a.country and a.country not in INTERNATIONAL_CODES:
                        return a.country
        for t in toks:
            if t.i == h.i or t.dep_ not in ("amod", "compound", "nmod"):
                continue
            iso = self.kb.country(t.text)
            if iso and iso not in INTERNATIONAL_CODES:
                return iso
        return None

    def _person_modifier_country(self, toks, h) -> Optional[str]:
        """The country of a known office holder named as a modifier of a government word: "the
        Trump administration", "the Erdogan government"."""
        names = [t for t in toks if t.i < h.i and t.pos_ == "PROPN" and t.dep_ in ("compound", "nmod")]
        for start in range(len(names)):
            cand = " ".join(t.text for t in names[start:])
            p = self.kb.person(cand, self.published)
            if p is not None and p.country:
                return p.country
        return None

    def _country_from_of(self, h, place_preps: bool = True) -> Optional[str]:
        """Country from a prepositional phrase: "leaders of Romania", "police in Jericho" (the
        latter only with `place_preps`)."""
        preps = ("of", "from", "for") + (PLACE_PREPS if place_preps else ())
        if h.lemma_.lower() in PORTFOLIO_HEADS:
            preps = tuple(p for p in preps if p != "for")  # "the envoy for North Korea": a portfolio
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ in preps:
                iso = self._country_of_prep(c)
                if iso:
                    return iso
        return self._country_from_attachment(h)

    def _portfolio(self, h) -> Optional[str]:
        """The country a portfolio head deals with ("the envoy for North Korea" -> PRK)."""
        if h.lemma_.lower() not in PORTFOLIO_HEADS:
            return None
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ == "for":
                return self._country_of_prep(c)
        return None

    def _country_from_attachment(self, h) -> Optional[str]:
        """"a newspaper based in Beirut" -> LBN; "workers affiliated with the Serbian union" -> SRB;
        "militias loyal to Damascus" -> SYR (a participle or adjective after the head)."""
        for c in h.children:
            if c.dep_ not in ("acl", "amod", "relcl") or c.i < h.i:
                continue
            preps = ATTACHMENT_WORDS.get(c.lemma_.lower()) or ATTACHMENT_WORDS.get(c.lower_) or ()
            for pr in c.children:
                if pr.dep_ == "prep" and pr.lower_ in preps:
                    iso = self._country_of_prep(pr)
                    if iso:
                        return iso
        return None

    def _country_of_prep(self, prep) -> Optional[str]:
        """The country of a preposition's object: the place's country after in/throughout/across/
        inside ("in Jericho"), else the country of the actor it names ("of Romania's government")."""
        for p in prep.children:
            if p.dep_ != "pobj":
                continue
            if prep.lower_ in PLACE_PREPS:
                if p.pos_ == "PROPN" or p.ent_type_ in ("GPE", "LOC"):
                    iso = self.kb.country(p.text) or _gazetteer_country(
                        self.text[min(t.idx for t in p.subtree):p.idx + len(p.text)])
                    if iso:
                        return iso
                continue
            for a in self.resolve(p):
                if a.country:
                    return a.country
        return None

    @staticmethod
    def _titled(toks, former: bool) -> bool:
        """Does the mention carry an office title ("President", "former")?"""
        return former or any(t.lemma_.lower() in PERSON_TITLES for t in toks)

    def person_country_from_sentence(self, actor: Actor) -> Optional[str]:
        """For a person with a title but no known country ("Judge Alejandro Rivera", "Lt. Gen.
        Prosper Avril"): the one country the sentence names that no other person, country or
        organisation mention in the sentence already stands for ("... to allow Haiti's first
        democratic elections" -> HTI; not "President Bush threatened action against Russia")."""
        if not actor.name or actor.country or actor.sector not in STATE_SECTORS | {"ELI"}:
            return None
        named = set()
        for ent in self.current_ents:
            if ent.label_ in ("GPE", "NORP"):
                iso = self.kb.country(ent.text)
                if iso:
                    named.add(iso)
        taken = {m.actor.country for m in self.history
                 if m.sent_i == self.sent_i and m.kind in ("person", "country", "org")
                 and m.actor.country and m.actor.name != actor.name
                 and self.doc[m.token_i].pos_ in ("PROPN", "PRON")  # the name itself is an actor,
                 and self.doc[m.token_i].dep_ != "poss"}  # not a possessor ("Guinea's elections")
        left = named - taken
        return left.pop() if len(left) == 1 else None

    def _sentence_country(self, h) -> Optional[str]:
        """The one country named in the sentence (by name or demonym), if exactly one is."""
        if self.current_sent is None:
            return None
        key = ("sc", self.current_sent.start)
        if key in self._sent_country:
            return self._sent_country[key]
        found = set()
        for ent in self.current_ents:
            if ent.label_ in ("GPE", "NORP"):
                iso = self.kb.country(ent.text)
                if iso:
                    found.add(iso)
        result = found.pop() if len(found) == 1 else None
        self._sent_country[key] = result
        return result

    def _recent_person(self, h, title: Optional[str], country: Optional[str]) -> Optional[Actor]:
        best = None
        for m in reversed(self.history):
            if m.kind != "person" or m.token_i >= h.i:
                continue
            if country and m.actor.country != country:
                continue
            if title and title != "leader" and title not in m.titles and not self._role_has(m.actor, title):
                continue
            if title == "leader" and m.actor.sector not in ("GOV", "ELI", "MIL", "REB", "OPP", "PTY"):
                continue
            # Salience: prefer a recent subject in the previous two sentences.
            if m.is_subject == 2 and m.sent_i >= self.sent_i - 2:
                return m.actor
            if best is None:
                best = m.actor
        return best

    def _role_has(self, actor: Actor, title: str) -> bool:
        """Does the knowledge base's role for this person fit the title word?"""
        if not actor.name:
            return False
        entry = self.kb.person(actor.name, self.published)
        role = (entry.role or "") if entry is not None else ""
        return title in role or (title == "president" and "head_of_state" in role) or (
            title in ("premier", "prime") and "head_of_government" in role)

    def _state_anaphor(self, h, toks, text: str, span) -> Optional[Actor]:
        """"The country" / "the nation" (singular, no modifier) is the latest country named in the
        last two sentences; "the North" / "the South" is North / South Korea in a story that names
        either Korea."""
        words = [t for t in toks if t.dep_ not in ("case", "punct")]
        if not any(t.lower_ == "the" and t.dep_ == "det" for t in words) or len(words) > 2:
            return None
        low = h.lower_
        iso = None
        if low in ("country", "nation") and h.tag_ == "NN":
            for m in reversed(self.history):
                if m.token_i >= h.i or m.sent_i < self.sent_i - 2:
                    continue
                if m.kind == "country" and m.actor.country and len(m.actor.country) == 3 \
                        and m.actor.country not in INTERNATIONAL_CODES:
                    iso = m.actor.country
                    break
        elif h.text in ("North", "South") and {"PRK", "KOR"} & self.story_countries():
            iso = "PRK" if h.text == "North" else "KOR"
        if iso is None:
            return None
        return Actor(text=text, name=None, country=iso, sector=None, code=iso, span=span)

    def _recent_pair(self, h, kinds) -> list[Actor]:
        """The latest pair or group mentioned before h, else the two latest distinct actors."""
        group = next((g for g in reversed(self.groups) if g[0] < h.i and g[1] >= self.sent_i - 2), None)
        if group is not None:
            return group[2]
        return self._recent_group(h, 2, kinds)

    def _recent_group(self, h, n: int, kinds=("person", "country", "org")) -> list[Actor]:
        """The `n` most recent distinct actors (by code and name) before token h."""
        seen: list[Actor] = []
        for m in reversed(self.history):
            if m.token_i >= h.i or m.sent_i < self.sent_i - 2:
                continue
            if m.kind not in kinds:
                continue
            a = m.actor
            if any((a.name or a.code) == (b.name or b.code) for b in seen):
                continue
            seen.append(a)
            if len(seen) == n:
                break
        return list(reversed(seen)) if len(seen) == n else []

    def _pronoun(self, h) -> list[Actor]:
        low = h.lower_
        text = h.text
        span = (h.idx, h.idx + len(h.text))
        if low in PERSON_PRONOUNS or low in ("i", "me", "my", "we", "us", "our"):
            if low in ("i", "me", "my", "we", "us", "our"):
                return []  # first person: resolved by quote attribution, not here
            # Same sentence: the subject of the clause first, then the nearest person before.
            same = [m for m in self.history if m.sent_i == self.sent_i and m.token_i < h.i and m.kind == "person"]
            subj = [m for m in same if m.is_subject]
            if subj:
                return [self._copy(subj[-1].actor, text, span)]
            prev = [m for m in self.history if m.sent_i < self.sent_i and m.kind == "person"]
            prev_subj = [m for m in prev if m.is_subject == 2 and m.sent_i >= self.sent_i - 2] or [
                m for m in prev if m.is_subject and m.sent_i >= self.sent_i - 2]
            if prev_subj:
                return [self._copy(prev_subj[-1].actor, text, span)]
            if same:
                return [self._copy(same[-1].actor, text, span)]
            if prev:
                return [self._copy(prev[-1].actor, text, span)]
            return []
        if low in PLURAL_PRONOUNS:
            plural = next((m for m in reversed(self.history)
                           if m.token_i < h.i and m.plural and m.sent_i >= self.sent_i - 1), None)
            group = next((g for g in reversed(self.groups)
                          if g[0] < h.i and g[1] >= self.sent_i - 1), None)
            if group is not None and (plural is None or group[0] > plural.token_i):
                return [self._copy(a, text, span) for a in group[2]]
            if plural is not None:
                return [self._copy(plural.actor, text, span)]
            pair = self._recent_pair(h, ("person", "country", "org"))
            if pair:
                self._remember_group(h, pair)
            return [self._copy(a, text, span) for a in pair]
        if low in THING_PRONOUNS:
            # "it": the latest country, organisation or singular institution ("the government")
            for m in reversed(self.history):
                if m.token_i < h.i and m.sent_i >= self.sent_i - 1 and (
                        m.kind in ("country", "org") or (m.kind == "other" and not m.plural and m.actor.sector)):
                    return [self._copy(m.actor, text, span)]
        return []

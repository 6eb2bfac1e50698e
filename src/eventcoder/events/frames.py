"""Candidate frames: who acts on whom, from triggers in the dependency parse (rules propose).

For each sentence (`FrameExtractor.sentence_frames`):
  * triggers are verbs and nouns whose lemma (with the words their entry requires nearby) is in the
    trigger lexicon (events/triggers.py); an intent verb ("agreed to commence negotiations") takes
    the CAMEO 03x intent code of its complement and consumes it; a verb entry consumes the nouns it
    requires ("hold talks"); reporting verbs are not events but their clauses are read like any other;
  * verb frames: subject -> source (the agent in a passive), object or prepositional object
    (with, to, against, on, from, ...) -> target (events/arguments.py);
  * obligation frames: "X said Y must Z" is X's demand that Y do Z;
  * noun frames ("a phone conversation with Putin", "Russia's invasion of Ukraine", "talks between
    X and Y"): possessor or actor modifiers -> source; "with/against/on/of/between" -> target;
    otherwise the subject of a non-trigger verb that governs the noun ("Trump announced a call with
    Putin");
  * the place of the act (places.PlaceFinder).
`FrameExtractor.extract` turns the frames into Event records (events/assemble.py: status recoding,
pairs, default targets, dates, confidence). Every record carries the rule that produced it
(`--explain`). The tables and helpers of those modules stay importable from here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..actors.resolve import ActorResolver
from ..model import Actor, Event, Location  # noqa: F401  (Actor: importable from here as before)
from ..places import LOCATION_PREPS, PlaceFinder  # noqa: F401
from .arguments import (BACKGROUND_PREPS, CONTENT_NOUNS, NOUN_TARGET_PREPS, OBJECT_CONTROL,  # noqa: F401
                        OWN_MEANS_VERBS, OWN_POSS, STATIVE_PASSIVES, SUBJ_DEPS, VERB_TARGET_PREPS,
                        ArgumentFinder, governing_verb, same_actor)
from .assemble import INTERNATIONAL, EventAssembler, actor_pairs, salience_depth  # noqa: F401
from .assemble import dedupe as _dedupe, with_country as _with_country  # noqa: F401
from .lexicon import Lexicon, TriggerEntry
from .ontology import Ontology
from .recode import CONDITIONAL_THREAT_ROOTS, PREPARATION_WORDS, cite, demand_code, threat_code  # noqa: F401
from .triggers import (CONTAINER_NOUNS, MAX_SENT_CHARS, NON_TRIGGER_ENTS, OBLIGATION_AUX,  # noqa: F401
                       OBLIGATION_REPORTERS, REPORTING_LEMMAS, TriggerMatcher, obligation)
from .words import codes, words

_same = same_actor
_obligation = obligation

PROPOSAL_LEMMAS = words("proposal_lemmas")
# Verbs whose subject is not the agent of the event noun they govern ("ended the war", "fled the
# fighting", "witnessed the attack").
NOUN_GOV_BLOCK = words("noun_gov_block")
COMPLEMENT_ROOTS = codes("complement_roots")


@dataclass
class Frame:
    """A candidate act: its trigger token and lexicon entry, CAMEO code, actors and rule."""
    trigger: object  # spaCy Token
    entry: TriggerEntry
    code: str
    sources: list
    targets: list
    rule: str
    reciprocal: bool = False
    location: Optional[Location] = None


class FrameExtractor:
    """Extracts Event records from one parsed article: trigger matching (`matcher`), argument
    finding (`args`), place finding (`places`), candidate frames (here) and record assembly
    (`assembler`)."""

    def __init__(self, lexicon: Optional[Lexicon] = None, ontology: Optional[Ontology] = None,
                 gazetteer=None, date_resolver=None):
        self.matcher = TriggerMatcher(lexicon)
        self.lex = self.matcher.lex
        self.ont = ontology or Ontology.default()
        self.places = PlaceFinder(gazetteer)
        self.gaz = self.places.gaz
        self.args = ArgumentFinder(self.matcher)
        self.assembler = EventAssembler(self.ont, self.args, self.places, date_resolver)
        self.verb_heads = self.matcher.verb_heads
        self.noun_heads = self.matcher.noun_heads

    @property
    def resolve_date(self):
        return self.assembler.resolve_date

    def match(self, tok, pos: str) -> Optional[TriggerEntry]:
        """The lexicon entry `tok` triggers as `pos`, or None (remembered for the sentence)."""
        return self.matcher.match(tok, pos)

    def may_hold_event(self, sent) -> bool:
        """`TriggerMatcher.may_hold_event`: can this parsed sentence yield an event?"""
        return self.matcher.may_hold_event(sent)

    def event_time(self, tok, published: Optional[str], status: str, sent=None):
        """The event's date, its precision and whether it is a reference (events/timing.py)."""
        return self.assembler.event_time(tok, published, status, sent)

    # ---- frames --------------------------------------------------------------------------------
    def sentence_frames(self, actors: ActorResolver, sent) -> list[Frame]:
        """The candidate frames of one sentence whose mentions the resolver has registered."""
        self.places.text = actors.text  # the article text, for place names (Doc.text is rebuilt per read)
        self.places.story = actors.story_countries()
        self.matcher.reset()
        frames: list[Frame] = []
        consumed: set[int] = set()
        verbs, nouns = self.matcher.triggers(sent)
        if not verbs and not nouns:
            return frames
        noun_by_i = {t.i: e for t, e in nouns}
        verb_by_i = {t.i: e for t, e in verbs}

        # A demand, call, appeal, threat or refusal expressed by a noun ("its demand that Israel ease
        # restrictions") has its clause as content, not as an act of its own.
        noun_content: dict = {}
        for tok, entry in nouns:
            if entry.cameo[:2] in COMPLEMENT_ROOTS:
                for c in tok.children:
                    if c.dep_ in ("acl", "ccomp", "xcomp", "relcl") and c.i in verb_by_i and c.dep_ != "relcl":
                        consumed.add(c.i)
                        noun_content[tok.i] = c

        # Verb frames first: they consume the nouns and complements they govern.
        self._verb_frames(actors, verbs, verb_by_i, noun_by_i, consumed, frames)
        frames = self._obligation_frames(actors, sent, verb_by_i, consumed, frames)
        self._noun_frames(actors, nouns, verb_by_i, noun_content, consumed, frames)
        return frames

    def _verb_frames(self, actors: ActorResolver, verbs, verb_by_i, noun_by_i, consumed: set,
                     frames: list) -> None:
        for tok, entry in verbs:
            if tok.i in consumed:
                continue
            if "report" in entry.flags:
                continue
            code = entry.cameo
            rule = entry.rule + cite(entry.where)  # V:head+required+lemmas[triggers.tsv:<line>]
            for c in tok.children:
                if c.lemma_.lower() in entry.requires and c.i in noun_by_i:
                    consumed.add(c.i)
                if c.dep_ in ("dobj", "prep"):
                    for g in c.children:
                        if g.lemma_.lower() in entry.requires and g.i in noun_by_i:
                            consumed.add(g.i)
            if entry.cameo[:2] in COMPLEMENT_ROOTS and "intent" not in entry.flags:
                # "refused to deploy", "threatened to ban", "demanded to see": the complement is
                # what is refused, threatened or demanded, not an act of its own.
                comp_code = self._complement_code(tok, verb_by_i, noun_by_i, consumed)
                if comp_code and entry.cameo in ("130", "13") and self.ont.threat_code(comp_code[:2]) is not None:
                    code = threat_code(comp_code, self.ont)
                    rule += f"+threat({comp_code})" + cite(self.ont.where("threat", comp_code))
            if "intent" not in entry.flags and entry.cameo[:2] == "03":
                # "agreed to strengthen cooperation" matched as one entry: the complement is part of it
                self._complement_code(tok, verb_by_i, noun_by_i, consumed)
            if "intent" in entry.flags:
                comp_code = self._complement_code(tok, verb_by_i, noun_by_i, consumed)
                if comp_code:
                    intent = self.ont.intent_code(comp_code)
                    if intent:
                        code = intent
                        rule += f"+intent({comp_code})" + cite(self.ont.where("intent", comp_code))
            sources, how_s = self.args.subject(actors, tok)
            targets, how_t = self.args.verb_targets(actors, tok, consumed, sources)
            if entry.head in PROPOSAL_LEMMAS and sources:
                actors.last_proposer = sources[0]
            frames.append(Frame(tok, entry, code, sources, targets, f"{rule} src={how_s} tgt={how_t}",
                                reciprocal=self._reciprocal(entry, code),
                                location=self.places.location(
                                    [tok] + [c for c in tok.children if c.dep_ == "dobj"]
                                    + [g for c in tok.children if c.dep_ == "xcomp"
                                       for g in [c, *c.children] if g.dep_ in ("xcomp", "dobj")])))

    def _obligation_frames(self, actors: ActorResolver, sent, verb_by_i, consumed: set, frames: list) -> list:
        """"X said Y must/should Z": X demands that Y do Z (CAMEO 10x), whether or not Z is itself
        an act in the lexicon; Z is the content of the demand, not an act of Y's (its frame goes)."""
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX") or tok.dep_ not in ("ccomp", "conj"):
                continue
            if not obligation(tok):
                continue
            rep = tok.head if tok.dep_ == "ccomp" else None
            if rep is None or rep.lemma_.lower() not in OBLIGATION_REPORTERS:
                continue
            if rep.i in verb_by_i and "report" not in verb_by_i[rep.i].flags:
                continue  # "demanded that Y must ..." is coded by the demand verb itself
            speakers, how_s = self.args.subject(actors, rep)
            addressees = [a for a in self.args.subject(actors, tok)[0]]
            if not speakers or not addressees:
                continue
            inner = verb_by_i.get(tok.i)
            inner_code = inner.cameo if inner is not None else ""
            code = demand_code(inner_code, self.ont)
            consumed.add(tok.i)
            frames = [f for f in frames if f.trigger.i != tok.i]
            entry = TriggerEntry("V", tok.lemma_.lower(), (), code, frozenset(), "obligation")
            frames.append(Frame(tok, entry, code, speakers, addressees,
                                f"obligation({tok.lemma_}){cite(self.ont.where('demand', inner_code))}"
                                f" src=reporter:{how_s} tgt=clause-subject",
                                location=self.places.location([tok])))
        return frames

    def _noun_frames(self, actors: ActorResolver, nouns, verb_by_i, noun_content: dict, consumed: set,
                     frames: list) -> None:
        for tok, entry in nouns:
            if tok.i in consumed or "report" in entry.flags:
                continue
            rule = entry.rule + cite(entry.where)  # N:head+required+lemmas[triggers.tsv:<line>]
            sources, targets = [], []
            how_s = how_t = "none"
            between = []
            for c in tok.children:
                if c.dep_ == "poss":
                    sources = self.args.actors_of(actors, c)
                    how_s = "possessor"
                elif c.dep_ in ("compound", "amod", "nmod") and c.lemma_.lower() not in entry.requires:
                    # "the Russian invasion", "a Trump-Putin call" -- not "the naval blockade"
                    found = [a for a in self.args.actors_of(actors, c) if a.country or a.name]
                    if found:
                        sources = sources + [a for a in found if a not in sources]
                        how_s = "modifier"
                elif c.dep_ == "prep" and c.lower_ in ("between", "among"):
                    for p in c.children:
                        if p.dep_ == "pobj":
                            between = self.args.actors_of(actors, p)
            if between:
                sources, how_s = between, "between"
            targets = self.args.prep_targets(actors, tok, NOUN_TARGET_PREPS)
            if targets:
                how_t = "noun-prep"
            elif tok.i in noun_content:
                for g in noun_content[tok.i].children:
                    if g.dep_ in ("nsubj", "nsubjpass"):
                        targets = self.args.actors_of(actors, g)
                        how_t = "content-clause-subject"
            if not sources:
                gov = governing_verb(tok)
                if gov is not None and gov.i not in verb_by_i and gov.lemma_.lower() not in NOUN_GOV_BLOCK:
                    from_report = gov.lemma_.lower() in REPORTING_LEMMAS
                    if not from_report or targets:
                        sources, how_s = self.args.subject(actors, gov)
                        how_s = f"governing-verb({gov.lemma_}):{how_s}"
                elif gov is not None and gov.i in verb_by_i and "report" in verb_by_i[gov.i].flags and targets:
                    sources, how_s = self.args.subject(actors, gov)
                    how_s = f"governing-verb({gov.lemma_}):{how_s}"
            if sources and targets:
                targets = [t for t in targets if not any(same_actor(t, s) for s in sources)]
            if entry.head in PROPOSAL_LEMMAS and sources:
                actors.last_proposer = sources[0]
            gov = governing_verb(tok)
            frames.append(Frame(tok, entry, entry.cameo, sources, targets,
                                f"{rule} src={how_s} tgt={how_t}",
                                reciprocal=self._reciprocal(entry, entry.cameo),
                                location=self.places.location([tok, gov])))

    def _reciprocal(self, entry: TriggerEntry, code: str) -> bool:
        """Mutual by nature: the lexicon row says so, or the code does (cameo.tsv's reciprocal)."""
        return "reciprocal" in entry.flags or self.ont.is_reciprocal(code)

    def _complement_code(self, tok, verb_by_i, noun_by_i, consumed) -> Optional[str]:
        """CAMEO code of the act an intent verb commits to, consuming that complement."""
        for c in tok.children:
            if c.dep_ in ("xcomp", "ccomp") or (c.dep_ == "prep" and c.lower_ in ("to", "on", "for")):
                cands = [c] if c.dep_ != "prep" else [p for p in c.children if p.dep_ in ("pobj", "pcomp")]
                for cand in cands:
                    if cand.i in verb_by_i and "report" not in verb_by_i[cand.i].flags:
                        consumed.add(cand.i)
                        return verb_by_i[cand.i].cameo
                    if cand.i in noun_by_i:
                        consumed.add(cand.i)
                        return noun_by_i[cand.i].cameo
                    # light verb + event noun: "commence negotiations", "hold talks"
                    for g in cand.children:
                        if g.dep_ in ("dobj", "pobj") and g.i in noun_by_i:
                            consumed.add(g.i)
                            consumed.add(cand.i)
                            return noun_by_i[g.i].cameo
                        if g.dep_ == "prep":
                            for p in g.children:
                                if p.dep_ == "pobj" and p.i in noun_by_i:
                                    consumed.add(p.i)
                                    consumed.add(cand.i)
                                    return noun_by_i[p.i].cameo
        return None

    def extract(self, doc, article_id: str, published: Optional[str], actors: ActorResolver) -> list[Event]:
        events: list[Event] = []
        for si, sent in enumerate(doc.sents):
            actors.start_sentence(sent, si)
            if len(sent.text) > MAX_SENT_CHARS:
                continue
            for fr in self.sentence_frames(actors, sent):
                events.extend(self.assembler.events(fr, doc, si, sent, article_id, published, actors))
        return events

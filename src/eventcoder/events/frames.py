"""Frame extraction: who acts on whom, from triggers in the dependency parse.

For each sentence:
  * triggers are verbs and nouns whose lemma (with the words their entry requires nearby) is in the
    trigger lexicon; an intent verb ("agreed to commence negotiations") takes the CAMEO 03x intent
    code of its complement and consumes it; a verb entry consumes the nouns it requires ("hold
    talks"); reporting verbs are not events but their clauses are read like any other;
  * verb frames: subject -> source (the agent in a passive), object or prepositional object
    (with, to, against, on, from, ...) -> target; a verb without a subject takes it from the verb
    that governs it (control "agreed to meet", coordination "met X and signed", "refrained from
    engaging", object control "urged X to withdraw");
  * noun frames ("a phone conversation with Putin", "Russia's invasion of Ukraine", "talks between
    X and Y"): possessor or actor modifiers -> source; "with/against/on/of/between" -> target;
    otherwise the subject of a non-trigger verb that governs the noun ("Trump announced a call with
    Putin");
  * coordinated actors give one record per pair; a plural or coordinated source with no target for
    a reciprocal act ("both leaders agreed", "they met") gives one record per direction.
Every record carries the rule that produced it (`--explain`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..actors.resolve import ArticleActors
from ..dates import resolve_date as _DEFAULT_RESOLVER
from ..model import Actor, Event, Location
from .lexicon import Lexicon, TriggerEntry
from .ontology import Ontology
from .status import commitment_cue, conditional_on, event_status

VERB_TARGET_PREPS = ("with", "against", "to", "on", "upon", "from", "toward", "towards", "into", "at", "over")
NOUN_TARGET_PREPS = ("with", "against", "on", "upon", "to", "toward", "towards", "of", "for", "into", "from")
LOCATION_PREPS = ("in", "at", "near", "outside", "inside")
SUBJ_DEPS = ("nsubj", "csubj")
CONTENT_NOUNS = {"idea", "proposal", "plan", "offer", "suggestion", "initiative", "demand", "request",
                 "call", "claim", "accusation", "statement", "remark", "proposition", "deal",
                 "ultimatum", "position", "stance", "view", "bid", "appeal", "condition",
                 "resolution", "effort", "decision", "measure", "move", "policy", "draft", "motion",
                 "programme", "program", "project", "campaign", "action", "attempt", "order", "law",
                 "bill", "plea", "warning", "threat", "candidacy", "application", "request", "mandate",
                 "invitation", "ultimatum", "overture", "bid", "pressure", "advice", "recommendation"}
PROPOSAL_LEMMAS = {"propose", "proposal", "suggest", "offer", "plan", "demand", "call", "request",
                   "initiative", "put forward", "present", "float", "unveil"}
OWN_POSS = {"its", "their", "his", "her", "our"}
OWN_MEANS_VERBS = {"withdraw", "pull", "deploy", "send", "dispatch", "station", "move", "mobilize",
                   "mobilise", "reinforce", "strengthen", "contribute", "recall", "evacuate", "redeploy",
                   "transfer", "airlift", "ship", "bring", "return", "mass", "amass", "position"}
STATIVE_PASSIVES = {"commit", "prepare", "determine", "dedicate", "resolve", "oblige", "involve",
                    "engage", "opposed", "oppose", "set", "poise", "interest"}
# Verbs whose subject is not the agent of the event noun they govern ("ended the war", "fled the
# fighting", "witnessed the attack").
NOUN_GOV_BLOCK = {"end", "stop", "halt", "cease", "prevent", "avoid", "escape", "survive", "fear", "witness",
                  "observe", "investigate", "discuss", "debate", "oppose", "condemn", "denounce",
                  "criticize", "criticise", "blame", "deny", "cover", "mourn", "commemorate", "mark",
                  "remember", "follow", "watch", "see", "suffer", "face", "experience", "flee", "protest",
                  "reject", "welcome", "praise", "hail", "monitor", "study", "review", "examine",
                  "postpone", "delay", "cancel", "suspend", "boycott", "ignore", "urge", "demand", "seek",
                  "call", "ask", "want", "need", "expect", "predict", "warn", "threaten", "resist",
                  "repel", "survive", "blame", "attribute", "link", "cause", "trigger", "spark", "provoke",
                  "win", "lose", "question", "doubt", "dismiss", "confirm", "report", "describe", "mention",
                  "say", "tell", "note", "indicate", "deplore", "regret", "lament", "recall", "support",
                  "back", "endorse", "approve", "broker", "mediate", "facilitate", "host", "attend"}
OBJECT_CONTROL = {"urge", "ask", "persuade", "force", "order", "tell", "invite", "encourage",
                  "press", "pressure", "push", "compel", "allow", "help", "call", "appeal", "warn"}
RECIPROCAL_ROOTS = {"03", "04", "05", "06"}
MAX_SENT_CHARS = 2000
COMPLEMENT_ROOTS = {"02", "10", "12", "13"}
CONTAINER_NOUNS = {"package", "program", "programme", "plan", "effort", "campaign", "operation", "mission",
                   "initiative", "process", "scheme", "deal", "measure", "regime", "round", "bill",
                   "proposal", "offer", "request", "shipment", "delivery", "convoy", "flight", "team"}
NON_TRIGGER_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY", "PERSON", "GPE"}
# A conflictual act the source announces as its own future act is a threat (CAMEO 13x).
# Acts whose conditional announcement is a threat: conflictual ones, and withdrawing cooperation.
CONDITIONAL_THREAT_ROOTS = {"06", "07", "08", "14", "16", "17", "18", "19", "20"}
PREPARATION_WORDS = {"prepare", "prepared", "ready", "poise", "gear", "position"}
REJECT_BY_ROOT = {"03": "120", "04": "125", "05": "120", "06": "121", "07": "122", "08": "124"}
REJECT_BY_CODE = {"045": "126", "046": "125", "057": "127", "036": "125", "038": "126", "039": "126"}
DEMAND_BY_ROOT = {"04": "106", "05": "102", "06": "101", "07": "103", "08": "105", "03": "100"}
DEMAND_BY_CODE = {"045": "108", "046": "106", "057": "107", "036": "106", "037": "107", "039": "108"}
OBLIGATION_AUX = {"must", "should", "ought", "has", "have"}
THREAT_BY_ROOT = {"14": "133", "16": "131", "17": "137", "18": "138", "19": "138", "20": "1385"}
THREAT_BY_CODE = {"191": "1381", "192": "1382", "193": "1384", "194": "1384", "195": "1384",
                  "181": "1383", "183": "1383", "1831": "1383", "1832": "1383", "1833": "1383",
                  "163": "132", "161": "1311", "162": "1312", "164": "134", "165": "135", "166": "136",
                  "200": "1385", "201": "1385", "202": "1385", "203": "1385", "204": "1385"}


@dataclass
class Frame:
    trigger: object  # spaCy Token
    entry: TriggerEntry
    code: str
    sources: list
    targets: list
    rule: str
    reciprocal: bool = False
    location: Optional[Location] = None


class FrameExtractor:
    """Extracts Event records from one parsed article."""

    def __init__(self, lexicon: Optional[Lexicon] = None, ontology: Optional[Ontology] = None,
                 gazetteer=None, date_resolver=None):
        from ..dates import resolve_date
        from ..places import Gazetteer

        self.lex = lexicon or Lexicon.default()
        self.ont = ontology or Ontology.default()
        self.gaz = gazetteer or Gazetteer.default()
        self.resolve_date = date_resolver or resolve_date
        self.verb_heads = self.lex.heads("V")
        self._matched: dict = {}
        self._text = ""
        self._story: frozenset = frozenset()
        self.noun_heads = self.lex.heads("N")

    # ---- matching ------------------------------------------------------------------------------
    @staticmethod
    def _neighbourhood(tok, pos: str) -> set:
        words = set()
        for c in tok.children:
            if pos == "V":
                if c.dep_ in ("prt", "prep", "dobj", "dative", "attr", "acomp", "oprd", "xcomp",
                              "advmod", "ccomp", "nsubjpass", "agent", "npadvmod", "pcomp"):
                    words.add(c.lemma_.lower())
                    words.add(c.lower_)
                    if c.dep_ in ("prep", "agent", "dobj", "xcomp") or c.lower_ in ("out", "away"):
                        for g in c.children:
                            if g.dep_ in ("pobj", "pcomp", "compound", "amod", "dobj", "prep", "prt"):
                                words.add(g.lemma_.lower())
                                if g.dep_ == "prep" and (c.dep_ == "dobj" or c.lower_ in ("out", "away")):
                                    # "tons of food aid"; "pulled out of the deal", "walk away from"
                                    for gg in g.children:
                                        if gg.dep_ == "pobj":
                                            words.add(gg.lemma_.lower())
            else:
                if c.dep_ in ("compound", "amod", "nmod", "prep", "npadvmod", "nummod", "poss"):
                    words.add(c.lemma_.lower())
                    words.add(c.lower_)
                    if c.dep_ == "prep":
                        for g in c.children:
                            if g.dep_ in ("pobj", "pcomp"):
                                words.add(g.lemma_.lower())
        return words

    def match(self, tok, pos: str) -> Optional[TriggerEntry]:
        """The lexicon entry `tok` triggers as `pos`, or None (remembered for the sentence, since
        target selection asks again about the same verbs)."""
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
                    near = self._neighbourhood(tok, pos)
                if not all(r in near for r in e.requires):
                    continue
            return e if e.is_event else None  # a NOT_EVENT row: "seized the moment"
        return None

    @staticmethod
    def _is_verbal(tok) -> bool:
        if tok.pos_ in ("VERB",):
            return True
        # Mis-tagged infinitives ("agreed to commence negotiations": commence/NOUN/xcomp).
        return tok.dep_ in ("xcomp", "ccomp", "advcl", "relcl", "pcomp", "conj") and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)

    # ---- arguments -----------------------------------------------------------------------------
    def _actors(self, actors: ArticleActors, tok) -> list[Actor]:
        return actors.resolve_with_conjuncts(tok)

    def _subject(self, actors: ArticleActors, verb, depth: int = 0) -> tuple[list, str]:
        """Source actors of a verb and how they were found."""
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        for c in verb.children:
            if c.dep_ == "agent":
                for p in c.children:
                    if p.dep_ == "pobj":
                        return self._actors(actors, p), "agent"
        if not passive:
            for c in verb.children:
                if c.dep_ in SUBJ_DEPS:
                    return self._actors(actors, c), "subject"
        elif verb.lemma_.lower() in STATIVE_PASSIVES:
            # "Vietnam is committed to opening up": an adjectival passive, the subject acts.
            for c in verb.children:
                if c.dep_ == "nsubjpass":
                    return self._actors(actors, c), "subject(adjectival passive)"
        else:
            return [], "passive-no-agent"
        if depth >= 4:
            return [], "none"
        head = verb.head
        if head.i == verb.i:
            return [], "none"
        dep = verb.dep_
        if dep == "xcomp":
            if head.lemma_.lower() in OBJECT_CONTROL:
                for c in head.children:
                    if c.dep_ in ("dobj",):
                        return self._actors(actors, c), "object-control"
                    if c.dep_ == "prep" and c.lower_ == "on":
                        for p in c.children:
                            if p.dep_ == "pobj":
                                return self._actors(actors, p), "object-control"
            # "is set to meet": raising through a passive head takes its nsubjpass.
            for c in head.children:
                if c.dep_ == "nsubjpass":
                    return self._actors(actors, c), "control(passive head)"
            src, how = self._subject(actors, head, depth + 1)
            return src, "control" if src else how
        if dep in ("conj", "advcl", "pcomp", "xcomp", "acomp"):
            # "is ready to host": the adjective's subject is the copula's
            src, how = self._subject(actors, head, depth + 1)
            return src, f"inherited({dep})" if src else how
        if dep == "pobj" or dep == "prep":
            src, how = self._subject(actors, head, depth + 1)
            return src, how
        if dep in ("relcl", "acl") and head.pos_ in ("NOUN", "PROPN"):
            # "the rebels who attacked", "troops deployed near"
            if verb.tag_ == "VBN" and dep == "acl":
                return [], "none"
            return self._actors(actors, head), "relative"
        if dep == "prep" and head.dep_ == "pcomp":
            return self._subject(actors, head.head, depth + 1)
        return [], "none"

    def _prep_targets(self, actors: ArticleActors, tok, preps) -> list:
        for c in tok.children:
            if c.dep_ in ("prep", "dative") and c.lower_ in preps:
                for p in c.children:
                    if p.dep_ == "pobj":
                        found = self._actors(actors, p)
                        if found:
                            return found
            if c.dep_ == "dative" and c.pos_ in ("NOUN", "PROPN", "PRON"):
                found = self._actors(actors, c)
                if found:
                    return found
        return []

    def _modifier_actors(self, actors: ArticleActors, noun) -> list:
        """Actors named as possessor or modifier of an act noun ("the Russian invasion"), or as
        the possessor of any action noun ("Serbia's suppression of the unrest")."""
        if noun.lemma_.lower() not in self.noun_heads and noun.lemma_.lower() not in CONTENT_NOUNS:
            if noun.pos_ == "NOUN" and noun.tag_ == "NN":
                for c in noun.children:
                    if c.dep_ == "poss":
                        found = [a for a in self._actors(actors, c) if a.country]
                        if found:
                            return found
            return []
        for c in noun.children:
            if c.dep_ in ("poss", "amod", "compound", "nmod"):
                found = [a for a in self._actors(actors, c) if a.country or c.dep_ == "poss"]
                if found:
                    return found
        return []

    def _content_author(self, actors: ArticleActors, noun) -> list:
        """Author of a proposal/idea/demand noun: its possessor, "by"/"from" phrase, or the
        latest proposer for an anaphoric "this idea"."""
        if noun.lemma_.lower() not in CONTENT_NOUNS:
            return []
        for c in noun.children:
            if c.dep_ == "poss":
                found = self._actors(actors, c)
                if found:
                    return found
            if c.dep_ in ("prep", "agent") and c.lower_ in ("by", "from"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        found = self._actors(actors, p)
                        if found:
                            return found
        if any(c.lower_ in ("this", "that", "the", "such", "these", "those") for c in noun.children):
            if actors.last_proposer is not None:
                return [actors.last_proposer]
        return []

    def _verb_target_candidates(self, actors: ArticleActors, verb, consumed: set, depth: int = 0,
                                own: frozenset = frozenset()):
        """Candidate target lists of a verb, best first, with how each was found."""
        objs = [c for c in verb.children if c.dep_ in ("dobj", "dative", "attr", "oprd")]
        passive_subj = [c for c in verb.children if c.dep_ == "nsubjpass"]
        if verb.lemma_.lower() in OWN_MEANS_VERBS and depth == 0 or (
                depth > 0 and verb.lemma_.lower() in OWN_MEANS_VERBS):
            # "withdraw its inspectors from Iraq", "deployed troops to Bosnia": the object is the
            # source's own means; the place or party in the prepositional phrase is the target.
            yield self._prep_targets(actors, verb, ("from", "to", "into", "in", "against", "toward", "towards")), "prep-object(own means)"
        own_means = verb.lemma_.lower() in OWN_MEANS_VERBS
        for c in objs + passive_subj:
            if any(g.dep_ == "poss" and g.lower_ in OWN_POSS for g in c.children):
                continue  # "offered its troops to Lebanon": the source's own means, not a target
            found = self._actors(actors, c)
            if own_means and c.dep_ == "dobj":
                # "Ankara withdrew ambassadors": the source's own people are not the target
                # (unnamed "troops", "inspectors" are the source's own too)
                found = [a for a in found if a.country and a.country not in own]
            yield found, "object" if c.dep_ != "nsubjpass" else "passive-subject"
        if self._root_of(verb) in ("11", "12", "14"):
            # "complained to the UN over Israeli air raids": what is complained about names the
            # target; the addressee comes after
            for c in verb.children:
                if c.dep_ == "prep" and c.lower_ in ("over", "about", "against"):
                    for p in c.children:
                        if p.dep_ == "pobj":
                            yield (self._modifier_actors(actors, p) or self._actors(actors, p)), "grievance"
        yield self._prep_targets(actors, verb, VERB_TARGET_PREPS), "prep-object"
        for c in objs:
            # The author of the object act or proposal: "condemned the Russian invasion of
            # Ukraine" -> RUS; "welcomed Iran's offer" -> IRN; "rejected the proposal by the EU".
            if not any(g.dep_ == "poss" and g.lower_ in OWN_POSS for g in c.children):
                yield self._content_author(actors, c) or self._modifier_actors(actors, c), "author-of-object"
            yield self._prep_targets(actors, c, NOUN_TARGET_PREPS), "object's-prep"
        if depth == 0:
            # "demanded that the US cancel ...", "urged that Iran ...": the addressee is the subject
            # of the clause that says what they must do.
            for c in verb.children:
                if c.dep_ == "ccomp":
                    for g in c.children:
                        if g.dep_ in ("nsubj", "nsubjpass"):
                            yield (self._actors(actors, g) if self._addressee_clause(verb) else []), "clause-subject"
            # The act committed to or consumed: "offered to hand over X to Britain", "agreed to US
            # mediation", "agreed to lift embargoes on Iran".
            for c in verb.children:
                if c.dep_ in ("xcomp", "ccomp") or (c.dep_ == "prep" and c.i in consumed):
                    comps = [c] if c.dep_ != "prep" else [p for p in c.children if p.dep_ in ("pobj", "pcomp")]
                    for comp in comps:
                        if comp.pos_ in ("NOUN", "PROPN"):
                            yield self._modifier_actors(actors, comp), "complement-author"
                            yield self._prep_targets(actors, comp, NOUN_TARGET_PREPS), "complement-prep"
                        elif comp.dep_ != "ccomp" or comp.i in consumed:
                            for found, how in self._verb_target_candidates(actors, comp, consumed, depth + 1, own):
                                yield found, f"complement-{how}"

    @staticmethod
    def _with_sentence_country(actors: ArticleActors, a: Actor) -> Actor:
        iso = actors.person_country_from_sentence(a)
        if iso is None:
            return a
        return Actor(text=a.text, name=a.name, country=iso, sector=a.sector, code=iso + a.sector, span=a.span)

    def _condition_subjects(self, actors: ArticleActors, trigger) -> list:
        """Subjects of "if/unless" clauses attached to the trigger or its complement."""
        heads = [trigger] + [c for c in trigger.children if c.dep_ in ("xcomp", "ccomp")]
        for h in heads:
            for c in h.children:
                if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children):
                    for g in c.children:
                        if g.dep_ in ("nsubj", "nsubjpass"):
                            found = self._actors(actors, g)
                            if found:
                                return found
        return []

    def _root_of(self, verb) -> str:
        entry = self.match(verb, "V")
        return entry.cameo[:2] if entry is not None else ""

    def _addressee_clause(self, verb) -> bool:
        entry = self.match(verb, "V")
        return entry is not None and entry.cameo[:2] in ("02", "10", "11", "13")

    def _verb_targets(self, actors: ArticleActors, verb, consumed: set, sources=()) -> tuple[list, str]:
        own = frozenset(s.country for s in sources if s.country)
        for found, how in self._verb_target_candidates(actors, verb, consumed, own=own):
            found = [a for a in found if not any(_same(a, s) for s in sources)]
            if found:
                return found, how
        return [], "none"

    @staticmethod
    def _governing_verb(noun):
        """The verb that takes an event noun as its object ("held talks"), or as the object of
        its preposition ("participate in the meeting", "took part in talks"); None otherwise."""
        tok = noun
        while tok.dep_ == "conj" and tok.head.i != tok.i:
            tok = tok.head
        if tok.dep_ == "compound" and tok.head.pos_ == "NOUN":
            tok = tok.head  # "launched a mediation effort", "suspended the aid programme"
        if tok.dep_ in ("dobj", "attr", "oprd", "nsubjpass"):
            return tok.head if tok.head.pos_ in ("VERB", "AUX") else None
        if tok.dep_ == "pobj" and tok.head.dep_ == "prep":
            prep = tok.head
            gov = prep.head
            if prep.lower_ in BACKGROUND_PREPS or prep.lower_ in ("as", "like"):
                return None  # "it came after an attack": background, not the verb's own act
            if gov.pos_ in ("VERB", "AUX"):
                return gov
            # "gave 5 million dollars of aid", "sent tons of food aid": a measure noun in between
            if prep.lower_ == "of" and gov.dep_ in ("dobj", "attr") and gov.head.pos_ == "VERB" and (
                    gov.like_num or any(c.like_num or c.pos_ == "NUM" for c in gov.children)):
                return gov.head
            if gov.lemma_ in ("part", "role") and gov.dep_ == "dobj" and gov.head.pos_ == "VERB":
                return gov.head
        return None

    # ---- places and dates -------------------------------------------------------------------------
    def _lookup(self, text: str) -> Optional[Location]:
        """The place `text` names, in the sense the story supports: when the name has readings in
        several countries and the default one is not in a country the article names, the reading
        in one it names ("Saint-Denis" near Paris, not in Réunion)."""
        loc = self.gaz.lookup(text)
        story = getattr(self, "_story", None)
        if loc is None or not story or loc.country in story:
            return loc
        for c in self.gaz.candidates(" ".join(text.split())):
            if c.country in story:
                return self.gaz.lookup(text, country=c.country) or loc
        return loc

    def _location(self, toks) -> Optional[Location]:
        """The place of an act: an in/at/near phrase on the act (or its object, or its complement)
        naming a known place, looking one level into a common-noun phrase ("at this jail in
        northern Israel", "at targets in Jericho")."""
        for tok in toks:
            if tok is None:
                continue
            loc = self._place_under(tok, depth=0)
            if loc is not None:
                return loc
        return None

    def _place_of(self, p) -> Optional[Location]:
        """The known place a preposition's object names ("in southern Lebanon"), or None."""
        if p.pos_ == "PROPN" or p.ent_type_ in ("GPE", "LOC", "FAC", "ORG") or any(
                g.pos_ == "PROPN" for g in p.children):
            left = min([p] + [g for g in p.subtree if g.i < p.i and g.dep_ in (
                "compound", "poss", "amod", "det", "case", "nmod")], key=lambda t: t.i)
            return self._lookup(self._text[left.idx: p.idx + len(p.text)])
        return None

    def _sentence_place_country(self, sent) -> Optional[str]:
        """The one country of the places the sentence names after in/at/near/... ("... when they
        blew themselves up in Tel Aviv" -> ISR), when they all agree; None otherwise."""
        found = set()
        for tok in sent:
            if tok.dep_ == "pobj" and tok.head.lower_ in LOCATION_PREPS:
                loc = self._place_of(tok)
                if loc is not None and loc.country:
                    found.add(loc.country)
        return next(iter(found)) if len(found) == 1 else None

    def _deep_place(self, trigger) -> Optional[Location]:
        """The first known place in the trigger's object and prepositional phrases, up to two
        phrases deep, not entering clauses."""
        frontier = [trigger]
        for _ in range(5):  # dependency levels: two prepositional phrases deep
            nxt = []
            for tok in frontier:
                for c in tok.children:
                    if c.dep_ in ("dobj", "prep", "pobj", "xcomp", "dative", "acl") and c.pos_ != "VERB" or (
                            c.dep_ in ("xcomp", "acl") and tok.i == trigger.i):
                        if c.dep_ == "pobj" and (c.pos_ == "PROPN" or c.ent_type_ in ("GPE", "LOC")):
                            left = min([c] + [g for g in c.subtree if g.i < c.i and g.dep_ in (
                                "compound", "amod", "det")], key=lambda t: t.i)
                            loc = self._lookup(self._text[left.idx: c.idx + len(c.text)])
                            if loc is not None:
                                return loc
                        nxt.append(c)
            frontier = nxt
        return None

    def _place_under(self, tok, depth: int) -> Optional[Location]:
        for c in tok.children:
            if c.dep_ != "prep" or c.lower_ not in LOCATION_PREPS:
                continue
            for p in c.children:
                if p.dep_ != "pobj":
                    continue
                loc = self._place_of(p)
                if loc is not None:
                    return loc
                if depth == 0 and p.pos_ == "NOUN":
                    loc = self._place_under(p, depth + 1)
                    if loc is not None:
                        return loc
        return None

    def event_time(self, tok, published: Optional[str], status: str, sent=None):
        """The event's date, its precision and whether it is a reference (events/timing.py)."""
        from .lexicon import word_classes
        from .timing import EventTime, event_time

        if self.resolve_date is not _DEFAULT_RESOLVER:  # a caller's own date resolver
            d = self.resolve_date(self._clause_text(tok), published, future=status == "planned") or published
            return EventTime(d, "day" if d else "none", False)
        cls = word_classes()
        return event_time(tok, published, future=status == "planned", standing=cls.get("standing", frozenset()),
                          establish=cls.get("establish", frozenset()), sent=sent)

    @staticmethod
    def _clause_text(tok) -> str:
        """The words of the trigger's clause (the nearest verb's subtree minus embedded clauses)."""
        clause = tok
        while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
            clause = clause.head
        words = []
        skip = set()
        for c in clause.children:
            if c.dep_ in ("ccomp", "advcl", "relcl", "parataxis") and c.i != tok.i and not (c.left_edge.i <= tok.i <= c.right_edge.i):
                skip.update(t.i for t in c.subtree)
        for t in clause.subtree:
            if t.i not in skip:
                words.append(t.text_with_ws)
        return "".join(words)

    # ---- main ----------------------------------------------------------------------------------------
    def _triggers(self, sent) -> tuple[list, list]:
        """(verb triggers, noun triggers) of a sentence: (token, lexicon entry) pairs."""
        verbs, nouns = [], []
        for tok in sent:
            lemma = tok.lemma_.lower()
            if tok.ent_type_ in NON_TRIGGER_ENTS or (tok.dep_ == "prep" and tok.pos_ != "VERB") or (
                    tok.lower_ == "according"):
                continue  # "March 6", "according to"
            if lemma in self.verb_heads and self._is_verbal(tok):
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
        over-approximates `sentence_frames` (entities only ever rule a trigger out)."""
        self._matched = {}
        verbs, nouns = self._triggers(sent)
        if any("report" not in e.flags for _, e in verbs) or nouns:
            return True
        return any(tok.pos_ in ("VERB", "AUX") and tok.dep_ == "ccomp" and _obligation(tok)
                   and tok.head.lemma_.lower() in OBLIGATION_REPORTERS for tok in sent)

    def sentence_frames(self, actors: ArticleActors, sent) -> list[Frame]:
        self._text = actors.text  # the article text, for place names (Doc.text is rebuilt per read)
        self._story = actors.story_countries()
        self._matched = {}
        frames: list[Frame] = []
        consumed: set[int] = set()
        verbs, nouns = self._triggers(sent)
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
        for tok, entry in verbs:
            if tok.i in consumed:
                continue
            if "report" in entry.flags:
                continue
            code = entry.cameo
            rule = f"V:{entry.head}{'+' + '+'.join(entry.requires) if entry.requires else ''}"
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
                if comp_code and entry.cameo in ("130", "13") and comp_code[:2] in THREAT_BY_ROOT:
                    code = THREAT_BY_CODE.get(comp_code, THREAT_BY_ROOT[comp_code[:2]])
                    rule += f"+threat({comp_code})"
            if "intent" not in entry.flags and entry.cameo[:2] == "03":
                # "agreed to strengthen cooperation" matched as one entry: the complement is part of it
                self._complement_code(tok, verb_by_i, noun_by_i, consumed)
            if "intent" in entry.flags:
                comp_code = self._complement_code(tok, verb_by_i, noun_by_i, consumed)
                if comp_code:
                    intent = self.ont.intent_code(comp_code)
                    if intent:
                        code = intent
                        rule += f"+intent({comp_code})"
            sources, how_s = self._subject(actors, tok)
            targets, how_t = self._verb_targets(actors, tok, consumed, sources)
            if entry.head in PROPOSAL_LEMMAS and sources:
                actors.last_proposer = sources[0]
            frames.append(Frame(tok, entry, code, sources, targets, f"{rule} src={how_s} tgt={how_t}",
                                reciprocal=self._reciprocal(entry, code),
                                location=self._location([tok] + [c for c in tok.children if c.dep_ == "dobj"]
                                                        + [g for c in tok.children if c.dep_ == "xcomp"
                                                           for g in [c, *c.children] if g.dep_ in ("xcomp", "dobj")])))

        # "X said Y must/should Z": X demands that Y do Z (CAMEO 10x), whether or not Z is itself
        # an act in the lexicon; Z is the content of the demand, not an act of Y's.
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX") or tok.dep_ not in ("ccomp", "conj"):
                continue
            if not _obligation(tok):
                continue
            rep = tok.head if tok.dep_ == "ccomp" else None
            if rep is None or rep.lemma_.lower() not in OBLIGATION_REPORTERS:
                continue
            if rep.i in verb_by_i and "report" not in verb_by_i[rep.i].flags:
                continue  # "demanded that Y must ..." is coded by the demand verb itself
            speakers, how_s = self._subject(actors, rep)
            addressees = [a for a in self._subject(actors, tok)[0]]
            if not speakers or not addressees:
                continue
            inner = verb_by_i.get(tok.i)
            inner_code = inner.cameo if inner is not None else ""
            code = DEMAND_BY_CODE.get(inner_code[:3], DEMAND_BY_ROOT.get(inner_code[:2], "100"))
            consumed.add(tok.i)
            frames = [f for f in frames if f.trigger.i != tok.i]
            entry = TriggerEntry("V", tok.lemma_.lower(), (), code, frozenset(), "obligation")
            frames.append(Frame(tok, entry, code, speakers, addressees,
                                f"obligation({tok.lemma_}) src=reporter:{how_s} tgt=clause-subject",
                                location=self._location([tok])))

        for tok, entry in nouns:
            if tok.i in consumed or "report" in entry.flags:
                continue
            rule = f"N:{entry.head}{'+' + '+'.join(entry.requires) if entry.requires else ''}"
            sources, targets = [], []
            how_s = how_t = "none"
            between = []
            for c in tok.children:
                if c.dep_ == "poss":
                    sources = self._actors(actors, c)
                    how_s = "possessor"
                elif c.dep_ in ("compound", "amod", "nmod") and c.lemma_.lower() not in entry.requires:
                    # "the Russian invasion", "a Trump-Putin call" -- not "the naval blockade"
                    found = [a for a in self._actors(actors, c) if a.country or a.name]
                    if found:
                        sources = sources + [a for a in found if a not in sources]
                        how_s = "modifier"
                elif c.dep_ == "prep" and c.lower_ in ("between", "among"):
                    for p in c.children:
                        if p.dep_ == "pobj":
                            between = self._actors(actors, p)
            if between:
                sources, how_s = between, "between"
            targets = self._prep_targets(actors, tok, NOUN_TARGET_PREPS)
            if targets:
                how_t = "noun-prep"
            elif tok.i in noun_content:
                for g in noun_content[tok.i].children:
                    if g.dep_ in ("nsubj", "nsubjpass"):
                        targets = self._actors(actors, g)
                        how_t = "content-clause-subject"
            if not sources:
                gov = self._governing_verb(tok)
                if gov is not None and gov.i not in verb_by_i and gov.lemma_.lower() not in NOUN_GOV_BLOCK:
                    from_report = gov.lemma_.lower() in REPORTING_LEMMAS
                    if not from_report or targets:
                        sources, how_s = self._subject(actors, gov)
                        how_s = f"governing-verb({gov.lemma_}):{how_s}"
                elif gov is not None and gov.i in verb_by_i and "report" in verb_by_i[gov.i].flags and targets:
                    sources, how_s = self._subject(actors, gov)
                    how_s = f"governing-verb({gov.lemma_}):{how_s}"
            if sources and targets:
                targets = [t for t in targets if not any(_same(t, s) for s in sources)]
            if entry.head in PROPOSAL_LEMMAS and sources:
                actors.last_proposer = sources[0]
            gov = self._governing_verb(tok)
            frames.append(Frame(tok, entry, entry.cameo, sources, targets,
                                f"{rule} src={how_s} tgt={how_t}",
                                reciprocal=self._reciprocal(entry, entry.cameo),
                                location=self._location([tok, gov])))
        return frames

    def _reciprocal(self, entry: TriggerEntry, code: str) -> bool:
        return "reciprocal" in entry.flags or code[:2] in RECIPROCAL_ROOTS and code[:3] in (
            "036", "040", "041", "044", "046", "057", "030", "031", "032", "061", "062", "063", "064")

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

    def extract(self, doc, article_id: str, published: Optional[str], actors: ArticleActors) -> list[Event]:
        events: list[Event] = []
        for si, sent in enumerate(doc.sents):
            actors.start_sentence(sent, si)
            if len(sent.text) > MAX_SENT_CHARS:
                continue
            for fr in self.sentence_frames(actors, sent):
                events.extend(self._events(fr, doc, si, sent, article_id, published, actors))
        return events

    def _events(self, fr: Frame, doc, si, sent, article_id, published, actors: ArticleActors) -> list[Event]:
        sources = [self._with_sentence_country(actors, a) for a in _dedupe(fr.sources)]
        targets = [self._with_sentence_country(actors, a) for a in _dedupe(fr.targets)]
        if not sources and not targets:
            return []
        status = event_status(fr.trigger)
        code, rule = fr.code, fr.rule
        if status == "negated" and sources and code[:2] in ("03", "04", "05", "06", "07", "08") \
                and commitment_cue(fr.trigger, negated=True):
            # "will not discuss", "would not meet their demands": refusing a cooperative act is
            # itself an act, a rejection (CAMEO 12x), and it did happen.
            code = REJECT_BY_CODE.get(code[:3], REJECT_BY_ROOT.get(code[:2], "120"))
            rule += f" reject({fr.code})"
            status = "occurred"
        elif status in ("planned", "possible") and sources and code[:2] in CONDITIONAL_THREAT_ROOTS \
                and conditional_on(fr.trigger) is not None \
                and (commitment_cue(fr.trigger) or status == "possible"):
            # "will withdraw its force unless ...", "may halt mediation if ...": a conditional
            # announcement of one's own act is a threat (CAMEO 13x)
            code = THREAT_BY_CODE.get(code, THREAT_BY_ROOT.get(code[:2], "130"))
            rule += f" conditional-threat({fr.code})"
            status = "occurred"
        elif status == "planned" and sources and (cue := commitment_cue(fr.trigger)):
            # CAMEO codes an actor's announced future act as intent (03x) when cooperative and as a
            # threat (13x) when conflictual; PLOVER follows (AGREE / THREATEN).
            root = code[:2]
            if root in ("04", "05", "06", "07", "08"):
                intent = self.ont.intent_code(code)
                if intent:
                    code, rule = intent, rule + f" intent({fr.code})"
            elif root in ("18", "19", "20") and cue in PREPARATION_WORDS:
                # "the army prepared to resume shelling": getting ready to fight is a force
                # posture (CAMEO 154), not yet a threat or an attack.
                code = "154"
                rule += f" preparation({fr.code})"
            elif root in THREAT_BY_ROOT:
                code = THREAT_BY_CODE.get(code, THREAT_BY_ROOT[root])
                rule += f" threat({fr.code})"
        info = self.ont.get(code)
        if info is None:
            return []
        when = self.event_time(fr.trigger, published, status, sent)
        rule += (" " + when.why) if when.why else ""
        pairs = actor_pairs(sources, targets, fr.reciprocal)
        tok = fr.trigger
        out = []
        if sources and not targets and code[:2] == "13":
            # A threat is addressed to whoever must act to avert it: "... unless Baghdad accepted",
            # "... if the United States goes ahead".
            cond = self._condition_subjects(actors, fr.trigger)
            if cond:
                pairs = [(s, t) for s, _ in pairs for t in cond if not _same(s, t)]
                rule += " tgt=condition-subject"
        if sources and not targets and code[:2] == "14" and all(t is None for _, t in pairs) \
                and not any(s.sector in ("GOV", "MIL", "COP", "SPY") for s in sources):
            # A protest with no named target is addressed to the government where it takes place
            # (or, failing a place, the protesters' own government): CAMEO/ICEWS convention.
            home = (fr.location.country if fr.location is not None and fr.location.country
                    else next((s.country for s in sources if s.country and len(s.country) == 3), None))
            if home and home not in INTERNATIONAL:
                gov = Actor(text=fr.location.name if fr.location is not None else home, name=None,
                            country=home, sector="GOV", code=home + "GOV")
                pairs = [(s, gov) for s, _ in pairs]
                rule += " tgt=protest-default(government of place)"
        place_for_target = fr.location
        if sources and not targets and place_for_target is None and not fr.reciprocal:
            # "contribute troops to a peacekeeping force in Liberia", "provide aid to refugees
            # fleeing the war in Liberia": a place deeper in the act's own phrases
            place_for_target = self._deep_place(fr.trigger)
        if sources and not targets and place_for_target is not None and place_for_target.country \
                and not fr.reciprocal and all(t is None for _, t in pairs):
            # "lifted a curfew in Montenegro", "arrived in Amman on a visit": with no named target,
            # the country where the act takes place is its target.
            place = Actor(text=place_for_target.name, name=None, country=place_for_target.country,
                          sector=None, code=place_for_target.country)
            pairs = [(s, place) for s, _ in pairs]
            rule += " tgt=location-country"
        place = fr.location.country if fr.location is not None and fr.location.country else None
        if place is None:
            place = self._sentence_place_country(sent)
        pairs = [(_with_country(s, t, place), _with_country(t, s, place)) for s, t in pairs]
        depth = salience_depth(tok)
        for s, t in pairs:
            conf = 0.35 + (0.25 if s is not None and s.country else 0.1 if s is not None else 0.0)
            conf += 0.2 if t is not None and t.country else 0.05 if t is not None else 0.0
            conf += 0.1 if fr.entry.pos == "V" else 0.0
            conf += 0.05 if fr.entry.requires else 0.0
            conf += 0.15 - 0.1 * depth
            out.append(Event(
                article_id=article_id, date=when.date, published=published, source=s, target=t,
                cameo_code=info.code, cameo_root=info.root, cameo_name=info.name,
                goldstein=info.goldstein, quad_class=info.quad_class, plover_type=info.plover_type,
                plover_mode=info.plover_mode, status=status, location=fr.location,
                sentence_index=si, sentence=sent.text.strip(), trigger=tok.text,
                span=(tok.idx, tok.idx + len(tok.text)), confidence=round(min(conf, 1.0), 2),
                rule=rule, date_precision=when.precision, reference=when.reference,
            ))
        return out


REPORTING_LEMMAS = {"say", "tell", "announce", "state", "add", "note", "claim", "report", "confirm",
                    "mention", "indicate", "suggest", "write", "declare", "insist", "argue", "explain",
                    "reveal", "disclose", "acknowledge", "admit", "assert", "stress", "emphasize",
                    "emphasise", "observe", "remark", "comment", "describe", "recall", "believe",
                    "think", "know", "hear", "learn", "see", "show", "expect"}


OBLIGATION_REPORTERS = REPORTING_LEMMAS | {"insist", "demand", "warn", "urge", "conclude", "reiterate",
                                           "maintain", "stress", "underline", "remind", "declare"}


def _obligation(verb) -> bool:
    """Does the clause say its subject must or should act ("must hand over", "has to leave")?"""
    for c in verb.children:
        if c.dep_ == "aux" and c.lower_ in ("must", "should", "ought"):
            return True
    # "has to leave": have (head) + xcomp
    return False


BACKGROUND_PREPS = {"after", "following", "before", "during", "despite", "amid", "amidst", "over",
                    "since", "until", "wake", "response", "retaliation", "because", "due", "protest"}


def salience_depth(tok) -> float:
    """How deeply the trigger is embedded below the sentence's main act (GDELT's IsRootEvent):
    0 for the main verb, the complement of a main reporting verb, or their objects; +1 for each
    adverbial, relative or non-reported clausal boundary; +0.5 for a noun in a prepositional adjunct."""
    depth = 0.0
    steps = 0
    while tok.head.i != tok.i and steps < 12:
        dep, head = tok.dep_, tok.head
        if dep in ("advcl", "relcl", "acl", "csubj", "parataxis"):
            depth += 1
        elif dep == "ccomp" and head.lemma_.lower() not in REPORTING_LEMMAS:
            depth += 1
        elif dep == "pobj" and head.dep_ == "prep" and steps <= 1 and (
                head.lower_ in BACKGROUND_PREPS or head.head.lower_ in BACKGROUND_PREPS):
            depth += 1.5  # "after the attack", "in the wake of the execution": background
        elif dep == "pobj" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX") and steps == 0:
            depth += 0.5
        tok = head
        steps += 1
    return depth


INTERNATIONAL = {"IGO", "NGO", "IMG", "UNO", "EUR", "MNC"}


def _with_country(a: Optional[Actor], other: Optional[Actor], place: Optional[str] = None) -> Optional[Actor]:
    """An unnamed actor known only by sector ("the rebels", "police", "12 people") takes the
    country where the event happens, else its co-actor's country: most such events are local or
    domestic. Named people are left alone."""
    if a is None or a.country or not a.sector or a.name:
        return a
    country = place if place and place not in INTERNATIONAL else None
    if country is None and other is not None and other.country and len(other.country) == 3 \
            and other.country not in INTERNATIONAL:
        country = other.country
    if country is None:
        return a
    return Actor(text=a.text, name=a.name, country=country, sector=a.sector,
                 code=country + a.sector, span=a.span)


def actor_pairs(sources: list, targets: list, reciprocal: bool) -> list:
    """(source, target) pairs of a frame: one per source x target (an actor is never its own
    target); a reciprocal act of several sources and no target gives one record per direction."""
    if len(sources) >= 2 and not targets and reciprocal:
        return [(a, b) for a in sources for b in sources if a is not b and not _same(a, b)]
    return [(s, t) for s in sources or [None] for t in targets or [None]
            if s is None or t is None or not _same(s, t)]


def _same(a: Actor, b: Actor) -> bool:
    if a.name and b.name:
        return a.name == b.name
    return a.code == b.code and a.name == b.name and a.text == b.text


def _dedupe(actors: list) -> list:
    out = []
    for a in actors:
        if a is None:
            continue
        if not any(_same(a, b) for b in out):
            out.append(a)
    return out

"""Record assembly: Event records from a candidate frame.

Per frame: the status of the act (events/status.py) and what it makes of the code
(events/recode.py); the date (events/timing.py); one (source, target) pair per source x target, a
reciprocal act of several sources giving one record per direction; default targets when none is
named (whoever must act to avert a threat, the government where a protest takes place, the country
where the act takes place); unnamed actors take the country of the place or of their co-actor; and
the rule-weighted confidence.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ..dates import resolve_date as _DEFAULT_RESOLVER
from ..model import Actor, Event
from ..places import PlaceFinder
from .arguments import BACKGROUND_PREPS, ArgumentFinder, same_actor
from .ontology import Ontology
from .recode import recode
from .status import event_status
from .triggers import REPORTING_LEMMAS
from .words import codes

if TYPE_CHECKING:  # the resolver is passed in, never built here
    from ..actors.resolve import ActorResolver

INTERNATIONAL = codes("international")
STATE_SECTORS = codes("state_sectors")  # their "protest" gets no default government target


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


def with_country(a: Optional[Actor], other: Optional[Actor], place: Optional[str] = None) -> Optional[Actor]:
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


def with_sentence_country(actors: "ActorResolver", a: Actor) -> Actor:
    """A person without a country takes the one the sentence gives them (the resolver decides)."""
    iso = actors.person_country_from_sentence(a)
    if iso is None:
        return a
    return Actor(text=a.text, name=a.name, country=iso, sector=a.sector, code=iso + a.sector, span=a.span)


def actor_pairs(sources: list, targets: list, reciprocal: bool) -> list:
    """(source, target) pairs of a frame: one per source x target (an actor is never its own
    target); a reciprocal act of several sources and no target gives one record per direction."""
    if len(sources) >= 2 and not targets and reciprocal:
        return [(a, b) for a in sources for b in sources if a is not b and not same_actor(a, b)]
    return [(s, t) for s in sources or [None] for t in targets or [None]
            if s is None or t is None or not same_actor(s, t)]


def dedupe(actors: list) -> list:
    """The actors without None and without repeats (`same_actor`), in order."""
    out = []
    for a in actors:
        if a is None:
            continue
        if not any(same_actor(a, b) for b in out):
            out.append(a)
    return out


def confidence(s: Optional[Actor], t: Optional[Actor], entry, depth: float) -> float:
    """The rules' own confidence in a record: named and located actors, a verb trigger, a specific
    lexicon row, and the trigger's salience in the sentence."""
    conf = 0.35 + (0.25 if s is not None and s.country else 0.1 if s is not None else 0.0)
    conf += 0.2 if t is not None and t.country else 0.05 if t is not None else 0.0
    conf += 0.1 if entry.pos == "V" else 0.0
    conf += 0.05 if entry.requires else 0.0
    conf += 0.15 - 0.1 * depth
    return round(min(conf, 1.0), 2)


def clause_text(tok) -> str:
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


class EventAssembler:
    """Turns candidate frames into Event records (see the module docstring)."""

    def __init__(self, ontology: Ontology, arguments: ArgumentFinder, places: PlaceFinder,
                 date_resolver=None):
        self.ont = ontology
        self.args = arguments
        self.places = places
        self.resolve_date = date_resolver or _DEFAULT_RESOLVER

    def event_time(self, tok, published: Optional[str], status: str, sent=None):
        """The event's date, its precision and whether it is a reference (events/timing.py)."""
        from .lexicon import word_classes
        from .timing import EventTime, event_time

        if self.resolve_date is not _DEFAULT_RESOLVER:  # a caller's own date resolver
            d = self.resolve_date(clause_text(tok), published, future=status == "planned") or published
            return EventTime(d, "day" if d else "none", False)
        cls = word_classes()
        return event_time(tok, published, future=status == "planned", standing=cls.get("standing", frozenset()),
                          establish=cls.get("establish", frozenset()), sent=sent)

    def events(self, fr, doc, si, sent, article_id, published, actors: "ActorResolver") -> list[Event]:
        """The records of one candidate frame (`frames.Frame`) of sentence `si`."""
        sources = [with_sentence_country(actors, a) for a in dedupe(fr.sources)]
        targets = [with_sentence_country(actors, a) for a in dedupe(fr.targets)]
        if not sources and not targets:
            return []
        code, status, note = recode(fr.trigger, fr.code, event_status(fr.trigger), bool(sources), self.ont)
        rule = fr.rule + note
        info = self.ont.get(code)
        if info is None:
            return []
        when = self.event_time(fr.trigger, published, status, sent)
        rule += (" " + when.why) if when.why else ""
        pairs, how = self.default_targets(fr, code, sources, targets, actors)
        rule += how
        place = fr.location.country if fr.location is not None and fr.location.country else None
        if place is None:
            place = self.places.sentence_place_country(sent)
        pairs = [(with_country(s, t, place), with_country(t, s, place)) for s, t in pairs]
        tok = fr.trigger
        depth = salience_depth(tok)
        return [Event(
            article_id=article_id, date=when.date, published=published, source=s, target=t,
            cameo_code=info.code, cameo_root=info.root, cameo_name=info.name,
            goldstein=info.goldstein, quad_class=info.quad_class, plover_type=info.plover_type,
            plover_mode=info.plover_mode, status=status, location=fr.location,
            sentence_index=si, sentence=sent.text.strip(), trigger=tok.text,
            span=(tok.idx, tok.idx + len(tok.text)), confidence=confidence(s, t, fr.entry, depth),
            rule=rule, date_precision=when.precision, reference=when.reference,
        ) for s, t in pairs]

    def default_targets(self, fr, code: str, sources: list, targets: list,
                        actors: "ActorResolver") -> tuple[list, str]:
        """(source, target) pairs of the frame (its act now coded `code`), with a default target
        when none is named, and the note for the rule (" tgt=...", empty when none was added)."""
        pairs = actor_pairs(sources, targets, fr.reciprocal)
        note = ""
        if sources and not targets and code[:2] == "13":
            # A threat is addressed to whoever must act to avert it: "... unless Baghdad accepted",
            # "... if the United States goes ahead".
            cond = self.args.condition_subjects(actors, fr.trigger)
            if cond:
                pairs = [(s, t) for s, _ in pairs for t in cond if not same_actor(s, t)]
                note += " tgt=condition-subject"
        if sources and not targets and code[:2] == "14" and all(t is None for _, t in pairs) \
                and not any(s.sector in STATE_SECTORS for s in sources):
            # A protest with no named target is addressed to the government where it takes place
            # (or, failing a place, the protesters' own government): CAMEO/ICEWS convention.
            home = (fr.location.country if fr.location is not None and fr.location.country
                    else next((s.country for s in sources if s.country and len(s.country) == 3), None))
            if home and home not in INTERNATIONAL:
                gov = Actor(text=fr.location.name if fr.location is not None else home, name=None,
                            country=home, sector="GOV", code=home + "GOV")
                pairs = [(s, gov) for s, _ in pairs]
                note += " tgt=protest-default(government of place)"
        place_for_target = fr.location
        if sources and not targets and place_for_target is None and not fr.reciprocal:
            # "contribute troops to a peacekeeping force in Liberia", "provide aid to refugees
            # fleeing the war in Liberia": a place deeper in the act's own phrases
            place_for_target = self.places.deep_place(fr.trigger)
        if sources and not targets and place_for_target is not None and place_for_target.country \
                and not fr.reciprocal and all(t is None for _, t in pairs):
            # "lifted a curfew in Montenegro", "arrived in Amman on a visit": with no named target,
            # the country where the act takes place is its target.
            place = Actor(text=place_for_target.name, name=None, country=place_for_target.country,
                          sector=None, code=place_for_target.country)
            pairs = [(s, place) for s, _ in pairs]
            note += " tgt=location-country"
        return pairs, note

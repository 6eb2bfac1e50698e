"""The learned event stage: the rules propose, the model decides.

Per sentence, the rule frame extractor runs as before and its frames become features; then every
trigger candidate (`features.py`) is scored by the trigger model (event or not, and which PLOVER
type), and for each accepted trigger every actor mention of the sentence is scored by the argument
model (source, target or neither). The record takes the rule's CAMEO code, status and place when a
rule fired on the same token with the same type, and otherwise the type's default CAMEO code and the
status cues of `events/status.py`. The confidence is the model's: P(event of that type) times
P(source), times P(target) when there is one. `--explain` shows the rule and the model's scores.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional

from ..actors.mentions import np_tokens
from ..actors.resolve import ActorResolver
from ..layout import doc_dateline_end
from ..events.assemble import actor_pairs, dedupe as _dedupe, with_country as _with_country, with_sentence_country
from ..events.arguments import same_actor as _same
from ..events.frames import FrameExtractor
from ..events.triggers import MAX_SENT_CHARS
from ..events.status import event_status
from ..actors.words import INTERNATIONAL_CODES
from ..model import Actor, Event
from .acts import REACTION_TYPES, ActMemory, inside
from .features import SKIP_ENTS, Mention, TriggerCandidate, argument_features, quoted_tokens, trigger_features
from .linear import LinearModel, tuned

MODEL_DIR = Path(__file__).parent / "data"
NONE = "NONE"
RECIPROCAL_TYPES = {"CONSULT"}
MIN_EVENT_P = 0.05  # trigger candidates less likely than this to be events are not scored further
INTERNATIONAL = INTERNATIONAL_CODES  # codes that name no country (actors/data/actor_words.tsv)
PLACE_ENTS = {"GPE", "LOC", "FAC"}
HOME_MIN = 1
HOME_RATIO = 1.01
HOME_SIDES = ("source", "target")
TRANSNATIONAL_WORDS = {"international", "aid", "humanitarian", "relief", "global", "agencies", "agency"}


@dataclass
class EventModel:
    trigger: LinearModel
    argument: LinearModel
    meta: dict = field(default_factory=dict)
    record: Optional[LinearModel] = None  # calibrated confidence of a decided record

    min_confidence = tuned("min_confidence", 0.3)
    source_threshold = tuned("source_threshold", 0.3)
    raw_floor = tuned("raw_floor", 0.0)
    target_threshold = tuned("target_threshold", 0.4)

    def save(self, directory: str | Path) -> None:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        self.trigger.save(d / "trigger.npz")
        self.argument.save(d / "argument.npz")
        if self.record is not None:
            self.record.save(d / "record.npz")
        (d / "meta.json").write_text(json.dumps(self.meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, directory: str | Path) -> "EventModel":
        d = Path(directory)
        missing = [n for n in ("trigger.npz", "argument.npz", "meta.json") if not (d / n).exists()]
        if missing:
            raise FileNotFoundError(f"{d}: not an eventcoder event model (missing {', '.join(missing)}); "
                                    f"train one with `eventcoder train`")
        meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
        record = LinearModel.load(d / "record.npz") if (d / "record.npz").exists() else None
        return cls(LinearModel.load(d / "trigger.npz"), LinearModel.load(d / "argument.npz"), meta, record)

    @classmethod
    def default(cls) -> Optional["EventModel"]:
        """The model shipped in the package, or None when there is none."""
        if not (MODEL_DIR / "meta.json").exists():
            return None
        return cls.load(MODEL_DIR)


def default_code(ont, plover_type: str) -> Optional[str]:
    """The CAMEO code a learned event of `plover_type` gets when no rule gave one: the root's
    generic code (e.g. 040) when it maps to that type, else the first three-digit code that does."""
    first = None
    for code in ont.codes():
        info = ont.get(code)
        if info.plover_type != plover_type or len(code) != 3:
            continue
        if code.endswith("0"):
            return code
        first = first or code
    return first


class LearnedExtractor:
    """Extracts Event records with the learned model over the rule frames' candidates."""

    def __init__(self, model: Optional[EventModel] = None, rules: Optional[FrameExtractor] = None,
                 min_confidence: Optional[float] = None, candidates_only: bool = False,
                 single_sentence_rules: bool = True):
        """`candidates_only` (the trainer's mode) needs no model and cannot `extract`.
        `single_sentence_rules`: a text of one sentence is coded by the rule frames alone."""
        self.single_sentence_rules = single_sentence_rules
        self.rules = rules or FrameExtractor()
        self.ont = self.rules.ont
        self.model = None if candidates_only else (model or EventModel.default())
        if self.model is None and not candidates_only:
            raise FileNotFoundError("no event model in the package; train one with `eventcoder train`")
        self.min_confidence = float(min_confidence) if min_confidence is not None else (
            self.model.min_confidence if self.model is not None else 0.0)
        self._codes = {t: default_code(self.ont, t) for t in self.ont.plover_types()}
        # candidates whose raw score (before the record model) is below the model's floor are
        # not records at all, whatever --min-confidence says
        self.raw_floor = self.model.raw_floor if self.model is not None else 0.0

    # ---- candidates (shared with the trainer) ----------------------------------------------------
    _n_sents = 0
    _lead_offset = 0

    def begin(self, doc) -> None:
        """Start a document (its length in sentences is a feature: one-sentence inputs differ)."""
        self._n_sents = sum(1 for _ in doc.sents)
        self._acts = ActMemory()
        # a wire dateline is a sentence of its own (nlp.add_dateline_boundary): the story's
        # sentences are counted from the one after it
        end = doc_dateline_end(doc)
        first = next(iter(doc.sents), None)
        self._lead_offset = int(bool(end) and first is not None and first.end_char <= end + 1)
        self._n_sents -= self._lead_offset

    def _lex_type(self, tok) -> Optional[str]:
        for pos in ("V", "N"):
            if pos == "V" and tok.pos_ not in ("VERB", "AUX"):
                continue
            if pos == "N" and tok.pos_ not in ("NOUN", "PROPN", "VERB"):
                continue
            entry = self.rules.match(tok, pos)
            if entry is not None:
                if "report" in entry.flags:
                    return "REPORT"
                info = self.ont.get(entry.cameo)
                return info.plover_type if info is not None and info.plover_type else "NOTYPE"
        return None

    def sentence_candidates(self, actors: ActorResolver, sent, si: int, article_id: str,
                            published: Optional[str]) -> tuple[list, dict]:
        """(trigger candidates, rule events by token index) of one sentence whose mentions the
        resolver has registered (`actors.start_sentence`)."""
        frames = self.rules.sentence_frames(actors, sent)
        rule_events: dict = {}
        for fr in frames:
            evs = self.rules.assembler.events(fr, sent.doc, si, sent, article_id, published, actors)
            if evs:
                rule_events.setdefault(fr.trigger.i, []).extend(evs)
        frame_by_i = {fr.trigger.i: fr for fr in frames}
        mentions_by_i = {}
        for tok in sent:
            found = actors.cache.get(tok.i)
            if found:
                mentions_by_i[tok.i] = Mention(tok, list(found))
        for ent in actors.current_ents:
            # a named place that is not an actor can still be where an act lands ("shelled
            # Kharkiv", "troops entered Goma"): a candidate with the place's country, no sector
            if ent.label_ in PLACE_ENTS and ent.root.i not in mentions_by_i and \
                    ent.start_char >= actors.dateline_end and not any(
                    ent.start <= i < ent.end for i in mentions_by_i):
                loc = self.rules.places.lookup(ent.text)
                if loc is not None and loc.country and loc.country not in INTERNATIONAL:
                    mentions_by_i[ent.root.i] = Mention(ent.root, [Actor(
                        text=ent.text, name=None, country=loc.country, sector=None, code=loc.country,
                        span=(ent.start_char, ent.end_char))], place=True)
        noun_heads = self.rules.noun_heads
        cands = []
        quoted = None
        for tok in sent:
            if tok.ent_type_ in SKIP_ENTS or tok.is_punct or tok.is_space:
                continue
            pos = tok.pos_
            lemma = tok.lemma_.lower()
            if not (pos == "VERB" or tok.i in frame_by_i or (pos in ("NOUN", "PROPN") and lemma in noun_heads)):
                continue
            lex = self._lex_type(tok)
            evs = rule_events.get(tok.i)
            rtype = evs[0].plover_type if evs else None
            if quoted is None:
                quoted = quoted_tokens(sent)
            feats = trigger_features(tok, lex, rtype, frame_by_i.get(tok.i), mentions_by_i,
                                     max(si - self._lead_offset, 0), tok.i in quoted,
                                     max(e.confidence for e in evs) if evs else None, self._n_sents)
            cands.append(TriggerCandidate(tok, feats, frame_by_i.get(tok.i), rtype, lex if lex not in (
                "REPORT", "NOTYPE") else None, list(mentions_by_i.values())))
        return cands, rule_events

    def argument_rows(self, cand: TriggerCandidate, ptype: str, rule_evs: Optional[list]) -> list:
        """(mention, features) for every mention of the sentence other than the trigger itself."""
        rows = []
        rule_src, rule_tgt = [], []
        for ev in rule_evs or []:
            if ev.plover_type == ptype:
                if ev.source is not None and ev.source.span:
                    rule_src.append(ev.source.span)
                if ev.target is not None and ev.target.span:
                    rule_tgt.append(ev.target.span)
        for m in cand.args:
            if m.token.i == cand.token.i:
                continue
            spans = [a.span for a in m.actors if a.span]
            role = None
            if any(_overlap(s, r) for s in spans for r in rule_src):
                role = "source"
            elif any(_overlap(s, r) for s in spans for r in rule_tgt):
                role = "target"
            rows.append((m, argument_features(cand.token, m, ptype, role, len(cand.args))))
        return rows

    # ---- deciding -------------------------------------------------------------------------------
    def extract(self, doc, article_id: str, published: Optional[str], actors: ActorResolver) -> list[Event]:
        if self.single_sentence_rules and _one_sentence(doc):
            # No story to read: the model's evidence (the story's country, the sentence's place in
            # the lead, earlier mentions) is absent, and no training story is one sentence long.
            # The rule frames, written and measured on one-sentence items, code it.
            return [replace(ev, rule=f"{ev.rule} | one sentence: rules") for ev in
                    self.rules.extract(doc, article_id, published, actors) if ev.confidence >= self.min_confidence]
        events = self._decided(doc, article_id, published, actors, self.raw_floor)
        record = self.model.record
        if record is not None and events:
            probs = record.probs_many([record_features(ev, sc) for ev, sc in events])
            yes = record.classes.index("1")
            for (ev, sc), p in zip(events, probs):
                ev.confidence = round(float(p[yes]), 3)
                ev.rule = f"{ev.rule} record={ev.confidence:.2f}"
        return [ev for ev, _ in events if ev.confidence >= self.min_confidence]

    def scored(self, doc, article_id: str, published: Optional[str], actors: ActorResolver) -> list:
        """(Event, scores) of every decided record before the record model and the confidence
        filter: what the trainer fits the record model on."""
        return self._decided(doc, article_id, published, actors, 0.0)

    def _decided(self, doc, article_id, published, actors: ActorResolver, floor: float) -> list:
        self.rules.places.text = actors.text
        self.begin(doc)
        events: list = []
        for si, sent in enumerate(doc.sents):
            actors.start_sentence(sent, si)
            if len(sent.text) > MAX_SENT_CHARS:
                continue
            cands, rule_events = self.sentence_candidates(actors, sent, si, article_id, published)
            if cands:
                events.extend(self._decide(cands, rule_events, si, sent, article_id, published, actors, floor))
        home = story_country(actors, self.rules.gaz)
        decided = [(_with_home(ev, home), sc) for ev, sc in events]
        _add_support(decided)
        return decided

    def _decide(self, cands, rule_events, si, sent, article_id, published, actors, floor: float) -> list:
        tm, am = self.model.trigger, self.model.argument
        probs = tm.probs_many([c.features for c in cands])
        none_i = tm.classes.index(NONE)
        src_i, tgt_i = am.classes.index("source"), am.classes.index("target")
        best: dict = {}
        for cand, p in zip(cands, probs):
            p_event = 1.0 - float(p[none_i])
            if p_event < max(floor, MIN_EVENT_P):
                continue  # no record can come of it: skip the argument model (most candidates)
            k = max((i for i in range(len(p)) if i != none_i), key=lambda i: p[i])
            ptype = tm.classes[k]
            p_type = float(p[k])
            rule_evs = [e for e in rule_events.get(cand.token.i, []) if e.plover_type == ptype]
            rows = self.argument_rows(cand, ptype, rule_events.get(cand.token.i))
            sources: list = []
            targets: list = []
            p_src = p_tgt = None
            how = []
            if rows:
                ap = am.probs_many([f for _, f in rows])
                # a named place that is not an actor ("a trial opened in Paris") is where an act
                # lands, never who does it
                doers = [n for n in range(len(rows)) if not rows[n][0].place] or [None]
                si_best = max(doers, key=lambda n: -1.0 if n is None else ap[n][src_i])
                if si_best is not None and ap[si_best][src_i] >= self.model.source_threshold:
                    p_src = float(ap[si_best][src_i])
                    src_m = rows[si_best][0]
                    sources = list(src_m.actors) if src_m.place else actors.resolve_with_conjuncts(src_m.token)
                    how.append(f"src={src_m.token.text}:{p_src:.2f}")
                    # the source's own phrase names no target ("Pakistan's Prime Minister ...
                    # visited": Pakistan is whose minister, not whom he met)
                    skip = {t.i for t in np_tokens(src_m.token)} | {c.i for c in src_m.token.conjuncts}
                else:
                    skip = set()
                order = sorted(range(len(rows)), key=lambda n: -ap[n][tgt_i])
                for n in order:
                    m = rows[n][0]
                    if m.token.i in skip or ap[n][tgt_i] < self.model.target_threshold:
                        continue
                    cand_t = list(m.actors) if m.place else actors.resolve_with_conjuncts(m.token)
                    cand_t = [a for a in cand_t if not any(_same(a, s) for s in sources)]
                    if cand_t:
                        targets = cand_t
                        p_tgt = float(ap[n][tgt_i])
                        how.append(f"tgt={m.token.text}:{p_tgt:.2f}")
                        break
            if not sources and rule_evs and rule_evs[0].source is not None:
                sources = _dedupe([e.source for e in rule_evs if e.source is not None])
                p_src = 0.5
                how.append("src=rule")
            if not targets and rule_evs and p_src is not None:
                # an implicit target the rules inferred and the model cannot see among the
                # sentence's mentions: the author of a rejected proposal, the government of the
                # place of a protest, the country where the act took place
                lo, hi = sent.start_char, sent.end_char
                implicit = [e.target for e in rule_evs if e.target is not None and (
                    not e.target.span or not (lo <= e.target.span[0] < hi))]
                if implicit:
                    targets = _dedupe(implicit)
                    p_tgt = 0.5
                    how.append("tgt=rule")
            if ptype in REACTION_TYPES and sources:
                # "Amnesty condemned the arrests": the target is who made the arrests
                got = self._acts.referred(cand.token, self._lex_type)
                if got is not None:
                    noun, authors = got
                    authors = [a for a in authors if not any(_same(a, s) for s in sources)]
                    if authors and all(inside(t, noun) for t in targets):
                        targets = _dedupe(authors)
                        p_tgt = 0.5
                        how.append(f"tgt=act:{noun.text}")
            sources = [_transnational(with_sentence_country(actors, a)) for a in _dedupe(sources)]
            targets = [_transnational(with_sentence_country(actors, a)) for a in _dedupe(targets)]
            conf = p_event * (p_type / p_event if p_event else 0.0) ** 0.5 * (p_src if p_src is not None else 0.25)
            conf = round(min(conf, 1.0), 3)
            if conf < floor:
                continue
            scores = {"p_event": p_event, "p_type": p_type, "p_src": p_src, "p_tgt": p_tgt,
                      "rule": bool(rule_evs), "raw": conf}
            tok = cand.token
            self._acts.remember(tok, sources, ptype)
            if rule_evs:
                ref = rule_evs[0]
                code, status, location = ref.cameo_code, ref.status, ref.location
                rule = ref.rule
            else:
                code, status, location = self._codes.get(ptype), event_status(tok), None
                rule = f"model:{tok.lemma_.lower()} (no rule)"
                if status == "negated" and ptype == "REJECT":
                    status = "occurred"
            info = self.ont.get(code)
            if info is None:
                continue
            if location is None:
                location = self.rules.places.deep_place(tok)
            when = self.rules.event_time(tok, published, status, sent)
            reciprocal = cand.frame.reciprocal if cand.frame is not None else ptype in RECIPROCAL_TYPES
            pairs = actor_pairs(sources, targets, reciprocal)
            place = location.country if location is not None and location.country else None
            explain = f"{rule} | model {ptype} p={p_type:.2f} event={p_event:.2f} {' '.join(how)}"
            if when.why and when.why not in explain:
                explain += " " + when.why
            for s, t in pairs:
                s2, t2 = _with_country(s, t, place), _with_country(t, s, place)
                ev = Event(
                    article_id=article_id, date=when.date, published=published, source=s2, target=t2,
                    cameo_code=info.code, cameo_root=info.root, cameo_name=info.name,
                    goldstein=info.goldstein, quad_class=info.quad_class, plover_type=info.plover_type,
                    plover_mode=info.plover_mode, status=status, location=location,
                    sentence_index=si, sentence=sent.text.strip(), trigger=tok.text,
                    span=(tok.idx, tok.idx + len(tok.text)), confidence=conf, rule=explain,
                    date_precision=when.precision, reference=when.reference)
                key = (ev.source.code if ev.source else None, ev.target.code if ev.target else None,
                       ev.plover_type, ev.status)
                if key not in best or best[key][0].confidence < conf:
                    best[key] = (ev, scores)
        return sorted(best.values(), key=lambda es: (es[0].span[0], es[0].confidence))


def _one_sentence(doc) -> bool:
    """Is the text a single sentence (a headline, a manual's example, one wire line)? A wire
    dateline before it is not a sentence of the text."""
    n = 0
    end = doc_dateline_end(doc)
    for sent in doc.sents:
        if end and sent.end_char <= end + 1:
            continue
        if any(t.is_alpha for t in sent):
            n += 1
            if n > 1:
                return False
    return n == 1


def story_country(actors: ActorResolver, gazetteer=None) -> Optional[str]:
    """The country the story is about, when one is clear: the country most of its actor mentions
    and place names belong to (at least `HOME_MIN` of them, `HOME_RATIO` times any other's)."""
    counts: dict = {}
    for m in actors.history:
        c = m.actor.country
        if c and len(c) == 3 and c not in INTERNATIONAL:
            counts[c] = counts.get(c, 0) + 1
    if gazetteer is not None:
        mentioned = {m.token_i for m in actors.history}
        for ent in actors.ents:
            if ent.label_ in ("GPE", "LOC", "FAC") and ent.root.i not in mentioned:
                loc = gazetteer.lookup(ent.text)
                if loc is not None and loc.country and loc.country not in INTERNATIONAL:
                    counts[loc.country] = counts.get(loc.country, 0) + 1
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    top, n = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    return top if n >= HOME_MIN and n >= HOME_RATIO * second else None


def _transnational(a: Actor) -> Actor:
    """An unnamed transnational NGO ("international rights groups", "aid agencies") is coded NGO
    before any place or co-actor lends it a country."""
    if a.country or a.sector != "NGO" or not TRANSNATIONAL_WORDS & set(a.text.lower().split()):
        return a
    return Actor(text=a.text, name=a.name, country="NGO", sector="NGO", code="NGONGO", span=a.span)


def _with_home(ev: Event, home: Optional[str]) -> Event:
    """A sector-only actor ("lawmakers", "police", "the government") takes the story's country;
    an unnamed transnational NGO ("international rights groups", "aid agencies") is coded NGO."""
    changed = False
    sides = {}
    for side in HOME_SIDES:
        a = getattr(ev, side)
        if a is None or a.country or not a.sector or a.sector == "UNK":
            continue
        country = home
        if a.sector == "NGO" and TRANSNATIONAL_WORDS & set(a.text.lower().split()):
            country = "NGO"
        if country:
            sides[side] = Actor(text=a.text, name=a.name, country=country, sector=a.sector,
                                code=country + a.sector, span=a.span)
            changed = True
    if not changed:
        return ev
    return replace(ev, event_id="", rule=(ev.rule or "") + f" home-country={home or '-'}", **sides)


def _bin(x: Optional[float], step: float = 0.1) -> str:
    return "none" if x is None else f"{min(int(x / step), int(1 / step) - 1)}"


def record_features(ev: Event, sc: dict) -> list:
    """What the record model (the calibrated confidence) sees of a decided record."""
    s, t = ev.source, ev.target
    f = ["bias", f"pe={_bin(sc['p_event'])}", f"pt={_bin(sc['p_type'])}", f"ps={_bin(sc['p_src'])}",
         f"pg={_bin(sc['p_tgt'])}", f"raw={_bin(sc['raw'], 0.05)}", f"rule={int(sc['rule'])}",
         f"type={ev.plover_type}", f"status={ev.status}",
         f"sc={int(bool(s and s.country))}", f"tc={'none' if t is None else int(bool(t.country))}",
         f"ss={s.sector if s else 'none'}", f"ts={t.sector if t else 'none'}",
         f"si={min(ev.sentence_index, 4)}", f"typeps={ev.plover_type}|{_bin(sc['p_type'], 0.25)}"]
    if s is not None and t is not None and s.country and s.country == t.country:
        f.append("same_country")
    if "support" in sc:  # models trained before these features simply do not know them
        f.append(f"sup={min(sc['support'], 3)}")
        f.append(f"supraw={_bin(sc['support_raw'], 0.1)}")
    return f


def _tuple_key(ev: Event) -> tuple:
    """The story-level tuple a record asserts: (source country, target country, PLOVER type),
    unordered for CONSULT."""
    s = ev.source.country if ev.source is not None else None
    t = ev.target.country if ev.target is not None else None
    if ev.plover_type in RECIPROCAL_TYPES:
        s, t = sorted((s or "", t or ""))
    return s, t, ev.plover_type


def _add_support(decided: list) -> None:
    """How many other records of the story assert the same tuple, and the best raw score among
    them (`support`, `support_raw` in each record's scores): a tuple several sentences assert is
    more likely right than one a single candidate gives."""
    by_key: dict = {}
    for ev, sc in decided:
        by_key.setdefault(_tuple_key(ev), []).append(sc)
    for ev, sc in decided:
        others = [o for o in by_key[_tuple_key(ev)] if o is not sc]
        sc["support"] = len(others)
        sc["support_raw"] = max((o["raw"] for o in others), default=None)


def _overlap(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]

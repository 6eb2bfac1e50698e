"""Train the learned event stage from label files and the texts they point into.

    eventcoder train --labels data/labels/allsides_train.jsonl --texts ../shared/data/allsides/allsides_world.jsonl.gz

Steps: parse each labelled lead, run the rule stage and the candidate generator over it
(`stage.LearnedExtractor.sentence_candidates`), align the labels to candidates (a label's trigger
span to the candidate token in it, its actors' spans to mention tokens), fit the trigger model
(NONE or a PLOVER type per candidate) and the argument model (source / target / none per trigger-
mention pair), pick the confidence and actor thresholds on a held-back tenth of the stories, then
refit on all of them. Everything is seeded; the figures go into the model's ``meta.json``.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import random
import time
from collections import Counter
from pathlib import Path
from typing import Iterable, Optional

from ..leads import lead_of, score_tuples
from . import labels as labelmod
from .linear import LinearModel
from .stage import NONE, EventModel, LearnedExtractor, record_features

TUNE_SHARE = 0.2
SOURCE_THRESHOLDS = (0.1, 0.2, 0.3)
TARGET_THRESHOLDS = (0.0, 0.05, 0.1, 0.2)
RAW_FLOORS = (0.0, 0.1, 0.15, 0.2)
CONFIDENCE_THRESHOLDS = (0.05, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)


def read_texts(paths: Iterable[str | Path], wanted: Optional[set] = None) -> dict[str, dict]:
    """id -> {"text": lead text, "published": ...} from JSON-lines files (``.gz`` too) whose records
    have ``id`` and ``lead`` or ``text`` (a ``text`` is cut to its lead with `leads.lead_of`)."""
    out: dict[str, dict] = {}
    for path in paths:
        opener = gzip.open if str(path).endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                r = json.loads(line)
                rid = str(r.get("id", ""))
                if wanted is not None and rid not in wanted:
                    continue
                text = r.get("lead") if isinstance(r.get("lead"), str) else lead_of(r.get("text") or "")
                out[rid] = {"text": text, "published": (r.get("published") or None) and str(r["published"])[:10]}
    return out


def _in_tune(story_id: str, seed: int) -> bool:
    h = hashlib.sha1(f"{seed}:{story_id}".encode()).digest()
    return h[0] / 256.0 < TUNE_SHARE


def _trigger_token(cands, span):
    inside = [c for c in cands if span[0] <= c.token.idx < span[1]]
    if not inside:
        return None, []
    verbs = [c for c in inside if c.token.pos_ == "VERB"]
    pick = (verbs or inside)[0]
    return pick, inside


def _mention_for(rows, actor, sent):
    """The index of the row whose mention the labelled actor's span covers (the highest in the
    tree when several are); when the labelled words are not in the sentence (the labeller named
    the actor as the story introduced it, the sentence says "he" or "the ministry"), the one
    mention of the sentence resolved to the labelled country and sector, if there is exactly one;
    else None."""
    if actor is None:
        return None
    if actor.span is not None and sent.start_char <= actor.span[0] < sent.end_char:
        s, e = actor.span
        hits = [n for n, (m, _) in enumerate(rows) if s <= m.token.idx < e]
        if hits:
            return min(hits, key=lambda n: len(list(rows[n][0].token.ancestors)))
        return None
    if not actor.country:
        return None
    same = [n for n, (m, _) in enumerate(rows)
            if any(a.country == actor.country and (a.sector == actor.sector or not a.sector) for a in m.actors)]
    return same[0] if len(same) == 1 else None


def story_examples(ext: LearnedExtractor, doc, story, published, stats: Counter):
    """(trigger rows, argument rows) of one labelled story: lists of (features, label)."""
    from ..actors.resolve import ActorResolver

    actors = ActorResolver(doc, published)
    ext.rules.places.text = actors.text
    ext.begin(doc)
    trig_rows, arg_rows = [], []
    events = list(story.events)
    for si, sent in enumerate(doc.sents):
        actors.start_sentence(sent, si)
        cands, rule_events = ext.sentence_candidates(actors, sent, si, story.story_id, published)
        positives: dict = {}
        ignored: set = set()
        for ev in events:
            if not (sent.start_char <= ev.trigger_span[0] < sent.end_char):
                continue
            pick, inside = _trigger_token(cands, ev.trigger_span)
            if pick is None:
                stats["trigger_unaligned"] += 1
                continue
            stats["trigger_aligned"] += 1
            positives.setdefault(pick.token.i, (pick, ev))
            ignored.update(c.token.i for c in inside)
        for c in cands:
            if c.token.i in positives:
                trig_rows.append((c.features, positives[c.token.i][1].plover_type))
            elif c.token.i not in ignored:
                trig_rows.append((c.features, NONE))
        for cand, ev in positives.values():
            rows = ext.argument_rows(cand, ev.plover_type, rule_events.get(cand.token.i))
            if not rows:
                continue
            src = _mention_for(rows, ev.source, sent)
            tgt = _mention_for(rows, ev.target, sent)
            stats["source_aligned" if src is not None else "source_unaligned"] += ev.source is not None
            stats["target_aligned" if tgt is not None else "target_unaligned"] += ev.target is not None
            unsure = set()
            for role, idx in (("source", src), ("target", tgt)):
                a = getattr(ev, role)
                if a is not None and idx is None:  # not found: mentions of that country may be it
                    unsure.update(n for n, (m, _) in enumerate(rows)
                                  if not a.country or any(x.country == a.country for x in m.actors))
            for n, (m, feats) in enumerate(rows):
                if n == src:
                    arg_rows.append((feats, "source"))
                elif n == tgt:
                    arg_rows.append((feats, "target"))
                elif n not in unsure:
                    arg_rows.append((feats, "none"))
    return trig_rows, arg_rows


def label_dicts(story) -> list[dict]:
    """A story's labels as records the story-level scorer reads."""
    out = []
    for ev in story.events:
        out.append({"story_id": story.story_id, "plover_type": ev.plover_type, "status": ev.status,
                    "source": {"country": ev.source.country} if ev.source else None,
                    "target": {"country": ev.target.country} if ev.target else None})
    if not out:
        out.append({"story_id": story.story_id, "no_events": True})
    return out


def train(label_paths: list, text_paths: list, out_dir: str | Path, model_name: Optional[str] = None,
          seed: int = 0, c_trigger: float = 0.5, c_argument: float = 0.5, limit: Optional[int] = None,
          log=print) -> dict:
    from ..nlp import load_model

    random.seed(seed)
    t0 = time.perf_counter()
    stories: dict = {}
    wanted: set = set()
    raw = []
    for lp in label_paths:
        for r in labelmod.read_jsonl(lp):
            wanted.add(str(r.get("story_id")))
        raw.append(lp)
    texts = read_texts(text_paths, wanted)
    for lp in raw:
        for sid, st in labelmod.load(lp, {k: v["text"] for k, v in texts.items()}).items():
            if sid in texts:
                stories.setdefault(sid, labelmod.StoryLabels(sid)).events.extend(st.events)
    ids = sorted(stories)
    if limit:
        ids = ids[:limit]
    if not ids:
        raise ValueError("no labelled story has a text: check --labels and --texts")
    nlp = load_model(model_name)
    ext = LearnedExtractor(candidates_only=True)
    stats: Counter = Counter()
    per_story = {}
    docs = nlp.pipe([texts[i]["text"] for i in ids], batch_size=32)
    for sid, doc in zip(ids, docs):
        per_story[sid] = (doc, story_examples(ext, doc, stories[sid], texts[sid]["published"], stats))
    log(f"parsed {len(ids)} stories in {time.perf_counter() - t0:.0f} s; alignment {dict(stats)}")

    def fit(sids):
        tr = [r for s in sids for r in per_story[s][1][0]]
        ar = [r for s in sids for r in per_story[s][1][1]]
        tm = LinearModel.fit([f for f, _ in tr], [y for _, y in tr], c=c_trigger, seed=seed)
        am = LinearModel.fit([f for f, _ in ar], [y for _, y in ar], c=c_argument, seed=seed)
        return tm, am, len(tr), len(ar)

    tune = [s for s in ids if _in_tune(s, seed)]
    fit_ids = [s for s in ids if not _in_tune(s, seed)] if len(ids) >= 20 else ids
    tm, am, ntr, nar = fit(fit_ids)
    best = {"min_confidence": 0.3, "source_threshold": 0.2, "target_threshold": 0.05, "raw_floor": 0.1}
    tuning: list = []
    record = None
    if tune and len(ids) >= 20:
        best, tuning, record = _tune(tm, am, tune, per_story, texts, stories, seed, log)
    tm, am, ntr, nar = fit(ids)
    meta = dict(best)
    meta.update({"seed": seed, "stories": len(ids), "tune_stories": len(tune), "trigger_rows": ntr,
                 "argument_rows": nar, "alignment": dict(stats), "c_trigger": c_trigger,
                 "c_argument": c_argument, "labels": [str(p) for p in label_paths],
                 "trigger_classes": tm.classes, "trigger_features": len(tm.vocab),
                 "argument_features": len(am.vocab), "tuning_best": [t for t in tuning if all(
                     t[k] == v for k, v in best.items())], "seconds": round(time.perf_counter() - t0, 1)})
    EventModel(tm, am, meta, record).save(out_dir)
    log(f"model written to {out_dir}: {len(tm.vocab)} trigger features, {len(am.vocab)} argument features, "
        f"{meta['seconds']} s")
    return meta


def record_is_right(ev, story) -> bool:
    """Is a decided record right by the labels: a labelled event whose evidence holds the
    record's trigger, of the same type, with the same source and target countries (no country
    matches no country)?"""
    def country(a):
        return (a.country or None) if a is not None else None

    for lab in story.events:
        lo, hi = lab.evidence_span
        if not (lo <= ev.span[0] and ev.span[1] <= hi) or lab.plover_type != ev.plover_type:
            continue
        if country(lab.source) == country(ev.source) and country(lab.target) == country(ev.target):
            return True
        if lab.plover_type == "CONSULT" and country(lab.source) == country(ev.target) \
                and country(lab.target) == country(ev.source):
            return True
    return False


def _tune(tm, am, tune, per_story, texts, stories, seed, log):
    """Pick the actor thresholds and the minimum confidence on the held-back stories, and fit the
    record model (the calibrated confidence: P(the record's story tuple is in the labels)) on
    them, cross-fitted in two halves so the thresholds are chosen on out-of-fold confidences."""
    from ..actors.resolve import ActorResolver

    gold = [d for s in tune for d in label_dicts(stories[s])]
    halves = [[s for n, s in enumerate(tune) if n % 2 == k] for k in (0, 1)]
    best, best_f, best_rows, tuning = None, -1.0, None, []
    for st in SOURCE_THRESHOLDS:
        for tt in TARGET_THRESHOLDS:
            ext = LearnedExtractor(EventModel(tm, am, {"source_threshold": st, "target_threshold": tt,
                                                       "min_confidence": 0.0}), min_confidence=0.0)
            rows = []  # (story, record dict, features, label)
            for sid in tune:
                doc = per_story[sid][0]
                for ev, sc in ext.scored(doc, sid, texts[sid]["published"], ActorResolver(doc, texts[sid]["published"])):
                    d = ev.to_dict()
                    d["article_id"] = sid
                    d["raw"] = sc["raw"]
                    ok = record_is_right(ev, stories[sid])
                    rows.append((sid, d, record_features(ev, sc), "1" if ok else "0"))
            if len({y for *_, y in rows}) < 2:
                continue
            for k in (0, 1):  # out-of-fold confidences
                train_rows = [r for r in rows if r[0] not in set(halves[k])]
                if len({y for *_, y in train_rows}) < 2:
                    continue
                rm = LinearModel.fit([f for _, _, f, _ in train_rows], [y for *_, y in train_rows], c=1.0,
                                     min_count=1, seed=seed)
                held = [r for r in rows if r[0] in set(halves[k])]
                probs = rm.probs_many([f for _, _, f, _ in held])
                for r, p in zip(held, probs):
                    r[1]["confidence"] = float(p[rm.classes.index("1")])
            for floor in RAW_FLOORS:
                for mc in CONFIDENCE_THRESHOLDS:
                    kept = [d for _, d, _, _ in rows if d["confidence"] >= mc and d["raw"] >= floor]
                    m = score_tuples(gold, kept, tune)["dyad_type"]
                    tuning.append({"source_threshold": st, "target_threshold": tt, "raw_floor": floor,
                                   "min_confidence": mc, "precision": round(m["precision"], 4),
                                   "recall": round(m["recall"], 4), "f1": round(m["f1"], 4)})
                    b2 = 0.8 ** 2  # prefer precision a little: F0.8
                    p, r = m["precision"], m["recall"]
                    f = (1 + b2) * p * r / (b2 * p + r) if p + r else 0.0
                    if f > best_f:
                        best_f, best_rows = f, rows
                        best = {"min_confidence": mc, "source_threshold": st, "target_threshold": tt,
                                "raw_floor": floor}
    if best is None:
        return {"min_confidence": 0.3, "source_threshold": 0.2, "target_threshold": 0.05, "raw_floor": 0.1}, \
            tuning, None
    record = LinearModel.fit([f for _, _, f, _ in best_rows], [y for *_, y in best_rows], c=1.0, min_count=1,
                             seed=seed)
    chosen = [t for t in tuning if all(t[k] == v for k, v in best.items())]
    log(f"tuned on {len(tune)} held-back stories: {best} -> {chosen[0] if chosen else ''}")
    return best, tuning, record

"""The PLOVER gold standard records (PLOVER_GSR_CAMEO.txt): loader, prediction, scores, report.

``PLOVER_GSR_CAMEO.txt`` (openeventdata/PLOVER, CC BY-SA 4.0) is a JSON array; the first element is
a DOCUMENT header. Labels are PLOVER v0.5b1 and are mapped to PLOVER 2.0 (`PLOVER_V05_TO_V2`).
"""
from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional, Sequence

from ..model import Event
from ..settings import default
from .metrics import NONE_LABEL, actor_country, label_prf, norm_country, safe_div, top_event
from .runners import code_texts

#: PLOVER v0.5b1 labels that changed in PLOVER 2.0 (the others are unchanged).
PLOVER_V05_TO_V2 = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}

@dataclass
class GoldActor:
    text: str
    code: Optional[str] = None
    sector: Optional[str] = None

    @property
    def country(self) -> Optional[str]:
        return norm_country(self.code)


@dataclass
class GoldRecord:
    record_id: str
    text: str
    event_type: str  # PLOVER 2.0
    raw_event: str  # as in the file (v0.5b1)
    sources: Optional[list[GoldActor]]  # None = no coded source
    targets: Optional[list[GoldActor]]
    date: Optional[str] = None
    mode: Optional[str] = None
    comment: Optional[str] = None

    @property
    def source_countries(self) -> set[str]:
        return {a.country for a in self.sources or [] if a.country}

    @property
    def target_countries(self) -> set[str]:
        return {a.country for a in self.targets or [] if a.country}


def _gold_actors(value: Any) -> Optional[list[GoldActor]]:
    """A gold side: a list of {actorText, code, sector}, null/missing, or (rarely) a plain string.

    A plain string carries no code: an empty one is null; a non-empty one (e.g. "diplomatic", a
    value misplaced from another field) is kept as an actor text without a code. A side with no
    coded actor is scored as a null side (`sources`/`targets` is None)."""
    if value is None:
        return None
    if isinstance(value, str):
        actors = [GoldActor(text=value.strip())] if value.strip() else []
    elif isinstance(value, dict):
        actors = [GoldActor(text=value.get("actorText", ""), code=value.get("code"), sector=value.get("sector"))]
    elif isinstance(value, list):
        actors = []
        for a in value:
            if isinstance(a, dict):
                actors.append(GoldActor(text=a.get("actorText", ""), code=a.get("code"), sector=a.get("sector")))
            elif isinstance(a, str) and a.strip():
                actors.append(GoldActor(text=a.strip()))
    else:
        return None
    if not any(a.country for a in actors):
        return None
    return actors


def load_plover_gsr(path: str | os.PathLike) -> list[GoldRecord]:
    """Read PLOVER_GSR_CAMEO.txt into GoldRecords (DOCUMENT entries skipped, types mapped to 2.0)."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    records = []
    for r in data:
        raw = str(r.get("event") or "").strip().upper()
        if not raw or raw == "DOCUMENT" or not r.get("text"):
            continue
        records.append(GoldRecord(
            record_id=str(r.get("id") or f"gsr-{len(records)}"),
            text=r["text"],
            event_type=PLOVER_V05_TO_V2.get(raw, raw),
            raw_event=raw,
            sources=_gold_actors(r.get("source")),
            targets=_gold_actors(r.get("target")),
            date=r.get("date") or None,
            mode=r.get("mode") or None,
            comment=r.get("comment") or None,
        ))
    return records


@dataclass
class PloverPrediction:
    """What the coder said about one record (built from its events by `plover_prediction`)."""
    event_type: str = NONE_LABEL
    source_country: Optional[str] = None
    target_country: Optional[str] = None
    has_source: bool = False
    has_target: bool = False
    all_types: set = field(default_factory=set)
    source_text: Optional[str] = None
    target_text: Optional[str] = None
    cameo_code: Optional[str] = None
    trigger: Optional[str] = None
    confidence: Optional[float] = None
    error: Optional[str] = None


def plover_prediction(events: Iterable[Event], error: Optional[str] = None) -> PloverPrediction:
    events = list(events)
    ev = top_event(events, require_plover=True)
    all_types = {e.plover_type for e in events if e.plover_type and e.status != "negated"}
    if ev is None:
        return PloverPrediction(all_types=all_types, error=error)
    return PloverPrediction(
        event_type=ev.plover_type,
        source_country=actor_country(ev.source), target_country=actor_country(ev.target),
        has_source=ev.source is not None, has_target=ev.target is not None,
        all_types=all_types,
        source_text=ev.source.text if ev.source else None,
        target_text=ev.target.text if ev.target else None,
        cameo_code=ev.cameo_code, trigger=ev.trigger, confidence=ev.confidence, error=error,
    )


def side_correct(gold: GoldRecord, pred: PloverPrediction, side: str) -> bool:
    """Is the predicted source (side="source") or target right for the record-accuracy rule?

    - gold side coded: the predicted country is one of the gold countries on that side;
    - gold side null: right when the prediction has no actor on that side; for a null gold
      target it is also right when the predicted target is one of the gold sources (a reciprocal
      compound actor, "A and B agreed", which CAMEO codes as A->B and B->A).
    """
    if pred.event_type == NONE_LABEL:
        gold_side = gold.sources if side == "source" else gold.targets
        return gold_side is None
    if side == "source":
        if gold.sources is not None:
            return pred.source_country in gold.source_countries
        return not pred.has_source
    if gold.targets is not None:
        return pred.target_country in gold.target_countries
    if not pred.has_target:
        return True
    return pred.target_country is not None and pred.target_country in gold.source_countries


def score_plover(gold_records: Sequence[GoldRecord], predictions_by_id: Mapping[str, PloverPrediction],
                 errors: int = 0) -> dict:
    """Score predictions against the GSR. A record without a prediction counts as NONE."""
    gold_types, pred_types, details = [], [], []
    src_n = src_ok = tgt_n = tgt_ok = rec_ok = any_ok = type_ok = 0
    failed = 0
    for g in gold_records:
        p = predictions_by_id.get(g.record_id) or PloverPrediction()
        if p.error:
            failed += 1
        gold_types.append(g.event_type)
        pred_types.append(p.event_type)
        t_ok = p.event_type == g.event_type
        type_ok += t_ok
        if g.sources is not None:
            src_n += 1
            src_ok += p.source_country in g.source_countries
        if g.targets is not None:
            tgt_n += 1
            tgt_ok += p.target_country in g.target_countries
        s_ok, d_ok = side_correct(g, p, "source"), side_correct(g, p, "target")
        r_ok = t_ok and s_ok and d_ok
        rec_ok += r_ok
        any_ok += g.event_type in p.all_types
        if not r_ok:
            details.append({
                "id": g.record_id, "text": g.text,
                "gold": {"type": g.event_type, "raw": g.raw_event,
                         "source": sorted(g.source_countries) or None,
                         "target": sorted(g.target_countries) or None},
                "predicted": {"type": p.event_type, "cameo": p.cameo_code, "trigger": p.trigger,
                              "source": p.source_country, "source_text": p.source_text,
                              "target": p.target_country, "target_text": p.target_text,
                              "all_types": sorted(p.all_types), "error": p.error},
                "wrong": [w for w, ok in (("type", t_ok), ("source", s_ok), ("target", d_ok)) if not ok],
            })
    n = len(gold_records)
    types = label_prf(gold_types, pred_types)
    out = {
        "records": n,
        "coder_errors": failed,
        "event_type": types,
        "type_accuracy": safe_div(type_ok, n),
        "source_country_accuracy": {"accuracy": safe_div(src_ok, src_n), "correct": src_ok, "records": src_n},
        "target_country_accuracy": {"accuracy": safe_div(tgt_ok, tgt_n), "correct": tgt_ok, "records": tgt_n},
        "record_accuracy": {"accuracy": safe_div(rec_ok, n), "correct": rec_ok, "records": n},
        "any_event_recall": {"recall": safe_div(any_ok, n), "correct": any_ok, "records": n},
        "confusion": {f"{g}->{p}": c for (g, p), c in
                      Counter((g, p) for g, p in zip(gold_types, pred_types) if g != p).most_common()},
    }
    if errors:
        out["errors"] = details[:errors]
    return out


def format_plover_report(res: dict) -> str:
    t = res["event_type"]
    lines = [f"PLOVER GSR: {res['records']} records"
             + (f" ({res['coder_errors']} failed in the coder)" if res.get("coder_errors") else "")]
    lines.append("")
    lines.append(f"{'type':<12}{'gold':>6}{'pred':>6}{'tp':>5}{'P':>8}{'R':>8}{'F1':>8}")
    for name, m in sorted(t["per_type"].items()):
        lines.append(f"{name:<12}{m['gold']:>6}{m['predicted']:>6}{m['tp']:>5}"
                     f"{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}")
    mi, ma = t["micro"], t["macro"]
    lines.append(f"{'micro':<12}{mi['gold']:>6}{mi['predicted']:>6}{mi['tp']:>5}"
                 f"{mi['precision']:>8.3f}{mi['recall']:>8.3f}{mi['f1']:>8.3f}")
    lines.append(f"{'macro':<12}{'':>6}{'':>6}{'':>5}{ma['precision']:>8.3f}{ma['recall']:>8.3f}{ma['f1']:>8.3f}"
                 f"   (over {ma['types']} gold types)")
    lines.append(f"records with no predicted event: {t['no_prediction']}")
    lines.append("")
    sa, ta = res["source_country_accuracy"], res["target_country_accuracy"]
    ra, ae = res["record_accuracy"], res["any_event_recall"]
    lines.append(f"event type accuracy        {res['type_accuracy']:.3f}")
    lines.append(f"source country accuracy    {sa['accuracy']:.3f}  ({sa['correct']}/{sa['records']} records with a gold source)")
    lines.append(f"target country accuracy    {ta['accuracy']:.3f}  ({ta['correct']}/{ta['records']} records with a gold target)")
    lines.append(f"record accuracy            {ra['accuracy']:.3f}  ({ra['correct']}/{ra['records']}: type, source and target right)")
    lines.append(f"any-event type recall      {ae['recall']:.3f}  ({ae['correct']}/{ae['records']}: gold type among all predicted types)")
    conf = list(res.get("confusion", {}).items())[:8]
    if conf:
        lines.append("most frequent type confusions (gold->predicted): "
                     + ", ".join(f"{k} {v}" for k, v in conf))
    for e in res.get("errors", []):
        lines.append("")
        lines.append(f"[{e['id']}] wrong: {', '.join(e['wrong'])}")
        lines.append(f"  text: {e['text']}")
        g, p = e["gold"], e["predicted"]
        lines.append(f"  gold: {g['type']} ({g['raw']})  source={g['source']}  target={g['target']}")
        lines.append(f"  pred: {p['type']} cameo={p['cameo']} trigger={p['trigger']!r}  "
                     f"source={p['source']} ({p['source_text']!r})  target={p['target']} ({p['target_text']!r})"
                     f"  all={p['all_types']}" + (f"  error={p['error']}" if p["error"] else ""))
    return "\n".join(lines)



def run_plover_gsr(path: str | os.PathLike, model: Optional[str] = None, processes: int = 1,
                   batch_size: int = default("batch_size"), errors: int = 0, limit: Optional[int] = None, coder: Any = None) -> dict:
    gold = load_plover_gsr(path)
    if limit:
        gold = gold[:limit]
    coded = code_texts([(g.record_id, g.text, g.date) for g in gold], model, processes, batch_size, coder)
    preds = {rid: plover_prediction(evs, err) for rid, (evs, err) in coded.items()}
    res = score_plover(gold, preds, errors=errors)
    res["data"] = str(path)
    return res

"""Label files: events located by character offsets in texts that stay where they are.

Two formats are read, one per line:

* the gold format of ``../shared/data/gold`` (``story_id``, ``evidence``, ``trigger``, ``source`` /
  ``target`` with ``text``, ``country``, ``sector``, ``plover_type``, ``status``); words are located in
  the story's text by exact search (the evidence first, the trigger inside it, an actor's words
  inside the evidence or else at the nearest occurrence);
* the offset format the repository keeps (``story_id``, ``trigger_span``, ``evidence_span``, and
  ``span`` instead of ``text`` in the actors): no text at all, so third-party articles stay in
  ``../shared`` and are read through a path.

`to_offsets` turns the first into the second; `load` reads either into `LabelledEvent`s.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from ..leads import LeadsFileError, read_jsonl

TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
         "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
STATUSES = ("occurred", "planned", "possible", "negated")


@dataclass
class LabelledActor:
    span: Optional[tuple[int, int]]
    country: Optional[str]
    sector: Optional[str]


@dataclass
class LabelledEvent:
    story_id: str
    trigger_span: tuple[int, int]
    evidence_span: tuple[int, int]
    plover_type: str
    status: str
    source: Optional[LabelledActor] = None
    target: Optional[LabelledActor] = None


@dataclass
class StoryLabels:
    story_id: str
    events: list = field(default_factory=list)


def _nearest(text: str, words: str, span: tuple[int, int]) -> Optional[tuple[int, int]]:
    """Where `words` occur: inside `span` if they do there, else the occurrence nearest to it
    (ties go to the one before: an actor is usually named before it is referred to)."""
    if not words:
        return None
    i = text.find(words, span[0], span[1])
    if i >= 0:
        return (i, i + len(words))
    best = None
    start = 0
    while True:
        i = text.find(words, start)
        if i < 0:
            break
        d = span[0] - (i + len(words)) if i < span[0] else (i - span[1]) + 0.5
        if best is None or d < best[0]:
            best = (d, i)
        start = i + 1
    return (best[1], best[1] + len(words)) if best else None


def to_offsets(rec: dict, text: str, where: str = "") -> Optional[dict]:
    """A gold-format record as an offset record over `text`; None when its words are not found."""
    if rec.get("no_events"):
        return {"story_id": rec["story_id"], "no_events": True}
    ev = rec.get("evidence") or ""
    i = text.find(ev) if ev else -1
    if i < 0:
        return None
    espan = (i, i + len(ev))
    trig = rec.get("trigger") or ""
    j = text.find(trig, espan[0], espan[1]) if trig else -1
    tspan = (j, j + len(trig)) if j >= 0 else espan
    out = {"story_id": rec["story_id"], "evidence_span": list(espan), "trigger_span": list(tspan),
           "plover_type": rec.get("plover_type"), "status": rec.get("status") or "occurred"}
    for role in ("source", "target"):
        a = rec.get(role)
        if not isinstance(a, dict):
            out[role] = None
            continue
        span = _nearest(text, a.get("text") or "", espan)
        out[role] = {"span": list(span) if span else None, "country": a.get("country"),
                     "sector": a.get("sector")}
    return out


def _actor(d, path, n) -> Optional[LabelledActor]:
    if d is None:
        return None
    if not isinstance(d, dict):
        raise LeadsFileError(f"{path}:{n}: actor is not an object")
    span = d.get("span")
    return LabelledActor(tuple(span) if span else None, (d.get("country") or None), d.get("sector"))


def load(path: str | Path, texts: Optional[dict] = None) -> dict[str, StoryLabels]:
    """Stories and their labelled events. Gold-format records need `texts` (story id -> text) to
    be located; records whose words cannot be found are skipped (counted in `load.skipped`)."""
    stories: dict[str, StoryLabels] = {}
    skipped = 0
    for n, rec in enumerate(read_jsonl(path), 1):
        sid = str(rec.get("story_id", ""))
        if not sid:
            raise LeadsFileError(f"{path}:{n}: no story_id")
        st = stories.setdefault(sid, StoryLabels(sid))
        if rec.get("no_events"):
            continue
        if "trigger_span" not in rec:
            if texts is None or sid not in texts:
                skipped += 1
                continue
            rec = to_offsets(rec, texts[sid], f"{path}:{n}")
            if rec is None:
                skipped += 1
                continue
        ty = rec.get("plover_type")
        if ty not in TYPES:
            raise LeadsFileError(f"{path}:{n}: unknown plover_type {ty!r}")
        status = rec.get("status") or "occurred"
        if status not in STATUSES:
            raise LeadsFileError(f"{path}:{n}: unknown status {status!r}")
        st.events.append(LabelledEvent(sid, tuple(rec["trigger_span"]), tuple(rec["evidence_span"]), ty, status,
                                       _actor(rec.get("source"), path, n), _actor(rec.get("target"), path, n)))
    load.skipped = skipped
    return stories


load.skipped = 0


def write_offsets(records: Iterable[dict], path: str | Path) -> int:
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
    return n

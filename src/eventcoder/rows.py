"""Records and the store's flat rows, both ways (the columns are eventcoder.columns').

    event_row(ev) / quote_row(q) / position_row(p) / article_row(a, n_events, n_quotes)
        a record (eventcoder.model) -> the row the store and the Parquet shards hold
    event_record(row)
        a stored events row -> the contract's nested shape (plus the store's fields), as queries return it
    event_from_row(row) / quote_from_row(row) / position_from_row(row) / article_from_row(row)
        a stored or shard row -> the record again (eventcoder.cluster.load reads shards with these)
"""
from __future__ import annotations

import json
from typing import Optional

from . import dedup as _dedup
from .columns import ACTOR_FIELDS
from .model import Actor, Article, Event, Location, Position, Quote

# what queries add to an event's record from its cluster (eventcoder.query.events)
CLUSTER_FIELDS = ("num_mentions", "num_sources", "num_articles", "first_seen", "last_seen")


# ---------------------------------------------------------------- records -> rows
def _actor_fields(prefix: str, actor) -> dict:
    d = {f"{prefix}_{c}": (getattr(actor, c, None) if actor is not None else None) for c in ACTOR_FIELDS}
    if actor is not None and d[f"{prefix}_text"] is None:
        d[f"{prefix}_text"] = ""
    return d


def _span(span) -> tuple[Optional[int], Optional[int]]:
    if not span:
        return None, None
    try:
        return int(span[0]), int(span[1])
    except (TypeError, ValueError, IndexError):
        return None, None


def event_row(ev: Event) -> dict:
    """Flatten one Event into an `events` row (without cluster_id)."""
    row = {"event_id": ev.event_id, "article_id": ev.article_id, "date": ev.date,
           "published": ev.published, "date_precision": getattr(ev, "date_precision", None),
           "reference": bool(getattr(ev, "reference", False))}
    row.update(_actor_fields("source", ev.source))
    row.update(_actor_fields("target", ev.target))
    row["source_start"], row["source_end"] = _span(getattr(ev.source, "span", None))
    row["target_start"], row["target_end"] = _span(getattr(ev.target, "span", None))
    code = ev.cameo_code or ""
    row.update({
        "cameo_code": ev.cameo_code, "cameo_base": code[:3] or None,
        "cameo_root": ev.cameo_root or (code[:2] or None), "cameo_name": ev.cameo_name,
        "goldstein": None if ev.goldstein is None else float(ev.goldstein),
        "quad_class": None if ev.quad_class is None else int(ev.quad_class),
        "plover_type": ev.plover_type, "plover_mode": ev.plover_mode, "status": ev.status,
        "location_name": ev.location.name if ev.location else None,
        "location_country": ev.location.country if ev.location else None,
        "location_lat": ev.location.lat if ev.location else None,
        "location_lon": ev.location.lon if ev.location else None,
        "sentence_index": ev.sentence_index, "sentence": ev.sentence, "trigger": ev.trigger,
        "confidence": None if ev.confidence is None else float(ev.confidence), "rule": ev.rule,
    })
    row["span_start"], row["span_end"] = _span(ev.span)
    row["ckey"] = _dedup.cluster_key(row)
    row["search_text"] = search_text(row)
    return row


def search_text(row: dict) -> str:
    """What `text=` searches: the sentence and both actors' names and words, lower-cased once at
    insert time so a search does not lower-case every stored row."""
    parts = [row.get("sentence") or ""]
    for side in ("source", "target"):
        parts.append(row.get(f"{side}_name") or row.get(f"{side}_text") or "")
    return "\n".join(parts).lower()


def quote_row(q: Quote) -> dict:
    row = {"quote_id": q.quote_id, "article_id": q.article_id}
    row.update(_actor_fields("speaker", q.speaker))
    row["speaker_start"], row["speaker_end"] = _span(q.speaker_span)
    row["cue_start"], row["cue_end"] = _span(q.cue_span)
    row.update({"cue": q.cue, "content": q.content, "direct": bool(q.direct),
                "content_spans": json.dumps([list(_span(s)) for s in (q.content_spans or [])])})
    return row


def position_row(p: Position) -> dict:
    row = {"position_id": p.position_id, "article_id": p.article_id}
    row.update(_actor_fields("actor", p.actor))
    row["span_start"], row["span_end"] = _span(p.span)
    row.update({"issue": p.issue, "stance": p.stance, "evidence": p.evidence, "date": p.date,
                "responds_to": p.responds_to})
    return row


def article_row(a: Article, n_events: int, n_quotes: int) -> dict:
    return {"article_id": a.article_id, "content_hash": Article.content_id(a.text or ""),
            "title": a.title, "text": a.text, "published": a.published, "url": a.url,
            "source_name": a.source_name, "origin": a.origin, "n_events": n_events,
            "n_quotes": n_quotes}


# ---------------------------------------------------------------- rows -> records
def _has_actor(row: dict, prefix: str) -> bool:
    return row.get(f"{prefix}_text") is not None or row.get(f"{prefix}_code") is not None


def _pair(row: dict, a: str, b: str) -> Optional[tuple]:
    """(row[a], row[b]) when both are set, else None."""
    s, e = row.get(a), row.get(b)
    return (s, e) if s is not None and e is not None else None


def event_record(row: dict) -> dict:
    """A flattened events row back into the contract's nested shape (plus store fields)."""
    def actor(prefix):
        if not _has_actor(row, prefix):
            return None
        d = {k: row.get(f"{prefix}_{k}") for k in ACTOR_FIELDS}
        s, e = row.get(f"{prefix}_start"), row.get(f"{prefix}_end")
        d["span"] = [s, e] if s is not None else None
        return d

    loc = None
    if row.get("location_name") is not None:
        loc = {"name": row["location_name"], "country": row.get("location_country"),
               "lat": row.get("location_lat"), "lon": row.get("location_lon")}
    out = {
        "event_id": row["event_id"], "article_id": row["article_id"], "date": row.get("date"),
        "date_precision": row.get("date_precision"), "reference": bool(row.get("reference")),
        "published": row.get("published"), "source": actor("source"), "target": actor("target"),
        "cameo_code": row.get("cameo_code"), "cameo_root": row.get("cameo_root"),
        "cameo_name": row.get("cameo_name"), "goldstein": row.get("goldstein"),
        "quad_class": row.get("quad_class"), "plover_type": row.get("plover_type"),
        "plover_mode": row.get("plover_mode"), "status": row.get("status"), "location": loc,
        "sentence_index": row.get("sentence_index"), "sentence": row.get("sentence"),
        "trigger": row.get("trigger"), "span": [row.get("span_start"), row.get("span_end")],
        "confidence": row.get("confidence"), "rule": row.get("rule"),
        "cluster_id": row.get("cluster_id"), "event_date": row.get("event_date"),
    }
    for k in CLUSTER_FIELDS:
        if k in row:
            out[k] = row[k]
    return out


def actor_from_row(row: dict, prefix: str, span_prefix: Optional[str] = None) -> Optional[Actor]:
    """The Actor of `prefix`_* columns (None when the row has none), its span from
    `span_prefix`_start/_end (default: the same prefix)."""
    if not _has_actor(row, prefix):
        return None
    sp = span_prefix or prefix
    return Actor(text=row.get(f"{prefix}_text") or "", name=row.get(f"{prefix}_name"),
                 country=row.get(f"{prefix}_country"), sector=row.get(f"{prefix}_sector"),
                 code=row.get(f"{prefix}_code"), span=_pair(row, f"{sp}_start", f"{sp}_end"))


def event_from_row(row: dict) -> Event:
    loc = None
    if row.get("location_name") is not None:
        loc = Location(row["location_name"], row.get("location_country"), row.get("location_lat"),
                       row.get("location_lon"))
    return Event(article_id=row["article_id"], date=row.get("date"), published=row.get("published"),
                 source=actor_from_row(row, "source"), target=actor_from_row(row, "target"),
                 cameo_code=row.get("cameo_code"), cameo_root=row.get("cameo_root"),
                 cameo_name=row.get("cameo_name"), goldstein=row.get("goldstein"),
                 quad_class=row.get("quad_class"), plover_type=row.get("plover_type"),
                 plover_mode=row.get("plover_mode"), status=row.get("status"), location=loc,
                 sentence_index=row.get("sentence_index"), sentence=row.get("sentence"),
                 trigger=row.get("trigger"), span=(row.get("span_start"), row.get("span_end")),
                 confidence=row.get("confidence"), rule=row.get("rule"), event_id=row["event_id"],
                 date_precision=row.get("date_precision") or ("day" if row.get("date") else "none"),
                 reference=bool(row.get("reference")))


def quote_from_row(row: dict) -> Quote:
    try:
        spans = [tuple(s) for s in json.loads(row.get("content_spans") or "[]")]
    except ValueError:
        spans = []
    return Quote(article_id=row["article_id"], speaker=actor_from_row(row, "speaker"), cue=row.get("cue"),
                 content=row.get("content") or "", direct=bool(row.get("direct")),
                 speaker_span=_pair(row, "speaker_start", "speaker_end"),
                 cue_span=_pair(row, "cue_start", "cue_end"), content_spans=spans,
                 quote_id=row["quote_id"])


def position_from_row(row: dict) -> Position:
    sp = (row["span_start"], row["span_end"]) if row.get("span_start") is not None else None
    return Position(article_id=row["article_id"], actor=actor_from_row(row, "actor", "span"),
                    issue=row.get("issue"), stance=row.get("stance"), evidence=row.get("evidence"),
                    date=row.get("date"), span=sp, responds_to=row.get("responds_to"),
                    position_id=row["position_id"])


def article_from_row(row: dict) -> Article:
    return Article(article_id=row["article_id"], text=row.get("text") or "", title=row.get("title"),
                   published=row.get("published"), url=row.get("url"),
                   source_name=row.get("source_name"), origin=row.get("origin"))

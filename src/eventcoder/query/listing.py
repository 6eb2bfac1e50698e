"""Pages of stored rows: events (newest first, optionally one per dedup cluster), the SQL of the
same for readers that take the whole result, an article with the spans of its actors, triggers
and quotes, clusters, positions and issues, publishers.

    events(con, actor="RUS", start="2025-02-01", limit=20)
    article_with_spans(con, "a1")
    positions(con, issue="ceasefire")
"""
from __future__ import annotations

import json
from typing import Optional

from ..columns import record_names
from ..rows import CLUSTER_FIELDS, event_record
from .filters import (MAX_LIMIT, PUBLISHER_SQL, Many, _STANCE, _many, _rows, date_range,
                      event_where, page_size)

EVENT_COLUMNS = record_names("events")
POSITION_COLUMNS = record_names("positions")
_CLUSTER_COLS = ", ".join(f"c.{k}" for k in CLUSTER_FIELDS)


def publishers(con, limit: int = 500) -> list[dict]:
    """Publishers with their number of articles, most prolific first."""
    return _rows(con, f"""
        SELECT {PUBLISHER_SQL} AS publisher, count(*) AS articles FROM articles a
        WHERE {PUBLISHER_SQL} IS NOT NULL AND {PUBLISHER_SQL} <> ''
        GROUP BY 1 ORDER BY articles DESC, publisher LIMIT ?""", [int(limit)])


def events(con, limit: int = 50, offset: int = 0, unique: bool = False, flat: bool = False,
           with_total: bool = True, **filters) -> dict:
    """A page of events matching the filters, newest first.

    `unique=True` returns one event per dedup cluster (its representative mention).
    Returns {"total", "limit", "offset", "events": [...]} with each event in the contract
    shape plus cluster_id and the cluster's num_mentions/num_sources/num_articles.
    """
    limit = max(0, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    where, params = events_filter(unique, filters)
    total = None
    # Two steps: a narrow top-N (ids only) over the filter, then the full rows of the page.
    # Ties on the date are broken by insertion order (rowid: events are never deleted). A text
    # search is costly to evaluate, so its total comes from the same scan (a window count);
    # other filters are cheap and a separate count is faster than the window.
    one_scan = with_total and bool(filters.get("text"))
    found = con.execute(
        f"SELECT e.event_id, {'count(*) OVER ()' if one_scan else 'NULL'} FROM events e WHERE {where} "
        "ORDER BY e.event_date DESC NULLS LAST, e.rowid LIMIT ? OFFSET ?",
        params + [limit, offset]).fetchall()
    ids = [r[0] for r in found]
    if with_total:
        if one_scan and found:
            total = found[0][1]
        else:
            total = con.execute(f"SELECT count(*) FROM events e WHERE {where}", params).fetchone()[0]
    rows = []
    if ids:
        cols = ", ".join(f"p.{c}" for c in EVENT_COLUMNS)
        rows = _rows(con, f"""
            SELECT {cols}, {_CLUSTER_COLS}
            FROM events p LEFT JOIN event_clusters c ON c.cluster_id = p.cluster_id
            WHERE list_contains(?::VARCHAR[], p.event_id)""", [ids])
        order = {i: n for n, i in enumerate(ids)}
        rows.sort(key=lambda r: order[r["event_id"]])
    return {"total": total, "limit": limit, "offset": offset,
            "events": rows if flat else [event_record(r) for r in rows]}


def events_filter(unique: bool, filters: dict) -> tuple[str, list]:
    """The WHERE clause over `events e` of the filters; `unique`: representative mentions only."""
    where, params = event_where(alias="e", **filters)
    if unique:
        where += " AND e.event_id IN (SELECT rep_event_id FROM event_clusters)"
    return where, params


def events_sql(unique: bool = False, limit: Optional[int] = None, offset: int = 0,
               **filters) -> tuple[str, list]:
    """The SQL and parameters of the matching events as flat rows (EVENT_COLUMNS and the
    cluster's counts), in the order of `events` (newest first, ties in insertion order), with no
    cap: `limit=None` is every row. For readers that take the whole result at once (the notebook
    API) rather than a page of records."""
    where, params = events_filter(unique, filters)
    cols = ", ".join(f"e.{c}" for c in EVENT_COLUMNS)
    return (f"SELECT {cols}, {_CLUSTER_COLS} "
            f"FROM events e LEFT JOIN event_clusters c ON c.cluster_id = e.cluster_id WHERE {where} "
            "ORDER BY e.event_date DESC NULLS LAST, e.rowid LIMIT ? OFFSET ?",
            params + [page_size(limit, cap=1 << 62), max(0, int(offset))])


def clusters(con, start=None, end=None, actor=None, min_mentions: int = 1, limit: int = 50,
             offset: int = 0) -> list[dict]:
    """Deduplicated events (clusters) with their counts and representative mention
    (`limit=None`: every cluster)."""
    limit = page_size(limit)
    fw, fp = event_where(start=start, end=end, actor=actor, alias="e")
    return _rows(con, f"""
        SELECT c.cluster_id, c.source_code, c.target_code, c.cameo_base, c.negated,
               c.first_seen, c.last_seen, c.num_mentions, c.num_sources, c.num_articles,
               c.rep_event_id, e.cameo_code, e.cameo_name, e.sentence, e.article_id
        FROM event_clusters c JOIN events e ON e.event_id = c.rep_event_id
        WHERE c.num_mentions >= ? AND {fw}
        ORDER BY c.num_mentions DESC, c.first_seen DESC NULLS LAST, c.cluster_id
        LIMIT ? OFFSET ?""", [int(min_mentions)] + fp + [limit, max(0, int(offset))])


def article_with_spans(con, article_id: str) -> Optional[dict]:
    """An article's text with the character spans of its actors, triggers and quotes."""
    arts = _rows(con, "SELECT article_id, content_hash, title, text, published, url, "
                      "source_name, ingested_at FROM articles WHERE article_id = ?",
                 [str(article_id)])
    if not arts:
        return None
    art = arts[0]
    if art.get("ingested_at") is not None:
        art["ingested_at"] = str(art["ingested_at"])
    evs = _rows(con, f"SELECT {', '.join(EVENT_COLUMNS)} FROM events WHERE article_id = ? "
                     "ORDER BY span_start NULLS LAST, event_id", [str(article_id)])
    triggers, actors, seen = [], [], set()
    for e in evs:
        if e["span_start"] is not None:
            triggers.append({"start": e["span_start"], "end": e["span_end"], "text": e["trigger"],
                             "event_id": e["event_id"], "cameo_code": e["cameo_code"],
                             "plover_type": e["plover_type"], "status": e["status"]})
        for role in ("source", "target"):
            s = e[f"{role}_start"]
            if s is None:
                continue
            key = (s, e[f"{role}_end"], e[f"{role}_code"])
            if key in seen:
                continue
            seen.add(key)
            actors.append({"start": s, "end": e[f"{role}_end"], "text": e[f"{role}_text"],
                           "name": e[f"{role}_name"], "code": e[f"{role}_code"], "role": role,
                           "event_id": e["event_id"]})
    qs = _rows(con, "SELECT * FROM quotes WHERE article_id = ? ORDER BY quote_id",
               [str(article_id)])
    quotes = []
    for q in qs:
        quotes.append({
            "quote_id": q["quote_id"], "speaker": q["speaker_text"], "speaker_code": q["speaker_code"],
            "direct": q["direct"], "cue": q["cue"], "content": q["content"],
            "content_spans": json.loads(q["content_spans"] or "[]"),
            "speaker_span": [q["speaker_start"], q["speaker_end"]]
            if q["speaker_start"] is not None else None,
            "cue_span": [q["cue_start"], q["cue_end"]] if q["cue_start"] is not None else None,
        })
    actors.sort(key=lambda d: (d["start"], d["end"]))
    art["events"] = [event_record(e) for e in evs]
    art["spans"] = {"actors": actors, "triggers": triggers, "quotes": quotes}
    return art


def positions(con, issue: Optional[str] = None, actor: Optional[str] = None, stance: Many = None,
              start=None, end=None, limit: int = 100, offset: int = 0) -> dict:
    """Positions, oldest first: all positions on an issue over time (`issue`, case-insensitive,
    exact or substring) and/or all positions of an actor (`actor`: a code prefix or country, or a
    name). Each row carries the proposal it answers (`responds_to` and that position's actor,
    stance and date as `responds_to_*`). `limit=None`: every position."""
    limit = page_size(limit)
    offset = max(0, int(offset))
    where, params = ["TRUE"], []
    if issue:
        where.append("(lower(p.issue) = lower(?) OR contains(lower(p.issue), lower(?)))")
        params += [issue, issue]
    if actor:
        where.append("(p.actor_code LIKE ? || '%' OR p.actor_country = ? OR lower(p.actor_name) = lower(?))")
        params += [actor.upper(), actor.upper(), actor]
    stances = _many(stance, _STANCE)
    if stances:
        where.append("list_contains(?::VARCHAR[], p.stance)")
        params.append(stances)
    date_range(where, params, "p.date", start, end)
    w = " AND ".join(where)
    total = con.execute(f"SELECT count(*) FROM positions p WHERE {w}", params).fetchone()[0]
    cols = ", ".join(f"p.{c}" for c in POSITION_COLUMNS)
    rows = _rows(con, f"""
        SELECT {cols}, r.actor_name AS responds_to_actor, r.actor_code AS responds_to_code,
               r.stance AS responds_to_stance, r.date AS responds_to_date, r.article_id AS responds_to_article
        FROM positions p LEFT JOIN positions r ON r.position_id = p.responds_to
        WHERE {w} ORDER BY p.date NULLS LAST, p.article_id, p.span_start LIMIT ? OFFSET ?""",
                 params + [limit, offset])
    return {"total": total, "limit": limit, "offset": offset, "positions": rows}


def issues(con, limit: Optional[int] = 100) -> list[dict]:
    """Issues with positions, most discussed first, with counts by stance (`limit=None`: all)."""
    return _rows(con, """
        SELECT issue, count(*) AS positions, count(DISTINCT coalesce(actor_code, actor_text)) AS actors,
               count(*) FILTER (WHERE stance = 'propose') AS propose,
               count(*) FILTER (WHERE stance = 'support') AS support,
               count(*) FILTER (WHERE stance = 'oppose') AS oppose,
               count(*) FILTER (WHERE stance = 'reject') AS reject,
               min(date) AS first, max(date) AS last
        FROM positions GROUP BY issue ORDER BY positions DESC, issue LIMIT ?""",
                 [None if limit is None else int(limit)])

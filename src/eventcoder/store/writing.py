"""Writing one batch of coded articles in one transaction: rows staged through Arrow, event dates,
dedup blocks and clusters, actor counts, and links between positions across articles.

`write_batch(con, coded, rule)` is idempotent: an article stored already (by id or content hash) is
skipped, inside the transaction, so a resumed or concurrent-in-process ingest stays exact.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone

import pyarrow as pa

from .. import dedup as _dedup
from ..coder import _unique
from ..columns import arrow_schema, date_names
from ..model import Article
from ..rows import article_row, event_row, position_row, quote_row

# Arrow schemas of the staging tables (strings for dates: TRY_CAST on the way in)
ARTICLE_STAGE = arrow_schema("articles")
EVENT_STAGE = arrow_schema("events")
QUOTE_STAGE = arrow_schema("quotes")
POSITION_STAGE = arrow_schema("positions")
NO_COUNTS = {"articles": 0, "events": 0, "quotes": 0, "positions": 0, "undated": 0}


def link_responses(con, issues: list) -> int:
    """Link responses to proposals across stored articles: a support/oppose/reject position with no
    proposal in its own article answers the latest stored `propose` position on the same issue by
    another actor, dated no later than the response, ties broken by position id
    (eventcoder.positions.link_positions does the same within an article). Recomputed for every
    response on the issues a batch touched, so the links are those of the whole store, whatever the
    batch size or the order articles arrived in."""
    if not issues:
        return 0
    rows = con.execute(
        "SELECT r.position_id, r.issue, r.actor_code, r.actor_name, r.date, r.article_id, r.responds_to, "
        "       (SELECT q.article_id FROM positions q WHERE q.position_id = r.responds_to) "
        "FROM positions r WHERE r.issue IN (SELECT unnest(?)) "
        "AND r.stance IN ('support', 'oppose', 'reject') ORDER BY r.position_id", [sorted(set(issues))]).fetchall()
    linked = 0
    for pid, issue, code, name, day, article, current, current_article in rows:
        if current is not None and current_article == article:
            continue  # linked within its own article by the coder: that link stands
        hit = con.execute(
            "SELECT position_id FROM positions WHERE stance = 'propose' AND issue = ? "
            "AND article_id <> ? AND NOT (coalesce(actor_code, '') = coalesce(?, '') "
            "AND coalesce(actor_name, '') = coalesce(?, '')) "
            "AND (? IS NULL OR date IS NULL OR date <= ?) "
            "ORDER BY date DESC NULLS LAST, position_id LIMIT 1", [issue, article, code, name, day, day]).fetchone()
        new = hit[0] if hit else None
        if new != current:
            con.execute("UPDATE positions SET responds_to = ? WHERE position_id = ?", [new, pid])
        linked += new is not None
    return linked


def _stage(con, table: str, rows: list, ignore: bool = True, **extra) -> None:
    """INSERT `rows` (dicts of the table's staged columns) through one Arrow table; `extra`:
    column = value for every row (e.g. ingested_at); `ignore`: skip rows whose key is stored."""
    if not rows:
        return
    schema = arrow_schema(table)
    name = f"_stage_{table}"
    con.register(name, pa.Table.from_pylist(rows, schema=schema))
    try:
        dates = date_names(table)
        cols = list(schema.names) + list(extra)
        sel = [f"TRY_CAST({c} AS DATE)" if c in dates else c for c in schema.names] + ["?"] * len(extra)
        con.execute(f"INSERT {'OR IGNORE ' if ignore else ''}INTO {table} ({', '.join(cols)}) "
                    f"SELECT {', '.join(sel)} FROM {name}", list(extra.values()))
    finally:
        con.unregister(name)


@contextmanager
def transaction(con):
    """BEGIN ... COMMIT, or ROLLBACK when the block raises (anything, KeyboardInterrupt too)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _fresh(coded: list) -> list:
    """The coded articles of a batch, each id and content hash once."""
    ids, hashes, fresh = set(), set(), []
    for c in coded:
        a = c.article
        h = Article.content_id(a.text or "")
        if a.article_id in ids or h in hashes:
            continue
        ids.add(a.article_id)
        hashes.add(h)
        fresh.append(c)
    return fresh


def write_batch(con, coded: list, rule) -> tuple[int, dict]:
    """Store a batch of coded articles in ONE transaction under the dedup `rule`; returns (the
    number of articles stored, {"articles", "events", "quotes", "positions", "undated"} counts)."""
    fresh = _fresh(coded)
    if not fresh:
        return 0, dict(NO_COUNTS)
    with transaction(con):
        counts = _insert(con, fresh, rule)
    return counts["articles"], counts


def _insert(con, fresh: list, rule) -> dict:
    # Skip anything a previous commit already holds (id or hash), re-checked inside the transaction.
    ids = [c.article.article_id for c in fresh]
    hashes = [Article.content_id(c.article.text or "") for c in fresh]
    taken = con.execute(
        "SELECT article_id, content_hash FROM articles "
        "WHERE article_id IN (SELECT unnest(?)) OR content_hash IN (SELECT unnest(?))",
        [ids, hashes]).fetchall()
    taken_ids, taken_hashes = {r[0] for r in taken}, {r[1] for r in taken}
    arts, evs, qs, ps = [], [], [], []
    undated = 0
    seen_ev, seen_q, seen_p = set(), set(), set()
    for c, h in zip(fresh, hashes):
        if c.article.article_id in taken_ids or h in taken_hashes:
            continue
        new_evs = [event_row(e) for e in _unique(c.events or [], "event_id", seen_ev)]
        new_qs = [quote_row(q) for q in _unique(c.quotes or [], "quote_id", seen_q)]
        evs += new_evs
        qs += new_qs
        arts.append(article_row(c.article, len(new_evs), len(new_qs)))
        undated += not c.article.published
        ps += [position_row(p) for p in _unique(getattr(c, "positions", None) or [], "position_id", seen_p)]
    counts = {"articles": len(arts), "events": len(evs), "quotes": len(qs), "positions": len(ps),
              "undated": undated}
    if not arts:
        return counts
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    _stage(con, "articles", arts, ignore=False, ingested_at=now)
    _stage(con, "events", evs)
    if evs:
        # a reference without a date stays undated: it is not an event of the publication day
        con.execute("UPDATE events SET event_date = coalesce(date, CASE WHEN reference THEN NULL "
                    "ELSE published END) "
                    "WHERE event_date IS NULL AND event_id IN (SELECT unnest(?))",
                    [[e["event_id"] for e in evs]])
    _stage(con, "quotes", qs)
    _stage(con, "positions", ps)
    if ps:
        link_responses(con, [p["issue"] for p in ps])
    if evs:
        for e in evs:  # the block under the store's rule (event_row used the default rule)
            e["ckey"] = _dedup.cluster_key(e, rule)
        con.execute("UPDATE events SET ckey = k.ckey FROM (SELECT unnest(?::VARCHAR[]) AS event_id, "
                    "unnest(?::VARCHAR[]) AS ckey) k WHERE events.event_id = k.event_id "
                    "AND events.ckey IS DISTINCT FROM k.ckey",
                    [[e["event_id"] for e in evs], [e["ckey"] for e in evs]])
        keys = sorted({e["ckey"] for e in evs})
        codes = sorted({e[k] for e in evs for k in ("source_code", "target_code") if e[k]})
        _dedup.recluster(con, rule, keys=keys)
        _dedup.refresh_actors(con, codes=codes)
    return counts

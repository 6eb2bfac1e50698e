"""Counts over events: a dyad's series per day/week/month, an actor's profile, the most active
dyads, and the plain-text summary of a store. What they count by default is `counted`'s:
asserted events that are not references.

    dyad_series(con, "USA", "RUS", interval="week")
    actor_profile(con, "UKRGOV")
    top_dyads(con, start="2025-01-01", level="country", limit=10)
"""
from __future__ import annotations

from typing import Optional

from .filters import (INTERVALS, LEVELS, Many, QueryError, _actor_match, _code, _rows, counted,
                      dyad_where, event_where, page_size)


def dyad_series(con, a: str, b: str, interval: str = "week", start=None, end=None,
                directed: bool = False, references: bool = False, **filters) -> list[dict]:
    """Event counts by quad class and Goldstein (mean, sum) per day/week/month for a dyad.

    `a` and `b` are actor-code prefixes or country codes ("USA", "RUSGOV"). Undirected by
    default (a->b and b->a); `directed=True` keeps a as source and b as target. Periods start
    on the day, the Monday of the week, or the first of the month; periods without events
    are absent. Counts asserted events (status occurred) that are not references unless
    `status` (a list, or "all") or `references=True` say otherwise (see `counted`). Goldstein
    weights each event once: the mean and sum run over the period's clusters (each cluster's
    mean score), not over its mentions.
    """
    filters = counted(filters, references)
    if interval not in INTERVALS:
        raise QueryError(f"interval must be one of {', '.join(INTERVALS)}")
    a, b = _code(a, "a"), _code(b, "b")
    if not a or not b:
        raise QueryError("a dyad needs two actor or country codes")
    dw, dparams = dyad_where(a, b, directed)
    fw, fparams = event_where(start=start, end=end, **filters)
    sql = f"""
        WITH m AS (
            SELECT CAST(date_trunc('{interval}', event_date) AS DATE) AS period,
                   coalesce(cluster_id, event_id) AS cid, quad_class, goldstein
            FROM events
            WHERE event_date IS NOT NULL AND {dw} AND {fw}
        ), per_event AS (
            SELECT period, cid, avg(goldstein) AS g FROM m GROUP BY 1, 2
        ), g AS (
            SELECT period, avg(g) AS goldstein_mean, sum(g) AS goldstein_sum
            FROM per_event GROUP BY 1
        )
        SELECT m.period, count(*) AS events, count(DISTINCT m.cid) AS clusters,
               count(*) FILTER (WHERE quad_class = 1) AS quad1,
               count(*) FILTER (WHERE quad_class = 2) AS quad2,
               count(*) FILTER (WHERE quad_class = 3) AS quad3,
               count(*) FILTER (WHERE quad_class = 4) AS quad4,
               any_value(g.goldstein_mean) AS goldstein_mean, any_value(g.goldstein_sum) AS goldstein_sum
        FROM m JOIN g ON g.period = m.period
        GROUP BY 1 ORDER BY 1
    """
    rows = _rows(con, sql, dparams + fparams)
    for r in rows:
        if r["goldstein_mean"] is not None:
            r["goldstein_mean"] = round(r["goldstein_mean"], 4)
            r["goldstein_sum"] = round(r["goldstein_sum"], 4)
    return rows


def actor_profile(con, code: str, start=None, end=None, top: int = 10,
                  interval: str = "month", status: Many = None,
                  references: bool = False) -> Optional[dict]:
    """Who an actor (code prefix or country) deals with, what it does, and how that trends.

    Counts asserted events that are not references unless `status` / `references` say
    otherwise (see `counted`). Returns None when the store holds no such event with that actor.
    """
    if interval not in INTERVALS:
        raise QueryError(f"interval must be one of {', '.join(INTERVALS)}")
    c = _code(code, "code")
    if not c:
        raise QueryError("an actor code is required")
    top = max(1, min(int(top), 100))
    fw, fp = event_where(**counted({"start": start, "end": end, "actor": c, "status": status},
                                   references))
    is_src = _actor_match("source")
    base = f"SELECT *, {is_src} AS as_src FROM events WHERE {fw}"
    bp = [c, c] + fp
    totals = _rows(con, f"""
        WITH m AS ({base})
        SELECT count(*) AS events, count(*) FILTER (WHERE as_src) AS as_source,
               count(*) FILTER (WHERE NOT as_src) AS as_target,
               count(DISTINCT cluster_id) AS clusters, count(DISTINCT article_id) AS articles,
               min(event_date) AS first_seen, max(event_date) AS last_seen,
               avg(goldstein) AS goldstein_mean
        FROM m""", bp)[0]
    if not totals["events"]:
        return None
    names = _rows(con, """
        SELECT code, name, country, sector, n_events FROM actors
        WHERE starts_with(code, ?) OR country = ?
        ORDER BY n_events DESC, code, name LIMIT ?""", [c, c, top])
    partners = _rows(con, f"""
        WITH m AS ({base})
        SELECT CASE WHEN as_src THEN target_code ELSE source_code END AS partner,
               count(*) AS events,
               count(*) FILTER (WHERE as_src) AS as_source,
               count(*) FILTER (WHERE NOT as_src) AS as_target,
               round(avg(goldstein), 4) AS goldstein_mean
        FROM m WHERE (CASE WHEN as_src THEN target_code ELSE source_code END) IS NOT NULL
        GROUP BY 1 ORDER BY events DESC, partner LIMIT ?""", bp + [top])
    mix = {}
    for col in ("cameo_root", "plover_type", "quad_class", "status"):
        mix[col] = _rows(con, f"""
            WITH m AS ({base})
            SELECT {col} AS value, count(*) AS events FROM m
            GROUP BY 1 ORDER BY events DESC, value NULLS LAST""", bp)
    trend = _rows(con, f"""
        WITH m AS ({base})
        SELECT CAST(date_trunc('{interval}', event_date) AS DATE) AS period, count(*) AS events,
               count(*) FILTER (WHERE quad_class IN (1, 2)) AS cooperation,
               count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict,
               round(avg(goldstein), 4) AS goldstein_mean
        FROM m WHERE event_date IS NOT NULL GROUP BY 1 ORDER BY 1""", bp)
    if totals["goldstein_mean"] is not None:
        totals["goldstein_mean"] = round(totals["goldstein_mean"], 4)
    return {"code": c, **totals, "names": names, "partners": partners, "event_mix": mix,
            "trend": trend}


def top_dyads(con, start=None, end=None, level: str = "code", directed: bool = True,
              limit: int = 20, references: bool = False, **filters) -> list[dict]:
    """The most active dyads in a period (by event mentions), with clusters and Goldstein
    (asserted events that are not references unless `status` / `references` say otherwise)."""
    filters = counted(filters, references)
    if level not in LEVELS:
        raise QueryError(f"level must be one of {', '.join(LEVELS)}")
    limit = None if limit is None else max(1, page_size(limit))
    fw, fp = event_where(start=start, end=end, **filters)
    s, t = f"source_{level}", f"target_{level}"
    if directed:
        a_expr, b_expr = s, t
    else:
        a_expr, b_expr = f"least({s}, {t})", f"greatest({s}, {t})"
    return _rows(con, f"""
        SELECT {a_expr} AS a, {b_expr} AS b, count(*) AS events,
               count(DISTINCT cluster_id) AS clusters, count(DISTINCT article_id) AS articles,
               round(avg(goldstein), 4) AS goldstein_mean,
               count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict
        FROM events
        WHERE {s} IS NOT NULL AND {t} IS NOT NULL AND {s} <> {t} AND {fw}
        GROUP BY 1, 2 ORDER BY events DESC, a, b LIMIT ?""", fp + [limit])


def summary_text(con, top: int = 8) -> str:
    """A plain-text report of what the store holds (used by `eventcoder query summary`)."""
    def scalar(sql):
        return con.execute(sql).fetchone()[0]

    def table(title, rows, headers):
        widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) if rows else len(str(h))
                  for i, h in enumerate(headers)]
        out = [title, "  " + "  ".join(str(h).ljust(w) for h, w in zip(headers, widths))]
        out += ["  " + "  ".join(str(v).ljust(w) for v, w in zip(r, widths)) for r in rows]
        if not rows:
            out.append("  (none)")
        return "\n".join(out)

    counts = {t: scalar(f"SELECT count(*) FROM {t}") for t in ("articles", "events", "quotes", "positions")}
    n_clusters = scalar("SELECT count(DISTINCT cluster_id) FROM events")
    span = con.execute("SELECT min(date), max(date) FROM events").fetchone()
    parts = [
        f"articles {counts['articles']}   events {counts['events']} ({n_clusters} after deduplication)   "
        f"quotes {counts['quotes']}   positions {counts['positions']}   dates {span[0]} .. {span[1]}",
        table("events by PLOVER type", con.execute(
            "SELECT coalesce(plover_type, '(CAMEO 01, none)'), count(*) n, round(avg(goldstein), 2) "
            "FROM events GROUP BY 1 ORDER BY n DESC").fetchall(), ("type", "events", "mean Goldstein")),
        table("events by status", con.execute(
            "SELECT status, count(*) n FROM events GROUP BY 1 ORDER BY n DESC").fetchall(), ("status", "events")),
        table(f"top {top} dyads (source -> target code)", con.execute(
            "SELECT source_code, target_code, count(*) n, round(avg(goldstein), 2) FROM events "
            "WHERE source_code IS NOT NULL AND target_code IS NOT NULL GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT ?",
            [top]).fetchall(), ("source", "target", "events", "mean Goldstein")),
        table(f"latest {top} events", con.execute(
            "SELECT date, coalesce(source_code, '-'), cameo_code, coalesce(plover_type, '-'), "
            "coalesce(target_code, '-'), status, trigger FROM events ORDER BY date DESC, event_id LIMIT ?",
            [top]).fetchall(), ("date", "source", "CAMEO", "PLOVER", "target", "status", "trigger")),
    ]
    return "\n\n".join(parts)

"""Analytical queries over the store. Every value reaches SQL as a parameter; the few SQL
fragments built here come from fixed whitelists (intervals, levels), never from user text.

All functions take a DuckDB connection (one per thread: `Store.cursor()`).

    events(con, actor="RUS", start="2025-02-01", end="2025-02-28", plover_type="CONSULT")
    dyad_series(con, "USA", "RUS", interval="week")
    actor_profile(con, "UKRGOV")
    top_dyads(con, start="2025-01-01", level="country", limit=10)
"""
from __future__ import annotations

import json
import re
from datetime import date
from typing import Any, Iterable, Optional, Sequence, Union

from .model import PLOVER_TYPES, SECTORS, STATUSES
from .errors import EventcoderError
from .positions import STANCES

INTERVALS = ("day", "week", "month")
LEVELS = ("code", "country")
MAX_LIMIT = 1000
_CODE_RE = re.compile(r"^[A-Za-z0-9]{1,40}$")

Many = Union[None, str, int, Sequence[Any]]

EVENT_COLUMNS = (
    "event_id", "article_id", "cluster_id", "date", "published", "event_date", "date_precision",
    "reference",
    "source_text", "source_name", "source_country", "source_sector", "source_code",
    "source_start", "source_end",
    "target_text", "target_name", "target_country", "target_sector", "target_code",
    "target_start", "target_end",
    "cameo_code", "cameo_root", "cameo_name", "goldstein", "quad_class", "plover_type",
    "plover_mode", "status", "location_name", "location_country", "location_lat", "location_lon",
    "sentence_index", "sentence", "trigger", "span_start", "span_end", "confidence", "rule",
)


class QueryError(EventcoderError, ValueError):
    """A query parameter that cannot be used (bad date, unknown interval, ...)."""


# What series, profiles, networks and exports count unless asked otherwise: events the text
# asserts happened, not plans, possibilities or denials, and not references to earlier events.
COUNTED_STATUSES = ("occurred",)


def counted(filters: dict, references: bool = False) -> dict:
    """`filters` with the counting defaults: status = occurred unless a status is given (a list,
    or "all"), and references left out unless `references=True`."""
    f = dict(filters)
    references = bool(references or f.pop("references", False))
    st = f.get("status")
    if st in (None, "", []):
        f["status"] = list(COUNTED_STATUSES)
    elif st == "all":
        f.pop("status")
    if not references:
        f["reference"] = False
    return f


# ---------------------------------------------------------------- helpers
def _date(value, name: str) -> Optional[str]:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise QueryError(f"{name} must be an ISO date YYYY-MM-DD, got {str(value)[:40]!r}") from None


def date_range(where: list, params: list, col: str, start=None, end=None) -> None:
    """Add `col` between `start` and `end` (YYYY-MM-DD, either may be None) to a WHERE list."""
    s, e = _date(start, "start"), _date(end, "end")
    if s:
        where.append(f"{col} >= CAST(? AS DATE)")
        params.append(s)
    if e:
        where.append(f"{col} <= CAST(? AS DATE)")
        params.append(e)


def _code(value, name: str) -> Optional[str]:
    if value in (None, ""):
        return None
    v = str(value).strip().upper()
    if not _CODE_RE.match(v):
        raise QueryError(f"{name} must be an actor/country code of letters and digits, "
                         f"got {str(value)[:40]!r}")
    return v


def _many(value: Many, norm=lambda v: v) -> Optional[list]:
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, (str, int)):
        value = [p for p in str(value).split(",") if p.strip()]
    return [norm(str(v).strip()) for v in value]


def _one_of(name: str, allowed: Sequence[str], norm):
    """A normaliser for a list filter that refuses a value outside `allowed`, naming the filter."""
    def check(v: str) -> str:
        n = norm(v)
        if n not in allowed:
            raise QueryError(f"{name} must be one of {', '.join(allowed)}; got {v[:40]!r}")
        return n
    return check


def _digits(name: str, lo: int, hi: int, pad: int = 0):
    def check(v: str) -> str:
        if not (v.isdigit() and lo <= len(v) <= hi):
            raise QueryError(f"{name} must be CAMEO codes of {lo}-{hi} digits (e.g. 04, 040); got {v[:40]!r}")
        return v.zfill(pad) if pad else v
    return check


_SECTOR = _one_of("sector", SECTORS, str.upper)
_PLOVER = _one_of("plover_type", PLOVER_TYPES, str.upper)
_STATUS = _one_of("status", STATUSES, str.lower)
_STANCE = _one_of("stance", STANCES, str.lower)
_ROOT = _digits("cameo_root", 1, 2, pad=2)
_CAMEO = _digits("cameo_code", 2, 4)


def page_size(limit, cap: int = MAX_LIMIT) -> Optional[int]:
    """A page size for SQL's LIMIT: at most `cap` (what the CLI and the HTTP API may ask for);
    None, which only library callers pass, is every row."""
    return None if limit is None else max(0, min(int(limit), cap))


def _rows(con, sql: str, params: list) -> list[dict]:
    cur = con.execute(sql, params)
    cols = [d[0] for d in cur.description]
    out = []
    for r in cur.fetchall():
        d = {}
        for c, v in zip(cols, r):
            d[c] = v.isoformat() if isinstance(v, date) else v
        out.append(d)
    return out


def _actor_match(side: str) -> str:
    """SQL matching one side against a code prefix or a country code (2 parameters)."""
    return f"(starts_with({side}_code, ?) OR {side}_country = ?)"


def event_where(start=None, end=None, actor=None, source=None, target=None, country=None,
                sector=None, plover_type: Many = None, cameo_root: Many = None,
                cameo_code: Many = None, quad_class: Many = None, status: Many = None,
                place=None, text=None, article_id=None, cluster_id=None,
                publisher=None, min_confidence=None, reference: Optional[bool] = None,
                alias: str = "") -> tuple[str, list]:
    """The WHERE clause (and its parameters) for the event filters. `reference`: True for
    references to earlier events only, False for everything else, None for both."""
    p = alias + "." if alias else ""
    w, params = [], []
    if reference is not None:
        w.append(f"coalesce({p}reference, FALSE) = ?")
        params.append(bool(reference))
    date_range(w, params, p + "event_date", start, end)
    a = _code(actor, "actor")
    if a:
        w.append(f"({_actor_match(p + 'source')} OR {_actor_match(p + 'target')})")
        params += [a, a, a, a]
    for side, val in (("source", source), ("target", target)):
        v = _code(val, side)
        if v:
            w.append(_actor_match(p + side))
            params += [v, v]
    c = _code(country, "country")
    if c:
        w.append(f"({p}source_country = ? OR {p}target_country = ?)")
        params += [c, c]
    sec = _many(sector, _SECTOR)
    if sec:
        w.append(f"(list_contains(?, {p}source_sector) OR list_contains(?, {p}target_sector))")
        params += [sec, sec]
    for col, val, norm in (("plover_type", plover_type, _PLOVER),
                           ("cameo_root", cameo_root, _ROOT),
                           ("cameo_code", cameo_code, _CAMEO),
                           ("status", status, _STATUS)):
        vals = _many(val, norm)
        if vals:
            w.append(f"list_contains(?, {p}{col})")
            params.append(vals)
    qc = _many(quad_class)
    if qc:
        try:
            qc = [int(v) for v in qc]
        except ValueError:
            qc = [-1]
        if not all(0 <= v <= 4 for v in qc):
            raise QueryError(f"quad_class must be integers 0-4; got {str(quad_class)[:40]!r}")
        w.append(f"list_contains(?, {p}quad_class)")
        params.append(qc)
    if place:
        w.append(f"(contains(lower({p}location_name), lower(?)) OR {p}location_country = upper(?))")
        params += [str(place), str(place)]
    if text:
        # search_text is the sentence and actor names, lower-cased when stored
        w.append(f"contains({p}search_text, ?)")
        params.append(str(text).lower())
    if article_id:
        w.append(f"{p}article_id = ?")
        params.append(str(article_id))
    if cluster_id:
        w.append(f"{p}cluster_id = ?")
        params.append(str(cluster_id))
    xw, xp = source_where(publisher=publisher, min_confidence=min_confidence, alias=alias)
    w += xw
    params += xp
    return (" AND ".join(w) if w else "TRUE"), params


# The publisher of an article: its source name, else its URL's host (as the exports name it).
PUBLISHER_SQL = ("coalesce(nullif(a.source_name, ''), "
                 "regexp_extract(a.url, '^[a-z]+://(?:www\\.)?([^/]+)', 1))")


def source_where(publisher=None, min_confidence=None, alias: str = "") -> tuple[list, list]:
    """The publisher (case-insensitive, exact) and minimum-confidence filters of event_where."""
    p = alias + "." if alias else ""
    w, params = [], []
    if publisher not in (None, ""):
        w.append(f"{p}article_id IN (SELECT a.article_id FROM articles a "
                 f"WHERE lower({PUBLISHER_SQL}) = lower(?))")
        params.append(str(publisher).strip())
    if min_confidence not in (None, ""):
        try:
            c = float(min_confidence)
        except (TypeError, ValueError):
            raise QueryError(f"min_confidence must be a number from 0 to 1, got "
                             f"{str(min_confidence)[:40]!r}") from None
        if not 0.0 <= c <= 1.0:
            raise QueryError(f"min_confidence must be a number from 0 to 1, got {c}")
        w.append(f"{p}confidence >= ?")
        params.append(c)
    return w, params


def publishers(con, limit: int = 500) -> list[dict]:
    """Publishers with their number of articles, most prolific first."""
    return _rows(con, f"""
        SELECT {PUBLISHER_SQL} AS publisher, count(*) AS articles FROM articles a
        WHERE {PUBLISHER_SQL} IS NOT NULL AND {PUBLISHER_SQL} <> ''
        GROUP BY 1 ORDER BY articles DESC, publisher LIMIT ?""", [int(limit)])


def event_record(row: dict) -> dict:
    """A flattened events row back into the contract's nested shape (plus store fields)."""
    def actor(prefix):
        if row.get(f"{prefix}_text") is None and row.get(f"{prefix}_code") is None:
            return None
        d = {k: row.get(f"{prefix}_{k}") for k in ("text", "name", "country", "sector", "code")}
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
    for k in ("num_mentions", "num_sources", "num_articles", "first_seen", "last_seen"):
        if k in row:
            out[k] = row[k]
    return out


# ---------------------------------------------------------------- queries
def events(con, limit: int = 50, offset: int = 0, unique: bool = False, flat: bool = False,
           with_total: bool = True, **filters) -> dict:
    """A page of events matching the filters, newest first.

    `unique=True` returns one event per dedup cluster (its representative mention).
    Returns {"total", "limit", "offset", "events": [...]} with each event in the contract
    shape plus cluster_id and the cluster's num_mentions/num_sources/num_articles.
    """
    limit = max(0, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    where, params = _events_filter(unique, filters)
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
            SELECT {cols}, c.num_mentions, c.num_sources, c.num_articles, c.first_seen, c.last_seen
            FROM events p LEFT JOIN event_clusters c ON c.cluster_id = p.cluster_id
            WHERE list_contains(?::VARCHAR[], p.event_id)""", [ids])
        order = {i: n for n, i in enumerate(ids)}
        rows.sort(key=lambda r: order[r["event_id"]])
    return {"total": total, "limit": limit, "offset": offset,
            "events": rows if flat else [event_record(r) for r in rows]}


def _events_filter(unique: bool, filters: dict) -> tuple[str, list]:
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
    where, params = _events_filter(unique, filters)
    cols = ", ".join(f"e.{c}" for c in EVENT_COLUMNS)
    return (f"SELECT {cols}, c.num_mentions, c.num_sources, c.num_articles, c.first_seen, c.last_seen "
            f"FROM events e LEFT JOIN event_clusters c ON c.cluster_id = e.cluster_id WHERE {where} "
            "ORDER BY e.event_date DESC NULLS LAST, e.rowid LIMIT ? OFFSET ?",
            params + [page_size(limit, cap=1 << 62), max(0, int(offset))])


def _dyad_where(a: str, b: str, directed: bool) -> tuple[str, list]:
    one = f"({_actor_match('source')} AND {_actor_match('target')})"
    if directed:
        return one, [a, a, b, b]
    return f"({one} OR {one})", [a, a, b, b, b, b, a, a]


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
    dw, dparams = _dyad_where(a, b, directed)
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
    is_src = "(starts_with(source_code, ?) OR source_country = ?)"
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


POSITION_COLUMNS = ("position_id", "article_id", "actor_text", "actor_name", "actor_country",
                    "actor_sector", "actor_code", "issue", "stance", "evidence", "date",
                    "span_start", "span_end", "responds_to")


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

"""The queries behind the dashboard's JSON views (routes.py mounts them under /ui/api/).

    events_page(con, {"source": "RUS", "min_confidence": 0.5}, unique=True)
    network(con, {}, level="country")          # min count chosen from the data
    positions_view(con, "ceasefire", offset=20)
    home_view(con)

Every value reaches DuckDB as a bound parameter; sort columns and levels come from whitelists.
"""
from __future__ import annotations

from datetime import date
from typing import Optional

from .. import query as q
from .. import series
from ..columns import web_names
from ..query.filters import _rows

NETWORK_MAX_EDGES = 400
NETWORK_TARGET_EDGES = 60   # the automatic minimum count keeps at most this many pairs
MAP_MAX_POINTS = 3000
POSITION_ACTORS_PER_PAGE = 20
POSITIONS_PER_ACTOR = 50
PROPOSALS_MAX = 100
ISSUES_MAX = 300

SORTS = {"date": "e.event_date", "source": "e.source_code", "target": "e.target_code",
         "cameo": "e.cameo_code", "type": "e.plover_type", "goldstein": "e.goldstein",
         "quad": "e.quad_class", "status": "e.status", "place": "e.location_name",
         "confidence": "e.confidence", "article": "a.title"}
ROW_COLUMNS = web_names("events")  # the event rows of the explorer and its CSV download


def _jsonable(v):
    return v.isoformat() if isinstance(v, date) else v


def has_table(con, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                            [name]).fetchone()[0])


# ---------------------------------------------------------------- explorer
def events_page(con, filters: dict, sort: str = "date", order: str = "desc", limit: int = 50,
                offset: int = 0, unique: bool = False) -> dict:
    """A sorted page of flat event rows with their article's title, and the total.
    `unique=True` keeps one event per dedup cluster (its representative mention)."""
    col = SORTS.get(sort)
    if col is None:
        raise q.QueryError(f"sort must be one of {', '.join(SORTS)}")
    if order not in ("asc", "desc"):
        raise q.QueryError("order must be asc or desc")
    limit = max(1, min(int(limit), q.MAX_LIMIT))
    offset = max(0, int(offset))
    where, params = q.events_filter(unique, filters)
    total = con.execute(f"SELECT count(*) FROM events e WHERE {where}", params).fetchone()[0]
    cols = ", ".join(f"e.{c}" for c in ROW_COLUMNS)
    rows = _rows(con, f"""
        SELECT {cols}, a.title AS article_title, a.source_name AS publisher
        FROM events e LEFT JOIN articles a ON a.article_id = e.article_id
        WHERE {where}
        ORDER BY {col} {order.upper()} NULLS LAST, e.event_date DESC NULLS LAST, e.rowid
        LIMIT ? OFFSET ?""", params + [limit, offset])
    return {"total": total, "limit": limit, "offset": offset, "sort": sort, "order": order,
            "unique": unique, "events": rows}


def dyad_events(con, a: str, b: str, start=None, end=None, directed: bool = False,
                limit: int = 200) -> dict:
    a, b = q._code(a, "a"), q._code(b, "b")
    if not a or not b:
        raise q.QueryError("a dyad needs two actor or country codes")
    dw, dp = q.dyad_where(a, b, directed, alias="e")
    fw, fp = q.event_where(start=start, end=end, alias="e")
    cols = ", ".join(f"e.{c}" for c in ROW_COLUMNS)
    limit = max(1, min(int(limit), q.MAX_LIMIT))
    where = f"{dw} AND {fw}"
    total = con.execute(f"SELECT count(*) FROM events e WHERE {where}", dp + fp).fetchone()[0]
    rows = _rows(con, f"""
        SELECT {cols}, a.title AS article_title
        FROM events e LEFT JOIN articles a ON a.article_id = e.article_id
        WHERE {where} ORDER BY e.event_date NULLS LAST, e.rowid LIMIT ?""", dp + fp + [limit])
    return {"a": a, "b": b, "start": start, "end": end, "total": total, "events": rows}


# ---------------------------------------------------------------- network
def auto_min_count(counts: list[int], target: int = NETWORK_TARGET_EDGES) -> int:
    """The smallest minimum count that keeps at most `target` pairs (`counts` sorted from the
    strongest); when ties make every threshold keep more, the strongest count."""
    if len(counts) <= target:
        return 1
    m = counts[target] + 1
    return m if m <= counts[0] else counts[0]


def _country_name(code: str) -> Optional[str]:
    import pycountry

    c = pycountry.countries.get(alpha_3=code) if code and len(code) == 3 else None
    return getattr(c, "common_name", None) or getattr(c, "name", None) if c else None


def network(con, filters: dict, level: str = "country", min_count: Optional[int] = None,
            limit: int = NETWORK_MAX_EDGES) -> dict:
    """Pairs of actors (codes or countries) with their counts, mean Goldstein, cooperation and
    conflict; nodes with their events, partners and cooperation-conflict balance
    ((cooperation - conflict) / (cooperation + conflict), None when neither). Without
    `min_count`, it is chosen so that at most NETWORK_TARGET_EDGES pairs are drawn."""
    if level not in ("code", "country"):
        raise q.QueryError("level must be code or country")
    limit = max(1, min(int(limit), NETWORK_MAX_EDGES))
    fw, fp = q.event_where(alias="e", **q.counted(filters))  # asserted events, not references
    s, t = f"e.source_{level}", f"e.target_{level}"
    pairs = _rows(con, f"""
        SELECT least({s}, {t}) AS a, greatest({s}, {t}) AS b, count(*) AS count,
               round(avg(e.goldstein), 3) AS goldstein_mean,
               count(*) FILTER (WHERE e.quad_class IN (1, 2)) AS cooperation,
               count(*) FILTER (WHERE e.quad_class IN (3, 4)) AS conflict
        FROM events e
        WHERE {s} IS NOT NULL AND {t} IS NOT NULL AND {s} <> {t} AND {fw}
        GROUP BY 1, 2 ORDER BY count DESC, a, b""", fp)
    auto = min_count is None
    min_count = auto_min_count([p["count"] for p in pairs]) if auto else max(1, int(min_count))
    strong = [p for p in pairs if p["count"] >= min_count]
    edges = strong[:limit]
    nodes: dict = {}
    for e in edges:
        for k in ("a", "b"):
            n = nodes.setdefault(e[k], {"id": e[k], "count": 0, "degree": 0, "cooperation": 0,
                                        "conflict": 0})
            n["count"] += e["count"]
            n["degree"] += 1
            n["cooperation"] += e["cooperation"]
            n["conflict"] += e["conflict"]
    for n in nodes.values():
        cc = n["cooperation"] + n["conflict"]
        n["balance"] = round((n["cooperation"] - n["conflict"]) / cc, 3) if cc else None
        n["name"] = _country_name(n["id"]) if level == "country" else None
    return {"level": level, "min_count": min_count, "auto_min_count": auto,
            "pairs_total": len(pairs), "pairs_kept": len(strong),
            "nodes": sorted(nodes.values(), key=lambda n: (-n["count"], n["id"])),
            "edges": edges, "truncated": len(strong) > len(edges)}


# ---------------------------------------------------------------- map
def map_points(con, filters: dict, limit: int = MAP_MAX_POINTS) -> dict:
    fw, fp = q.event_where(alias="e", **filters)
    where = f"e.location_lat IS NOT NULL AND e.location_lon IS NOT NULL AND {fw}"
    total = con.execute(f"SELECT count(*) FROM events e WHERE {where}", fp).fetchone()[0]
    unplaced = con.execute(
        f"SELECT count(*) FROM events e WHERE (e.location_lat IS NULL OR e.location_lon IS NULL) "
        f"AND {fw}", fp).fetchone()[0]
    pts = _rows(con, f"""
        SELECT e.location_name AS name, e.location_country AS country,
               round(e.location_lat, 3) AS lat, round(e.location_lon, 3) AS lon,
               e.quad_class AS quad_class, count(*) AS count,
               round(avg(e.goldstein), 3) AS goldstein_mean
        FROM events e WHERE {where}
        GROUP BY 1, 2, 3, 4, 5 ORDER BY count DESC, name LIMIT ?""", fp + [int(limit)])
    by_country = _rows(con, f"""
        SELECT e.location_country AS country, count(*) AS count FROM events e
        WHERE e.location_country IS NOT NULL AND {fw} GROUP BY 1 ORDER BY count DESC""", fp)
    return {"total": total, "unplaced": unplaced, "points": pts, "countries": by_country}


# ---------------------------------------------------------------- positions
ACTOR_KEY = "coalesce(p.actor_code, p.actor_name, p.actor_text, '(unattributed)')"


def positions_view(con, issue: Optional[str] = None, offset: int = 0,
                   limit: int = POSITION_ACTORS_PER_PAGE) -> dict:
    """Issues with positions; for one issue its positions grouped by resolved actor (the actor
    code, else the name, else the words), a page of `limit` actors from `offset`, each with at
    most POSITIONS_PER_ACTOR positions, and the proposals with their responses. Every cap is
    reported: `truncated` (per actor and for proposals), `actors_total`, `issues_total`."""
    empty = {"available": False, "issues": [], "issue": issue, "positions": [], "proposals": [],
             "actors": [], "actors_total": 0, "offset": 0, "limit": limit}
    if not has_table(con, "positions"):
        return empty
    n_issues = con.execute("SELECT count(DISTINCT issue) FROM positions").fetchone()[0]
    issues = _rows(con, f"""
        SELECT issue, count(*) AS positions, count(DISTINCT {ACTOR_KEY}) AS actors,
               min(date) AS first, max(date) AS last,
               count(*) FILTER (WHERE stance = 'propose') AS proposals
        FROM positions p WHERE issue IS NOT NULL
        GROUP BY issue ORDER BY positions DESC, issue LIMIT ?""", [ISSUES_MAX])
    out = {**empty, "available": True, "issues": issues, "issues_total": n_issues,
           "issues_truncated": n_issues > len(issues)}
    if not issue:
        return out
    limit = max(1, min(int(limit), 200))
    offset = max(0, int(offset))
    groups = _rows(con, f"""
        SELECT {ACTOR_KEY} AS actor, any_value(p.actor_code) AS code,
               mode(coalesce(p.actor_name, p.actor_text)) AS name,
               list_sort(list(DISTINCT coalesce(p.actor_name, p.actor_text)))[1:4] AS names,
               count(*) AS positions, min(coalesce(p.date, a.published)) AS first,
               max(coalesce(p.date, a.published)) AS last,
               count(*) FILTER (WHERE p.stance = 'propose') AS propose,
               count(*) FILTER (WHERE p.stance = 'support') AS support,
               count(*) FILTER (WHERE p.stance = 'oppose') AS oppose,
               count(*) FILTER (WHERE p.stance = 'reject') AS reject,
               count(*) FILTER (WHERE p.stance = 'neutral') AS neutral
        FROM positions p LEFT JOIN articles a ON a.article_id = p.article_id
        WHERE p.issue = ? GROUP BY 1 ORDER BY positions DESC, actor""", [issue])
    page = groups[offset: offset + limit]
    cols = """p.position_id, p.article_id, p.actor_text, p.actor_name, p.actor_country,
              p.actor_sector, p.actor_code, p.issue, p.stance, p.evidence,
              coalesce(p.date, a.published) AS date, p.span_start, p.span_end, p.responds_to,
              a.title AS article_title"""
    pos = _rows(con, f"""
        SELECT * EXCLUDE (n) FROM (
          SELECT {cols}, {ACTOR_KEY} AS actor_key,
                 row_number() OVER (PARTITION BY {ACTOR_KEY}
                                    ORDER BY coalesce(p.date, a.published) NULLS LAST,
                                             p.article_id, p.span_start NULLS LAST) AS n
          FROM positions p LEFT JOIN articles a ON a.article_id = p.article_id
          WHERE p.issue = ? AND list_contains(?::VARCHAR[], {ACTOR_KEY}))
        WHERE n <= ?
        ORDER BY date NULLS LAST, article_id, span_start NULLS LAST, position_id""",
                [issue, [g["actor"] for g in page], POSITIONS_PER_ACTOR])
    for g in page:
        g["shown"] = sum(1 for p in pos if p["actor_key"] == g["actor"])
        g["truncated"] = g["shown"] < g["positions"]
    n_props = con.execute("SELECT count(*) FROM positions WHERE issue = ? AND stance = 'propose'",
                          [issue]).fetchone()[0]
    props = _rows(con, f"""
        SELECT {cols} FROM positions p LEFT JOIN articles a ON a.article_id = p.article_id
        WHERE p.issue = ? AND p.stance = 'propose'
        ORDER BY coalesce(p.date, a.published) NULLS LAST, p.position_id LIMIT ?""",
                  [issue, PROPOSALS_MAX])
    responses = _rows(con, f"""
        SELECT {cols} FROM positions p LEFT JOIN articles a ON a.article_id = p.article_id
        WHERE p.issue = ? AND list_contains(?::VARCHAR[], p.responds_to)
        ORDER BY coalesce(p.date, a.published) NULLS LAST, p.position_id""",
                      [issue, [p["position_id"] for p in props]])
    for p in props:
        p["responses"] = [r for r in responses if r["responds_to"] == p["position_id"]]
    out.update(positions=pos, actors=page, actors_total=len(groups), offset=offset, limit=limit,
               positions_total=sum(g["positions"] for g in groups), proposals=props,
               proposals_total=n_props, proposals_truncated=n_props > len(props))
    return out


# ---------------------------------------------------------------- home
def home_view(con, top: int = 10) -> dict:
    """The home page's charts: events over time (bulk span, zero-filled), the top country dyads
    (undirected) and the mix of PLOVER types."""
    types = _rows(con, """
        SELECT coalesce(plover_type, '(none)') AS type, count(*) AS events,
               round(avg(goldstein), 2) AS goldstein_mean
        FROM events GROUP BY 1 ORDER BY events DESC, type""", [])
    return {"over_time": series.overall(con),
            "top_dyads": q.top_dyads(con, level="country", directed=False, limit=top),
            "types": types}

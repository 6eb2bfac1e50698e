"""The dashboard: HTML pages and the few JSON views they need, mounted onto the API app.

    from eventcoder.api import create_app
    from eventcoder.web.routes import mount
    app = create_app("events.duckdb")
    mount(app, lambda: app.state.store)        # pages under /ui, a redirect from /

Pages (server-rendered shells; a small vanilla-JS front end, /ui/static/app.js, fills them from
the JSON API — every piece of article text reaches the page through `textContent`, never as
HTML, and every page is sent with a Content-Security-Policy that allows only this server's
own scripts and styles):

    /ui/                  home: store counts and links
    /ui/code              code an article (paste or upload), optionally store it
    /ui/events            events explorer: filters, sortable paginated table, CSV download
    /ui/articles/{id}     an article annotated (actors, triggers, quotes), ?event= highlights one
    /ui/dyad              a dyad's cooperation/conflict over time; click a point for its events
    /ui/network           actor network for a period and minimum count; click a node for a profile
    /ui/actors/{code}     actor profile
    /ui/map               event locations on an offline world basemap, coloured by quad class
    /ui/positions         an issue's positions over time, proposals with their responses

JSON used by the pages (beside the API's own /code, /articles, /events, /dyads, /actors):

    /ui/api/events        like /events, plus `sort`/`order` and each article's title
    /ui/api/events.csv    the filtered set as CSV (up to CSV_MAX rows)
    /ui/api/dyad/events   the events of an undirected (or directed) dyad in a date range
    /ui/api/network       nodes and edges (count, mean Goldstein) for a period
    /ui/api/map           event locations grouped by place and quad class
    /ui/api/positions     issues, an issue's positions, and proposals with their responses

Every value reaches DuckDB as a bound parameter; sort columns and levels come from whitelists.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Callable, Optional

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles

from .. import __version__
from .. import query as q

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
TEMPLATE_DIR = WEB_DIR / "templates"

CSV_MAX = 100_000
NETWORK_MAX_EDGES = 400
MAP_MAX_POINTS = 3000

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}

# Filters the pages pass through to query.event_where (names as in GET /events).
FILTER_PARAMS = ("start", "end", "actor", "source", "target", "country", "sector",
                 "plover_type", "cameo_root", "cameo_code", "quad_class", "status", "place", "text")
SORTS = {"date": "e.event_date", "source": "e.source_code", "target": "e.target_code",
         "cameo": "e.cameo_code", "type": "e.plover_type", "goldstein": "e.goldstein",
         "quad": "e.quad_class", "status": "e.status", "place": "e.location_name",
         "confidence": "e.confidence", "article": "a.title"}
ROW_COLUMNS = ("event_id", "article_id", "cluster_id", "event_date", "date", "published",
               "source_text", "source_name", "source_country", "source_sector", "source_code",
               "target_text", "target_name", "target_country", "target_sector", "target_code",
               "cameo_code", "cameo_root", "cameo_name", "goldstein", "quad_class", "plover_type",
               "plover_mode", "status", "location_name", "location_country", "location_lat",
               "location_lon", "sentence_index", "sentence", "trigger", "span_start", "span_end",
               "confidence")
QUAD_CLASSES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
                4: "material conflict"}
PAGES = {  # path -> (template page name, title)
    "code": "Code an article", "events": "Events explorer", "dyad": "Dyad view",
    "network": "Actor network", "map": "Map", "positions": "Positions",
}


def _jinja():
    import jinja2

    from ..model import PLOVER_TYPES, SECTORS, STATUSES

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(PLOVER_TYPES=PLOVER_TYPES, STATUSES=STATUSES, SECTORS=SECTORS,
                       QUAD_CLASSES=QUAD_CLASSES)
    return env


def _error(status: int, reason: str) -> JSONResponse:
    return JSONResponse({"error": reason, "status": status}, status_code=status)


def _filters(request: Request) -> dict:
    """The event filters present in the query string (empty values dropped)."""
    out = {}
    for k in FILTER_PARAMS:
        v = request.query_params.get(k)
        if v is not None and v.strip() != "":
            v = v.strip()
            if len(v) > 200:
                raise q.QueryError(f"{k} is too long")
            out[k] = v
    return out


def _jsonable(v):
    if isinstance(v, date):
        return v.isoformat()
    return v


def _rows(con, sql: str, params: list) -> list[dict]:
    cur = con.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [{c: _jsonable(v) for c, v in zip(cols, r)} for r in cur.fetchall()]


def _has_table(con, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                            [name]).fetchone()[0])


def _code(value: Optional[str], name: str) -> Optional[str]:
    return q._code(value, name)  # same validation as the API's queries


def _dyad_clause(a: str, b: str, directed: bool) -> tuple[str, list]:
    def side(s):
        return f"(starts_with(e.{s}_code, ?) OR e.{s}_country = ?)"

    one = f"({side('source')} AND {side('target')})"
    if directed:
        return one, [a, a, b, b]
    return f"({one} OR {one})", [a, a, b, b, b, b, a, a]


def _csv_cell(v):
    """Neutralise spreadsheet formulas in text cells (=, +, -, @ at the start)."""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


# ---------------------------------------------------------------- queries of the views
def events_page(con, filters: dict, sort: str = "date", order: str = "desc", limit: int = 50,
                offset: int = 0) -> dict:
    col = SORTS.get(sort)
    if col is None:
        raise q.QueryError(f"sort must be one of {', '.join(SORTS)}")
    if order not in ("asc", "desc"):
        raise q.QueryError("order must be asc or desc")
    limit = max(1, min(int(limit), q.MAX_LIMIT))
    offset = max(0, int(offset))
    where, params = q.event_where(alias="e", **filters)
    total = con.execute(f"SELECT count(*) FROM events e WHERE {where}", params).fetchone()[0]
    cols = ", ".join(f"e.{c}" for c in ROW_COLUMNS)
    rows = _rows(con, f"""
        SELECT {cols}, a.title AS article_title
        FROM events e LEFT JOIN articles a ON a.article_id = e.article_id
        WHERE {where}
        ORDER BY {col} {order.upper()} NULLS LAST, e.event_date DESC NULLS LAST, e.rowid
        LIMIT ? OFFSET ?""", params + [limit, offset])
    return {"total": total, "limit": limit, "offset": offset, "sort": sort, "order": order,
            "events": rows}


def dyad_events(con, a: str, b: str, start=None, end=None, directed: bool = False,
                limit: int = 200) -> dict:
    a, b = _code(a, "a"), _code(b, "b")
    if not a or not b:
        raise q.QueryError("a dyad needs two actor or country codes")
    dw, dp = _dyad_clause(a, b, directed)
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


def network(con, filters: dict, level: str = "code", min_count: int = 1,
            limit: int = NETWORK_MAX_EDGES) -> dict:
    if level not in ("code", "country"):
        raise q.QueryError("level must be code or country")
    min_count = max(1, int(min_count))
    limit = max(1, min(int(limit), NETWORK_MAX_EDGES))
    fw, fp = q.event_where(alias="e", **q.counted(filters))  # asserted events, not references
    s, t = f"e.source_{level}", f"e.target_{level}"
    edges = _rows(con, f"""
        SELECT least({s}, {t}) AS a, greatest({s}, {t}) AS b, count(*) AS count,
               round(avg(e.goldstein), 3) AS goldstein_mean,
               count(*) FILTER (WHERE e.quad_class IN (1, 2)) AS cooperation,
               count(*) FILTER (WHERE e.quad_class IN (3, 4)) AS conflict
        FROM events e
        WHERE {s} IS NOT NULL AND {t} IS NOT NULL AND {s} <> {t} AND {fw}
        GROUP BY 1, 2 HAVING count(*) >= ?
        ORDER BY count DESC, a, b LIMIT ?""", fp + [min_count, limit])
    nodes: dict = {}
    for e in edges:
        for k in ("a", "b"):
            n = nodes.setdefault(e[k], {"id": e[k], "count": 0, "degree": 0})
            n["count"] += e["count"]
            n["degree"] += 1
    return {"level": level, "min_count": min_count, "nodes": sorted(nodes.values(),
            key=lambda n: (-n["count"], n["id"])), "edges": edges,
            "truncated": len(edges) >= limit}


def map_points(con, filters: dict, limit: int = MAP_MAX_POINTS) -> dict:
    fw, fp = q.event_where(alias="e", **filters)
    where = f"e.location_lat IS NOT NULL AND e.location_lon IS NOT NULL AND {fw}"
    total = con.execute(f"SELECT count(*) FROM events e WHERE {where}", fp).fetchone()[0]
    unplaced = con.execute(
        f"SELECT count(*) FROM events e WHERE (e.location_lat IS NULL OR e.location_lon IS NULL) "
        f"AND {q.event_where(alias='e', **filters)[0]}", fp).fetchone()[0]
    pts = _rows(con, f"""
        SELECT e.location_name AS name, e.location_country AS country,
               round(e.location_lat, 3) AS lat, round(e.location_lon, 3) AS lon,
               e.quad_class AS quad_class, count(*) AS count,
               round(avg(e.goldstein), 3) AS goldstein_mean
        FROM events e WHERE {where}
        GROUP BY 1, 2, 3, 4, 5 ORDER BY count DESC, name LIMIT ?""", fp + [int(limit)])
    return {"total": total, "unplaced": unplaced, "points": pts}


def positions_view(con, issue: Optional[str] = None, limit: int = 500) -> dict:
    if not _has_table(con, "positions"):
        return {"available": False, "issues": [], "issue": issue, "positions": [], "proposals": []}
    issues = _rows(con, """
        SELECT issue, count(*) AS positions, count(DISTINCT actor_code) AS actors,
               min(date) AS first, max(date) AS last,
               count(*) FILTER (WHERE stance = 'propose') AS proposals
        FROM positions WHERE issue IS NOT NULL
        GROUP BY issue ORDER BY positions DESC, issue LIMIT 300""", [])
    out = {"available": True, "issues": issues, "issue": issue, "positions": [], "proposals": []}
    if not issue:
        return out
    pos = _rows(con, """
        SELECT p.position_id, p.article_id, p.actor_text, p.actor_name, p.actor_country,
               p.actor_sector, p.actor_code, p.issue, p.stance, p.evidence,
               coalesce(p.date, a.published) AS date, p.span_start, p.span_end, p.responds_to,
               a.title AS article_title
        FROM positions p LEFT JOIN articles a ON a.article_id = p.article_id
        WHERE p.issue = ?
        ORDER BY coalesce(p.date, a.published) NULLS LAST, p.article_id, p.span_start NULLS LAST,
                 p.position_id
        LIMIT ?""", [issue, int(limit)])
    by_id = {p["position_id"]: p for p in pos}
    proposals = []
    for p in pos:
        if p["stance"] == "propose":
            proposals.append({**p, "responses": []})
    prop_index = {p["position_id"]: p for p in proposals}
    for p in pos:
        if p.get("responds_to") and p["responds_to"] in prop_index:
            prop_index[p["responds_to"]]["responses"].append(p)
    orphans = [p for p in pos if p.get("responds_to") and p["responds_to"] not in by_id]
    out.update(positions=pos, proposals=proposals, unlinked_responses=len(orphans))
    return out


# ---------------------------------------------------------------- mounting
def mount(app: FastAPI, store_getter: Optional[Callable] = None, prefix: str = "/ui",
          root_redirect: bool = True) -> FastAPI:
    """Add the dashboard to `app`: pages and JSON under `prefix`, static files under
    `prefix`/static, and (unless the app already has one) a redirect from / to the dashboard.
    `store_getter()` returns the eventcoder Store (default: `app.state.store`). Idempotent."""
    if getattr(app.state, "web_mounted", False):
        return app
    prefix = "/" + prefix.strip("/")
    get_store = store_getter or (lambda: app.state.store)
    env = _jinja()
    router = APIRouter(include_in_schema=False)

    def cursor():
        return get_store().cursor()

    def render(template: str, status: int = 200, **ctx) -> HTMLResponse:
        ctx.setdefault("prefix", prefix)
        ctx.setdefault("version", __version__)
        ctx.setdefault("pages", PAGES)
        html = env.get_template(template).render(**ctx)
        return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)

    def guarded(fn):
        """Run a JSON view: query errors become 400 JSON bodies."""
        try:
            return JSONResponse(fn())
        except q.QueryError as exc:
            return _error(400, str(exc))
        except (ValueError, TypeError) as exc:
            return _error(400, str(exc))

    # ------------------------------------------------------------ pages
    @router.get("/", response_class=HTMLResponse)
    def home():
        con = cursor()
        try:
            counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                      for t in ("articles", "events", "quotes", "actors")}
            if _has_table(con, "positions"):
                counts["positions"] = con.execute("SELECT count(*) FROM positions").fetchone()[0]
            span = con.execute("SELECT min(event_date), max(event_date) FROM events").fetchone()
        finally:
            con.close()
        return render("home.html", page="home", title="eventcoder", counts=counts,
                      first=_jsonable(span[0]), last=_jsonable(span[1]),
                      read_only=bool(getattr(get_store(), "read_only", False)))

    def simple_page(name: str):
        def view(request: Request):
            return render(f"{name}.html", page=name, title=PAGES[name],
                          params=dict(request.query_params))
        view.__name__ = f"page_{name}"
        return view

    for name in PAGES:
        router.add_api_route(f"/{name}", simple_page(name), methods=["GET"],
                             response_class=HTMLResponse)

    @router.get("/articles/{article_id}", response_class=HTMLResponse)
    def article_page(article_id: str, event: Optional[str] = None):
        con = cursor()
        try:
            row = con.execute("SELECT title FROM articles WHERE article_id = ?",
                              [article_id]).fetchone()
        finally:
            con.close()
        if row is None:
            return render("article.html", status=404, page="article", title="Article not found",
                          article_id=article_id, found=False, event=event)
        return render("article.html", page="article", title=row[0] or article_id, heading="Article view",
                      article_id=article_id, found=True, event=event)

    @router.get("/actors/{code}", response_class=HTMLResponse)
    def actor_page(code: str):
        return render("actor.html", page="actor", title=f"Actor {code}", code=code)

    # ------------------------------------------------------------ JSON
    @router.get("/api/events")
    def api_events(request: Request, sort: str = "date", order: str = "desc",
                   limit: int = Query(50, ge=1, le=q.MAX_LIMIT),
                   offset: int = Query(0, ge=0, le=10_000_000)):
        def run():
            con = cursor()
            try:
                return events_page(con, _filters(request), sort=sort, order=order, limit=limit,
                                   offset=offset)
            finally:
                con.close()
        return guarded(run)

    @router.get("/api/events.csv")
    def api_events_csv(request: Request, sort: str = "date", order: str = "desc"):
        try:
            filters = _filters(request)
            con = cursor()
            try:
                page = events_page(con, filters, sort=sort, order=order, limit=1)
                total = page["total"]
                rows: list = []
                step = q.MAX_LIMIT
                for off in range(0, min(total, CSV_MAX), step):
                    rows += events_page(con, filters, sort=sort, order=order, limit=step,
                                        offset=off)["events"]
            finally:
                con.close()
        except (q.QueryError, ValueError) as exc:
            return _error(400, str(exc))
        buf = io.StringIO()
        cols = list(ROW_COLUMNS) + ["article_title"]
        w = csv.writer(buf)
        w.writerow(cols)
        for r in rows:
            w.writerow([_csv_cell(r.get(c)) for c in cols])
        headers = {"Content-Disposition": 'attachment; filename="events.csv"',
                   "X-Total-Count": str(total), "X-Content-Type-Options": "nosniff"}
        if total > CSV_MAX:
            headers["X-Truncated"] = f"first {CSV_MAX} of {total} rows"
        return StreamingResponse(iter([buf.getvalue()]), media_type="text/csv; charset=utf-8",
                                 headers=headers)

    @router.get("/api/dyad/events")
    def api_dyad_events(a: str, b: str, start: Optional[str] = None, end: Optional[str] = None,
                        directed: bool = False, limit: int = Query(200, ge=1, le=q.MAX_LIMIT)):
        def run():
            con = cursor()
            try:
                return dyad_events(con, a, b, start=start, end=end, directed=directed, limit=limit)
            finally:
                con.close()
        return guarded(run)

    @router.get("/api/network")
    def api_network(request: Request, level: str = "code",
                    min_count: int = Query(1, ge=1, le=1_000_000),
                    limit: int = Query(NETWORK_MAX_EDGES, ge=1, le=NETWORK_MAX_EDGES)):
        def run():
            con = cursor()
            try:
                return network(con, _filters(request), level=level, min_count=min_count,
                               limit=limit)
            finally:
                con.close()
        return guarded(run)

    @router.get("/api/map")
    def api_map(request: Request):
        def run():
            con = cursor()
            try:
                return map_points(con, _filters(request))
            finally:
                con.close()
        return guarded(run)

    @router.get("/api/positions")
    def api_positions(issue: Optional[str] = Query(None, max_length=300)):
        def run():
            con = cursor()
            try:
                return positions_view(con, issue=issue or None)
            finally:
                con.close()
        return guarded(run)

    app.include_router(router, prefix=prefix)
    app.mount(f"{prefix}/static", StaticFiles(directory=str(STATIC_DIR)), name="eventcoder-web")
    if root_redirect and not any(getattr(r, "path", None) == "/" for r in app.routes):
        @app.get("/", include_in_schema=False)
        def _root():
            return RedirectResponse(f"{prefix}/")
    app.state.web_mounted = True
    return app

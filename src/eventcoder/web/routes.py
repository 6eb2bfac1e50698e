"""The dashboard: HTML pages and the few JSON views they need, mounted onto the API app.

    from eventcoder.api import create_app
    from eventcoder.web.routes import mount
    app = create_app("events.duckdb")
    mount(app, lambda: app.state.store)        # pages under /ui, a redirect from /

Pages (server-rendered shells; small vanilla-JS files fill them from the JSON API: app.js holds
the DOM helpers and the article annotator, charts.js the Observable Plot / d3 wrappers, and
pages/<page>.js one page each; Plot, d3 and the world-atlas basemap are vendored under
static/vendor/ by tools/vendor_js.py. Every piece of article text reaches the page through
`textContent`, never as HTML, and every page is sent with a Content-Security-Policy that allows
only this server's own scripts and styles):

    /ui/                  home: store counts, events over time, top dyads, the type mix
    /ui/code              code an article (paste or upload), optionally store it
    /ui/events            events explorer: every /events filter, sortable pages, page jumps, CSV
    /ui/articles/{id}     an article annotated (actors, triggers, quotes), ?event= highlights one
    /ui/dyad              a dyad's counts per period (zero-filled, bulk span, per 100 articles)
    /ui/network           country (or actor) network, min count chosen from the data, legend
    /ui/actors/{code}     actor profile
    /ui/map               event locations on the world-atlas basemap, coloured by quad class
    /ui/positions         an issue's positions grouped by resolved actor, paged; proposals

JSON used by the pages (beside the API's own /code, /articles, /events, /dyads, /actors):

    /ui/api/events        like /events, plus `sort`/`order` and each article's title
    /ui/api/events.csv    the filtered set as CSV (up to CSV_MAX rows)
    /ui/api/dyad/events   the events of an undirected (or directed) dyad in a date range
    /ui/api/network       nodes and edges (count, mean Goldstein, balance) for a period
    /ui/api/map           event locations grouped by place and quad class
    /ui/api/positions     issues, an issue's positions by actor (paged), proposals and responses
    /ui/api/home          events over time, top country dyads, PLOVER type mix
    /ui/api/overall       all events per period (the filters, span, normalise)

Every value reaches DuckDB as a bound parameter; sort columns and levels come from whitelists.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Callable, Optional

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles

from .. import __version__
from .. import query as q
from .. import series
from ..errors import EventcoderError, UsageError
from .views import (NETWORK_MAX_EDGES, ROW_COLUMNS, _jsonable, dyad_events, events_page,
                    has_table, home_view, map_points, network, positions_view)

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
TEMPLATE_DIR = WEB_DIR / "templates"

CSV_MAX = 100_000

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}

# Filters the pages pass through to query.event_where (names as in GET /events).
FILTER_PARAMS = ("start", "end", "actor", "source", "target", "country", "sector",
                 "plover_type", "cameo_root", "cameo_code", "quad_class", "status", "place", "text",
                 "publisher", "min_confidence")
QUAD_CLASSES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
                4: "material conflict"}
# The scripts of each page, in order (all served from /ui/static/): the vendored libraries the
# page's charts need, the shared helpers, then the page's own file.
VENDOR_JS = ("vendor/d3-7.9.2.min.js", "vendor/plot-0.6.17.umd.min.js")
PAGE_JS = {"home": "home", "code": "article", "article": "article", "events": "events",
           "dyad": "dyad", "actor": "actor", "network": "network", "map": "map",
           "positions": "positions"}
CHART_PAGES = ("home", "dyad", "actor", "network", "map", "positions")


def page_scripts(page: str) -> list[str]:
    out = list(VENDOR_JS) if page in CHART_PAGES else []
    if page == "map":
        out.append("vendor/topojson-client-3.1.0.min.js")
    out.append("app.js")
    if page in CHART_PAGES:
        out.append("charts.js")
    if page in PAGE_JS:
        out.append(f"pages/{PAGE_JS[page]}.js")
    return out


PAGES = {  # path -> (template page name, title)
    "code": "Code an article", "events": "Events explorer", "dyad": "Dyad view",
    "network": "Actor network", "map": "Map", "positions": "Positions",
}


def _cameo_roots() -> list[tuple[str, str]]:
    """The CAMEO root codes with their names, for the explorer's filter."""
    from ..events.ontology import Ontology

    onto = Ontology.default()
    return [(r, onto.root_name(r) or "") for r in onto.roots()]


def _jinja():
    import jinja2

    from ..model import PLOVER_TYPES, SECTORS, STATUSES

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(PLOVER_TYPES=PLOVER_TYPES, STATUSES=STATUSES, SECTORS=SECTORS,
                       QUAD_CLASSES=QUAD_CLASSES, CAMEO_ROOTS=_cameo_roots())
    return env


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


def _csv_cell(v):
    """Neutralise spreadsheet formulas in text cells (=, +, -, @ at the start)."""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


# ---------------------------------------------------------------- mounting
def mount(app: FastAPI, store_getter: Optional[Callable] = None, prefix: str = "/ui",
          root_redirect: bool = True) -> FastAPI:
    """Add the dashboard to `app`: pages and JSON under `prefix`, static files under
    `prefix`/static, and (unless the app already has one) a redirect from / to the dashboard.
    `store_getter()` returns the eventcoder Store (default: `app.state.store`). Idempotent.
    Errors (a QueryError, a busy store) are answered by the app's one handler, which
    api.create_app installs (an app of your own: call `eventcoder.api.add_error_handler(app)`)."""
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
        ctx.setdefault("scripts", page_scripts(ctx.get("page", "")))
        html = env.get_template(template).render(**ctx)
        return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)

    def guarded(fn):
        """Run a JSON view. An EventcoderError (a QueryError, ...) reaches the app's one error
        handler (api.error_response); a ValueError or TypeError from reading the parameters is
        a UsageError, answered the same way (400)."""
        try:
            return JSONResponse(fn())
        except EventcoderError:
            raise
        except (ValueError, TypeError) as exc:
            raise UsageError(str(exc)) from exc

    # ------------------------------------------------------------ pages
    @router.get("/", response_class=HTMLResponse)
    def home():
        con = cursor()
        try:
            counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                      for t in ("articles", "events", "quotes", "actors")}
            if has_table(con, "positions"):
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
        if name != "events":
            router.add_api_route(f"/{name}", simple_page(name), methods=["GET"],
                                 response_class=HTMLResponse)

    @router.get("/events", response_class=HTMLResponse)
    def page_events(request: Request):
        con = cursor()
        try:
            pubs = q.publishers(con)
        finally:
            con.close()
        return render("events.html", page="events", title=PAGES["events"],
                      params=dict(request.query_params), publishers=pubs)

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
                   offset: int = Query(0, ge=0, le=10_000_000), unique: bool = False):
        def run():
            con = cursor()
            try:
                return events_page(con, _filters(request), sort=sort, order=order, limit=limit,
                                   offset=offset, unique=unique)
            finally:
                con.close()
        return guarded(run)

    @router.get("/api/events.csv")
    def api_events_csv(request: Request, sort: str = "date", order: str = "desc",
                       unique: bool = False):
        try:
            filters = _filters(request)
            con = cursor()
            try:
                page = events_page(con, filters, sort=sort, order=order, limit=1, unique=unique)
                total = page["total"]
                rows: list = []
                step = q.MAX_LIMIT
                for off in range(0, min(total, CSV_MAX), step):
                    rows += events_page(con, filters, sort=sort, order=order, limit=step,
                                        offset=off, unique=unique)["events"]
            finally:
                con.close()
        except EventcoderError:
            raise
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
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
    def api_network(request: Request, level: str = "country",
                    min_count: Optional[int] = Query(None, ge=1, le=1_000_000),
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
    def api_positions(issue: Optional[str] = Query(None, max_length=300),
                      offset: int = Query(0, ge=0, le=1_000_000),
                      limit: int = Query(20, ge=1, le=200)):
        def run():
            con = cursor()
            try:
                return positions_view(con, issue=issue or None, offset=offset, limit=limit)
            finally:
                con.close()
        return guarded(run)

    @router.get("/api/home")
    def api_home():
        def run():
            con = cursor()
            try:
                return home_view(con)
            finally:
                con.close()
        return guarded(run)

    @router.get("/api/overall")
    def api_overall(request: Request, interval: Optional[str] = None, span: str = "bulk",
                    normalise: str = "none"):
        def run():
            con = cursor()
            try:
                return series.overall(con, interval=interval or None, span=span,
                                      normalise=normalise, **_filters(request))
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

"""The HTTP API (FastAPI): code text, ingest articles, and query the store.

    from eventcoder.api import create_app
    app = create_app("events.duckdb", read_only=True)      # then: uvicorn.run(app)

Endpoints: POST /code, POST /articles, GET /events, GET /dyads/{a}/{b}/series,
GET /actors/{code}, GET /articles/{article_id}, GET /health; the schema is at /openapi.json.

Every error is JSON: {"error": "<reason>", "status": <code>, "type": <kind>, "input": ...,
"detail": ...} (eventcoder.errors.error_body; the dashboard's JSON endpoints answer the same). Request bodies
larger than `max_body` bytes are refused with 413 before they are read in full. Every query
value reaches DuckDB as a bound parameter. One DuckDB connection per request (a cursor of the
store's database); writes are serialised by the store's lock. In read-only mode the database
file is opened read_only and the writing endpoint answers 403.
"""
from __future__ import annotations

import threading
import time
from datetime import date
from typing import Annotated, Literal, Optional

from fastapi import FastAPI, Path, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, BeforeValidator, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import __version__
from . import query as q
from . import series
from .errors import EventcoderError, error_body, error_of
from .model import PLOVER_TYPES, SECTORS, STATUSES, Article
from .settings import default
from .store import Store, StoreBusy, StoreError, load_coder


def _not_a_number(value):
    """Dates are ISO YYYY-MM-DD: a bare number (pydantic would read 0 as 1970-01-01) is refused."""
    if isinstance(value, bool) or isinstance(value, (int, float)) or (
            isinstance(value, str) and value.strip().lstrip("+-").replace(".", "", 1).isdigit()):
        raise ValueError("a date is written YYYY-MM-DD, not as a number")
    return value


IsoDate = Annotated[Optional[date], BeforeValidator(_not_a_number)]

MAX_BODY = default("max_body")  # bytes per request body
MAX_TEXT = 500_000            # characters per article text
MAX_ARTICLES = 100            # articles per POST /articles
CODE_PATTERN = r"^[A-Za-z0-9]{1,40}$"


def _list_of(values) -> str:
    """A comma-separated list of known values (upper or lower case), as eventcoder.query accepts."""
    alt = "|".join(sorted({v for x in values for v in (x.upper(), x.lower())}))
    return rf"^(?:{alt})(?:,(?:{alt})){{0,20}}$"


SECTOR_PATTERN, PLOVER_PATTERN, STATUS_PATTERN = (_list_of(SECTORS), _list_of(PLOVER_TYPES),
                                                  _list_of(STATUSES))
STATUS_OR_ALL = r"^(all|((occurred|planned|possible|negated)(,(occurred|planned|possible|negated))*))$"
# the statuses and references a series or profile counts (shared by the counting endpoints)
CountedStatus = Annotated[Optional[str], Query(pattern=STATUS_OR_ALL,
                                               description="statuses counted (default occurred), or all")]
CountedReferences = Annotated[bool, Query(description="also count mentions of earlier events")]


# ---------------------------------------------------------------- models
class ErrorBody(BaseModel):
    error: str = Field(description="why the request failed")
    status: int
    type: str = Field(description="the kind of error, e.g. QueryError, StoreBusy, RequestValidationError")
    input: Optional[str] = Field(None, description="the input the error is about, when there is one")
    detail: Optional[list | dict | str] = None


class CodeRequest(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="article text")
    published: IsoDate = Field(None, description="publication date, resolves relative dates")
    title: Optional[str] = Field(None, max_length=2000)


class ArticleIn(BaseModel):
    article_id: Optional[str] = Field(None, min_length=1, max_length=200,
                                      description="default: a hash of the text")
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    title: Optional[str] = Field(None, max_length=2000)
    published: IsoDate = None
    url: Optional[str] = Field(None, max_length=4000)
    source_name: Optional[str] = Field(None, max_length=500)


class ArticlesRequest(BaseModel):
    articles: list[ArticleIn] = Field(min_length=1, max_length=MAX_ARTICLES)


CODE_MAX_CHARS = default("code_max_chars")
CODE_TIME_LIMIT = default("code_time_limit")
CODE_QUEUE = default("code_queue")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
TOKEN_COOKIE = "eventcoder_token"


class _CodingQueue:
    """Coding off the event loop, one request at a time, with a bounded number waiting: over
    `size` waiting -> 429; a request not done in `limit` seconds -> 504 (its work finishes in the
    background and keeps its place, so an overload stays bounded)."""

    def __init__(self, size: int, limit: float) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.size, self.limit = max(0, int(size)), float(limit)
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="eventcoder-code")
        self.pending = 0
        self.lock = threading.Lock()

    def run(self, fn):
        from concurrent.futures import TimeoutError as FutureTimeout

        with self.lock:
            if self.pending > self.size:  # one running + `size` waiting
                raise ApiError(429, f"the coder is busy ({self.pending} requests in hand); retry later")
            self.pending += 1
        fut = self.pool.submit(fn)
        fut.add_done_callback(lambda _f: self._done())
        try:
            return fut.result(timeout=self.limit if self.limit > 0 else None)
        except FutureTimeout:
            raise ApiError(504, f"coding took longer than this server's limit of {self.limit:g} s") from None

    def _done(self) -> None:
        with self.lock:
            self.pending -= 1


def _host_of(value: bytes) -> str:
    host = value.decode("latin-1").strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class _HostGuard:
    """ASGI middleware: the Host header must name an allowed host (DNS-rebinding guard); "*"
    allows any."""

    def __init__(self, app, hosts) -> None:
        self.app = app
        self.hosts = {h.lower() for h in hosts}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or "*" in self.hosts:
            return await self.app(scope, receive, send)
        host = next((_host_of(v) for k, v in scope.get("headers") or [] if k == b"host"), "")
        if host not in self.hosts:
            return await _send_json(send, 421, _err(421, f"host {host or '(none)'!r} is not served here; "
                                                         f"start the server with --allowed-host {host or 'NAME'}"))
        return await self.app(scope, receive, send)


class _TokenGuard:
    """ASGI middleware: every request but GET /health carries the token (Bearer header, cookie,
    or ?token= which then sets the cookie for the dashboard)."""

    def __init__(self, app, token: str) -> None:
        self.app, self.token = app, token

    async def __call__(self, scope, receive, send):
        import hmac
        from http.cookies import SimpleCookie
        from urllib.parse import parse_qs

        if scope["type"] != "http" or scope.get("path") == "/health":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        given = None
        auth = headers.get(b"authorization", b"").decode("latin-1")
        if auth.lower().startswith("bearer "):
            given = auth[7:].strip()
        from_query = False
        if given is None and b"cookie" in headers:
            c = SimpleCookie()
            try:
                c.load(headers[b"cookie"].decode("latin-1"))
            except Exception:
                c = SimpleCookie()
            if TOKEN_COOKIE in c:
                given = c[TOKEN_COOKIE].value
        if given is None:
            qs = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            if qs.get("token"):
                given, from_query = qs["token"][0], True
        if given is None or not hmac.compare_digest(given.encode(), self.token.encode()):
            return await _send_json(send, 401, _err(401, "a token is required: Authorization: Bearer TOKEN "
                                                         "(or open /ui/?token=TOKEN once in a browser)"))
        if not from_query:
            return await self.app(scope, receive, send)

        async def send_with_cookie(msg):
            if msg["type"] == "http.response.start":
                hdrs = list(msg.get("headers") or [])
                hdrs.append((b"set-cookie", f"{TOKEN_COOKIE}={self.token}; HttpOnly; SameSite=Strict; "
                                            f"Path=/".encode("latin-1")))
                msg = dict(msg, headers=hdrs)
            await send(msg)

        return await self.app(scope, receive, send_with_cookie)


class _SizeLimit:
    """ASGI middleware: refuse request bodies over `limit` bytes with a JSON 413."""

    def __init__(self, app, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for k, v in scope.get("headers") or []:
            if k == b"content-length":
                try:
                    too_big = int(v) > self.limit
                except ValueError:
                    too_big = True
                if too_big:
                    return await _send_json(send, 413, _err(413, f"request body over {self.limit} bytes"))
        if scope.get("method") not in ("POST", "PUT", "PATCH"):
            return await self.app(scope, receive, send)
        # Read the body up to the limit before the app sees it (bodies without a
        # content-length, e.g. chunked, are refused as soon as they pass the limit).
        body, more = bytearray(), True
        while more:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                return
            body += msg.get("body", b"")
            more = msg.get("more_body", False)
            if len(body) > self.limit:
                return await _send_json(send, 413, _err(413, f"request body over {self.limit} bytes"))
        sent = False

        async def replay():
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        await self.app(scope, replay, send)


class _Session:
    """Each request reads through one store session (see Store.session): between requests a
    read-only server keeps no lock on the file."""

    def __init__(self, app, store) -> None:
        self.app, self.store = app, store

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        with self.store.session():
            await self.app(scope, receive, send)


async def _send_json(send, status: int, body: dict) -> None:
    import json

    data = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(data)).encode())]})
    await send({"type": "http.response.body", "body": data})


def _err(status: int, reason: str, detail=None, type: str = "ApiError") -> dict:
    return error_body(status, reason, type=type, detail=detail)


class ApiError(EventcoderError):
    """A request this server refuses (404, 413, 429, ...), with its HTTP status."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.http_status = self.status = status
        self.reason = reason


def error_response(exc: EventcoderError) -> JSONResponse:
    """The one answer to an EventcoderError, for the API and the dashboard's JSON endpoints: a
    busy store is 503 with Retry-After, another store failure 500, the rest `exc.http_status`."""
    status, body = error_of(exc)
    headers = None
    if isinstance(exc, StoreBusy):
        status, headers = 503, {"Retry-After": "2"}
        body.update(status=status, error=f"the store is busy: {exc}")
    elif isinstance(exc, StoreError):
        status = body["status"] = 500
    return JSONResponse(body, status_code=status, headers=headers)


def add_error_handler(app: FastAPI) -> None:
    """Answer every EventcoderError raised in `app` with `error_response` (idempotent)."""
    async def _eventcoder_error(request: Request, exc: EventcoderError):
        return error_response(exc)

    app.add_exception_handler(EventcoderError, _eventcoder_error)


ERRORS = {s: {"model": ErrorBody} for s in (400, 413, 422, 500)}


# ---------------------------------------------------------------- app
def create_app(db: str | Store = "events.duckdb", read_only: bool = False, coder=None,
               max_body: int = MAX_BODY, token: Optional[str] = None,
               allowed_hosts: Optional[list] = None, code_max_chars: int = CODE_MAX_CHARS,
               code_time_limit: float = CODE_TIME_LIMIT, code_queue: int = CODE_QUEUE) -> FastAPI:
    """The FastAPI app over a store (a path, or an open Store). `coder` codes POST bodies;
    default: eventcoder.coder.Coder, loaded on first use.

    Guards: `token` (every request but /health must carry it: `Authorization: Bearer TOKEN`, the
    `eventcoder_token` cookie, or `?token=` once, which sets the cookie); `allowed_hosts` (the
    Host header must name one: DNS rebinding cannot turn a browser against the server; default
    loopback names); coding requests are limited to `code_max_chars` characters (413), run off
    the event loop one at a time with at most `code_queue` waiting (429 beyond) and answer 504
    after `code_time_limit` seconds."""
    # A read-only server opens the file only while it answers (and 1 s after), so an ingest
    # can write between requests; a request that meets a writer waits up to 2 s, then answers 503.
    store = db if isinstance(db, Store) else Store(db, read_only=read_only, wait=2.0)
    read_only = store.read_only
    state = {"coder": coder, "coder_error": None}
    coder_lock = threading.Lock()
    coding = _CodingQueue(code_queue, code_time_limit)

    app = FastAPI(
        title="eventcoder", version=__version__, docs_url=None, redoc_url=None,
        description="Political events (CAMEO/PLOVER), quotes and positions coded from news, "
                    "stored in DuckDB. Errors are JSON objects with an `error` reason.",
    )
    app.state.store = store
    app.add_middleware(_SizeLimit, limit=max_body)
    if read_only:
        app.add_middleware(_Session, store=store)
    if token:
        app.add_middleware(_TokenGuard, token=token)
    app.add_middleware(_HostGuard, hosts=allowed_hosts or list(LOOPBACK_HOSTS))

    add_error_handler(app)  # ApiError, QueryError, StoreBusy, ...: eventcoder.errors

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        errs = []
        for e in exc.errors():
            errs.append({"loc": [str(x) for x in e.get("loc", ())], "msg": e.get("msg"),
                         "type": e.get("type")})
        first = errs[0] if errs else {}
        reason = f"invalid {'.'.join(first.get('loc', [])[1:]) or 'request'}: {first.get('msg', '')}"
        return JSONResponse(_err(422, reason, jsonable_encoder(errs), type="RequestValidationError"),
                            status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        reason = exc.detail if isinstance(exc.detail, str) else "http error"
        return JSONResponse(_err(exc.status_code, reason, type="HTTPException"), status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception):  # pragma: no cover - a bug
        return JSONResponse(_err(500, f"internal error: {type(exc).__name__}", type="InternalError"),
                            status_code=500)

    def get_coder():
        with coder_lock:
            if state["coder"] is None and state["coder_error"] is None:
                try:
                    state["coder"] = load_coder()
                except Exception as exc:  # ImportError, model missing, ...
                    state["coder_error"] = f"{type(exc).__name__}: {exc}"
            if state["coder"] is None:
                raise ApiError(503, f"the coder is unavailable ({state['coder_error']})")
            return state["coder"]

    def cursor():
        return store.cursor()

    # ------------------------------------------------------------ endpoints
    @app.get("/health", summary="liveness and store counts")
    def health() -> dict:
        con = cursor()
        try:
            n_art = con.execute("SELECT count(*) FROM articles").fetchone()[0]
            n_ev = con.execute("SELECT count(*) FROM events").fetchone()[0]
        finally:
            con.close()
        return {"status": "ok", "version": __version__, "read_only": read_only,
                "articles": n_art, "events": n_ev}

    @app.post("/code", summary="code a text into events and quotes (nothing is stored)",
              responses={**ERRORS, 503: {"model": ErrorBody}})
    def code(body: CodeRequest) -> dict:
        if len(body.text) > code_max_chars:
            raise ApiError(413, f"text of {len(body.text):,} characters is over this server's limit of "
                                f"{code_max_chars:,} for POST /code")
        c = get_coder()
        pub = body.published.isoformat() if body.published else None
        art = Article(article_id=Article.content_id(body.text), text=body.text, title=body.title,
                      published=pub)
        out = coding.run(lambda: next(iter(c.code_articles(iter([art])))))
        if getattr(out, "error", None):
            raise ApiError(422, f"could not code the text: {out.error}")
        return {"article_id": art.article_id,
                "events": [e.to_dict() for e in out.events],
                "quotes": [x.to_dict() for x in out.quotes],
                "positions": [x.to_dict() for x in (getattr(out, "positions", None) or [])]}

    @app.post("/articles", summary="code and store articles (idempotent)",
              responses={**ERRORS, 403: {"model": ErrorBody}, 503: {"model": ErrorBody}})
    def post_articles(body: ArticlesRequest) -> dict:
        if read_only:
            raise ApiError(403, "the server is read-only")
        total = sum(len(a.text) for a in body.articles)
        if total > code_max_chars:
            raise ApiError(413, f"articles of {total:,} characters in all are over this server's limit "
                                f"of {code_max_chars:,} per request")
        c = get_coder()
        arts = []
        for a in body.articles:
            arts.append(Article(article_id=a.article_id or Article.content_id(a.text),
                                text=a.text, title=a.title,
                                published=a.published.isoformat() if a.published else None,
                                url=a.url, source_name=a.source_name, origin="api"))
        def work():
            try:
                return store.ingest(arts, coder=c, batch_size=len(arts) or 1)
            except StoreError as exc:
                raise ApiError(403, str(exc))

        s = coding.run(work)
        out = s.to_dict()
        out["article_ids"] = [a.article_id for a in arts]
        return out

    @app.get("/events", summary="events matching filters, newest first, paginated",
             responses=ERRORS)
    def get_events(
        start: Annotated[IsoDate, Query(description="first event date")] = None,
        end: Annotated[IsoDate, Query(description="last event date")] = None,
        actor: Optional[str] = Query(None, pattern=CODE_PATTERN,
                                     description="actor code prefix or country, either side"),
        source: Optional[str] = Query(None, pattern=CODE_PATTERN),
        target: Optional[str] = Query(None, pattern=CODE_PATTERN),
        country: Optional[str] = Query(None, pattern=r"^[A-Za-z]{3}$"),
        sector: Optional[str] = Query(None, pattern=SECTOR_PATTERN, description="GOV,MIL"),
        plover_type: Optional[str] = Query(None, pattern=PLOVER_PATTERN, description="CONSULT,AGREE"),
        cameo_root: Optional[str] = Query(None, pattern=r"^\d{1,2}(,\d{1,2}){0,20}$"),
        cameo_code: Optional[str] = Query(None, pattern=r"^\d{2,4}(,\d{2,4}){0,20}$"),
        quad_class: Optional[str] = Query(None, pattern=r"^[0-4](,[0-4]){0,4}$"),
        status: Optional[str] = Query(None, pattern=STATUS_PATTERN),
        place: Optional[str] = Query(None, max_length=200),
        text: Optional[str] = Query(None, max_length=200, description="text search"),
        publisher: Optional[str] = Query(None, max_length=200,
                                         description="the articles' publisher (source name or URL host)"),
        min_confidence: Optional[float] = Query(None, ge=0, le=1, description="lowest confidence"),
        unique: bool = Query(False, description="one event per dedup cluster"),
        limit: int = Query(50, ge=1, le=q.MAX_LIMIT),
        offset: int = Query(0, ge=0, le=10_000_000),
    ) -> dict:
        con = cursor()
        try:
            return q.events(con, limit=limit, offset=offset, unique=unique, start=start, end=end,
                            actor=actor, source=source, target=target, country=country,
                            sector=sector, plover_type=plover_type, cameo_root=cameo_root,
                            cameo_code=cameo_code, quad_class=quad_class, status=status,
                            place=place, text=text, publisher=publisher,
                            min_confidence=min_confidence)
        finally:
            con.close()

    @app.get("/dyads/{a}/{b}/series", summary="dyad time series (counts by quad class, Goldstein)",
             responses=ERRORS)
    def get_dyad(
        a: str = Path(pattern=CODE_PATTERN, description="actor code prefix or country"),
        b: str = Path(pattern=CODE_PATTERN),
        interval: Literal["day", "week", "month"] = "week",
        start: IsoDate = None,
        end: IsoDate = None,
        directed: bool = False,
        span: Literal["bulk", "all"] = Query("bulk", description="without start/end: the 1st-99th "
                                             "percentile of the events (bulk) or every dated event"),
        fill: bool = Query(True, description="every period, empty ones counting zero"),
        normalise: Literal["none", "articles"] = Query(
            "none", description="add articles per period and counts per 100 articles"),
        status: CountedStatus = None,
        references: CountedReferences = False,
    ) -> dict:
        con = cursor()
        try:
            return series.dyad(con, a, b, interval=interval, start=start, end=end,
                               directed=directed, span=span, fill=fill, normalise=normalise,
                               status=status, references=references)
        finally:
            con.close()

    @app.get("/actors/{code}", summary="actor profile: names, partners, event mix, trend",
             responses={**ERRORS, 404: {"model": ErrorBody}})
    def get_actor(
        code: str = Path(pattern=CODE_PATTERN),
        start: IsoDate = None,
        end: IsoDate = None,
        top: int = Query(10, ge=1, le=100),
        interval: Literal["day", "week", "month"] = "month",
        span: Literal["bulk", "all"] = "bulk",
        normalise: Literal["none", "articles"] = "none",
        status: CountedStatus = None,
        references: CountedReferences = False,
    ) -> dict:
        con = cursor()
        try:
            prof = q.actor_profile(con, code, start=start, end=end, top=top, interval=interval,
                                   status=status, references=references)
            if prof is not None:  # the trend, zero-filled over its span (eventcoder.series)
                prof = series.actor_trend(con, prof, interval=interval, start=start, end=end,
                                          span=span, normalise=normalise)
        finally:
            con.close()
        if prof is None:
            raise ApiError(404, f"no events with actor {code.upper()}")
        return prof

    @app.get("/positions", summary="positions on an issue over time and/or of an actor, with the "
                                    "proposal each response answers", responses=ERRORS)
    def get_positions(
        issue: Optional[str] = Query(None, max_length=200, description="issue, e.g. 'territory exchange'"),
        actor: Optional[str] = Query(None, max_length=100, description="actor code prefix, country or name"),
        stance: Optional[Literal["propose", "support", "oppose", "reject", "neutral"]] = None,
        start: IsoDate = None,
        end: IsoDate = None,
        limit: int = Query(100, ge=1, le=1000),
        offset: int = Query(0, ge=0, le=10_000_000),
    ) -> dict:
        con = cursor()
        try:
            return q.positions(con, issue=issue, actor=actor, stance=stance, start=start, end=end,
                               limit=limit, offset=offset)
        finally:
            con.close()

    @app.get("/positions/issues", summary="issues with positions, most discussed first", responses=ERRORS)
    def get_issues(limit: int = Query(100, ge=1, le=1000)) -> list:
        con = cursor()
        try:
            return q.issues(con, limit=limit)
        finally:
            con.close()

    @app.get("/articles/{article_id}", summary="article text with actor, trigger and quote spans",
             responses={**ERRORS, 404: {"model": ErrorBody}})
    def get_article(article_id: str = Path(min_length=1, max_length=200)) -> dict:
        con = cursor()
        try:
            art = q.article_with_spans(con, article_id)
        finally:
            con.close()
        if art is None:
            raise ApiError(404, "no such article")
        return art

    from .web.routes import mount  # the analysts' dashboard under /ui

    mount(app, lambda: store)
    return app


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, read_only: bool = False,
          max_body: int = MAX_BODY, coder=None, log_level: str = "info", token: Optional[str] = None,
          allowed_hosts: Optional[list] = None, code_max_chars: int = CODE_MAX_CHARS,
          code_time_limit: float = CODE_TIME_LIMIT, code_queue: int = CODE_QUEUE) -> None:
    import uvicorn

    hosts = list(LOOPBACK_HOSTS) + [host] + list(allowed_hosts or [])
    app = create_app(db, read_only=read_only, coder=coder, max_body=max_body, token=token,
                     allowed_hosts=hosts, code_max_chars=code_max_chars, code_time_limit=code_time_limit,
                     code_queue=code_queue)
    uvicorn.run(app, host=host, port=port, log_level=log_level, workers=1)

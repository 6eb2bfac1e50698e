"""The DuckDB store: schema, idempotent per-batch ingest, and the glue to dedup and queries.

One `Store` wraps one DuckDB database (a file, or ":memory:"). One process writes at a time
(DuckDB's own rule); readers in the same process use `store.cursor()`.

    from eventcoder.store import Store
    with Store("events.duckdb") as st:
        summary = st.ingest(read_inputs(["corpus.jsonl"]))     # codes with the default Coder
        page = st.events(actor="RUS", start="2025-01-01", limit=20)

Ingest is idempotent and incremental: an article whose id or content hash is already stored is
skipped before it is coded; each batch of coded articles (articles, events, quotes, positions,
the clusters and actor counts they touch) is written in one transaction, so a crash loses at
most the batch in flight and a rerun picks up where the last commit left off.
See docs/store.md for the schema and the deduplication rule.
"""
from __future__ import annotations

import json
import re
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Iterator, Optional

import duckdb
import pyarrow as pa

from .coder import CodedArticle
from .errors import EventcoderError
from .model import Article, Event, Position, Quote
from . import dedup as _dedup
from . import query as _query

SCHEMA_VERSION = "2"  # 2: events.date_precision, events.reference
DEFAULT_BATCH_SIZE = 64

ACTOR_COLS = ("text", "name", "country", "sector", "code")

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS articles (
    article_id   VARCHAR PRIMARY KEY,
    content_hash VARCHAR NOT NULL UNIQUE,
    title        VARCHAR,
    text         VARCHAR,
    published    DATE,
    url          VARCHAR,
    source_name  VARCHAR,
    origin       VARCHAR,
    n_events     INTEGER,
    n_quotes     INTEGER,
    ingested_at  TIMESTAMP
);
CREATE TABLE IF NOT EXISTS events (
    event_id VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    cluster_id VARCHAR,
    ckey VARCHAR,
    date DATE, published DATE, event_date DATE,
    date_precision VARCHAR, reference BOOLEAN,
    source_text VARCHAR, source_name VARCHAR, source_country VARCHAR, source_sector VARCHAR,
    source_code VARCHAR, source_start INTEGER, source_end INTEGER,
    target_text VARCHAR, target_name VARCHAR, target_country VARCHAR, target_sector VARCHAR,
    target_code VARCHAR, target_start INTEGER, target_end INTEGER,
    cameo_code VARCHAR, cameo_base VARCHAR, cameo_root VARCHAR, cameo_name VARCHAR,
    goldstein DOUBLE, quad_class INTEGER,
    plover_type VARCHAR, plover_mode VARCHAR, status VARCHAR,
    location_name VARCHAR, location_country VARCHAR, location_lat DOUBLE, location_lon DOUBLE,
    sentence_index INTEGER, sentence VARCHAR, trigger VARCHAR,
    span_start INTEGER, span_end INTEGER,
    confidence DOUBLE, rule VARCHAR,
    search_text VARCHAR  -- lower-cased sentence and actor names, for text search
);
CREATE TABLE IF NOT EXISTS event_clusters (
    cluster_id VARCHAR PRIMARY KEY,
    ckey VARCHAR,
    source_code VARCHAR, target_code VARCHAR, cameo_base VARCHAR, negated BOOLEAN,
    rep_event_id VARCHAR,
    first_seen DATE, last_seen DATE,
    num_mentions INTEGER, num_sources INTEGER, num_articles INTEGER,
    first_added TIMESTAMP
);
CREATE TABLE IF NOT EXISTS actors (
    code VARCHAR NOT NULL, name VARCHAR NOT NULL, country VARCHAR, sector VARCHAR,
    n_events INTEGER, n_as_source INTEGER, n_as_target INTEGER,
    first_seen DATE, last_seen DATE,
    PRIMARY KEY (code, name)
);
CREATE TABLE IF NOT EXISTS quotes (
    quote_id VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    speaker_text VARCHAR, speaker_name VARCHAR, speaker_country VARCHAR, speaker_sector VARCHAR,
    speaker_code VARCHAR,
    cue VARCHAR, content VARCHAR, direct BOOLEAN,
    speaker_start INTEGER, speaker_end INTEGER, cue_start INTEGER, cue_end INTEGER,
    content_spans VARCHAR
);
CREATE TABLE IF NOT EXISTS positions (
    position_id VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    actor_text VARCHAR, actor_name VARCHAR, actor_country VARCHAR, actor_sector VARCHAR,
    actor_code VARCHAR,
    issue VARCHAR, stance VARCHAR, evidence VARCHAR, date DATE,
    span_start INTEGER, span_end INTEGER, responds_to VARCHAR
);
"""

TABLES = ("articles", "events", "event_clusters", "actors", "quotes", "positions")

# Arrow schemas of the staging tables (strings for dates: TRY_CAST on the way in).
_S, _I, _F, _B = pa.string(), pa.int64(), pa.float64(), pa.bool_()
ARTICLE_STAGE = pa.schema([
    ("article_id", _S), ("content_hash", _S), ("title", _S), ("text", _S), ("published", _S),
    ("url", _S), ("source_name", _S), ("origin", _S), ("n_events", _I), ("n_quotes", _I),
])
EVENT_STAGE = pa.schema(
    [("event_id", _S), ("article_id", _S), ("ckey", _S), ("date", _S), ("published", _S),
     ("date_precision", _S), ("reference", _B)]
    + [(f"{r}_{c}", _S) for r in ("source", "target") for c in ACTOR_COLS]
    + [("source_start", _I), ("source_end", _I), ("target_start", _I), ("target_end", _I)]
    + [("cameo_code", _S), ("cameo_base", _S), ("cameo_root", _S), ("cameo_name", _S),
       ("goldstein", _F), ("quad_class", _I), ("plover_type", _S), ("plover_mode", _S),
       ("status", _S), ("location_name", _S), ("location_country", _S), ("location_lat", _F),
       ("location_lon", _F), ("sentence_index", _I), ("sentence", _S), ("trigger", _S),
       ("span_start", _I), ("span_end", _I), ("confidence", _F), ("rule", _S), ("search_text", _S)]
)
QUOTE_STAGE = pa.schema(
    [("quote_id", _S), ("article_id", _S)]
    + [(f"speaker_{c}", _S) for c in ACTOR_COLS]
    + [("cue", _S), ("content", _S), ("direct", _B), ("speaker_start", _I), ("speaker_end", _I),
       ("cue_start", _I), ("cue_end", _I), ("content_spans", _S)]
)
POSITION_STAGE = pa.schema(
    [("position_id", _S), ("article_id", _S)]
    + [(f"actor_{c}", _S) for c in ACTOR_COLS]
    + [("issue", _S), ("stance", _S), ("evidence", _S), ("date", _S), ("span_start", _I),
       ("span_end", _I), ("responds_to", _S)]
)
_DATE_COLS = {"date", "published"}


class StoreError(EventcoderError):
    """A store operation that cannot proceed (e.g. writing to a read-only store)."""


class StoreBusy(StoreError):
    """Another process holds the store's file (an ingest writing, a server that is not read-only)."""


# ---------------------------------------------------------------- records -> rows
def _actor_fields(prefix: str, actor) -> dict:
    d = {f"{prefix}_{c}": (getattr(actor, c, None) if actor is not None else None) for c in ACTOR_COLS}
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


# ---------------------------------------------------------------- ingest bookkeeping
def _link_responses(con, issues: list) -> int:
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


# What the store needs from a coded article: the coder's own record type.
Coded = CodedArticle


@dataclass
class IngestSummary:
    read: int = 0
    stored: int = 0
    skipped: int = 0
    failed: int = 0
    events: int = 0
    quotes: int = 0
    positions: int = 0
    batches: int = 0
    changed: int = 0  # skipped because their id is stored with other text
    undated: int = 0  # stored without a publication date (their events are undated)
    changed_ids: list = field(default_factory=list)  # the first 20 of those
    elapsed: float = 0.0
    errors: list = field(default_factory=list)  # (origin, message), the first 100

    def to_dict(self) -> dict:
        d = {k: getattr(self, k) for k in ("read", "stored", "skipped", "changed", "failed", "events",
                                            "quotes", "positions", "batches", "undated")}
        d["changed_ids"] = list(self.changed_ids)
        d["elapsed"] = round(self.elapsed, 3)
        d["errors"] = [{"origin": o, "message": m} for o, m in self.errors]
        return d

    def line(self) -> str:
        return (f"articles read {self.read}, stored {self.stored}, skipped {self.skipped}, "
                f"failed {self.failed}; events {self.events}, quotes {self.quotes}"
                f"{f', undated articles {self.undated}' if self.undated else ''}; {self.elapsed:.1f}s")

    def _error(self, origin, message) -> None:
        self.failed += 1
        if len(self.errors) < 100:
            self.errors.append((origin, message))


def _is_coded(item) -> bool:
    return hasattr(item, "article") and hasattr(item, "events")


def _is_article(item) -> bool:
    return isinstance(item, Article) or (hasattr(item, "text") and hasattr(item, "article_id")
                                         and not _is_coded(item))


def load_coder(spec: Optional[str] = None, **kwargs):
    """A coder: `module:factory` from `spec` (or $EVENTCODER_CODER), else eventcoder.coder.Coder."""
    import importlib
    import os

    spec = spec or os.environ.get("EVENTCODER_CODER")
    if spec:
        mod, _, attr = spec.partition(":")
        factory = getattr(importlib.import_module(mod), attr or "Coder")
        return factory(**kwargs) if kwargs else factory()
    from .coder import Coder  # the real pipeline (spaCy)

    return Coder(**kwargs)


DATA_SUFFIXES = (".jsonl", ".json", ".csv", ".tsv", ".tab", ".parquet", ".gz", ".zip", ".txt", ".html", ".xml")


def _check_db_path(path: str) -> None:
    """Refuse a path that is not a DuckDB database: an existing file without DuckDB's header, or
    a new file named like a data file (`--db events.jsonl` would otherwise open a database
    nobody keeps, or overwrite nothing and store nothing where the user looks)."""
    if path == ":memory:" or path.startswith("md:"):
        return
    p = Path(path)
    if p.is_dir():
        raise StoreError(f"{path} is a directory, not a DuckDB file (give --db a file such as events.duckdb)")
    if p.exists() and p.stat().st_size > 0:
        try:
            with open(p, "rb") as fh:
                head = fh.read(16)
        except OSError as exc:
            raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from None
        if head[8:12] != b"DUCK":
            raise StoreError(f"{path} is not a DuckDB database (is it an input file?); give --db a .duckdb "
                             f"file, e.g. --db events.duckdb")
    elif p.suffix.lower() in DATA_SUFFIXES:
        raise StoreError(f"{path}: a store is a DuckDB file, not {p.suffix} (use e.g. --db events.duckdb; "
                         f"export writes {p.suffix} files)")


# ---------------------------------------------------------------- the store
class Store:
    """A DuckDB event store. `path` is a file or ":memory:"; `read_only` opens it read-only."""

    def __init__(self, path: str = ":memory:", read_only: bool = False,
                 dedup_window: Optional[int] = None, dedup: Optional[dict] = None,
                 wait: float = 0.0) -> None:
        """`dedup_window` (days) and `dedup` (other DedupRule settings: actor_level, type_level,
        reciprocal; see eventcoder.dedup.SETTINGS) are kept in the store; changing them reclusters.
        `wait`: seconds to retry while another process holds the file."""
        self.path = str(path)
        self.read_only = read_only
        self.wait = wait  # seconds to retry while another process holds the file
        self._con = None
        self._closed = False
        self._users = 0  # requests reading through this handle now (see `session`)
        self._idle_timer = None
        _check_db_path(self.path)
        if read_only and self.path != ":memory:" and not self.path.startswith("md:") \
                and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no such store; create it with `eventcoder ingest PATHS --db "
                             f"{self.path}` (or give the --db of an existing one)")
        self._open()
        self._lock = threading.RLock()  # serialises writes from threads of this process
        if not read_only:
            self.con.execute(SCHEMA)
            self._migrate()
            if self._meta("schema_version") is None:
                self._set_meta("schema_version", SCHEMA_VERSION)
            settings = {"window": dedup_window, **(dedup or {})}
            if self._meta("dedup_window_days") is None:
                rule = _dedup.DEFAULT_RULE.replace(**settings)
                self._set_meta("dedup_window_days", str(rule.window))
                self._set_meta("dedup_rule", rule.to_json())
            else:
                wanted = self.dedup_rule.replace(**settings)
                if wanted != self.dedup_rule:
                    self.recluster(rule=wanted)
        elif self._table_missing("articles"):
            raise StoreError(f"{self.path} holds no eventcoder store (no articles table)")
        elif self._missing_columns():
            raise StoreError(f"{self.path} was written by an older eventcoder (events lack "
                             f"{', '.join(self._missing_columns())}): open it once for writing to upgrade "
                             f"it, e.g. `eventcoder dedup --db {self.path}`")

    # -- schema upgrades
    _ADDED_EVENT_COLUMNS = (("date_precision", "VARCHAR"), ("reference", "BOOLEAN"))

    def _missing_columns(self) -> list:
        have = {r[0] for r in self.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'events'").fetchall()}
        return [c for c, _ in self._ADDED_EVENT_COLUMNS if c not in have]

    def _migrate(self) -> None:
        """Add the columns a store of an older schema lacks (stored events: day precision, not
        references: what the coder of that time meant)."""
        missing = self._missing_columns()
        if not missing:
            return
        types = dict(self._ADDED_EVENT_COLUMNS)
        for c in missing:
            self.con.execute(f"ALTER TABLE events ADD COLUMN {c} {types[c]}")
        if "date_precision" in missing:
            self.con.execute("UPDATE events SET date_precision = CASE WHEN date IS NULL THEN 'none' ELSE 'day' END")
        if "reference" in missing:
            self.con.execute("UPDATE events SET reference = FALSE")
        self._set_meta("schema_version", SCHEMA_VERSION)
        self.recluster()

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The connection, (re)opened on use: a released file store opens again here."""
        if self._con is None:
            if self._closed:
                raise StoreError(f"{self.path}: the store is closed")
            self._open()
        return self._con

    def _open(self) -> None:
        deadline = time.monotonic() + self.wait
        while True:
            try:
                self._con = duckdb.connect(self.path, read_only=self.read_only)
                return
            except (duckdb.IOException, duckdb.CatalogException) as exc:
                msg = str(exc)
                m = re.search(r"Conflicting lock is held in (.+?) \(PID (\d+)\)", msg)
                if m and time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                if m:  # another process (a `serve`, an `ingest`) has the file open
                    raise StoreBusy(
                        f"{self.path} is in use by {m.group(1)} (PID {m.group(2)}): stop it and retry, "
                        f"or run that server as `eventcoder serve --read-only`, which opens the file "
                        f"only while it answers a request") from None
                raise StoreError(f"cannot open {self.path}"
                                 f"{' read-only' if self.read_only else ''}: {msg}") from None

    def release(self) -> None:
        """Close the file so other processes can open it; the next use opens it again.
        (A ":memory:" store is never released: closing it would lose it.)"""
        if self._con is not None and self.path != ":memory:":
            self._con.close()
            self._con = None

    @contextmanager
    def session(self, idle: float = 1.0):
        """Read through this handle for the duration of the block (one API request); the file
        is released `idle` seconds after the last session ends, so writers can get in."""
        with self._lock:
            self._users += 1
            if self._idle_timer is not None:
                self._idle_timer.cancel()
                self._idle_timer = None
        try:
            yield self
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0 and self.path != ":memory:":
                    self._idle_timer = threading.Timer(idle, self._release_if_idle)
                    self._idle_timer.daemon = True
                    self._idle_timer.start()

    def _release_if_idle(self) -> None:
        with self._lock:
            if self._users == 0:
                self.release()

    # -- plumbing
    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        try:
            if self._con is not None:
                self._con.close()
        except Exception:  # pragma: no cover - already closed
            pass
        self._con = None
        self._closed = True

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new connection to the same database, for use by one thread (e.g. one request)."""
        return self.con.cursor()

    def _table_missing(self, name: str) -> bool:
        return not self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
        ).fetchone()[0]

    def _meta(self, key: str) -> Optional[str]:
        r = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return r[0] if r else None

    def _set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    @property
    def dedup_window(self) -> int:
        v = self._meta("dedup_window_days") if not self._table_missing("meta") else None
        return int(v) if v is not None else 0

    @property
    def dedup_rule(self) -> "_dedup.DedupRule":
        """The dedup rule the store clusters with (meta `dedup_rule` and `dedup_window_days`)."""
        text = self._meta("dedup_rule") if not self._table_missing("meta") else None
        return _dedup.DedupRule.from_json(text, window=self.dedup_window)

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError("the store is open read-only")

    def counts(self, con=None) -> dict:
        con = con or self.cursor()
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}

    # -- idempotency
    def known_keys(self) -> tuple[set, set]:
        """(article ids, content hashes) already stored."""
        rows = self.con.execute("SELECT article_id, content_hash FROM articles").fetchall()
        return {r[0] for r in rows}, {r[1] for r in rows}

    def has_article(self, article_id: Optional[str] = None, text: Optional[str] = None) -> bool:
        h = Article.content_id(text) if text is not None else None
        return bool(self.con.execute(
            "SELECT count(*) FROM articles WHERE article_id = ? OR content_hash = ?",
            [article_id, h]).fetchone()[0])

    # -- writing
    def write_batch(self, coded: list) -> int:
        """Store a batch of coded articles in ONE transaction; returns the number stored.

        Articles already stored (by id or content hash) are skipped, so this is idempotent.
        """
        self._check_writable()
        self.last_counts = {"articles": 0, "events": 0, "quotes": 0, "positions": 0, "undated": 0}
        with self._lock:
            con = self.con
            ids, hashes = set(), set()
            fresh = []
            for c in coded:
                a = c.article
                h = Article.content_id(a.text or "")
                if a.article_id in ids or h in hashes:
                    continue
                ids.add(a.article_id)
                hashes.add(h)
                fresh.append(c)
            if not fresh:
                return 0
            con.execute("BEGIN TRANSACTION")
            try:
                stored = self._insert(con, fresh)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            return stored

    def _stage(self, con, name: str, rows: list, schema: pa.Schema, table: str, conflict_free=True):
        if not rows:
            return
        tbl = pa.Table.from_pylist(rows, schema=schema)
        con.register(name, tbl)
        try:
            cols = schema.names
            sel = ", ".join(f"TRY_CAST({c} AS DATE)" if c in _DATE_COLS else c for c in cols)
            con.execute(f"INSERT OR IGNORE INTO {table} ({', '.join(cols)}) SELECT {sel} FROM {name}")
        finally:
            con.unregister(name)

    def _insert(self, con, fresh: list) -> int:
        # Skip anything a previous commit already holds (id or hash): the batch is re-checked
        # inside the transaction, so a resumed or concurrent-in-process ingest stays exact.
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
            events = list(c.events or [])
            quotes = list(c.quotes or [])
            n_ev = n_q = 0
            for e in events:
                if e.event_id not in seen_ev:
                    seen_ev.add(e.event_id)
                    evs.append(event_row(e))
                    n_ev += 1
            for q in quotes:
                if q.quote_id not in seen_q:
                    seen_q.add(q.quote_id)
                    qs.append(quote_row(q))
                    n_q += 1
            arts.append(article_row(c.article, n_ev, n_q))
            undated += not c.article.published
            for p in (getattr(c, "positions", None) or []):
                if p.position_id not in seen_p:
                    seen_p.add(p.position_id)
                    ps.append(position_row(p))
        self.last_counts = {"articles": len(arts), "events": len(evs), "quotes": len(qs), "positions": len(ps),
                            "undated": undated}
        if not arts:
            return 0
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        tbl = pa.Table.from_pylist(arts, schema=ARTICLE_STAGE)
        con.register("_stage_articles", tbl)
        try:
            cols = ARTICLE_STAGE.names
            sel = ", ".join(f"TRY_CAST({c} AS DATE)" if c in _DATE_COLS else c for c in cols)
            con.execute(f"INSERT INTO articles ({', '.join(cols)}, ingested_at) "
                        f"SELECT {sel}, ? FROM _stage_articles", [now])
        finally:
            con.unregister("_stage_articles")
        self._stage(con, "_stage_events", evs, EVENT_STAGE, "events")
        if evs:
            # a reference without a date stays undated: it is not an event of the publication day
            con.execute("UPDATE events SET event_date = coalesce(date, CASE WHEN reference THEN NULL "
                        "ELSE published END) "
                        "WHERE event_date IS NULL AND event_id IN (SELECT unnest(?))",
                        [[e["event_id"] for e in evs]])
        self._stage(con, "_stage_quotes", qs, QUOTE_STAGE, "quotes")
        self._stage(con, "_stage_positions", ps, POSITION_STAGE, "positions")
        if ps:
            _link_responses(con, [p["issue"] for p in ps])
        if evs:
            rule = self.dedup_rule
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
        return len(arts)

    def recluster(self, window_days: Optional[int] = None, rule=None, **settings) -> int:
        """Recompute every cluster (e.g. with a new window, or a new `rule` / rule `settings`:
        actor_level, type_level, reciprocal); returns the number of clusters."""
        self._check_writable()
        if window_days is not None and window_days < 0:
            raise ValueError("the dedup window is a number of days >= 0")
        new = (rule or self.dedup_rule).replace(window=window_days, **settings)
        with self._lock:
            con = self.con
            con.execute("BEGIN TRANSACTION")
            try:
                self._set_meta("dedup_window_days", str(new.window))
                self._set_meta("dedup_rule", new.to_json())
                _dedup.recluster(con, new, keys=None)
                _dedup.refresh_actors(con, codes=None)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            return con.execute("SELECT count(*) FROM event_clusters").fetchone()[0]

    def ingest(self, items: Iterable, coder=None, batch_size: int = DEFAULT_BATCH_SIZE,
               progress: bool = False, on_batch: Optional[Callable[[IngestSummary], None]] = None,
               total: Optional[int] = None, release: bool = False) -> IngestSummary:
        """Code (when needed) and store a stream of Article / IngestError / coded articles.

        `items` may mix `Article`s (coded with `coder`, by default eventcoder.coder.Coder),
        already coded articles (objects with .article/.events/.quotes/.positions/.error) and
        ingest errors (objects with .origin/.message), which are counted as failed.
        Stored or duplicate articles are skipped before coding. Every `batch_size` coded
        articles are committed in one transaction; `on_batch(summary)` runs after each commit.
        `total`: the number of input articles when known (the progress bar then shows a
        percentage and an ETA); the bar counts articles done (stored, skipped or failed).
        `release`: close the file after each commit (reopened for the next), so a read-only
        `serve` can read between batches.
        """
        self._check_writable()
        summary = IngestSummary()
        t0 = time.perf_counter()
        known_ids, known_hashes = self.known_keys()
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=total, unit=" articles", file=sys.stderr, dynamic_ncols=True,
                       mininterval=0.5)

        def tick() -> None:  # one article done: stored, skipped or failed
            if bar is not None:
                bar.update(1)

        def fail(origin, message) -> None:
            summary._error(origin, message)
            tick()

        def fresh(item) -> bool:
            a = item.article if _is_coded(item) else item
            if not a.article_id:
                a.article_id = Article.content_id(a.text or "")
            h = Article.content_id(a.text or "")
            if a.article_id in known_ids or h in known_hashes:
                summary.skipped += 1
                tick()
                if a.article_id in known_ids and h not in known_hashes:
                    # the same id with other text: the stored version is kept, and we say so
                    summary.changed += 1
                    if len(summary.changed_ids) < 20:
                        summary.changed_ids.append(a.origin or a.article_id)
                return False
            known_ids.add(a.article_id)
            known_hashes.add(h)
            return True

        # One stream of things to store. Plain articles are fed lazily into ONE
        # code_articles() call, so a streaming/parallel coder keeps its pipeline full; coded
        # articles met on the way go to a side list drained between the coder's outputs.
        side: list = []

        def source() -> Iterator:
            for item in items:
                summary.read += 1
                yield item

        def articles(it) -> Iterator:
            for item in it:
                if _is_coded(item):
                    if fresh(item):
                        side.append(item)
                elif _is_article(item):
                    if fresh(item):
                        yield item
                else:
                    fail(getattr(item, "origin", None),
                                   getattr(item, "message", None) or str(item))

        def stream() -> Iterator:
            nonlocal coder
            it = source()
            first = []
            for item in it:  # find the first storable thing to choose the mode
                if _is_coded(item):
                    if fresh(item):
                        first.append(item)
                        break
                elif _is_article(item):
                    if fresh(item):
                        first.append(item)
                        break
                else:
                    fail(getattr(item, "origin", None),
                                   getattr(item, "message", None) or str(item))
            if not first:
                return
            if _is_coded(first[0]):  # already coded: no coder needed
                yield first[0]
                for item in it:
                    if _is_coded(item):
                        if fresh(item):
                            yield item
                    elif _is_article(item):  # a plain article in a coded stream: code it alone
                        if fresh(item):
                            if coder is None:
                                coder = load_coder()
                            yield from coder.code_articles(iter([item]))
                    else:
                        fail(getattr(item, "origin", None),
                                       getattr(item, "message", None) or str(item))
                return
            if coder is None:
                coder = load_coder()
            def with_first() -> Iterator:
                yield first[0]
                yield from articles(it)

            for c in coder.code_articles(with_first()):
                yield c
                yield from _drain(side)
            yield from _drain(side)

        batch: list = []

        def commit() -> None:
            nonlocal batch
            if batch:
                n = self.write_batch(batch)
                # what was stored, not what was coded: an article already in the store adds nothing
                summary.stored += n
                summary.events += self.last_counts["events"]
                summary.quotes += self.last_counts["quotes"]
                summary.positions += self.last_counts["positions"]
                summary.undated += self.last_counts["undated"]
                summary.batches += 1
                batch = []
                if release:
                    self.release()
                summary.elapsed = time.perf_counter() - t0
                if bar is not None:
                    bar.set_postfix(stored=summary.stored, events=summary.events, refresh=False)
                if on_batch:
                    on_batch(summary)

        try:
            for c in stream():
                if getattr(c, "error", None):
                    fail(c.article.origin or c.article.article_id, c.error)
                    continue
                batch.append(c)
                tick()
                if len(batch) >= batch_size:
                    commit()
            commit()
        finally:
            if bar is not None:
                bar.close()
            summary.elapsed = time.perf_counter() - t0
        return summary

    # -- reading (see eventcoder.query for the parameters)
    def events(self, **filters) -> dict:
        return _query.events(self.cursor(), **filters)

    def dyad_series(self, a: str, b: str, **kw) -> list:
        return _query.dyad_series(self.cursor(), a, b, **kw)

    def actor_profile(self, code: str, **kw) -> dict:
        return _query.actor_profile(self.cursor(), code, **kw)

    def top_dyads(self, **kw) -> list:
        return _query.top_dyads(self.cursor(), **kw)

    def article(self, article_id: str) -> Optional[dict]:
        return _query.article_with_spans(self.cursor(), article_id)

    def positions(self, **kw) -> dict:
        """Positions on an issue over time and/or of an actor (see eventcoder.query.positions)."""
        return _query.positions(self.cursor(), **kw)

    def clusters(self, **kw) -> list:
        return _query.clusters(self.cursor(), **kw)


def _drain(side: list) -> Iterator:
    while side:
        yield side.pop(0)

"""The Store: one DuckDB database (a file, or ":memory:") holding articles, events, quotes and
positions, their dedup clusters and actor counts.

It keeps the connection (opened on use, released between requests so other processes can get
in), the settings kept in the store (`meta`: schema version, dedup rule) and the one lock under
which this process writes; writing a batch is eventcoder.store.writing's, the ingest loop
eventcoder.store.intake's, and the read methods are eventcoder.query's functions on a cursor.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Callable, Iterable, Optional

import duckdb

from .. import dedup as _dedup
from .. import query as _query
from ..columns import TABLE_NAMES, ddl
from ..model import Article
from . import intake, migrate, writing
from .intake import DEFAULT_BATCH_SIZE, IngestSummary
from .opening import StoreError, check_db_path, check_exists, connect

SCHEMA = ddl()
TABLES = TABLE_NAMES


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
        check_db_path(self.path)
        if read_only:
            check_exists(self.path)
        self._open()
        self._lock = threading.RLock()  # serialises writes from threads of this process
        if not read_only:
            self.con.execute(SCHEMA)
            if migrate.migrate(self.con):
                self._set_meta("schema_version", migrate.SCHEMA_VERSION)
                self.recluster()
            if self._meta("schema_version") is None:
                self._set_meta("schema_version", migrate.SCHEMA_VERSION)
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
        elif migrate.missing_columns(self.con):
            raise StoreError(f"{self.path} was written by an older eventcoder (events lack "
                             f"{', '.join(migrate.missing_columns(self.con))}): open it once for writing to upgrade "
                             f"it, e.g. `eventcoder dedup --db {self.path}`")

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The connection, (re)opened on use: a released file store opens again here."""
        if self._con is None:
            if self._closed:
                raise StoreError(f"{self.path}: the store is closed")
            self._open()
        return self._con

    def _open(self) -> None:
        self._con = connect(self.path, self.read_only, self.wait)

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
        `last_counts` then holds what was written (articles, events, quotes, positions, undated).
        """
        self._check_writable()
        self.last_counts = dict(writing.NO_COUNTS)
        with self._lock:
            stored, self.last_counts = writing.write_batch(self.con, coded, self.dedup_rule)
            return stored

    def recluster(self, window_days: Optional[int] = None, rule=None, **settings) -> int:
        """Recompute every cluster (e.g. with a new window, or a new `rule` / rule `settings`:
        actor_level, type_level, reciprocal); returns the number of clusters."""
        self._check_writable()
        if window_days is not None and window_days < 0:
            raise ValueError("the dedup window is a number of days >= 0")
        new = (rule or self.dedup_rule).replace(window=window_days, **settings)
        with self._lock:
            con = self.con
            with writing.transaction(con):
                self._set_meta("dedup_window_days", str(new.window))
                self._set_meta("dedup_rule", new.to_json())
                _dedup.recluster(con, new, keys=None)
                _dedup.refresh_actors(con, codes=None)
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
        return intake.ingest(self, items, coder=coder, batch_size=batch_size, progress=progress,
                             on_batch=on_batch, total=total, release=release)

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


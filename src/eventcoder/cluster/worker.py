"""The same coder on Dask over input shards: one task per shard, Parquet event shards out.

    from eventcoder.cluster import run_sharded, load_shards
    manifest = run_sharded(["a.jsonl", "s3://bucket/b.parquet"], "out/", workers=2)
    # or run_sharded(..., client_or_address="tcp://scheduler:8786")
    with Store("events.duckdb") as st:
        load_shards(st, "out/")
    # DuckDB straight on the shards:
    #   SELECT * FROM read_parquet('out/events/*/*.parquet', hive_partitioning=true)

Output layout (every file written to a temporary name and renamed when complete):

    out/events/event_date=YYYY-MM-DD/part-<shard>.parquet   event rows (eventcoder.store columns)
    out/events/event_date=unknown/part-<shard>.parquet       events with no date at all
    out/articles/part-<shard>.parquet                         one row per coded article
    out/quotes/part-<shard>.parquet, out/positions/...        when quotes are coded
    out/_manifest/<shard>.json                                the shard's done-marker (written last)
    out/manifest.json                                         the run's summary

A shard is finished when its done-marker exists and names the same input fingerprint (path,
size, mtime); a rerun skips it. A task first deletes any file an earlier, interrupted attempt of
the same shard left, so a retried shard (a worker died; Dask re-runs it elsewhere, or `retries=`
after an exception) never duplicates rows. The spaCy model is loaded once per worker process
(`_coder`, a module-level cache), not once per task.

Per-article time limit: `guarded_stream` wraps `Coder.code_articles`; the articles are coded in a
forked child process (`eventcoder.isolate`) and a result later than `time_limit` seconds, or a
child that dies (memory, a crash in C code), gets the child killed; the articles of that batch
without a result are re-coded one at a time in a new child, and an article that fails alone
becomes an error record ("time limit exceeded", "coding process died") while the stream goes on.
Where the platform cannot fork, a watchdog thread raises `ArticleTimeout` in the coding thread
instead (between bytecodes only). Long articles are parsed in pieces (`Coder.piece_chars`), so
memory per article is bounded. A shard that still fails as a whole (after Dask's retries) is
re-run once with `rescue`: one article at a time, so only the article at fault is lost and named.
See docs/cluster.md and docs/reliability.md.
"""
from __future__ import annotations

import collections
import ctypes
import hashlib
import json
import logging
import os
import shutil
import socket
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Iterator, Optional

log = logging.getLogger(__name__)

MANIFEST_DIR = "_manifest"
ROW_GROUP = 2000          # rows buffered per output file before a row group is written
MAX_ERRORS_KEPT = 1000    # errors listed per shard in its manifest entry (all are counted)
DEFAULT_TIME_LIMIT = 120.0
KNOWN_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".json", ".json.gz", ".parquet",
                  ".txt", ".txt.gz", ".html", ".htm")


# ------------------------------------------------------------------ per-article time limit
class ArticleTimeout(BaseException):
    """Raised in the coding thread by the watchdog (a BaseException so `except Exception` in the
    pipeline does not swallow it)."""


class _Watchdog:
    """Raises ArticleTimeout in one thread when an armed step outlives its deadline."""

    def __init__(self, limit: float):
        self.limit = float(limit)
        self.tid = threading.get_ident()
        self.lock = threading.Lock()
        self.deadline: Optional[float] = None
        self.fired = False
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="eventcoder-watchdog", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        tick = min(0.1, self.limit / 10)
        while not self._stop.wait(tick):
            with self.lock:
                if self.deadline is not None and not self.fired and time.monotonic() > self.deadline:
                    self.fired = True
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.tid),
                                                               ctypes.py_object(ArticleTimeout))

    def arm(self) -> None:
        with self.lock:
            self.fired = False
            self.deadline = time.monotonic() + self.limit

    def disarm(self) -> None:
        with self.lock:
            self.deadline = None
            if self.fired:  # fired but not yet raised: cancel the pending exception
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.tid), None)
                self.fired = False

    def step(self, gen):
        """next(gen) under the limit; StopIteration passes through."""
        self.arm()
        try:
            return next(gen)
        finally:
            try:
                self.disarm()
            except ArticleTimeout:  # delivered just after the step returned: ignore
                pass

    def close(self) -> None:
        self._stop.set()
        self.deadline = None


def guarded_stream(coder, items: Iterable, time_limit: Optional[float] = DEFAULT_TIME_LIMIT,
                   isolate: Optional[bool] = None, rescue: bool = False) -> Iterator:
    """`coder.code_articles(items)` with a per-result time limit (None or 0: no limit).

    Order is kept; an article that exceeds the limit alone is yielded as a CodedArticle with an
    error; every other item comes out exactly once. `isolate` (default: when the platform can
    fork and the coder codes in this process): code in a child process that is killed at the
    limit (`eventcoder.isolate`); otherwise a watchdog thread raises ArticleTimeout in the coding
    thread. `rescue`: one article at a time (isolated), for a shard that failed as a whole.
    """
    from . import isolate as iso

    if not time_limit and not rescue:
        yield from coder.code_articles(items)
        return
    if isolate is None:
        isolate = iso.available() and getattr(coder, "processes", 1) <= 1
    if isolate or rescue:
        yield from iso.isolated_stream(coder, items, time_limit, rescue=rescue)
        return
    from .coder import CodedArticle
    from .model import Article

    src = iter(items)
    dog = _Watchdog(time_limit)
    inflight: collections.deque = collections.deque()  # consumed by the coder, not yet output

    def tracked():
        for it in src:
            inflight.append(it)
            yield it

    def forget(res) -> None:
        key = getattr(res, "article", res)
        for i, x in enumerate(inflight):
            if x is key or x is res:
                del inflight[i]
                return

    try:
        while True:
            gen = coder.code_articles(tracked())
            try:
                while True:
                    try:
                        res = dog.step(gen)
                    except StopIteration:
                        return
                    forget(res)
                    yield res
            except ArticleTimeout:
                try:
                    gen.close()
                except BaseException:  # noqa: BLE001 - the generator is abandoned either way
                    pass
                redo = list(inflight)
                inflight.clear()
                for it in redo:  # one at a time, so the slow article is found
                    if not isinstance(it, Article):
                        yield it
                        continue
                    one = coder.code_articles(iter([it]))
                    try:
                        res = dog.step(one)
                    except ArticleTimeout:
                        try:
                            one.close()
                        except BaseException:  # noqa: BLE001
                            pass
                        yield CodedArticle(it, error=(
                            f"time limit exceeded: coding took more than {time_limit:g}s; skipped "
                            "(raise --time-limit, or split the article)"))
                        continue
                    except StopIteration:
                        continue
                    yield res
    finally:
        dog.close()


# ------------------------------------------------------------------ shards
def _is_url(p: str) -> bool:
    return "://" in p and not p.startswith("file://")


def expand_inputs(inputs: Iterable[str]) -> list:
    """Input shards: files as given, directories walked (sorted), globs and fsspec URLs expanded."""
    out = []
    for p in inputs:
        p = os.fspath(p)
        if _is_url(p):
            import fsspec

            if any(ch in p for ch in "*?["):
                fs, _, paths = fsspec.get_fs_token_paths(p)
                proto = p.split("://", 1)[0]
                out.extend(sorted(f"{proto}://{x}" if "://" not in x else x for x in paths))
            else:
                out.append(p)
        elif p.startswith("file://"):
            out.append(p[len("file://"):])
        elif os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if not f.startswith(".") and f.lower().endswith(KNOWN_SUFFIXES):
                        out.append(os.path.join(root, f))
        elif any(ch in p for ch in "*?["):
            import glob

            out.extend(sorted(glob.glob(p)))
        else:
            out.append(p)
    return out


def fingerprint(path: str) -> dict:
    """What identifies an input shard's content cheaply: path, size, mtime (or etag)."""
    if _is_url(path):
        import fsspec

        fs, _, (p,) = fsspec.get_fs_token_paths(path)
        info = fs.info(p)
        return {"path": path, "size": info.get("size"),
                "mtime": str(info.get("mtime") or info.get("LastModified") or info.get("ETag") or "")}
    st = os.stat(path)
    return {"path": os.path.abspath(path), "size": st.st_size, "mtime": st.st_mtime_ns}


def shard_id(path: str) -> str:
    p = path if _is_url(path) else os.path.abspath(path)
    return hashlib.sha1(p.encode("utf-8")).hexdigest()[:16]


@dataclass
class ShardResult:
    shard: str
    shard_id: str
    fingerprint: dict
    status: str = "done"          # done | failed
    articles: int = 0             # coded articles written
    events: int = 0
    quotes: int = 0
    positions: int = 0
    failed: int = 0               # ingest errors + articles that failed to code
    errors: list = field(default_factory=list)   # [{"origin", "message"}], the first 1000
    files: list = field(default_factory=list)    # relative paths written
    elapsed: float = 0.0
    cpu_seconds: float = 0.0      # CPU time of the worker process during the task
    worker: str = ""
    attempt_started: float = 0.0
    skipped: bool = False         # finished in an earlier run
    rescued: str = ""             # why the shard was re-run article by article (it failed whole)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Manifest:
    out_dir: str
    shards: list = field(default_factory=list)   # ShardResult
    elapsed: float = 0.0

    @property
    def done(self) -> list:
        return [s for s in self.shards if s.status == "done"]

    @property
    def failed_shards(self) -> list:
        return [s for s in self.shards if s.status != "done"]

    def totals(self) -> dict:
        keys = ("articles", "events", "quotes", "positions", "failed")
        t = {k: sum(getattr(s, k) for s in self.done) for k in keys}
        t["shards"] = len(self.shards)
        t["shards_skipped"] = sum(1 for s in self.shards if s.skipped)
        t["shards_failed"] = len(self.failed_shards)
        t["shards_rescued"] = sum(1 for s in self.shards if s.rescued)
        return t

    def to_dict(self) -> dict:
        return {"out_dir": self.out_dir, "elapsed": round(self.elapsed, 3), "totals": self.totals(),
                "shards": [s.to_dict() for s in self.shards]}


def _marker_path(out_dir: str, sid: str) -> str:
    return os.path.join(out_dir, MANIFEST_DIR, f"{sid}.json")


def read_marker(out_dir: str, sid: str) -> Optional[dict]:
    try:
        with open(_marker_path(out_dir, sid), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def _atomic_write_text(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.tmp-{os.getpid()}-{threading.get_ident()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


# ------------------------------------------------------------------ worker side
_CODERS: dict = {}  # one Coder per worker process and option set (the model loads once)


def _coder(options: dict):
    key = tuple(sorted(options.items()))
    c = _CODERS.get(key)
    if c is None:
        factory = options.get("coder")
        if factory:
            from .store import load_coder

            c = load_coder(factory)
        else:
            from .coder import Coder

            c = Coder(model=options.get("model"), batch_size=options.get("batch_size", 32),
                      quotes=options.get("quotes", False), prefilter=options.get("prefilter", False),
                      max_chars=options.get("max_chars", 1_000_000),
                      events=options.get("events", "learned"), event_model=options.get("event_model"),
                      min_confidence=options.get("min_confidence"),
                      dictionaries=options.get("dictionaries"))
        _CODERS[key] = c
    return c


class _Writer:
    """Streams rows of one table into Parquet files, one per partition, under temporary names."""

    def __init__(self, out_dir: str, table: str, schema, sid: str):
        self.out_dir, self.table, self.schema, self.sid = out_dir, table, schema, sid
        self.buffers: dict = {}
        self.writers: dict = {}
        self.tmp_paths: dict = {}

    def _final(self, part: Optional[str]) -> str:
        d = os.path.join(self.out_dir, self.table) if part is None else \
            os.path.join(self.out_dir, self.table, part)
        return os.path.join(d, f"part-{self.sid}.parquet")

    def add(self, row: dict, part: Optional[str] = None) -> None:
        buf = self.buffers.setdefault(part, [])
        buf.append(row)
        if len(buf) >= ROW_GROUP:
            self._flush(part)

    def _flush(self, part) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = self.buffers.get(part)
        if not rows:
            return
        w = self.writers.get(part)
        if w is None:
            final = self._final(part)
            os.makedirs(os.path.dirname(final), exist_ok=True)
            tmp = os.path.join(os.path.dirname(final), f".tmp-part-{self.sid}-{os.getpid()}.parquet")
            w = pq.ParquetWriter(tmp, self.schema, compression="zstd")
            self.writers[part], self.tmp_paths[part] = w, tmp
        w.write_table(pa.Table.from_pylist(rows, schema=self.schema))
        self.buffers[part] = []

    def close(self) -> list:
        """Flush, close and rename every file into place; returns the final relative paths."""
        for part in list(self.buffers):
            self._flush(part)
        done = []
        for part, w in self.writers.items():
            w.close()
            final = self._final(part)
            os.replace(self.tmp_paths[part], final)
            done.append(os.path.relpath(final, self.out_dir))
        return done

    def abort(self) -> None:
        for part, w in self.writers.items():
            try:
                w.close()
            except Exception:  # noqa: BLE001
                pass
            try:
                os.remove(self.tmp_paths[part])
            except OSError:
                pass


def _remove_shard_files(out_dir: str, sid: str) -> None:
    """Delete what an earlier attempt of this shard wrote (final and temporary files)."""
    name = f"part-{sid}.parquet"
    for root, _, files in os.walk(out_dir):
        for f in files:
            if f == name or (f.startswith(f".tmp-part-{sid}-") and f.endswith(".parquet")):
                try:
                    os.remove(os.path.join(root, f))
                except OSError:
                    pass


def _localise(path: str, tmpdir: str) -> str:
    """A local file for `path`: itself, or a streamed copy of an fsspec URL (never in memory)."""
    if not _is_url(path):
        return path
    import fsspec

    name = path.rstrip("/").rsplit("/", 1)[-1] or "shard"
    local = os.path.join(tmpdir, name)
    with fsspec.open(path, "rb") as src, open(local, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    return local


def code_shard(shard: str, out_dir: str, options: Optional[dict] = None) -> dict:
    """Code one input shard into Parquet rows under `out_dir`; returns its manifest entry.

    Runs on a Dask worker (or anywhere): idempotent, so a retry after a crash is safe.
    """
    from .ingest import IngestError, read_inputs
    from .store import (ARTICLE_STAGE, EVENT_STAGE, POSITION_STAGE, QUOTE_STAGE, article_row,
                        event_row, position_row, quote_row)

    options = dict(options or {})
    t0 = time.perf_counter()
    c0 = time.process_time()
    sid = shard_id(shard)
    res = ShardResult(shard=shard, shard_id=sid, fingerprint=fingerprint(shard),
                      worker=f"{socket.gethostname()}:{os.getpid()}", attempt_started=time.time())
    _remove_shard_files(out_dir, sid)
    coder = _coder({k: v for k, v in options.items() if k not in ("time_limit", "published", "rescue")})
    res.rescued = str(options.get("rescue") or "")
    writers = {
        "events": _Writer(out_dir, "events", EVENT_STAGE, sid),
        "articles": _Writer(out_dir, "articles", ARTICLE_STAGE, sid),
        "quotes": _Writer(out_dir, "quotes", QUOTE_STAGE, sid),
        "positions": _Writer(out_dir, "positions", POSITION_STAGE, sid),
    }

    def error(origin, message) -> None:
        res.failed += 1
        if len(res.errors) < MAX_ERRORS_KEPT:
            res.errors.append({"origin": str(origin), "message": str(message)})

    tmpdir = tempfile.mkdtemp(prefix="eventcoder-shard-")
    try:
        try:
            local = _localise(shard, tmpdir)
        except Exception as exc:  # noqa: BLE001 - an unreadable URL is an error of this shard
            error(shard, f"cannot fetch ({type(exc).__name__}: {exc}); skipped")
            local = None
        if local is not None:
            items = read_inputs([local], published=options.get("published"),
                                max_chars=max(1, int(options.get("max_chars", 1_000_000))))
            for item in guarded_stream(coder, items, options.get("time_limit", DEFAULT_TIME_LIMIT),
                                       rescue=bool(options.get("rescue"))):
                if isinstance(item, IngestError) or not hasattr(item, "article"):
                    origin = getattr(item, "origin", shard)
                    if local != shard and isinstance(origin, str):
                        origin = origin.replace(local, shard)
                    error(origin, getattr(item, "message", str(item)))
                    continue
                if item.error:
                    error(item.article.origin or item.article.article_id, item.error)
                    continue
                a = item.article
                if local != shard and a.origin:
                    a.origin = a.origin.replace(local, shard)
                writers["articles"].add(article_row(a, len(item.events), len(item.quotes or [])))
                res.articles += 1
                for ev in item.events:
                    row = event_row(ev)
                    day = ev.date or ev.published
                    writers["events"].add(row, f"event_date={day}" if day else "event_date=unknown")
                    res.events += 1
                for q in item.quotes or []:
                    writers["quotes"].add(quote_row(q))
                    res.quotes += 1
                for p in getattr(item, "positions", None) or []:
                    writers["positions"].add(position_row(p))
                    res.positions += 1
        for w in writers.values():
            res.files.extend(w.close())
    except BaseException:
        for w in writers.values():
            w.abort()
        raise
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    res.elapsed = time.perf_counter() - t0
    res.cpu_seconds = time.process_time() - c0
    _atomic_write_text(_marker_path(out_dir, sid), json.dumps(res.to_dict(), ensure_ascii=False))
    return res.to_dict()


# ------------------------------------------------------------------ client side
def _client(client_or_address, workers: Optional[int]):
    """(client, owned cluster or None). Starts a LocalCluster when no address is given."""
    from distributed import Client, LocalCluster

    if client_or_address is not None and not isinstance(client_or_address, str):
        return client_or_address, None
    if isinstance(client_or_address, str) and client_or_address:
        return Client(client_or_address), None
    cluster = LocalCluster(n_workers=max(1, int(workers or 1)), threads_per_worker=1,
                           processes=True, dashboard_address=None)
    return Client(cluster), cluster


def run_sharded(inputs: Iterable[str], out_dir: str, client_or_address: Any = None,
                workers: Optional[int] = None, model: Optional[str] = None, batch_size: int = 32,
                quotes: bool = False, prefilter: bool = False, published: Optional[str] = None,
                max_chars: int = 1_000_000, time_limit: Optional[float] = DEFAULT_TIME_LIMIT,
                retries: int = 2, force: bool = False, coder: Optional[str] = None,
                on_shard=None, events: str = "learned", event_model: Optional[str] = None,
                min_confidence: Optional[float] = None, dictionaries: Optional[list] = None) -> Manifest:
    """Code every input shard on a Dask cluster into `out_dir`; returns the Manifest.

    `client_or_address`: a `distributed.Client`, a scheduler address ("tcp://host:8786"), or None
    to start a local cluster of `workers` processes (one thread each). Shards already finished (a
    done-marker with the same fingerprint) are skipped unless `force`. `retries`: re-runs of a
    task that raised; a task whose worker died is re-run by the scheduler (up to
    `distributed.scheduler.allowed-failures`). `coder`: optional "module:factory" (tests).
    `on_shard(result_dict)` is called as each shard finishes.
    """
    from distributed import as_completed

    t0 = time.perf_counter()
    out_dir = os.path.abspath(os.fspath(out_dir))
    os.makedirs(os.path.join(out_dir, MANIFEST_DIR), exist_ok=True)
    shards = list(dict.fromkeys(expand_inputs(inputs)))
    options = {"model": model, "batch_size": batch_size, "quotes": quotes, "prefilter": prefilter,
               "published": published, "max_chars": max_chars, "time_limit": time_limit}
    if events != "learned" or event_model or min_confidence is not None:  # the defaults keep old fingerprints
        options.update(events=events, event_model=event_model and os.path.abspath(event_model),
                       min_confidence=min_confidence)
    if dictionaries:  # (absent by default: the defaults keep old fingerprints)
        options["dictionaries"] = tuple(os.path.abspath(p) for p in dictionaries)
    if coder:
        options["coder"] = coder
    manifest = Manifest(out_dir)
    todo = []
    for s in shards:
        sid = shard_id(s)
        try:
            fp = fingerprint(s)
        except (OSError, ValueError) as exc:
            manifest.shards.append(ShardResult(shard=s, shard_id=sid, fingerprint={"path": s},
                                               status="failed", failed=1, errors=[{
                                                   "origin": s, "message": f"cannot read: {exc}"}]))
            continue
        mark = None if force else read_marker(out_dir, sid)
        if mark and mark.get("status") == "done" and mark.get("fingerprint") == fp:
            r = ShardResult(**{k: v for k, v in mark.items() if k in ShardResult.__dataclass_fields__})
            r.skipped = True
            manifest.shards.append(r)
            continue
        todo.append(s)
    if todo:
        client, cluster = _client(client_or_address, workers)
        try:
            futures = client.map(code_shard, todo, out_dir=out_dir, options=options,
                                 retries=retries, pure=False,
                                 key=[f"eventcoder-shard-{shard_id(s)}-{int(time.time() * 1000)}"
                                      for s in todo])
            by_key = {f.key: s for f, s in zip(futures, todo)}
            rescued: set = set()
            pending = as_completed(futures)
            for fut in pending:
                s = by_key[fut.key]
                try:
                    d = fut.result()
                    r = ShardResult(**{k: v for k, v in d.items()
                                       if k in ShardResult.__dataclass_fields__})
                except Exception as exc:  # noqa: BLE001 - the shard failed for good
                    why = f"{type(exc).__name__}: {exc}"
                    if s not in rescued:  # once more, one article at a time in a killable child
                        rescued.add(s)
                        log.warning("shard %s failed (%s); re-running it article by article", s, why)
                        again = client.submit(
                            code_shard, s, out_dir=out_dir, pure=False,
                            options=dict(options, rescue=why),
                            key=f"eventcoder-rescue-{shard_id(s)}-{int(time.time() * 1000)}")
                        by_key[again.key] = s
                        pending.add(again)
                        continue
                    r = ShardResult(shard=s, shard_id=shard_id(s), fingerprint={"path": s},
                                    status="failed", rescued=why,
                                    errors=[{"origin": s, "message": why}])
                manifest.shards.append(r)
                if on_shard is not None:
                    on_shard(r.to_dict())
        finally:
            if cluster is not None:
                client.close()
                cluster.close()
    order = {s: i for i, s in enumerate(shards)}
    manifest.shards.sort(key=lambda r: order.get(r.shard, len(order)))
    manifest.elapsed = time.perf_counter() - t0
    _atomic_write_text(os.path.join(out_dir, "manifest.json"),
                       json.dumps(manifest.to_dict(), ensure_ascii=False, indent=1))
    return manifest


# ------------------------------------------------------------------ reading the shards
def parquet_glob(out_dir: str, table: str = "events") -> str:
    out_dir = os.fspath(out_dir)
    if table == "events":
        return os.path.join(out_dir, "events", "*", "*.parquet")
    return os.path.join(out_dir, table, "*.parquet")


def query_shards(out_dir: str, sql: str = "SELECT count(*) FROM events", con=None):
    """Run SQL over the shards with DuckDB; the views events/articles/quotes are defined."""
    import duckdb

    con = con or duckdb.connect()
    for table in ("events", "articles", "quotes", "positions"):
        pattern = parquet_glob(out_dir, table)
        import glob

        if glob.glob(pattern):
            hive = ", hive_partitioning=true" if table == "events" else ""
            con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM "
                        f"read_parquet('{pattern}'{hive}, union_by_name=true)")
    return con.sql(sql).fetchall()


def _actor(row: dict, prefix: str, span_prefix: Optional[str] = None):
    from .model import Actor

    if row.get(f"{prefix}_text") is None and row.get(f"{prefix}_code") is None:
        return None
    sp = span_prefix or prefix
    start, end = row.get(f"{sp}_start"), row.get(f"{sp}_end")
    return Actor(text=row.get(f"{prefix}_text") or "", name=row.get(f"{prefix}_name"),
                 country=row.get(f"{prefix}_country"), sector=row.get(f"{prefix}_sector"),
                 code=row.get(f"{prefix}_code"),
                 span=(start, end) if start is not None and end is not None else None)


def _event(row: dict):
    from .model import Event, Location

    loc = None
    if row.get("location_name") is not None:
        loc = Location(row["location_name"], row.get("location_country"), row.get("location_lat"),
                       row.get("location_lon"))
    return Event(article_id=row["article_id"], date=row.get("date"), published=row.get("published"),
                 source=_actor(row, "source"), target=_actor(row, "target"),
                 cameo_code=row.get("cameo_code"), cameo_root=row.get("cameo_root"),
                 cameo_name=row.get("cameo_name"), goldstein=row.get("goldstein"),
                 quad_class=row.get("quad_class"), plover_type=row.get("plover_type"),
                 plover_mode=row.get("plover_mode"), status=row.get("status"), location=loc,
                 sentence_index=row.get("sentence_index"), sentence=row.get("sentence"),
                 trigger=row.get("trigger"), span=(row.get("span_start"), row.get("span_end")),
                 confidence=row.get("confidence"), rule=row.get("rule"), event_id=row["event_id"],
                 date_precision=row.get("date_precision") or ("day" if row.get("date") else "none"),
                 reference=bool(row.get("reference")))


def _quote(row: dict):
    from .model import Quote

    def span(a, b):
        return (row[a], row[b]) if row.get(a) is not None and row.get(b) is not None else None

    try:
        spans = [tuple(s) for s in json.loads(row.get("content_spans") or "[]")]
    except ValueError:
        spans = []
    return Quote(article_id=row["article_id"], speaker=_actor(row, "speaker"), cue=row.get("cue"),
                 content=row.get("content") or "", direct=bool(row.get("direct")),
                 speaker_span=span("speaker_start", "speaker_end"),
                 cue_span=span("cue_start", "cue_end"), content_spans=spans,
                 quote_id=row["quote_id"])


def _position(row: dict):
    from .model import Position

    sp = (row["span_start"], row["span_end"]) if row.get("span_start") is not None else None
    return Position(article_id=row["article_id"], actor=_actor(row, "actor", "span"),
                    issue=row.get("issue"), stance=row.get("stance"), evidence=row.get("evidence"),
                    date=row.get("date"), span=sp, responds_to=row.get("responds_to"),
                    position_id=row["position_id"])


def _rows_by_article(paths: list) -> dict:
    import pyarrow.parquet as pq

    out: dict = collections.defaultdict(list)
    for p in paths:
        for batch in pq.ParquetFile(p).iter_batches(batch_size=ROW_GROUP):
            for row in batch.to_pylist():
                out[row["article_id"]].append(row)
    return out


def load_shards(store, out_dir: str, batch_size: int = 256, shards: Optional[list] = None) -> dict:
    """Load finished shards into an eventcoder Store (idempotent: stored articles are skipped).

    Reads one shard at a time (its articles, events, quotes, positions) and writes batches of
    `batch_size` articles with `Store.write_batch`, so clusters and actor counts are maintained
    exactly as by `Store.ingest`. Returns counts.
    """
    import glob

    import pyarrow.parquet as pq

    from .model import Article
    from .store import Coded

    out_dir = os.fspath(out_dir)
    markers = sorted(glob.glob(os.path.join(out_dir, MANIFEST_DIR, "*.json")))
    stats = {"shards": 0, "articles_read": 0, "articles_stored": 0, "events": 0}
    for m in markers:
        try:
            with open(m, encoding="utf-8") as f:
                entry = json.load(f)
        except (OSError, ValueError):
            continue
        if entry.get("status") != "done" or (shards and entry.get("shard") not in shards):
            continue
        files = [os.path.join(out_dir, p) for p in entry.get("files", [])]
        arts = [p for p in files if p.startswith(os.path.join(out_dir, "articles") + os.sep)]
        evs = _rows_by_article([p for p in files if p.startswith(os.path.join(out_dir, "events") + os.sep)])
        qs = _rows_by_article([p for p in files if p.startswith(os.path.join(out_dir, "quotes") + os.sep)])
        ps = _rows_by_article([p for p in files if p.startswith(os.path.join(out_dir, "positions") + os.sep)])
        stats["shards"] += 1
        batch = []
        for p in arts:
            for b in pq.ParquetFile(p).iter_batches(batch_size=batch_size):
                for row in b.to_pylist():
                    aid = row["article_id"]
                    a = Article(article_id=aid, text=row.get("text") or "", title=row.get("title"),
                                published=row.get("published"), url=row.get("url"),
                                source_name=row.get("source_name"), origin=row.get("origin"))
                    batch.append(Coded(a, [_event(r) for r in evs.get(aid, [])],
                                       [_quote(r) for r in qs.get(aid, [])],
                                       [_position(r) for r in ps.get(aid, [])]))
                    stats["articles_read"] += 1
                    stats["events"] += len(evs.get(aid, []))
                    if len(batch) >= batch_size:
                        stats["articles_stored"] += store.write_batch(batch)
                        batch = []
        if batch:
            stats["articles_stored"] += store.write_batch(batch)
    return stats

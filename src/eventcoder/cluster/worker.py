"""Coding one shard on a Dask worker (or anywhere): `code_shard(shard, out_dir, options)`.

The shard's rows stream into Parquet files under temporary names, renamed when complete; its
done-marker is written last. A task first deletes what an earlier, interrupted attempt of the same
shard left, so a retried shard never duplicates rows. The coder is loaded once per worker process
and option set (`_coder`), not once per task.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
import time
from typing import Optional

from ..columns import arrow_schema
from ..guard import DEFAULT_TIME_LIMIT, guarded_stream
from ..rows import article_row, event_row, position_row, quote_row
from .manifest import ShardResult, _atomic_write_text, _marker_path
from .shards import _localise, fingerprint, shard_id

ROW_GROUP = 2000          # rows buffered per output file before a row group is written
MAX_ERRORS_KEPT = 1000    # errors listed per shard in its manifest entry (all are counted)


_CODERS: dict = {}  # one Coder per worker process and option set (the model loads once)


def _coder(options: dict):
    key = tuple(sorted(options.items()))
    c = _CODERS.get(key)
    if c is None:
        factory = options.get("coder")
        if factory:
            from ..store import load_coder

            c = load_coder(factory)
        else:
            from ..coder import Coder

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


def code_shard(shard: str, out_dir: str, options: Optional[dict] = None) -> dict:
    """Code one input shard into Parquet rows under `out_dir`; returns its manifest entry.

    Runs on a Dask worker (or anywhere): idempotent, so a retry after a crash is safe.
    """
    from ..ingest import IngestError, read_inputs

    options = dict(options or {})
    t0 = time.perf_counter()
    c0 = time.process_time()
    sid = shard_id(shard)
    res = ShardResult(shard=shard, shard_id=sid, fingerprint=fingerprint(shard),
                      worker=f"{socket.gethostname()}:{os.getpid()}", attempt_started=time.time())
    _remove_shard_files(out_dir, sid)
    coder = _coder({k: v for k, v in options.items() if k not in ("time_limit", "published", "rescue")})
    res.rescued = str(options.get("rescue") or "")
    writers = {t: _Writer(out_dir, t, arrow_schema(t), sid)
               for t in ("events", "articles", "quotes", "positions")}

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

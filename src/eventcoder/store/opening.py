"""Opening a store's file: what may be opened, and the lock another process holds on it.

DuckDB lets one process at a time open a file for writing (or several read-only). `connect` waits
up to `wait` seconds for the lock, then says which process holds it (`StoreBusy`).
"""
from __future__ import annotations

import re
import time
from pathlib import Path

import duckdb

from ..errors import EventcoderError

DATA_SUFFIXES = (".jsonl", ".json", ".csv", ".tsv", ".tab", ".parquet", ".gz", ".zip", ".txt", ".html", ".xml")
_LOCK_HELD = re.compile(r"Conflicting lock is held in (.+?) \(PID (\d+)\)")


class StoreError(EventcoderError):
    """A store operation that cannot proceed (e.g. writing to a read-only store)."""


class StoreBusy(StoreError):
    """Another process holds the store's file (an ingest writing, a server that is not read-only)."""


def in_memory(path: str) -> bool:
    """A database that is no file of ours (":memory:", MotherDuck's "md:...")."""
    return path == ":memory:" or path.startswith("md:")


def check_db_path(path: str) -> None:
    """Refuse a path that is not a DuckDB database: an existing file without DuckDB's header, or
    a new file named like a data file (`--db events.jsonl` would otherwise open a database
    nobody keeps, or overwrite nothing and store nothing where the user looks)."""
    if in_memory(path):
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


def check_exists(path: str) -> None:
    """A read-only store must exist already (opening would not create it)."""
    if not in_memory(path) and not Path(path).exists():
        raise StoreError(f"{path}: no such store; create it with `eventcoder ingest PATHS --db "
                         f"{path}` (or give the --db of an existing one)")


def connect(path: str, read_only: bool = False, wait: float = 0.0) -> duckdb.DuckDBPyConnection:
    """A connection to `path`, retried for `wait` seconds while another process holds the file."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except (duckdb.IOException, duckdb.CatalogException) as exc:
            msg = str(exc)
            m = _LOCK_HELD.search(msg)
            if m and time.monotonic() < deadline:
                time.sleep(0.05)
                continue
            if m:  # another process (a `serve`, an `ingest`) has the file open
                raise StoreBusy(
                    f"{path} is in use by {m.group(1)} (PID {m.group(2)}): stop it and retry, "
                    f"or run that server as `eventcoder serve --read-only`, which opens the file "
                    f"only while it answers a request") from None
            raise StoreError(f"cannot open {path}"
                             f"{' read-only' if read_only else ''}: {msg}") from None

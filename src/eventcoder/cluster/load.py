"""Reading the shards back: DuckDB straight on the Parquet files (`query_shards`), or every finished
shard into a Store (`load_shards`), through `Store.write_batch` so clusters and actor counts are
kept exactly as by `Store.ingest`.
"""
from __future__ import annotations

import collections
import json
import os
from typing import Optional

from ..rows import article_from_row, event_from_row, position_from_row, quote_from_row
from .manifest import MANIFEST_DIR
from .worker import ROW_GROUP


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

    from ..store import Coded

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
                    batch.append(Coded(article_from_row(row), [event_from_row(r) for r in evs.get(aid, [])],
                                       [quote_from_row(r) for r in qs.get(aid, [])],
                                       [position_from_row(r) for r in ps.get(aid, [])]))
                    stats["articles_read"] += 1
                    stats["events"] += len(evs.get(aid, []))
                    if len(batch) >= batch_size:
                        stats["articles_stored"] += store.write_batch(batch)
                        batch = []
        if batch:
            stats["articles_stored"] += store.write_batch(batch)
    return stats

"""The same coder on Dask over input shards: one task per shard, Parquet event shards out.

    from eventcoder.cluster import run_sharded, load_shards
    manifest = run_sharded(["a.jsonl", "s3://bucket/b.parquet"], "out/", workers=2)
    # or run_sharded(..., client_or_address="tcp://scheduler:8786")
    with Store("events.duckdb") as st:
        load_shards(st, "out/")
    # DuckDB straight on the shards:
    #   SELECT * FROM read_parquet('out/events/*/*.parquet', hive_partitioning=true)

Output layout (every file written to a temporary name and renamed when complete):

    out/events/event_date=YYYY-MM-DD/part-<shard>.parquet   event rows (eventcoder.columns)
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

Per-article time limit: every task codes through `eventcoder.guard.guarded_stream` (a killable
child process per batch; an article over the limit becomes an error record). A shard that still
fails as a whole (after Dask's retries) is re-run once with `rescue`: one article at a time, so
only the article at fault is lost and named. See docs/cluster.md and docs/reliability.md.

    shards.py     inputs -> shards, fingerprints, shard ids
    manifest.py   a shard's done-marker and the run's manifest
    worker.py     coding one shard into Parquet files (code_shard)
    schedule.py   every shard on Dask, retries and rescue (run_sharded)
    load.py       DuckDB on the shards (query_shards), shards into a Store (load_shards)
"""
from __future__ import annotations

from ..guard import DEFAULT_TIME_LIMIT, ArticleTimeout, guarded_stream
from .load import load_shards, parquet_glob, query_shards
from .manifest import MANIFEST_DIR, Manifest, ShardResult, read_marker
from .schedule import run_sharded
from .shards import KNOWN_SUFFIXES, expand_inputs, fingerprint, shard_id
from .worker import MAX_ERRORS_KEPT, ROW_GROUP, code_shard

__all__ = [
    "ArticleTimeout", "DEFAULT_TIME_LIMIT", "KNOWN_SUFFIXES", "MANIFEST_DIR", "MAX_ERRORS_KEPT",
    "Manifest", "ROW_GROUP", "ShardResult", "code_shard", "expand_inputs", "fingerprint",
    "guarded_stream", "load_shards", "parquet_glob", "query_shards", "read_marker", "run_sharded",
    "shard_id",
]

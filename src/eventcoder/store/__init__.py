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
See docs/store.md for the schema and the deduplication rule, docs/layout.md for the modules:

    store.py     the Store: connection, settings kept in the store, the write lock, read methods
    opening.py   which paths may be opened; the lock another process holds (StoreBusy)
    migrate.py   upgrading a store written by an older eventcoder
    writing.py   one batch in one transaction (staging, event dates, clusters, position links)
    intake.py    the ingest loop (skip stored, code, commit in batches) and its summary
The columns are eventcoder.columns' and the record <-> row conversions eventcoder.rows'.
"""
from __future__ import annotations

from ..columns import ACTOR_FIELDS as ACTOR_COLS
from ..rows import article_row, event_row, position_row, quote_row, search_text
from .intake import DEFAULT_BATCH_SIZE, Coded, IngestSummary, load_coder
from .migrate import SCHEMA_VERSION
from .opening import DATA_SUFFIXES, StoreBusy, StoreError
from .store import SCHEMA, TABLES, Store
from .writing import ARTICLE_STAGE, EVENT_STAGE, POSITION_STAGE, QUOTE_STAGE

__all__ = [
    "ACTOR_COLS", "ARTICLE_STAGE", "Coded", "DATA_SUFFIXES", "DEFAULT_BATCH_SIZE", "EVENT_STAGE",
    "IngestSummary", "POSITION_STAGE", "QUOTE_STAGE", "SCHEMA", "SCHEMA_VERSION", "Store",
    "StoreBusy", "StoreError", "TABLES", "article_row", "event_row", "load_coder", "position_row",
    "quote_row", "search_text",
]

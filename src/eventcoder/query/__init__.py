"""Analytical queries over the store. Every value reaches SQL as a parameter; the few SQL
fragments built here come from fixed whitelists (intervals, levels), never from user text.

All functions take a DuckDB connection (one per thread: `Store.cursor()`).

    events(con, actor="RUS", start="2025-02-01", end="2025-02-28", plover_type="CONSULT")
    dyad_series(con, "USA", "RUS", interval="week")
    actor_profile(con, "UKRGOV")
    top_dyads(con, start="2025-01-01", level="country", limit=10)

    filters.py     the event filters as one WHERE clause, the counting defaults, QueryError
    listing.py     pages of rows: events, an article with its spans, clusters, positions, issues
    aggregates.py  counts: dyad series, actor profiles, top dyads, the store's summary
Queries over articles and quotes are eventcoder.query_texts'.
"""
from __future__ import annotations

from ..rows import event_record
from .aggregates import actor_profile, dyad_series, summary_text, top_dyads
from .filters import (COUNTED_STATUSES, INTERVALS, LEVELS, MAX_LIMIT, PUBLISHER_SQL, Many,
                      QueryError, _code, _date, _many, _rows, counted, date_range, dyad_where,
                      event_where,
                      page_size, source_where)
from .listing import (EVENT_COLUMNS, POSITION_COLUMNS, article_with_spans, clusters, events,
                      events_filter, events_sql, issues, positions, publishers)

__all__ = [
    "COUNTED_STATUSES", "EVENT_COLUMNS", "INTERVALS", "LEVELS", "MAX_LIMIT", "Many",
    "POSITION_COLUMNS", "PUBLISHER_SQL", "QueryError", "actor_profile", "article_with_spans",
    "clusters", "counted", "date_range", "dyad_where", "dyad_series", "event_record", "event_where", "events",
    "events_filter", "events_sql", "issues", "page_size", "positions", "publishers", "source_where",
    "summary_text", "top_dyads",
]

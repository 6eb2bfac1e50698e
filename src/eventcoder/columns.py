"""The store's tables, column by column: the one place a column is declared.

Every other form derives from `TABLES` here:

    ddl()                          the DuckDB schema (eventcoder.store.SCHEMA)
    arrow_schema("events")         the Arrow staging schema, which is also the Parquet shards' schema
    staged_names("events")         the columns a record's row carries (eventcoder.rows.event_row)
    record_names("events")         the columns queries return (eventcoder.query.EVENT_COLUMNS)
    web_names("events")            the dashboard's event rows and its CSV download

A column the store computes (a cluster id, the event date, the ingest time) is not staged; an
internal key (the dedup block, the search text) is staged but not returned. To add a column, add
it here, give it a value in eventcoder.rows and, for the events table, list it in
`eventcoder.store.migrate.ADDED_EVENT_COLUMNS` so older stores are upgraded. tests/test_columns.py checks that
the derived forms agree. GDELT, ICEWS and POLECAT columns are external formats: eventcoder.export.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

ACTOR_FIELDS = ("text", "name", "country", "sector", "code")  # an Actor's columns, prefixed


@dataclass(frozen=True)
class Column:
    name: str
    sql: str                 # DuckDB type: VARCHAR, INTEGER, DOUBLE, BOOLEAN, DATE, TIMESTAMP
    constraint: str = ""     # e.g. "PRIMARY KEY", "NOT NULL"
    staged: bool = True      # in the row written from a record (False: the store computes it)
    record: bool = True      # returned by queries (False: an internal key)
    web: bool = True         # in the dashboard's event rows
    doc: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple
    key: str = ""            # a table constraint, e.g. "PRIMARY KEY (code, name)"

    @property
    def names(self) -> tuple:
        return tuple(c.name for c in self.columns)


def _actor(prefix: str, spans: bool = False, **kw) -> tuple:
    cols = tuple(Column(f"{prefix}_{f}", "VARCHAR", **kw) for f in ACTOR_FIELDS)
    if spans:
        cols += (Column(f"{prefix}_start", "INTEGER", web=False), Column(f"{prefix}_end", "INTEGER", web=False))
    return cols


_V, _I, _F, _B, _D, _T = "VARCHAR", "INTEGER", "DOUBLE", "BOOLEAN", "DATE", "TIMESTAMP"

META = Table("meta", (Column("key", _V, "PRIMARY KEY"), Column("value", _V)))

ARTICLES = Table("articles", (
    Column("article_id", _V, "PRIMARY KEY"),
    Column("content_hash", _V, "NOT NULL UNIQUE", record=False),
    Column("title", _V), Column("text", _V), Column("published", _D), Column("url", _V),
    Column("source_name", _V), Column("origin", _V), Column("n_events", _I), Column("n_quotes", _I),
    Column("ingested_at", _T, staged=False),
))

EVENTS = Table("events", (
    Column("event_id", _V, "PRIMARY KEY"),
    Column("article_id", _V, "NOT NULL"),
    Column("cluster_id", _V, staged=False, doc="the dedup cluster (eventcoder.dedup)"),
    Column("ckey", _V, record=False, web=False, doc="the dedup block"),
    Column("date", _D), Column("published", _D),
    Column("event_date", _D, staged=False, doc="date, else published unless a reference"),
    Column("date_precision", _V, web=False), Column("reference", _B, web=False),
    *_actor("source", spans=True),
    *_actor("target", spans=True),
    Column("cameo_code", _V), Column("cameo_base", _V, record=False, web=False), Column("cameo_root", _V),
    Column("cameo_name", _V), Column("goldstein", _F), Column("quad_class", _I),
    Column("plover_type", _V), Column("plover_mode", _V), Column("status", _V),
    Column("location_name", _V), Column("location_country", _V), Column("location_lat", _F),
    Column("location_lon", _F),
    Column("sentence_index", _I), Column("sentence", _V), Column("trigger", _V),
    Column("span_start", _I), Column("span_end", _I),
    Column("confidence", _F), Column("rule", _V, web=False),
    Column("search_text", _V, record=False, web=False,
           doc="lower-cased sentence and actor names, for text search"),
))

EVENT_CLUSTERS = Table("event_clusters", (
    Column("cluster_id", _V, "PRIMARY KEY"), Column("ckey", _V),
    Column("source_code", _V), Column("target_code", _V), Column("cameo_base", _V),
    Column("negated", _B), Column("rep_event_id", _V),
    Column("first_seen", _D), Column("last_seen", _D),
    Column("num_mentions", _I), Column("num_sources", _I), Column("num_articles", _I),
    Column("first_added", _T),
))

ACTORS = Table("actors", (
    Column("code", _V, "NOT NULL"), Column("name", _V, "NOT NULL"), Column("country", _V),
    Column("sector", _V), Column("n_events", _I), Column("n_as_source", _I), Column("n_as_target", _I),
    Column("first_seen", _D), Column("last_seen", _D),
), key="PRIMARY KEY (code, name)")

QUOTES = Table("quotes", (
    Column("quote_id", _V, "PRIMARY KEY"), Column("article_id", _V, "NOT NULL"),
    *_actor("speaker"),
    Column("cue", _V), Column("content", _V), Column("direct", _B),
    Column("speaker_start", _I), Column("speaker_end", _I), Column("cue_start", _I), Column("cue_end", _I),
    Column("content_spans", _V, doc="JSON list of [start, end]"),
))

POSITIONS = Table("positions", (
    Column("position_id", _V, "PRIMARY KEY"), Column("article_id", _V, "NOT NULL"),
    *_actor("actor"),
    Column("issue", _V), Column("stance", _V), Column("evidence", _V), Column("date", _D),
    Column("span_start", _I), Column("span_end", _I), Column("responds_to", _V),
))

# the data tables, in the order exports and counts list them (meta is the store's own)
TABLES = {t.name: t for t in (ARTICLES, EVENTS, EVENT_CLUSTERS, ACTORS, QUOTES, POSITIONS)}
TABLE_NAMES = tuple(TABLES)


def ddl() -> str:
    """CREATE TABLE IF NOT EXISTS for meta and every data table."""
    out = []
    for t in (META, *TABLES.values()):
        items = [(f"{c.name} {c.sql}{' ' + c.constraint if c.constraint else ''}", c.doc) for c in t.columns]
        if t.key:
            items.append((t.key, ""))
        lines = [f"    {sql}{',' if i < len(items) - 1 else ''}{f'  -- {doc}' if doc else ''}"
                 for i, (sql, doc) in enumerate(items)]
        out.append(f"CREATE TABLE IF NOT EXISTS {t.name} (\n" + "\n".join(lines) + "\n);")
    return "\n".join(out) + "\n"


def staged_names(table: str) -> tuple:
    return tuple(c.name for c in TABLES[table].columns if c.staged)


def record_names(table: str) -> tuple:
    return tuple(c.name for c in TABLES[table].columns if c.record)


def web_names(table: str = "events") -> tuple:
    return tuple(c.name for c in TABLES[table].columns if c.record and c.web)


def date_names(table: str) -> frozenset:
    return frozenset(c.name for c in TABLES[table].columns if c.sql == _D)


@lru_cache(maxsize=None)
def arrow_schema(table: str):
    """The Arrow schema of a table's staged rows. Dates are strings (the store TRY_CASTs them on
    the way in), integers int64."""
    import pyarrow as pa

    types = {_V: pa.string(), _D: pa.string(), _I: pa.int64(), _F: pa.float64(), _B: pa.bool_()}
    return pa.schema([(c.name, types[c.sql]) for c in TABLES[table].columns if c.staged])

"""The store from a notebook: the CLI's queries as pandas DataFrames.

    import eventcoder
    with eventcoder.open("events.duckdb") as st:            # read-only: never creates a file
        df = st.events(actor="RUS", start="2025-02-01", plover_type="CONSULT,AGREE")
        st.count(actor="RUS")                               # == len(st.events(actor="RUS"))
        st.dyad("USA", "RUS", interval="week").plot(x="period", y="events")

Filters have the names and meanings of the CLI's (`eventcoder query events --help`): they go to
eventcoder.query.event_where, the one filter parser the CLI, the HTTP API and the exports use,
and a bad value raises its QueryError naming the filter. Frames have flat columns
(`source_code`, `target_code`, `cameo_code`, ...); codes and ids are strings ("040" stays
"040"), dates are datetime64, integer columns are pandas' nullable Int64.

Nothing is capped: `limit=None` (the default of the row-returning methods) is every matching
row, read in one query, so `len(st.events(**f)) == st.count(**f)`. A `limit` and `offset` give
one page; the frame's `attrs["total"]` is then the number of rows that match in all.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Optional

import pandas as pd
import pyarrow as pa

from . import query as q
from . import query_texts as qt
from .query import QueryError

# the filter names: event_where's own parameters (one list for the CLI, the API and this)
FILTERS = tuple(n for n in inspect.signature(q.event_where).parameters if n != "alias")
DATE_COLUMNS = frozenset(("period", "date", "event_date", "published", "first_seen", "last_seen",
                          "first", "last", "responds_to_date", "ingested_at"))
# columns of the frames built from the query functions' rows, for when no row matches
_COLUMNS = {
    "dyad": ("period", "events", "clusters", "quad1", "quad2", "quad3", "quad4",
             "goldstein_mean", "goldstein_sum"),
    "top_dyads": ("a", "b", "events", "clusters", "articles", "goldstein_mean", "conflict"),
    "clusters": ("cluster_id", "source_code", "target_code", "cameo_base", "negated", "first_seen",
                 "last_seen", "num_mentions", "num_sources", "num_articles", "rep_event_id",
                 "cameo_code", "cameo_name", "sentence", "article_id"),
    "positions": q.POSITION_COLUMNS + ("responds_to_actor", "responds_to_code",
                                       "responds_to_stance", "responds_to_date",
                                       "responds_to_article"),
    "issues": ("issue", "positions", "actors", "propose", "support", "oppose", "reject",
               "first", "last"),
    "quotes": qt.QUOTE_COLUMNS + ("published", "source_name", "title"),
    "articles": qt.ARTICLE_COLUMNS,
    "names": ("code", "name", "country", "sector", "n_events"),
    "partners": ("partner", "events", "as_source", "as_target", "goldstein_mean"),
    "trend": ("period", "events", "cooperation", "conflict", "goldstein_mean"),
    "mix": ("value", "events"),
}


# ---------------------------------------------------------------- frames
def _dtype(t: pa.DataType):
    if pa.types.is_integer(t):
        return pd.Int64Dtype()
    if pa.types.is_boolean(t):
        return pd.BooleanDtype()
    return None


def arrow_frame(tbl: pa.Table) -> pd.DataFrame:
    """An Arrow table as the frames here are: nullable Int64 integers, datetime64 dates,
    strings as strings."""
    df = tbl.to_pandas(types_mapper=_dtype, date_as_object=False)
    for c in df.columns:
        if c in DATE_COLUMNS and not pd.api.types.is_datetime64_any_dtype(df[c]):
            df[c] = pd.to_datetime(df[c])
    return df


def rows_frame(rows: list, columns=()) -> pd.DataFrame:
    """A frame of the query functions' rows (dicts); `columns` when there are none."""
    if not rows:
        return arrow_frame(pa.table({c: pa.array([], pa.null()) for c in columns}))
    return arrow_frame(pa.Table.from_pylist(rows))


def _check_filters(method: str, filters: dict) -> None:
    for k in filters:
        if k not in FILTERS:
            raise QueryError(f"{method}(): unknown filter {k!r}; the filters are {', '.join(FILTERS)}")


def _check_page(limit, offset) -> None:
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise QueryError(f"limit must be a whole number >= 0, or None for every row; got {limit!r}")
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise QueryError(f"offset must be a whole number >= 0; got {offset!r}")


@dataclass
class ActorProfile:
    """Who an actor deals with, what it does, and how that trends (eventcoder.query.actor_profile)."""
    code: str
    totals: dict                    # events, as_source, as_target, clusters, articles, first/last_seen, goldstein_mean
    names: pd.DataFrame             # the actor codes and names it covers
    partners: pd.DataFrame          # partner, events, as_source, as_target, goldstein_mean
    mix: dict                       # {"cameo_root" | "plover_type" | "quad_class" | "status": DataFrame(value, events)}
    trend: pd.DataFrame             # period, events, cooperation, conflict, goldstein_mean

    @property
    def events(self) -> int:
        return self.totals["events"]


# ---------------------------------------------------------------- the store
class EventStore:
    """A store opened for analysis (see the module docstring); a context manager.

    `read_only=True` (the default) never writes and never creates a file: a missing store is a
    StoreError naming the path. Other readers may share the file; a writer (`ingest`, `serve`
    without --read-only) may not run at the same time (DuckDB's rule).
    """

    def __init__(self, path: str = "events.duckdb", read_only: bool = True) -> None:
        from .store import Store

        self.store = Store(str(path), read_only=read_only)
        self.path = self.store.path

    # -- plumbing
    def __enter__(self) -> "EventStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    def __repr__(self) -> str:
        try:
            c = self.store.counts()
            what = f"{c['articles']} articles, {c['events']} events, {c['quotes']} quotes"
        except Exception:  # closed
            what = "closed"
        return f"<EventStore {self.path}{' (read-only)' if self.store.read_only else ''}: {what}>"

    def _run(self, fn, *args, **kwargs):
        con = self.store.cursor()
        try:
            return fn(con, *args, **kwargs)
        finally:
            con.close()

    def _sql_frame(self, con, sql: str, params) -> pd.DataFrame:
        import duckdb

        try:
            rel = con.sql(sql, params=list(params or []))
            if rel is None:  # a statement with no result
                return pd.DataFrame()
            return arrow_frame(rel.to_arrow_table())
        except duckdb.Error as exc:
            raise QueryError(f"sql: {str(exc).splitlines()[0]}") from None

    # -- events
    def events(self, limit: Optional[int] = None, offset: int = 0, unique: bool = False,
               **filters) -> pd.DataFrame:
        """Events matching the filters, newest first (ties in insertion order), one flat row
        each (eventcoder.query.EVENT_COLUMNS plus the cluster's num_mentions, num_sources,
        num_articles, first_seen, last_seen). `limit=None`: every matching row; otherwise one
        page from `offset`, with `attrs["total"]` the number that match. `unique=True`: one
        event per dedup cluster (its representative mention), as `--unique`.

        Filters: FILTERS, the parameters of eventcoder.query.event_where, as the CLI's (today
        start, end (YYYY-MM-DD), actor, source, target (code prefix or country), country, sector,
        plover_type, cameo_root, cameo_code, quad_class, status (one value, a comma-separated
        string or a list), place, text, article_id, cluster_id).
        """
        _check_filters("events", filters)
        _check_page(limit, offset)
        sql, params = q.events_sql(unique=unique, limit=limit, offset=offset, **filters)
        con = self.store.cursor()
        try:
            df = self._sql_frame(con, sql, params)
        finally:
            con.close()
        df.attrs["total"] = len(df) if limit is None and offset == 0 else \
            self.count(unique=unique, **filters)
        return df

    def count(self, unique: bool = False, **filters) -> int:
        """The number of events matching the filters (`unique=True`: of dedup clusters)."""
        _check_filters("count", filters)
        return self._run(q.events, limit=0, unique=unique, **filters)["total"]

    def dyad(self, a: str, b: str, interval: str = "week", directed: bool = False,
             **filters) -> pd.DataFrame:
        """A dyad's time series: per period (day, week from Monday, month), events, clusters,
        quad1-quad4 counts and Goldstein mean and sum; a and b are code prefixes or countries,
        both directions unless `directed` (as `eventcoder query dyad`)."""
        _check_filters("dyad", filters)
        return rows_frame(self._run(q.dyad_series, a, b, interval=interval, directed=directed,
                                    **filters), _COLUMNS["dyad"])

    def top_dyads(self, level: str = "code", directed: bool = True, limit: Optional[int] = 20,
                  **filters) -> pd.DataFrame:
        """The most active dyads (a, b) by events, with clusters, articles, Goldstein mean and
        conflict count; `level="country"` pairs countries; `limit=None`: every dyad."""
        _check_filters("top_dyads", filters)
        _check_page(limit, 0)
        return rows_frame(self._run(q.top_dyads, level=level, directed=directed, limit=limit,
                                    **filters), _COLUMNS["top_dyads"])

    def actor(self, code: str, start=None, end=None, top: int = 10,
              interval: str = "month") -> Optional[ActorProfile]:
        """An actor's profile (as `eventcoder query actor`), or None when no event has it."""
        p = self._run(q.actor_profile, code, start=start, end=end, top=top, interval=interval)
        if p is None:
            return None
        frames = {k: rows_frame(p.pop(k), _COLUMNS[k]) for k in ("names", "partners", "trend")}
        mix = {k: rows_frame(v, _COLUMNS["mix"]) for k, v in p.pop("event_mix").items()}
        return ActorProfile(code=p.pop("code"), totals=p, mix=mix, **frames)

    def clusters(self, start=None, end=None, actor=None, min_mentions: int = 1,
                 limit: Optional[int] = None, offset: int = 0) -> pd.DataFrame:
        """Deduplicated events, most mentioned first, with counts and the representative
        mention (as `eventcoder query clusters`); `limit=None`: every cluster."""
        _check_page(limit, offset)
        return rows_frame(self._run(q.clusters, start=start, end=end, actor=actor,
                                    min_mentions=min_mentions, limit=limit, offset=offset),
                          _COLUMNS["clusters"])

    # -- quotes, positions, articles
    def quotes(self, speaker: Optional[str] = None, text: Optional[str] = None,
               article_id: Optional[str] = None, start=None, end=None,
               direct: Optional[bool] = None, limit: Optional[int] = None,
               offset: int = 0) -> pd.DataFrame:
        """Quotes with their speaker, cue and content (see eventcoder.query_texts.quotes)."""
        _check_page(limit, offset)
        res = self._run(qt.quotes, speaker=speaker, text=text, article_id=article_id, start=start,
                        end=end, direct=direct, limit=limit, offset=offset)
        return _paged(res, "quotes")

    def positions(self, issue: Optional[str] = None, actor: Optional[str] = None, stance=None,
                  start=None, end=None, limit: Optional[int] = None,
                  offset: int = 0) -> pd.DataFrame:
        """Positions, oldest first, each response with the proposal it answers (as `eventcoder
        query positions`); stance: propose, support, oppose, reject, neutral."""
        _check_page(limit, offset)
        res = self._run(q.positions, issue=issue, actor=actor, stance=stance, start=start,
                        end=end, limit=limit, offset=offset)
        return _paged(res, "positions")

    def issues(self, limit: Optional[int] = None) -> pd.DataFrame:
        """Issues with positions, most discussed first, with counts by stance."""
        _check_page(limit, 0)
        return rows_frame(self._run(q.issues, limit=limit), _COLUMNS["issues"])

    def articles(self, start=None, end=None, publisher: Optional[str] = None,
                 text: Optional[str] = None, with_text: bool = False,
                 limit: Optional[int] = None, offset: int = 0) -> pd.DataFrame:
        """Stored articles, newest first (see eventcoder.query_texts.articles)."""
        _check_page(limit, offset)
        res = self._run(qt.articles, start=start, end=end, publisher=publisher, text=text,
                        with_text=with_text, limit=limit, offset=offset)
        return _paged(res, "articles", extra=("text",) if with_text else ())

    def article(self, article_id: str) -> Optional[dict]:
        """One article's text with its events and the character spans of its actors, triggers
        and quotes (as GET /articles/{id}), or None."""
        return self._run(q.article_with_spans, article_id)

    def summary(self, top: int = 8) -> str:
        """What the store holds, as `eventcoder query summary` prints it."""
        return self._run(q.summary_text, top=top)

    def sql(self, query: str, params=None) -> pd.DataFrame:
        """Any SQL over the tables (articles, events, event_clusters, actors, quotes, positions;
        see docs/store.md), values as `?` parameters. DuckDB's errors are QueryErrors."""
        con = self.store.cursor()
        try:
            return self._sql_frame(con, query, params)
        finally:
            con.close()


def _paged(res: dict, key: str, extra=()) -> pd.DataFrame:
    df = rows_frame(res[key], _COLUMNS[key] + tuple(extra))
    df.attrs["total"] = res["total"]
    return df


# ---------------------------------------------------------------- code_text(quotes=True)
@dataclass
class CodedText:
    """What `eventcoder.code_text(text, quotes=True)` returns: the article it coded and its
    Event, Quote and Position records (eventcoder.model)."""
    article: Any
    events: list = field(default_factory=list)
    quotes: list = field(default_factory=list)
    positions: list = field(default_factory=list)

    def to_frames(self) -> dict:
        """{"events", "quotes", "positions"}: flat DataFrames with the store's columns (the rows
        the store would hold, without its internal keys)."""
        from .columns import arrow_schema
        from .rows import event_row, position_row, quote_row

        out = {}
        for name, recs, to_row in (("events", self.events, event_row),
                                   ("quotes", self.quotes, quote_row),
                                   ("positions", self.positions, position_row)):
            tbl = pa.Table.from_pylist([to_row(r) for r in recs], schema=arrow_schema(name))
            out[name] = arrow_frame(tbl.drop_columns([c for c in ("ckey", "search_text")
                                                      if c in tbl.column_names]))
        return out

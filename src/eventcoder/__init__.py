"""eventcoder: political event data from news, with evidence for every record."""
from __future__ import annotations

from .query import QueryError

__version__ = "0.1.0"

__all__ = ["code_text", "open", "read_events", "QueryError", "StoreError", "__version__"]


def __getattr__(name: str):
    if name == "StoreError":  # eventcoder.StoreError without importing DuckDB on `import eventcoder`
        from .store import StoreError

        return StoreError
    raise AttributeError(f"module 'eventcoder' has no attribute {name!r}")


def code_text(text: str, published=None, quotes: bool = False, **kwargs):
    """Code one article's text. Returns a list of Event records (see eventcoder.model.Event);
    with `quotes=True` a CodedText whose `.events`, `.quotes` and `.positions` are the records
    and whose `.to_frames()` gives them as pandas DataFrames.

    `published` is read as `eventcoder ingest --published` reads it: an ISO date or datetime,
    "Feb 13, 2025", "Thu, 13 Feb 2025 10:00:00 GMT", a date or datetime object; relative dates in
    the text ("on Tuesday") are resolved against it. A value that is not a date is a ValueError
    naming it. Other keyword arguments (article_id, model, events) go to eventcoder.coder.code_text.
    """
    from .coder import code_text as _code_text

    res = _code_text(text, published=published, quotes=quotes, **kwargs)
    if not quotes:
        return res
    from .notebook import CodedText

    return CodedText(res.article, list(res.events), list(res.quotes), list(res.positions or []))


def open(path="events.duckdb", read_only: bool = True):  # noqa: A001 - eventcoder.open, like io.open
    """The store at `path` for a notebook: filters as the CLI's, pandas DataFrames, no row cap.

        with eventcoder.open("events.duckdb") as st:
            st.events(actor="RUS", start="2025-02-01")

    Read-only by default (nothing is written, no file is created; a missing store is a
    StoreError naming the path). See eventcoder.notebook.EventStore and docs/python.md."""
    from .notebook import EventStore

    return EventStore(path, read_only=read_only)


def read_events(path, **kwargs):
    """A pandas DataFrame of an events file with CAMEO codes and ids kept as text ("040" stays
    "040"); see eventcoder.reading."""
    from .reading import read_events as _read

    return _read(path, **kwargs)

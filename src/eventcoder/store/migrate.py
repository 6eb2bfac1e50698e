"""Schema upgrades: the columns a store written by an older eventcoder lacks, and their values.

SCHEMA_VERSION 2 added events.date_precision and events.reference. A store is upgraded when it
is opened for writing (`Store(path)`); opened read-only, an old store is refused with a message
saying how to upgrade it.
"""
from __future__ import annotations

from ..columns import EVENTS

SCHEMA_VERSION = "2"  # 2: events.date_precision, events.reference

# columns added to the events table since version 1, in the order they were added; their types
# are the column table's
ADDED_EVENT_COLUMNS = ("date_precision", "reference")
# what a stored event of the time meant: day precision, not a reference
_BACKFILL = {
    "date_precision": "UPDATE events SET date_precision = CASE WHEN date IS NULL THEN 'none' ELSE 'day' END",
    "reference": "UPDATE events SET reference = FALSE",
}


def missing_columns(con) -> list:
    have = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'events'").fetchall()}
    return [c for c in ADDED_EVENT_COLUMNS if c not in have]


def migrate(con) -> bool:
    """Add and fill the columns the store lacks; True when it changed (the caller then records the
    schema version and reclusters)."""
    missing = missing_columns(con)
    types = {c.name: c.sql for c in EVENTS.columns}
    for c in missing:
        con.execute(f"ALTER TABLE events ADD COLUMN {c} {types[c]}")
        con.execute(_BACKFILL[c])
    return bool(missing)

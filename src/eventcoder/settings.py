"""The settings table: every default the CLI (and the library behind it) uses, once.

Each `Setting` names a value, its default, its type, the command-line flag that sets it, the
commands that take that flag, and one line of help. The argparse set-up reads them through
`add_option` (so `--help` states each default), the library's keyword defaults read `default()`,
and tests/test_settings.py checks every default against the parsers and against what README.md
and docs/*.md say. docs/settings.md lists them.
"""
from __future__ import annotations

from collections import namedtuple
from typing import Any

Setting = namedtuple("Setting", ("name", "default", "type", "flag", "commands", "help"))

SETTINGS = (
    # -- coding
    Setting("batch_size", 32, int, "--batch-size",
            ("code", "cluster run", "eval plover-gsr", "eval conflibert", "eval leads"),
            "documents per spaCy batch"),
    Setting("processes", 1, int, "--processes",
            ("code", "ingest", "eval plover-gsr", "eval conflibert", "eval leads", "eval polnear"),
            "parser processes"),
    Setting("max_chars", 1_000_000, int, "--max-chars", ("code", "cluster run"),
            "longest article coded, in characters"),
    Setting("time_limit", 120.0, float, "--time-limit", ("code", "ingest", "cluster run"),
            "per-article time limit in seconds: a slower article is reported and skipped (0: none)"),
    Setting("progress", "auto", str, "--progress", ("code",),
            "progress bar on stderr (auto: when stderr is a terminal)"),
    Setting("encoding", "utf-8", str, "--encoding", ("code", "ingest"), "text encoding of the inputs"),
    Setting("polnear_batch_size", 16, int, "--batch-size", ("eval polnear",), "spaCy batch size"),
    # -- the store
    Setting("db", "events.duckdb", str, "--db", ("ingest", "query", "export", "dedup", "serve"),
            "DuckDB file"),
    Setting("ingest_batch_size", 64, int, "--batch-size", ("ingest",), "articles per transaction"),
    Setting("writer_wait", 5.0, float, None, ("ingest", "query", "export", "dedup"),
            "seconds a store command waits for another process's write, then names that process"),
    # -- the cluster
    Setting("retries", 2, int, "--retries", ("cluster run",), "re-runs of a failing shard task"),
    Setting("load_batch_size", 256, int, "--batch-size", ("cluster load",),
            "articles per transaction when loading shards"),
    # -- the server
    Setting("port", 8000, int, "--port", ("serve",), "port"),
    Setting("max_body", 2_000_000, int, "--max-body", ("serve",), "largest request body in bytes"),
    Setting("code_max_chars", 200_000, int, "--code-max-chars", ("serve",),
            "longest text POST /code and /articles accept per request"),
    Setting("code_time_limit", 60.0, float, "--code-time-limit", ("serve",),
            "a coding request answers 504 after this many seconds"),
    Setting("code_queue", 4, int, "--code-queue", ("serve",),
            "coding requests that may wait; more answer 429"),
)

BY_NAME = {s.name: s for s in SETTINGS}
assert len(BY_NAME) == len(SETTINGS), "a setting is listed twice"


def default(name: str) -> Any:
    """The default of setting `name`."""
    return BY_NAME[name].default


def shown(value: Any) -> str:
    """A default as --help and docs/settings.md write it: 1,000,000; 8000; 120; utf-8."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) and value >= 10_000 else str(value)


def add_option(parser, name: str, **kwargs) -> Any:
    """`parser.add_argument` for setting `name`: its flag, type and default, and its help with the
    default appended. Extra keyword arguments (metavar, choices, help) pass through."""
    s = BY_NAME[name]
    kwargs.setdefault("help", s.help)
    kwargs["help"] = f"{kwargs['help']} (default {shown(s.default)})"
    if s.type is not str:
        kwargs.setdefault("type", s.type)
    return parser.add_argument(s.flag, default=s.default, **kwargs)


__all__ = ["BY_NAME", "SETTINGS", "Setting", "add_option", "default", "shown"]

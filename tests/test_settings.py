"""One settings table (eventcoder.settings), checked against the parsers and the docs, as
Datasette's tests/test_docs.py checks its settings: every default exists once, and neither the
CLI nor the docs can drift from it."""
from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from eventcoder import settings
from eventcoder.cli import build_parser
from eventcoder.settings import SETTINGS, shown

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def parsers(parser: argparse.ArgumentParser, name: str = ""):
    """(command path, parser) for every (sub-)command: ("code", p), ("eval leads", p), ..."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                path = f"{name} {sub_name}".strip()
                yield path, sub
                yield from parsers(sub, path)


COMMANDS = dict(parsers(build_parser()))


def option(command: str, flag: str) -> argparse.Action:
    for action in COMMANDS[command]._actions:
        if flag in action.option_strings:
            return action
    raise AssertionError(f"eventcoder {command} has no {flag}")


def markdown_table() -> str:
    rows = ["| setting | option | default | commands | what it is |", "|---|---|---|---|---|"]
    for s in SETTINGS:
        flag = f"`{s.flag}`" if s.flag else "—"
        rows.append(f"| `{s.name}` | {flag} | {shown(s.default)} | {', '.join(s.commands)} | {s.help} |")
    return "\n".join(rows)


@pytest.mark.parametrize("s", [s for s in SETTINGS if s.flag], ids=lambda s: s.name)
def test_each_command_takes_its_default_from_the_table(s):
    for command in s.commands:
        action = option(command, s.flag)
        assert action.default == s.default and type(action.default) is type(s.default), (command, s)
        assert f"(default {shown(s.default)})" in (action.help or ""), (command, action.help)


def test_no_command_has_a_default_of_its_own_for_a_setting_flag():
    """A parser with a setting's flag (--batch-size, --time-limit, ...) is listed by a setting."""
    flags = {s.flag for s in SETTINGS if s.flag}
    for command, parser in COMMANDS.items():
        for action in parser._actions:
            if action.required or action.nargs == 0:  # no value to default (cluster load --db
                continue                               # FILE, ingest --progress/--no-progress)
            for flag in flags & set(action.option_strings):
                owners = [s for s in SETTINGS if s.flag == flag and command in s.commands]
                assert owners, f"eventcoder {command} {flag} (default {action.default!r}) is in no setting"


def test_the_library_reads_the_same_defaults():
    import inspect

    from eventcoder import api, coder, evaluate
    from eventcoder.commands import store

    assert inspect.signature(coder.Coder).parameters["batch_size"].default == settings.default("batch_size")
    assert coder.DEFAULT_MAX_CHARS == settings.default("max_chars")
    assert inspect.signature(evaluate.code_texts).parameters["batch_size"].default == settings.default("batch_size")
    assert (api.MAX_BODY, api.CODE_MAX_CHARS, api.CODE_TIME_LIMIT, api.CODE_QUEUE) == tuple(
        settings.default(n) for n in ("max_body", "code_max_chars", "code_time_limit", "code_queue"))
    assert store.WRITER_WAIT == settings.default("writer_wait") == 5.0


def test_the_store_and_the_cluster_keep_the_same_defaults():
    """store.py and cluster.py still write their defaults as literals (they are being split
    elsewhere); until they read the table, this keeps them equal to it."""
    import inspect

    from eventcoder import cluster
    from eventcoder.store import DEFAULT_BATCH_SIZE, Store

    run = inspect.signature(cluster.run_sharded).parameters
    assert {n: run[n].default for n in ("batch_size", "max_chars", "time_limit", "retries")} == {
        n: settings.default(n) for n in ("batch_size", "max_chars", "time_limit", "retries")}
    assert cluster.DEFAULT_TIME_LIMIT == settings.default("time_limit")
    assert DEFAULT_BATCH_SIZE == settings.default("ingest_batch_size")
    assert inspect.signature(Store.ingest).parameters["batch_size"].default == DEFAULT_BATCH_SIZE


def test_every_setting_is_documented():
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert markdown_table() in text, "docs/settings.md: replace its table with\n" + markdown_table()


# "`--time-limit`, default 120 s" / "(`--batch-size`, default 64)" / "--retries` times (default 2)"
_INLINE = re.compile(r"`(--[a-z-]+)`[^.|\n`]{0,20}?\(?default:? ([\d][\d,.]*)")
# a limits table row: "| request body | 2,000,000 bytes | `--max-body` (413 beyond) |"
_ROW = re.compile(r"\|\s*([\d][\d,.]*)\s*(?:bytes|characters|s)?\s*\|\s*`(--[a-z-]+)`")


def documented_defaults():
    for path in DOCS:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for flag, value in _INLINE.findall(line):
                yield f"{path.name}:{n}", flag, value
            for value, flag in _ROW.findall(line):
                yield f"{path.name}:{n}", flag, value


def test_the_docs_state_the_defaults_of_the_table():
    by_flag: dict = {}
    for s in SETTINGS:
        if s.type in (int, float):
            by_flag.setdefault(s.flag, set()).add(float(s.default))
    seen = set()
    for where, flag, value in documented_defaults():
        if flag not in by_flag:
            continue
        seen.add(flag)
        assert float(value.replace(",", "").rstrip(".")) in by_flag[flag], (where, flag, value)
    # the docs this test reads do state these (if one is reworded, keep a "default N")
    assert {"--time-limit", "--batch-size", "--retries", "--max-body", "--code-max-chars",
            "--code-time-limit"} <= seen, seen

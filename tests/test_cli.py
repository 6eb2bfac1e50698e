"""The `eventcoder` command line, run as a user runs it (a real subprocess)."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from eventcoder.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]


def run(*args, stdin=None, timeout=300):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "eventcoder", *args], input=stdin, capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT, env=env)


def test_every_command_has_help_with_an_example():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    names = sorted(sub.choices)
    assert {"code", "ingest", "query", "export", "serve", "eval"} <= set(names)
    for name in names:
        res = run(name, "--help")
        assert res.returncode == 0, (name, res.stderr)
        assert "xample" in res.stdout, f"`eventcoder {name} --help` shows no example"


def test_code_jsonl_and_bad_inputs(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("February 13, 2025 - 11:34 AMT\nHeadline here\n\n"
                    "Russian troops attacked Ukrainian positions near Kharkiv on Tuesday.\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    broken = tmp_path / "feed.jsonl"
    broken.write_text(json.dumps({"id": "x1", "text": "Egypt hosted talks between Israel and Hamas.",
                                  "published": "2025-01-15"}) + "\n{not json\n", encoding="utf-8")
    res = run("code", str(good), str(empty), str(broken), str(tmp_path / "missing.txt"))
    assert res.returncode == 1  # some inputs failed
    records = [json.loads(line) for line in res.stdout.splitlines()]
    assert records and {r["article_id"] for r in records} >= {"x1"}
    assault = [r for r in records if r["plover_type"] == "ASSAULT"]
    assert assault and assault[0]["date"] == "2025-02-11" and assault[0]["source"]["code"] == "RUSMIL"
    assert "empty.txt" in res.stderr and "feed.jsonl:2" in res.stderr and "missing.txt" in res.stderr
    assert "3 input(s) failed" in res.stderr


def test_code_stdin_csv_and_explain():
    res = run("code", "-", "--format", "csv", "--published", "2025-02-13", "--explain",
              stdin="The European Union imposed sanctions on Russia and Belarus.")
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert {r["target_code"] for r in rows} == {"RUS", "BLR"}
    assert all(r["source_code"] == "EUR" and r["plover_type"] == "SANCTION" and r["rule"] for r in rows)
    # the rule names the lexicon line that fired ("V:impose+sanction[triggers.tsv:1531] ...")
    where = re.search(r"\[triggers\.tsv:(\d+)\]", rows[0]["rule"])
    assert where, rows[0]["rule"]
    lexicon = (ROOT / "src/eventcoder/events/data/triggers.tsv").read_text(encoding="utf-8").splitlines()
    assert lexicon[int(where.group(1)) - 1].split("\t")[:2] == ["V", "impose"]


def test_code_quotes_records(seed_path):
    res = run("code", str(seed_path), "--quotes")
    assert res.returncode == 0, res.stderr
    kinds = {json.loads(line)["record"] for line in res.stdout.splitlines()}
    assert kinds == {"event", "quote", "position"}


def test_ingest_then_summary(tmp_path):
    db = tmp_path / "s.duckdb"
    res = run("ingest", str(ROOT / "samples"), "--db", str(db))
    assert res.returncode == 0, res.stderr
    res = run("query", "--db", str(db), "summary")
    assert res.returncode == 0, res.stderr
    assert "articles 6" in res.stdout and "events by PLOVER type" in res.stdout
    # idempotent: a second ingest stores nothing new
    res = run("ingest", str(ROOT / "samples"), "--db", str(db))
    assert "stored 0" in res.stderr and "skipped 6" in res.stderr


def test_bad_model_name_is_a_clear_error():
    res = run("code", "-", "--model", "no_such_model_xyz", stdin="Russia attacked Ukraine.")
    assert res.returncode != 0
    assert "no_such_model_xyz" in res.stderr and "pip" in res.stderr
    assert "Traceback" not in res.stderr


def test_one_default_database_name_everywhere():
    """`make demo`, every command's --db default and the README name the same file."""
    import re
    from pathlib import Path

    from eventcoder.cli import build_parser

    root = Path(__file__).resolve().parents[1]
    make_db = re.search(r"^DB\s*\?=\s*(\S+)", (root / "Makefile").read_text(), re.M).group(1)
    defaults = set()
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    todo = list(sub.choices.values())
    while todo:
        p = todo.pop()
        for a in p._actions:
            if a.dest == "db" and a.default:
                defaults.add(a.default)
            if a.__class__.__name__ == "_SubParsersAction":
                todo.extend(a.choices.values())
    assert defaults == {make_db} == {"events.duckdb"}
    assert f"into {make_db}" in (root / "README.md").read_text().splitlines()[3]


def test_missing_locked_and_empty_inputs_are_one_line_and_non_zero(tmp_path):
    import subprocess
    import sys

    import duckdb

    def run(*args):
        return subprocess.run([sys.executable, "-m", "eventcoder", *args], capture_output=True,
                              text=True, cwd=tmp_path, timeout=120)

    r = run("query", "--db", "nope.duckdb", "summary")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "no such store" in r.stderr
    assert not (tmp_path / "nope.duckdb").exists()  # reading never creates a store
    con = duckdb.connect(str(tmp_path / "busy.duckdb"))  # this test process holds it for writing
    try:
        r = run("ingest", str(tmp_path), "--db", "busy.duckdb")
        assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr
        assert "is in use by" in r.stderr and f"(PID {__import__('os').getpid()})" in r.stderr
        assert "Traceback" not in r.stderr
    finally:
        con.close()
    (tmp_path / "empty").mkdir()
    r = run("cluster", "run", str(tmp_path / "empty"), "--out", str(tmp_path / "out"))
    assert r.returncode == 2 and "no input files" in r.stderr and "Traceback" not in r.stderr


def test_an_empty_store_is_one_line_and_non_zero(tmp_path):
    import subprocess
    import sys

    from eventcoder.store import Store

    Store(str(tmp_path / "e.duckdb")).close()
    for args in (["query", "--db", "e.duckdb", "summary"], ["export", "--db", "e.duckdb", "--out", "x/"]):
        r = subprocess.run([sys.executable, "-m", "eventcoder", *args], capture_output=True, text=True,
                           cwd=tmp_path, timeout=120)
        assert r.returncode == 1 and r.stderr.count("\n") == 1 and "holds no articles yet" in r.stderr, r.stderr

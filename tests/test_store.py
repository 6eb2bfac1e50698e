"""The DuckDB store: schema, round trip of the contract, idempotent and incremental ingest,
per-batch transactions, the CLI, and the SIGKILL-and-resume test (with tests/support.py's
`PatternCoder`, also through $EVENTCODER_CODER in ingest subprocesses).
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from types import SimpleNamespace

import pytest

from eventcoder.model import Actor, Article, Position
from eventcoder.store import Coded, Store, StoreError
from support import (PY, PatternCoder, articles_of, make_corpus, pattern_events, pattern_quotes, sub_env,
                     write_jsonl)


# ---------------------------------------------------------------- tests
def test_schema_has_the_tables(tmp_path):
    with Store(tmp_path / "s.duckdb") as st:
        tables = {r[0] for r in st.con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
        assert {"articles", "events", "event_clusters", "actors", "quotes", "positions"} <= tables
        cols = {r[0] for r in st.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name='events'").fetchall()}
        for c in ("source_text", "source_name", "source_country", "source_sector", "source_code",
                  "target_code", "location_name", "location_lat", "span_start", "span_end",
                  "cluster_id", "plover_type", "status", "sentence", "trigger"):
            assert c in cols


def test_round_trip_of_the_contract():
    art = Article("a1", 'USAGOV met RUSGOV in Riyadh. "We talked," said USAGOV.',
                  title="T", published="2025-02-18", url="https://x.example/1", source_name="AP")
    evs = pattern_events(art)
    qs = pattern_quotes(art)
    pos = Position("a1", Actor("Rubio", country="USA", sector="GOV"), "ceasefire", "support",
                   "We talked", "2025-02-18", span=(29, 38))
    with Store() as st:
        s = st.ingest([Coded(art, evs, qs, [pos])])
        assert (s.stored, s.events, s.quotes, s.positions) == (1, 1, 1, 1)
        got = st.events(article_id="a1")["events"][0]
        want = evs[0].to_dict(explain=True)
        for k, v in want.items():
            if k in ("source", "target"):
                assert {x: got[k][x] for x in v} == v
            else:
                assert got[k] == v, k
        assert got["source"]["span"] == list(evs[0].source.span)
        assert got["num_mentions"] == 1
        row = st.con.execute("SELECT * FROM quotes").fetchall()
        assert len(row) == 1
        prow = st.con.execute("SELECT issue, stance, actor_code, span_start FROM positions").fetchall()
        assert prow == [("ceasefire", "support", "USAGOV", 29)]
        a = st.con.execute("SELECT title, published, url, source_name, content_hash FROM articles"
                           ).fetchone()
        assert a[0] == "T" and str(a[1]) == "2025-02-18" and a[3] == "AP"
        assert a[4] == Article.content_id(art.text)


def test_ingest_is_idempotent_by_id_and_by_content_hash():
    docs = make_corpus(10)
    with Store() as st:
        s1 = st.ingest(articles_of(docs), coder=PatternCoder())
        assert (s1.read, s1.stored, s1.skipped) == (10, 10, 0)
        counts = st.counts()
        s2 = st.ingest(articles_of(docs), coder=PatternCoder())
        assert (s2.stored, s2.skipped) == (0, 10)
        # same text under another id; same id with another text: both skipped
        same_text = Article("other-id", docs[0]["text"])
        same_id = Article(docs[1]["id"], "USAGOV met CHNGOV. A different text.")
        s3 = st.ingest([same_text, same_id], coder=PatternCoder())
        assert (s3.stored, s3.skipped) == (0, 2)
        # duplicates inside one run
        s4 = st.ingest([Article("n1", "FRAGOV met USAGOV."), Article("n2", "FRAGOV  met USAGOV.")],
                       coder=PatternCoder())
        assert (s4.stored, s4.skipped) == (1, 1)  # same text up to whitespace
        assert st.counts()["articles"] == counts["articles"] + 1


def test_write_batch_rechecks_inside_the_transaction():
    art = Article("a1", "USAGOV met RUSGOV.", published="2025-01-01")
    with Store() as st:
        assert st.write_batch([Coded(art, pattern_events(art))]) == 1
        assert st.write_batch([Coded(art, pattern_events(art))]) == 0
        assert st.counts()["events"] == 1


def test_incremental_ingest_updates_clusters_and_actors():
    with Store() as st:
        st.ingest(articles_of(make_corpus(8)), coder=PatternCoder())
        before = st.counts()
        more = [Article("late1", "USAGOV met RUSGOV.", published="2025-03-01", source_name="New")]
        st.ingest(more, coder=PatternCoder())
        after = st.counts()
        assert after["articles"] == before["articles"] + 1
        row = st.con.execute(
            "SELECT num_mentions, num_articles FROM event_clusters "
            "WHERE source_code='USAGOV' AND target_code='RUSGOV' AND first_seen='2025-03-01'"
        ).fetchone()
        assert row == (2, 2)  # doc0000 (published 03-01) and late1
        n = st.con.execute("SELECT n_as_source FROM actors WHERE code='USAGOV' AND name='USAGOV'"
                           ).fetchone()[0]
        assert n == st.con.execute("SELECT count(*) FROM events WHERE source_code='USAGOV'"
                                   ).fetchone()[0]


def test_a_failing_batch_is_rolled_back_whole(monkeypatch):
    from eventcoder import dedup

    docs = articles_of(make_corpus(6))
    with Store() as st:
        st.ingest(docs[:3], coder=PatternCoder(), batch_size=3)
        real = dedup.recluster

        def boom(*a, **k):
            raise RuntimeError("disk on fire")

        monkeypatch.setattr(dedup, "recluster", boom)
        with pytest.raises(RuntimeError):
            st.ingest(docs[3:], coder=PatternCoder(), batch_size=3)
        monkeypatch.setattr(dedup, "recluster", real)
        assert st.counts()["articles"] == 3
        assert st.con.execute("SELECT count(*) FROM events WHERE article_id IN "
                              "('doc0003','doc0004','doc0005')").fetchone()[0] == 0
        s = st.ingest(docs, coder=PatternCoder(), batch_size=3)
        assert (s.stored, s.skipped) == (3, 3)


def test_errors_and_coder_failures_are_counted_not_stored():
    err = SimpleNamespace(origin="bad.jsonl:3", message="not JSON")
    arts = [Article("ok", "USAGOV met RUSGOV."), err, Article("bad", "FAIL here")]
    with Store() as st:
        s = st.ingest(arts, coder=PatternCoder())
        assert (s.read, s.stored, s.failed, s.skipped) == (3, 1, 2, 0)
        assert {o for o, _ in s.errors} == {"bad.jsonl:3", "bad"}
        assert not st.has_article("bad")  # a failed article is retried on the next run
        assert "failed 2" in s.line()


def test_read_only_store_refuses_writes(tmp_path):
    db = tmp_path / "ro.duckdb"
    with Store(db) as st:
        st.ingest([Coded(Article("a", "x"))])
    with Store(db, read_only=True) as ro:
        assert ro.counts()["articles"] == 1
        with pytest.raises(StoreError):
            ro.ingest([Coded(Article("b", "y"))])


def test_cli_ingest_and_help(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", make_corpus(12))
    db = tmp_path / "e.duckdb"
    r = subprocess.run([PY, "-m", "eventcoder", "ingest", str(corpus), "--db", str(db),
                        "--summary-json", "--batch-size", "5"],
                       capture_output=True, text=True, env=sub_env(), timeout=120)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["stored"] == 12 and summary["batches"] == 3
    assert "articles read 12, stored 12" in r.stderr
    r2 = subprocess.run([PY, "-m", "eventcoder", "ingest", str(corpus), "--db", str(db),
                         "--summary-json"], capture_output=True, text=True, env=sub_env(),
                        timeout=120)
    assert json.loads(r2.stdout)["skipped"] == 12
    for cmd in ("ingest", "query", "export", "dedup", "serve"):
        h = subprocess.run([PY, "-m", "eventcoder", cmd, "--help"], capture_output=True,
                           text=True, env=sub_env(), timeout=60)
        assert h.returncode == 0 and "Example" in h.stdout, cmd


def test_cli_query_and_dedup(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", make_corpus(20))
    db = tmp_path / "e.duckdb"
    subprocess.run([PY, "-m", "eventcoder", "ingest", str(corpus), "--db", str(db)],
                   check=True, capture_output=True, env=sub_env(), timeout=120)

    def run(*args):
        r = subprocess.run([PY, "-m", "eventcoder", *args], capture_output=True, text=True,
                           env=sub_env(), timeout=60)
        assert r.returncode == 0, r.stderr
        return r.stdout

    lines = run("query", "--db", str(db), "events", "--actor", "USA", "--limit", "3").splitlines()
    assert len(lines) == 3 and all("USA" in (json.loads(x)["source"]["code"] +
                                             json.loads(x)["target"]["code"]) for x in lines)
    series = json.loads(run("query", "--db", str(db), "dyad", "USA", "RUS", "--format", "json"))
    assert sum(r["events"] for r in series) > 0
    prof = json.loads(run("query", "--db", str(db), "actor", "UKRGOV"))
    assert prof["code"] == "UKRGOV" and prof["partners"]
    assert run("query", "--db", str(db), "top-dyads", "--level", "country").strip()
    run("dedup", "--db", str(db), "--window", "3")
    with Store(db, read_only=True) as st:
        assert st.dedup_window == 3
    bad = subprocess.run([PY, "-m", "eventcoder", "query", "--db", str(db), "events", "--start",
                          "yesterday"], capture_output=True, text=True, env=sub_env(), timeout=60)
    assert bad.returncode == 2 and "ISO date" in bad.stderr


def _expected_ids(docs) -> set:
    return {d["id"] for d in docs}


def test_sigkill_in_the_middle_then_resume_loses_and_duplicates_nothing(tmp_path):
    docs = make_corpus(80)
    corpus = write_jsonl(tmp_path / "corpus.jsonl", docs)
    db = tmp_path / "kill.duckdb"
    cmd = [PY, "-m", "eventcoder", "ingest", str(corpus), "--db", str(db), "--batch-size", "4",
           "--verbose", "--no-progress"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            env=sub_env(EVENTCODER_FAKE_DELAY="0.03"))
    committed = 0
    deadline = time.time() + 60
    try:
        while time.time() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            m = re.match(r"committed batch (\d+)", line)
            if m:
                committed = int(m.group(1))
                if committed >= 4:
                    break
        assert committed >= 4, "the ingest never committed"
        time.sleep(0.05)  # land inside a later batch
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    with Store(db, read_only=True) as st:  # the WAL replays committed batches only
        n_mid = st.counts()["articles"]
        assert 16 <= n_mid < len(docs)
        assert n_mid % 4 == 0  # whole batches only
    r = subprocess.run(cmd[:-2] + ["--summary-json", "--no-progress"], capture_output=True,
                       text=True, env=sub_env(), timeout=120)
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert s["skipped"] == n_mid and s["stored"] == len(docs) - n_mid
    # compare with a clean, uninterrupted ingest
    with Store() as clean:
        clean.ingest(articles_of(docs), coder=PatternCoder())
        want = clean.counts()
        want_events = set(r[0] for r in clean.con.execute("SELECT event_id FROM events").fetchall())
        want_clusters = clean.con.execute(
            "SELECT cluster_id, num_mentions, num_sources, num_articles FROM event_clusters "
            "ORDER BY 1").fetchall()
    with Store(db, read_only=True) as st:
        ids = [r[0] for r in st.con.execute("SELECT article_id FROM articles").fetchall()]
        assert len(ids) == len(set(ids)) == len(docs)
        assert set(ids) == _expected_ids(docs)
        assert st.counts() == want
        got_events = [r[0] for r in st.con.execute("SELECT event_id FROM events").fetchall()]
        assert len(got_events) == len(set(got_events)) and set(got_events) == want_events
        assert st.con.execute(
            "SELECT cluster_id, num_mentions, num_sources, num_articles FROM event_clusters "
            "ORDER BY 1").fetchall() == want_clusters


def test_real_coder_end_to_end(tmp_path):
    try:
        from eventcoder.coder import Coder
    except ImportError as exc:
        pytest.skip(f"eventcoder.coder is not available yet ({exc})")
    text = ("KYIV, Feb 13 (Reuters) - Ukrainian President Volodymyr Zelenskiy met U.S. Vice "
            "President JD Vance in Munich on Friday. Russia accused Ukraine of attacking "
            "an oil depot.")
    arts = [Article("real1", text, published="2025-02-13", source_name="Reuters")]
    with Store(tmp_path / "r.duckdb") as st:
        s = st.ingest(arts, coder=Coder())
        if s.errors and "No such file or directory" in s.errors[0][1]:
            pytest.skip(f"eventcoder.coder is incomplete (package data missing): {s.errors[0][1]}")
        assert s.stored == 1 and s.failed == 0, s.errors
        assert st.counts()["events"] == s.events
        again = st.ingest(arts, coder=Coder())
        assert again.skipped == 1

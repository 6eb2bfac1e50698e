"""Readers and writers share a store file: a read-only server keeps no lock between requests, an
ingest lets go of the file between batches, and what each one says about the other is one line.
Also the ingest's honest counts: a progress bar over articles done with a total, and undated
articles counted and warned about."""
from __future__ import annotations

import gzip
import json
import subprocess
import sys
import time

import pytest

from eventcoder.ingest import count_inputs, read_inputs
from eventcoder.store import Store, StoreBusy

from support import PatternCoder, articles_of, make_corpus, sub_env, write_jsonl

PY = sys.executable
HOLD = """
import sys, time
from eventcoder.store import Store
st = Store(sys.argv[1])
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
"""
WRITE = """
import sys
from eventcoder.store import Store
from support import PatternCoder, articles_of, make_corpus
docs = make_corpus(3, start_day=20)
for d in docs:
    d["id"], d["text"] = "new-" + d["id"], d["text"] + " New."
with Store(sys.argv[1], wait=float(sys.argv[2])) as st:
    s = st.ingest(articles_of(docs), coder=PatternCoder())
print(s.stored)
"""


def _store(tmp_path, n=4):
    db = tmp_path / "s.duckdb"
    with Store(db) as st:
        st.ingest(articles_of(make_corpus(n)), coder=PatternCoder())
    return db


def test_a_read_only_server_lets_a_writer_in_between_requests(tmp_path):
    from fastapi.testclient import TestClient

    from eventcoder.api import create_app

    db = _store(tmp_path)
    client = TestClient(create_app(str(db), read_only=True), base_url="http://127.0.0.1")
    assert client.get("/health").json()["articles"] == 4
    time.sleep(1.5)  # idle: the server has let go of the file
    out = subprocess.run([PY, "-c", WRITE, str(db), "5"], env=sub_env(), capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "3"
    assert client.get("/health").json()["articles"] == 7  # and it reads what was written


def test_a_request_that_meets_a_writer_answers_503_in_one_line(tmp_path):
    from fastapi.testclient import TestClient

    from eventcoder.api import create_app

    db = _store(tmp_path)
    app = create_app(str(db), read_only=True)
    app.state.store.release()
    app.state.store.wait = 0.2
    holder = subprocess.Popen([PY, "-c", HOLD, str(db), "20"], env=sub_env(),
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        r = TestClient(app, base_url="http://127.0.0.1").get("/events")
        assert r.status_code == 503
        assert r.headers["retry-after"] == "2"
        body = r.json()
        assert "busy" in body["error"] and f"PID {holder.pid}" in body["error"]
    finally:
        holder.kill()
        holder.wait()


def test_a_writer_waits_for_a_reader_then_says_who_holds_the_file(tmp_path):
    db = _store(tmp_path)
    holder = subprocess.Popen([PY, "-c", HOLD, str(db), "20"], env=sub_env(),
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        t0 = time.monotonic()
        with pytest.raises(StoreBusy) as err:
            Store(db, wait=0.5)
        assert time.monotonic() - t0 >= 0.5  # it waited before giving up
        msg = str(err.value)
        assert f"PID {holder.pid}" in msg and "--read-only" in msg and "\n" not in msg
    finally:
        holder.kill()
        holder.wait()


def test_ingest_with_release_lets_readers_in_between_batches(tmp_path):
    db = tmp_path / "s.duckdb"
    seen = []
    read = ("import sys, duckdb; c = duckdb.connect(sys.argv[1], read_only=True); "
            "print(c.execute('select count(*) from articles').fetchone()[0])")

    def on_batch(s):  # another process reads the file while the ingest is still running
        out = subprocess.run([PY, "-c", read, str(db)], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        seen.append((s.stored, int(out.stdout)))

    with Store(db, wait=5) as st:
        s = st.ingest(articles_of(make_corpus(6)), coder=PatternCoder(), batch_size=2,
                      on_batch=on_batch, release=True)
        assert s.stored == 6
        assert st.counts()["articles"] == 6  # the handle reopens the file on use
    assert seen == [(2, 2), (4, 4), (6, 6)]


def test_a_released_memory_store_keeps_its_data():
    st = Store(":memory:")
    st.ingest(articles_of(make_corpus(2)), coder=PatternCoder())
    st.release()
    assert st.counts()["articles"] == 2
    st.close()


def test_count_inputs_gives_the_progress_total(tmp_path):
    docs = make_corpus(5)
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.jsonl").write_text("\n".join(json.dumps(x) for x in docs[:3]) + "\n\n   \n",
                               encoding="utf-8")
    with gzip.open(d / "b.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(json.dumps(docs[3]) + "\n" + json.dumps(docs[4]))  # no final newline
    (d / "c.txt").write_text("USAGOV met RUSGOV.", encoding="utf-8")
    (d / "sub").mkdir()
    (d / "sub" / "d.html").write_text("<p>USAGOV met RUSGOV.</p>", encoding="utf-8")
    assert count_inputs([str(d)]) == 7
    items = [x for x in read_inputs([str(d)])]
    assert len(items) == 7  # the total is what the reader yields
    assert count_inputs([str(d / "a.jsonl"), "-"]) is None  # stdin: unknown
    (tmp_path / "doc.json").write_text(json.dumps(docs), encoding="utf-8")
    assert count_inputs([str(tmp_path / "doc.json")]) is None
    assert count_inputs([str(tmp_path / "missing.jsonl")]) == 1  # one error


def test_count_inputs_reads_parquet_footers(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(make_corpus(4)), tmp_path / "a.parquet")
    assert count_inputs([str(tmp_path / "a.parquet")]) == 4


def test_progress_bar_counts_articles_done_with_a_total(tmp_path, capsys):
    docs = make_corpus(5)
    docs.append(dict(docs[0]))  # a duplicate: skipped, still done
    docs.append({"id": "bad", "text": "FAIL here", "published": "2025-03-01"})  # fails: done
    with Store(tmp_path / "s.duckdb") as st:
        s = st.ingest(articles_of(docs), coder=PatternCoder(), progress=True, total=len(docs))
    err = capsys.readouterr().err
    assert (s.stored, s.skipped, s.failed) == (5, 1, 1)
    assert "7/7" in err and "100%" in err


def test_undated_articles_are_counted_and_warned_about(tmp_path):
    docs = make_corpus(4)
    for d in docs[:3]:
        del d["published"]
    path = write_jsonl(tmp_path / "in.jsonl", docs)
    db = tmp_path / "s.duckdb"
    out = subprocess.run([PY, "-m", "eventcoder", "ingest", str(path), "--db", str(db),
                          "--summary-json"], env=sub_env(), capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["undated"] == 3
    assert "warning: 3 article(s) have no publication date" in out.stderr
    assert "undated articles 3" in out.stderr
    with Store(db, read_only=True) as st:
        n = st.cursor().execute("SELECT count(*) FROM articles WHERE published IS NULL").fetchone()[0]
    assert n == 3

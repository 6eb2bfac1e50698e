"""eventcoder.cluster on a real local Dask cluster (scheduler + worker processes).

The slow test SIGKILLs a worker while it codes a shard and checks that the output holds every
article exactly once; the others check resumability, the store loader and DuckDB on the shards.
"""
from __future__ import annotations

import glob
import json
import os
import signal
import threading
import time

import pytest

pytest.importorskip("distributed")

from eventcoder.cluster import (code_shard, guarded_stream, load_shards, query_shards,  # noqa: E402
                                read_marker, run_sharded, shard_id)

SENTENCES = [
    "Russia attacked Ukraine on Monday.",
    "President Trump met Chinese President Xi Jinping in Beijing.",
    "Germany sent aid to Ukraine.",
    "Protesters rallied against the government in Paris.",
    "The United Nations condemned the attack on civilians.",
    "Iran threatened to close the Strait of Hormuz.",
    "Nothing happened in the quiet village.",
]


def write_jsonl(path, n, start=0, date="2025-03-0{d}"):
    with open(path, "w", encoding="utf-8") as f:
        for i in range(start, start + n):
            text = f"{SENTENCES[i % len(SENTENCES)]} Officials said item {i} was noted."
            f.write(json.dumps({"id": f"a{i}", "text": text,
                                "published": date.format(d=1 + i % 5)}) + "\n")


def article_ids(out):
    import pyarrow.parquet as pq

    ids = []
    for p in glob.glob(os.path.join(out, "articles", "*.parquet")):
        ids.extend(pq.read_table(p, columns=["article_id"]).column(0).to_pylist())
    return ids


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    lc = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(lc)
    yield client
    client.close()
    lc.close()


def test_code_shard_in_process_writes_partitions_and_marker(tmp_path):
    src = tmp_path / "in.jsonl"
    write_jsonl(src, 10)
    with open(src, "a", encoding="utf-8") as f:
        f.write("{broken json\n")
    out = tmp_path / "out"
    d = code_shard(str(src), str(out), {"quotes": False, "prefilter": True})
    assert d["status"] == "done" and d["articles"] == 10 and d["failed"] == 1
    assert "in.jsonl:11" in d["errors"][0]["origin"]
    assert sorted(article_ids(out)) == sorted(f"a{i}" for i in range(10))
    parts = glob.glob(str(out / "events" / "event_date=*" / "part-*.parquet"))
    assert parts and d["events"] > 0
    assert read_marker(str(out), shard_id(str(src)))["articles"] == 10
    n = query_shards(str(out), "SELECT count(*) FROM events")[0][0]
    assert n == d["events"]
    # a second run of the same shard replaces its files (no duplicates)
    code_shard(str(src), str(out), {"quotes": False, "prefilter": True})
    assert sorted(article_ids(out)) == sorted(f"a{i}" for i in range(10))
    assert query_shards(str(out), "SELECT count(*), count(DISTINCT event_id) FROM events")[0] == (n, n)


def test_run_resume_load_and_duckdb(tmp_path, cluster):
    ins = []
    for k in range(3):
        p = tmp_path / f"s{k}.jsonl"
        write_jsonl(p, 8, start=8 * k)
        ins.append(str(p))
    out = str(tmp_path / "out")
    m = run_sharded(ins, out, client_or_address=cluster)
    t = m.totals()
    assert t["shards"] == 3 and t["shards_failed"] == 0 and t["articles"] == 24
    assert sorted(article_ids(out)) == sorted(f"a{i}" for i in range(24))
    # rerun: nothing to do
    m2 = run_sharded(ins, out, client_or_address=cluster)
    assert m2.totals()["shards_skipped"] == 3
    # one input changes: only that shard is re-coded
    time.sleep(0.01)
    write_jsonl(ins[1], 9, start=100)
    m3 = run_sharded(ins, out, client_or_address=cluster)
    assert m3.totals()["shards_skipped"] == 2
    ids = article_ids(out)
    assert len(ids) == len(set(ids)) == 25
    # DuckDB straight on the shards, with the hive partition column
    rows = query_shards(out, "SELECT count(*), count(DISTINCT event_date) FROM events")
    assert rows[0][0] > 0
    # the store loads them (idempotent)
    from eventcoder.store import Store

    with Store(str(tmp_path / "ev.duckdb")) as st:
        s1 = load_shards(st, out)
        s2 = load_shards(st, out)
        counts = st.counts()
    assert s1["articles_stored"] == 25 and s2["articles_stored"] == 0
    assert counts["articles"] == 25 and counts["events"] == rows[0][0]


@pytest.mark.slow
def test_sigkill_worker_mid_run_every_article_exactly_once(tmp_path, cluster):
    """SIGKILL the worker that is coding a shard; Dask re-runs it; no article lost or doubled."""
    n_shards, per_shard = 8, 100
    ins = []
    for k in range(n_shards):
        p = tmp_path / f"k{k}.jsonl"
        write_jsonl(p, per_shard, start=per_shard * k)
        ins.append(str(p))
    out = str(tmp_path / "out")
    killed = []

    def killer():
        deadline = time.time() + 120
        while time.time() < deadline and not killed:
            proc = cluster.processing()
            busy = [w for w, tasks in proc.items() if tasks]
            # mid-run: at least one shard finished and another one is being coded
            if busy and glob.glob(os.path.join(out, "_manifest", "*.json")):
                pids = cluster.run(os.getpid, workers=[busy[0]])
                pid = pids[busy[0]]
                keys = [str(k) for k in proc[busy[0]]]
                os.kill(pid, signal.SIGKILL)
                killed.append((pid, keys))
                return
            time.sleep(0.05)

    th = threading.Thread(target=killer, daemon=True)
    th.start()
    m = run_sharded(ins, out, client_or_address=cluster, retries=2)
    th.join(5)
    assert killed, "no worker was killed (the run finished too fast?)"
    t = m.totals()
    assert t["shards_failed"] == 0, m.to_dict()
    ids = article_ids(out)
    expected = {f"a{i}" for i in range(n_shards * per_shard)}
    assert len(ids) == len(expected) and set(ids) == expected  # exactly once
    ev = query_shards(out, "SELECT count(*), count(DISTINCT event_id) FROM events")[0]
    assert ev[0] == ev[1] == t["events"]
    assert not glob.glob(os.path.join(out, "**", ".tmp-*"), recursive=True)
    # the shard that was being coded by the killed worker was re-run by another worker process
    pid, keys = killed[0]
    sids = [k.split("eventcoder-shard-", 1)[1].split("-")[0] for k in keys if "eventcoder-shard-" in k]
    assert sids
    for sid in sids:
        mark = read_marker(out, sid)
        assert mark["status"] == "done" and not mark["worker"].endswith(f":{pid}")


class _SlowCoder:
    """A coder whose article 's' hangs in Python code (to test the time limit)."""

    def code_articles(self, items):
        from eventcoder.coder import CodedArticle
        from eventcoder.model import Article

        for it in items:
            if not isinstance(it, Article):
                yield it
                continue
            if it.text == "slow":
                while True:  # pure-Python busy loop: interruptible
                    pass
            yield CodedArticle(it)


def test_time_limit_records_error_and_moves_on():
    from eventcoder.ingest import IngestError
    from eventcoder.model import Article

    items = [Article("1", "fast"), IngestError("x:2", "broken"), Article("2", "slow"),
             Article("3", "fast too")]
    t0 = time.perf_counter()
    out = list(guarded_stream(_SlowCoder(), items, time_limit=0.5))
    assert time.perf_counter() - t0 < 10
    assert [getattr(getattr(o, "article", None), "article_id", None) for o in out] == ["1", None, "2", "3"]
    assert out[1].origin == "x:2"
    assert "time limit" in out[2].error and out[3].error is None


def test_fsspec_url_shard_in_process(tmp_path):
    """An fsspec URL input (memory:// here; s3://, gs://, https:// work the same way on workers)."""
    fsspec = pytest.importorskip("fsspec")
    src = tmp_path / "in.jsonl"
    write_jsonl(src, 5)
    url = "memory://eventcoder-test/in.jsonl"
    with fsspec.open(url, "wb") as f:
        f.write(src.read_bytes() + b"{broken\n")
    out = tmp_path / "out"
    d = code_shard(url, str(out), {"quotes": False})
    assert d["status"] == "done" and d["articles"] == 5 and d["failed"] == 1
    assert d["errors"][0]["origin"].startswith(url)  # errors name the URL, not a temp copy
    assert d["fingerprint"]["path"] == url and d["fingerprint"]["size"] > 0
    assert sorted(article_ids(out)) == sorted(f"a{i}" for i in range(5))

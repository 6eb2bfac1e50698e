"""One article costs only itself: a time limit nothing swallows, a process that dies, long articles
in pieces, a failed shard re-run article by article (issue "Nothing lost", item 3)."""
from __future__ import annotations

import json
import os
import signal
import time

import pytest

from eventcoder import isolate
from eventcoder.cluster import guarded_stream
from eventcoder.coder import CodedArticle, split_pieces
from eventcoder.ingest import IngestError
from eventcoder.model import Article

pytestmark = pytest.mark.skipif(not isolate.available(), reason="needs os.fork")


class TrapCoder:
    """Codes nothing; some article texts misbehave the way real failures do:
    'sleep'  blocks in one C call (time.sleep) far beyond any limit;
    'hide'   hangs in a loop that catches every exception (as Dask's gc hook swallowed ours);
    'die'    kills its own process (a segfault or the kernel's OOM killer);
    'raise'  makes the whole stream raise (not a per-article error)."""

    batch_size = 4
    processes = 1

    def __init__(self, **_):
        pass

    def code_articles(self, items):
        items = list(items)
        for it in items:
            if not isinstance(it, Article):
                yield it
                continue
            if it.text == "sleep":
                time.sleep(60)
            elif it.text == "hide":
                deadline = time.monotonic() + 6
                while time.monotonic() < deadline:
                    try:
                        time.sleep(0.01)
                    except BaseException:  # noqa: BLE001 - swallows everything, on purpose
                        pass
            elif it.text == "die":
                os.kill(os.getpid(), signal.SIGKILL)
            elif it.text == "raise":
                raise RuntimeError("stream broken")
            yield CodedArticle(it)


def ids(out):
    return [(o.article.article_id, o.error is None) if isinstance(o, CodedArticle) else o.origin
            for o in out]


@pytest.mark.parametrize("trap", ["sleep", "hide"])
def test_time_limit_stops_what_a_thread_cannot(trap):
    items = [Article("1", "fine"), Article("2", trap), IngestError("f:3", "broken"),
             Article("4", "fine")]
    t0 = time.monotonic()
    out = list(guarded_stream(TrapCoder(), items, time_limit=1.0))
    assert time.monotonic() - t0 < 5  # the trap alone takes 6 s ('hide') or 60 s ('sleep')
    assert ids(out) == [("1", True), ("2", False), "f:3", ("4", True)]
    assert "time limit exceeded" in out[1].error and "--time-limit" in out[1].error


def test_the_watchdog_alone_is_swallowed():
    """The old mechanism (a thread raising into the coder) loses to a coder that catches it;
    this is why coding runs in a child process."""
    items = [Article("1", "hide")]
    t0 = time.monotonic()
    out = list(guarded_stream(TrapCoder(), items, time_limit=0.3, isolate=False))
    # the article was not stopped at the limit: it ran its whole trap and came out 'coded'
    assert time.monotonic() - t0 > 5 and out[0].error is None


def test_a_dead_coding_process_costs_only_its_article():
    items = [Article(str(i), "die" if i == 5 else "fine") for i in range(10)]
    out = list(guarded_stream(TrapCoder(), items, time_limit=30))
    assert [a for a, _ in ids(out)] == [str(i) for i in range(10)]
    bad = [o for o in out if o.error]
    assert [o.article.article_id for o in bad] == ["5"]
    assert "coding process died (killed by SIGKILL" in bad[0].error


def test_a_stream_that_raises_costs_only_its_article():
    items = [Article("a", "fine"), Article("b", "raise"), Article("c", "fine")]
    out = list(guarded_stream(TrapCoder(), items, time_limit=30))
    assert ids(out) == [("a", True), ("b", False), ("c", True)]
    assert "RuntimeError: stream broken" in out[1].error


def test_results_keep_their_records_across_the_process_boundary():
    from eventcoder.coder import Coder

    text = "Russia attacked Ukraine on Monday. Germany sent aid to Ukraine."
    coder = Coder(quotes=True, events="rules")
    here = next(iter(coder.code_articles([Article("x", text, published="2025-02-13")])))
    there = list(guarded_stream(coder, [Article("x", text, published="2025-02-13")], time_limit=60))
    assert len(there) == 1 and there[0].error is None
    assert [e.to_dict() for e in there[0].events] == [e.to_dict() for e in here.events]
    assert there[0].events  # something to compare


def _children() -> set:
    """PIDs of this process's children, zombies included (from /proc)."""
    me, out = os.getpid(), set()
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == me:
                        out.add(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return out


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
def test_closing_the_stream_early_reaps_the_child():
    before = _children()
    gen = guarded_stream(TrapCoder(), (Article(str(i), "fine") for i in range(100)), time_limit=5)
    next(gen)
    assert _children() - before  # the coding child exists while the stream is open
    gen.close()
    assert not (_children() - before)  # and is gone, not even a zombie, once it is closed


# ------------------------------------------------------------------ long articles in pieces
def test_split_pieces_concatenate_and_cut_at_breaks():
    text = ("A sentence here. " * 30 + "\n\n") * 20
    parts = split_pieces(text, 1000)
    assert "".join(parts) == text
    assert all(len(p) <= 1000 for p in parts)
    assert all(p.endswith("\n\n") for p in parts[:-1])
    nobreak = "x" * 2500
    assert split_pieces(nobreak, 1000) == ["x" * 1000, "x" * 1000, "x" * 500]
    assert split_pieces("", 10) == [""]


def test_long_article_is_parsed_in_pieces_with_the_same_records():
    from eventcoder.coder import Coder

    para = ("Russia attacked Ukraine on Monday. Germany sent aid to Ukraine. "
            "Protesters rallied against the government in Paris.\n\n")
    text = para * 40
    coder = Coder(quotes=False, events="rules")
    whole = next(iter(coder.code_articles([Article("l", text, published="2025-02-13")])))
    seen = []
    pipe = coder._pipe

    def spy(texts, batch_size=None):  # what the parser is given at once
        texts = list(texts)
        size = batch_size or coder.batch_size
        seen.extend(sum(len(t) for t in texts[i:i + size]) for i in range(0, len(texts), size))
        return pipe(texts, batch_size=batch_size)

    coder._pipe = spy
    coder.piece_chars = 1000
    pieces = next(iter(coder.code_articles([Article("l", text, published="2025-02-13")])))
    assert len(seen) > 1 and max(seen) <= 1000 and sum(seen) == len(text)  # never parsed whole
    assert pieces.error is None
    assert [e.to_dict() for e in pieces.events] == [e.to_dict() for e in whole.events]
    assert len(whole.events) >= 40


# ------------------------------------------------------------------ a failed shard, re-run
def test_a_shard_that_kills_its_worker_is_rerun_article_by_article(tmp_path, monkeypatch):
    """Without a time limit nothing is isolated: an article that kills its process takes the Dask
    worker down, every retry too; the rescue codes the shard one article at a time in killable
    children, and only that article is lost, and named."""
    pytest.importorskip("distributed")
    import dask
    from distributed import Client, LocalCluster

    from eventcoder.cluster import run_sharded

    src = tmp_path / "in.jsonl"
    with open(src, "w", encoding="utf-8") as f:
        for i in range(12):
            f.write(json.dumps({"id": f"a{i}", "text": "die" if i == 7 else f"fine {i}"}) + "\n")
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"id": "g", "text": "fine"}) + "\n", encoding="utf-8")
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        lc = LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(lc)
        try:
            m = run_sharded([str(src), str(good)], str(tmp_path / "out"), client_or_address=client,
                            time_limit=None, retries=0, coder="test_isolate:TrapCoder")
            # and on the worker, a time limit that the article's C call cannot outlast
            slow = tmp_path / "slow.jsonl"
            slow.write_text("".join(json.dumps({"id": f"s{i}", "text": "sleep" if i == 1 else "ok"})
                                    + "\n" for i in range(3)), encoding="utf-8")
            t0 = time.monotonic()
            m2 = run_sharded([str(slow)], str(tmp_path / "out2"), client_or_address=client,
                             time_limit=1.0, retries=0, coder="test_isolate:TrapCoder")
            took = time.monotonic() - t0
        finally:
            client.close()
            lc.close()
    (s2,) = m2.shards
    assert took < 30 and s2.status == "done" and s2.articles == 2 and s2.failed == 1
    assert "time limit exceeded" in s2.errors[0]["message"] and not s2.rescued
    by = {os.path.basename(s.shard): s for s in m.shards}
    s = by["in.jsonl"]
    assert s.status == "done" and s.rescued, s
    assert s.articles == 11 and s.failed == 1
    assert s.errors[0]["origin"].endswith(":8") or "a7" in s.errors[0]["origin"]
    assert "coding process died" in s.errors[0]["message"]
    # a shard queued on the dying worker is suspected too (Dask counts the death against it):
    # its rescue codes it whole
    g = by["good.jsonl"]
    assert g.status == "done" and g.articles == 1 and g.failed == 0
    assert m.totals()["shards_failed"] == 0 and m.totals()["shards_rescued"] >= 1

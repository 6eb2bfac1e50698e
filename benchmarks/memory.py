"""Peak RSS per Dask worker when coding 1x and 10x a corpus (streaming end to end).

    .venv/bin/python benchmarks/memory.py [--articles 100] [--shards 2] [--workers 2]
                                          [--data allsides_world.jsonl.gz] [--json OUT]

The base corpus (1x) is --articles AllSides articles in --shards JSONL shards; 10x is the same
shards each ten times longer (the articles repeated with distinct ids), so each task streams ten
times more data. For each size a LocalCluster of --workers processes codes the shards with
`run_sharded`; a sampler (psutil, every 0.2 s) records the RSS of every worker process and of
this (client) process; the peak per worker is reported. The target: peak RSS per worker
<= 1.5 GB, and no growth with corpus size beyond noise (the coder holds one batch; the Parquet
writers flush every 2,000 rows; ingest streams line by line).

`--trace N` codes N distinct articles in one process and prints RSS, the size of spaCy's string
store and of the pre-filter's cache every 100 articles (what, if anything, grows).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
SHARED = ROOT.parent / "shared" / "data"

from cluster_scaling import make_shards  # noqa: E402


def measure(shards: list, workers: int, prefilter: bool) -> dict:
    import psutil
    from distributed import Client, LocalCluster

    from eventcoder.cluster import run_sharded

    lc = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(lc)
    out = tempfile.mkdtemp(prefix="eventcoder-mem-")
    peaks: dict = {}
    stop = threading.Event()
    pids = list(client.run(os.getpid).values())

    def sample():
        procs = {p: psutil.Process(p) for p in pids}
        me = psutil.Process()
        while not stop.is_set():
            for pid, pr in procs.items():
                try:
                    peaks[pid] = max(peaks.get(pid, 0), pr.memory_info().rss)
                except psutil.Error:
                    pass
            peaks["client"] = max(peaks.get("client", 0), me.memory_info().rss)
            time.sleep(0.2)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    try:
        t0 = time.perf_counter()
        m = run_sharded(shards, out, client_or_address=client, prefilter=prefilter)
        dt = time.perf_counter() - t0
    finally:
        stop.set()
        th.join()
        client.close()
        lc.close()
        shutil.rmtree(out, ignore_errors=True)
    t = m.totals()
    mb = 1024 * 1024
    return {"articles": t["articles"], "events": t["events"], "seconds": dt,
            "peak_rss_mb_per_worker": sorted(round(v / mb) for k, v in peaks.items() if k != "client"),
            "peak_rss_mb_client": round(peaks.get("client", 0) / mb)}


def trace(data: str, n: int, every: int, prefilter: bool) -> dict:
    """One process, one Coder, n distinct articles: RSS (and what grows) every `every` articles."""
    import gzip

    import psutil

    from eventcoder.cluster import guarded_stream
    from eventcoder.coder import Coder
    from eventcoder.model import Article

    def articles():
        opener = gzip.open if data.endswith(".gz") else open
        with opener(data, "rt", encoding="utf-8") as f:
            for i, line in enumerate(f):
                if i >= n:
                    return
                r = json.loads(line)
                yield Article(str(r.get("id", i)), r.get("text") or " ", published=r.get("published"))

    me = psutil.Process()
    coder = Coder(quotes=False, prefilter=prefilter)
    points = [{"articles": 0, "rss_mb": round(me.memory_info().rss / 2**20)}]
    for k, _ in enumerate(guarded_stream(coder, articles(), 120.0), 1):
        if k % every == 0:
            pf = coder.prefilter
            points.append({"articles": k, "rss_mb": round(me.memory_info().rss / 2**20),
                           "strings": len(coder.nlp.vocab.strings),
                           "prefilter_cache": len(pf._by_hash) if pf is not None else 0})
            print(points[-1], file=sys.stderr, flush=True)
    return {"trace": points}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=100)
    ap.add_argument("--shards", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-prefilter", dest="prefilter", action="store_false")
    ap.add_argument("--data", default=str(SHARED / "allsides" / "allsides_world.jsonl.gz"))
    ap.add_argument("--json", metavar="OUT")
    ap.add_argument("--trace", type=int, metavar="N",
                    help="instead: code N distinct articles in this process, RSS every 100")
    args = ap.parse_args(argv)
    if args.trace:
        out = trace(args.data, args.trace, 100, args.prefilter)
        print(json.dumps(out, indent=1))
        if args.json:
            Path(args.json).write_text(json.dumps(out, indent=1))
        return 0
    res = {}
    for factor in (1, 10):
        tmp = tempfile.mkdtemp(prefix="eventcoder-memshards-")
        try:
            shards = make_shards(args.data, args.articles, args.shards, tmp, repeat=factor)
            size = sum(os.path.getsize(p) for p in shards)
            r = measure(shards, args.workers, args.prefilter)
            r["input_mb"] = round(size / 1024 / 1024, 1)
            res[f"{factor}x"] = r
            print(f"{factor}x: {r}", file=sys.stderr, flush=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    worst = max(max(r["peak_rss_mb_per_worker"]) for r in res.values())
    out = {"workers": args.workers, "prefilter": args.prefilter, "results": res,
           "max_peak_rss_mb_per_worker": worst, "target_mb": 1536, "ok": worst <= 1536}
    print(json.dumps(out, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

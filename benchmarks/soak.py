"""Soak: ingest and serve side by side for a while; nothing lost, no errors, no memory creep.

    .venv/bin/python benchmarks/soak.py [--minutes 10] [--readers 3] [--batch 5] [--port 8766]

Starts `eventcoder serve` (read-write) on a fresh DuckDB file, then for --minutes runs, at once:
  * one ingest client that POSTs real articles (VOA dev, then AllSides) to /articles in batches of
    --batch (the server codes and stores them: DuckDB allows one writing process, so ingesting
    into a served store goes through the server);
  * --readers clients that loop over the read endpoints (/events with filters, a dyad series, an
    actor profile, positions, the dashboard's /ui/api/events, /health).
Every minute it prints: articles posted and stored, requests and their status codes, read latency
(median, p95), the server's RSS. At the end: the store's counts (read by the server's /health and
then straight from the file after the server stopped) must equal what the ingest client was told
was stored; any 5xx, connection error or count difference is a failure (exit 1). The RSS trend
(last minute vs first minute) is printed as a ratio.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
BIN = Path(sys.executable).parent / "eventcoder"


def articles():
    n = 0
    for path in (SHARED / "voa" / "voa_dev.jsonl", SHARED / "allsides" / "allsides_world.jsonl.gz"):
        if not path.exists():
            continue
        op = gzip.open if path.suffix == ".gz" else open
        with op(path, "rt", encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                if (d.get("text") or "").strip():
                    n += 1
                    pub = str(d.get("published") or "")[:10] or None
                    yield {"article_id": f"soak-{n}-{d.get('id', n)}", "text": d["text"][:20000],
                           "title": d.get("title"), "published": pub}


def request(url, body=None, timeout=120):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"null") if "json" in r.headers.get(
                "Content-Type", "") else None, time.perf_counter() - t0
    except urllib.error.HTTPError as exc:
        return exc.code, None, time.perf_counter() - t0
    except Exception as exc:  # noqa: BLE001 - a connection error is a failure, counted
        return f"{type(exc).__name__}", None, time.perf_counter() - t0


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--readers", type=int, default=3)
    ap.add_argument("--batch", type=int, default=5)
    ap.add_argument("--port", type=int, default=8766)
    ap.add_argument("--json", metavar="OUT")
    a = ap.parse_args()
    d = tempfile.mkdtemp(prefix="eventcoder-soak-")
    db = os.path.join(d, "soak.duckdb")
    base = f"http://127.0.0.1:{a.port}"
    server = subprocess.Popen([str(BIN), "serve", "--db", db, "--port", str(a.port), "--log-level",
                               "warning", "--code-queue", "8", "--code-time-limit", "300"],
                              stdout=subprocess.DEVNULL, stderr=open(os.path.join(d, "serve.log"), "w"))
    for _ in range(600):
        if request(base + "/health", timeout=2)[0] == 200:
            break
        time.sleep(0.2)
    else:
        print("server did not start; see", os.path.join(d, "serve.log"))
        return 1
    stop = time.monotonic() + a.minutes * 60
    lock = threading.Lock()
    status = collections.Counter()
    lat = collections.defaultdict(list)      # minute -> read latencies
    posted = {"articles": 0, "stored": 0, "events": 0, "batches": 0}
    failures = []

    def ingest():
        it = articles()
        while time.monotonic() < stop:
            batch = [x for _, x in zip(range(a.batch), it)]
            if not batch:
                return
            code, body, dt = request(base + "/articles", {"articles": batch}, timeout=600)
            with lock:
                status[f"POST {code}"] += 1
                if code == 200:
                    posted["articles"] += len(batch)
                    posted["stored"] += body.get("stored", 0)
                    posted["events"] += body.get("events", 0)
                    posted["batches"] += 1
                elif code != 429:
                    failures.append(f"POST /articles -> {code}")

    reads = ["/events?limit=50", "/events?limit=20&quad_class=4", "/events?actor=USA&unique=true",
             "/dyads/USA/RUS/series?interval=month", "/actors/USAGOV", "/positions/issues",
             "/ui/api/events?limit=50&sort=goldstein", "/health", "/events?text=talks&limit=10",
             "/ui/api/network?limit=100"]

    def reader(k):
        i = k
        while time.monotonic() < stop:
            path = reads[i % len(reads)]
            i += 1
            code, _, dt = request(base + path, timeout=60)
            minute = int((time.monotonic() - (stop - a.minutes * 60)) // 60)
            with lock:
                status[f"GET {code}"] += 1
                lat[minute].append(dt)
                if code != 200 and not (code == 404 and path.startswith("/actors/")):
                    failures.append(f"GET {path} -> {code}")  # (an actor not yet stored: 404)

    threads = [threading.Thread(target=ingest, daemon=True)] + \
              [threading.Thread(target=reader, args=(k,), daemon=True) for k in range(a.readers)]
    for t in threads:
        t.start()
    rss = []
    t_start = time.monotonic()
    while any(t.is_alive() for t in threads):
        time.sleep(min(60, max(1, stop - time.monotonic())))
        m = rss_mb(server.pid)
        rss.append(m)
        with lock:
            ls = lat.get(int((time.monotonic() - t_start) // 60) - 1) or sum(lat.values(), [])[-200:]
            med = statistics.median(ls) if ls else float("nan")
            p95 = sorted(ls)[int(0.95 * (len(ls) - 1))] if ls else float("nan")
            print(f"[{(time.monotonic() - t_start) / 60:5.1f} min] posted {posted['articles']} "
                  f"stored {posted['stored']} events {posted['events']}; requests {dict(status)}; "
                  f"read median {med * 1000:.0f} ms p95 {p95 * 1000:.0f} ms; server RSS {m:.0f} MB",
                  flush=True)
        if time.monotonic() > stop + 900:
            failures.append("clients did not finish 15 min after the end")
            break
    code, health, _ = request(base + "/health")
    server.terminate()
    server.wait(60)
    import duckdb

    con = duckdb.connect(db, read_only=True)
    n_art = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    n_ev = con.execute("SELECT count(*) FROM events").fetchone()[0]
    con.close()
    if n_art != posted["stored"]:
        failures.append(f"store holds {n_art} articles, the server said it stored {posted['stored']}")
    if n_ev != posted["events"]:
        failures.append(f"store holds {n_ev} events, the server said it stored {posted['events']}")
    counts = (health or {}).get("counts", health)
    out = {"minutes": a.minutes, "readers": a.readers, "posted": posted, "status": dict(status),
           "store_articles": n_art, "store_events": n_ev, "health": counts,
           "rss_mb_first": rss[0] if rss else None, "rss_mb_last": rss[-1] if rss else None,
           "rss_ratio_last_first": round(rss[-1] / rss[0], 3) if len(rss) > 1 else None,
           "read_latency_ms_by_minute": {k: [round(statistics.median(v) * 1000), round(
               sorted(v)[int(0.95 * (len(v) - 1))] * 1000), len(v)] for k, v in sorted(lat.items())},
           "failures": failures[:30], "n_failures": len(failures)}
    print(json.dumps(out, indent=1))
    if a.json:
        Path(a.json).write_text(json.dumps(out, indent=1))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""Cost of coding in a killable child process (eventcoder.isolate), measured side by side.

    .venv/bin/python benchmarks/isolation.py [--articles 200] [--rounds 2] [--data FILE.jsonl]

The same articles are coded by `guarded_stream(coder, ..., time_limit=120)` in the calling process
(isolate=False: the watchdog thread) and in a forked child (isolate=True, the default), in ABBA
order; each figure is the fastest round. Prints articles/s for both and the ratio.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DEFAULT = ROOT.parent / "shared" / "data" / "voa" / "voa_dev.jsonl"


def load(path: Path, n: int) -> list:
    from eventcoder.model import Article

    op = gzip.open if path.suffix == ".gz" else open
    out = []
    with op(path, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            d = json.loads(line)
            text = d.get("text") or d.get("body") or ""
            if text.strip():
                out.append(Article(str(d.get("id", i)), text, published=d.get("published") or d.get("date")))
            if len(out) >= n:
                break
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--data", type=Path, default=DEFAULT)
    a = ap.parse_args()
    from eventcoder.cluster import guarded_stream
    from eventcoder.coder import Coder

    arts = load(a.data, a.articles)
    coder = Coder(quotes=True)
    list(coder.code_articles(arts[:10]))  # warm
    best = {False: float("inf"), True: float("inf")}
    counts = {}
    for _ in range(a.rounds):
        for iso in (False, True, True, False):
            t0 = time.perf_counter()
            out = list(guarded_stream(coder, arts, time_limit=120, isolate=iso))
            best[iso] = min(best[iso], time.perf_counter() - t0)
            counts[iso] = sum(len(o.events) for o in out)
    n = len(arts)
    print(f"{n} articles from {a.data.name}; events {counts[False]} in-process, {counts[True]} isolated")
    print(f"in-process (watchdog): {n / best[False]:.2f} articles/s")
    print(f"isolated (child):      {n / best[True]:.2f} articles/s")
    print(f"ratio isolated/in-process time: {best[True] / best[False]:.3f}")


if __name__ == "__main__":
    main()

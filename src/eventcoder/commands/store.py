"""Store sub-commands: `ingest`, `query`, `export` and `dedup` (a thin shell over
eventcoder.store, eventcoder.query and eventcoder.export)."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ..errors import UsageError
from ..settings import add_option, default

RAW = argparse.RawDescriptionHelpFormatter


def _json(v) -> str:
    return json.dumps(v, ensure_ascii=False, default=str)


# A writer waits this long for readers (a `serve --read-only` answering a request) to let go.
WRITER_WAIT = default("writer_wait")


# ---------------------------------------------------------------- inputs
def _read_inputs(paths, published=None, encoding="utf-8"):
    from ..ingest import read_inputs

    return read_inputs(paths, published=published, encoding=encoding, stdin=sys.stdin)


# ---------------------------------------------------------------- ingest
def cmd_ingest(args) -> int:
    from ..store import Store, load_coder

    if args.cluster or args.workers:
        return _ingest_on_dask(args)
    coder = None
    from .event_options import event_kwargs

    ev_kw = {k: v for k, v in event_kwargs(args).items() if v not in (None, "learned")}
    if args.coder or args.processes != 1 or args.coder_batch_size or args.prefilter or ev_kw:
        kw = dict(ev_kw)
        if args.processes != 1:
            kw["processes"] = args.processes
        if args.coder_batch_size:
            kw["batch_size"] = args.coder_batch_size
        if args.prefilter:
            kw["prefilter"] = True
        coder = load_coder(args.coder, **kw)
    if args.time_limit and args.coder is None and not os.environ.get("EVENTCODER_CODER"):
        coder = _TimeLimited(coder or load_coder(None), args.time_limit)
    progress = args.progress if args.progress is not None else sys.stderr.isatty()

    def on_batch(s):
        if args.verbose:
            print(f"committed batch {s.batches}: {s.line()}", file=sys.stderr, flush=True)

    with Store(args.db, dedup_window=args.dedup_window, wait=WRITER_WAIT) as st:
        total = None
        if progress:
            from ..ingest import count_inputs

            total = count_inputs(args.paths)
        summary = st.ingest(_read_inputs(args.paths, args.published, args.encoding), coder=coder,
                            batch_size=args.batch_size, progress=progress, on_batch=on_batch,
                            total=total, release=True)
    for origin, message in summary.errors[:20]:
        print(f"eventcoder ingest: failed {origin}: {message}", file=sys.stderr)
    if summary.failed > 20:
        print(f"eventcoder ingest: ... and {summary.failed - 20} more failed input(s) "
              f"(--summary-json lists the first {len(summary.errors)})", file=sys.stderr)
    if summary.changed:
        shown = ", ".join(summary.changed_ids[:5]) + (" ..." if summary.changed > 5 else "")
        print(f"eventcoder ingest: warning: {summary.changed} article(s) not stored because their id is "
              f"already stored with different text ({shown}); the stored version is kept: give new "
              f"versions their own ids to keep both", file=sys.stderr)
    if summary.undated:
        print(f"eventcoder ingest: warning: {summary.undated} article(s) have no publication date, so "
              f"their events are dated only where the text dates the act; give --published "
              f"YYYY-MM-DD or a \"published\" field", file=sys.stderr)
    print(f"eventcoder ingest: {summary.line()}", file=sys.stderr)
    if args.summary_json:
        print(_json(summary.to_dict()))
    return 1 if summary.failed else 0


class _TimeLimited:
    """A coder whose stream has a per-article time limit (see eventcoder.cluster.guarded_stream)."""

    def __init__(self, coder, seconds: float):
        self.coder, self.seconds = coder, seconds

    def code_articles(self, items):
        from ..cluster import guarded_stream

        return guarded_stream(self.coder, items, self.seconds)


def _ingest_on_dask(args) -> int:
    """`ingest --workers N | --cluster ADDR`: code on Dask into Parquet shards, then load them."""
    import tempfile

    from ..cluster import load_shards
    from ..store import Store
    from .cluster import run_from_args

    out = args.shards_dir or tempfile.mkdtemp(prefix="eventcoder-shards-")
    args.batch_size_store, args.batch_size = args.batch_size, args.coder_batch_size or 32
    rc = run_from_args(args, args.paths, out)
    with Store(args.db, dedup_window=args.dedup_window, wait=WRITER_WAIT) as st:
        loaded = load_shards(st, out)
    print(f"eventcoder ingest: loaded shards from {out}: {loaded}", file=sys.stderr)
    return rc


# ---------------------------------------------------------------- query
def _filters(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("filters")
    g.add_argument("--start", help="first event date, YYYY-MM-DD")
    g.add_argument("--end", help="last event date, YYYY-MM-DD")
    g.add_argument("--actor", help="actor code prefix or country on either side (RUS, UKRGOV)")
    g.add_argument("--source", help="source actor code prefix or country")
    g.add_argument("--target", help="target actor code prefix or country")
    g.add_argument("--country", help="actor country code (ISO alpha-3) on either side")
    g.add_argument("--sector", help="actor sector(s) on either side, comma-separated (GOV,MIL)")
    g.add_argument("--plover-type", help="PLOVER type(s), comma-separated")
    g.add_argument("--cameo-root", help="CAMEO root code(s), comma-separated (04,19)")
    g.add_argument("--cameo-code", help="CAMEO code(s), comma-separated")
    g.add_argument("--quad-class", help="quad class(es) 0-4, comma-separated")
    g.add_argument("--status", help="occurred|planned|possible|negated, comma-separated, or all "
                                    "(series, profiles, top dyads and shaped exports default to occurred)")
    g.add_argument("--references", action="store_true",
                   help="series, profiles, top dyads and shaped exports also count mentions of "
                        "earlier events (default: left out)")
    g.add_argument("--place", help="location name (substring) or location country code")
    g.add_argument("--text", help="text search in the sentence and actor names")
    g.add_argument("--publisher", help="the articles' publisher (source name or URL host)")
    g.add_argument("--min-confidence", type=float, help="lowest event confidence, 0-1")


def _series_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--span", choices=("bulk", "all"), default="bulk",
                   help="without --start/--end: the periods holding the 1st-99th percentile of "
                        "the events (bulk, default) or all dated events")
    p.add_argument("--normalise", choices=("none", "articles"), default="none",
                   help="add the articles published per period and counts per 100 articles")


FILTER_KEYS = ("start", "end", "actor", "source", "target", "country", "sector", "plover_type",
               "cameo_root", "cameo_code", "quad_class", "status", "place", "text", "publisher",
               "min_confidence")


def _filter_kw(args) -> dict:
    return {k: getattr(args, k) for k in FILTER_KEYS if getattr(args, k, None) not in (None, "")}


def _print_rows(rows, fmt: str) -> None:
    if fmt == "json":
        print(_json(rows))
        return
    if not rows:
        return
    if fmt == "csv":
        import csv

        w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if v is None else (v if not isinstance(v, (dict, list)) else _json(v)))
                        for k, v in r.items()})
        return
    for r in rows:
        print(_json(r))


def _empty(st, command: str) -> bool:
    """Say so, in one line, when the store holds no article yet."""
    if st.con.execute("SELECT count(*) FROM articles").fetchone()[0]:
        return False
    print(f"eventcoder {command}: {st.path} holds no articles yet; add some with `eventcoder ingest "
          f"PATHS --db {st.path}`", file=sys.stderr)
    return True


def cmd_query(args) -> int:
    from .. import query as q
    from ..store import Store

    with Store(args.db, read_only=True, wait=WRITER_WAIT) as st:
        con = st.cursor()
        if _empty(st, "query"):
            return 1
        if args.what == "events":
            res = q.events(con, limit=args.limit, offset=args.offset, unique=args.unique,
                           flat=args.format == "csv", **_filter_kw(args))
            print(f"{res['total']} events match; showing {len(res['events'])} from "
                  f"offset {res['offset']}", file=sys.stderr)
            _print_rows(res["events"], args.format)
        elif args.what == "dyad":
            from .. import series

            res = series.dyad(con, args.a, args.b, interval=args.interval,
                              directed=args.directed, span=args.span, fill=not args.no_fill,
                              normalise=args.normalise, references=args.references,
                              **_filter_kw(args))
            sp = res["span"]
            print(f"{sp['events']} events in {sp['periods']} {args.interval}(s) from "
                  f"{sp['start']} to {sp['end']} (span: {sp['mode']}; {sp['outside']} "
                  f"outside it)", file=sys.stderr)
            _print_rows(res["series"], args.format)
        elif args.what == "actor":
            from .. import series

            prof = q.actor_profile(con, args.code, start=args.start, end=args.end,
                                   top=args.top, interval=args.interval, status=args.status,
                                   references=args.references)
            if prof is None:
                print(f"eventcoder query: no events with actor {args.code}", file=sys.stderr)
                return 1
            prof = series.actor_trend(con, prof, interval=args.interval, start=args.start,
                                      end=args.end, span=args.span, normalise=args.normalise)
            print(json.dumps(prof, ensure_ascii=False, default=str, indent=2))
        elif args.what == "top-dyads":
            _print_rows(q.top_dyads(con, level=args.level, directed=not args.undirected,
                                    limit=args.limit, references=args.references,
                                    **_filter_kw(args)), args.format)
        elif args.what == "positions":
            res = q.positions(con, issue=args.issue, actor=args.actor, stance=args.stance,
                              start=args.start, end=args.end, limit=args.limit, offset=args.offset)
            print(f"{res['total']} positions match; showing {len(res['positions'])}", file=sys.stderr)
            _print_rows(res["positions"], args.format)
        elif args.what == "issues":
            _print_rows(q.issues(con, limit=args.limit), args.format)
        elif args.what == "summary":
            print(q.summary_text(con, top=args.top))
        elif args.what == "clusters":
            _print_rows(q.clusters(con, start=args.start, end=args.end, actor=args.actor,
                                   min_mentions=args.min_mentions, limit=args.limit,
                                   offset=args.offset), args.format)
    return 0


# ---------------------------------------------------------------- export / dedup
def cmd_export(args) -> int:
    from .. import export as ex
    from ..store import Store

    with Store(args.db, read_only=True, wait=WRITER_WAIT) as st:
        con = st.cursor()
        if _empty(st, "export"):
            return 1
        if args.shape and args.shape.startswith("gdelt") and (
                Path(args.out).is_dir() or args.out.endswith(("/", os.sep))):
            # a directory: both GDELT tables, named and shaped as GDELT ships them
            for path, n in ex.export_gdelt_files(con, args.out, zipped=args.zip,
                                                 references=args.references,
                                                 **_filter_kw(args)).items():
                print(f"eventcoder export: {n} rows -> {path}", file=sys.stderr)
        elif args.shape:
            out = Path(args.out)
            fmt = ex.shape_format(args.shape, out, args.format)
            if fmt not in ex.FORMATS + ("gdelt",):
                raise UsageError(f"unknown format {fmt!r} for {out}", input=str(out),
                                 hint="use .csv, .tsv, .tab, .jsonl, .parquet, or a GDELT name such "
                                      "as 20250213000000.export.CSV")
            n = ex.export_shape(con, args.shape, out, fmt, unique=args.unique,
                                references=args.references, **_filter_kw(args))
            print(f"eventcoder export: {n} rows -> {out}", file=sys.stderr)
        else:
            formats = [f.strip() for f in (args.format or "jsonl").split(",") if f.strip()]
            bad = [f for f in formats if f not in ex.FORMATS]
            tables = ([t.strip() for t in args.tables.split(",")] if args.tables
                      else list(ex.TABLES))
            bad += [t for t in tables if t not in ex.TABLES]
            if bad:
                raise UsageError(f"unknown format/table: {', '.join(bad)}")
            for path, n in ex.export_tables(con, args.out, formats, tables).items():
                print(f"eventcoder export: {n} rows -> {path}", file=sys.stderr)
    return 0


def cmd_dedup(args) -> int:
    from ..store import Store

    with Store(args.db, wait=WRITER_WAIT) as st:
        n = st.recluster(args.window, actor_level=args.actor_level, type_level=args.type_level,
                         reciprocal=args.reciprocal, scorer=args.scorer, threshold=args.threshold)
        rule = st.dedup_rule
        c = st.counts()
    thr = rule.threshold if rule.threshold is not None else "the model's"
    scorer = f", scorer {rule.scorer} (threshold {thr})" if rule.scorer else ""
    print(f"eventcoder dedup: window {rule.window} day(s), actors by {rule.actor_level}, types by "
          f"{rule.type_level}, reciprocal {'on' if rule.reciprocal else 'off'}{scorer}: {c['events']} "
          f"events -> {n} clusters", file=sys.stderr)
    return 0


# ---------------------------------------------------------------- registration
def register(sub) -> None:
    p = sub.add_parser(
        "ingest", formatter_class=RAW, help="code articles and store them in DuckDB",
        description="Code articles and store articles, events, actors, quotes and positions in a "
                    "DuckDB file. Idempotent (articles already stored, by id or content hash, "
                    "are skipped) and incremental; each batch is one transaction, so an "
                    "interrupted ingest resumes by running it again.",
        epilog="Example:\n  eventcoder ingest news/*.jsonl --db events.duckdb\n"
               "  cat feed.jsonl | eventcoder ingest - --db events.duckdb --batch-size 128")
    p.add_argument("paths", nargs="+", metavar="PATH", help="input files or directories ('-' = stdin)")
    add_option(p, "db")
    add_option(p, "ingest_batch_size")
    add_option(p, "processes")
    p.add_argument("--coder-batch-size", type=int, default=None, help="the coder's nlp batch size")
    p.add_argument("--published", help="publication date for inputs that carry none (YYYY-MM-DD)")
    add_option(p, "encoding")
    p.add_argument("--dedup-window", type=int, default=None,
                   help="days within which matching events merge (default: 0 = same day; "
                        "changing it reclusters the store)")
    p.add_argument("--coder", default=None, metavar="MODULE:FACTORY",
                   help="use another coder (default: eventcoder.coder:Coder; or $EVENTCODER_CODER)")
    p.add_argument("--progress", dest="progress", action="store_true", default=None,
                   help="show a progress bar on stderr (default: when stderr is a terminal)")
    p.add_argument("--no-progress", dest="progress", action="store_false")
    p.add_argument("-v", "--verbose", action="store_true", help="report each committed batch")
    p.add_argument("--summary-json", action="store_true", help="print the summary as JSON on stdout")
    from .code import add_speed_options

    g = add_speed_options(p)
    g.add_argument("--shards-dir", metavar="DIR", help="where the Parquet shards go (default: a temp dir)")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser(
        "query", formatter_class=RAW, help="query stored events, dyads and actors",
        description="Query a store: filtered events, dyad time series, actor profiles, top "
                    "dyads and deduplicated clusters. Opens the database read-only.",
        epilog="Examples:\n"
               "  eventcoder query --db events.duckdb events --actor RUS --start 2025-02-01 --limit 20\n"
               "  eventcoder query --db events.duckdb dyad USA RUS --interval week\n"
               "  eventcoder query --db events.duckdb actor UKRGOV\n"
               "  eventcoder query --db events.duckdb top-dyads --level country --start 2025-01-01")
    add_option(p, "db")
    qs = p.add_subparsers(dest="what", metavar="WHAT", required=True)

    def fmt(x):
        x.add_argument("--format", choices=("jsonl", "json", "csv"), default="jsonl")

    e = qs.add_parser("events", formatter_class=RAW, help="a page of events matching filters",
                      epilog="Example:\n  eventcoder query --db events.duckdb events --country UKR "
                             "--plover-type CONSULT,AGREE --limit 10")
    _filters(e)
    e.add_argument("--limit", type=int, default=50)
    e.add_argument("--offset", type=int, default=0)
    e.add_argument("--unique", action="store_true", help="one event per dedup cluster")
    fmt(e)
    d = qs.add_parser("dyad", formatter_class=RAW, help="time series for a pair of actors/countries",
                      epilog="Example:\n  eventcoder query --db events.duckdb dyad USA RUS "
                             "--interval month --normalise articles --format csv")
    d.add_argument("a")
    d.add_argument("b")
    d.add_argument("--interval", choices=("day", "week", "month"), default="week")
    d.add_argument("--directed", action="store_true", help="only a as source, b as target")
    _series_options(d)
    d.add_argument("--no-fill", action="store_true",
                   help="leave out periods without events (default: they count zero)")
    _filters(d)
    fmt(d)
    a = qs.add_parser("actor", formatter_class=RAW, help="an actor's partners, event mix and trend",
                      epilog="Example:\n  eventcoder query --db events.duckdb actor RUSGOV --top 5")
    a.add_argument("code")
    a.add_argument("--start")
    a.add_argument("--end")
    a.add_argument("--top", type=int, default=10)
    a.add_argument("--interval", choices=("day", "week", "month"), default="month")
    _series_options(a)
    a.add_argument("--status", help="statuses counted, comma-separated, or all (default: occurred)")
    a.add_argument("--references", action="store_true", help="also count mentions of earlier events")
    t = qs.add_parser("top-dyads", formatter_class=RAW, help="the most active dyads in a period",
                      epilog="Example:\n  eventcoder query --db events.duckdb top-dyads "
                             "--level country --start 2025-02-01 --end 2025-02-28")
    t.add_argument("--level", choices=("code", "country"), default="code")
    t.add_argument("--undirected", action="store_true")
    t.add_argument("--limit", type=int, default=20)
    _filters(t)
    fmt(t)
    po = qs.add_parser("positions", formatter_class=RAW, help="positions on an issue over time, or of an actor",
                       description="Actors' stated positions (propose, support, oppose, reject, neutral), "
                                   "oldest first, each response with the proposal it answers.",
                       epilog="Examples:\n  eventcoder query --db events.duckdb positions --issue 'territory exchange'\n"
                              "  eventcoder query --db events.duckdb positions --actor RUSGOV --stance reject")
    po.add_argument("--issue", help="issue, e.g. 'ceasefire' (exact or part of the name)")
    po.add_argument("--actor", help="actor code prefix, country or name")
    po.add_argument("--stance", choices=("propose", "support", "oppose", "reject", "neutral"))
    po.add_argument("--start", help="first date, YYYY-MM-DD")
    po.add_argument("--end", help="last date, YYYY-MM-DD")
    po.add_argument("--limit", type=int, default=100)
    po.add_argument("--offset", type=int, default=0)
    fmt(po)
    iss = qs.add_parser("issues", formatter_class=RAW, help="issues with positions, most discussed first",
                        epilog="Example:\n  eventcoder query --db events.duckdb issues --limit 20")
    iss.add_argument("--limit", type=int, default=100)
    fmt(iss)

    sm = qs.add_parser("summary", formatter_class=RAW, help="what the store holds, as a readable report",
                       description="Counts of articles, events, clusters, quotes and positions; "
                                   "events by PLOVER type and status; the busiest dyads; the latest events.",
                       epilog="Example:\n  eventcoder query --db events.duckdb summary --top 10")
    sm.add_argument("--top", type=int, default=8, help="rows per section (default 8)")

    c = qs.add_parser("clusters", formatter_class=RAW, help="deduplicated events with counts",
                      epilog="Example:\n  eventcoder query --db events.duckdb clusters --min-mentions 3")
    c.add_argument("--start")
    c.add_argument("--end")
    c.add_argument("--actor")
    c.add_argument("--min-mentions", type=int, default=1)
    c.add_argument("--limit", type=int, default=50)
    c.add_argument("--offset", type=int, default=0)
    fmt(c)
    p.set_defaults(func=cmd_query)

    p = sub.add_parser(
        "export", formatter_class=RAW, help="export tables (JSONL/CSV/Parquet) or GDELT/ICEWS/POLECAT",
        description="Export every store table to a directory, or an event table shaped like "
                    "GDELT 2.0 events, ICEWS or POLECAT to one file. Fields the store does not "
                    "hold are empty.",
        epilog="Examples:\n  eventcoder export --db events.duckdb --out exports/ --format jsonl,parquet\n"
               "  eventcoder export --db events.duckdb --shape gdelt --out gdelt/     # 2025...export.CSV + .mentions.CSV\n"
               "  eventcoder export --db events.duckdb --shape gdelt --out 20250213000000.export.CSV\n"
               "  eventcoder export --db events.duckdb --shape icews --out icews.tsv --start 2025-01-01")
    add_option(p, "db")
    p.add_argument("--out", required=True, help="output directory (tables) or file (--shape)")
    p.add_argument("--format", help="jsonl,csv,tsv,parquet (comma-separated for tables; "
                                    "default jsonl, or the --out suffix with --shape)")
    p.add_argument("--tables", help="comma-separated tables (default: all)")
    p.add_argument("--shape", choices=("gdelt", "gdelt-mentions", "icews", "polecat"),
                   help="an event table shaped like GDELT 2.0 (61 columns; tab-separated, no header, "
                        "as GDELT ships it; --out DIR/ writes YYYYMMDDHHMMSS.export.CSV and "
                        ".mentions.CSV), ICEWS (the 20 columns of the dataverse .tab files) or POLECAT")
    p.add_argument("--zip", action="store_true", help="with --shape gdelt and a directory: zip the "
                                                      "files as GDELT does (.export.CSV.zip)")
    p.add_argument("--unique", action="store_true",
                   help="ICEWS/POLECAT: one row per dedup cluster (GDELT always is)")
    _filters(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "dedup", formatter_class=RAW, help="recompute event clusters (date window, actor and type levels)",
        description="Recompute the deduplication clusters of every event with the store's rule, "
                    "changed by the options given (the rule is kept in the store). Mentions merge "
                    "when both name both actors, the actors agree at the level both give, the event "
                    "types match, reciprocal acts in either direction, and the dates fall within "
                    "the window or the precision of the less precise date (see docs/store.md).",
        epilog="Examples:\n  eventcoder dedup --db events.duckdb --window 1\n"
               "  eventcoder dedup --db events.duckdb --actor-level sector --type-level root")
    add_option(p, "db")
    add_dedup_rule_options(p, window_help="days (default: the store's, 0 = same day for a new store)")
    p.set_defaults(func=cmd_dedup)


def _days(value: str) -> int:
    """A --window value: a whole number of days >= 0."""
    try:
        days = int(value)
    except ValueError:
        days = -1
    if days < 0:
        raise argparse.ArgumentTypeError(f"the dedup window is a number of days >= 0, not {value!r}")
    return days


def _scorer(value: str) -> str:
    """A --scorer value: 'shipped', 'none' or an existing model file (made absolute, as the store
    keeps it)."""
    import os

    if value in ("shipped", "none"):
        return value
    if not os.path.isfile(value):
        raise argparse.ArgumentTypeError(f"no such scorer model file: {value!r} "
                                         f"(or 'shipped', 'none')")
    return os.path.abspath(value)


def _threshold(value: str) -> float:
    """A --threshold value: a number strictly between 0 and 1."""
    try:
        x = float(value)
    except ValueError:
        x = -1.0
    if not 0.0 < x < 1.0:
        raise argparse.ArgumentTypeError(f"the threshold is a score between 0 and 1, not {value!r}")
    return x


def add_dedup_rule_options(p, window_help: str = "dedup window in days (default 0)") -> None:
    """The dedup rule's settings (eventcoder.dedup.DedupRule), for `dedup` and `eval dedup`;
    unset options keep the store's (or the default) rule."""
    from ..dedup import ACTOR_LEVELS, TYPE_LEVELS

    p.add_argument("--window", type=_days, default=None, help=window_help)
    p.add_argument("--actor-level", choices=ACTOR_LEVELS, default=None,
                   help="how far actors must agree where both mentions say (default: the "
                        "store's; sector for a new store; the date rule alone used name)")
    p.add_argument("--type-level", choices=TYPE_LEVELS, default=None,
                   help="what makes two acts one kind (default: plover = PLOVER type, else CAMEO root)")
    p.add_argument("--reciprocal", dest="reciprocal", action="store_true", default=None,
                   help="meetings, talks, agreements match in either direction (default)")
    p.add_argument("--no-reciprocal", dest="reciprocal", action="store_false",
                   help="compare reciprocal acts in their stated direction only")
    p.add_argument("--scorer", type=_scorer, default=None, metavar="MODEL",
                   help="a learned pair scorer decides which candidates merge: 'shipped' (the "
                        "model in the package), a .npz from python -m eventcoder.dedup_train, or "
                        "'none' for the date rule alone (default: the store's; shipped for a new "
                        "store)")
    p.add_argument("--threshold", type=_threshold, default=None, metavar="P",
                   help="with --scorer: the score (0-1) at which two mentions merge "
                        "(default: the model's)")

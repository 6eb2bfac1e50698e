"""`eventcoder eval`: score the coder against gold sets (see docs/evaluation.md)."""
from __future__ import annotations

import argparse
import json
import sys
import time

from ..errors import UsageError
from ..settings import add_option


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", metavar="OUT", help="also write the full results as JSON to OUT")
    p.add_argument("--model", metavar="M", default=None,
                   help="spaCy package name or path (default: the coder's default model)")
    p.add_argument("--limit", type=int, default=None, metavar="N",
                   help="evaluate only the first N items (default: all)")
    add_option(p, "processes", metavar="P")
    add_option(p, "batch_size", metavar="B")
    from .event_options import add_event_options

    add_event_options(p)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "eval", help="evaluate the coder on gold sets (leads, plover-gsr, conflibert, polnear, dedup)",
        description="Evaluate the coder against gold data. The data sets are third-party and are read "
                    "from ../shared/data by default (or $EVENTCODER_SHARED/data).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Examples:\n  eventcoder eval plover-gsr --errors 10\n"
               "  eventcoder eval conflibert --limit 300 --json conflibert.json\n"
               "  eventcoder eval polnear ../shared/data/polnear/dev --json polnear.json\n"
               "  eventcoder eval leads --examples 20\n"
               "  eventcoder eval dedup data/labels/dedup_pairs.jsonl",
    )
    sub = parser.add_subparsers(dest="eval_set", metavar="SET")

    g = sub.add_parser("plover-gsr", help="PLOVER gold standard records: event type, source, target",
                       description="Score event type (P/R/F1), source/target country and record accuracy "
                                   "on PLOVER_GSR_CAMEO.txt (PLOVER v0.5b1 labels mapped to 2.0).")
    g.add_argument("path", nargs="?", default=None, metavar="PATH",
                   help="PLOVER_GSR_CAMEO.txt (default: ../shared/data/plover/PLOVER_GSR_CAMEO.txt)")
    g.add_argument("--errors", type=int, default=0, metavar="N",
                   help="print N mistakes (text, gold, predicted) for error analysis")
    _add_common(g)
    g.set_defaults(func=run_plover)

    c = sub.add_parser("conflibert", help="ConfliBERT CAMEO sets: penta-class accuracy and actor spans",
                       description="Penta-class accuracy and confusion on cameo_class_train.tsv; source/"
                                   "target span P/R/F1 (exact and overlap) on cameo_ner_train.txt.")
    c.add_argument("path", nargs="?", default=None, metavar="DIR",
                   help="directory with cameo_class_train.tsv and cameo_ner_train.txt "
                        "(default: ../shared/data/conflibert)")
    c.add_argument("--task", choices=("classes", "spans", "both"), default="both",
                   help="which part to run (default both)")
    _add_common(c)
    c.set_defaults(func=run_conflibert)

    from .eval_polnear import add_parser as add_polnear  # quote attribution on PolNeAR

    add_polnear(sub)

    from .eval_leads import add_parser as add_leads  # real-news leads (the product's measure)

    add_leads(sub)

    from .eval_dedup import add_parser as add_dedup  # deduplication on labelled mention pairs

    add_dedup(sub)

    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])


def _coder(args):
    from ..coder import Coder
    from .event_options import event_kwargs

    return Coder(model=args.model, processes=args.processes, batch_size=args.batch_size, quotes=False,
                 **event_kwargs(args))


def _write_json(path: str, res: dict) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(res, fh, indent=2, default=lambda o: sorted(o) if isinstance(o, set) else str(o))
        fh.write("\n")
    print(f"results written to {path}", file=sys.stderr)


def run_plover(args) -> int:
    from .. import evaluate as ev
    path = ev.data_path(args.path, "plover", "PLOVER_GSR_CAMEO.txt")
    if not path.exists():
        raise UsageError(f"{path} not found", input=str(path), hint="pass PATH or set EVENTCODER_SHARED")
    t0 = time.perf_counter()
    res = ev.run_plover_gsr(path, model=args.model, processes=args.processes, batch_size=args.batch_size,
                            errors=args.errors, limit=args.limit, coder=_coder(args))
    res["seconds"] = round(time.perf_counter() - t0, 2)
    res["model"] = args.model
    print(ev.format_plover_report(res))
    print(f"\n({res['seconds']} s)")
    if args.json:
        _write_json(args.json, res)
    return 0


def run_conflibert(args) -> int:
    from .. import evaluate as ev
    directory = ev.data_path(args.path, "conflibert")
    if not directory.is_dir():
        raise UsageError(f"{directory} is not a directory", input=str(directory),
                         hint="pass DIR or set EVENTCODER_SHARED")
    tasks = ("classes", "spans") if args.task == "both" else (args.task,)
    t0 = time.perf_counter()
    res = ev.run_conflibert(directory, model=args.model, processes=args.processes,
                            batch_size=args.batch_size, limit=args.limit, tasks=tasks, coder=_coder(args))
    res["seconds"] = round(time.perf_counter() - t0, 2)
    res["model"] = args.model
    if "classes" in res:
        r = res["classes"]
        print(f"cameo_class_train.tsv: evaluating {r['sentences']} of {r['available']} sentences")
        print(ev.format_class_report(r))
        print()
    if "spans" in res:
        r = res["spans"]
        print(f"cameo_ner_train.txt: evaluating {r['all_events']['sentences']} of {r['available']} sentences")
        print(ev.format_span_report(r["all_events"], "actor spans of all predicted events"))
        print()
        print(ev.format_span_report(r["top_event"], "actor spans of the top event only"))
    print(f"\n({res['seconds']} s)")
    if args.json:
        _write_json(args.json, res)
    return 0

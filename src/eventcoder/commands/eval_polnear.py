"""`eventcoder eval polnear [PATH]`: score quote attribution on a PolNeAR split (docs/quotes.md).

commands/eval.py registers it with `eval_polnear.add_parser(sub)` next to plover-gsr and conflibert.
"""
from __future__ import annotations

import json
import sys
import time

from ..errors import UsageError
from ..settings import add_option


def add_parser(eval_subparsers) -> None:
    p = eval_subparsers.add_parser(
        "polnear", help="PolNeAR attribution: source, cue and content P/R/F1 (exact and overlap)",
        description="Run quote attribution over a PolNeAR split (BRAT standoff: text/ and attributions/) "
                    "and score source, cue and content spans with exact and overlap matching.")
    p.add_argument("path", nargs="?", default=None, metavar="PATH",
                   help="a PolNeAR split directory (default: ../shared/data/polnear/dev)")
    p.add_argument("--errors", type=int, default=0, metavar="N",
                   help="print N missed and N spurious attributions for error analysis")
    p.add_argument("--json", metavar="OUT", help="also write the full results as JSON to OUT")
    p.add_argument("--model", metavar="M", default=None, help="spaCy package name or path")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N articles")
    add_option(p, "processes", metavar="P")
    add_option(p, "polnear_batch_size", metavar="B")
    p.set_defaults(func=run)


def run(args) -> int:
    from .. import polnear
    from ..evaluate import data_path

    path = data_path(args.path, "polnear", "dev")
    if not (path / "text").is_dir():
        raise UsageError(f"{path} is not a PolNeAR split (no text/ directory)", input=str(path),
                         hint="pass PATH or set EVENTCODER_SHARED")
    t0 = time.perf_counter()
    res = polnear.evaluate(path, model=args.model, limit=args.limit, batch_size=args.batch_size,
                           processes=args.processes, errors=args.errors)
    res["seconds"] = round(time.perf_counter() - t0, 2)
    print(polnear.format_report(res))
    print(f"\n({res['seconds']} s)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(res, fh, indent=2)
            fh.write("\n")
        print(f"results written to {args.json}", file=sys.stderr)
    return 0

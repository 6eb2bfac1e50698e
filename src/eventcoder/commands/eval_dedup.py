"""`eventcoder eval dedup LABELS`: score deduplication on labelled mention pairs (docs/store.md).

commands/eval.py registers it with `eval_dedup.add_parser(sub)`.
"""
from __future__ import annotations

import json
import sys
import time


def add_parser(eval_subparsers) -> None:
    import argparse

    p = eval_subparsers.add_parser(
        "dedup", help="deduplication: pairwise precision/recall and cluster purity on labelled pairs",
        description="Code the articles that labelled mention pairs refer to (only those) into a "
                    "temporary store, match each mention to the stored event whose trigger span "
                    "overlaps its [start, end), and report pairwise precision and recall of 'same "
                    "cluster' against the labels, cluster purity, and the wrong merges and misses "
                    "with their sentences. Label lines: {\"pair_id\", \"a\": {\"article_id\", "
                    "\"start\", \"end\"}, \"b\": {...}, \"same\": bool, \"note\"}; offsets are "
                    "characters of the article's `text` field (ingest does not prepend the title).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Examples:\n  eventcoder eval dedup data/labels/dedup_pairs.jsonl\n"
               "  eventcoder eval dedup pairs.jsonl --articles my_articles.jsonl --examples 20\n"
               "  eventcoder eval dedup pairs.jsonl --actor-level sector --window 1 --json dedup.json\n"
               "  eventcoder eval dedup data/labels/dedup_pairs.jsonl --scorer shipped --threshold 0.6")
    p.add_argument("labels", metavar="LABELS", help="labelled pairs (JSON lines)")
    p.add_argument("--articles", metavar="FILE", default=None,
                   help="the articles the labels point into (default: "
                        "../shared/data/allsides/allsides_world.jsonl.gz)")
    p.add_argument("--examples", type=int, default=10, metavar="N",
                   help="print N wrong merges and N misses (default 10)")
    p.add_argument("--json", metavar="OUT", help="also write the results as JSON to OUT")
    from .store import add_dedup_rule_options

    add_dedup_rule_options(p)
    p.add_argument("--model", metavar="M", default=None, help="spaCy package name or path")
    p.add_argument("--coder", default=None, metavar="MODULE:FACTORY",
                   help="use another coder (default: eventcoder.coder:Coder without quotes)")
    p.set_defaults(func=run)


def run(args) -> int:
    from .. import dedup_eval as de
    from ..dedup import DEFAULT_RULE
    from ..evaluate import data_path

    articles = data_path(args.articles, "allsides", "allsides_world.jsonl.gz")
    rule = DEFAULT_RULE.replace(window=args.window, actor_level=args.actor_level,
                                type_level=args.type_level, reciprocal=args.reciprocal,
                                scorer=args.scorer, threshold=args.threshold)
    if not articles.exists():
        raise de.LabelError(f"{articles}: no such articles file", input=str(articles),
                            hint="pass --articles or set EVENTCODER_SHARED")
    de.read_labels(args.labels)  # fail fast on a bad file, before loading a model
    if args.coder:
        from ..store import load_coder

        coder = load_coder(args.coder)
    else:
        from ..coder import Coder

        coder = Coder(model=args.model, quotes=False)
    t0 = time.perf_counter()
    res = de.run(args.labels, articles, coder=coder, rule=rule)
    res["seconds"] = round(time.perf_counter() - t0, 2)
    print(de.format_report(res, examples=args.examples))
    print(f"\n({res['seconds']} s)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(de.to_json(res), fh, indent=2, default=str)
            fh.write("\n")
        print(f"results written to {args.json}", file=sys.stderr)
    return 0

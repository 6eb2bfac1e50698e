"""`eventcoder eval leads [GOLD LEADS]`: score the coder on real-news leads (docs/evaluation.md).

commands/eval.py registers it with `eval_leads.add_parser(sub)`.
"""
from __future__ import annotations

import json
import os
import sys
import time

from ..settings import add_option


def add_parser(eval_subparsers) -> None:
    import argparse

    p = eval_subparsers.add_parser(
        "leads", help="real-news leads: story-level dyad+type P/R/F1, alignment, confidence curve",
        description="Code the leads of real news stories and score them against hand-coded gold "
                    "(../shared/data/gold): per story, the (source country, target country, PLOVER type) "
                    "tuples of asserted events, pooled over stories; the same for (source country, type); "
                    "a per-type table; an event-level alignment; precision/recall against a minimum "
                    "confidence. Agrees with ../shared/tools/leads_score.py.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Examples:\n  eventcoder eval leads\n"
               "  eventcoder eval leads ../shared/data/gold/voa_dev_gold.jsonl ../shared/data/gold/voa_dev_leads.jsonl "
               "--examples 20\n"
               "  eventcoder eval leads --system my_labels.jsonl      # score a label file (or coded events) instead")
    p.add_argument("gold", nargs="?", default=None, metavar="GOLD",
                   help="gold events (default: ../shared/data/gold/voa_dev_gold.jsonl)")
    p.add_argument("leads", nargs="?", default=None, metavar="LEADS",
                   help="the leads (default: ../shared/data/gold/voa_dev_leads.jsonl)")
    p.add_argument("--system", metavar="FILE", default=None,
                   help="score these records (event JSON lines with article_id, or a label file in the "
                        "gold format) instead of coding the leads")
    p.add_argument("--out", metavar="FILE", default=None, help="also write every coded event (all confidences) as JSON lines")
    p.add_argument("--examples", type=int, default=0, metavar="N",
                   help="print N misses, N spurious records and N aligned errors")
    p.add_argument("--json", metavar="OUT", help="also write the full results as JSON to OUT")
    p.add_argument("--model", metavar="M", default=None, help="spaCy package name or path")
    add_option(p, "processes", metavar="P")
    add_option(p, "batch_size", metavar="B")
    p.add_argument("--prefilter", action="store_true", help="code with the sentence pre-filter")
    from .event_options import add_event_options

    add_event_options(p)  # --events, --event-model, --min-confidence (also filters --system records)
    p.set_defaults(func=run)


def run(args) -> int:
    from .. import leads
    from ..evaluate import code_texts, data_path

    gold_path = data_path(args.gold, "gold", "voa_dev_gold.jsonl")
    leads_path = data_path(args.leads, "gold", "voa_dev_leads.jsonl")
    try:
        gold = leads.read_jsonl(gold_path)
        lead_rows = leads.load_leads(leads_path)
        system = leads.read_jsonl(args.system) if args.system else None
    except leads.LeadsFileError as exc:
        exc.hint = "pass GOLD and LEADS or set EVENTCODER_SHARED"
        raise
    t0 = time.perf_counter()
    if system is None:
        from ..coder import Coder

        # code everything, so the confidence curve covers the whole range; the headline figures
        # are those at the threshold the coder uses by default (or --min-confidence)
        coder = Coder(model=args.model, processes=args.processes, batch_size=args.batch_size,
                      quotes=False, prefilter=args.prefilter, events=args.events,
                      event_model=args.event_model, min_confidence=0.0,
                      dictionaries=[os.path.abspath(p) for p in (args.dictionary or [])])
        default = args.min_confidence
        if default is None:
            default = getattr(coder.extractor, "model", None) and coder.extractor.model.min_confidence
        coded = code_texts([(str(r["id"]), r["lead"], r.get("published")) for r in lead_rows], coder=coder)
        everything = leads.system_records(coded)
        system = [e for e in everything if not default or float(e.get("confidence") or 0.0) >= default]
        if args.out:
            with open(args.out, "w", encoding="utf-8") as fh:
                for d in everything:
                    fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    if args.system and args.min_confidence is not None:
        system = [e for e in system if float(e.get("confidence", 1.0) or 0.0) >= args.min_confidence]
    res = leads.evaluate(gold, system, lead_rows)
    if args.system is None:
        res["curve"] = leads.evaluate(gold, everything, lead_rows)["curve"]
        res["min_confidence"] = default
    res["seconds"] = round(time.perf_counter() - t0, 2)
    print(leads.format_report(res, examples=args.examples))
    print(f"\n({res['seconds']} s)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(res, fh, indent=2, default=str)
            fh.write("\n")
        print(f"results written to {args.json}", file=sys.stderr)
    return 0

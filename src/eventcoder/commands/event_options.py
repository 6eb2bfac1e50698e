"""The event-stage and dictionary options that code, ingest, cluster run and eval share, and the
Coder keyword arguments they give (one module, so the command modules need not import each other)."""
from __future__ import annotations

import os


def add_event_options(p) -> None:
    """--events, --event-model, --min-confidence (shared by code, ingest, cluster run, eval)."""
    p.add_argument("--events", choices=("learned", "rules"), default="learned",
                   help="event stage: the trained model deciding over the rules' candidates (default) "
                        "or the rule frames alone")
    p.add_argument("--event-model", metavar="DIR", default=None,
                   help="an event model directory made by `eventcoder train` (default: the shipped one)")
    p.add_argument("--min-confidence", type=float, default=None, metavar="C",
                   help="drop events the model scores below C (default: the model's tuned threshold)")
    add_dictionary_option(p)


def add_dictionary_option(p) -> None:
    p.add_argument("--dictionary", action="append", default=None, metavar="PATH",
                   help="your own actor/agent dictionary: PETRARCH/TABARI (.txt) or TSV (name, aliases, "
                        "country, sector, code[, start, end]); repeatable, later files win, and a "
                        "dictionary's entries win over the built-in ones (docs/dictionaries.md)")


def event_kwargs(args) -> dict:
    """The Coder keyword arguments of the event-stage options (absent options: defaults)."""
    kw = {"events": getattr(args, "events", "learned"), "event_model": getattr(args, "event_model", None),
          "min_confidence": getattr(args, "min_confidence", None)}
    if getattr(args, "dictionary", None):
        kw["dictionaries"] = [os.path.abspath(p) for p in args.dictionary]
    return kw

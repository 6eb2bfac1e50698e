"""`eventcoder train`: train the learned event stage from label files (docs/learning.md)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import UsageError

EPILOG = """examples:
  eventcoder train                                  # the shipped model, from data/labels/ and ../shared
  eventcoder train quotes                           # the shipped attribution model, from PolNeAR train
  eventcoder train quotes --out my_attr/ --limit 100 # a quick model in a directory of its own
  eventcoder train --labels my_labels.jsonl --texts my_leads.jsonl --out my_model/
  eventcoder code news/ --event-model my_model/     # code with it

Label files are JSON lines in the gold format of ../shared/data/gold/GUIDELINES.md (evidence,
trigger and actor words) or in the repository's offset format (data/labels/README.md); texts are
JSON lines with id and lead (or text, cut to its lead).
"""


def _repo_data() -> Path:
    return Path(__file__).resolve().parents[3] / "data" / "labels"


def default_corpus() -> tuple[list, list]:
    """The shipped model's training corpus: (label files, text files). The wire sentences in
    data/labels/ are not in it (see data/labels/README.md): add them with --labels/--texts."""
    from ..evaluate import shared_data_dir

    return ([str(_repo_data() / "allsides_leads.jsonl")],
            [str(shared_data_dir() / "allsides" / "allsides_world.jsonl.gz")])


def register(sub) -> None:
    p = sub.add_parser("train", help="train the learned event stage from labelled leads",
                       description="Train the event model (trigger and argument classifiers over the rule "
                                   "stage's candidates) from labelled leads, reproducibly on CPU, and write "
                                   "it to a directory (default: the package's own model).",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("what", nargs="?", choices=("events", "quotes"), default="events",
                   help="events (default): the learned event stage; quotes: the attribution model, "
                        "from PolNeAR's train split, thresholds tuned on its dev split")
    p.add_argument("--train", metavar="DIR", default=None,
                   help="quotes: the PolNeAR training split (default: ../shared/data/polnear/train)")
    p.add_argument("--dev", metavar="DIR", default=None,
                   help="quotes: the split that tunes the thresholds (default: ../shared/data/polnear/dev; "
                        "'none' keeps the defaults)")
    p.add_argument("--cache", metavar="DIR", default=None,
                   help="quotes: keep the spaCy parses there (DocBin) and reuse them on the next run")
    p.add_argument("--labels", action="append", metavar="FILE",
                   help="a label file (repeatable; default: data/labels/allsides_leads.jsonl)")
    p.add_argument("--texts", action="append", metavar="FILE",
                   help="JSON lines with the texts the labels point into (repeatable; default: "
                        "../shared/data/allsides/allsides_world.jsonl.gz)")
    p.add_argument("--out", metavar="DIR", default=None,
                   help="where to write the model (default: the package's learn/data, the shipped model)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--model", metavar="M", default=None, help="spaCy package name or path")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="train on the first N stories only")
    p.set_defaults(func=run)


def run_quotes(args) -> int:
    from ..evaluate import data_path
    from ..learn.attribution import MODEL_DIR
    from ..learn.attribution_train import train_attribution

    train_dir = data_path(args.train, "polnear", "train")
    dev_dir = None if args.dev == "none" else data_path(args.dev, "polnear", "dev")
    for path in [train_dir] + ([dev_dir] if dev_dir else []):
        if not (Path(path) / "text").is_dir() or not (Path(path) / "attributions").is_dir():
            raise UsageError(f"{path} is not a PolNeAR split (no text/ and attributions/)", input=str(path),
                             hint="pass --train/--dev or set EVENTCODER_SHARED")
    return _fit(train_attribution, train_dir, Path(args.out) if args.out else MODEL_DIR, dev_dir=dev_dir,
                model_name=args.model, seed=args.seed, limit=args.limit,
                cache=Path(args.cache) if args.cache else None)


def run(args) -> int:
    if args.what == "quotes":
        return run_quotes(args)
    from ..learn.stage import MODEL_DIR
    from ..learn.train import train

    default_labels, default_texts = default_corpus()
    labels = args.labels or default_labels
    texts = args.texts or default_texts
    for path in labels + texts:
        if not Path(path).exists():
            raise UsageError(f"{path} not found", input=str(path),
                             hint="pass --labels/--texts or set EVENTCODER_SHARED")
    return _fit(train, labels, texts, Path(args.out) if args.out else MODEL_DIR, model_name=args.model,
                seed=args.seed, limit=args.limit)


def _fit(trainer, *args, **kwargs) -> int:
    """Run a trainer with its log on stderr: no scikit-learn or a bad label set (the trainers'
    checks raise ValueError) is a one-line UsageError."""
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise UsageError("needs scikit-learn: pip install 'eventcoder[train]'") from None
    try:
        trainer(*args, log=lambda m: print(m, file=sys.stderr, flush=True), **kwargs)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return 0

"""The `eventcoder` command: a thin shell that parses arguments and calls the library.

Each sub-command lives in its own module under `eventcoder.commands` and exposes
`register(subparsers)`; registering sets `func` on its parser, which receives the parsed args
and returns the exit status.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__
from .errors import EventcoderError

COMMAND_MODULES = ("code", "eval", "store", "serve", "cluster", "train")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="eventcoder",
        description="Code political events (CAMEO/PLOVER), quotes and positions from news.",
        epilog="Example: eventcoder code article.txt --format jsonl > events.jsonl",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"eventcoder {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"eventcoder.commands.{name}").register(sub)
    _name_commands(parser)
    return parser


def _name_commands(parser: argparse.ArgumentParser) -> None:
    """Give each (sub-)command's namespace its full name (`eventcoder eval leads`), which the
    error handler in `main` puts before the message."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                sub.set_defaults(command_name=sub.prog)
                _name_commands(sub)


def main(argv: list[str] | None = None) -> int:
    """Run one command; any EventcoderError it raises is printed as one line,
    `eventcoder COMMAND: message`, and ends it with the error's exit code (2)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        _check_dictionaries(args)
        return int(args.func(args) or 0)
    except EventcoderError as exc:
        print(f"{args.command_name}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("eventcoder: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. piped into `head`
        return 0


def _check_dictionaries(args) -> None:
    """Read --dictionary files once, up front: a broken file stops the command before any work
    (one line naming file and line); lines that were skipped are listed as warnings."""
    paths = getattr(args, "dictionary", None)
    if not paths:
        return
    import os

    from .actors.kb import KnowledgeBase

    kb = KnowledgeBase.with_dictionaries([os.path.abspath(p) for p in paths])
    problems = kb.dictionary_problems
    for msg in problems[:10]:
        print(f"eventcoder {args.command}: warning: {msg}", file=sys.stderr)
    if len(problems) > 10:
        print(f"eventcoder {args.command}: warning: ... and {len(problems) - 10} more skipped "
              "dictionary line(s)", file=sys.stderr)
    for p, n in kb.dictionary_counts.items():
        added = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in n.items() if v)
        print(f"eventcoder {args.command}: dictionary {p}: {added or 'nothing added'}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())

"""`eventcoder serve`: the HTTP API (FastAPI under uvicorn) over a DuckDB store."""
from __future__ import annotations

import argparse
import sys

from ..errors import UsageError
from ..settings import add_option


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def cmd_serve(args) -> int:
    import os

    from ..api import serve
    from ..store import load_coder

    token = args.token or os.environ.get("EVENTCODER_TOKEN") or None
    if args.host not in LOOPBACK and not args.host.startswith("127."):
        if not token:
            raise UsageError(f"--host {args.host} makes the server reachable from the network: give it a "
                             "--token (or set EVENTCODER_TOKEN), or bind 127.0.0.1 behind a reverse "
                             "proxy (docs/serving.md)", input=args.host)
        print(f"eventcoder serve: warning: listening on {args.host}, reachable from the network; every "
              f"request needs the token", file=sys.stderr)
    coder = load_coder(args.coder) if args.coder else None
    if coder is None and args.dictionary:  # coded with the user's dictionaries (loaded now)
        from ..coder import Coder

        coder = Coder(dictionaries=[os.path.abspath(p) for p in args.dictionary])
    serve(args.db, host=args.host, port=args.port, read_only=args.read_only,
          max_body=args.max_body, coder=coder, log_level=args.log_level, token=token,
          allowed_hosts=args.allowed_host, code_max_chars=args.code_max_chars,
          code_time_limit=args.code_time_limit, code_queue=args.code_queue)
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "serve", formatter_class=argparse.RawDescriptionHelpFormatter,
        help="serve the HTTP API over a store",
        description="Serve the HTTP API: POST /code, POST /articles, GET /events, "
                    "GET /dyads/{a}/{b}/series, GET /actors/{code}, GET /articles/{id}, "
                    "GET /health; the OpenAPI schema is at /openapi.json. A server that writes "
                    "holds the DuckDB file; with --read-only it opens the file only while it "
                    "answers, so `eventcoder ingest` can add to the store meanwhile.",
        epilog="Example:\n  eventcoder serve --db events.duckdb --read-only --port 8000\n"
               "  curl 'http://127.0.0.1:8000/events?actor=RUS&start=2025-02-01&limit=5'\n"
               "  EVENTCODER_TOKEN=s3cret eventcoder serve --host 0.0.0.0 --allowed-host events.example.org")
    add_option(p, "db")
    p.add_argument("--host", default="127.0.0.1", help="bind address (default: 127.0.0.1)")
    add_option(p, "port")
    p.add_argument("--read-only", action="store_true",
                   help="open the database read-only, and only while answering (an ingest may write "
                        "meanwhile); POST /articles answers 403")
    add_option(p, "max_body")
    p.add_argument("--coder", default=None, metavar="MODULE:FACTORY",
                   help="coder for POST /code and /articles (default: eventcoder.coder:Coder)")
    p.add_argument("--token", default=None, metavar="TOKEN",
                   help="require this token on every request but /health (default: $EVENTCODER_TOKEN; "
                        "required with a --host beyond loopback)")
    p.add_argument("--allowed-host", action="append", default=[], metavar="NAME",
                   help="a host name clients may use in the Host header, besides loopback and --host "
                        "(repeatable; '*' allows any: only behind a proxy that checks it)")
    add_option(p, "code_max_chars", metavar="N")
    add_option(p, "code_time_limit", metavar="SECONDS")
    add_option(p, "code_queue", metavar="N")
    from .event_options import add_dictionary_option

    add_dictionary_option(p)
    p.add_argument("--log-level", default="info",
                   choices=("critical", "error", "warning", "info", "debug"))
    p.set_defaults(func=cmd_serve)

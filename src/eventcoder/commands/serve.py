"""`eventcoder serve`: the HTTP API (FastAPI under uvicorn) over a DuckDB store."""
from __future__ import annotations

import argparse
import sys


def cmd_serve(args) -> int:
    from ..api import serve
    from ..store import StoreError, load_coder

    coder = load_coder(args.coder) if args.coder else None
    try:
        serve(args.db, host=args.host, port=args.port, read_only=args.read_only,
              max_body=args.max_body, coder=coder, log_level=args.log_level)
    except StoreError as exc:
        print(f"eventcoder serve: {exc}", file=sys.stderr)
        return 2
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "serve", formatter_class=argparse.RawDescriptionHelpFormatter,
        help="serve the HTTP API over a store",
        description="Serve the HTTP API: POST /code, POST /articles, GET /events, "
                    "GET /dyads/{a}/{b}/series, GET /actors/{code}, GET /articles/{id}, "
                    "GET /health; the OpenAPI schema is at /openapi.json. One process holds "
                    "the DuckDB file: stop the server before running `eventcoder ingest` on it.",
        epilog="Example:\n  eventcoder serve --db events.duckdb --read-only --port 8000\n"
               "  curl 'http://127.0.0.1:8000/events?actor=RUS&start=2025-02-01&limit=5'")
    p.add_argument("--db", default="events.duckdb", help="DuckDB file (default: events.duckdb)")
    p.add_argument("--host", default="127.0.0.1", help="bind address (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--read-only", action="store_true",
                   help="open the database read-only; POST /articles answers 403")
    p.add_argument("--max-body", type=int, default=2_000_000,
                   help="largest request body in bytes (default: 2000000)")
    p.add_argument("--coder", default=None, metavar="MODULE:FACTORY",
                   help="coder for POST /code and /articles (default: eventcoder.coder:Coder)")
    p.add_argument("--log-level", default="info",
                   choices=("critical", "error", "warning", "info", "debug"))
    p.set_defaults(func=cmd_serve)

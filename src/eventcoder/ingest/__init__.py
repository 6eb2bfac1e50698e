"""Ingest: turn inputs (text, JSON lines, JSON, HTML, Parquet, stdin) into `Article` records.

    from eventcoder.ingest import read_inputs, IngestError
    for item in read_inputs(["corpus/", "extra.jsonl", "-"]):
        if isinstance(item, IngestError):
            print(item, file=sys.stderr)   # e.g. "data/x.jsonl:12: broken JSON line (...); skipped"
        else:
            code(item)                     # an Article

Bad input never stops the stream and never loses good input: each bad file, line or row gives
one IngestError naming it (path, path:line, path:row N, <stdin>, <stdin>:N) and what to do.
"""
from .dates import normalise_date
from .errors import IngestError
from .html import read_html_article
from .records import record_to_article
from .sources import KINDS, count_inputs, kind_of, read_inputs
from .text import parse_dateline, read_text_article

__all__ = ["read_inputs", "IngestError", "read_text_article", "read_html_article",
           "record_to_article", "normalise_date", "parse_dateline", "kind_of", "KINDS",
           "count_inputs"]

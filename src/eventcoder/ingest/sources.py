"""`read_inputs`: paths, directories and stdin -> a stream of Articles and IngestErrors."""
from __future__ import annotations

import gzip
import io
import os
import sys
from typing import IO, Iterable, Iterator, Optional, Union

from ..model import Article
from .dates import published_date
from .decode import (Prepend, TextAsBytes, binary_error, binary_reason, check_encoding,
                     decode_bytes, effective_encoding)
from .errors import IngestError
from ..errors import UsageError
from .html import looks_like_html, read_html_article
from .jsonl import READ_ERRORS, iter_json_document, iter_jsonl
from .parquet import iter_parquet
from .text import read_text_article

Item = Union[Article, IngestError]

KINDS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".parquet": "parquet",
}
COMPRESSIBLE = {"text", "jsonl", "json", "html"}  # may also come as NAME.EXT.gz
HEAD_BYTES = 8192
JSON_DOC_LIMIT = 256 * 1024 * 1024  # a whole .json document is loaded; beyond this use JSONL
STDIN = "<stdin>"


def kind_of(path: str) -> tuple[Optional[str], bool]:
    """(kind, gzipped) from a file name; kind None means "sniff the content"."""
    name = os.path.basename(path).lower()
    gz = name.endswith(".gz")
    if gz:
        name = name[:-3]
    kind = KINDS.get(os.path.splitext(name)[1])
    if gz and kind not in COMPRESSIBLE:
        kind = None
    return kind, gz


def read_inputs(paths: Iterable[str], published=None, encoding: str = "utf-8",
                stdin: Optional[IO] = None, max_chars: int = 5_000_000) -> Iterator[Item]:
    """Yield, in input order, an Article or an IngestError for each article or bad input.

    `paths`: files, directories (recursed in sorted order, hidden entries skipped, only known
    extensions) and "-" for stdin (`stdin`, default sys.stdin; its kind is sniffed).
    `published`: fallback ISO date for inputs that carry no date of their own.
    `encoding`: strict decoding for text inputs (a BOM wins). Never raises for bad content;
    raises ValueError at once for bad arguments (unknown encoding, unparseable `published`).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    try:
        check_encoding(encoding)
    except (LookupError, TypeError):
        raise UsageError(f"unknown encoding {encoding!r} (try utf-8, latin-1, cp1252, utf-16)")
    fallback = published_date(published)
    if not isinstance(max_chars, int) or max_chars <= 0:
        raise UsageError(f"max_chars must be a positive integer, not {max_chars!r}")
    return _generate(list(paths), fallback, encoding, stdin, max_chars)


def _generate(paths, published, encoding, stdin, max_chars) -> Iterator[Item]:
    for p in paths:
        p = os.fspath(p)
        if p == "-":
            yield from _guard(_read_stdin(stdin, published, encoding, max_chars), STDIN)
        else:
            yield from _read_path(p, published, encoding, max_chars)


def _guard(items: Iterator[Item], origin: str) -> Iterator[Item]:
    """Safety net: an unexpected failure in one input becomes an IngestError, not a crash."""
    try:
        yield from items
    except Exception as exc:  # pragma: no cover - a bug; keep going and report it
        yield IngestError(origin, f"unexpected error while reading ({type(exc).__name__}: "
                                  f"{exc}); skipped the rest of this input; please report it")


def _os_error(path: str, exc: OSError) -> IngestError:
    if isinstance(exc, FileNotFoundError):
        return IngestError(path, "no such file or directory; check the path; skipped")
    if isinstance(exc, PermissionError):
        return IngestError(path, "permission denied; check the file's permissions; skipped")
    return IngestError(path, f"cannot read ({exc.strerror or exc}); skipped")


def _read_path(path, published, encoding, max_chars) -> Iterator[Item]:
    try:
        is_dir = os.path.isdir(path)
        if not is_dir:
            os.stat(path)
    except OSError as exc:
        yield _os_error(path, exc)
        return
    if is_dir:
        yield from _read_dir(path, published, encoding, max_chars)
        return
    kind, gz = kind_of(path)
    yield from _guard(_read_file(path, kind, gz, published, encoding, max_chars), path)


def _walk(directory: str, problems: list, seen: Optional[set] = None) -> Iterator[str]:
    """Files with known extensions under `directory`, sorted by name at every level. Each real
    directory and file is visited once: a symlink loop or a second link to the same file does not
    code an article twice (the repeat is reported)."""
    if seen is None:
        seen = set()
    try:
        st = os.stat(directory)
    except OSError as exc:
        problems.append(_os_error(directory, exc))
        return
    key = ("d", st.st_dev, st.st_ino)
    if key in seen:
        problems.append(IngestError(directory, "a link back to a directory already read (a symlink loop?); "
                                               "skipped"))
        return
    seen.add(key)
    try:
        with os.scandir(directory) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        problems.append(_os_error(directory, exc))
        return
    for e in entries:
        if e.name.startswith("."):
            continue
        try:
            if e.is_dir():
                yield from _walk(e.path, problems, seen)
            elif e.is_file() and kind_of(e.name)[0] is not None:
                fst = os.stat(e.path)
                fkey = ("f", fst.st_dev, fst.st_ino)
                if fkey in seen:
                    problems.append(IngestError(e.path, "the same file as one already read (a link to it); skipped"))
                    continue
                seen.add(fkey)
                yield e.path
        except OSError as exc:
            problems.append(_os_error(e.path, exc))


def _read_dir(directory, published, encoding, max_chars) -> Iterator[Item]:
    problems: list[IngestError] = []
    found = 0
    for path in _walk(directory, problems):
        while problems:
            yield problems.pop(0)
        found += 1
        kind, gz = kind_of(path)
        yield from _guard(_read_file(path, kind, gz, published, encoding, max_chars), path)
    yield from problems
    if not found:
        exts = " ".join(sorted(KINDS))
        yield IngestError(directory, f"no readable input files in this directory (looked for "
                                     f"{exts}, also .gz); skipped")


def _read_file(path, kind, gz, published, encoding, max_chars) -> Iterator[Item]:
    if kind == "parquet":
        yield from iter_parquet(path, published, max_chars)
        return
    try:
        f = open(path, "rb")
    except OSError as exc:
        yield _os_error(path, exc)
        return
    with f:
        stream = f
        if gz:
            try:
                magic = f.read(2)
                f.seek(0)
            except OSError as exc:
                yield _os_error(path, exc)
                return
            if not magic:
                yield IngestError(path, "empty file; nothing to read; skipped")
                return
            if magic != b"\x1f\x8b":
                yield IngestError(path, "named .gz but not gzip-compressed; rename it without "
                                        ".gz (or compress it with gzip); skipped")
                return
            stream = gzip.GzipFile(fileobj=f, mode="rb")
        yield from _read_stream(stream, path, kind, published, encoding, max_chars)


def _read_stdin(stdin, published, encoding, max_chars) -> Iterator[Item]:
    stream = stdin if stdin is not None else sys.stdin
    if stream is None:
        yield IngestError(STDIN, "no standard input available; skipped")
        return
    if stdin is None and hasattr(stream, "buffer"):
        raw = stream.buffer  # bytes, so that --encoding applies
    else:
        probe = stream.read(0)
        if isinstance(probe, str):
            raw, encoding = TextAsBytes(stream), "utf-8"  # already text
        else:
            raw = stream
    yield from _read_stream(raw, STDIN, None, published, encoding, max_chars)


def _sniff(head: bytes, encoding: str) -> str:
    s = head.decode(encoding, errors="replace").lstrip("\ufeff \t\r\n")
    if s.startswith("{"):
        return "jsonl"
    if s.startswith("["):
        return "json"
    if looks_like_html(s):
        return "html"
    return "text"


def _read_stream(raw, origin, kind, published, encoding, max_chars) -> Iterator[Item]:
    """Read one opened input (file, decompressed file or stdin) of the given or sniffed kind."""
    try:
        head = raw.read(HEAD_BYTES)
    except READ_ERRORS as exc:
        yield IngestError(origin, f"cannot read ({type(exc).__name__}: {exc}); skipped")
        return
    if not head:
        what = "empty input" if origin == STDIN else "empty file"
        yield IngestError(origin, f"{what}; nothing to read; skipped")
        return
    reason = binary_reason(head, encoding, nul_ok=kind == "jsonl")
    if reason:
        yield binary_error(origin, reason)
        return
    enc = effective_encoding(head, encoding)
    stream = io.BufferedReader(Prepend(head, raw))
    if kind is None:
        kind = _sniff(head, enc)
    if kind == "jsonl":
        yield from iter_jsonl(stream, origin, enc, published, max_chars)
        return
    limit = {"text": max_chars * 4 + 4, "html": max_chars * 10 + 4096}.get(kind, JSON_DOC_LIMIT)
    try:
        data = stream.read(limit + 1)
    except READ_ERRORS as exc:
        yield IngestError(origin, f"cannot read ({type(exc).__name__}: {exc}); the file looks "
                                  "truncated or corrupt; skipped")
        return
    if len(data) > limit:
        if kind == "json":
            yield IngestError(origin, f"JSON document too large to load whole (over {limit} "
                                      "bytes); convert it to JSON lines (.jsonl); skipped")
        else:
            yield IngestError(origin, f"article too large: more than {max_chars} chars (over "
                                      f"{limit} bytes) > max_chars; split it or raise "
                                      "--max-chars; skipped")
        return
    try:
        text = decode_bytes(data, encoding, origin)
    except IngestError as err:
        yield err
        return
    if kind == "json":
        yield from iter_json_document(text, origin, published, max_chars)
        return
    if not text.strip():
        yield IngestError(origin, "whitespace-only text; nothing to read; skipped")
        return
    if kind == "text" and len(text) > max_chars:
        yield IngestError(origin, f"article too large: {len(text)} chars > max_chars "
                                  f"({max_chars}); split it or raise --max-chars; skipped")
        return
    try:
        if kind == "html":
            yield read_html_article(text, origin, published, max_chars)
        else:
            yield read_text_article(text, origin, published)
    except IngestError as err:
        yield err


def count_inputs(paths: Iterable[str], limit_bytes: int = 2_000_000_000) -> Optional[int]:
    """How many articles `paths` hold, for a progress bar's total; None when that cannot be
    known cheaply (stdin, a whole .json document, more than `limit_bytes` to scan).

    A text or HTML file is one article, a JSON lines file one per non-blank line, a Parquet
    file its row count (from its footer). Bad inputs count as one: each gives one error."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    budget = [limit_bytes]
    total = 0
    for p in paths:
        p = os.fspath(p)
        if p == "-":
            return None
        files = list(_walk(p, [])) if os.path.isdir(p) else [p]
        for f in files:
            n = _count_file(f, budget)
            if n is None:
                return None
            total += n
    return total


def _count_file(path: str, budget: list) -> Optional[int]:
    kind, gz = kind_of(path)
    try:
        if kind == "parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
        if kind in ("text", "html"):
            return 1
        if kind != "jsonl":
            return None  # a .json document or a sniffed kind: unknown until read
        size = os.path.getsize(path)
        if size > budget[0]:
            return None
        budget[0] -= size
        with (gzip.open(path, "rb") if gz else open(path, "rb")) as f:
            return sum(1 for line in f if not line.isspace())
    except (OSError, EOFError, ValueError, ImportError):
        return 1  # unreadable: it will give one error
    except Exception:  # pyarrow's errors for a broken footer
        return 1

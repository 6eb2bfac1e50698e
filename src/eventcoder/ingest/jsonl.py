"""JSON lines (and whole .json files) -> Articles, streamed line by line."""
from __future__ import annotations

import codecs
import io
import json
import zlib
from typing import Iterator, Optional, Union

from ..model import Article
from .decode import decode_error, wide_line_codec
from .errors import IngestError
from .records import record_to_article

Item = Union[Article, IngestError]
READ_ERRORS = (OSError, EOFError, zlib.error)


def _ascii_compatible(encoding: str) -> bool:
    try:
        if codecs.lookup(encoding).name == "utf-8-sig":
            return True
        return "a{\n".encode(encoding) == b"a{\n" and not codecs.lookup(encoding).name.startswith(
            ("utf-16", "utf-32"))
    except (LookupError, UnicodeError):
        return False


def _lines(stream, limit: int):
    """(line number, line) pairs via readline(limit); an over-long line comes back as None."""
    n = 0
    while True:
        line = stream.readline(limit)
        if not line:
            return
        n += 1
        nl = "\n" if isinstance(line, str) else b"\n"
        if len(line) >= limit and not line.endswith(nl):
            while True:  # drain the rest of the over-long line without keeping it
                more = stream.readline(limit)
                if not more or more.endswith(nl):
                    break
            yield n, None
        else:
            yield n, line


def _wide_lines(stream, newline: bytes, unit: int, limit: int):
    """(line number, bytes) of a UTF-16/32 stream, split on the encoded newline at code-unit
    boundaries; an over-long line comes back as None. A leading BOM stays on line 1."""
    n = 0
    buf = b""
    start = 0  # where to look for the next newline in buf (a multiple of `unit`)
    while True:
        chunk = stream.read(1 << 16)
        if chunk:
            buf += chunk
        while True:
            i = buf.find(newline, start)
            while i >= 0 and i % unit:
                i = buf.find(newline, i + 1)
            if i < 0:
                start = max(0, (len(buf) - len(newline)) // unit * unit)
                break
            n += 1
            line = buf[:i + len(newline)]
            yield (n, line if len(line) <= limit * unit else None)
            buf = buf[i + len(newline):]
            start = 0
        if len(buf) > limit * unit:  # a line that never ends: drop what we have, count it once
            n += 1
            yield (n, None)
            while True:
                chunk = stream.read(1 << 16)
                if not chunk:
                    return
                j = chunk.find(newline)
                if j >= 0:
                    buf, start = chunk[j + len(newline):], 0
                    break
        if not chunk:
            if buf:
                n += 1
                yield (n, buf)
            return


def parse_json_line(line: str, origin: str, published: Optional[str], max_chars: int) -> Item:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return IngestError(origin, f"broken JSON line ({exc.msg}: column {exc.colno}); skipped")
    except RecursionError:
        return IngestError(origin, "broken JSON line (nested too deeply); skipped")
    try:
        return record_to_article(obj, origin, published, max_chars)
    except IngestError as err:
        return err


def iter_jsonl(stream, origin: str, encoding: str, published: Optional[str] = None,
               max_chars: int = 5_000_000) -> Iterator[Item]:
    """Articles/errors from a binary stream of JSON lines; origins are "origin:LINE"."""
    limit = max_chars * 8 + 65536
    per_line_decode = _ascii_compatible(encoding)
    if per_line_decode:
        lines = _lines(stream, limit)
    else:  # UTF-16/32: cut into lines on the encoded newline, then decode each line alone
        head = stream.peek(4)[:4] if hasattr(stream, "peek") else b""
        encoding, newline, unit = wide_line_codec(head, encoding)
        lines = _wide_lines(stream, newline, unit, limit)
    seen_records = False
    last = 0
    while True:
        try:
            item = next(lines, None)
        except UnicodeDecodeError as exc:  # only in whole-stream (UTF-16/32) mode
            yield decode_error(f"{origin}:{last + 1}", exc, encoding, line=None)
            return
        except READ_ERRORS as exc:
            yield IngestError(f"{origin}:{last + 1}", f"could not read past line {last} "
                              f"({type(exc).__name__}: {exc}); the file looks truncated or "
                              "corrupt; stopped reading this file")
            return
        if item is None:
            break
        lineno, raw = item
        last = lineno
        where = f"{origin}:{lineno}"
        if raw is None:
            seen_records = True
            yield IngestError(where, f"line too long (over {limit} characters); skipped")
            continue
        if isinstance(raw, bytes):
            try:
                line = raw.decode(encoding, errors="strict")
            except UnicodeDecodeError as exc:  # this line alone, named (one result per line)
                seen_records = True
                yield decode_error(where, exc, encoding, line=None)
                continue
        else:
            line = raw
        if lineno == 1 and line.startswith("\ufeff"):
            line = line[1:]
        if "\x00" in line:
            seen_records = True
            yield IngestError(where, "line contains NUL bytes (binary data); skipped")
            continue
        if not line.strip():
            continue
        seen_records = True
        yield parse_json_line(line, where, published, max_chars)
    if not seen_records:
        yield IngestError(origin, "no JSON lines found (the file is blank); skipped")


def iter_json_document(text: str, origin: str, published: Optional[str] = None,
                       max_chars: int = 5_000_000) -> Iterator[Item]:
    """A whole .json file: an array of article objects, one object, or (fallback) JSON lines."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # several objects, one a line: JSON lines after all
            yield from _jsonl_from_text(text, origin, published, max_chars)
            return
        yield IngestError(origin, f"broken JSON ({exc.msg}: line {exc.lineno} column "
                                  f"{exc.colno}); skipped")
        return
    except RecursionError:
        yield IngestError(origin, "broken JSON (nested too deeply); skipped")
        return
    if isinstance(doc, list):
        if not doc:
            yield IngestError(origin, "the JSON array is empty; nothing to read; skipped")
        for i, obj in enumerate(doc, 1):
            try:
                yield record_to_article(obj, f"{origin}:item {i}", published, max_chars,
                                        what="item")
            except IngestError as err:
                yield err
        return
    try:
        yield record_to_article(doc, origin, published, max_chars, what="the JSON document")
    except IngestError as err:
        yield err


def _jsonl_from_text(text: str, origin: str, published, max_chars) -> Iterator[Item]:
    for lineno, line in enumerate(text.splitlines(), 1):
        if line.strip():
            yield parse_json_line(line, f"{origin}:{lineno}", published, max_chars)

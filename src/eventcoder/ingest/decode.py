"""Bytes -> text, strictly, with BOM handling and clear errors for binary or mis-encoded input."""
from __future__ import annotations

import codecs
import io
from typing import Optional

from .errors import IngestError

_BOMS = (  # longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (
    (b"%PDF", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx)"),
    (b"\x89PNG", "a PNG image"), (b"GIF8", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "gzip-compressed data (pass it as a path ending in .gz, e.g. file.jsonl.gz)"),
    (b"PAR1", "a Parquet file (pass it as a path ending in .parquet)"), (b"\x7fELF", "an executable"),
    (b"BZh", "bzip2-compressed data"), (b"\xfd7zXZ", "xz-compressed data"),
    (b"SQLite format 3", "an SQLite database"),
)


def bom_encoding(head: bytes) -> Optional[str]:
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return enc
    return None


def check_encoding(encoding: str) -> str:
    """The codec's canonical name; raises LookupError for an unknown encoding."""
    return codecs.lookup(encoding).name


def is_wide(encoding: str) -> bool:
    """True for encodings where ASCII text contains NUL bytes (UTF-16/32)."""
    return codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))


def effective_encoding(head: bytes, encoding: str) -> str:
    """The encoding to decode with: a BOM wins over the requested one."""
    bom = bom_encoding(head)
    if bom:
        return bom
    if codecs.lookup(encoding).name == "utf-8":
        return "utf-8-sig"  # harmless without a BOM
    return encoding


def binary_reason(head: bytes, encoding: str, nul_ok: bool = False) -> Optional[str]:
    """Why `head` looks like binary data rather than text, or None. `nul_ok`: NUL bytes alone do
    not make it binary (JSON lines, where a NUL costs only its own line)."""
    if bom_encoding(head):
        return None
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if b"\x00" in head and not is_wide(encoding) and not nul_ok:
        return "binary data (contains NUL bytes)"
    return None


def wide_line_codec(head: bytes, encoding: str) -> tuple[str, bytes, int]:
    """For a UTF-16/32 stream: (codec without BOM handling, the encoded newline, code unit size),
    so the stream can be cut into lines before decoding and one bad unit costs only its line."""
    name = codecs.lookup(encoding).name
    if head.startswith(codecs.BOM_UTF32_LE) or name == "utf-32-le":
        codec = "utf-32-le"
    elif head.startswith(codecs.BOM_UTF32_BE) or name == "utf-32-be":
        codec = "utf-32-be"
    elif name.startswith("utf-32"):
        codec = "utf-32-le"
    elif head.startswith(codecs.BOM_UTF16_BE) or name == "utf-16-be":
        codec = "utf-16-be"
    else:
        codec = "utf-16-le"
    return codec, "\n".encode(codec), 4 if codec.startswith("utf-32") else 2


def binary_error(origin: str, reason: str) -> IngestError:
    return IngestError(origin, f"not a text file: looks like {reason}; skipped "
                               "(eventcoder reads .txt, .jsonl, .json, .html, .parquet)")


def decode_error(origin: str, exc: UnicodeDecodeError, encoding: str, data: bytes = b"",
                 line: Optional[int] = None) -> IngestError:
    enc = "utf-8" if encoding == "utf-8-sig" else encoding
    bad = exc.object[exc.start:exc.start + 1] if exc.object else b""
    where = f" at line {line}" if line else ""
    if data and line is None:
        where = " at line %d" % (data.count(b"\n", 0, exc.start) + 1)
    return IngestError(origin, f"not valid {enc} text (byte 0x{bad.hex() or '??'}{where}: "
                               f"{exc.reason}); if it uses another encoding, pass --encoding "
                               "(e.g. --encoding latin-1 or --encoding cp1252); skipped")


def decode_bytes(data: bytes, encoding: str, origin: str) -> str:
    """Strict decode of a whole input; raises IngestError for binary or undecodable data."""
    reason = binary_reason(data[:8192], encoding)
    if reason:
        raise binary_error(origin, reason)
    enc = effective_encoding(data[:4], encoding)
    try:
        text = data.decode(enc, errors="strict")
    except UnicodeDecodeError as exc:
        raise decode_error(origin, exc, enc, data) from None
    if "\x00" in text:
        raise binary_error(origin, "binary data (contains NUL characters)")
    return text


class Prepend(io.RawIOBase):
    """A readable raw stream that returns `head` and then the rest of `stream`."""

    def __init__(self, head: bytes, stream) -> None:
        self._head = memoryview(head)
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        if len(self._head):
            n = min(len(b), len(self._head))
            b[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._stream.read(len(b))
        if not data:
            return 0
        b[:len(data)] = data
        return len(data)


class TextAsBytes(io.RawIOBase):
    """A binary UTF-8 view of a text stream (e.g. an io.StringIO given as stdin)."""

    def __init__(self, stream) -> None:
        self._stream = stream
        self._buf = b""

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        while not self._buf:
            chunk = self._stream.read(8192)
            if not chunk:
                return 0
            self._buf = chunk.encode("utf-8", errors="surrogatepass")
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n

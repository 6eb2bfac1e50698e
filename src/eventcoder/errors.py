"""EventcoderError: the one base of the errors a user sees, and the one JSON shape they take.

An EventcoderError says in one line what is wrong, names the input it is about (`input`: a path,
``path:line``, a parameter), and what to do (`hint`). The CLI prints any of them as
``eventcoder COMMAND: message`` and exits with `exit_code` (cli.main); the HTTP API and the
dashboard's JSON endpoints answer them with `http_status` and `error_body` (api.create_app).

The subclasses stay where their errors arise (StoreError in store.py, QueryError in query.py,
IngestError in ingest/errors.py, ...); this module holds the base and the errors of no one module.
"""
from __future__ import annotations

from typing import Any, Optional


class EventcoderError(Exception):
    """A problem the user can fix: a bad input, a missing file or model, a busy store.

    `message` is one line naming the input; `input` is that input on its own (or None); `hint`
    is what to do, added to the message in brackets. Subclasses set `exit_code` (CLI) and
    `http_status` (API) when 2 and 400 do not fit."""

    exit_code = 2
    http_status = 400
    input: Optional[str] = None
    hint: Optional[str] = None

    def __init__(self, message: str = "", *, input: Optional[str] = None, hint: Optional[str] = None):
        super().__init__(message)
        self.message = message
        if input is not None:
            self.input = input
        if hint is not None:
            self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class UsageError(EventcoderError, ValueError):
    """An option or argument value that cannot be used (an unknown encoding, a bad date, ...).
    Also a ValueError, which is what callers of the library caught before."""


def error_body(status: int, message: str, *, type: str = "error", input: Any = None,
               detail: Any = None) -> dict:
    """The one JSON error shape of the HTTP API and the dashboard's JSON endpoints:
    ``{"error": message, "status": status, "type": name, "input": ..., "detail": ...}``
    (`input` and `detail` only when there is one)."""
    body = {"error": message, "status": status, "type": type}
    if input is not None:
        body["input"] = input
    if detail is not None:
        body["detail"] = detail
    return body


def error_of(exc: EventcoderError) -> tuple[int, dict]:
    """The HTTP status and JSON body of an EventcoderError."""
    status = int(getattr(exc, "http_status", 400))
    return status, error_body(status, str(exc), type=type(exc).__name__, input=exc.input)


__all__ = ["EventcoderError", "UsageError", "error_body", "error_of"]

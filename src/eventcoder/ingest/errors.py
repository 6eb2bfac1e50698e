"""IngestError: one clear, reportable problem with one input (or one line/row of it)."""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import EventcoderError


@dataclass
class IngestError(EventcoderError):
    """A problem with one input, yielded by `read_inputs` in place of an Article.

    `origin` names the input: a path, ``path:line`` for line-based inputs, ``path:row N`` for
    Parquet, or ``<stdin>`` / ``<stdin>:3``. `message` says what is wrong and what to do.
    It is also an Exception, so `read_text_article` can raise it.
    """

    origin: str
    message: str

    __hash__ = Exception.__hash__

    def __post_init__(self) -> None:
        Exception.__init__(self, self.origin, self.message)

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"

    @property
    def input(self) -> str:  # EventcoderError.input: the input it names
        return self.origin

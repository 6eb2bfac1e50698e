"""eventcoder: political event data from news, with evidence for every record."""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["code_text", "read_events", "__version__"]


def code_text(text: str, published: str | None = None, **kwargs):
    """Code one article's text into a list of Event records (see eventcoder.model.Event)."""
    from .coder import code_text as _code_text

    return _code_text(text, published=published, **kwargs)


def read_events(path, **kwargs):
    """A pandas DataFrame of an events file with CAMEO codes and ids kept as text ("040" stays
    "040"); see eventcoder.reading."""
    from .reading import read_events as _read

    return _read(path, **kwargs)

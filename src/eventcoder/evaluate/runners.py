"""Where the reference data lives, and coding gold texts with the coder (the metrics need no model)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional, Sequence

from ..model import Article
from ..settings import default

#: The repository (src/eventcoder/evaluate/runners.py -> the checkout); ../shared sits beside it.
_REPO = Path(__file__).resolve().parents[3]


def shared_data_dir() -> Path:
    """Where the shared reference data lives: $EVENTCODER_SHARED/data, else ../shared/data next to
    the repository (src layout), else ./../shared/data from the working directory."""
    env = os.environ.get("EVENTCODER_SHARED")
    candidates = []
    if env:
        candidates.append(Path(env) / "data")
    candidates.append(_REPO.parent / "shared" / "data")
    candidates.append(Path.cwd().parent / "shared" / "data")
    for c in candidates:
        if c.exists():
            return c
    return candidates[0]


def data_path(given: Optional[str], *parts: str) -> Path:
    """The path the user gave, else `parts` under shared_data_dir() (the commands' defaults)."""
    return Path(given) if given else shared_data_dir().joinpath(*parts)


def code_texts(items: Sequence[tuple[str, str, Optional[str]]], model: Optional[str] = None,
               processes: int = 1, batch_size: int = default("batch_size"), coder: Any = None) -> dict[str, tuple[list, Optional[str]]]:
    """Code (id, text, published) items as articles; returns id -> (events, error).

    `coder` may be any object with `code_articles(iterable_of_Article)` yielding results with
    `.article`, `.events` and `.error` (tests pass a fake)."""
    if coder is None:
        from .coder import Coder  # imported here: the metrics do not need a model
        coder = Coder(model=model, processes=processes, batch_size=batch_size)
    articles = (Article(article_id=i, text=t, published=d) for i, t, d in items)
    out: dict[str, tuple[list, Optional[str]]] = {}
    for res in coder.code_articles(articles):
        art = getattr(res, "article", None)
        if art is None:  # something passed through that is not a coded article
            continue
        out[art.article_id] = (list(getattr(res, "events", None) or []), getattr(res, "error", None))
    return out

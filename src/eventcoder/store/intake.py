"""The ingest loop: a stream of articles, coded articles and ingest errors in; batches committed.

Stored or duplicate articles are skipped before they are coded; plain articles are fed lazily
into ONE `coder.code_articles()` call (so a streaming or parallel coder keeps its pipeline full);
every `batch_size` coded articles are written in one transaction (eventcoder.store.writing).
`Store.ingest` runs `ingest(store, items, ...)`.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Optional

from ..coder import CodedArticle
from ..model import Article

DEFAULT_BATCH_SIZE = 64

# What the store needs from a coded article: the coder's own record type.
Coded = CodedArticle


@dataclass
class IngestSummary:
    read: int = 0
    stored: int = 0
    skipped: int = 0
    failed: int = 0
    events: int = 0
    quotes: int = 0
    positions: int = 0
    batches: int = 0
    changed: int = 0  # skipped because their id is stored with other text
    undated: int = 0  # stored without a publication date (their events are undated)
    changed_ids: list = field(default_factory=list)  # the first 20 of those
    elapsed: float = 0.0
    errors: list = field(default_factory=list)  # (origin, message), the first 100

    def to_dict(self) -> dict:
        d = {k: getattr(self, k) for k in ("read", "stored", "skipped", "changed", "failed", "events",
                                            "quotes", "positions", "batches", "undated")}
        d["changed_ids"] = list(self.changed_ids)
        d["elapsed"] = round(self.elapsed, 3)
        d["errors"] = [{"origin": o, "message": m} for o, m in self.errors]
        return d

    def line(self) -> str:
        return (f"articles read {self.read}, stored {self.stored}, skipped {self.skipped}, "
                f"failed {self.failed}; events {self.events}, quotes {self.quotes}"
                f"{f', undated articles {self.undated}' if self.undated else ''}; {self.elapsed:.1f}s")

    def _error(self, origin, message) -> None:
        self.failed += 1
        if len(self.errors) < 100:
            self.errors.append((origin, message))


def _is_coded(item) -> bool:
    return hasattr(item, "article") and hasattr(item, "events")


def _is_article(item) -> bool:
    return isinstance(item, Article) or (hasattr(item, "text") and hasattr(item, "article_id")
                                         and not _is_coded(item))


def load_coder(spec: Optional[str] = None, **kwargs):
    """A coder: `module:factory` from `spec` (or $EVENTCODER_CODER), else eventcoder.coder.Coder."""
    import importlib
    import os

    spec = spec or os.environ.get("EVENTCODER_CODER")
    if spec:
        mod, _, attr = spec.partition(":")
        factory = getattr(importlib.import_module(mod), attr or "Coder")
        return factory(**kwargs) if kwargs else factory()
    from ..coder import Coder  # the real pipeline (spaCy)

    return Coder(**kwargs)


def _drain(side: list) -> Iterator:
    while side:
        yield side.pop(0)


def ingest(store, items: Iterable, coder=None, batch_size: int = DEFAULT_BATCH_SIZE,
           progress: bool = False, on_batch: Optional[Callable[[IngestSummary], None]] = None,
           total: Optional[int] = None, release: bool = False) -> IngestSummary:
    """Code (when needed) and store `items` in `store`; see `Store.ingest`."""
    summary = IngestSummary()
    t0 = time.perf_counter()
    known_ids, known_hashes = store.known_keys()
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=total, unit=" articles", file=sys.stderr, dynamic_ncols=True,
                   mininterval=0.5)

    def tick() -> None:  # one article done: stored, skipped or failed
        if bar is not None:
            bar.update(1)

    def fail(origin, message) -> None:
        summary._error(origin, message)
        tick()

    def fresh(item) -> bool:
        a = item.article if _is_coded(item) else item
        if not a.article_id:
            a.article_id = Article.content_id(a.text or "")
        h = Article.content_id(a.text or "")
        if a.article_id in known_ids or h in known_hashes:
            summary.skipped += 1
            tick()
            if a.article_id in known_ids and h not in known_hashes:
                # the same id with other text: the stored version is kept, and we say so
                summary.changed += 1
                if len(summary.changed_ids) < 20:
                    summary.changed_ids.append(a.origin or a.article_id)
            return False
        known_ids.add(a.article_id)
        known_hashes.add(h)
        return True

    def storable(item) -> Optional[str]:
        """"coded" or "article" for an item to store; None for one stored already (counted as
        skipped) or that is neither (an ingest error, counted as failed)."""
        if _is_coded(item):
            return "coded" if fresh(item) else None
        if _is_article(item):
            return "article" if fresh(item) else None
        fail(getattr(item, "origin", None), getattr(item, "message", None) or str(item))
        return None

    # One stream of things to store. Coded articles met among plain ones go to a side list
    # drained between the coder's outputs.
    side: list = []

    def source() -> Iterator:
        for item in items:
            summary.read += 1
            yield item

    def articles(it) -> Iterator:
        for item in it:
            kind = storable(item)
            if kind == "coded":
                side.append(item)
            elif kind == "article":
                yield item

    def stream() -> Iterator:
        nonlocal coder
        it = source()
        first = None
        for item in it:  # find the first storable thing to choose the mode
            kind = storable(item)
            if kind:
                first = (kind, item)
                break
        if first is None:
            return
        if first[0] == "coded":  # already coded: no coder needed
            yield first[1]
            for item in it:
                kind = storable(item)
                if kind == "coded":
                    yield item
                elif kind == "article":  # a plain article in a coded stream: code it alone
                    if coder is None:
                        coder = load_coder()
                    yield from coder.code_articles(iter([item]))
            return
        if coder is None:
            coder = load_coder()

        def with_first() -> Iterator:
            yield first[1]
            yield from articles(it)

        for c in coder.code_articles(with_first()):
            yield c
            yield from _drain(side)
        yield from _drain(side)

    batch: list = []

    def commit() -> None:
        nonlocal batch
        if batch:
            n = store.write_batch(batch)
            # what was stored, not what was coded: an article already in the store adds nothing
            summary.stored += n
            summary.events += store.last_counts["events"]
            summary.quotes += store.last_counts["quotes"]
            summary.positions += store.last_counts["positions"]
            summary.undated += store.last_counts["undated"]
            summary.batches += 1
            batch = []
            if release:
                store.release()
            summary.elapsed = time.perf_counter() - t0
            if bar is not None:
                bar.set_postfix(stored=summary.stored, events=summary.events, refresh=False)
            if on_batch:
                on_batch(summary)

    try:
        for c in stream():
            if getattr(c, "error", None):
                fail(c.article.origin or c.article.article_id, c.error)
                continue
            batch.append(c)
            tick()
            if len(batch) >= batch_size:
                commit()
        commit()
    finally:
        if bar is not None:
            bar.close()
        summary.elapsed = time.perf_counter() - t0
    return summary

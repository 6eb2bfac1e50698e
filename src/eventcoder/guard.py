"""A per-article time limit around a coder's stream: `guarded_stream(coder, items, time_limit)`.

The articles are coded in a forked child process (eventcoder.isolate) and a result later than
`time_limit` seconds, or a child that dies (memory, a crash in C code), gets the child killed;
the articles of that batch without a result are re-coded one at a time in a new child, and an
article that fails alone becomes an error record ("time limit exceeded", "coding process died")
while the stream goes on. Where the platform cannot fork, a watchdog thread raises
`ArticleTimeout` in the coding thread instead (between bytecodes only). `rescue=True` codes one
article at a time, for a shard that failed as a whole. Used by `code`, `ingest` and every cluster
task (`--time-limit`); see docs/reliability.md.
"""
from __future__ import annotations

import collections
import ctypes
import threading
import time
from typing import Iterable, Iterator, Optional

DEFAULT_TIME_LIMIT = 120.0


class ArticleTimeout(BaseException):
    """Raised in the coding thread by the watchdog (a BaseException so `except Exception` in the
    pipeline does not swallow it)."""


class _Watchdog:
    """Raises ArticleTimeout in one thread when an armed step outlives its deadline."""

    def __init__(self, limit: float):
        self.limit = float(limit)
        self.tid = threading.get_ident()
        self.lock = threading.Lock()
        self.deadline: Optional[float] = None
        self.fired = False
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="eventcoder-watchdog", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        tick = min(0.1, self.limit / 10)
        while not self._stop.wait(tick):
            with self.lock:
                if self.deadline is not None and not self.fired and time.monotonic() > self.deadline:
                    self.fired = True
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.tid),
                                                               ctypes.py_object(ArticleTimeout))

    def arm(self) -> None:
        with self.lock:
            self.fired = False
            self.deadline = time.monotonic() + self.limit

    def disarm(self) -> None:
        with self.lock:
            self.deadline = None
            if self.fired:  # fired but not yet raised: cancel the pending exception
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.tid), None)
                self.fired = False

    def step(self, gen):
        """next(gen) under the limit; StopIteration passes through."""
        self.arm()
        try:
            return next(gen)
        finally:
            try:
                self.disarm()
            except ArticleTimeout:  # delivered just after the step returned: ignore
                pass

    def close(self) -> None:
        self._stop.set()
        self.deadline = None


def guarded_stream(coder, items: Iterable, time_limit: Optional[float] = DEFAULT_TIME_LIMIT,
                   isolate: Optional[bool] = None, rescue: bool = False) -> Iterator:
    """`coder.code_articles(items)` with a per-result time limit (None or 0: no limit).

    Order is kept; an article that exceeds the limit alone is yielded as a CodedArticle with an
    error; every other item comes out exactly once. `isolate` (default: when the platform can
    fork and the coder codes in this process): code in a child process that is killed at the
    limit (`eventcoder.isolate`); otherwise a watchdog thread raises ArticleTimeout in the coding
    thread. `rescue`: one article at a time (isolated), for a shard that failed as a whole.
    """
    from . import isolate as iso

    if not time_limit and not rescue:
        yield from coder.code_articles(items)
        return
    if isolate is None:
        isolate = iso.available() and getattr(coder, "processes", 1) <= 1
    if isolate or rescue:
        yield from iso.isolated_stream(coder, items, time_limit, rescue=rescue)
        return
    from .coder import CodedArticle
    from .model import Article

    src = iter(items)
    dog = _Watchdog(time_limit)
    inflight: collections.deque = collections.deque()  # consumed by the coder, not yet output

    def tracked():
        for it in src:
            inflight.append(it)
            yield it

    def forget(res) -> None:
        key = getattr(res, "article", res)
        for i, x in enumerate(inflight):
            if x is key or x is res:
                del inflight[i]
                return

    try:
        while True:
            gen = coder.code_articles(tracked())
            try:
                while True:
                    try:
                        res = dog.step(gen)
                    except StopIteration:
                        return
                    forget(res)
                    yield res
            except ArticleTimeout:
                try:
                    gen.close()
                except BaseException:  # noqa: BLE001 - the generator is abandoned either way
                    pass
                redo = list(inflight)
                inflight.clear()
                for it in redo:  # one at a time, so the slow article is found
                    if not isinstance(it, Article):
                        yield it
                        continue
                    one = coder.code_articles(iter([it]))
                    try:
                        res = dog.step(one)
                    except ArticleTimeout:
                        try:
                            one.close()
                        except BaseException:  # noqa: BLE001
                            pass
                        yield CodedArticle(it, error=(
                            f"time limit exceeded: coding took more than {time_limit:g}s; skipped "
                            "(raise --time-limit, or split the article)"))
                        continue
                    except StopIteration:
                        continue
                    yield res
    finally:
        dog.close()

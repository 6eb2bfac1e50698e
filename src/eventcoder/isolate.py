"""Coding in a child process that can be killed: a per-article time limit nothing can swallow.

    for res in isolated_stream(coder, items, time_limit=120):
        ...

The coder runs in a forked child (it inherits the loaded model, so nothing is loaded twice);
the parent sends it batches of articles and waits for each result with `select` and a deadline.
When a result is late, or the child dies (killed for memory, a crash inside C code), the parent
kills the child, forks a new one and codes the articles of that batch that had no result yet one
at a time; an article that fails alone becomes an error record ("time limit exceeded", "coding
process died ...") and the stream goes on. Unlike an exception raised in the coding thread (the
watchdog of `eventcoder.guard.guarded_stream`), a killed process cannot be caught by a `try` or
land in someone else's hook (Dask's garbage-collection callback swallowed it), and a C call that
never returns is stopped too.

`rescue=True` sends the articles one at a time (a batch of one): the mode a shard that failed
for good is re-run in, so only the article that kills its process is lost.

Needs `os.fork` (Linux, macOS); `available()` says whether it can be used.
"""
from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import time
from typing import Iterable, Iterator, Optional

_HEADER = struct.Struct("!Q")


def available() -> bool:
    return hasattr(os, "fork")


# ------------------------------------------------------------------ framing
def _send(fd: int, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _read_exact(fd: int, n: int, deadline: Optional[float]) -> Optional[bytes]:
    """n bytes from fd, or None on EOF; raises TimeoutError when the deadline passes."""
    buf = bytearray()
    while len(buf) < n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                raise TimeoutError
        chunk = os.read(fd, min(n - len(buf), 1 << 20))
        if not chunk:
            return None
        buf.extend(chunk)
    return bytes(buf)


def _recv(fd: int, deadline: Optional[float] = None):
    """The next object, or raises EOFError (the other side is gone) / TimeoutError."""
    head = _read_exact(fd, _HEADER.size, deadline)
    if head is None:
        raise EOFError
    body = _read_exact(fd, _HEADER.unpack(head)[0], deadline)
    if body is None:
        raise EOFError
    return pickle.loads(body)


# ------------------------------------------------------------------ the child
def _child_main(coder, rfd: int, wfd: int) -> None:
    """Code each batch received; send ("ok", result) per article, then ("end", None)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    while True:
        try:
            batch = _recv(rfd)
        except EOFError:
            return
        if batch is None:
            return
        try:
            for res in coder.code_articles(batch):
                _send(wfd, ("ok", res))
        except Exception as exc:  # noqa: BLE001 - reported; the parent re-codes one by one
            _send(wfd, ("fail", f"{type(exc).__name__}: {exc}"))
            continue
        _send(wfd, ("end", None))


class _Child:
    def __init__(self, coder):
        p_r, c_w = os.pipe()   # child -> parent
        c_r, p_w = os.pipe()   # parent -> child
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            code = 0
            try:
                os.close(p_r)
                os.close(p_w)
                _child_main(coder, c_r, c_w)
            except BaseException:  # noqa: BLE001
                code = 1
            finally:
                os._exit(code)
        os.close(c_r)
        os.close(c_w)
        self.pid, self.rfd, self.wfd = pid, p_r, p_w
        self.status: Optional[int] = None

    def kill(self) -> str:
        """Kill and reap the child; returns how it ended ("killed", "exit status 1", "signal 9")."""
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                _, self.status = os.waitpid(self.pid, 0)
            except ChildProcessError:
                self.status = 0
        for fd in (self.rfd, self.wfd):
            try:
                os.close(fd)
            except OSError:
                pass
        return _how(self.status)

    def died(self) -> str:
        """After EOF: reap and describe the child's end (before any kill of ours)."""
        try:
            _, self.status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            self.status = 0
        return self.kill()

    def close(self) -> None:
        if self.status is None:
            try:
                _send(self.wfd, None)
            except OSError:
                pass
        self.kill()


def _how(status: Optional[int]) -> str:
    if status is None:
        return "unknown"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        hint = " (out of memory?)" if sig == signal.SIGKILL else ""
        return f"killed by {name}{hint}"
    return f"exit status {os.WEXITSTATUS(status)}"


# ------------------------------------------------------------------ the parent
def isolated_stream(coder, items: Iterable, time_limit: Optional[float] = 120.0,
                    batch_size: Optional[int] = None, rescue: bool = False) -> Iterator:
    """`coder.code_articles(items)` in a killable child; order kept; every item out once.

    `time_limit`: seconds allowed for each result (None: no limit, a dead child is still
    survived). `batch_size`: articles sent to the child at a time (default: the coder's).
    """
    from .coder import CodedArticle
    from .model import Article

    size = 1 if rescue else max(1, int(batch_size or getattr(coder, "batch_size", 32) or 32))
    limit = float(time_limit) if time_limit else None
    child: Optional[_Child] = None

    def run(batch: list):
        """Yields (result, None) per article as they come; on a late result, a dead child or a
        stream that raised, yields (None, reason) once and stops (the child is gone unless the
        stream raised)."""
        nonlocal child
        if child is None:
            child = _Child(coder)
        try:
            _send(child.wfd, batch)
        except OSError:
            how, child = child.died(), None
            yield None, f"coding process died ({how})"
            return
        for _ in range(len(batch) + 1):
            deadline = time.monotonic() + limit if limit else None
            try:
                kind, payload = _recv(child.rfd, deadline)
            except TimeoutError:
                child.kill()
                child = None  # before the yield: the caller may start the next child meanwhile
                yield None, f"time limit exceeded: coding took more than {limit:g}s"
                return
            except EOFError:
                how, child = child.died(), None
                yield None, f"coding process died ({how})"
                return
            if kind == "end":
                return
            if kind == "fail":
                yield None, f"coding failed: {payload}"
                return
            yield payload, None

    def code(batch: list) -> Iterator:
        done = 0
        for res, reason in run(batch):
            if reason is None:
                done += 1
                yield res
                continue
            rest = batch[done:]
            if len(batch) == 1:
                hint = ("raise --time-limit, or split the article" if reason.startswith("time")
                        else "please report this article")
                yield CodedArticle(rest[0], error=f"{reason}; skipped ({hint})")
                return
            for one in rest:  # one at a time, so the article at fault is found
                yield from code([one])
            return

    try:
        batch: list = []
        for it in items:
            if isinstance(it, Article):
                batch.append(it)
                if len(batch) >= size:
                    yield from code(batch)
                    batch = []
                continue
            if batch:
                yield from code(batch)
                batch = []
            yield it
        if batch:
            yield from code(batch)
    finally:
        if child is not None:
            child.close()

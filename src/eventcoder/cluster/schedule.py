"""Running every shard on a Dask cluster: `run_sharded(inputs, out_dir, ...)`.

Shards already finished (a done-marker with the same fingerprint) are skipped; a task that raised
is retried (`retries`), a task whose worker died is re-run by the scheduler, and a shard that still
fails as a whole is re-run once with `rescue`: one article at a time in a killable child, so only
the article at fault is lost and named.
"""
from __future__ import annotations

import json
import logging
import os
import time
from typing import Any, Iterable, Optional

from ..guard import DEFAULT_TIME_LIMIT
from .manifest import MANIFEST_DIR, Manifest, ShardResult, _atomic_write_text, read_marker
from .shards import expand_inputs, fingerprint, shard_id
from .worker import code_shard

log = logging.getLogger("eventcoder.cluster")


def _client(client_or_address, workers: Optional[int]):
    """(client, owned cluster or None). Starts a LocalCluster when no address is given."""
    from distributed import Client, LocalCluster

    if client_or_address is not None and not isinstance(client_or_address, str):
        return client_or_address, None
    if isinstance(client_or_address, str) and client_or_address:
        return Client(client_or_address), None
    cluster = LocalCluster(n_workers=max(1, int(workers or 1)), threads_per_worker=1,
                           processes=True, dashboard_address=None)
    return Client(cluster), cluster


def run_sharded(inputs: Iterable[str], out_dir: str, client_or_address: Any = None,
                workers: Optional[int] = None, model: Optional[str] = None, batch_size: int = 32,
                quotes: bool = False, prefilter: bool = False, published: Optional[str] = None,
                max_chars: int = 1_000_000, time_limit: Optional[float] = DEFAULT_TIME_LIMIT,
                retries: int = 2, force: bool = False, coder: Optional[str] = None,
                on_shard=None, events: str = "learned", event_model: Optional[str] = None,
                min_confidence: Optional[float] = None, dictionaries: Optional[list] = None) -> Manifest:
    """Code every input shard on a Dask cluster into `out_dir`; returns the Manifest.

    `client_or_address`: a `distributed.Client`, a scheduler address ("tcp://host:8786"), or None
    to start a local cluster of `workers` processes (one thread each). Shards already finished (a
    done-marker with the same fingerprint) are skipped unless `force`. `retries`: re-runs of a
    task that raised; a task whose worker died is re-run by the scheduler (up to
    `distributed.scheduler.allowed-failures`). `coder`: optional "module:factory" (tests).
    `on_shard(result_dict)` is called as each shard finishes.
    """
    from distributed import as_completed

    t0 = time.perf_counter()
    out_dir = os.path.abspath(os.fspath(out_dir))
    os.makedirs(os.path.join(out_dir, MANIFEST_DIR), exist_ok=True)
    shards = list(dict.fromkeys(expand_inputs(inputs)))
    options = {"model": model, "batch_size": batch_size, "quotes": quotes, "prefilter": prefilter,
               "published": published, "max_chars": max_chars, "time_limit": time_limit}
    if events != "learned" or event_model or min_confidence is not None:  # the defaults keep old fingerprints
        options.update(events=events, event_model=event_model and os.path.abspath(event_model),
                       min_confidence=min_confidence)
    if dictionaries:  # (absent by default: the defaults keep old fingerprints)
        options["dictionaries"] = tuple(os.path.abspath(p) for p in dictionaries)
    if coder:
        options["coder"] = coder
    manifest = Manifest(out_dir)
    todo = []
    for s in shards:
        sid = shard_id(s)
        try:
            fp = fingerprint(s)
        except (OSError, ValueError) as exc:
            manifest.shards.append(ShardResult(shard=s, shard_id=sid, fingerprint={"path": s},
                                               status="failed", failed=1, errors=[{
                                                   "origin": s, "message": f"cannot read: {exc}"}]))
            continue
        mark = None if force else read_marker(out_dir, sid)
        if mark and mark.get("status") == "done" and mark.get("fingerprint") == fp:
            r = ShardResult(**{k: v for k, v in mark.items() if k in ShardResult.__dataclass_fields__})
            r.skipped = True
            manifest.shards.append(r)
            continue
        todo.append(s)
    if todo:
        client, cluster = _client(client_or_address, workers)
        try:
            futures = client.map(code_shard, todo, out_dir=out_dir, options=options,
                                 retries=retries, pure=False,
                                 key=[f"eventcoder-shard-{shard_id(s)}-{int(time.time() * 1000)}"
                                      for s in todo])
            by_key = {f.key: s for f, s in zip(futures, todo)}
            rescued: set = set()
            pending = as_completed(futures)
            for fut in pending:
                s = by_key[fut.key]
                try:
                    d = fut.result()
                    r = ShardResult(**{k: v for k, v in d.items()
                                       if k in ShardResult.__dataclass_fields__})
                except Exception as exc:  # noqa: BLE001 - the shard failed for good
                    why = f"{type(exc).__name__}: {exc}"
                    if s not in rescued:  # once more, one article at a time in a killable child
                        rescued.add(s)
                        log.warning("shard %s failed (%s); re-running it article by article", s, why)
                        again = client.submit(
                            code_shard, s, out_dir=out_dir, pure=False,
                            options=dict(options, rescue=why),
                            key=f"eventcoder-rescue-{shard_id(s)}-{int(time.time() * 1000)}")
                        by_key[again.key] = s
                        pending.add(again)
                        continue
                    r = ShardResult(shard=s, shard_id=shard_id(s), fingerprint={"path": s},
                                    status="failed", rescued=why,
                                    errors=[{"origin": s, "message": why}])
                manifest.shards.append(r)
                if on_shard is not None:
                    on_shard(r.to_dict())
        finally:
            if cluster is not None:
                client.close()
                cluster.close()
    order = {s: i for i, s in enumerate(shards)}
    manifest.shards.sort(key=lambda r: order.get(r.shard, len(order)))
    manifest.elapsed = time.perf_counter() - t0
    _atomic_write_text(os.path.join(out_dir, "manifest.json"),
                       json.dumps(manifest.to_dict(), ensure_ascii=False, indent=1))
    return manifest

"""What a run and each shard report: `ShardResult` (one shard's done-marker, written last, as
out/_manifest/<shard>.json) and `Manifest` (the run's summary, out/manifest.json), written
atomically (a temporary name, then a rename).
"""
from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict, dataclass, field
from typing import Optional

MANIFEST_DIR = "_manifest"


@dataclass
class ShardResult:
    shard: str
    shard_id: str
    fingerprint: dict
    status: str = "done"          # done | failed
    articles: int = 0             # coded articles written
    events: int = 0
    quotes: int = 0
    positions: int = 0
    failed: int = 0               # ingest errors + articles that failed to code
    errors: list = field(default_factory=list)   # [{"origin", "message"}], the first 1000
    files: list = field(default_factory=list)    # relative paths written
    elapsed: float = 0.0
    cpu_seconds: float = 0.0      # CPU time of the worker process during the task
    worker: str = ""
    attempt_started: float = 0.0
    skipped: bool = False         # finished in an earlier run
    rescued: str = ""             # why the shard was re-run article by article (it failed whole)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Manifest:
    out_dir: str
    shards: list = field(default_factory=list)   # ShardResult
    elapsed: float = 0.0

    @property
    def done(self) -> list:
        return [s for s in self.shards if s.status == "done"]

    @property
    def failed_shards(self) -> list:
        return [s for s in self.shards if s.status != "done"]

    def totals(self) -> dict:
        keys = ("articles", "events", "quotes", "positions", "failed")
        t = {k: sum(getattr(s, k) for s in self.done) for k in keys}
        t["shards"] = len(self.shards)
        t["shards_skipped"] = sum(1 for s in self.shards if s.skipped)
        t["shards_failed"] = len(self.failed_shards)
        t["shards_rescued"] = sum(1 for s in self.shards if s.rescued)
        return t

    def to_dict(self) -> dict:
        return {"out_dir": self.out_dir, "elapsed": round(self.elapsed, 3), "totals": self.totals(),
                "shards": [s.to_dict() for s in self.shards]}


def _marker_path(out_dir: str, sid: str) -> str:
    return os.path.join(out_dir, MANIFEST_DIR, f"{sid}.json")


def read_marker(out_dir: str, sid: str) -> Optional[dict]:
    try:
        with open(_marker_path(out_dir, sid), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def _atomic_write_text(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.tmp-{os.getpid()}-{threading.get_ident()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)

"""Input shards: what a list of inputs expands to, what identifies a shard's content, and a local
copy of a remote one.

    expand_inputs(["corpus/", "s3://bucket/*.jsonl"])   # files as given, directories walked, globs
    fingerprint(path)   # {"path", "size", "mtime"}: a rerun skips a shard whose fingerprint is done
    shard_id(path)      # 16 hex digits, the name of the shard's output files
"""
from __future__ import annotations

import hashlib
import os
import shutil
from typing import Iterable

KNOWN_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".json", ".json.gz", ".parquet",
                  ".txt", ".txt.gz", ".html", ".htm")


def _is_url(p: str) -> bool:
    return "://" in p and not p.startswith("file://")


def expand_inputs(inputs: Iterable[str]) -> list:
    """Input shards: files as given, directories walked (sorted), globs and fsspec URLs expanded."""
    out = []
    for p in inputs:
        p = os.fspath(p)
        if _is_url(p):
            import fsspec

            if any(ch in p for ch in "*?["):
                fs, _, paths = fsspec.get_fs_token_paths(p)
                proto = p.split("://", 1)[0]
                out.extend(sorted(f"{proto}://{x}" if "://" not in x else x for x in paths))
            else:
                out.append(p)
        elif p.startswith("file://"):
            out.append(p[len("file://"):])
        elif os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if not f.startswith(".") and f.lower().endswith(KNOWN_SUFFIXES):
                        out.append(os.path.join(root, f))
        elif any(ch in p for ch in "*?["):
            import glob

            out.extend(sorted(glob.glob(p)))
        else:
            out.append(p)
    return out


def fingerprint(path: str) -> dict:
    """What identifies an input shard's content cheaply: path, size, mtime (or etag)."""
    if _is_url(path):
        import fsspec

        fs, _, (p,) = fsspec.get_fs_token_paths(path)
        info = fs.info(p)
        return {"path": path, "size": info.get("size"),
                "mtime": str(info.get("mtime") or info.get("LastModified") or info.get("ETag") or "")}
    st = os.stat(path)
    return {"path": os.path.abspath(path), "size": st.st_size, "mtime": st.st_mtime_ns}


def shard_id(path: str) -> str:
    p = path if _is_url(path) else os.path.abspath(path)
    return hashlib.sha1(p.encode("utf-8")).hexdigest()[:16]


def _localise(path: str, tmpdir: str) -> str:
    """A local file for `path`: itself, or a streamed copy of an fsspec URL (never in memory)."""
    if not _is_url(path):
        return path
    import fsspec

    name = path.rstrip("/").rsplit("/", 1)[-1] or "shard"
    local = os.path.join(tmpdir, name)
    with fsspec.open(path, "rb") as src, open(local, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    return local

"""Parquet files -> Articles, streamed batch by batch (never the whole file in memory)."""
from __future__ import annotations

import os
from typing import Iterator, Optional, Union

from ..model import Article
from .errors import IngestError
from .records import ALL_KEYS, TEXT_KEYS, record_to_article

BATCH_ROWS = 256


def iter_parquet(path: str, published: Optional[str] = None, max_chars: int = 5_000_000,
                 batch_size: int = BATCH_ROWS) -> Iterator[Union[Article, IngestError]]:
    """Rows with the JSONL columns (text, title, published/date, id, url, source).

    Origins are "path:row N", N counting from 1 across the whole file.
    """
    try:
        if os.path.getsize(path) == 0:
            yield IngestError(path, "empty file; nothing to read; skipped")
            return
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
        names = pf.schema_arrow.names
    except PermissionError:
        yield IngestError(path, "permission denied; check the file's permissions; skipped")
        return
    except Exception as exc:
        yield IngestError(path, f"not a readable Parquet file ({type(exc).__name__}: {exc}); "
                                "skipped")
        return
    cols = [c for c in names if c in ALL_KEYS]
    if not any(c in TEXT_KEYS for c in cols):
        yield IngestError(path, f"no text column (expected one of {', '.join(TEXT_KEYS)}; "
                                f"found: {', '.join(names) or 'none'}); skipped")
        return
    row = 0
    batches = pf.iter_batches(batch_size=batch_size, columns=cols)
    while True:
        try:
            batch = next(batches, None)
        except Exception as exc:  # a corrupt row group: report, stop this file
            yield IngestError(f"{path}:row {row + 1}", f"could not read rows from here "
                              f"({type(exc).__name__}: {exc}); stopped reading this file")
            return
        if batch is None:
            break
        for rec in batch.to_pylist():
            row += 1
            try:
                yield record_to_article(rec, f"{path}:row {row}", published, max_chars,
                                        what="row")
            except IngestError as err:
                yield err
    if row == 0:
        yield IngestError(path, "the Parquet file has no rows; skipped")

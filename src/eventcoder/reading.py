"""Read eventcoder's event files into pandas with the codes kept as text.

    import eventcoder
    df = eventcoder.read_events("events.jsonl")      # or .csv, .tsv/.tab, .parquet, GDELT *.export.CSV

CAMEO codes have leading zeros ("040" is not 40) and ids can look like numbers: a plain
`pd.read_csv` or `pd.read_json` turns them into integers. `read_events` reads every code and id
column as a string (and a GDELT file with GDELT's column names, all as text, as GDELT scripts do).
"""
from __future__ import annotations

from pathlib import Path

TEXT_COLUMNS = (
    "event_id", "article_id", "cluster_id", "ckey", "cameo_code", "cameo_base", "cameo_root",
    "source_code", "target_code", "source_country", "target_country", "source_sector",
    "target_sector", "location_country", "quote_id", "position_id", "responds_to",
    "EventCode", "EventBaseCode", "EventRootCode", "Actor1Code", "Actor2Code", "CAMEO Code",
    "Event ID", "Story ID",
)


def read_events(path, **kwargs):
    """A pandas DataFrame of an events file (JSON lines, CSV, TSV/.tab, Parquet, or a GDELT
    .export.CSV / .mentions.CSV file), codes and ids as strings. Extra keyword arguments go to the
    pandas reader."""
    import pandas as pd

    p = Path(path)
    name = p.name.lower()
    if name.endswith((".export.csv", ".export.csv.zip", ".mentions.csv", ".mentions.csv.zip")):
        from .export import GDELT_COLUMNS, GDELT_MENTION_COLUMNS

        cols = GDELT_MENTION_COLUMNS if ".mentions." in name else GDELT_COLUMNS
        return pd.read_csv(p, sep="\t", header=None, names=list(cols), dtype=str,
                           keep_default_na=False, na_values=[""], quoting=3, **kwargs)
    if name.endswith((".jsonl", ".ndjson", ".json", ".jsonl.gz")):
        df = pd.read_json(p, lines=not name.endswith(".json"), dtype=False, **kwargs)
        for c in TEXT_COLUMNS:  # numbers written as JSON numbers by other tools: back to text
            if c in df.columns and df[c].dtype != object:
                df[c] = df[c].astype("string")
        return df
    if name.endswith(".parquet"):
        return pd.read_parquet(p, **kwargs)
    sep = "\t" if name.endswith((".tsv", ".tab")) else ","
    return pd.read_csv(p, sep=sep, dtype={c: str for c in TEXT_COLUMNS}, **kwargs)

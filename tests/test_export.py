"""Exports: every table in JSONL/CSV/Parquet, and GDELT/ICEWS/POLECAT-shaped event tables."""
from __future__ import annotations

import csv
import json
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from eventcoder import export as ex
from eventcoder.model import Actor, Article, Event, Location
from eventcoder.store import Coded, Store

try:
    from tests.test_store import sub_env
except ImportError:  # tests/ not a package
    from test_store import sub_env


def ev(aid, sent, date, loc=None, src="USAGOV", tgt="RUSGOV", code="0421", quad=1, name="Rubio"):
    return Event(article_id=aid, date=date, published=date,
                 source=Actor("Rubio", name=name, country=src[:3], sector=src[3:]),
                 target=Actor("Lavrov", name="Sergei Lavrov", country=tgt[:3], sector=tgt[3:]),
                 cameo_code=code, cameo_root=code[:2], cameo_name="Make a visit", goldstein=1.9,
                 quad_class=quad, plover_type="CONSULT", plover_mode="visit", status="occurred",
                 location=loc, sentence_index=sent, sentence="Rubio met Lavrov.", trigger="met",
                 span=(6, 9))


@pytest.fixture
def st(tmp_path):
    s = Store(tmp_path / "x.duckdb")
    s.ingest([
        Coded(Article("a1", "Rubio met Lavrov in Riyadh.", published="2025-02-18", source_name="AP",
                      url="https://apnews.com/a1"),
              [ev("a1", 0, "2025-02-18", Location("Riyadh", "SAU", 24.69, 46.72))]),
        Coded(Article("a2", "Rubio and Lavrov met.", published="2025-02-18", source_name="Reuters"),
              [ev("a2", 2, "2025-02-18", Location("Riyadh", "SAU", 24.69, 46.72))]),
        Coded(Article("a3", "No place, no url.", published="2025-02-19"),
              [ev("a3", 1, "2025-02-19", None, src="CHNGOV", tgt="IGOUNO", code="111", quad=0,
                  name=None)]),
    ])
    yield s
    s.close()


def test_every_table_in_every_format(st, tmp_path):
    out = tmp_path / "out"
    written = ex.export_tables(st.cursor(), out, formats=("jsonl", "csv", "parquet"))
    counts = st.counts()
    assert len(written) == 3 * len(ex.TABLES)
    for t in ex.TABLES:
        assert pq.read_table(out / f"{t}.parquet").num_rows == counts[t]
        assert sum(1 for _ in open(out / f"{t}.jsonl")) == counts[t]
        with open(out / f"{t}.csv", newline="") as f:
            assert sum(1 for _ in csv.DictReader(f)) == counts[t]
    rows = [json.loads(x) for x in open(out / "events.jsonl")]
    assert {r["event_id"] for r in rows} == {
        r[0] for r in st.con.execute("SELECT event_id FROM events").fetchall()}
    assert rows[0]["date"] in ("2025-02-18", "2025-02-19")


def test_gdelt_shape(st):
    rows = ex.shape_rows(st.cursor(), "gdelt")
    assert list(rows[0]) == list(ex.GDELT_COLUMNS)
    assert len(rows) == 2  # a1 and a2 report the same event
    r = rows[0]
    assert r["SQLDATE"] == 20250218 and r["Actor1Code"] == "USAGOV" and r["Actor1Name"] == "Rubio"
    assert r["Actor2CountryCode"] == "RUS" and r["Actor1Type1Code"] == "GOV"
    assert (r["EventCode"], r["EventBaseCode"], r["EventRootCode"]) == ("0421", "042", "04")
    assert (r["NumMentions"], r["NumSources"], r["NumArticles"]) == (2, 2, 2)
    assert r["IsRootEvent"] == 1 and r["QuadClass"] == 1 and r["GoldsteinScale"] == 1.9
    assert r["ActionGeo_FullName"] == "Riyadh" and r["ActionGeo_CountryCode"] == "SA"  # FIPS
    assert r["SOURCEURL"] == "https://apnews.com/a1"
    assert isinstance(r["GLOBALEVENTID"], int) and len(str(r["DATEADDED"])) == 14
    other = rows[1]  # nothing invented: no place, no url, quad 0 is not a GDELT class
    assert other["ActionGeo_FullName"] is None and other["ActionGeo_Lat"] is None
    assert other["SOURCEURL"] is None and other["QuadClass"] is None
    assert other["Actor1Name"] == "Rubio"  # the words in the article when no canonical name


def test_icews_and_polecat_shapes(st):
    ic = ex.shape_rows(st.cursor(), "icews")
    assert list(ic[0]) == list(ex.ICEWS_COLUMNS) and len(ic) == 3
    r = ic[0]
    assert r["Source Country"] == "United States" and r["Target Country"] == "Russian Federation"
    assert r["Source Sectors"] == "Government" and r["CAMEO Code"] == "0421"
    assert r["Intensity"] == 1.9 and r["Story ID"] == "a1" and r["Sentence Number"] == 1
    assert r["City"] == "Riyadh" and r["Country"] == "Saudi Arabia" and r["Publisher"] == "AP"
    last = ic[-1]
    assert last["Target Country"] is None  # IGO: no country name, left empty
    assert last["City"] is None and last["Latitude"] is None and last["Publisher"] is None
    assert len(ex.shape_rows(st.cursor(), "icews", unique=True)) == 2
    pc = ex.shape_rows(st.cursor(), "polecat", start="2025-02-18", end="2025-02-18")
    assert list(pc[0]) == list(ex.POLECAT_COLUMNS) and len(pc) == 2
    p = pc[0]
    assert (p["Event Type"], p["Event Mode"], p["Quad Code"]) == ("CONSULT", "visit",
                                                                 "VERBAL COOPERATION")
    assert p["Actor Country"] == "USA" and p["Recipient Name"] == "Sergei Lavrov"
    assert p["Placename"] == "Riyadh" and p["Country"] == "SAU" and p["Source"] == "AP"


def test_shape_files_and_empty_fields(st, tmp_path):
    for shape in ex.SHAPES:
        for fmt in ("csv", "tsv", "jsonl", "parquet"):
            p = tmp_path / f"{shape}.{fmt}"
            n = ex.export_shape(st.cursor(), shape, p)
            assert n == (2 if shape == "gdelt" else 3) and p.exists()
    with open(tmp_path / "gdelt.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(ex.GDELT_COLUMNS)
    assert rows[1]["SOURCEURL"] == "" and rows[1]["ActionGeo_Lat"] == ""
    with open(tmp_path / "icews.tsv", newline="") as f:
        assert list(csv.DictReader(f, delimiter="\t"))[0]["Event Text"] == "Make a visit"


def test_cli_export(st, tmp_path):
    db = st.path
    st.close()
    out = tmp_path / "cli"
    r = subprocess.run([sys.executable, "-m", "eventcoder", "export", "--db", db, "--out", str(out),
                        "--format", "jsonl,parquet"], capture_output=True, text=True,
                       env=sub_env(), timeout=60)
    assert r.returncode == 0, r.stderr
    assert (out / "events.parquet").exists() and (out / "actors.jsonl").exists()
    r = subprocess.run([sys.executable, "-m", "eventcoder", "export", "--db", db, "--shape",
                        "gdelt", "--out", str(tmp_path / "g.csv")], capture_output=True,
                       text=True, env=sub_env(), timeout=60)
    assert r.returncode == 0 and "2 rows" in r.stderr
    bad = subprocess.run([sys.executable, "-m", "eventcoder", "export", "--db", db, "--out",
                          str(out), "--tables", "events;drop"], capture_output=True, text=True,
                         env=sub_env(), timeout=60)
    assert bad.returncode == 2 and "unknown" in bad.stderr

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

from support import sub_env


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
            assert n == {"gdelt": 2}.get(shape, 3) and p.exists()
    with open(tmp_path / "gdelt.csv", newline="") as f:  # GDELT's own format: no header
        rows = [line.rstrip("\n").split("\t") for line in f]
    assert len(rows) == 2 and all(len(r) == 61 for r in rows)
    assert rows[1][60] == "" and rows[1][56] == ""  # no url, no latitude: empty, not invented
    with open(tmp_path / "icews.tsv", newline="") as f:
        assert list(csv.DictReader(f, delimiter="\t"))[0]["Event Text"] == "Make a visit"


# The column lists below are written from the published codebooks (GDELT Event Codebook V2.0,
# the GDELT 2.0 mentions table, the ICEWS dataverse .tab files), not taken from eventcoder.
GDELT_OFFICIAL = """GLOBALEVENTID SQLDATE MonthYear Year FractionDate Actor1Code Actor1Name
Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode Actor1Religion1Code Actor1Religion2Code
Actor1Type1Code Actor1Type2Code Actor1Type3Code Actor2Code Actor2Name Actor2CountryCode
Actor2KnownGroupCode Actor2EthnicCode Actor2Religion1Code Actor2Religion2Code Actor2Type1Code
Actor2Type2Code Actor2Type3Code IsRootEvent EventCode EventBaseCode EventRootCode QuadClass
GoldsteinScale NumMentions NumSources NumArticles AvgTone Actor1Geo_Type Actor1Geo_FullName
Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code Actor1Geo_Lat Actor1Geo_Long
Actor1Geo_FeatureID Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code
Actor2Geo_ADM2Code Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID ActionGeo_Type
ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code ActionGeo_Lat
ActionGeo_Long ActionGeo_FeatureID DATEADDED SOURCEURL""".split()
MENTIONS_OFFICIAL = """GLOBALEVENTID EventTimeDate MentionTimeDate MentionType MentionSourceName
MentionIdentifier SentenceID Actor1CharOffset Actor2CharOffset ActionCharOffset InRawText
Confidence MentionDocLen MentionDocTone""".split()
ICEWS_OFFICIAL = ["Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country",
                  "Event Text", "CAMEO Code", "Intensity", "Target Name", "Target Sectors",
                  "Target Country", "Story ID", "Sentence Number", "Publisher", "City", "District",
                  "Province", "Country", "Latitude", "Longitude"]


def test_gdelt_files_load_with_the_official_columns(st, tmp_path):
    pd = pytest.importorskip("pandas")
    import duckdb

    assert len(GDELT_OFFICIAL) == 61 and len(MENTIONS_OFFICIAL) == 14
    written = ex.export_gdelt_files(st.cursor(), tmp_path, stamp="20250218120000")
    ev_path, m_path = tmp_path / "20250218120000.export.CSV", tmp_path / "20250218120000.mentions.CSV"
    assert written == {str(ev_path): 2, str(m_path): 3}
    # by position, as GDELT scripts read it: header=None, the official names, everything as text
    df = pd.read_csv(ev_path, sep="\t", header=None, names=GDELT_OFFICIAL, dtype=str,
                     keep_default_na=False)
    assert df.shape == (2, 61)
    r = df.iloc[0]
    assert (r.SQLDATE, r.MonthYear, r.Year, r.FractionDate) == ("20250218", "202502", "2025", "2025.1342")
    assert (r.Actor1Code, r.Actor1Name, r.Actor1CountryCode, r.Actor1Type1Code) == ("USAGOV", "Rubio", "USA", "GOV")
    assert (r.Actor2Code, r.Actor2CountryCode) == ("RUSGOV", "RUS")
    assert (r.EventCode, r.EventBaseCode, r.EventRootCode) == ("0421", "042", "04")  # leading zeros
    assert (r.QuadClass, r.GoldsteinScale, r.NumMentions, r.NumArticles) == ("1", "1.9", "2", "2")
    assert (r.ActionGeo_Type, r.ActionGeo_FullName, r.ActionGeo_CountryCode) == ("4", "Riyadh", "SA")
    assert r.SOURCEURL == "https://apnews.com/a1" and len(r.DATEADDED) == 14
    assert r.AvgTone == "" and r.Actor1KnownGroupCode == "" and r.Actor1Geo_FullName == ""  # not computed
    # by name, in DuckDB, with the official column list
    cols = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in GDELT_OFFICIAL) + "}"
    got = duckdb.sql(f"SELECT EventCode, Actor1Code, ActionGeo_Lat FROM read_csv('{ev_path}', "
                     f"delim='\t', header=false, quote='', columns={cols}) ORDER BY SQLDATE").fetchall()
    assert got[0] == ("0421", "USAGOV", "24.69") and len(got) == 2
    # mentions: one per article's record, offsets into the article text
    m = pd.read_csv(m_path, sep="\t", header=None, names=MENTIONS_OFFICIAL, dtype=str,
                    keep_default_na=False)
    assert m.shape == (3, 14)
    assert set(m.GLOBALEVENTID) == set(df.GLOBALEVENTID)
    a1 = m[m.MentionIdentifier == "https://apnews.com/a1"].iloc[0]
    assert (a1.ActionCharOffset, a1.SentenceID, a1.MentionType, a1.InRawText) == ("6", "1", "1", "1")
    assert a1.MentionDocLen == str(len("Rubio met Lavrov in Riyadh.")) and a1.MentionSourceName == "AP"
    assert (m.MentionIdentifier == "a2").sum() == 1  # no url: the article id, MentionType 6
    assert m[m.MentionIdentifier == "a2"].iloc[0].MentionType == "6"


def test_gdelt_zipped_as_gdelt_ships_it(st, tmp_path):
    import zipfile

    ex.export_gdelt_files(st.cursor(), tmp_path, stamp="20250218120000", zipped=True)
    with zipfile.ZipFile(tmp_path / "20250218120000.export.CSV.zip") as z:
        assert z.namelist() == ["20250218120000.export.CSV"]
        lines = z.read("20250218120000.export.CSV").decode().splitlines()
    assert len(lines) == 2 and all(len(x.split("\t")) == 61 for x in lines)


def test_icews_tab_loads_with_the_official_columns(st, tmp_path):
    pd = pytest.importorskip("pandas")
    p = tmp_path / "events.tab"
    assert ex.export_shape(st.cursor(), "icews", p) == 3
    df = pd.read_csv(p, sep="\t", dtype=str, keep_default_na=False)
    assert list(df.columns) == ICEWS_OFFICIAL
    pos = pd.read_csv(p, sep="\t", dtype=str, keep_default_na=False, header=0, names=ICEWS_OFFICIAL)
    r = pos.iloc[0]
    assert (r["CAMEO Code"], r["City"], r["District"], r["Province"], r["Country"]) == \
        ("0421", "Riyadh", "", "", "Saudi Arabia")
    assert r["Latitude"] == "24.69" and r["Source Country"] == "United States"


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
                        "gdelt", "--out", str(tmp_path / "20250218000000.export.CSV")], capture_output=True,
                       text=True, env=sub_env(), timeout=60)
    assert r.returncode == 0 and "2 rows" in r.stderr
    (tmp_path / "gd").mkdir()
    r = subprocess.run([sys.executable, "-m", "eventcoder", "export", "--db", db, "--shape",
                        "gdelt", "--out", str(tmp_path / "gd"), "--zip"], capture_output=True,
                       text=True, env=sub_env(), timeout=60)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name[14:] for p in (tmp_path / "gd").iterdir()) == [".export.CSV.zip", ".mentions.CSV.zip"]
    bad = subprocess.run([sys.executable, "-m", "eventcoder", "export", "--db", db, "--out",
                          str(out), "--tables", "events;drop"], capture_output=True, text=True,
                         env=sub_env(), timeout=60)
    assert bad.returncode == 2 and "unknown" in bad.stderr


def test_read_events_keeps_codes_as_text(st, tmp_path):
    pd = pytest.importorskip("pandas")
    import eventcoder

    rows = [{"event_id": "0123", "cameo_code": "040", "cameo_root": "04", "source_code": "USAGOV",
             "goldstein": 1.0}, {"event_id": "9e10", "cameo_code": "0421", "cameo_root": "04",
                                 "source_code": "RUS", "goldstein": 3.5}]
    pd.DataFrame(rows).to_csv(tmp_path / "e.csv", index=False)
    pd.DataFrame(rows).to_csv(tmp_path / "e.tsv", index=False, sep="\t")
    with open(tmp_path / "e.jsonl", "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    assert pd.read_csv(tmp_path / "e.csv")["cameo_code"].tolist() == [40, 421]  # the trap
    for name in ("e.csv", "e.tsv", "e.jsonl"):
        df = eventcoder.read_events(tmp_path / name)
        assert df["cameo_code"].tolist() == ["040", "0421"], name
        assert df["event_id"].tolist() == ["0123", "9e10"] and df["goldstein"].tolist() == [1.0, 3.5]
    ex.export_gdelt_files(st.cursor(), tmp_path, stamp="20250218120000")
    g = eventcoder.read_events(tmp_path / "20250218120000.export.CSV")
    assert g.shape[1] == 61 and "0421" in g["EventCode"].tolist()


POLECAT_OFFICIAL = ["Event ID", "Event Date", "Event Type", "Event Mode", "Intensity", "Quad Code",
                    "Contexts", "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector",
                    "Actor Sectors", "Actor Title", "Actor Name Raw", "Wikipedia Actor ID",
                    "Recipient Name", "Recipient Country", "Recipient COW", "Primary Recipient Sector",
                    "Recipient Sectors", "Recipient Title", "Recipient Name Raw",
                    "Wikipedia Recipient ID", "Placename", "City", "District", "Province", "Country",
                    "Latitude", "Longitude", "GeoNames ID", "Raw Placename", "Feature Type", "Source",
                    "Publication Date", "Story People", "Story Organizations", "Story Locations",
                    "Language", "Version"]


def test_polecat_file_loads_with_the_official_columns(st, tmp_path):
    pd = pytest.importorskip("pandas")
    import duckdb

    assert len(POLECAT_OFFICIAL) == 40
    p = tmp_path / "polecat.tsv"
    assert ex.export_shape(st.cursor(), "polecat", p) == 3
    df = pd.read_csv(p, sep="\t", dtype=str, keep_default_na=False)
    assert list(df.columns) == POLECAT_OFFICIAL
    r = df.iloc[0]
    assert (r["Event Type"], r["Event Mode"], r["Quad Code"]) == ("CONSULT", "visit", "VERBAL COOPERATION")
    assert (r["Actor Name"], r["Actor Country"], r["Primary Actor Sector"]) == ("Rubio", "USA", "Government")
    assert (r["Recipient Name"], r["Recipient Name Raw"]) == ("Sergei Lavrov", "Lavrov")
    assert (r["Placename"], r["City"], r["Country"], r["Latitude"]) == ("Riyadh", "Riyadh", "SAU", "24.69")
    assert r["Intensity"] == "" and r["Actor COW"] == "" and r["Wikipedia Actor ID"] == ""  # not computed
    # a positional reader (the 14th column is the raw actor name, not a sector)
    pos = pd.read_csv(p, sep="\t", dtype=str, keep_default_na=False, header=0, names=POLECAT_OFFICIAL)
    assert pos.iloc[0, 13] == "Rubio" and pos.iloc[0, 10] == "Government"
    got = duckdb.sql(f"SELECT \"Event Type\", \"Source\" FROM read_csv('{p}', delim='\\t', header=true, "
                     "all_varchar=true) ORDER BY \"Event ID\"").fetchall()
    assert len(got) == 3 and got[0][0] == "CONSULT"

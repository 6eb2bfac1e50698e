"""The notebook API (eventcoder.open, code_text) against the CLI on the same store, and
docs/python.md run as a notebook."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
from pathlib import Path

import pandas as pd
import pytest

import eventcoder
from eventcoder.cli import main
from eventcoder.model import Actor, Article, Event, Location, Position, Quote
from eventcoder.store import Coded, Store, StoreError

ROOT = Path(__file__).resolve().parents[1]
N_ARTICLES = 1300

# (code, root, quad, goldstein, plover)
CODES = [("040", "04", 1, 1.0, "CONSULT"), ("036", "03", 1, 4.0, "AGREE"),
         ("111", "11", 3, -2.0, "ACCUSE"), ("190", "19", 4, -10.0, "ASSAULT"),
         ("051", "05", 1, 3.4, "SUPPORT"), ("070", "07", 2, 7.0, "AID"),
         ("163", "16", 4, -8.0, "SANCTION"), ("0233", "02", 1, 3.4, "REQUEST")]
ACTORS = ["USAGOV", "RUSGOV", "UKRMIL", "CHNGOV", "FRA", "SDNREB", "UKRGOV", "RUSMIL"]
STATUSES = ["occurred", "occurred", "planned", "negated", "possible"]
PLACES = [("Kyiv", "UKR"), ("Riyadh", "SAU"), None, ("Khartoum", "SDN")]
PUBLISHERS = ["VOA News", "Reuters", "AP"]


def _actor(code):
    return Actor(code.lower(), name=f"name {code}", country=code[:3], sector=code[3:] or None)


def synthetic_items(n=N_ARTICLES):
    """n articles (ids like "00042", which a careless reader takes for numbers), 1-2 events each,
    quotes on every 10th and positions on every 20th; some events undated."""
    base = dt.date(2025, 1, 1)
    for i in range(n):
        aid = f"{i:05d}"
        pub = (base + dt.timedelta(days=i % 150)).isoformat() if i % 97 else None
        evs = []
        for k in range(1 + (i % 3 == 0)):
            code, root, quad, gold, plover = CODES[(i + k) % len(CODES)]
            s, t = ACTORS[(i + k) % len(ACTORS)], ACTORS[(i * 3 + k + 1) % len(ACTORS)]
            place = PLACES[i % len(PLACES)]
            sent = f"{s} and {t} {'met at a summit' if i % 5 == 0 else 'spoke'} (story {aid}, {k})."
            evs.append(Event(article_id=aid, date=pub if i % 11 else None, published=pub,
                             source=_actor(s), target=_actor(t), cameo_code=code, cameo_root=root,
                             cameo_name="n", goldstein=gold, quad_class=quad, plover_type=plover,
                             plover_mode=None, status=STATUSES[i % len(STATUSES)],
                             location=Location(*place) if place else None, sentence_index=k,
                             sentence=sent, trigger="met", span=(0, 3), confidence=0.5 + (i % 5) / 10))
        text = " ".join(e.sentence for e in evs)
        quotes = []
        if i % 10 == 0:
            who = ACTORS[i % len(ACTORS)]
            quotes.append(Quote(aid, _actor(who), "said", "we want a ceasefire now" if i % 20 == 0
                                else "the talks will go on", direct=i % 20 == 0, speaker_span=(0, 3),
                                cue_span=(4, 8), content_spans=[(10, 20)]))
        positions = []
        if i % 20 == 0:
            positions.append(Position(aid, _actor(ACTORS[i % len(ACTORS)]), "ceasefire",
                                      ["propose", "support", "oppose", "reject"][(i // 20) % 4],
                                      "we want a ceasefire now", pub, span=(10, 20)))
        yield Coded(Article(aid, text, title=f"Story {aid}", published=pub,
                            source_name=PUBLISHERS[i % 3]), evs, quotes, positions)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("nb") / "events.duckdb"
    with Store(str(path)) as st:
        s = st.ingest(synthetic_items(), batch_size=500)
    assert s.stored == N_ARTICLES and s.events > 1000
    return path


@pytest.fixture(scope="module")
def st(db):
    with eventcoder.open(db) as s:
        yield s


def cli(capsys, *args):
    capsys.readouterr()
    rc = main([str(a) for a in args])
    out = capsys.readouterr()
    return rc, out.out, out.err


def cli_ids(capsys, db, filters, unique=False):
    """(event ids in order, the total the CLI states) from `eventcoder query events`."""
    flags = [x for k, v in filters.items() for x in (f"--{k.replace('_', '-')}", v)]
    rc, out, err = cli(capsys, "query", "--db", db, "events", *flags, *(["--unique"] if unique else []),
                       "--limit", 1000)
    assert rc == 0, err
    total = int(re.search(r"(\d+) events match", err).group(1))
    return [json.loads(line)["event_id"] for line in out.splitlines()], total


# ---------------------------------------------------------------- rows and paging
def test_every_row_beyond_the_cli_page(st, db, capsys, tmp_path):
    df = st.events()
    n = st.sql("SELECT count(*) AS n FROM events").loc[0, "n"]
    assert n > 1000 and len(df) == n == st.count() == df.attrs["total"]
    assert df["event_id"].is_unique
    # the CLI shows one page of at most 1,000 rows: the same first rows, in the same order
    ids, total = cli_ids(capsys, db, {})
    assert total == n and len(ids) == 1000 and df["event_id"].tolist()[:1000] == ids
    # and its full export holds exactly the rows the notebook returns
    rc, _, err = cli(capsys, "export", "--db", db, "--out", tmp_path, "--tables", "events", "--format", "jsonl")
    assert rc == 0, err
    exported = [json.loads(line)["event_id"] for line in (tmp_path / "events.jsonl").open()]
    assert sorted(exported) == sorted(df["event_id"])


def test_pages_are_slices_of_the_whole(st):
    whole = st.events()["event_id"].tolist()
    page = st.events(limit=200, offset=1000)
    assert page["event_id"].tolist() == whole[1000:1200]
    assert page.attrs["total"] == len(whole)
    tail = st.events(offset=len(whole) - 7)
    assert tail["event_id"].tolist() == whole[-7:] and tail.attrs["total"] == len(whole)
    assert len(st.events(limit=0)) == 0
    # newest first; undated last
    dates = st.events()["event_date"]
    assert dates.dropna().is_monotonic_decreasing and dates.isna().sum() > 0
    assert dates.iloc[-dates.isna().sum():].isna().all()


@pytest.mark.parametrize("filters", [
    {"actor": "RUS"},
    {"source": "USA", "target": "RUSGOV"},
    {"country": "UKR", "start": "2025-02-01", "end": "2025-03-15"},
    {"sector": "GOV,MIL"},
    {"plover_type": "consult,AGREE"},
    {"cameo_root": "4,19"},
    {"cameo_code": "040"},
    {"quad_class": "3,4"},
    {"status": "planned,negated"},
    {"place": "kyiv"},
    {"text": "summit"},
    {"text": "summit", "actor": "CHN", "status": "occurred"},
])
def test_filters_agree_with_cli_query_and_export(st, db, capsys, tmp_path, filters):
    df = st.events(**filters)
    assert len(df) > 0
    ids, total = cli_ids(capsys, db, filters)  # the CLI's first page (at most 1,000) and its total
    assert df["event_id"].tolist()[:1000] == ids and total == len(df) == st.count(**filters)
    flags = [x for k, v in filters.items() for x in (f"--{k.replace('_', '-')}", v)]
    out = tmp_path / "icews.jsonl"
    rc, _, err = cli(capsys, "export", "--db", db, "--shape", "icews", "--out", out, *flags)
    assert rc == 0, err
    # a shaped export counts what happened: occurred (unless a status is asked for), no references
    shaped = df if "status" in filters else df[df["status"] == "occurred"]
    shaped = shaped[~shaped["reference"].fillna(False).astype(bool)]
    assert sorted(eventcoder.read_events(out)["Event ID"]) == sorted(shaped["event_id"])


def test_list_filters_as_lists_and_unique(st, db, capsys):
    assert st.events(plover_type=["CONSULT", "AGREE"])["event_id"].tolist() == \
        st.events(plover_type="CONSULT,AGREE")["event_id"].tolist()
    u = st.events(unique=True, actor="USA")
    ids, total = cli_ids(capsys, db, {"actor": "USA"}, unique=True)
    assert u["event_id"].tolist() == ids and total == len(u) == st.count(unique=True, actor="USA")
    assert len(u) < len(st.events(actor="USA"))  # duplicates merged
    assert st.count(unique=True) == len(st.clusters()) == st.sql("SELECT count(*) n FROM event_clusters").loc[0, "n"]


def test_codes_and_ids_stay_strings(st):
    df = st.events()
    for col in ("event_id", "article_id", "cameo_code", "cameo_root", "source_code", "target_code"):
        vals = df[col].dropna()
        assert vals.map(type).eq(str).all(), col
    assert {"040", "036", "0233"} <= set(df["cameo_code"]) and {"04", "03", "02"} <= set(df["cameo_root"])
    assert "00042" in set(df["article_id"])
    assert str(df["quad_class"].dtype) == "Int64" and pd.api.types.is_datetime64_any_dtype(df["event_date"])
    q = st.sql("SELECT cameo_code FROM events WHERE cameo_code = ? LIMIT 1", ["040"])
    assert q.loc[0, "cameo_code"] == "040"


# ---------------------------------------------------------------- the other queries
def test_dyad_and_top_dyads_agree_with_cli(st, db, capsys):
    s = st.dyad("USA", "RUS", interval="month")
    rc, out, err = cli(capsys, "query", "--db", db, "dyad", "USA", "RUS", "--interval", "month")
    assert rc == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [p.strftime("%Y-%m-%d") for p in s["period"]] == [r["period"] for r in rows]
    assert s["events"].tolist() == [r["events"] for r in rows] and s["events"].sum() > 0
    assert pd.api.types.is_datetime64_any_dtype(s["period"])
    t = st.top_dyads(level="country", limit=5)
    rc, out, err = cli(capsys, "query", "--db", db, "top-dyads", "--level", "country", "--limit", 5)
    assert [(r["a"], r["b"], r["events"]) for r in map(json.loads, out.splitlines())] == \
        list(zip(t["a"], t["b"], t["events"]))
    assert len(st.top_dyads(limit=None)) == st.sql(
        "SELECT count(*) n FROM (SELECT DISTINCT source_code, target_code FROM events "
        "WHERE source_code <> target_code)").loc[0, "n"]


def test_actor_profile(st, db, capsys):
    p = st.actor("UKR")
    rc, out, _ = cli(capsys, "query", "--db", db, "actor", "UKR")
    want = json.loads(out)
    # a profile counts what happened: occurred events that are not references (query.counted)
    counted = dict(actor="UKR", status="occurred", reference=False)
    assert p.events == want["events"] == st.count(**counted)
    assert p.partners["partner"].tolist() == [r["partner"] for r in want["partners"]]
    assert p.mix["cameo_root"]["value"].tolist() == [r["value"] for r in want["event_mix"]["cameo_root"]]
    assert p.trend["events"].sum() == st.count(**counted) - st.events(**counted)["event_date"].isna().sum()
    assert st.actor("ZZZ") is None


def test_quotes_positions_articles(st):
    q = st.quotes()
    assert len(q) == q.attrs["total"] == N_ARTICLES // 10
    d = st.quotes(direct=True, text="CEASEFIRE")
    assert len(d) == N_ARTICLES // 20 and d["direct"].all()
    assert (d["content"] == "we want a ceasefire now").all()
    ukr = st.quotes(speaker="UKR")
    assert len(ukr) == N_ARTICLES // 20 and ukr["speaker_code"].str.startswith("UKR").all()
    named = st.quotes(speaker="name ukrgov")
    assert len(named) and named["speaker_code"].eq("UKRGOV").all()
    assert q["published"].dropna().is_monotonic_increasing
    p = st.positions(issue="ceasefire")
    assert len(p) == N_ARTICLES // 20 and set(p["stance"]) == {"propose", "support", "oppose", "reject"}
    assert len(st.positions(stance="reject")) == len(p[p["stance"] == "reject"])
    assert st.issues().loc[0, "issue"] == "ceasefire"
    a = st.articles()
    assert len(a) == N_ARTICLES and "text" not in a.columns
    voa = st.articles(publisher="voa", start="2025-02-01", end="2025-02-28", with_text=True)
    assert len(voa) and voa["source_name"].eq("VOA News").all() and voa["text"].str.len().min() > 0
    assert voa["published"].between("2025-02-01", "2025-02-28").all()
    art = st.article("00042")
    assert art["article_id"] == "00042" and art["events"]


def test_empty_results_keep_their_columns(st):
    none = {"start": "1999-01-01", "end": "1999-01-31"}
    pairs = [(st.events(**none), st.events(limit=1)),
             (st.dyad("USA", "RUS", **none), st.dyad("USA", "RUS")),
             (st.top_dyads(**none), st.top_dyads()),
             (st.clusters(**none), st.clusters(limit=1)),
             (st.quotes(**none), st.quotes(limit=1)),
             (st.positions(**none), st.positions(limit=1)),
             (st.articles(**none), st.articles(limit=1))]
    for empty, full in pairs:
        assert len(empty) == 0 and len(full) > 0
        assert list(empty.columns) == list(full.columns)


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize("call, words", [
    (lambda s: s.events(actr="RUS"), ["actr", "actor"]),
    (lambda s: s.count(publisherr="x"), ["publisherr"]),
    (lambda s: s.events(start="13/02/2025"), ["start", "13/02/2025"]),
    (lambda s: s.events(plover_type="CONSLT"), ["plover_type", "CONSLT"]),
    (lambda s: s.events(status="happened"), ["status", "happened"]),
    (lambda s: s.events(sector="GOVT"), ["sector", "GOVT"]),
    (lambda s: s.events(cameo_root="4a"), ["cameo_root", "4a"]),
    (lambda s: s.events(quad_class=7), ["quad_class", "7"]),
    (lambda s: s.events(actor="USA' OR 1=1"), ["actor"]),
    (lambda s: s.events(limit=-1), ["limit"]),
    (lambda s: s.events(offset="10"), ["offset"]),
    (lambda s: s.dyad("USA", "RUS", interval="year"), ["interval"]),
    (lambda s: s.positions(stance="maybe"), ["stance", "maybe"]),
    (lambda s: s.quotes(start="soon"), ["start", "soon"]),
    (lambda s: s.sql("SELECT nope FROM events"), ["sql", "nope"]),
])
def test_bad_values_are_one_query_error_naming_them(st, call, words):
    with pytest.raises(eventcoder.QueryError) as exc:
        call(st)
    msg = str(exc.value)
    assert "\n" not in msg and all(w in msg for w in words), msg


def test_the_cli_and_the_http_api_refuse_the_same_values(st, db, capsys):
    rc, out, err = cli(capsys, "query", "--db", db, "events", "--plover-type", "CONSLT")
    assert rc == 2 and "plover_type" in err and "CONSLT" in err and not out
    from fastapi.testclient import TestClient

    from eventcoder.api import create_app

    with TestClient(create_app(st.store, allowed_hosts=["testserver"])) as client:
        bad = client.get("/events", params={"plover_type": "CONSLT"})
        assert bad.status_code == 422 and "plover_type" in bad.json()["error"]
        good = client.get("/events", params={"plover_type": "consult,AGREE", "status": "planned"})
        assert good.status_code == 200
        assert good.json()["total"] == st.count(plover_type="consult,AGREE", status="planned") > 0


def test_a_read_only_store_is_not_written(st):
    with pytest.raises(eventcoder.QueryError):
        st.sql("DELETE FROM events")
    assert st.count() > 1000


def test_missing_or_wrong_store_is_a_clear_error(tmp_path):
    missing = tmp_path / "nope.duckdb"
    with pytest.raises(StoreError) as exc:
        eventcoder.open(missing)
    assert str(missing) in str(exc.value) and "eventcoder ingest" in str(exc.value)
    assert not missing.exists()  # read-only never creates a file
    assert eventcoder.StoreError is StoreError
    notdb = tmp_path / "events.csv"
    notdb.write_text("a,b\n1,2\n")
    with pytest.raises(StoreError, match="not a DuckDB database"):
        eventcoder.open(notdb)


def test_open_writable_creates_an_empty_store(tmp_path):
    with eventcoder.open(tmp_path / "new.duckdb", read_only=False) as s:
        assert s.count() == 0 and len(s.events()) == 0
    assert (tmp_path / "new.duckdb").exists()


# ---------------------------------------------------------------- code_text
TEXT = "Russian troops attacked Ukrainian positions near Kharkiv on Tuesday."


@pytest.mark.parametrize("published", ["2025-02-13", "2025-02-13T10:30:00Z", "Feb 13, 2025",
                                       "13 February 2025", "Thu, 13 Feb 2025 10:00:00 GMT",
                                       dt.date(2025, 2, 13), dt.datetime(2025, 2, 13, 23, 59)])
def test_code_text_reads_published_as_ingest_does(published):
    evs = eventcoder.code_text(TEXT, published=published)
    assert isinstance(evs, list) and evs  # the list of events, as before
    assault = [e for e in evs if e.plover_type == "ASSAULT"]
    assert assault and all(e.published == "2025-02-13" and e.date == "2025-02-11" for e in assault)


def test_code_text_without_a_date_and_with_a_bad_one():
    assert all(e.published is None for e in eventcoder.code_text(TEXT))
    for bad in ("someday", "13/13/2025", "2025-02-30"):
        with pytest.raises(ValueError) as exc:
            eventcoder.code_text(TEXT, published=bad)
        assert repr(bad) in str(exc.value) and "YYYY-MM-DD" in str(exc.value)


def test_code_text_with_quotes(seed_path):
    text = seed_path.read_text(encoding="utf-8")
    res = eventcoder.code_text(text, published="February 13, 2025", quotes=True)
    assert res.article.published == "2025-02-13"
    assert res.events and res.quotes and res.positions
    assert [e.event_id for e in res.events] == [e.event_id for e in
                                               eventcoder.code_text(text, published="2025-02-13")]
    frames = res.to_frames()
    ev, qu, po = frames["events"], frames["quotes"], frames["positions"]
    assert len(ev) == len(res.events) and len(qu) == len(res.quotes) and len(po) == len(res.positions)
    assert {"source_code", "target_code", "cameo_code", "plover_type", "sentence"} <= set(ev.columns)
    assert "ckey" not in ev.columns and "search_text" not in ev.columns
    assert ev["cameo_code"].map(type).eq(str).all() and ev["cameo_code"].str.len().min() >= 3
    assert set(qu["quote_id"]) == {q.quote_id for q in res.quotes}
    assert {"speaker_code", "content", "direct"} <= set(qu.columns)
    assert {"issue", "stance", "actor_code"} <= set(po.columns)
    empty = eventcoder.code_text("Nothing happened.", quotes=True).to_frames()
    assert list(empty["events"].columns) == list(ev.columns) and len(empty["events"]) == 0


# ---------------------------------------------------------------- docs/python.md, run
def doc_blocks(path=ROOT / "docs" / "python.md"):
    return re.findall(r"^```(\w+)\n(.*?)^```", path.read_text(encoding="utf-8"), re.S | re.M)


def test_docs_python_names_every_filter():
    """docs/python.md lists the filters: one added to eventcoder.query.event_where is documented."""
    from eventcoder.notebook import FILTERS

    text = (ROOT / "docs" / "python.md").read_text(encoding="utf-8")
    assert FILTERS and [f for f in FILTERS if f"`{f}`" not in text] == []


def test_docs_python_runs_as_a_notebook(tmp_path, monkeypatch, capsys):
    """Every block of docs/python.md in order: `sh` lines through the CLI, `python` blocks in one
    namespace, in a folder with the bundled samples."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    blocks = doc_blocks()
    assert sum(k == "python" for k, _ in blocks) >= 15 and sum(k == "sh" for k, _ in blocks) >= 2
    ns: dict = {}
    for n, (kind, code) in enumerate(blocks):
        if kind == "sh":
            for line in code.splitlines():
                argv = shlex.split(line, comments=True)
                assert argv[0] == "eventcoder", line
                rc = main(argv[1:])
                assert rc == 0, (line, capsys.readouterr().err)
        elif kind == "python":
            exec(compile(code, f"docs/python.md block {n}", "exec"), ns)
        else:
            pytest.fail(f"docs/python.md: a {kind} block the test cannot run")
    assert (tmp_path / "dyad.png").stat().st_size > 1000
    assert len(ns["df"]) == ns["events_csv"].shape[0] > 0
    assert ns["frames"]["events"].shape[0] > 0

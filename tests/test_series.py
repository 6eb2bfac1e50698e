"""Readable time series (eventcoder.series): periods, zero fill, the bulk span, normalisation by
articles, and the same shape through the query layer, the HTTP API and the CLI."""
from __future__ import annotations

import json
from datetime import date

import pytest
from fastapi.testclient import TestClient

from eventcoder import query as q
from eventcoder import series
from eventcoder.model import Actor, Article, Event
from eventcoder.store import Coded, Store


def rows(*pairs):
    return [{"period": p, "events": n, "goldstein_mean": 1.5, "goldstein_sum": 1.5 * n}
            for p, n in pairs]


# ---------------------------------------------------------------- pure functions
@pytest.mark.parametrize("d, interval, want", [
    (date(2025, 2, 13), "day", date(2025, 2, 13)),
    (date(2025, 2, 13), "week", date(2025, 2, 10)),   # a Thursday -> its Monday
    (date(2025, 2, 10), "week", date(2025, 2, 10)),
    (date(2025, 2, 13), "month", date(2025, 2, 1)),
])
def test_period_start(d, interval, want):
    assert series.period_start(d, interval) == want


def test_periods_cross_month_and_year_ends():
    assert series.periods(date(2024, 11, 20), date(2025, 2, 3), "month") == [
        date(2024, 11, 1), date(2024, 12, 1), date(2025, 1, 1), date(2025, 2, 1)]
    assert series.periods(date(2024, 12, 30), date(2025, 1, 13), "week") == [
        date(2024, 12, 30), date(2025, 1, 6), date(2025, 1, 13)]
    assert len(series.periods(date(2024, 2, 27), date(2024, 3, 1), "day")) == 4  # leap day
    with pytest.raises(q.QueryError, match="more than 5000 days"):
        series.periods(date(1944, 6, 6), date(2025, 1, 1), "day")


def test_zero_fill_counts_zero_and_leaves_means_undefined():
    out = series.shape(rows(("2025-02-03", 2), ("2025-02-24", 1)), "week", span="all")
    s = out["series"]
    assert [(r["period"], r["events"]) for r in s] == [
        ("2025-02-03", 2), ("2025-02-10", 0), ("2025-02-17", 0), ("2025-02-24", 1)]
    assert s[1]["goldstein_mean"] is None and s[1]["goldstein_sum"] == 0.0
    assert out["span"] == {"mode": "all", "start": "2025-02-03", "end": "2025-02-24",
                           "periods": 4, "events": 3, "outside": 0}
    unfilled = series.shape(rows(("2025-02-03", 2), ("2025-02-24", 1)), "week", fill=False)
    assert [r["period"] for r in unfilled["series"]] == ["2025-02-03", "2025-02-24"]


def test_bulk_span_drops_sparse_tails_and_counts_them():
    # 200 events in March 2025, one stray event in 1944 and one in 2030
    data = rows(("1944-06-01", 1), *[(f"2025-03-{d:02d}", 10) for d in range(1, 21)],
                ("2030-01-01", 1))
    assert series.bulk_window(data) == ("2025-03-01", "2025-03-20")
    out = series.shape(data, "day")
    assert out["span"]["start"] == "2025-03-01" and out["span"]["end"] == "2025-03-20"
    assert out["span"]["outside"] == 2 and out["span"]["events"] == 200
    assert len(out["series"]) == 20
    # "all" keeps the tails (by month: 1944 to 2030 is 1,028 periods, zero-filled)
    months = rows(("1944-06-01", 1), ("2025-03-01", 200), ("2030-01-01", 1))
    assert series.shape(months, "month")["span"]["periods"] == 1
    allspan = series.shape(months, "month", span="all")
    assert allspan["span"]["outside"] == 0 and allspan["series"][0]["period"] == "1944-06-01"
    assert len(allspan["series"]) == 1028


def test_bulk_span_keeps_everything_under_100_events():
    data = rows(("2020-01-01", 1), ("2025-03-01", 40), ("2025-03-02", 40))
    assert series.bulk_window(data) == ("2020-01-01", "2025-03-02")


def test_explicit_dates_win_over_the_span():
    data = rows(("2025-02-03", 2), ("2025-02-24", 1))
    out = series.shape(data, "week", start="2025-01-27", end="2025-02-12")
    assert [(r["period"], r["events"]) for r in out["series"]] == [
        ("2025-01-27", 0), ("2025-02-03", 2), ("2025-02-10", 0)]
    assert out["span"]["mode"] == "given" and out["span"]["outside"] == 1
    one_side = series.shape(data, "week", start="2025-02-10")
    assert one_side["span"]["start"] == "2025-02-10" and one_side["span"]["end"] == "2025-02-24"


def test_bad_arguments_name_the_input():
    for kw, msg in (({"span": "most"}, "span must be one of bulk, all"),
                    ({"normalise": "x"}, "normalise must be one of none, articles"),
                    ({"start": "yesterday"}, "start must be an ISO date")):
        with pytest.raises(q.QueryError, match=msg):
            series.shape(rows(("2025-02-03", 1)), "week", **kw)
    with pytest.raises(q.QueryError, match="interval must be"):
        series.shape([], "year")


def test_no_events_is_an_empty_series():
    out = series.shape([], "week")
    assert out["series"] == [] and out["span"]["periods"] == 0
    back = series.shape(rows(("2025-02-03", 1)), "week", start="2025-03-01", end="2025-02-01")
    assert back["series"] == [] and back["span"]["outside"] == 1


def test_a_span_too_long_to_fill_lists_the_periods_with_events():
    out = series.shape(rows(("1944-06-06", 1), ("2025-02-03", 1)), "day", span="all")
    assert [r["period"] for r in out["series"]] == ["1944-06-06", "2025-02-03"]
    assert "more than 5000 days" in out["span"]["not_filled"]


# ---------------------------------------------------------------- against a store
def _store(path=None) -> Store:
    """USA-RUS events on 3 and 24 Feb 2025; 4 articles published in the week of 3 Feb (one
    without events), 1 in the week of 24 Feb, none in between."""
    st = Store(path) if path else Store()
    items = []
    for aid, d, pub in (("a1", "2025-02-03", "2025-02-03"), ("a2", "2025-02-04", "2025-02-04"),
                        ("a3", "2025-02-24", "2025-02-25")):
        text = f"USAGOV met RUSGOV {aid}."
        ev = Event(article_id=aid, date=d, published=pub,
                   source=Actor("USAGOV", country="USA", sector="GOV"),
                   target=Actor("RUSGOV", country="RUS", sector="GOV"), cameo_code="040",
                   cameo_root="04", cameo_name="Consult", goldstein=1.0, quad_class=1,
                   plover_type="CONSULT", plover_mode=None, status="occurred", location=None,
                   sentence_index=0, sentence=text, trigger="met", span=(7, 10))
        items.append(Coded(Article(aid, text, published=pub), [ev]))
    for aid in ("b1", "b2"):
        items.append(Coded(Article(aid, f"Nothing happened {aid}.", published="2025-02-05"), []))
    st.ingest(items)
    return st


@pytest.fixture(scope="module")
def st():
    s = _store()
    yield s
    s.close()


def test_dyad_series_filled_and_normalised(st):
    with st.cursor() as con:
        out = series.dyad(con, "USA", "RUS", interval="week", normalise="articles")
    s = out["series"]
    assert [(r["period"], r["events"], r["articles"]) for r in s] == [
        ("2025-02-03", 2, 4), ("2025-02-10", 0, 0), ("2025-02-17", 0, 0), ("2025-02-24", 1, 1)]
    assert s[0]["events_per_100_articles"] == 50.0 and s[0]["quad1_per_100_articles"] == 50.0
    assert s[1]["events_per_100_articles"] is None  # no article that week: no rate
    assert s[3]["events_per_100_articles"] == 100.0
    assert out["a"] == "USA" and out["b"] == "RUS" and out["span"]["events"] == 3


def test_api_and_cli_give_the_same_series(st, capsys, tmp_path):
    from eventcoder.api import create_app
    from eventcoder.cli import main

    with st.cursor() as con:
        want = series.dyad(con, "USA", "RUS", interval="week", normalise="articles")["series"]
    app = create_app(st, coder=object())
    with TestClient(app, base_url="http://127.0.0.1") as c:
        r = c.get("/dyads/USA/RUS/series", params={"interval": "week", "normalise": "articles"})
        assert r.status_code == 200
        assert r.json()["series"] == want and r.json()["span"]["mode"] == "bulk"
        raw = c.get("/dyads/USA/RUS/series", params={"fill": "false"}).json()["series"]
        assert [x["period"] for x in raw] == ["2025-02-03", "2025-02-24"]
        bad = c.get("/dyads/USA/RUS/series", params={"span": "most"})
        assert bad.status_code == 422 and "span" in bad.json()["error"]
        prof = c.get("/actors/USA", params={"interval": "week"}).json()
        assert [x["events"] for x in prof["trend"]] == [2, 0, 0, 1]
        assert prof["trend_span"]["periods"] == 4
    db = tmp_path / "cli.duckdb"
    _store(db).close()
    assert main(["query", "--db", str(db), "dyad", "USA", "RUS", "--interval", "week",
                 "--normalise", "articles", "--format", "json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert [(x["period"], x["events"], x["articles"]) for x in got] == [
        (x["period"], x["events"], x["articles"]) for x in want]

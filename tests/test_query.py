"""Analytical queries: event filters, dyad series, actor profiles, top dyads."""
from __future__ import annotations

import pytest

from eventcoder import query as q
from eventcoder.model import Actor, Article, Event, Location
from eventcoder.store import Coded, Store

# (article, date, source, target, code, quad, goldstein, plover, status, place)
ROWS = [
    ("a1", "2025-02-03", "USAGOV", "RUSGOV", "040", 1, 1.0, "CONSULT", "occurred", ("Riyadh", "SAU")),
    ("a2", "2025-02-04", "RUSGOV", "USAGOV", "040", 1, 1.0, "CONSULT", "occurred", ("Riyadh", "SAU")),
    ("a3", "2025-02-12", "USAGOV", "RUSGOV", "112", 3, -2.0, "ACCUSE", "occurred", None),
    ("a4", "2025-02-13", "RUSMIL", "UKRMIL", "190", 4, -10.0, "ASSAULT", "occurred", ("Kharkiv", "UKR")),
    ("a5", "2025-03-01", "UKRGOV", "USAGOV", "051", 1, 3.4, "SUPPORT", "planned", ("Kyiv", "UKR")),
    ("a6", "2025-03-02", "USAGOV", "UKRGOV", "070", 2, 7.0, "AID", "negated", None),
    ("a7", "2025-03-02", "CHNGOV", "USABUS", "163", 4, -8.0, "SANCTION", "possible", None),
]


def build() -> Store:
    st = Store()
    items = []
    for aid, d, s, t, code, quad, gold, plover, status, place in ROWS:
        text = f"{s} did something to {t} at the summit."
        ev = Event(article_id=aid, date=d, published=d,
                   source=Actor(s, name=f"name {s}", country=s[:3], sector=s[3:]),
                   target=Actor(t, country=t[:3], sector=t[3:]), cameo_code=code,
                   cameo_root=code[:2], cameo_name="n", goldstein=gold, quad_class=quad,
                   plover_type=plover, plover_mode=None, status=status,
                   location=Location(*place) if place else None, sentence_index=0,
                   sentence=text, trigger="did", span=(7, 10))
        items.append(Coded(Article(aid, text + aid, published=d, source_name="S"), [ev]))
    st.ingest(items)
    return st


@pytest.fixture(scope="module")
def st():
    s = build()
    yield s
    s.close()


def ids(res):
    return sorted(e["article_id"] for e in res["events"])


@pytest.mark.parametrize("filters, want", [
    ({}, ["a1", "a2", "a3", "a4", "a5", "a6", "a7"]),
    ({"start": "2025-02-10", "end": "2025-02-28"}, ["a3", "a4"]),
    ({"actor": "USA"}, ["a1", "a2", "a3", "a5", "a6", "a7"]),
    ({"actor": "USABUS"}, ["a7"]),
    ({"source": "USA"}, ["a1", "a3", "a6"]),
    ({"target": "UKR"}, ["a4", "a6"]),
    ({"country": "UKR"}, ["a4", "a5", "a6"]),
    ({"sector": "MIL"}, ["a4"]),
    ({"sector": "BUS,MIL"}, ["a4", "a7"]),
    ({"plover_type": "consult"}, ["a1", "a2"]),
    ({"plover_type": ["AID", "SANCTION"]}, ["a6", "a7"]),
    ({"cameo_root": "4"}, ["a1", "a2"]),
    ({"cameo_root": "19,16"}, ["a4", "a7"]),
    ({"quad_class": "4"}, ["a4", "a7"]),
    ({"status": "planned,negated"}, ["a5", "a6"]),
    ({"place": "riyadh"}, ["a1", "a2"]),
    ({"place": "UKR"}, ["a4", "a5"]),
    ({"text": "NAME CHN"}, ["a7"]),
    ({"text": "summit", "actor": "CHN"}, ["a7"]),
    ({"text": "'; DROP TABLE events; --"}, []),
])
def test_event_filters(st, filters, want):
    res = st.events(**filters)
    assert ids(res) == want
    assert res["total"] == len(want)


def test_pagination_and_order(st):
    first = st.events(limit=3)
    second = st.events(limit=3, offset=3)
    assert first["total"] == 7 and len(first["events"]) == 3
    dates = [e["event_date"] for e in first["events"] + second["events"]]
    assert dates == sorted(dates, reverse=True)
    assert not {e["event_id"] for e in first["events"]} & {e["event_id"] for e in second["events"]}
    assert st.events(limit=100000)["limit"] == q.MAX_LIMIT


def test_bad_parameters_raise_query_error(st):
    for kw in ({"start": "yesterday"}, {"actor": "USA' OR 1=1 --"}, {"quad_class": "x"}):
        with pytest.raises(q.QueryError):
            st.events(**kw)
    with pytest.raises(q.QueryError):
        st.dyad_series("USA", "RUS", interval="year")
    with pytest.raises(q.QueryError):
        st.top_dyads(level="bogus")
    assert st.counts()["events"] == 7


def test_dyad_series_weekly_undirected_and_directed(st):
    s = st.dyad_series("USA", "RUS", interval="week")
    assert [(r["period"], r["events"], r["quad1"], r["quad3"]) for r in s] == [
        ("2025-02-03", 2, 2, 0), ("2025-02-10", 1, 0, 1)]
    assert s[0]["goldstein_sum"] == 2.0 and s[1]["goldstein_mean"] == -2.0
    d = st.dyad_series("USA", "RUS", interval="week", directed=True)
    assert [r["events"] for r in d] == [1, 1]
    m = st.dyad_series("USA", "RUS", interval="month")
    assert [(r["period"], r["events"]) for r in m] == [("2025-02-01", 3)]
    day = st.dyad_series("USAGOV", "RUSGOV", interval="day", start="2025-02-04")
    assert [(r["period"], r["events"]) for r in day] == [("2025-02-04", 1), ("2025-02-12", 1)]


def test_actor_profile(st):
    asserted = st.actor_profile("USA")  # by default: what happened (a1, a2, a3)
    assert asserted["events"] == 3 and {r["value"] for r in asserted["event_mix"]["status"]} == {"occurred"}
    p = st.actor_profile("USA", status="all")
    assert p["events"] == 6 and p["as_source"] == 3 and p["as_target"] == 3
    partners = {r["partner"]: r["events"] for r in p["partners"]}
    assert partners == {"RUSGOV": 3, "UKRGOV": 2, "CHNGOV": 1}
    assert {r["value"]: r["events"] for r in p["event_mix"]["quad_class"]} == {1: 3, 2: 1, 3: 1, 4: 1}
    assert [(r["period"], r["events"]) for r in p["trend"]] == [("2025-02-01", 3), ("2025-03-01", 3)]
    assert {n["code"] for n in p["names"]} == {"USAGOV", "USABUS"}
    assert st.actor_profile("ZZZ") is None


def test_top_dyads(st):
    top = st.top_dyads(level="country", directed=False, limit=2)
    assert (top[0]["a"], top[0]["b"], top[0]["events"]) == ("RUS", "USA", 3)
    assert st.top_dyads(level="code", start="2025-03-01") == []  # planned, negated, possible
    directed = st.top_dyads(level="code", start="2025-03-01", status="all")
    assert {(r["a"], r["b"]) for r in directed} == {("UKRGOV", "USAGOV"), ("USAGOV", "UKRGOV"),
                                                    ("CHNGOV", "USABUS")}


def test_article_with_spans(st):
    art = st.article("a1")
    assert art["text"].startswith("USAGOV did")
    assert art["spans"]["triggers"][0]["start"] == 7
    assert art["events"][0]["cluster_id"]
    assert st.article("nope") is None


def test_series_count_what_happened_and_weigh_each_event_once():
    from eventcoder.export import shape_rows

    def e(aid, code, gold, plover, status="occurred", reference=False, date="2025-02-03"):
        return Coded(Article(aid, f"text {aid}", published="2025-02-03", source_name=aid), [Event(
            article_id=aid, date=date, published="2025-02-03",
            source=Actor("US", country="USA", sector="GOV"), target=Actor("RU", country="RUS", sector="GOV"),
            cameo_code=code, cameo_root=code[:2], cameo_name="n", goldstein=gold, quad_class=1,
            plover_type=plover, plover_mode=None, status=status, location=None, sentence_index=0,
            sentence="s", trigger="t", span=(0, 1), reference=reference,
            date_precision="day" if date else "none")])

    # the date rule merges these wordless same-day meetings (the learned scorer reads their words)
    with Store(dedup={"scorer": "none", "actor_level": "name"}) as st:
        st.ingest([e("m1", "040", 1.0, "CONSULT"), e("m2", "040", 1.0, "CONSULT"),  # one event, twice
                   e("m3", "040", 1.0, "CONSULT"),
                   e("x1", "112", -2.0, "ACCUSE"),
                   e("p1", "190", -10.0, "ASSAULT", status="planned"),
                   e("n1", "040", 1.0, "CONSULT", status="negated"),
                   e("r1", "057", 8.0, "AGREE", reference=True, date="2025-02-03")])
        (w,) = st.dyad_series("USA", "RUS", interval="week")
        # three mentions of one meeting and one accusation: Goldstein over the two events
        assert (w["events"], w["clusters"]) == (4, 2)
        assert w["goldstein_mean"] == pytest.approx(-0.5) and w["goldstein_sum"] == pytest.approx(-1.0)
        (all_,) = st.dyad_series("USA", "RUS", interval="week", status="all", references=True)
        assert all_["events"] == 7
        (planned,) = st.dyad_series("USA", "RUS", interval="week", status="occurred,planned")
        assert planned["events"] == 5
        top = st.top_dyads(level="country")
        assert top[0]["events"] == 4
        assert st.top_dyads(level="country", references=True)[0]["events"] == 5
        con = st.cursor()
        assert sorted(r["Story ID"] for r in shape_rows(con, "icews")) == ["m1", "m2", "m3", "x1"]
        assert "r1" in {r["Story ID"] for r in shape_rows(con, "icews", references=True)}
        assert len(shape_rows(con, "gdelt")) == 2  # one row per event that happened

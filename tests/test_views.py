"""The dashboard's view queries (eventcoder.web.views) and the filters they share with the API:
publisher and minimum confidence, deduplicated rows, the network's automatic minimum count and
node balance, positions grouped by actor with pages and caps, the home page's charts."""
from __future__ import annotations

import pytest

from eventcoder import query as q
from eventcoder.web import views


# ---------------------------------------------------------------- shared filters
def test_publisher_filter_matches_the_articles_source(store, client):
    with store.cursor() as con:
        pubs = {p["publisher"]: p["articles"] for p in q.publishers(con)}
        assert {"Outlet0", "Outlet1", "Outlet2"} <= set(pubs)
        ids = {r[0] for r in con.execute(
            "SELECT article_id FROM articles WHERE source_name = 'Outlet1'").fetchall()}
        page = q.events(con, publisher="outlet1", limit=1000)  # case-insensitive
    assert page["total"] > 0 and {e["article_id"] for e in page["events"]} <= ids
    api = client.get("/events", params={"publisher": "Outlet1", "limit": 1000}).json()
    ui = client.get("/ui/api/events", params={"publisher": "Outlet1", "limit": 1000}).json()
    assert api["total"] == ui["total"] == page["total"]
    assert all(r["publisher"] == "Outlet1" for r in ui["events"])
    assert client.get("/events", params={"publisher": "Nobody"}).json()["total"] == 0


def test_min_confidence_filter(store, client):
    with store.cursor() as con:
        confs = [r[0] for r in con.execute("SELECT confidence FROM events").fetchall()]
        cut = sorted(c for c in confs if c is not None)[len(confs) // 2]
        want = sum(1 for c in confs if c is not None and c >= cut)
        assert q.events(con, min_confidence=cut)["total"] == want
        with pytest.raises(q.QueryError, match="min_confidence must be a number from 0 to 1"):
            q.event_where(min_confidence="high")
        with pytest.raises(q.QueryError, match="from 0 to 1, got 2.0"):
            q.event_where(min_confidence=2)
    assert client.get("/events", params={"min_confidence": cut}).json()["total"] == want
    assert client.get("/ui/api/events", params={"min_confidence": cut}).json()["total"] == want
    assert client.get("/events", params={"min_confidence": 1.5}).status_code == 422
    assert client.get("/ui/api/events", params={"min_confidence": "x"}).status_code == 400


def test_explorer_deduplicated_rows_are_the_cluster_representatives(store, client):
    with store.cursor() as con:
        clusters = con.execute("SELECT count(*) FROM event_clusters").fetchone()[0]
        events = con.execute("SELECT count(*) FROM events").fetchone()[0]
    d = client.get("/ui/api/events", params={"unique": "true", "limit": 1000}).json()
    assert d["unique"] is True and d["total"] == clusters < events
    assert client.get("/events", params={"unique": "true"}).json()["total"] == clusters
    csv = client.get("/ui/api/events.csv", params={"unique": "true"})
    assert int(csv.headers["x-total-count"]) == clusters


def test_explorer_source_target_sector_root(client):
    src = client.get("/ui/api/events", params={"source": "UKR", "limit": 1000}).json()["events"]
    assert src and all(e["source_code"].startswith("UKR") for e in src)
    tgt = client.get("/ui/api/events", params={"target": "UKR", "limit": 1000}).json()["events"]
    assert tgt and all(e["target_code"].startswith("UKR") for e in tgt)
    assert {e["event_id"] for e in src} != {e["event_id"] for e in tgt}
    mil = client.get("/ui/api/events", params={"sector": "MIL", "limit": 1000}).json()["events"]
    assert mil and all("MIL" in (e["source_sector"], e["target_sector"]) for e in mil)
    root = client.get("/ui/api/events", params={"cameo_root": "11", "limit": 1000}).json()["events"]
    assert root and {e["cameo_root"] for e in root} == {"11"}


def test_explorer_page_offers_every_filter(client):
    html = client.get("/ui/events").text
    for name in ("start", "end", "actor", "source", "target", "country", "sector", "plover_type",
                 "cameo_root", "quad_class", "status", "publisher", "min_confidence", "place",
                 "text", "unique"):
        assert f'name="{name}"' in html, name
    assert '<option value="Outlet1">Outlet1 (' in html  # publishers from the store
    assert '<option value="19">19 Fight</option>' in html
    for ctl in ("page-first", "page-last", "page-number"):
        assert f'id="{ctl}"' in html


# ---------------------------------------------------------------- network
@pytest.mark.parametrize("counts, want", [
    ([], 1), ([5, 3, 1], 1), (list(range(100, 0, -1)), 41),  # keeps 60 of 100 pairs
    ([4] * 70, 4),   # all tied: no threshold keeps fewer than 70; the strongest count
])
def test_auto_min_count(counts, want):
    assert views.auto_min_count(counts) == want
    if counts and len(counts) > views.NETWORK_TARGET_EDGES and len(set(counts)) > 1:
        assert sum(c >= want for c in counts) <= views.NETWORK_TARGET_EDGES


def test_network_defaults_to_countries_with_a_balance(client):
    d = client.get("/ui/api/network").json()
    assert d["level"] == "country" and d["auto_min_count"] is True and d["min_count"] == 1
    assert all(len(n["id"]) == 3 for n in d["nodes"])
    for n in d["nodes"]:
        cc = n["cooperation"] + n["conflict"]
        assert n["balance"] == (round((n["cooperation"] - n["conflict"]) / cc, 3) if cc else None)
        assert -1 <= (n["balance"] or 0) <= 1
    names = {n["id"]: n["name"] for n in d["nodes"]}
    assert names["USA"] == "United States" and names["RUS"] == "Russian Federation"
    fixed = client.get("/ui/api/network", params={"min_count": 21, "level": "code"}).json()
    assert fixed["auto_min_count"] is False and all(e["count"] >= 21 for e in fixed["edges"])


def test_network_automatic_minimum_keeps_it_readable(store):
    # 90 country pairs of 1..90 events: the minimum keeps the 60 strongest
    from eventcoder.store import Store

    st = Store()
    st.con.execute("INSERT INTO events (event_id, article_id, source_country, target_country, "
                   "quad_class, goldstein, status) SELECT 'e' || i || '-' || j, 'a', 'S' || lpad(i::VARCHAR, 2, '0'), "
                   "'TGT', CASE WHEN j % 2 = 0 THEN 1 ELSE 4 END, 0, 'occurred' "
                   "FROM range(1, 91) r(i), range(1, 91) s(j) WHERE j <= i")
    with st.cursor() as con:
        d = views.network(con, {})
    assert d["pairs_total"] == 90 and d["min_count"] == 31 and len(d["edges"]) == 60
    assert d["edges"][-1]["count"] == 31 and not d["truncated"]
    st.close()


# ---------------------------------------------------------------- positions
def test_positions_grouped_by_actor_and_paged(client):
    d = client.get("/ui/api/positions", params={"issue": "truce"}).json()
    assert d["actors_total"] == 25 and len(d["actors"]) == 20 and d["offset"] == 0
    assert d["positions_total"] == 55 + 24
    first = d["actors"][0]
    assert first["actor"] == "USAGOV" and first["positions"] == 55
    assert first["shown"] == views.POSITIONS_PER_ACTOR and first["truncated"] is True
    assert sum(p["actor_key"] == "USAGOV" for p in d["positions"]) == views.POSITIONS_PER_ACTOR
    assert {p["actor_key"] for p in d["positions"]} == {g["actor"] for g in d["actors"]}
    p2 = client.get("/ui/api/positions", params={"issue": "truce", "offset": 20}).json()
    assert len(p2["actors"]) == 5 and not any(g["truncated"] for g in p2["actors"])
    assert not {g["actor"] for g in p2["actors"]} & {g["actor"] for g in d["actors"]}
    dates = [p["date"] for p in p2["positions"]]
    assert dates == sorted(dates)


def test_positions_issue_list_reports_its_cap(client):
    d = client.get("/ui/api/positions").json()
    assert d["issues_total"] == len(d["issues"]) and d["issues_truncated"] is False


# ---------------------------------------------------------------- home
def test_home_view(store, client):
    d = client.get("/ui/api/home").json()
    t = d["over_time"]
    assert t["interval"] == "day"  # the synthetic corpus spans three weeks
    periods = [r["period"] for r in t["series"]]
    assert periods == sorted(periods) and len(set(periods)) == len(periods)
    with store.cursor() as con:
        dated = con.execute("SELECT count(*) FROM events WHERE event_date IS NOT NULL").fetchone()[0]
    assert t["span"]["events"] + t["span"]["outside"] == dated
    assert sum(r["events"] for r in t["series"]) == t["span"]["events"]
    assert all(r["cooperation"] + r["conflict"] <= r["events"] for r in t["series"])
    from datetime import date

    from eventcoder import series

    assert periods == [d.isoformat() for d in series.periods(
        date.fromisoformat(periods[0]), date.fromisoformat(periods[-1]), "day")]  # no gap
    top = d["top_dyads"]
    assert top and all(top[i]["events"] >= top[i + 1]["events"] for i in range(len(top) - 1))
    assert all(x["a"] < x["b"] for x in top)  # undirected
    assert sum(r["events"] for r in d["types"]) == store.counts()["events"]

"""The HTTP API against a real uvicorn server on 127.0.0.1: endpoints, errors, limits,
SQL-injection attempts, 50 concurrent requests, read-only mode, and schemathesis property
tests generated from the OpenAPI schema."""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time

import httpx
import pytest
import uvicorn

from eventcoder import query as q
from eventcoder.api import create_app
from eventcoder.store import Store

from support import PatternCoder, Server, articles_of, free_port, make_corpus, sub_env


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "api.duckdb"
    with Store(path) as st:
        st.ingest(articles_of(make_corpus(40)), coder=PatternCoder())
    return path


@pytest.fixture(scope="module")
def live(db):
    store = Store(db)
    app = create_app(store, coder=PatternCoder(), max_body=200_000)
    with Server(app) as url:
        yield url, store
    store.close()


@pytest.fixture(scope="module")
def client(live):
    with httpx.Client(base_url=live[0], timeout=30) as c:
        yield c


def test_health_and_openapi(client):
    h = client.get("/health").json()
    assert h["status"] == "ok" and h["articles"] >= 40 and h["read_only"] is False
    schema = client.get("/openapi.json").json()
    for path in ("/code", "/articles", "/events", "/dyads/{a}/{b}/series", "/actors/{code}",
                 "/articles/{article_id}", "/health"):
        assert path in schema["paths"]


def test_events_filters_and_pagination(client, live):
    r = client.get("/events", params={"actor": "USA", "start": "2025-03-01", "end": "2025-03-10",
                                      "limit": 5})
    assert r.status_code == 200
    body = r.json()
    want = q.events(live[1].cursor(), actor="USA", start="2025-03-01", end="2025-03-10", limit=5)
    assert body["total"] == want["total"] > 5
    assert [e["event_id"] for e in body["events"]] == [e["event_id"] for e in want["events"]]
    page2 = client.get("/events", params={"actor": "USA", "start": "2025-03-01",
                                          "end": "2025-03-10", "limit": 5, "offset": 5}).json()
    assert not {e["event_id"] for e in body["events"]} & {e["event_id"] for e in page2["events"]}
    r = client.get("/events", params={"plover_type": "ACCUSE", "country": "RUS", "place": "Riyadh",
                                      "quad_class": "3", "unique": "true"})
    assert r.status_code == 200


def test_dyad_actor_article(client):
    s = client.get("/dyads/USA/RUS/series", params={"interval": "month"}).json()
    assert s["interval"] == "month" and s["series"] and s["series"][0]["events"] > 0
    a = client.get("/actors/UKRGOV").json()
    assert a["code"] == "UKRGOV" and a["partners"] and a["trend"]
    nf = client.get("/actors/ZZZ")
    assert nf.status_code == 404 and nf.json()["error"].startswith("no events")
    art = client.get("/articles/doc0001").json()
    text = art["text"]
    for span in art["spans"]["actors"]:
        assert text[span["start"]:span["end"]] == span["text"]
    for span in art["spans"]["triggers"]:
        assert text[span["start"]:span["end"]] == span["text"]
    (quote,) = art["spans"]["quotes"]
    (cs,) = quote["content_spans"]
    assert text[cs[0]:cs[1]] == quote["content"]
    assert text[quote["speaker_span"][0]:quote["speaker_span"][1]] == "UKRGOV"
    assert text[quote["cue_span"][0]:quote["cue_span"][1]] == "said"
    assert client.get("/articles/nope").status_code == 404


def test_series_and_profile_take_the_counted_statuses(client):
    occurred = client.get("/dyads/USA/RUS/series", params={"interval": "month"}).json()
    every = client.get("/dyads/USA/RUS/series", params={"interval": "month", "status": "all",
                                                          "references": True}).json()
    assert sum(p["events"] for p in every["series"]) >= sum(p["events"] for p in occurred["series"]) > 0
    prof = client.get("/actors/UKRGOV", params={"status": "occurred,planned"})
    assert prof.status_code == 200 and prof.json()["code"] == "UKRGOV"


def test_code_and_post_articles(client):
    r = client.post("/code", json={"text": "USAGOV met RUSGOV in Riyadh.", "published": "2025-02-18"})
    assert r.status_code == 200
    (e,) = r.json()["events"]
    assert e["cameo_code"] == "040" and e["source"]["code"] == "USAGOV" and e["date"] == "2025-02-18"
    before = client.get("/health").json()["articles"]
    new = {"articles": [{"article_id": "api-1", "text": "FRAGOV aided UKRGOV.",
                         "published": "2025-04-01", "source_name": "Le Monde"},
                        {"text": "DEUGOV phoned FRAGOV."}]}
    r = client.post("/articles", json=new)
    assert r.status_code == 200 and r.json()["stored"] == 2
    again = client.post("/articles", json=new).json()
    assert again["stored"] == 0 and again["skipped"] == 2
    assert client.get("/health").json()["articles"] == before + 2
    got = client.get("/events", params={"source": "FRAGOV", "target": "UKRGOV",
                                        "start": "2025-04-01"}).json()
    assert got["total"] == 1 and got["events"][0]["article_id"] == "api-1"


@pytest.mark.parametrize("path, params", [
    ("/events", {"actor": "USA' OR '1'='1"}),
    ("/events", {"country": "USA; DROP TABLE events"}),
    ("/events", {"start": "2025-01-01' OR 1=1 --"}),
    ("/events", {"quad_class": "1) OR (1=1"}),
    ("/events", {"plover_type": "CONSULT'--"}),
    ("/events", {"limit": "10; DELETE FROM events"}),
    ("/events", {"limit": 100000}),
    ("/dyads/USA'--/RUS/series", {}),
    ("/dyads/USA/RUS/series", {"interval": "year'; DROP TABLE events;--"}),
    ("/actors/RUS%20OR%201=1", {}),
    ("/dyads/USA/RUS/series", {"status": "occurred' OR 1=1"}),
    ("/actors/UKRGOV", {"status": "rumoured"}),
])
def test_injection_and_bad_input_rejected_cleanly(client, path, params):
    r = client.get(path, params=params)
    assert r.status_code in (400, 404, 422), r.text
    body = r.json()
    assert body["status"] == r.status_code and body["error"]


def test_injection_in_free_text_is_only_data(client):
    before = client.get("/health").json()
    for text in ("'; DROP TABLE events; --", "%' OR '1'='1", "\\x00\" UNION SELECT * FROM articles"):
        r = client.get("/events", params={"text": text, "place": text})
        assert r.status_code == 200 and r.json()["total"] == 0
        r = client.get(f"/articles/{text}")
        assert r.status_code == 404
    assert client.get("/health").json() == before


def test_oversized_and_malformed_bodies(client, live):
    big = "USAGOV met RUSGOV. " * 20_000  # ~380 kB > the 200 kB limit of this server
    r = client.post("/code", json={"text": big})
    assert r.status_code == 413 and "over" in r.json()["error"]

    def chunks():  # no content-length: the limit applies while streaming
        for _ in range(50):
            yield b"x" * 10_000

    r = client.post("/articles", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    r = client.post("/code", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]
    r = client.post("/code", json={"text": ""})
    assert r.status_code == 422 and "text" in r.json()["error"]
    r = client.post("/articles", json={"articles": [{"text": "x"}] * 101})
    assert r.status_code == 422
    assert client.get("/health").status_code == 200


def test_fifty_concurrent_requests_are_answered_correctly(live):
    url, store = live
    actors = ["USA", "RUS", "UKR", "CHN", "FRA", "USAGOV", "RUSMIL", "UKRGOV", "CHNGOV", "FRAGOV"]
    con = store.cursor()
    expected = {}
    for a in actors:
        expected[("events", a)] = q.events(con, actor=a, limit=10)["total"]
        expected[("dyad", a)] = sum(r["events"] for r in q.dyad_series(con, a, "USA"))
        prof = q.actor_profile(con, a)
        expected[("actor", a)] = prof["events"] if prof else None
    con.close()

    async def one(client, i):
        a = actors[i % len(actors)]
        kind = ("events", "dyad", "actor", "health", "article")[i % 5]
        if kind == "events":
            r = await client.get("/events", params={"actor": a, "limit": 10})
            return r.status_code == 200 and r.json()["total"] == expected[(kind, a)]
        if kind == "dyad":
            r = await client.get(f"/dyads/{a}/USA/series")
            return r.status_code == 200 and sum(x["events"] for x in r.json()["series"]) == expected[(kind, a)]
        if kind == "actor":
            r = await client.get(f"/actors/{a}")
            if expected[(kind, a)] is None:
                return r.status_code == 404
            return r.status_code == 200 and r.json()["events"] == expected[(kind, a)]
        if kind == "health":
            r = await client.get("/health")
            return r.status_code == 200 and r.json()["status"] == "ok"
        r = await client.get(f"/articles/doc{i % 40:04d}")
        return r.status_code == 200 and r.json()["article_id"] == f"doc{i % 40:04d}"

    async def main():
        limits = httpx.Limits(max_connections=50)
        async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
            return await asyncio.gather(*(one(client, i) for i in range(50)))

    results = asyncio.run(main())
    assert all(results), [i for i, ok in enumerate(results) if not ok]


def test_read_only_server_via_cli(tmp_path):
    db = tmp_path / "ro.duckdb"  # the module's database is held by the in-process server
    with Store(db) as st:
        st.ingest(articles_of(make_corpus(5)), coder=PatternCoder())
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "eventcoder", "serve", "--db", str(db),
                             "--read-only", "--port", str(port), "--log-level", "warning",
                             "--coder", "support:PatternCoder"],
                            env=sub_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while True:
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.time() < deadline, "server did not start"
            time.sleep(0.1)
        h = httpx.get(url + "/health").json()
        assert h["read_only"] is True
        r = httpx.post(url + "/articles", json={"articles": [{"text": "USAGOV met RUSGOV."}]})
        assert r.status_code == 403 and r.json()["error"] == "the server is read-only"
        assert httpx.post(url + "/code", json={"text": "USAGOV met RUSGOV."}).status_code == 200
        assert httpx.get(url + "/events", params={"limit": 2}).json()["total"] > 0
    finally:
        proc.terminate()
        proc.wait(10)


# ---------------------------------------------------------------- schemathesis
OPERATIONS = ["GET /health", "POST /code", "POST /articles", "GET /events",
              "GET /dyads/{a}/{b}/series", "GET /actors/{code}", "GET /articles/{article_id}",
              "GET /positions", "GET /positions/issues"]


@pytest.mark.parametrize("label", OPERATIONS)
def test_openapi_properties(live, label):
    """Property tests generated from the live server's OpenAPI schema (schemathesis): every
    generated request gets a documented status, a JSON body matching the schema, no 5xx."""
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, given, settings

    schema = schemathesis.openapi.from_url(live[0] + "/openapi.json")
    ops = {r.ok().label: r.ok() for r in schema.get_all_operations()}
    assert set(OPERATIONS) == set(ops)

    @given(case=ops[label].as_strategy())
    @settings(max_examples=60, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        case.call_and_validate()

    run()

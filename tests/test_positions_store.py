"""Positions in the store: linking responses to proposals across articles, queries, HTTP endpoints."""
from __future__ import annotations

import httpx

from eventcoder import query as q
from eventcoder.api import create_app
from eventcoder.coder import CodedArticle
from eventcoder.model import Actor, Article, Position
from eventcoder.store import Store

from support import Server

ZEL = Actor("Zelenskyy", name="Volodymyr Zelensky", country="UKR", sector="GOV")
PESKOV = Actor("Peskov", name="Dmitry Peskov", country="RUS", sector="GOV")
HEGSETH = Actor("Hegseth", name="Pete Hegseth", country="USA", sector="GOV")


def coded(aid, day, *positions):
    return CodedArticle(Article(aid, f"text of {aid}", published=day), positions=list(positions))


def pos(aid, actor, issue, stance, day, start=0, responds_to=None):
    return Position(aid, actor, issue, stance, f"{actor.name} {stance}s {issue}", day,
                    span=(start, start + 10), responds_to=responds_to)


def build(path):
    proposal = pos("a1", ZEL, "territory exchange", "propose", "2025-02-12")
    with Store(path) as st:
        st.ingest([coded("a1", "2025-02-12", proposal)])
        # A later article answers it; and an unrelated issue and a same-actor statement do not link.
        st.ingest([coded("a2", "2025-02-13",
                         pos("a2", PESKOV, "territory exchange", "reject", "2025-02-13", 5),
                         pos("a2", HEGSETH, "Ukraine NATO membership", "oppose", "2025-02-13", 40),
                         pos("a2", ZEL, "territory exchange", "support", "2025-02-13", 80))])
        # A response dated before the proposal cannot answer it.
        st.ingest([coded("a0", "2025-02-01", pos("a0", PESKOV, "territory exchange", "reject", "2025-02-01"))])
    return proposal.position_id


def test_responses_link_to_proposals_across_articles(tmp_path):
    db = tmp_path / "p.duckdb"
    proposal_id = build(db)
    with Store(db, read_only=True) as st:
        res = st.positions(issue="territory exchange")
        by = {(r["actor_name"], str(r["date"])): r for r in res["positions"]}
        assert res["total"] == 4
        assert by[("Dmitry Peskov", "2025-02-13")]["responds_to"] == proposal_id
        assert by[("Dmitry Peskov", "2025-02-13")]["responds_to_actor"] == "Volodymyr Zelensky"
        assert by[("Dmitry Peskov", "2025-02-01")]["responds_to"] is None  # earlier than the proposal
        assert by[("Volodymyr Zelensky", "2025-02-13")]["responds_to"] is None  # own proposal
        # oldest first
        assert [str(r["date"]) for r in res["positions"]] == sorted(
            str(r["date"]) for r in res["positions"])
        hegseth = st.positions(actor="USAGOV")["positions"]
        assert [(r["issue"], r["stance"]) for r in hegseth] == [("Ukraine NATO membership", "oppose")]
        assert st.positions(actor="Dmitry Peskov", stance="reject")["total"] == 2
        issues = {r["issue"]: r for r in q.issues(st.cursor())}
        assert issues["territory exchange"]["propose"] == 1 and issues["territory exchange"]["reject"] == 2


def test_positions_http_endpoints(tmp_path):
    db = tmp_path / "p.duckdb"
    proposal_id = build(db)
    store = Store(db)
    try:
        with Server(create_app(store)) as url, httpx.Client(base_url=url, timeout=30) as c:
            r = c.get("/positions", params={"issue": "territory exchange", "stance": "reject"})
            assert r.status_code == 200
            body = r.json()
            assert body["total"] == 2
            assert proposal_id in {p["responds_to"] for p in body["positions"]}
            r = c.get("/positions", params={"actor": "UKRGOV"})
            assert {p["stance"] for p in r.json()["positions"]} == {"propose", "support"}
            assert c.get("/positions/issues").json()[0]["issue"] == "territory exchange"
            bad = c.get("/positions", params={"stance": "maybe"})
            assert bad.status_code in (400, 422) and "error" in bad.json()
            inj = c.get("/positions", params={"issue": "x' OR '1'='1"})
            assert inj.status_code == 200 and inj.json()["total"] == 0
    finally:
        store.close()

"""Positions: issue/stance derivation, response linking, and the seed article's positions."""
from __future__ import annotations

import pytest

from eventcoder.model import Actor, Article, Position
from eventcoder.positions import find_issues, link_positions, positions_of_actor, positions_on_issue, stance_of
from support import shared_path


def test_issues_normalised():
    assert find_issues("that Ukraine's NATO membership is improbable") == ["Ukraine NATO membership"]
    assert find_issues("exchanging territories under Russian control for areas in Kursk")[0] == "territory exchange"
    assert find_issues("a swift cessation of military actions") == ["ceasefire"]
    assert find_issues("the weather was fine") == []


def test_stances():
    assert stance_of("propose", "exchanging territories") == "propose"
    assert stance_of("dismiss", "this idea as impossible") == "reject"
    assert stance_of("state", "that Ukraine's NATO membership is improbable") == "oppose"
    assert stance_of("say", "the weather was fine") == "neutral"


def _p(aid, name, issue, stance, date, start=0):
    return Position(article_id=aid, actor=Actor(text=name, name=name, country="XXX"), issue=issue,
                    stance=stance, evidence="…", date=date, span=(start, start + 1))


def test_link_across_articles():
    prop = _p("a1", "Zelenskyy", "territory exchange", "propose", "2025-02-12")
    other = _p("a1", "Zelenskyy", "ceasefire", "propose", "2025-02-12", 5)
    rej = _p("a2", "Peskov", "territory exchange", "reject", "2025-02-13")
    link_positions([rej], [prop, other])
    assert rej.responds_to == prop.position_id
    # no self-answers, no answering a later proposal
    own = _p("a3", "Zelenskyy", "territory exchange", "support", "2025-02-14")
    link_positions([own], [prop])
    assert own.responds_to is None
    early = _p("a0", "Peskov", "territory exchange", "reject", "2025-02-01")
    link_positions([early], [prop])
    assert early.responds_to is None


def test_queries():
    ps = [_p("a2", "Peskov", "territory exchange", "reject", "2025-02-13"),
          _p("a1", "Zelenskyy", "territory exchange", "propose", "2025-02-12"),
          _p("a1", "Zelenskyy", "ceasefire", "support", "2025-02-11")]
    assert [p.actor.name for p in positions_on_issue(ps, "Territory exchange")] == ["Zelenskyy", "Peskov"]
    assert [p.issue for p in positions_of_actor(ps, "zelenskyy")] == ["ceasefire", "territory exchange"]


@pytest.fixture(scope="module")
def seed_positions():
    from eventcoder.coder import Coder
    text = shared_path("seed", "ukraine-peace-talks-2025-02-13.txt").read_text(encoding="utf-8")
    res = next(Coder(quotes=True).code_articles([Article("seed", text, published="2025-02-13")]))
    assert res.error is None, res.error
    return res.positions


def _find(ps, name, issue, stance):
    return [p for p in ps if p.actor is not None and name in (p.actor.name or "")
            and p.issue == issue and p.stance == stance]


def test_seed_positions(seed_positions):
    ps = seed_positions
    prop = _find(ps, "Zelensk", "territory exchange", "propose")
    rej = _find(ps, "Peskov", "territory exchange", "reject")
    assert prop and rej
    assert rej[0].responds_to == prop[0].position_id
    assert _find(ps, "Hegseth", "Ukraine NATO membership", "oppose")
    for p in ps:
        assert p.stance in ("propose", "support", "oppose", "reject", "neutral")
        assert p.date == "2025-02-13" and p.evidence

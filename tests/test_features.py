"""The learned stage's candidate features on hand-given parses (learn/features.py)."""
from __future__ import annotations

from eventcoder.learn.features import Mention, clause_features, trigger_features
from eventcoder.model import Actor


def _doc(make_doc, rows):
    return make_doc([r[0] for r in rows], heads=[r[1] for r in rows], deps=[r[2] for r in rows],
                    pos=[r[3] for r in rows], lemmas=[r[4] for r in rows])


def _mentions(doc, countries: dict) -> dict:
    return {i: Mention(doc[i], [Actor(text=doc[i].text, code=c, country=c)]) for i, c in countries.items()}


def test_a_plain_clause_about_another_actor(make_doc):
    # "The United States warned that Russia is dangerous"
    doc = _doc(make_doc, [("States", 1, "nsubj", "PROPN", "States"), ("warned", 1, "ROOT", "VERB", "warn"),
                          ("that", 4, "mark", "SCONJ", "that"), ("Russia", 4, "nsubj", "PROPN", "Russia"),
                          ("is", 1, "ccomp", "AUX", "be"), ("dangerous", 4, "acomp", "ADJ", "dangerous")])
    m = _mentions(doc, {0: "USA", 3: "RUS"})
    assert clause_features(doc[1], doc[4], "warn", m) == ["cmood=plain", "cwho=other", "cl=warn|plain|other"]
    assert "cl=warn|plain|other" in trigger_features(doc[1], "THREATEN", None, None, m, 0, False)


def test_a_modal_clause_about_the_speakers_own_side(make_doc):
    # "Iran warned that Tehran would retaliate"
    doc = _doc(make_doc, [("Iran", 1, "nsubj", "PROPN", "Iran"), ("warned", 1, "ROOT", "VERB", "warn"),
                          ("that", 5, "mark", "SCONJ", "that"), ("Tehran", 5, "nsubj", "PROPN", "Tehran"),
                          ("would", 5, "aux", "AUX", "would"), ("retaliate", 1, "ccomp", "VERB", "retaliate")])
    m = _mentions(doc, {0: "IRN", 3: "IRN"})
    assert clause_features(doc[1], doc[5], "warn", m)[:2] == ["cmood=modal", "cwho=self"]


def test_an_expletive_or_unknown_subject(make_doc):
    # "The U.S. warned there is more to come"; "officials warned it is too big"
    doc = _doc(make_doc, [("U.S.", 1, "nsubj", "PROPN", "U.S."), ("warned", 1, "ROOT", "VERB", "warn"),
                          ("there", 3, "expl", "PRON", "there"), ("is", 1, "ccomp", "AUX", "be"),
                          ("more", 3, "attr", "ADJ", "more")])
    assert clause_features(doc[1], doc[3], "warn", _mentions(doc, {0: "USA"}))[1] == "cwho=expl"
    doc = _doc(make_doc, [("officials", 1, "nsubj", "NOUN", "official"), ("warned", 1, "ROOT", "VERB", "warn"),
                          ("it", 3, "nsubj", "PRON", "it"), ("is", 1, "ccomp", "AUX", "be"),
                          ("big", 3, "acomp", "ADJ", "big")])
    assert clause_features(doc[1], doc[3], "warn", {})[1] == "cwho=pron"
    assert clause_features(doc[0], doc[0], "official", {})[1] == "cwho=none"  # a clause with no subject

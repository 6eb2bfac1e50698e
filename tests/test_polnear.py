"""PolNeAR loader and scoring (and a small end-to-end run on the dev split)."""
from __future__ import annotations

from eventcoder import polnear as pn
from support import shared_path

ANN = """T1\tSource 0 5\tPeter
T2\tCue 6 10\tsaid
T3\tContent 11 20;25 30\tit rained xxxxx
T4\tAttribution 6 10\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T5\tCue 40 52\taccording to
T6\tContent 60 70\tsomething
T7\tAttribution-no-source 40 52\taccording to
E2\tAttribution-no-source:T7 Content:T6 Cue:T5
#1\tAnnotatorNotes T1\tnote
"""


def test_parse_ann_discontinuous_and_no_source():
    atts = pn.parse_ann(ANN)
    assert len(atts) == 2
    a, b = atts
    assert a.source == [(0, 5)] and a.cue == [(6, 10)] and a.content == [(11, 20), (25, 30)]
    assert b.source == [] and b.cue == [(40, 52)]


def test_scoring_exact_and_overlap():
    text = "Peter said it rained today, he said."
    gold = [pn.Attribution(source=[(0, 5)], cue=[(6, 10)], content=[(11, 26)])]
    pred = [pn.Attribution(source=[(0, 5)], cue=[(6, 10)], content=[(11, 20)])]
    counts = pn.new_counts()
    pn.score_article(text, pred, gold, counts)
    res = pn.summarise(counts)
    assert res["exact"]["source"]["f1"] == 1.0 and res["exact"]["cue"]["f1"] == 1.0
    assert res["exact"]["content"]["f1"] == 0.0 and res["overlap"]["content"]["f1"] == 1.0
    # punctuation and quote marks at the edges do not break an exact match
    counts = pn.new_counts()
    pn.score_article(text, [pn.Attribution(cue=[(6, 10)], content=[(11, 27)])], gold, counts)
    assert pn.summarise(counts)["exact"]["content"]["tp"] == 1


def test_spurious_and_missed_count():
    text = "x" * 100
    gold = [pn.Attribution(cue=[(0, 4)], content=[(5, 9)])]
    pred = [pn.Attribution(cue=[(50, 54)], content=[(60, 70)])]
    counts = pn.new_counts()
    pn.score_article(text, pred, gold, counts)
    c = pn.summarise(counts)["overlap"]["cue"]
    assert (c["tp"], c["pred"], c["gold"]) == (0, 1, 1)


def test_load_dev_split():
    dev = shared_path("polnear", "dev")
    arts = list(pn.load_split(dev))
    assert len(arts) == 84
    assert sum(len(a.attributions) for a in arts) > 1500
    a = arts[0]
    for att in a.attributions[:20]:
        for s, e in att.cue + att.content + att.source:
            assert 0 <= s < e <= len(a.text)


def test_dev_overlap_targets():
    """The issue's targets on dev (overlap F1 >= 0.70 for source, cue and content)."""
    dev = shared_path("polnear", "dev")
    res = pn.evaluate(dev)
    ov = res["scores"]["overlap"]
    assert ov["source"]["f1"] >= 0.70, ov
    assert ov["cue"]["f1"] >= 0.70, ov
    assert ov["content"]["f1"] >= 0.70, ov

"""`eventcoder eval dedup`: pairwise precision/recall and purity on hand-made labelled pairs.

tests/data/dedup/ holds eight short articles written for this test and ten labelled pairs. A
small word coder (below) codes them the same way every time, so the expected figures follow from
the dedup rule alone: reciprocal and country-level matches merge, another target or sector does
not, an empty target never merges (a miss by design), and a second same-day meeting of the same
two governments merges (a wrong merge by design).
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from eventcoder import dedup_eval as de
from eventcoder.cli import main
from eventcoder.model import Actor, Event

DATA = Path(__file__).parent / "data" / "dedup"
DATE = {"scorer": "none", "actor_level": "name"}  # the date rule alone (no learned scorer)
ACTORS = {"Washington": ("USA", "GOV"), "Moscow": ("RUS", "GOV"), "Kyiv": ("UKR", "GOV"),
          "The United States": ("USA", None), "The Pentagon": ("USA", "MIL")}
VERBS = {"met": ("040", "CONSULT", 1.0, 1), "attacked": ("190", "ASSAULT", -10.0, 4)}
_SENT = re.compile(r"(?:[A-Z][a-z]+, )?(?P<src>The United States|The Pentagon|Washington|Moscow|Kyiv) "
                   r"(?P<verb>met|attacked)(?: (?P<tgt>Washington|Moscow|Kyiv))?")


class WordCoder:
    """One event per "ACTOR VERB [ACTOR]" clause; spans are real offsets into the text."""

    def code_articles(self, articles):
        for a in articles:
            events = []
            for m in _SENT.finditer(a.text):
                code, plover, gold, quad = VERBS[m["verb"]]

                def actor(g):
                    if not m[g]:
                        return None
                    c, s = ACTORS[m[g]]
                    return Actor(m[g], country=c, sector=s, span=(m.start(g), m.end(g)))

                events.append(Event(
                    article_id=a.article_id, date=a.published, published=a.published,
                    source=actor("src"), target=actor("tgt"), cameo_code=code, cameo_root=code[:2],
                    cameo_name="n", goldstein=gold, quad_class=quad, plover_type=plover,
                    plover_mode=None, status="occurred", location=None, sentence_index=0,
                    sentence=m.group(0), trigger=m["verb"], span=(m.start("verb"), m.end("verb"))))
            yield SimpleNamespace(article=a, events=events, quotes=[], positions=[], error=None)


def test_labelled_offsets_point_at_the_trigger_words():
    texts = {json.loads(line)["id"]: json.loads(line)["text"] for line in open(DATA / "articles.jsonl")}
    for p in de.read_labels(DATA / "pairs.jsonl"):
        for side in ("a", "b"):
            m = p[side]
            assert texts[m["article_id"]][m["start"]:m["end"]] in ("met", "attacked", "long")


def test_pairwise_precision_recall_and_purity_on_hand_made_pairs():
    res = de.run(DATA / "pairs.jsonl", DATA / "articles.jsonl", coder=WordCoder(), rule=DATE)
    assert (res["tp"], res["fp"], res["fn"], res["tn"]) == (3, 1, 1, 5)
    assert res["precision"] == pytest.approx(0.75) and res["recall"] == pytest.approx(0.75)
    assert res["no_event_pairs"] == 1 and res["mentions_without_event"] == 1
    # gold events {h1,h2,h3 met} {h1,h5,h6 attacked} and four single meetings; predicted clusters
    # {h1,h2,h3,h8 met} {h1,h5 attacked} {h6} {h4} {h7}: 8 of 9 mentions with their majority
    assert res["purity"] == pytest.approx(8 / 9)
    assert [p["pair_id"] for p in res["wrong_merges"]] == ["p10"]
    assert [p["pair_id"] for p in res["misses"]] == ["p5"]
    report = de.format_report(res)
    assert "P 0.750 R 0.750" in report and "In Geneva, Washington met Moscow" not in report.split("misses")[1]
    assert "Washington met Moscow" in report


def test_a_stricter_rule_changes_the_figures():
    # without reciprocal matching the reversed report of the meeting is a miss
    res = de.run(DATA / "pairs.jsonl", DATA / "articles.jsonl", coder=WordCoder(),
                 rule={**DATE, "reciprocal": False})
    assert res["rule"]["reciprocal"] is False
    assert {p["pair_id"] for p in res["misses"]} == {"p1", "p5"}


def test_offsets_map_when_the_stored_text_differs():
    raw = "Headline\n\nMoscow met Washington in Riyadh."
    stored = "Moscow met Washington in Riyadh."
    s = raw.index("met")
    assert de.map_offsets(raw, stored, s, s + 3) == (7, 10)
    assert de.map_offsets(stored, stored, 7, 10) == (7, 10)


@pytest.mark.parametrize("line, msg", [
    ("not json", "not JSON"),
    ('{"a": {"article_id": "x", "start": 3, "end": 1}, "b": {"article_id": "y", "start": 0, "end": 1}, '
     '"same": true}', "0 <= start < end"),
    ('{"a": {"article_id": "x", "start": 0, "end": 1}, "b": {"article_id": "y", "start": 0, "end": 1}, '
     '"same": "yes"}', '"same" must be true or false'),
])
def test_bad_label_lines_are_named(tmp_path, line, msg):
    f = tmp_path / "labels.jsonl"
    f.write_text(line + "\n")
    with pytest.raises(de.LabelError, match=msg) as exc:
        de.read_labels(f)
    assert f"{f}:1" in str(exc.value)


def test_cli_reports_and_refuses_bad_input(tmp_path, capsys):
    rc = main(["eval", "dedup", str(DATA / "pairs.jsonl"), "--articles", str(DATA / "articles.jsonl"),
               "--coder", "tests.test_dedup_eval:WordCoder", "--json", str(tmp_path / "r.json")])
    out = capsys.readouterr().out
    assert rc == 0 and "pairwise: P 0.750 R 0.750" in out and "purity over labelled mentions: 0.889" in out
    saved = json.loads((tmp_path / "r.json").read_text())
    assert saved["tp"] == 3 and saved["wrong_merges"][0]["pair_id"] == "p10"
    missing = tmp_path / "other.jsonl"
    missing.write_text(json.dumps({"id": "zz", "text": "Nothing here."}) + "\n")
    rc = main(["eval", "dedup", str(DATA / "pairs.jsonl"), "--articles", str(missing),
               "--coder", "tests.test_dedup_eval:WordCoder"])
    err = capsys.readouterr().err
    assert rc == 2 and "labelled article(s) not found" in err and len(err.strip().splitlines()) == 1


def test_offsets_survive_the_page_furniture_ingest_removes(tmp_path):
    # the labels point into the file's text; ingest drops the "Advertisement" line before storing
    arts = tmp_path / "a.jsonl"
    texts = {"f1": "Advertisement\nSign up for Daily Newsletters\nWashington met Moscow in Riyadh.",
             "f2": "Moscow met Washington in Riyadh."}
    arts.write_text("".join(json.dumps({"id": k, "text": v, "published": "2025-03-10"}) + "\n"
                            for k, v in texts.items()), encoding="utf-8")
    s1 = texts["f1"].index("met")
    pairs = tmp_path / "p.jsonl"
    pairs.write_text(json.dumps({"pair_id": "x", "a": {"article_id": "f1", "start": s1, "end": s1 + 3},
                                 "b": {"article_id": "f2", "start": 7, "end": 10}, "same": True}) + "\n",
                     encoding="utf-8")
    res = de.run(pairs, arts, coder=WordCoder())
    assert res["mentions_without_event"] == 0 and (res["tp"], res["fn"]) == (1, 0)

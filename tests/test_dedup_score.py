"""The learned dedup pair scorer (eventcoder.dedup_score, dedup_train): training on a tiny set,
loading, scoring, clustering with it in a store, the CLI options and bad inputs."""
from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from eventcoder import dedup, dedup_score, dedup_train
from eventcoder.cli import main
from eventcoder.errors import UsageError
from eventcoder.model import Actor, Article, Event
from eventcoder.rows import event_row
from eventcoder.store import Coded, Store


def ev(aid, src, tgt, date, sentence, *, code="040", plover="CONSULT", status="occurred",
       published=None, name_s=None):
    def actor(c, name=None):
        return Actor(c, name=name, country=c[:3], sector=c[3:] or None) if c else None

    return Event(article_id=aid, date=date, published=published or date, source=actor(src, name_s),
                 target=actor(tgt), cameo_code=code, cameo_root=code[:2], cameo_name="n",
                 goldstein=1.0, quad_class=1, plover_type=plover, plover_mode=None, status=status,
                 location=None, sentence_index=0, sentence=sentence, trigger=sentence.split()[2],
                 span=(0, 1))


def prepared(e: Event) -> dict:
    """The mention clustering compares, from an event as the store holds it."""
    row = event_row(e)
    row["event_date"], row["published"] = date.fromisoformat(e.date), date.fromisoformat(e.published)
    return dedup_score.prepare(dedup.mention(row), 0)


AHEAD = ev("a1", "USAGOV", "IGOMIL", "2014-09-01",
           "Obama flew to Estonia ahead of this week's NATO summit in Wales.")
BACK = ev("b1", "USAGOV", "IGOMIL", "2014-09-06",
          "Obama returned from the NATO summit in Wales, where allies agreed a rapid force.")
OTHER = ev("c1", "USAGOV", "IGOMIL", "2014-09-06",
           "Obama spoke to NATO commanders by phone about Afghanistan troop numbers.")


def tiny_model(threshold=None):
    """A scorer fitted on hand-made feature rows: the summit told before and after is one event;
    a phone call about troops is neither."""
    rows, labels = [], []
    for first, second, same in ((AHEAD, BACK, 1), (AHEAD, OTHER, 0), (BACK, OTHER, 0)):
        for k in range(6):
            x = dedup_score.features(prepared(first), prepared(second))
            x[dedup_score.FEATURES.index("pub_gap")] += 0.01 * k  # not all rows identical
            rows.append(x)
            labels.append(same)
    return dedup_train.fit(rows, labels, threshold=threshold)


def test_features_see_a_planned_mention_before_and_a_past_one_after():
    a, b = prepared(AHEAD), prepared(BACK)
    assert a["_ahead"] and not a["_back"] and b["_back"]
    assert dedup_score.candidate(a, b)  # 5 days apart, but the cues reach each other
    f = dict(zip(dedup_score.FEATURES, dedup_score.features(a, b)))
    assert f["cue_points"] == 1.0 and f["cue_against"] == 0.0 and f["same_day"] == 0.0
    assert f["gap"] == pytest.approx(5 / 30) and f["names_shared"] > 0
    # two plain mentions five days apart are no candidates; on one day they are
    early = ev("e1", "USAGOV", "IGOMIL", "2014-09-01", "Obama met NATO leaders in Tallinn.")
    plain = ev("d1", "USAGOV", "IGOMIL", "2014-09-06", "Obama met NATO leaders in Brussels.")
    assert not dedup_score.candidate(prepared(OTHER), prepared(early))
    assert dedup_score.candidate(prepared(OTHER), prepared(plain))


def test_training_on_a_tiny_set_separates_it_and_survives_save_and_load(tmp_path):
    model = tiny_model()
    a = prepared(AHEAD)
    same, other = model.score(a, prepared(BACK)), model.score(a, prepared(OTHER))
    assert same > 0.5 > other
    assert 0.2 <= model.threshold <= 0.8
    path = tmp_path / "m.npz"
    model.save(path)
    back = dedup_score.PairScorer.load(path)
    assert back.threshold == model.threshold
    assert back.score(a, prepared(BACK)) == pytest.approx(same)
    with pytest.raises(UsageError, match="both same-event and different-event"):
        dedup_train.fit([dedup_score.features(a, prepared(BACK))] * 2, [1, 1])
    with pytest.raises(UsageError, match="as many labels"):
        dedup_train.fit([dedup_score.features(a, prepared(BACK))] * 2, [1])


def test_bad_model_files_are_one_line_errors(tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        dedup_score.PairScorer.load(tmp_path / "missing.npz")
    junk = tmp_path / "junk.npz"
    junk.write_text("not a model")
    with pytest.raises(UsageError, match="not a scorer model"):
        dedup_score.PairScorer.load(junk)
    old = tmp_path / "old.npz"
    np.savez(old, features=np.array(["gap", "other"]), mean=np.zeros(2), scale=np.ones(2),
             coef=np.zeros(2), bias=np.array(0.0), threshold=np.array(0.5))
    with pytest.raises(UsageError, match="retrain"):
        dedup_score.PairScorer.load(old)


def test_the_shipped_model_loads_and_scores():
    model = dedup_score.PairScorer.load(dedup_score.SHIPPED)
    assert 0.0 < model.threshold < 1.0
    s = model.score(prepared(AHEAD), prepared(BACK))
    assert 0.0 <= s <= 1.0


def test_rule_settings_are_checked():
    with pytest.raises(UsageError, match="needs a scorer"):
        dedup.DedupRule(threshold=0.5)
    with pytest.raises(UsageError, match="between 0 and 1"):
        dedup.DedupRule(scorer="shipped", threshold=1.5)
    with pytest.raises(UsageError, match="model file"):
        dedup.DedupRule(scorer="")
    r = dedup.DedupRule(scorer="shipped", threshold=0.4)
    assert dedup.DedupRule.from_json(r.to_json()) == r
    assert r.replace(scorer="none") == dedup.DedupRule()


def _store(model_path, *events, path=":memory:"):
    st = Store(str(path), dedup={"scorer": str(model_path)})
    st.ingest([Coded(Article(e.article_id, f"text of {e.article_id}", published=e.published, source_name=e.article_id), [e])
               for e in events])
    return st


def _groups(st):
    rows = st.con.execute("SELECT list(article_id ORDER BY article_id) FROM events "
                          "GROUP BY cluster_id ORDER BY 1").fetchall()
    return [r[0] for r in rows]


def test_a_store_with_a_scorer_merges_one_event_told_on_two_dates(tmp_path):
    path = tmp_path / "m.npz"
    tiny_model().save(path)
    navy = ev("n1", "USAMIL", "IGOMIL", "2014-09-06",
              "The US Navy returned from the NATO summit exercise in Wales.")
    lone = ev("x1", "USAGOV", None, "2014-09-06", "Obama returned from the NATO summit in Wales.")
    with _store(path, AHEAD, BACK, OTHER, navy, lone) as st:
        assert _groups(st) == [["a1", "b1"], ["c1"], ["n1"], ["x1"]]
        # USAGOV and USAMIL differ where both name a sector; an empty target is no wildcard
        assert st.dedup_rule.scorer == str(path)
        # the date rule alone keeps the two dates apart and merges the same-day look-alike
        st.recluster(scorer="none")
        assert _groups(st) == [["a1"], ["b1", "c1"], ["n1"], ["x1"]]
        # a threshold above every score merges nothing across dates
        st.recluster(scorer=str(path), threshold=0.999)
        assert ["a1", "b1"] not in _groups(st)


def test_cli_dedup_takes_a_scorer_and_refuses_bad_ones(tmp_path, capsys):
    path = tmp_path / "m.npz"
    tiny_model().save(path)
    db = tmp_path / "s.duckdb"
    with _store(path, AHEAD, BACK, path=db):
        pass
    assert main(["dedup", "--db", str(db), "--scorer", str(path), "--threshold", "0.6"]) == 0
    err = capsys.readouterr().err
    assert f"scorer {path}" in err and "threshold 0.6" in err
    for bad, msg in ((["--threshold", "1.5"], "between 0 and 1"),
                     (["--scorer", str(tmp_path / "nope.npz")], "no such scorer model file")):
        with pytest.raises(SystemExit) as exc:
            main(["dedup", "--db", str(db), *bad])
        assert exc.value.code == 2
        assert msg in capsys.readouterr().err
    assert main(["dedup", "--db", str(db), "--scorer", "none"]) == 0
    assert "scorer" not in capsys.readouterr().err


def test_eval_dedup_with_a_scorer(tmp_path, capsys):
    from test_dedup_eval import DATA, WordCoder  # noqa: F401  (the hand-made pairs and coder)

    from eventcoder import dedup_eval as de

    path = tmp_path / "m.npz"
    tiny_model().save(path)
    res = de.run(DATA / "pairs.jsonl", DATA / "articles.jsonl", coder=WordCoder(),
                 rule={"scorer": str(path), "threshold": 0.5})
    assert res["rule"]["scorer"] == str(path) and res["rule"]["threshold"] == 0.5
    assert res["tp"] + res["fn"] == res["same"]
    with pytest.raises(SystemExit) as exc:
        main(["eval", "dedup", str(DATA / "pairs.jsonl"), "--threshold", "0"])
    assert exc.value.code == 2


def test_a_new_store_uses_the_shipped_scorer_and_an_old_one_keeps_its_rule(tmp_path):
    with Store() as st:
        assert st.dedup_rule == dedup.DEFAULT_RULE
        assert (st.dedup_rule.scorer, st.dedup_rule.actor_level) == ("shipped", "sector")
    db = tmp_path / "old.duckdb"
    with Store(str(db), dedup={"scorer": "none", "actor_level": "name"}) as st:
        # a store written before the scorer: its meta has no scorer setting
        st.con.execute("UPDATE meta SET value = ? WHERE key = 'dedup_rule'",
                       ['{"actor_level": "name", "reciprocal": true, "type_level": "plover", "window": 0}'])
    with Store(str(db)) as st:
        assert st.dedup_rule == dedup.DATE_RULE

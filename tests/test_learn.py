"""The learned event stage: its linear model, label files, the trainer on a tiny corpus, the
shipped model, and what it decides on sentences written for these tests."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from eventcoder.cli import main
from eventcoder.coder import Coder
from eventcoder.learn import labels as labelmod
from eventcoder.learn.linear import LinearModel
from eventcoder.learn.stage import MODEL_DIR, EventModel, default_code, story_country
from eventcoder.leads import LeadsFileError
from eventcoder.model import Article

pytest.importorskip("sklearn", reason="the trainer needs scikit-learn (the `train` extra)")


# ---- the linear model ------------------------------------------------------------------------
def test_linear_model_learns_saves_and_loads(tmp_path):
    feats = [["bias", "w=attack"], ["bias", "w=meet"], ["bias", "w=attack", "x"], ["bias", "w=meet", "x"]] * 5
    labels = ["ASSAULT", "CONSULT", "ASSAULT", "CONSULT"] * 5
    m = LinearModel.fit(feats, labels, c=10.0, min_count=1)
    p = m.probs_many([["bias", "w=attack"], ["bias", "w=meet"], ["unseen"]])
    assert m.classes == ["ASSAULT", "CONSULT"]
    assert p[0].argmax() == 0 and p[1].argmax() == 1 and p[0][0] > 0.8
    assert np.allclose(p.sum(axis=1), 1.0)
    m.save(tmp_path / "m.npz")
    m2 = LinearModel.load(tmp_path / "m.npz")
    assert np.allclose(m2.probs_many([["bias", "w=attack"]]), p[:1], atol=1e-3)  # float16 weights
    with pytest.raises(ValueError, match="shape"):
        LinearModel(["a", "b"], ["x", "y"], np.zeros((3, 2)), np.zeros(2))


def test_three_class_model_keeps_all_classes():
    feats = [["a"], ["b"], ["c"]] * 4
    m = LinearModel.fit(feats, ["none", "source", "target"] * 4, min_count=1)
    assert m.classes == ["none", "source", "target"]
    assert m.probs_many([["b"]])[0].argmax() == 1


# ---- label files ---------------------------------------------------------------------------
TEXT = "Iran's foreign minister met his Iraqi counterpart in Baghdad. He later accused Israel of sabotage."


def test_gold_format_records_become_offsets():
    rec = {"story_id": "s", "evidence": "He later accused Israel of sabotage", "trigger": "accused",
           "plover_type": "ACCUSE", "status": "occurred",
           "source": {"text": "Iran's foreign minister", "country": "IRN", "sector": "GOV"},
           "target": {"text": "Israel", "country": "ISR", "sector": "GOV"}}
    o = labelmod.to_offsets(rec, TEXT)
    assert TEXT[slice(*o["trigger_span"])] == "accused"
    assert TEXT[slice(*o["evidence_span"])] == rec["evidence"]
    assert TEXT[slice(*o["source"]["span"])] == "Iran's foreign minister"  # nearest, before the evidence
    assert TEXT[slice(*o["target"]["span"])] == "Israel"
    assert labelmod.to_offsets(dict(rec, evidence="not in the text"), TEXT) is None
    assert labelmod.to_offsets({"story_id": "s", "no_events": True}, TEXT) == {"story_id": "s", "no_events": True}


def test_label_files_load_and_bad_codes_name_the_line(tmp_path):
    p = tmp_path / "labels.jsonl"
    good = {"story_id": "s", "trigger_span": [72, 79], "evidence_span": [63, 98], "plover_type": "ACCUSE",
            "status": "occurred", "source": {"span": [0, 23], "country": "IRN", "sector": "GOV"}, "target": None}
    p.write_text(json.dumps(good) + "\n" + json.dumps({"story_id": "t", "no_events": True}) + "\n", encoding="utf-8")
    st = labelmod.load(p)
    assert set(st) == {"s", "t"} and st["t"].events == []
    ev = st["s"].events[0]
    assert ev.trigger_span == (72, 79) and ev.source.country == "IRN" and ev.target is None
    p.write_text(json.dumps(dict(good, plover_type="DISAPPROVE")) + "\n", encoding="utf-8")
    with pytest.raises(LeadsFileError, match=r"labels.jsonl:1: unknown plover_type 'DISAPPROVE'"):
        labelmod.load(p)
    p.write_text(json.dumps(dict(good, status="maybe")) + "\n", encoding="utf-8")
    with pytest.raises(LeadsFileError, match="unknown status"):
        labelmod.load(p)


@pytest.mark.shared
def test_repository_labels_point_into_allsides_train_articles_only():
    from support import ROOT, shared_path

    ids = set(shared_path("allsides", "train_ids.txt").read_text().split())
    recs = labelmod.read_jsonl(ROOT / "data" / "labels" / "allsides_leads.jsonl")
    stories = {r["story_id"] for r in recs}
    assert len(stories) >= 2000, "the training corpus has at least 2,000 labelled leads"
    assert stories <= ids, "only AllSides articles listed in train_ids.txt may be labelled"
    assert all("evidence" not in r and "text" not in json.dumps(r.get("source") or {}) for r in recs), \
        "labels hold offsets and codes, never the third-party text"


# ---- the trainer on a tiny corpus -----------------------------------------------------------------
STORIES = [
    ("Russia attacked Ukraine on Monday. Officials in Kyiv said the strikes hit power plants.",
     [("Russia attacked Ukraine", "attacked", "ASSAULT", ("Russia", "RUS", "MIL"), ("Ukraine", "UKR", "GOV"))]),
    ("Israel attacked Lebanon overnight. The army said it targeted rocket launchers.",
     [("Israel attacked Lebanon overnight", "attacked", "ASSAULT", ("Israel", "ISR", "MIL"), ("Lebanon", "LBN", "GOV"))]),
    ("France condemned Iran on Tuesday. The statement came after a meeting in Paris.",
     [("France condemned Iran on Tuesday", "condemned", "ACCUSE", ("France", "FRA", "GOV"), ("Iran", "IRN", "GOV"))]),
    ("China condemned Japan for the visit. Tokyo did not respond.",
     [("China condemned Japan for the visit", "condemned", "ACCUSE", ("China", "CHN", "GOV"), ("Japan", "JPN", "GOV"))]),
    ("Germany met Poland in Berlin to discuss trade. The talks lasted two hours.",
     [("Germany met Poland in Berlin", "met", "CONSULT", ("Germany", "DEU", "GOV"), ("Poland", "POL", "GOV"))]),
    ("Egypt met Sudan in Cairo on Sunday. Both sides praised the atmosphere.",
     [("Egypt met Sudan in Cairo on Sunday", "met", "CONSULT", ("Egypt", "EGY", "GOV"), ("Sudan", "SDN", "GOV"))]),
    ("The weather was cold in Oslo. Markets were closed for the holiday.", []),
    ("A new museum opened in Madrid. Visitors queued for hours.", []),
]


def _write_corpus(tmp_path, copies=4):
    texts, labels = [], []
    for k in range(copies):
        for n, (text, events) in enumerate(STORIES):
            sid = f"s{k}-{n}"
            texts.append({"id": sid, "lead": text, "published": "2024-05-01"})
            if not events:
                labels.append({"story_id": sid, "no_events": True})
            for ev, trig, typ, src, tgt in events:
                labels.append({"story_id": sid, "evidence": ev, "trigger": trig, "plover_type": typ,
                               "status": "occurred", "source": dict(zip(("text", "country", "sector"), src)),
                               "target": dict(zip(("text", "country", "sector"), tgt))})
    tf, lf = tmp_path / "texts.jsonl", tmp_path / "labels.jsonl"
    tf.write_text("".join(json.dumps(t) + "\n" for t in texts), encoding="utf-8")
    lf.write_text("".join(json.dumps(r) + "\n" for r in labels), encoding="utf-8")
    return tf, lf


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    from eventcoder.learn.train import train

    tmp = tmp_path_factory.mktemp("tiny")
    tf, lf = _write_corpus(tmp)
    meta = train([str(lf)], [str(tf)], tmp / "model", seed=3, log=lambda m: None)
    return tmp / "model", meta


def test_trainer_writes_a_model_that_codes_what_it_was_taught(tiny_model):
    path, meta = tiny_model
    assert meta["stories"] == 32 and meta["alignment"]["trigger_aligned"] == 24
    assert {"min_confidence", "source_threshold", "target_threshold"} <= set(meta)
    model = EventModel.load(path)
    assert "ASSAULT" in model.trigger.classes and "NONE" in model.trigger.classes
    coder = Coder(quotes=False, event_model=str(path), min_confidence=0.0)
    (res,) = coder.code_articles([Article("x", "Turkey attacked Syria on Friday.", published="2024-06-01")])
    kinds = {(e.source.code if e.source else None, e.plover_type) for e in res.events}
    assert any(t == "ASSAULT" and s and s.startswith("TUR") for s, t in kinds), kinds


def test_training_is_reproducible(tmp_path, tiny_model):
    from eventcoder.learn.train import train

    path, meta = tiny_model
    tf, lf = _write_corpus(tmp_path)
    meta2 = train([str(lf)], [str(tf)], tmp_path / "again", seed=3, log=lambda m: None)
    a, b = EventModel.load(path), EventModel.load(tmp_path / "again")
    assert a.trigger.classes == b.trigger.classes and np.array_equal(a.trigger.coef, b.trigger.coef)
    assert {k: meta[k] for k in ("min_confidence", "trigger_rows")} == {k: meta2[k] for k in ("min_confidence", "trigger_rows")}


def test_train_command_errors_are_one_line(tmp_path, capsys):
    assert main(["train", "--labels", str(tmp_path / "none.jsonl"), "--out", str(tmp_path / "m")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "none.jsonl not found" in err
    with pytest.raises(SystemExit) as e:
        main(["train", "--help"])
    assert e.value.code == 0 and "eventcoder train --labels" in capsys.readouterr().out


def test_missing_model_directory_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="not an eventcoder event model"):
        EventModel.load(tmp_path)


# ---- the shipped model -----------------------------------------------------------------------
def test_shipped_model_loads_offline_and_is_small():
    model = EventModel.default()
    assert model is not None, "the package ships an event model (make train)"
    size = sum(p.stat().st_size for p in Path(MODEL_DIR).iterdir())
    assert size <= 50 * 2 ** 20
    assert set(model.trigger.classes) >= {"NONE", "ASSAULT", "ACCUSE", "CONSULT", "REQUEST", "SUPPORT"}
    assert model.argument.classes == ["none", "source", "target"]
    assert model.record is not None and 0.0 < model.min_confidence < 1.0
    assert model.meta["stories"] >= 2000


def test_default_codes_follow_the_ontology():
    from eventcoder.events.ontology import Ontology

    ont = Ontology.default()
    assert default_code(ont, "CONSULT") == "040" and default_code(ont, "ASSAULT") == "180"
    for t in ont.plover_types():
        assert ont.get(default_code(ont, t)).plover_type == t


@pytest.fixture(scope="module")
def learned():
    """The learned stage on every input: these tests give it one sentence at a time, which the
    coder by default leaves to the rule frames (see the one-sentence tests below)."""
    coder = Coder(quotes=False)
    coder.extractor.single_sentence_rules = False
    return coder


def code(coder, text, published="2025-03-10", **kw):
    (res,) = list(coder.code_articles([Article("t", text, published=published)]))
    assert res.error is None
    return res.events


def test_explain_names_the_rule_and_the_model_scores(learned):
    evs = code(learned, "Russian forces attacked the Ukrainian city of Kharkiv on Sunday, killing four civilians.")
    assert evs
    assert all("model" in (e.rule or "") and "record=" in (e.rule or "") for e in evs)
    assert all(0.0 <= e.confidence <= 1.0 for e in evs)


def test_min_confidence_filters(learned):
    text = ("Russian forces attacked the Ukrainian city of Kharkiv on Sunday. Ukraine's president Volodymyr "
            "Zelenskyy condemned the strike and urged allies to send more air defences.")
    all_ = code(Coder(quotes=False, min_confidence=0.0), text)
    default = code(learned, text)
    strict = code(Coder(quotes=False, min_confidence=0.99), text)
    assert len(all_) >= len(default) >= len(strict) and len(all_) > len(strict)
    assert all(e.confidence >= 0.99 for e in strict)


def test_rules_mode_is_still_available():
    evs = code(Coder(quotes=False, events="rules"), "Russia attacked Ukraine on Monday.")
    assert any(e.plover_type == "ASSAULT" and "model" not in (e.rule or "") for e in evs)


def test_story_country_needs_a_clear_majority(learned):
    from eventcoder.actors.resolve import ActorResolver

    nlp = learned.nlp
    doc = nlp("In Nairobi, police arrested 40 protesters. Kenyan officials said Kenya would review the case.")
    actors = ActorResolver(doc, "2025-03-10")
    for i, s in enumerate(doc.sents):
        actors.start_sentence(s, i)
    assert story_country(actors, learned.extractor.rules.gaz) == "KEN"
    doc = nlp("France and Germany met. Paris and Berlin agreed.")
    actors = ActorResolver(doc, "2025-03-10")
    for i, s in enumerate(doc.sents):
        actors.start_sentence(s, i)
    assert story_country(actors, learned.extractor.rules.gaz) is None


def test_a_sector_only_actor_takes_the_country_the_story_establishes():
    # "The government" names no country; the story placed its first act in Nairobi: KENGOV (the
    # record itself is one the model scores low, so the test reads every candidate record)
    coder = Coder(quotes=False, min_confidence=0.0)
    coder.extractor.single_sentence_rules = False
    evs = code(coder, "In Nairobi, police arrested 40 protesters. The government later released them.")
    released = [e for e in evs if e.trigger == "released"]
    assert released and all(e.source.code == "KENGOV" for e in released), [e.flat_dict() for e in evs]
    # a story of two countries establishes neither
    evs = code(coder, "In Nairobi, police arrested 40 protesters. In Kampala, police arrested 12 students. "
                      "The government later released them.")
    released = [e for e in evs if e.trigger == "released" and e.source]
    assert released and all(e.source.country is None for e in released), [e.flat_dict() for e in evs]


# ---- the failure classes of real news, on sentences written for these tests ----------------------
def _found(coder, text, typ=None, src=None, tgt=None, published="2024-05-01"):
    evs = code(coder, text, published=published)
    return [e for e in evs if (typ is None or e.plover_type == typ)
            and (src is None or (e.source is not None and (e.source.code or "").startswith(src)))
            and (tgt is None or (e.target is not None and (e.target.code or "").startswith(tgt)))]


def test_light_verb_with_an_event_noun(learned):
    assert _found(learned, "Indian Prime Minister Narendra Modi held talks with Japanese Prime Minister "
                           "Fumio Kishida in Tokyo on Friday.", "CONSULT", "IND", "JPN")


def test_evaluative_accusation(learned):
    assert _found(learned, "Japan voiced concern over Beijing's military build-up near Taiwan.", "ACCUSE", "JPN", "CHN")


def test_legal_act_in_a_passive_takes_its_agent_as_source(learned):
    evs = _found(learned, "A former Peruvian president was indicted by a court in Lima on Tuesday.", "ACCUSE")
    assert evs and all(e.source.code == "PERJUD" and e.target.country == "PER" for e in evs)


@pytest.mark.parametrize("text,typ,src,tgt", [
    ("The Taliban fighters who attacked the Afghan army base on Monday were killed.", "ASSAULT", "AFGREB", "AFGMIL"),
    ("The Kenyan police officer who arrested the journalist was suspended.", "COERCE", "KENCOP", "KENMED"),
])
def test_a_relative_clause_takes_its_noun_as_source(learned, text, typ, src, tgt):
    # the relative pronoun is no actor: the doer is the noun the clause hangs on (syntax.doer)
    assert _found(learned, text, typ, src, tgt)
    assert _found(Coder(quotes=False), text, typ, src, tgt)  # and so for the rule frames


def test_the_sources_own_phrase_names_no_target(learned):
    # "Pakistan's Prime Minister": Pakistan is whose minister he is, not whom he visited or met
    text = ("During a visit to Quetta for a security meeting Thursday, Pakistan's Prime Minister "
            "Shehbaz Sharif told media 339 passengers were rescued.")
    evs = code(learned, text)
    assert not any(e.target is not None and e.target.code == "PAK" and e.source is not None
                   and e.source.country == "PAK" for e in evs)


def test_background_noun_is_not_an_event(learned):
    assert code(learned, "The war has displaced millions of people since 2023.") == []


def test_conditional_act_is_not_reported_as_occurred(learned):
    evs = _found(learned, "Turkey would send troops to Libya if the government in Tripoli asked for help.",
                 "MOBILIZE", "TUR")
    assert evs and all(e.status in ("planned", "possible") for e in evs)


def test_compound_sources_give_one_record_each(learned):
    evs = _found(learned, "Greece, Panama and South Korea supported the resolution at the U.N. Security Council.",
                 "SUPPORT")
    assert len({e.source.country for e in evs}) >= 2


def test_actors_of_administrations_and_envoys(learned):
    assert _found(learned, "The Trump administration imposed sanctions on Venezuela.", "SANCTION", "USAGOV", "VEN",
                  published="2019-05-01")
    assert _found(learned, "Iran's U.N. ambassador accused Washington of lying.", "ACCUSE", "IRNGOV", "USAGOV",
                  published="2019-05-01")


def test_unnamed_transnational_ngos_are_coded_ngo():
    from eventcoder.learn.stage import _transnational
    from eventcoder.model import Actor

    a = _transnational(Actor(text="international rights groups", sector="NGO"))
    assert a.code == "NGONGO"
    b = _transnational(Actor(text="local rights groups", sector="NGO"))
    assert b.country is None


def test_a_condemned_act_named_by_a_noun_targets_who_did_it(learned):
    text = "In Nairobi, police arrested 40 protesters on Monday. Amnesty International condemned the arrests."
    evs = _found(learned, text, "ACCUSE", "NGO")
    assert evs and all(e.target is not None and e.target.code == "KENCOP" for e in evs), \
        [e.flat_dict() for e in code(learned, text)]
    assert "tgt=act:arrests" in evs[0].rule
    # the victims inside the act's phrase are not the condemnation's target
    text = "Soldiers killed 12 protesters in Khartoum on Sunday. The African Union condemned the killing of protesters."
    evs = _found(learned, text, "ACCUSE", "IGO")
    assert evs and all(e.target is not None and e.target.code == "SDNMIL" for e in evs), \
        [e.flat_dict() for e in code(learned, text)]
    # a noun of the same material type names the act too ("shelled ... the attack")
    text = ("Russian forces shelled villages near Kharkiv on Sunday, the Ukrainian military said. "
            "Ukraine's foreign minister condemned the attack.")
    evs = _found(learned, text, "ACCUSE", "UKR")
    assert evs and all(e.target is not None and e.target.code == "RUSMIL" for e in evs), \
        [e.flat_dict() for e in code(learned, text)]
    # no earlier act of that kind: the target is not invented
    text = "Police in Nairobi met protest leaders on Monday. Amnesty International condemned the arrests."
    assert not any(e.target is not None and e.target.sector == "COP"
                   for e in _found(learned, text, "ACCUSE", "NGO"))


def test_a_named_place_is_never_the_source(learned):
    evs = code(learned, "A trial opened in Paris on Monday over the 2004 bombing of a French military base in "
                        "Ivory Coast. Two Ivorian soldiers and a mercenary stand accused of the bombing.")
    assert not any(e.source is not None and e.source.text == "Paris" for e in evs), [e.flat_dict() for e in evs]


def test_act_nouns_name_their_verbs():
    from eventcoder.learn.acts import act_verbs

    assert "arrest" in act_verbs("arrest")
    assert {"kill", "shell", "stab", "detain", "invade"} <= (
        act_verbs("killing") | act_verbs("shelling") | act_verbs("stabbing") | act_verbs("detention")
        | act_verbs("invasion"))
    assert act_verbs("bring") == {"bring"}  # too short to be a gerund


def test_one_sentence_is_coded_by_the_rules_and_a_story_by_the_model():
    coder = Coder(quotes=False)
    one = code(coder, "Russian forces attacked the Ukrainian city of Kharkiv on Sunday, killing four civilians.")
    assert one and all("one sentence: rules" in e.rule for e in one)
    story = code(coder, "Russian forces attacked the Ukrainian city of Kharkiv on Sunday, killing four civilians. "
                        "Ukraine's foreign minister condemned the attack.")
    assert story and all("record=" in e.rule and "one sentence" not in e.rule for e in story)
    # a dateline or a caption line does not make a second sentence
    from eventcoder.learn.stage import _one_sentence

    assert _one_sentence(coder.nlp("Russian forces attacked Kharkiv on Sunday."))
    assert not _one_sentence(coder.nlp("Russian forces attacked Kharkiv. Ukraine condemned it."))
    assert not _one_sentence(coder.nlp("..."))


KNOWN_MISSES = "a known miss of the learned stage (see the issue's note); strict: passing means it is fixed"


@pytest.mark.xfail(strict=True, reason=KNOWN_MISSES)
def test_light_verb_support(learned):
    assert _found(learned, "Foreign ministers of the Baltic states affirmed their support for Kyiv at a meeting "
                           "in Riga on Monday.", "SUPPORT", None, "UKR")


def test_laid_siege_is_an_assault(learned):
    assert _found(learned, "Sudanese paramilitary forces laid siege to the city of El Fasher, aid workers said.",
                  "ASSAULT", "SDN")


def test_a_named_place_can_be_the_target(learned):
    assert _found(learned, "Russian forces shelled Kharkiv on Sunday, Ukrainian officials said.", "ASSAULT",
                  "RUS", "UKR")


@pytest.mark.xfail(strict=True, reason=KNOWN_MISSES)
def test_calling_charges_politically_motivated_is_an_accusation(learned):
    assert _found(learned, "The Kremlin called the charges politically motivated.", "ACCUSE", "RUS")


@pytest.mark.xfail(strict=True, reason=KNOWN_MISSES)
def test_accept_or_face_sanctions_is_a_threat(learned):
    assert _found(learned, "Washington told Tehran to accept the deal or face new sanctions.", "THREATEN", "USA", "IRN")


@pytest.mark.xfail(strict=True, reason=KNOWN_MISSES)
def test_rejecting_an_offer_targets_its_author(learned):
    assert _found(learned, "Hamas presented a ceasefire plan. Israel rejected its offer on Sunday.", "REJECT", "ISR", "PSE")


@pytest.mark.xfail(strict=True, reason=KNOWN_MISSES)
def test_a_demand_by_a_sector_only_actor_is_kept(learned):
    assert _found(learned, "The opposition demanded that the government release the detainees.", "REQUEST")


def test_records_of_one_story_tuple_support_each_other():
    from eventcoder.learn.stage import _add_support, record_features
    from eventcoder.model import Actor, Event

    def ev(src, tgt, typ):
        return Event(article_id="a", date=None, published=None, source=Actor(text=src, country=src),
                     target=Actor(text=tgt, country=tgt), cameo_code="010", cameo_root="01", cameo_name="",
                     goldstein=0.0, quad_class=0, plover_type=typ, plover_mode=None, status="occurred",
                     location=None, sentence_index=0, sentence="", trigger="x", span=(0, 1))

    def sc(raw):
        return {"p_event": 0.5, "p_type": 0.5, "p_src": 0.5, "p_tgt": 0.5, "rule": False, "raw": raw}

    decided = [(ev("RUS", "UKR", "ASSAULT"), sc(0.3)), (ev("RUS", "UKR", "ASSAULT"), sc(0.6)),
               (ev("USA", "RUS", "CONSULT"), sc(0.2)), (ev("RUS", "USA", "CONSULT"), sc(0.4)),
               (ev("UKR", "RUS", "ACCUSE"), sc(0.5))]
    _add_support(decided)
    assert [s["support"] for _, s in decided] == [1, 1, 1, 1, 0]  # CONSULT is unordered
    assert decided[0][1]["support_raw"] == 0.6 and decided[4][1]["support_raw"] is None
    assert "sup=1" in record_features(*decided[0]) and "sup=0" in record_features(*decided[4])
    # scores without the support fields (older callers) give no support features
    assert not any(f.startswith("sup") for f in record_features(decided[0][0], sc(0.3)))

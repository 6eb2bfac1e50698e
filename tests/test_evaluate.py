"""Evaluation metrics, gold loaders and the `eval` CLI, tested with hand-built data and fake coders."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable, Optional

import pytest

from support import shared_path
from eventcoder import evaluate as ev
from eventcoder.cli import build_parser
from eventcoder.model import Actor, Article, Event

# ---------------------------------------------------------------------------- helpers / fakes


def make_event(plover="AGREE", cameo="057", src=None, tgt=None, status="occurred", conf=0.5,
               start=0, sent=0, src_span=None, tgt_span=None) -> Event:
    return Event(
        article_id="a", date=None, published=None,
        source=Actor(text=src or "", country=src, span=src_span) if (src or src_span) else None,
        target=Actor(text=tgt or "", country=tgt, span=tgt_span) if (tgt or tgt_span) else None,
        cameo_code=cameo, cameo_root=cameo[:2], cameo_name="", goldstein=0.0, quad_class=ev.penta_class(cameo),
        plover_type=plover, plover_mode=None, status=status, location=None, sentence_index=sent,
        sentence="", trigger="t", span=(start, start + 1), confidence=conf,
    )


@dataclass
class FakeResult:
    article: Article
    events: list
    quotes: list
    positions: list
    error: Optional[str] = None


class FakeCoder:
    """Stands in for eventcoder.coder.Coder: maps each article's text to events with a function."""

    def __init__(self, fn: Callable[[str], list]):
        self.fn = fn

    def code_articles(self, articles):
        for a in articles:
            try:
                yield FakeResult(a, self.fn(a.text), [], [])
            except Exception as exc:  # the real coder reports and keeps going
                yield FakeResult(a, [], [], [], error=str(exc))


def gold(rid, etype, sources, targets, text="t"):
    mk = lambda cs: None if cs is None else [ev.GoldActor(text=c, code=c) for c in cs]  # noqa: E731
    return ev.GoldRecord(record_id=rid, text=text, event_type=etype, raw_event=etype,
                         sources=mk(sources), targets=mk(targets))


# ---------------------------------------------------------------------------- P/R/F1


def test_label_prf_micro_macro_known_answers():
    g = ["A", "A", "A", "B", "B", "C"]
    p = ["A", "A", "B", "B", "NONE", "A"]
    r = ev.label_prf(g, p)
    # A: tp 2, predicted 3, gold 3 -> P 2/3 R 2/3; B: tp 1, pred 2, gold 2 -> 1/2, 1/2; C: 0
    assert r["per_type"]["A"]["precision"] == pytest.approx(2 / 3)
    assert r["per_type"]["B"]["recall"] == pytest.approx(1 / 2)
    assert r["per_type"]["C"]["f1"] == 0.0
    # micro: tp 3, predicted 5 (NONE excluded), gold 6
    assert r["micro"]["precision"] == pytest.approx(3 / 5)
    assert r["micro"]["recall"] == pytest.approx(3 / 6)
    assert r["micro"]["f1"] == pytest.approx(2 * 0.6 * 0.5 / 1.1)
    # macro over gold types A, B, C
    assert r["macro"]["types"] == 3
    assert r["macro"]["precision"] == pytest.approx((2 / 3 + 1 / 2 + 0) / 3)
    assert r["macro"]["recall"] == pytest.approx((2 / 3 + 1 / 2 + 0) / 3)
    assert r["macro"]["f1"] == pytest.approx((2 / 3 + 1 / 2 + 0) / 3)
    assert r["no_prediction"] == 1


def test_label_prf_type_only_predicted_counts_in_micro_not_macro():
    r = ev.label_prf(["A", "A"], ["A", "Z"])
    assert r["macro"]["types"] == 1
    assert r["macro"]["precision"] == 1.0
    assert r["micro"]["precision"] == 0.5
    assert "Z" in r["per_type"] and r["per_type"]["Z"]["gold"] == 0


def test_label_prf_empty_predictions_are_zero_not_errors():
    r = ev.label_prf(["A"], ["NONE"])
    assert r["micro"] == {**r["micro"], "precision": 0.0, "recall": 0.0, "f1": 0.0}


# ---------------------------------------------------------------------------- event choice


def test_top_event_skips_negated_and_untyped_and_breaks_ties_by_position():
    evs = [
        make_event("ASSAULT", "190", conf=0.9, status="negated", start=0),
        make_event(None, "010", conf=0.95, start=1),
        make_event("ACCUSE", "112", conf=0.7, start=30),
        make_event("REJECT", "120", conf=0.7, start=10),
    ]
    assert ev.top_event(evs).plover_type == "REJECT"
    assert ev.top_event(evs, require_plover=False).cameo_code == "010"
    assert ev.top_event([make_event(status="negated")]) is None
    p = ev.plover_prediction(evs)
    assert p.event_type == "REJECT"
    assert p.all_types == {"ACCUSE", "REJECT"}  # negated ASSAULT excluded
    assert ev.plover_prediction([]).event_type == "NONE"


def test_actor_country_uses_code_prefix_and_aliases():
    assert ev.actor_country(Actor(text="x", code="usagov")) == "USA"
    assert ev.actor_country(Actor(text="x", country="ITL")) == "ITA"
    assert ev.actor_country(None) is None
    assert ev.actor_country(Actor(text="troops", sector="MIL")) is None  # code "MIL" is not a country
    assert ev.actor_country(Actor(text="x", code="REB")) is None
    assert ev.norm_country("IGOUNO") == "IGO"


# ---------------------------------------------------------------------------- record accuracy


def test_record_accuracy_rule_with_null_sides():
    golds = [
        gold("1", "AGREE", ["HUN", "ROU"], None),      # compound source, null target
        gold("2", "AGREE", ["HUN", "ROU"], None),
        gold("3", "AGREE", ["HUN", "ROU"], None),
        gold("4", "ASSAULT", None, ["IRQ"]),            # null source
        gold("5", "ASSAULT", None, ["IRQ"]),
        gold("6", "REJECT", ["RUS"], ["USA"]),
        gold("7", "REJECT", ["RUS"], ["USA"]),
    ]
    P = ev.PloverPrediction
    preds = {
        "1": P("AGREE", "HUN", "ROU", True, True),      # reciprocal: target is a gold source -> right
        "2": P("AGREE", "ROU", None, True, False),      # no target predicted -> right
        "3": P("AGREE", "HUN", "FRA", True, True),      # target not among gold sources -> wrong
        "4": P("ASSAULT", None, "IRQ", False, True),    # no source predicted -> right
        "5": P("ASSAULT", "USA", "IRQ", True, True),    # a source where gold has none -> wrong
        "6": P("REJECT", "RUS", "USA", True, True),     # right
        "7": P("ACCUSE", "RUS", "USA", True, True),     # wrong type
    }
    r = ev.score_plover(golds, preds, errors=10)
    assert r["record_accuracy"]["correct"] == 4
    wrong = {e["id"]: e["wrong"] for e in r["errors"]}
    assert wrong == {"3": ["target"], "5": ["source"], "7": ["type"]}
    # country accuracies only over records with a gold side
    assert r["source_country_accuracy"]["records"] == 5
    assert r["source_country_accuracy"]["correct"] == 5
    assert r["target_country_accuracy"]["records"] == 4
    assert r["target_country_accuracy"]["correct"] == 4
    assert r["type_accuracy"] == pytest.approx(6 / 7)


def test_missing_prediction_is_none_and_any_event_recall():
    golds = [gold("1", "AGREE", ["USA"], ["RUS"]), gold("2", "REJECT", ["USA"], ["RUS"])]
    preds = {"1": ev.PloverPrediction("CONSULT", "USA", "RUS", True, True, all_types={"CONSULT", "AGREE"})}
    r = ev.score_plover(golds, preds)
    assert r["event_type"]["no_prediction"] == 1
    assert r["any_event_recall"]["correct"] == 1
    assert r["record_accuracy"]["correct"] == 0
    assert r["event_type"]["micro"]["tp"] == 0


def test_run_plover_with_fake_coder(tmp_path):
    data = [
        {"id": "DOC", "event": "DOCUMENT"},
        {"id": "r1", "event": "DEMAND", "text": "Russia demanded that Ukraine withdraw.", "date": "2000-01-01",
         "source": [{"actorText": "Russia", "code": "RUS"}], "target": [{"actorText": "Ukraine", "code": "UKRGOV"}]},
        {"id": "r2", "event": "FIGHT", "text": "Troops clashed.", "source": [{"actorText": "x", "code": "SDNMIL"}]},
    ]
    path = tmp_path / "gsr.json"
    path.write_text(json.dumps(data))

    def fake(text):
        if "demanded" in text:
            return [make_event("REQUEST", "100", src="RUS", tgt="UKR")]
        raise RuntimeError("boom")

    r = ev.run_plover_gsr(path, coder=FakeCoder(fake), errors=5)
    assert r["records"] == 2
    assert r["record_accuracy"]["correct"] == 1
    assert r["coder_errors"] == 1
    assert r["errors"][0]["id"] == "r2" and r["errors"][0]["predicted"]["error"] == "boom"
    text = ev.format_plover_report(r)
    assert "REQUEST" in text and "record accuracy" in text and "boom" in text


# ---------------------------------------------------------------------------- GSR loader (real file)


def test_gsr_loader_on_real_file():
    recs = ev.load_plover_gsr(shared_path("plover", "PLOVER_GSR_CAMEO.txt"))
    assert len(recs) == 322  # the DOCUMENT header is skipped
    types = {r.event_type for r in recs}
    assert not types & {"DEMAND", "DISAPPROVE", "INVESTIGATE", "FIGHT", "DOCUMENT"}
    assert types <= set(ev.PLOVER_V05_TO_V2.values()) | {
        "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
        "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
    by_raw = {}
    for r in recs:
        by_raw.setdefault(r.raw_event, r.event_type)
    assert by_raw["DEMAND"] == "REQUEST" and by_raw["FIGHT"] == "ASSAULT"
    assert by_raw["DISAPPROVE"] == "ACCUSE" and by_raw["INVESTIGATE"] == "ACCUSE"
    first = recs[0]
    assert first.source_countries == {"HUN", "ROU"} and first.targets is None  # list source, missing target
    null_src = [r for r in recs if r.sources is None]
    assert [r.record_id for r in null_src] == ["PLOVER-GSR01-ASSAULT-0009"]
    # string targets ("" or a stray "diplomatic") carry no code: scored as null sides
    assert sum(1 for r in recs if r.targets is None) >= 25 + 9
    assert all(r.date for r in recs)


def test_gold_actor_shapes():
    assert ev._gold_actors(None) is None
    assert ev._gold_actors("") is None
    assert ev._gold_actors("diplomatic") is None
    a = ev._gold_actors([{"actorText": "UN", "code": "IGOUNO"}, {"actorText": "Rome", "code": "ITL"}])
    assert {x.country for x in a} == {"IGO", "ITA"}
    assert ev._gold_actors({"actorText": "Iraq", "code": "irq"})[0].country == "IRQ"


# ---------------------------------------------------------------------------- ConfliBERT classes


def test_penta_class_mapping():
    assert [ev.penta_class(c) for c in ("010", "020", "036", "057", "061", "084", "090", "112", "138",
                                        "141", "190", "204", None)] == [0, 0, 1, 1, 2, 2, 3, 3, 3, 4, 4, 4, 0]
    assert ev.predicted_penta_class([]) == 0
    assert ev.predicted_penta_class([make_event("ASSAULT", "190", conf=0.9), make_event(None, "010", conf=0.5)]) == 4


def test_score_classes_confusion():
    r = ev.score_classes([0, 1, 4, 4, 3], [0, 2, 4, 3, 3])
    assert r["accuracy"] == pytest.approx(3 / 5)
    assert r["confusion"][1][2] == 1 and r["confusion"][4][3] == 1 and r["confusion"][4][4] == 1
    assert r["per_class"][3]["precision"] == pytest.approx(1 / 2)
    assert r["per_class"][4]["recall"] == pytest.approx(1 / 2)
    assert "confusion" in ev.format_class_report(r)


def test_conflibert_class_file_reads():
    rows = ev.load_conflibert_classes(shared_path("conflibert", "cameo_class_train.tsv"))
    assert len(rows) == 1349
    assert {lab for _, lab in rows} == {0, 1, 2, 3, 4}
    assert rows[0][1] == 4 and rows[0][0].startswith("In September, a car bomb")


# ---------------------------------------------------------------------------- CoNLL reader and spans


def test_detokenize_and_bio_spans():
    toks = ["Baghdad", "’", "s", "rebel", "-", "held", "town", "(", "Mosul", ")", ",", "said", "P", "é", "rez",
            "“", "no", "”", "."]
    text, offs = ev.detokenize(toks)
    assert text == "Baghdad’s rebel-held town (Mosul), said Pérez “no”."
    assert all(text[s:e] == t for t, (s, e) in zip(toks, offs))
    tags = ["B-S", "I-S", "I-S", "O", "O", "O", "B-T", "I-T", "I-T", "I-T", "O", "O", "B-R", "I-R", "I-R",
            "O", "I-T", "O", "O"]
    spans = ev.bio_spans(tags, offs)
    assert [text[s:e] for s, e in spans["S"]] == ["Baghdad’s"]
    assert [text[s:e] for s, e in spans["T"]] == ["town (Mosul)", "no"]  # stray I- starts a span
    assert [text[s:e] for s, e in spans["R"]] == ["Pérez"]


def test_read_conll(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text("A B-S\ncourt I-S\nrejected O\nit B-T\n. O\n\n\nTroops B-S\nfired O\n", encoding="utf-8")
    sents = list(ev.read_conll(p))
    assert [s.text for s in sents] == ["A court rejected it.", "Troops fired"]
    assert sents[0].spans == {"S": [(0, 7)], "T": [(17, 19)]}
    assert sents[1].spans == {"S": [(0, 6)]}


def test_read_conll_real_file():
    sents = list(ev.read_conll(shared_path("conflibert", "cameo_ner_train.txt")))
    assert len(sents) == 1153
    s = sents[0]
    assert s.text == "In September, a car bomb in Kiev killed another ethnic Chechen who had fought on the Ukrainian side."
    assert [s.span_text(x) for x in s.spans["S"]] == ["a car bomb"]
    assert [s.span_text(x) for x in s.spans["T"]] == ["another ethnic Chechen"]
    for s in sents:  # every token sits where its offsets say
        assert all(s.text[a:b] == t for t, (a, b) in zip(s.tokens, s.offsets))


def test_score_spans_exact_vs_overlap():
    gold = [[(0, 10), (20, 30)], [(5, 8)], []]
    pred = [[(2, 10), (20, 30), (40, 45)], [], [(0, 3)]]
    r = ev.score_spans(gold, pred)
    assert r["exact"]["tp"] == 1 and r["exact"]["predicted"] == 4 and r["exact"]["gold"] == 3
    assert r["exact"]["precision"] == pytest.approx(1 / 4)
    assert r["exact"]["recall"] == pytest.approx(1 / 3)
    assert r["overlap"]["precision"] == pytest.approx(2 / 4)
    assert r["overlap"]["recall"] == pytest.approx(2 / 3)
    assert not ev.overlaps((0, 5), (5, 9))  # touching is not overlapping


def test_predicted_spans_all_vs_top():
    evs = [make_event("ASSAULT", "190", conf=0.9, src_span=(0, 6), tgt_span=(20, 25)),
           make_event("ACCUSE", "112", conf=0.4, src_span=(0, 6), tgt_span=(30, 35)),
           make_event("REJECT", "120", conf=0.99, status="negated", src_span=(40, 45))]
    assert ev.predicted_spans(evs) == {"S": [(0, 6)], "T": [(20, 25), (30, 35)]}
    assert ev.predicted_spans(evs, top_only=True) == {"S": [(0, 6)], "T": [(20, 25)]}


def test_run_conflibert_with_fake_coder(tmp_path):
    (tmp_path / "cameo_class_train.tsv").write_text("Troops attacked the town.\t4\nHe said it.\t0\nThey met.\t1\n",
                                                    encoding="utf-8")
    (tmp_path / "cameo_ner_train.txt").write_text("Troops B-S\nattacked O\nthe B-T\ntown I-T\n. O\n\n",
                                                  encoding="utf-8")

    def fake(text):
        if "attacked" in text:
            i = text.index("town")
            return [make_event("ASSAULT", "190", src_span=(0, 6), tgt_span=(i, i + 4))]
        return []

    r = ev.run_conflibert(tmp_path, coder=FakeCoder(fake))
    assert r["classes"]["accuracy"] == pytest.approx(2 / 3)  # "He said it." -> no event -> 0
    assert r["classes"]["available"] == 3
    assert r["classes"]["no_event"] == 2
    assert "no coded event" in ev.format_class_report(r["classes"])
    sp = r["spans"]["all_events"]
    assert sp["S"]["exact"]["f1"] == 1.0
    assert sp["T"]["exact"]["tp"] == 0 and sp["T"]["overlap"]["f1"] == 1.0
    r2 = ev.run_conflibert(tmp_path, coder=FakeCoder(fake), limit=1, tasks=("classes",))
    assert r2["classes"]["sentences"] == 1 and "spans" not in r2


# ---------------------------------------------------------------------------- CLI


def test_cli_eval_help_lists_sets(capsys):
    parser = build_parser()
    with pytest.raises(SystemExit):
        parser.parse_args(["eval", "--help"])
    out = capsys.readouterr().out
    assert "plover-gsr" in out and "conflibert" in out


def test_cli_eval_parses_options():
    args = build_parser().parse_args(["eval", "plover-gsr", "x.json", "--json", "o.json", "--model", "m",
                                      "--errors", "3", "--limit", "10"])
    assert args.path == "x.json" and args.json == "o.json" and args.model == "m" and args.errors == 3
    assert args.func.__name__ == "run_plover"
    args = build_parser().parse_args(["eval", "conflibert", "--limit", "5", "--task", "spans"])
    assert args.path is None and args.limit == 5 and args.func.__name__ == "run_conflibert"


def test_cli_eval_missing_path_reports(tmp_path, capsys):
    from eventcoder.cli import main
    assert main(["eval", "plover-gsr", str(tmp_path / "nope.json")]) == 2
    assert "not found" in capsys.readouterr().err


def test_cli_eval_runs_end_to_end_with_fake_coder(tmp_path, monkeypatch, capsys):
    data = [{"id": "DOC", "event": "DOCUMENT"},
            {"id": "r1", "event": "AGREE", "text": "A and B agreed.", "source": [{"actorText": "A", "code": "USA"}]}]
    path = tmp_path / "gsr.json"
    path.write_text(json.dumps(data))
    real = ev.code_texts
    monkeypatch.setattr(ev.plover_gsr, "code_texts", lambda items, *a, **k: real(
        items, coder=FakeCoder(lambda t: [make_event("AGREE", "057", src="USA")])))
    from eventcoder.cli import main
    out_json = tmp_path / "out.json"
    assert main(["eval", "plover-gsr", str(path), "--json", str(out_json)]) == 0
    res = json.loads(out_json.read_text())
    assert res["record_accuracy"]["correct"] == 1
    assert "record accuracy" in capsys.readouterr().out

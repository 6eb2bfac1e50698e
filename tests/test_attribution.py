"""The trained attribution model (learn/attribution.py): training on a tiny PolNeAR-style corpus
written here, loading, applying, --explain, the shipped files, and bad inputs."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventcoder.cli import main
from eventcoder.learn import attribution as attr
from eventcoder.model import Article
from eventcoder.quotes import QuoteExtractor

pytest.importorskip("sklearn", reason="the trainer needs scikit-learn (the `train` extra)")

# (text, [(source, cue, content)]) — every role given as a substring of the text
TINY = [
    ("Erin Murphy, a former aide who worked for her, said the plan would fail. The weather was mild.",
     [("Erin Murphy, a former aide who worked for her,", "said", "the plan would fail")]),
    ("The senator has often criticized the deal. Voters like the new park near the river.",
     [("The senator", "has often criticized", "the deal")]),
    ("Officials warned that the bridge was unsafe. The bridge opened in 1990.",
     [("Officials", "warned", "that the bridge was unsafe")]),
    ("She complained about the long delays at the border. Trucks waited for hours.",
     [("She", "complained about", "the long delays at the border")]),
    ("The mayor, who took office in May, said on Monday the budget was balanced. The city grew.",
     [("The mayor, who took office in May,", "said on Monday", "the budget was balanced")]),
    ("Critics argued that the tax would hurt farmers. Farmers planted corn and wheat.",
     [("Critics", "argued", "that the tax would hurt farmers")]),
]


def _write_split(root: Path, items) -> Path:
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    for n, (text, atts) in enumerate(items):
        name = f"art{n}_2016-09-0{n % 9 + 1}_x"
        (root / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
        lines, t = [], 0
        for k, (src, cue, content) in enumerate(atts):
            ids = []
            for label, s in (("Source", src), ("Cue", cue), ("Content", content)):
                i = text.index(s)
                t += 1
                lines.append(f"T{t}\t{label} {i} {i + len(s)}\t{s}")
                ids.append(f"T{t}")
            lines.append(f"E{k + 1}\tAttribution:T{t + 1} Content:{ids[2]} Cue:{ids[1]} Source:{ids[0]}")
        (root / "attributions" / f"{name}_ann1.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("polnear")
    train = _write_split(root / "train", TINY)
    out = root / "model"
    logs = []
    from eventcoder.learn.attribution_train import train_attribution
    train_attribution(train, out, dev_dir=None, log=logs.append)
    return out, logs, train


@pytest.fixture(scope="module")
def nlp():
    from eventcoder.nlp import load_model
    return load_model()


def test_tiny_training_writes_a_loadable_model(tiny):
    out, logs, _ = tiny
    names = sorted(p.name for p in out.iterdir())
    assert names == ["attribution_cue.npz", "attribution_meta.json", "attribution_role.npz",
                     "attribution_trim.npz"]
    model = attr.load(out)
    assert model.cue.classes == ["cue", "no"] and set(model.role.classes) <= set(attr.ROLES)
    assert model.meta["articles"] == len(TINY) and model.meta["cue_rows"] >= 12
    assert any("fitted the role model" in m for m in logs)


def test_tiny_model_finds_what_it_was_taught(tiny, nlp):
    model = attr.load(tiny[0])
    text = "Critics warned that the plan would hurt farmers."
    doc = nlp(text)
    qs = QuoteExtractor(model=model).attributions(doc, Article("t", text))
    assert len(qs) == 1
    q = qs[0]
    assert q.cue == "warned" and text[q.speaker_span[0]:q.speaker_span[1]] == "Critics"
    assert q.content == "that the plan would hurt farmers"
    assert q.origin == "model" and 0.0 < q.score <= 1.0


def test_training_is_reproducible(tiny, tmp_path):
    from eventcoder.learn.attribution_train import train_attribution
    out, _, train = tiny
    train_attribution(train, tmp_path, dev_dir=None, log=lambda m: None)
    a, b = attr.load(out), attr.load(tmp_path)
    assert (a.cue.coef == b.cue.coef).all() and (a.role.coef == b.role.coef).all()


def test_shipped_model_is_small_offline_and_beats_the_rules_on_dev():
    model = attr.load_attribution_model()
    assert model is not None, "the package ships an attribution model (make train-quotes)"
    size = sum(p.stat().st_size for p in attr.MODEL_DIR.glob("attribution_*"))
    assert size <= 50 * 2 ** 20
    meta = model.meta
    assert meta["articles"] == 840 and "dev" in meta and meta["dev"] != meta["train"]
    assert meta["dev_scores"]["overlap"]["content"] >= 0.78
    assert meta["dev_scores"]["exact"]["cue"] >= 0.65


def test_explain_says_model_or_rule(nlp):
    text = ('"We will not give up our land," Zelenskyy said. '
            'The minister warned that the talks could collapse.')
    doc = nlp(text)
    qs = QuoteExtractor().attributions(doc, Article("t", text))
    by_cue = {q.cue: q for q in qs}
    assert by_cue["said"].origin == "rule" and by_cue["said"].direct  # quotation marks: the rule
    assert by_cue["warned"].origin == "model" and by_cue["warned"].score >= 0.5
    d = by_cue["warned"].to_dict(explain=True)
    assert d["explain"] == {"origin": "model", "score": by_cue["warned"].score}
    assert "explain" not in by_cue["warned"].to_dict()
    assert QuoteExtractor(model=None).model is None  # the rules alone stay available


def test_explain_on_the_command_line(tmp_path, capsys):
    story = tmp_path / "s.txt"
    story.write_text("The minister warned that the talks could collapse.\n", encoding="utf-8")
    assert main(["code", str(story), "--quotes", "--explain"]) == 0
    recs = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
    quotes = [r for r in recs if r.get("record") == "quote"]
    assert quotes and quotes[0]["explain"]["origin"] == "model"


def test_missing_and_broken_model_files_are_clear_errors(tmp_path):
    with pytest.raises(attr.AttributionModelError, match="has no attribution model"):
        attr.load(tmp_path)
    for n in ("cue", "role", "trim"):
        (tmp_path / f"attribution_{n}.npz").write_bytes(b"not a zip")
    (tmp_path / "attribution_meta.json").write_text("{}", encoding="utf-8")
    with pytest.raises(attr.AttributionModelError, match="unreadable attribution model"):
        attr.load(tmp_path)


def test_train_quotes_command_errors_are_one_line(tmp_path, capsys):
    assert main(["train", "quotes", "--train", str(tmp_path / "nope"), "--dev", "none",
                 "--out", str(tmp_path / "m")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not a PolNeAR split" in err


def test_a_split_without_cues_cannot_train(tmp_path):
    from eventcoder.learn.attribution_train import train_attribution
    train = _write_split(tmp_path / "train", [("The weather was mild and the park was green.", [])])
    with pytest.raises(ValueError, match="no annotated articles|too little training data"):
        train_attribution(train, tmp_path / "m", dev_dir=None, log=lambda m: None)


def test_speakers_resolve_pronouns_role_nouns_and_officials():
    from eventcoder.coder import Coder
    text = ("Russian President Vladimir Putin met the envoy in Moscow on Monday. He said that the talks "
            "were useful. Officials said the meeting had gone well. Kremlin spokesman Dmitry Peskov said "
            "a deal was close. The spokesman added that sanctions must end.")
    res = next(iter(Coder(quotes=True).code_articles([Article("a", text, published="2025-02-13")])))
    got = {text[q.speaker_span[0]:q.speaker_span[1]]: q.speaker for q in res.quotes}
    assert got["He"].name == "Vladimir Putin" and got["He"].code == "RUSGOV"
    assert got["Officials"].code == "RUSGOV" and got["Officials"].name is None
    assert got["The spokesman"].name == "Dmitry Peskov"
    assert all(q.speaker is not None for q in res.quotes)


def test_resolve_speaker_without_actors_or_head_is_none():
    from eventcoder.speakers import resolve_speaker
    assert resolve_speaker(None, None) is None

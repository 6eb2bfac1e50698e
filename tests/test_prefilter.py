"""The sentence pre-filter: which sentences are parsed, offsets of the assembled Doc, same events."""
from __future__ import annotations

import json

import pytest

from eventcoder.coder import Coder, CodedArticle
from eventcoder.ingest import IngestError
from eventcoder.model import Article
from eventcoder.nlp import load_model
from eventcoder.prefilter import SentencePrefilter

TEXT = ("The weather was mild in the capital on Monday. Russia attacked Ukraine with drones overnight. "
        "Markets were quiet.\n\nPresident Trump met Chinese President Xi Jinping in Beijing on Tuesday. "
        "The museum reopened its doors. He said Iran must stop enriching uranium.")


@pytest.fixture(scope="module")
def nlp():
    return load_model(None)


@pytest.fixture(scope="module")
def pf(nlp):
    return SentencePrefilter(nlp)


@pytest.fixture(scope="module")
def coders():
    return Coder(quotes=False, events="rules"), Coder(quotes=False, prefilter=True, events="rules")


def kept(pf, text):
    plan = pf.plan(text)
    return [plan.cheap[a:b].text.strip() for a, b, k in plan.runs if k]


def test_sentences_without_trigger_are_dropped(pf):
    got = " ".join(kept(pf, TEXT))
    assert "Russia attacked Ukraine" in got and "Trump met" in got
    assert "weather was mild" not in got and "Markets were quiet" not in got
    assert "museum reopened" not in got
    assert "Iran must stop" in got  # reporting verb + must: an obligation (CAMEO 10x) is possible


def test_irregular_forms_and_requires(pf):
    assert pf.keep_sentence(pf.plan("Putin met Macron.").cheap[:])
    assert pf.keep_sentence(pf.plan("Rebels fought the army.").cheap[:])
    assert "meet" in pf.candidate_lemmas("met") and "talk" in pf.candidate_lemmas("talks")
    # "have" is a trigger only with the lemmas its entries require ("have talks")
    assert not pf.keep_sentence(pf.plan("France has a large army budget.").cheap[:])
    assert pf.keep_sentence(pf.plan("France had talks with Germany.").cheap[:])
    # "according to" is never a trigger; a trigger with no possible actor cannot make an event
    assert not pf.keep_sentence(pf.plan("according to the weather report.").cheap[:])


def test_assembled_doc_covers_the_text_exactly(pf, nlp):
    texts = [TEXT, "no trigger at all here.", "   ", "Russia attacked Ukraine.", TEXT * 3]
    out = list(pf.pipe(nlp, ((t, i) for i, t in enumerate(texts)), batch_size=2))
    assert [i for _, i in out] == list(range(len(texts)))
    for doc, i in out:
        assert doc.text == texts[i]
        for tok in doc:
            assert texts[i][tok.idx: tok.idx + len(tok.text)] == tok.text
    doc = out[0][0]
    attacked = [t for t in doc if t.text == "attacked"][0]
    assert attacked.lemma_ == "attack" and attacked.dep_  # parsed
    mild = [t for t in doc if t.text == "mild"][0]
    assert mild.dep_ == "dep" and not mild.pos_ and not mild.lemma_  # placeholder, not parsed
    assert len(list(doc.sents)) >= 6


def test_entities_only_where_the_parse_shows_a_trigger(nlp):
    """Second gate: kept sentences are parsed; the entity recogniser runs only on those whose
    parse has a lexicon trigger (or an obligation), and finds there what the full pipeline finds."""
    text = ("Moscow hosted Chinese officials in March. Putin watched the talk show in Moscow. "
            "Russia attacked Ukraine with drones overnight, the Ukrainian military said.")
    gated = SentencePrefilter(nlp)
    ungated = SentencePrefilter(nlp, gate_ner=False)
    stats: dict = {}
    (doc, _), = gated.pipe(nlp, [(text, None)], stats=stats)
    (doc_all, _), = ungated.pipe(nlp, [(text, None)])
    full = nlp(text)
    sents = list(doc.sents)
    assert any(e.text == "Russia" for e in doc.ents) and any(e.text == "Ukraine" for e in doc.ents)
    # "the talk show": kept by the cheap test ("talk" heads trigger entries), parsed, but the parse
    # shows a noun modifying another noun, not an act -> no entities looked for
    show = [s for s in sents if "talk show" in s.text]
    assert show and show[0][0].dep_ == "nsubj"  # parsed ...
    assert not any(show[0].start <= e.start < show[0].end for e in doc.ents)  # ... no NER
    assert any(e.text == "Putin" for e in doc_all.ents)  # the ungated filter runs NER there
    assert 0 < stats["ner_tokens"] < stats["parsed_tokens"]
    # where NER ran, the entities are the full pipeline's
    last = sents[-1]
    ours = [(e.start, e.end, e.label_) for e in doc.ents if e.start >= last.start]
    theirs = [(e.start, e.end, e.label_) for e in full.ents if e.start >= last.start]
    assert ours == theirs


def test_may_hold_event_on_parsed_sentences(nlp):
    from eventcoder.events.frames import FrameExtractor

    fx = FrameExtractor()
    with nlp.select_pipes(disable=["ner"]):
        yes = ["Russia attacked Ukraine.", "He said Iran must stop enriching uranium.",
               "The two sides held talks in Geneva."]
        no = ["The spokesman said nothing more.", "The weather was mild on Monday."]
        for t in yes:
            assert fx.may_hold_event(next(nlp(t).sents)), t
        for t in no:
            assert not fx.may_hold_event(next(nlp(t).sents)), t


def test_event_spans_point_into_the_article(coders):
    _, pre = coders
    (res,) = list(pre.code_articles([Article("x", TEXT, published="2025-02-13")]))
    assert res.error is None and res.events
    for e in res.events:
        assert TEXT[e.span[0]: e.span[1]] == e.trigger
        assert e.sentence in TEXT
        if e.source is not None and e.source.span:
            assert TEXT[e.source.span[0]: e.source.span[1]] == e.source.text


def triples(events):
    return sorted((e.trigger, e.span[0], e.cameo_code, e.source.code if e.source else None,
                   e.target.code if e.target else None) for e in events)


def test_same_events_as_the_full_pipeline_on_short_texts(coders):
    full, pre = coders
    texts = [TEXT, "Germany sent aid to Ukraine. It was cold.",
             "The weather was fine. Protesters rallied against the government in Paris.",
             "Iran threatened to close the Strait of Hormuz.", "Nothing happened."]
    arts = [Article(f"t{i}", t, published="2025-02-13") for i, t in enumerate(texts)]
    a = list(full.code_articles(arts))
    b = list(pre.code_articles(arts))
    for x, y in zip(a, b):
        assert triples(x.events) == triples(y.events), x.article.text


def test_stream_order_errors_and_empty_articles(coders):
    _, pre = coders
    items = [Article("1", "Russia attacked Ukraine."), IngestError("f:2", "broken"),
             Article("2", "It rained."), Article("3", "x" * 50), Article("4", "China met Japan.")]
    out = list(pre.code_articles(items))
    assert isinstance(out[1], IngestError)
    assert [o.article.article_id for o in out if isinstance(o, CodedArticle)] == ["1", "2", "3", "4"]
    assert out[0].events and not out[2].events


def test_seed_article_same_events_with_prefilter(coders):
    from support import shared_path

    from eventcoder.ingest import read_inputs

    path = shared_path("seed", "ukraine-peace-talks-2025-02-13.txt")
    (art,) = list(read_inputs([str(path)]))
    full, pre = coders
    (a,) = list(full.code_articles([art]))
    (b,) = list(pre.code_articles([art]))
    ta = {(e.source.code if e.source else None, e.plover_type, e.target.code if e.target else None,
           e.status) for e in a.events}
    tb = {(e.source.code if e.source else None, e.plover_type, e.target.code if e.target else None,
           e.status) for e in b.events}
    assert ta == tb
    for e in b.events:
        assert art.text[e.span[0]: e.span[1]] == e.trigger


def test_seed_tests_pass_with_prefilter(coders):
    """The seed-article assertions of tests/test_coder.py, on the pre-filtered coder."""
    from tests import test_coder as tc
    from support import shared_path

    from eventcoder.ingest import read_inputs

    path = shared_path("seed", "ukraine-peace-talks-2025-02-13.txt")
    (art,) = list(read_inputs([str(path)]))
    (res,) = list(coders[1].code_articles([art]))
    names = [n for n in dir(tc) if n.startswith("test_seed_")]
    assert names
    for n in names:
        getattr(tc, n)(res.events)


def test_voa_subset_keeps_every_event(coders, pf):
    from support import shared_path

    path = shared_path("voa", "voa_dev.jsonl")
    rows = [json.loads(line) for line in open(path, encoding="utf-8")][:12]
    arts = [Article(f"v{i}", r["text"], published="2025-03-14") for i, r in enumerate(rows)]
    full, pre = coders
    a = list(full.code_articles(arts))
    # every event of the full pipeline lies in a sentence the pre-filter keeps
    for res in a:
        plan = pf.plan(res.article.text)
        spans = [(plan.cheap[s].idx, plan.cheap[e - 1].idx + len(plan.cheap[e - 1]))
                 for s, e, k in plan.runs if k]
        for ev in res.events:
            assert any(s <= ev.span[0] < e for s, e in spans), ev.sentence
    b = list(pre.code_articles(arts))
    na = sum(len(r.events) for r in a)
    same = len({(e.article_id, e.span, e.cameo_code) for r in a for e in r.events}
               & {(e.article_id, e.span, e.cameo_code) for r in b for e in r.events})
    assert same >= 0.8 * na  # coreference across dropped sentences can differ (docs)

"""eventcoder.fastpipe: the faster attribute ruler and lemmatizer give spaCy's annotations exactly."""
from __future__ import annotations

import json

import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

from support import SAMPLES, shared_path
from eventcoder import fastpipe
from eventcoder.nlp import available_model, load_model

ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD]

# Text that exercises the ruler's multi-token, regular-expression and dependency patterns
# ("ai n't", "y' all", "gon na", "let 's", expletive "there is"), whitespace tokens and odd casing.
TRICKY = (
    "There is no deal, and there weren't any talks.  Y'all ain't seen nothin' yet, he said. "
    "We're gonna meet them; let's see if it works.\n\nI told you it was HIM, not me. "
    "They've had it. Does he? Did they have to? That is what they did. Who'd have thought it."
)


@pytest.fixture(scope="module")
def plain():
    return spacy.load(available_model())  # spaCy's own components, a separate object


@pytest.fixture(scope="module")
def fast():
    nlp = spacy.load(available_model())
    assert fastpipe.install(nlp) == ["attribute_ruler", "lemmatizer"]
    return nlp


def _texts() -> list:
    texts = [TRICKY, ""]
    texts += [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    return texts


def _same(plain, fast, texts) -> int:
    n = 0
    for a, b in zip(plain.pipe(texts), fast.pipe(texts)):
        assert [t.text for t in a] == [t.text for t in b]
        for ta, tb in zip(a, b):
            assert (ta.tag_, ta.pos_, str(ta.morph), ta.lemma_, ta.dep_, ta.head.i) == \
                   (tb.tag_, tb.pos_, str(tb.morph), tb.lemma_, tb.dep_, tb.head.i), (ta.text, ta.i)
        assert (a.to_array(ATTRS) == b.to_array(ATTRS)).all() if len(a) else True
        n += len(a)
    return n


def test_same_annotations_on_samples_and_tricky_text(plain, fast):
    assert _same(plain, fast, _texts()) > 500


def test_same_matches_as_spacys_matcher(plain, fast):
    docs = list(plain.pipe([TRICKY], disable=["attribute_ruler", "lemmatizer", "ner"]))
    ours = fast.get_pipe("attribute_ruler").match(docs[0])
    theirs = plain.get_pipe("attribute_ruler").match(docs[0])
    assert [(a, s, e) for a, _, s, e in ours] == [(a, s, e) for a, _, s, e in theirs]
    assert any(e - s == 2 for _, _, s, e in ours)  # a multi-token pattern ("ai n't") fired


def test_same_annotations_on_news(plain, fast):
    path = shared_path("voa", "voa_dev.jsonl")
    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8") if line.strip()][:40]
    assert _same(plain, fast, texts) > 10_000


def test_original_context_restores_spacys_methods_and_reinstalls():
    nlp = spacy.load(available_model())
    fastpipe.install(nlp)
    ruler = nlp.get_pipe("attribute_ruler")
    lemmatizer = nlp.get_pipe("lemmatizer")
    assert fastpipe.installed(nlp) == ["attribute_ruler", "lemmatizer"]
    with fastpipe.original(nlp):
        assert fastpipe.installed(nlp) == []
        assert "match" not in vars(ruler)
        assert lemmatizer.lemmatize.__func__ is type(lemmatizer).rule_lemmatize
        assert nlp("They met.")[1].lemma_ == "meet"
    assert fastpipe.installed(nlp) == ["attribute_ruler", "lemmatizer"]
    assert nlp("They met.")[1].lemma_ == "meet"
    assert fastpipe.install(nlp) == []  # idempotent


def test_unsupported_patterns_leave_the_ruler_alone():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "x", "OP": "+"}]], {"POS": "X"})
    assert fastpipe.install(nlp) == []
    assert nlp("x x")[0].pos_ == "X"


def test_the_coder_pipeline_is_patched():
    assert set(fastpipe.installed(load_model(None))) == {"attribute_ruler", "lemmatizer"}

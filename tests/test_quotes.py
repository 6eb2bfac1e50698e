"""Quote attribution: direct/indirect patterns, spans, speakers, and the seed article."""
from __future__ import annotations

import pytest

from eventcoder.model import Article
from eventcoder.quotes import QuoteExtractor, scan_quotes
from support import shared_path


@pytest.fixture(scope="module")
def nlp():
    from eventcoder.nlp import load_model
    try:
        return load_model()
    except Exception as exc:  # pragma: no cover
        pytest.skip(f"no spaCy model: {exc}")


def _quotes(nlp, text, with_actors=True):
    doc = nlp(text)
    art = Article("t", text, published="2025-02-13")
    actors = None
    if with_actors:
        from eventcoder.actors.resolve import ActorResolver
        actors = ActorResolver(doc, art.published)
        for i, s in enumerate(doc.sents):
            actors.start_sentence(s, i)
    qs, _ = QuoteExtractor().extract(doc, art, actors)
    return qs


def _span(text, s):
    return text[s[0]:s[1]] if s else None


# ---- quotation marks ---------------------------------------------------------------------------
def test_scan_curly_straight_and_nested():
    t = 'He said “we will ‘never’ give up” and "no deal."'
    runs = scan_quotes(t)
    assert [t[r.start:r.end] for r in runs] == ["“we will ‘never’ give up”", '"no deal."']


def test_scan_multi_paragraph():
    t = '“First paragraph of the quote.\n\n“Second paragraph,” she said.\n\nNot quoted.'
    runs = scan_quotes(t)
    assert len(runs) == 1 and len(runs[0].frags) == 2
    assert t[runs[0].frags[1][0]:runs[0].frags[1][1]] == "“Second paragraph,”"


def test_scan_nyt_double_apostrophes():
    t = "He said ''we will win'' on Monday."
    runs = scan_quotes(t)
    assert [t[r.start:r.end] for r in runs] == ["''we will win''"]


# ---- attribution patterns ----------------------------------------------------------------------
def test_direct_quote_after_cue_and_split_quote(nlp):
    t = "“A deal is close,” Peskov said, “but not yet.”"
    qs = _quotes(nlp, t, with_actors=False)
    assert len(qs) == 1
    q = qs[0]
    assert q.direct and _span(t, q.cue_span) == "said" and _span(t, q.speaker_span) == "Peskov"
    assert len(q.content_spans) == 2
    assert "A deal is close" in q.content and "but not yet" in q.content


def test_multi_sentence_quote(nlp):
    t = '"We will win this war. It is not over," the minister said.'
    q = _quotes(nlp, t, with_actors=False)[0]
    assert q.direct and "We will win this war" in q.content and "It is not over" in q.content
    assert _span(t, q.speaker_span) == "the minister"


def test_continuation_quote_same_speaker(nlp):
    t = '"We will not give up," Zelenskyy said. "Ukraine will defend every city."'
    qs = _quotes(nlp, t, with_actors=False)
    assert len(qs) == 1 and "defend every city" in qs[0].content


@pytest.mark.parametrize("text,cue,speaker,content", [
    ("The president told reporters on Friday that the war must end.", "told", "The president",
     "that the war must end"),
    ("Macron warned that Europe could not wait.", "warned", "Macron", "that Europe could not wait"),
    ("The envoy insisted the talks would go ahead.", "insisted", "The envoy", "the talks would go ahead"),
    ("According to Peskov, the idea is impossible.", "According to", "Peskov", "the idea is impossible"),
])
def test_indirect(nlp, text, cue, speaker, content):
    qs = _quotes(nlp, text, with_actors=False)
    assert qs, text
    q = qs[0]
    assert not q.direct
    assert _span(text, q.cue_span) == cue
    assert _span(text, q.speaker_span) == speaker
    assert q.content.rstrip(".") == content


def test_nested_attribution_is_folded(nlp):
    t = "Peskov said that Trump argued for a swift ceasefire."
    qs = _quotes(nlp, t, with_actors=False)
    assert [q.cue for q in qs] == ["said"]


def test_pronoun_speaker_resolves(nlp):
    t = ("Kremlin spokesman Dmitry Peskov spoke on Thursday. "
         "He said that Russia would not discuss the proposal.")
    qs = _quotes(nlp, t)
    q = [q for q in qs if q.cue == "said"][0]
    assert _span(t, q.speaker_span) == "He"
    assert q.speaker is not None and q.speaker.country == "RUS"


def test_records_follow_contract(nlp):
    t = "“A deal is close,” Peskov said."
    q = _quotes(nlp, t, with_actors=False)[0]
    d = q.to_dict()
    assert set(d) == {"quote_id", "article_id", "speaker", "cue", "content", "direct", "speaker_span",
                      "cue_span", "content_spans"}
    for s, e in q.content_spans:
        assert 0 <= s < e <= len(t)


# ---- the seed article --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seed_coded():
    from eventcoder.coder import Coder
    p = shared_path("seed", "ukraine-peace-talks-2025-02-13.txt")
    text = p.read_text(encoding="utf-8")
    res = next(Coder(quotes=True).code_articles([Article("seed", text, published="2025-02-13")]))
    assert res.error is None, res.error
    return res


def _by(quotes, name, words):
    return [q for q in quotes if q.speaker is not None and q.speaker.name and name in q.speaker.name
            and words in q.content]


def test_seed_quotes(seed_coded):
    qs = seed_coded.quotes
    assert _by(qs, "Trump", "lengthy and highly productive")
    assert _by(qs, "Zelensk", "there is no negotiation about Ukraine without Ukraine")
    assert _by(qs, "Peskov", "impossible")
    for q in _by(qs, "Trump", "lengthy and highly productive") + _by(qs, "Peskov", "impossible"):
        assert q.direct

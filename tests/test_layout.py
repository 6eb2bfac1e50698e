"""Datelines and captions are not the story (eventcoder.layout)."""
from __future__ import annotations

import eventcoder
from eventcoder.layout import caption_sentences, dateline_end, is_caption


def test_datelines_found_and_sentences_left_alone():
    for text, head in [("KYIV, Ukraine (AP) — Russia fired", "KYIV, Ukraine (AP) — "),
                       ("WASHINGTON — The State Department", "WASHINGTON — "),
                       ("UNITED NATIONS - The council", "UNITED NATIONS - "),
                       ("ISLAMABAD, PAKISTAN — Police", "ISLAMABAD, PAKISTAN — ")]:
        assert text[:dateline_end(text)] == head
    for text in ["The U.S. - led coalition struck.", "Russia - and China - objected.",
                 "Putin met Xi.", "", "NATO said on Monday", "A - B"]:
        assert dateline_end(text) == 0, text


def test_captions():
    assert is_caption("Photo: Police detain a protester in Tbilisi.")
    assert is_caption("FILE - Russian President Vladimir Putin meets Xi Jinping, May 16, 2024.")
    assert is_caption("(AP Photo/Evan Vucci)")
    assert not is_caption("Photographers were beaten by police.")
    assert not is_caption("The file was leaked to reporters.")
    assert caption_sentences(["Police detain a protester.", "(AP Photo/X Y)", "Police arrested 40."]) == {0, 1}


def test_a_dateline_is_no_actor_and_a_caption_no_event():
    evs = eventcoder.code_text("WASHINGTON — The State Department condemned the attack.", published="2025-02-13")
    assert evs and not any(a and a.text == "WASHINGTON" for e in evs for a in (e.source, e.target))
    assert eventcoder.code_text("Photo: Police detain a protester in Tbilisi, Georgia.", published="2025-02-13") == []
    assert eventcoder.code_text("Police detained a protester in Tbilisi, Georgia.", published="2025-02-13")


def test_gallery_captions():
    assert is_caption("Hide Caption 60 of 157") and is_caption("Police detain a man. Hide Caption 3 of 9")
    assert caption_sentences(["Police detain a protester.", "Hide Caption 60 of 157", "Police arrested 40."]) == {0, 1}
    assert not is_caption("The police hid the caption of the photograph.")


def test_the_cheap_test_never_misses_a_caption():
    from eventcoder.layout import may_have_captions

    for s in ["Photo: Police detain a protester.", "FILE - Putin meets Xi.", "(AP Photo/X Y)",
              "(Reuters Pool)", "(Getty Images)", "Hide Caption 60 of 157", "Pictured: the site.",
              "VIDEO: the strike", "Watch - the debate"]:
        assert is_caption(s) or caption_sentences(["A.", s]) , s
        assert may_have_captions(s), s
    assert not may_have_captions("Russia attacked Ukraine on Monday.")


def test_a_dateline_is_a_sentence_of_its_own_so_the_story_parses_as_without_it():
    from eventcoder.learn.stage import _one_sentence
    from eventcoder.nlp import load_model

    nlp = load_model(None)
    doc = nlp("MOGADISHU, Somalia — Gunmen killed 12 people at a hotel in central Somalia on Sunday.")
    sents = [s.text for s in doc.sents]
    assert sents[0] == "MOGADISHU, Somalia —" and sents[1].startswith("Gunmen killed")
    (gunmen,) = [t for t in doc if t.text == "Gunmen"]
    assert gunmen.dep_ == "nsubj" and gunmen.head.text == "killed"
    assert _one_sentence(doc)  # the dateline is not a sentence of the text
    # no dateline, no change: "The U.S. - ..." is a sentence
    doc = nlp("The U.S. - and its allies - imposed sanctions on Monday.")
    assert len(list(doc.sents)) == 1


def test_a_dated_wire_lead_is_coded_with_its_subject():
    import eventcoder

    evs = eventcoder.code_text("MOGADISHU, Somalia — Gunmen killed 12 people at a hotel in central Somalia on "
                               "Sunday, police said. The attack was claimed by al-Shabab.", published="2025-01-05")
    assert any(e.plover_type == "ASSAULT" and e.source is not None and e.source.text == "Gunmen" for e in evs), \
        [e.flat_dict() for e in evs]


def test_the_dateline_of_a_doc_reads_only_its_start(make_doc):
    from eventcoder.layout import dateline_end, doc_dateline_end

    words = ["KYIV", ",", "Ukraine", "(", "AP", ")", "—", "Russia", "shelled", "the", "city", "."] + ["word"] * 500
    spaces = [False, True, True, False, False, True, True] + [True] * (len(words) - 7)
    doc = make_doc(words, spaces=spaces)
    assert doc_dateline_end(doc) == dateline_end(doc.text) > 0
    assert doc_dateline_end(make_doc(["The", "U.S.", "-", "led", "talks", "began", "."])) == 0
    assert doc_dateline_end(make_doc(["x"])) == 0

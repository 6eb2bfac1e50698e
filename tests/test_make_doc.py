"""The make_doc fixture builds the parse a unit test gives, independent of the statistical model."""


def test_make_doc_builds_the_given_parse(make_doc):
    doc = make_doc(
        ["Russia", "shelled", "Kharkiv", "."],
        heads=[1, 1, 1, 1],
        deps=["nsubj", "ROOT", "dobj", "punct"],
        pos=["PROPN", "VERB", "PROPN", "PUNCT"],
        lemmas=["Russia", "shell", "Kharkiv", "."],
        ents=[(0, 1, "GPE"), (2, 3, "GPE")],
    )
    assert [t.dep_ for t in doc] == ["nsubj", "ROOT", "dobj", "punct"]
    assert doc[0].head.i == 1 and doc[1].head.i == 1
    assert doc[1].lemma_ == "shell" and doc[1].pos_ == "VERB"
    assert [(e.text, e.label_) for e in doc.ents] == [("Russia", "GPE"), ("Kharkiv", "GPE")]
    assert [t.text for t in doc[1].children] == ["Russia", "Kharkiv", "."]


def test_make_doc_takes_iob_tags_and_sentence_starts(make_doc):
    doc = make_doc(["Kyiv", "said", ".", "Moscow", "denied", "."],
                   ents=["B-GPE", "O", "O", "B-GPE", "O", "O"],
                   sent_starts=[True, False, False, True, False, False])
    assert [s.text for s in doc.sents] == ["Kyiv said .", "Moscow denied ."]
    assert [e.text for e in doc.ents] == ["Kyiv", "Moscow"]


def test_make_doc_has_english_lexical_attributes(make_doc):
    # the rules read lower_, is_punct and like_num: a bare Vocab() would leave them empty
    doc = make_doc(["Iran", "WILL", "send", "5", "tanks", "."])
    assert [t.lower_ for t in doc] == ["iran", "will", "send", "5", "tanks", "."]
    assert doc[3].like_num and doc[5].is_punct and not doc[0].is_punct

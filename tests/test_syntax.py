"""The doer walk (`syntax.doer`) on hand-given parses, and that events and quotes share it."""
from __future__ import annotations

from eventcoder import quotes, syntax
from eventcoder.events import arguments


def _doc(make_doc, rows):
    """rows: (word, head, dep, pos, lemma[, tag])"""
    return make_doc([r[0] for r in rows], heads=[r[1] for r in rows], deps=[r[2] for r in rows],
                    pos=[r[3] for r in rows], lemmas=[r[4] for r in rows],
                    tags=[r[5] if len(r) > 5 else "" for r in rows])


def test_subject_and_passive_agent(make_doc):
    doc = _doc(make_doc, [("Russia", 1, "nsubj", "PROPN", "Russia"), ("shelled", 1, "ROOT", "VERB", "shell"),
                          ("Kharkiv", 1, "dobj", "PROPN", "Kharkiv")])
    assert syntax.doer(doc[1]) == (doc[0], "subject")
    doc = _doc(make_doc, [("Kharkiv", 2, "nsubjpass", "PROPN", "Kharkiv"), ("was", 2, "auxpass", "AUX", "be"),
                          ("shelled", 2, "ROOT", "VERB", "shell"), ("by", 2, "agent", "ADP", "by"),
                          ("Russia", 3, "pobj", "PROPN", "Russia")])
    assert syntax.doer(doc[2]) == (doc[4], "agent")


def test_a_passive_without_agent_has_no_doer(make_doc):
    # "The journalist was arrested": who arrested is not said, and the journalist did not
    doc = _doc(make_doc, [("journalist", 2, "nsubjpass", "NOUN", "journalist"), ("was", 2, "auxpass", "AUX", "be"),
                          ("arrested", 2, "ROOT", "VERB", "arrest")])
    assert syntax.doer(doc[2]) == (None, "passive-no-agent")


def test_a_relative_pronoun_gives_its_noun(make_doc):
    # "the rebels who attacked the base": the doer is the rebels, not "who"
    doc = _doc(make_doc, [("rebels", 0, "ROOT", "NOUN", "rebel"), ("who", 2, "nsubj", "PRON", "who"),
                          ("attacked", 0, "relcl", "VERB", "attack"), ("base", 2, "dobj", "NOUN", "base")])
    assert syntax.doer(doc[2]) == (doc[0], "relative")
    # a relative clause with a subject of its own keeps it ("the base that rebels attacked")
    doc = _doc(make_doc, [("base", 0, "ROOT", "NOUN", "base"), ("that", 3, "dobj", "PRON", "that"),
                          ("rebels", 3, "nsubj", "NOUN", "rebel"), ("attacked", 0, "relcl", "VERB", "attack")])
    assert syntax.doer(doc[3]) == (doc[2], "subject")


def test_object_control_and_inheritance(make_doc):
    # "The U.N. urged Iran to withdraw and negotiate"
    doc = _doc(make_doc, [("U.N.", 1, "nsubj", "PROPN", "U.N."), ("urged", 1, "ROOT", "VERB", "urge"),
                          ("Iran", 1, "dobj", "PROPN", "Iran"), ("to", 4, "aux", "PART", "to"),
                          ("withdraw", 1, "xcomp", "VERB", "withdraw"), ("and", 4, "cc", "CCONJ", "and"),
                          ("negotiate", 4, "conj", "VERB", "negotiate")])
    assert syntax.doer(doc[4]) == (doc[2], "object-control")
    assert syntax.doer(doc[6]) == (doc[2], "inherited(conj)")
    # "Russia agreed to meet": plain control
    doc = _doc(make_doc, [("Russia", 1, "nsubj", "PROPN", "Russia"), ("agreed", 1, "ROOT", "VERB", "agree"),
                          ("to", 3, "aux", "PART", "to"), ("meet", 1, "xcomp", "VERB", "meet")])
    assert syntax.doer(doc[3]) == (doc[0], "control")


def test_a_participle_on_a_noun_is_not_its_act(make_doc):
    # "the attack carried out on Monday": "carried" (VBN acl) is not done by the attack
    doc = _doc(make_doc, [("attack", 0, "ROOT", "NOUN", "attack"), ("carried", 0, "acl", "VERB", "carry", "VBN")])
    assert syntax.doer(doc[1]) == (None, "none")
    # "troops stationing near": an -ing participle is its noun's act
    doc = _doc(make_doc, [("troops", 0, "ROOT", "NOUN", "troop"), ("massing", 0, "acl", "VERB", "mass", "VBG")])
    assert syntax.doer(doc[1]) == (doc[0], "relative")


def test_the_walk_stops_at_the_root_and_at_its_depth(make_doc):
    doc = _doc(make_doc, [("Talks", 1, "nsubj", "NOUN", "talk"), ("began", 1, "ROOT", "VERB", "begin")])
    assert syntax.doer(doc[0]) == (None, "none")  # a noun hanging on a verb by nsubj inherits nothing
    # "Russia met, v1, v2 ...": a chain of conjuncts inherits the subject up to MAX_DEPTH verbs back
    def chain(k):
        rows = [("Russia", 1, "nsubj", "PROPN", "Russia"), ("met", 1, "ROOT", "VERB", "meet")]
        rows += [("v%d" % i, i, "conj", "VERB", "v") for i in range(1, k + 1)]
        return _doc(make_doc, rows)

    doc = chain(syntax.MAX_DEPTH)
    assert syntax.doer(doc[-1]) == (doc[0], "inherited(conj)")
    doc = chain(syntax.MAX_DEPTH + 1)
    assert syntax.doer(doc[-1]) == (None, "none")


def test_events_and_quotes_walk_the_same_way(make_doc):
    # "the minister, who said ...": the quote's source is the minister, as an event's would be
    doc = _doc(make_doc, [("minister", 0, "ROOT", "NOUN", "minister"), (",", 0, "punct", "PUNCT", ","),
                          ("who", 3, "nsubj", "PRON", "who"), ("said", 0, "relcl", "VERB", "say")])
    assert quotes.QuoteExtractor._source(doc[3]) == doc[0]
    assert arguments.doer is syntax.doer and quotes.doer is syntax.doer


def test_descendants_follow_only_the_children_admitted(make_doc):
    # "the Saudi-led coalition, which struck Yemen": the phrase without its relative clause
    doc = _doc(make_doc, [("the", 2, "det", "DET", "the"), ("Saudi", 2, "amod", "ADJ", "saudi"),
                          ("coalition", 2, "ROOT", "NOUN", "coalition"), ("which", 4, "nsubj", "PRON", "which"),
                          ("struck", 2, "relcl", "VERB", "strike"), ("Yemen", 4, "dobj", "PROPN", "Yemen")])
    got = syntax.descendants(doc[2], lambda t, c: c.dep_ != "relcl")
    assert [t.i for t in got] == [2, 0, 1]
    assert [t.i for t in syntax.descendants(doc[2], lambda t, c: True)] == [2, 0, 1, 4, 3, 5]
    assert syntax.descendants(doc[5], lambda t, c: True) == [doc[5]]


def test_which_and_that_are_marked_and_a_second_subject_wins(make_doc):
    # "sanctions, which include a ban": the noun may be a thing; the event side decides
    doc = _doc(make_doc, [("sanctions", 0, "ROOT", "NOUN", "sanction"), ("which", 2, "nsubj", "PRON", "which"),
                          ("include", 0, "relcl", "VERB", "include")])
    assert syntax.doer(doc[2]) == (doc[0], "relative(which)")
    # "the men, who they allege were killed": parsed with two subjects, the clause's own one acts
    doc = _doc(make_doc, [("men", 0, "ROOT", "NOUN", "man"), ("who", 3, "nsubj", "PRON", "who"),
                          ("they", 3, "nsubj", "PRON", "they"), ("allege", 0, "relcl", "VERB", "allege")])
    assert syntax.doer(doc[3]) == (doc[2], "subject")


def test_an_event_source_is_never_a_thing_named_by_which():
    from eventcoder.coder import Coder
    from eventcoder.model import Article

    coder = Coder(quotes=False)
    text = "Islamic State carried out an attack on a police station that killed 17 people on Monday."
    (res,) = list(coder.code_articles([Article("t", text, published="2024-05-01")]))
    killed = [e for e in res.events if e.plover_type == "ASSAULT" and e.target is not None
              and "17" in (e.target.text or "")]
    assert all(e.source is None or "station" not in (e.source.text or "") for e in killed)

"""Unit tests of the event rule stage on hand-given parses (support.make_doc), one group per job:
trigger matching, argument finding, places, status recoding, record assembly and candidate frames.

Each parse is fixed by the test, so a rule is checked on exactly the tree it reads, whatever the
statistical parser would make of the sentence. Rows: word lemma POS TAG dep head [IOB entity].
"""
from __future__ import annotations

import pytest

from eventcoder.actors.resolve import ArticleActors
from eventcoder.events.frames import FrameExtractor

PUBLISHED = "2025-02-13"

PARSES = {
    "attack": """
        Russia Russia PROPN NNP nsubj 1 B-GPE
        attacked attack VERB VBD ROOT 1
        Ukraine Ukraine PROPN NNP dobj 1 B-GPE
        in in ADP IN prep 1
        Kharkiv Kharkiv PROPN NNP pobj 3 B-GPE
        . . PUNCT . punct 1""",
    "passive": """
        Ukraine Ukraine PROPN NNP nsubjpass 2 B-GPE
        was be AUX VBD auxpass 2
        attacked attack VERB VBN ROOT 2
        by by ADP IN agent 2
        Russia Russia PROPN NNP pobj 3 B-GPE
        . . PUNCT . punct 2""",
    "talks": """
        Iran Iran PROPN NNP nsubj 3 B-GPE
        and and CCONJ CC cc 0
        Iraq Iraq PROPN NNP conj 0 B-GPE
        held hold VERB VBD ROOT 3
        talks talk NOUN NNS dobj 3
        in in ADP IN prep 3
        Geneva Geneva PROPN NNP pobj 5 B-GPE
        . . PUNCT . punct 3""",
    "must": """
        Biden Biden PROPN NNP nsubj 1 B-PERSON
        said say VERB VBD ROOT 1
        Iran Iran PROPN NNP nsubj 4 B-GPE
        must must AUX MD aux 4
        stop stop VERB VB ccomp 1
        . . PUNCT . punct 1""",
    "weather": """
        The the DET DT det 1
        weather weather NOUN NN nsubj 2
        was be AUX VBD ROOT 2
        mild mild ADJ JJ acomp 2
        . . PUNCT . punct 2""",
    "commence": """
        Iran Iran PROPN NNP nsubj 1 B-GPE
        agreed agree VERB VBD ROOT 1
        to to PART TO aux 3
        commence commence NOUN NN xcomp 1
        negotiations negotiation NOUN NNS dobj 3
        with with ADP IN prep 3
        France France PROPN NNP pobj 5 B-GPE
        . . PUNCT . punct 1""",
    "agree_meet": """
        Iran Iran PROPN NNP nsubj 1 B-GPE
        agreed agree VERB VBD ROOT 1
        to to PART TO aux 3
        meet meet VERB VB xcomp 1
        France France PROPN NNP dobj 3 B-GPE
        . . PUNCT . punct 1""",
    "refuse": """
        Russia Russia PROPN NNP nsubj 3 B-GPE
        will will AUX MD aux 3
        not not PART RB neg 3
        meet meet VERB VB ROOT 3
        Ukraine Ukraine PROPN NNP dobj 3 B-GPE
        . . PUNCT . punct 3""",
    "threat": """
        Russia Russia PROPN NNP nsubj 2 B-GPE
        will will AUX MD aux 2
        withdraw withdraw VERB VB ROOT 2
        its its PRON PRP$ poss 4
        troops troop NOUN NNS dobj 2
        from from ADP IN prep 2
        Syria Syria PROPN NNP pobj 5 B-GPE
        unless unless SCONJ IN mark 9
        Turkey Turkey PROPN NNP nsubj 9 B-GPE
        agrees agree VERB VBZ advcl 2
        . . PUNCT . punct 2""",
    "planned": """
        Iran Iran PROPN NNP nsubj 2 B-GPE
        will will AUX MD aux 2
        attack attack VERB VB ROOT 2
        Israel Israel PROPN NNP dobj 2 B-GPE
        . . PUNCT . punct 2""",
    "prepare": """
        The the DET DT det 1
        army army NOUN NN nsubj 2
        prepared prepare VERB VBD ROOT 2
        to to PART TO aux 4
        shell shell VERB VB xcomp 2
        Kharkiv Kharkiv PROPN NNP dobj 4 B-GPE
        . . PUNCT . punct 2""",
    "protest": """
        Protesters protester NOUN NNS nsubj 1
        rallied rally VERB VBD ROOT 1
        in in ADP IN prep 1
        Paris Paris PROPN NNP pobj 2 B-GPE
        . . PUNCT . punct 1""",
    "met": """
        Iran Iran PROPN NNP nsubj 3 B-GPE
        and and CCONJ CC cc 0
        Iraq Iraq PROPN NNP conj 0 B-GPE
        met meet VERB VBD ROOT 3
        . . PUNCT . punct 3""",
    "police": """
        Police police NOUN NNS nsubj 1
        arrested arrest VERB VBD ROOT 1
        protesters protester NOUN NNS dobj 1
        in in ADP IN prep 1
        Nairobi Nairobi PROPN NNP pobj 3 B-GPE
        . . PUNCT . punct 1""",
    "invasion": """
        Russia Russia PROPN NNP poss 2 B-GPE
        's 's PART POS case 0
        invasion invasion NOUN NN nsubj 5
        of of ADP IN prep 2
        Ukraine Ukraine PROPN NNP pobj 3 B-GPE
        continued continue VERB VBD ROOT 5
        . . PUNCT . punct 5""",
    "after": """
        Israel Israel PROPN NNP nsubj 1 B-GPE
        closed close VERB VBD ROOT 1
        the the DET DT det 3
        border border NOUN NN dobj 1
        after after ADP IN prep 1
        the the DET DT det 6
        attack attack NOUN NN pobj 4
        . . PUNCT . punct 1""",
    "urged": """
        France France PROPN NNP nsubj 1 B-GPE
        urged urge VERB VBD ROOT 1
        Russia Russia PROPN NNP dobj 1 B-GPE
        to to PART TO aux 4
        withdraw withdraw VERB VB xcomp 1
        . . PUNCT . punct 1""",
    "deploy": """
        Britain Britain PROPN NNP nsubj 1 B-GPE
        deployed deploy VERB VBD ROOT 1
        troops troop NOUN NNS dobj 1
        to to ADP IN prep 1
        Estonia Estonia PROPN NNP pobj 3 B-GPE
        . . PUNCT . punct 1""",
    "seize": """
        Rebels rebel NOUN NNS nsubj 1
        seized seize VERB VBD ROOT 1
        the the DET DT det 3
        moment moment NOUN NN dobj 1
        . . PUNCT . punct 1""",
}


@pytest.fixture(scope="module")
def fx():
    return FrameExtractor()


@pytest.fixture
def parse(make_doc):
    """A Doc from one of PARSES (or a spec of rows) and its ArticleActors."""
    def build(name_or_spec: str):
        spec = PARSES.get(name_or_spec, name_or_spec)
        rows = [r.split() for r in spec.strip().splitlines()]
        doc = make_doc([r[0] for r in rows], heads=[int(r[5]) for r in rows], deps=[r[4] for r in rows],
                       pos=[r[2] for r in rows], tags=[r[3] for r in rows], lemmas=[r[1] for r in rows],
                       ents=[r[6] if len(r) > 6 else "O" for r in rows])
        return doc, ArticleActors(doc, PUBLISHED)
    return build


def _records(fx, doc, actors) -> list:
    return [(e.cameo_code, e.source and e.source.code, e.target and e.target.code, e.status, e.rule)
            for e in fx.extract(doc, "a", PUBLISHED, actors)]


def _sentence(doc, actors, fx):
    """The first sentence, registered with the resolver and the extractor as the coder does."""
    sent = next(doc.sents)
    actors.start_sentence(sent, 0)
    fx.sentence_frames(actors, sent)  # sets the article text and story for the place finder
    return sent


def _codes(actor_list) -> list:
    return [a.code for a in actor_list]


# ---- trigger matching ---------------------------------------------------------------------------
def test_triggers_match_lexicon_rows_with_their_required_neighbours(fx, parse):
    doc, _ = parse("talks")
    verbs, nouns = fx._triggers(next(doc.sents))
    assert [(t.text, e.cameo, e.requires) for t, e in verbs] == [("held", "040", ("talk",))]
    assert [(t.text, e.cameo) for t, e in nouns] == [("talks", "040")]
    assert fx.match(doc[3], "V").rule == "V:hold+talk"
    assert fx.match(doc[4], "V").cameo == "040"  # a lemma match: "talk" is a verb entry too
    assert fx.match(doc[6], "V") is None


def test_a_not_event_row_means_no_trigger(fx, parse):
    doc, _ = parse("seize")  # "seized the moment"
    assert fx.match(doc[1], "V") is None
    assert fx._triggers(next(doc.sents)) == ([], [])


def test_a_mistagged_infinitive_is_verbal(fx, parse):
    doc, _ = parse("commence")  # "agreed to commence negotiations": commence/NOUN/xcomp with "to"
    assert fx._is_verbal(doc[3]) and fx._is_verbal(doc[1]) and not fx._is_verbal(doc[4])


def test_may_hold_event_needs_a_trigger_or_an_obligation(fx, parse):
    assert fx.may_hold_event(next(parse("attack")[0].sents))
    assert fx.may_hold_event(next(parse("must")[0].sents))  # "said Iran must stop": no act trigger
    assert not fx.may_hold_event(next(parse("weather")[0].sents))
    assert not fx.may_hold_event(next(parse("seize")[0].sents))


def test_entity_words_are_not_triggers(fx, parse):
    doc, _ = parse("""
        Attack Attack PROPN NNP nsubj 1 B-PERSON
        spoke speak VERB VBD ROOT 1
        . . PUNCT . punct 1""")
    assert fx._triggers(next(doc.sents)) == ([], [])


# ---- argument finding ---------------------------------------------------------------------------
def test_subject_of_an_active_and_a_passive_verb(fx, parse):
    doc, actors = parse("attack")
    _sentence(doc, actors, fx)
    src, how = fx._subject(actors, doc[1])
    assert (_codes(src), how) == (["RUS"], "subject")
    doc, actors = parse("passive")
    _sentence(doc, actors, fx)
    src, how = fx._subject(actors, doc[2])
    assert (_codes(src), how) == (["RUS"], "agent")
    tgt, how = fx._verb_targets(actors, doc[2], set(), src)
    assert (_codes(tgt), how) == (["UKR"], "passive-subject")


def test_object_control_gives_the_complement_its_subject(fx, parse):
    doc, actors = parse("urged")  # "France urged Russia to withdraw": Russia withdraws
    _sentence(doc, actors, fx)
    src, how = fx._subject(actors, doc[4])
    assert (_codes(src), how) == (["RUS"], "object-control")


def test_own_means_are_not_the_target(fx, parse):
    doc, actors = parse("deploy")  # "deployed troops to Estonia"
    _sentence(doc, actors, fx)
    src, _ = fx._subject(actors, doc[1])
    tgt, how = fx._verb_targets(actors, doc[1], set(), src)
    assert (_codes(tgt), how) == (["EST"], "prep-object(own means)")


def test_governing_verb_of_an_event_noun(fx, parse):
    doc, _ = parse("talks")
    assert fx._governing_verb(doc[4]).text == "held"
    doc, _ = parse("after")  # "after the attack": background, not the verb's own act
    assert fx._governing_verb(doc[6]) is None


def test_condition_subjects(fx, parse):
    doc, actors = parse("threat")
    _sentence(doc, actors, fx)
    assert _codes(fx._condition_subjects(actors, doc[2])) == ["TUR"]
    assert fx._condition_subjects(actors, doc[9]) == []


# ---- places -------------------------------------------------------------------------------------
def test_place_of_an_act_and_of_a_sentence(fx, parse):
    doc, actors = parse("attack")
    sent = _sentence(doc, actors, fx)
    loc = fx._location([doc[1]])
    assert (loc.name, loc.country) == ("Kharkiv", "UKR")
    assert fx._sentence_place_country(sent) == "UKR"
    assert fx._location([doc[2], None]) is None  # nothing under "Ukraine"


def test_deep_place_looks_into_the_acts_phrases(fx, parse):
    doc, actors = parse("deploy")
    _sentence(doc, actors, fx)
    loc = fx._deep_place(doc[1])
    assert (loc.name, loc.country) == ("Estonia", "EST")
    assert fx._lookup("Paris").country == "FRA"


# ---- status recoding ----------------------------------------------------------------------------
def test_refusing_a_cooperative_act_is_a_rejection(fx, parse):
    assert _records(fx, *parse("refuse")) == [
        ("125", "RUS", "UKR", "occurred", "V:meet src=subject tgt=object reject(040)")]


def test_a_conditional_announcement_of_ones_own_act_is_a_threat(fx, parse):
    recs = _records(fx, *parse("threat"))
    assert recs[0] == ("130", "RUS", "SYR", "occurred",
                       "V:withdraw+troop src=subject tgt=prep-object(own means) conditional-threat(0874)")


def test_an_announced_attack_is_a_threat_and_an_announced_meeting_an_intent(fx, parse):
    assert _records(fx, *parse("planned")) == [
        ("138", "IRN", "ISR", "planned", "V:attack src=subject tgt=object threat(190)")]
    assert _records(fx, *parse("agree_meet")) == [
        ("036", "IRN", "FRA", "occurred", "V:agree+intent(040) src=subject tgt=complement-object")]


def test_preparing_to_fight_is_a_force_posture(fx, parse):
    (rec,) = _records(fx, *parse("prepare"))
    assert rec[0] == "154" and rec[3] == "planned" and rec[4].endswith("preparation(194)")


# ---- record assembly ----------------------------------------------------------------------------
def test_a_reciprocal_act_of_two_sources_gives_both_directions(fx, parse):
    assert [r[:3] for r in _records(fx, *parse("met"))] == [("040", "IRN", "IRQ"), ("040", "IRQ", "IRN")]
    recs = [r[:3] for r in _records(fx, *parse("talks"))]
    assert recs == [("040", "IRN", "IRQ"), ("040", "IRQ", "IRN")]


def test_a_protest_without_target_is_addressed_to_the_government_of_its_place(fx, parse):
    assert _records(fx, *parse("protest")) == [
        ("141", "FRACVL", "FRAGOV", "occurred",
         "V:rally src=subject tgt=none tgt=protest-default(government of place)")]


def test_unnamed_actors_take_the_country_of_the_place(fx, parse):
    doc, actors = parse("police")
    (ev,) = fx.extract(doc, "a", PUBLISHED, actors)
    assert (ev.source.code, ev.target.code, ev.location.name) == ("KENCOP", "KENCVL", "Nairobi")
    assert ev.confidence == 1.0 and ev.date == PUBLISHED and ev.span == (7, 15)


def test_confidence_falls_with_missing_countries_and_depth(fx, parse):
    doc, actors = parse("threat")
    evs = fx.extract(doc, "a", PUBLISHED, actors)
    # "unless Turkey agrees": no target (-0.2), in an adverbial clause (depth 1: -0.1)
    assert [(e.cameo_code, e.confidence) for e in evs] == [("130", 1.0), ("030", 0.75)]


def test_salience_depth(parse):
    from eventcoder.events.frames import salience_depth

    doc, _ = parse("after")
    assert [salience_depth(doc[i]) for i in (1, 3, 6)] == [0.0, 0.0, 1.5]
    doc, _ = parse("threat")
    assert salience_depth(doc[9]) == 1.0


def test_actor_pairs_and_same_actor():
    from eventcoder.events.frames import _dedupe, _same, _with_country, actor_pairs
    from eventcoder.model import Actor

    irn = Actor(text="Iran", name=None, country="IRN", sector=None, code="IRN")
    irq = Actor(text="Iraq", name=None, country="IRQ", sector=None, code="IRQ")
    police = Actor(text="police", name=None, country=None, sector="COP", code="COP")
    assert actor_pairs([irn, irq], [], True) == [(irn, irq), (irq, irn)]
    assert actor_pairs([irn, irq], [], False) == [(irn, None), (irq, None)]
    assert actor_pairs([irn], [irn, irq], False) == [(irn, irq)]
    assert _dedupe([irn, None, Actor("Iran", None, "IRN", None, "IRN"), irq]) == [irn, irq]
    assert _same(irn, Actor("Iran", None, "IRN", None, "IRN")) and not _same(irn, irq)
    assert _with_country(police, irq).code == "IRQCOP"
    assert _with_country(police, irq, place="KEN").code == "KENCOP"
    assert _with_country(police, irq, place="UNO").code == "IRQCOP"  # an international "place"


# ---- candidate frames ---------------------------------------------------------------------------
def test_verb_frame_consumes_the_noun_it_requires(fx, parse):
    doc, actors = parse("talks")
    sent = next(doc.sents)
    actors.start_sentence(sent, 0)
    frames = fx.sentence_frames(actors, sent)
    assert [(f.trigger.text, f.code, f.rule, f.reciprocal) for f in frames] == [
        ("held", "040", "V:hold+talk src=subject tgt=none", True)]
    assert frames[0].location.name == "Geneva"


def test_obligation_frame_and_noun_frame(fx, parse):
    assert _records(fx, *parse("must")) == [
        ("100", "USAELI", "IRN", "occurred", "obligation(stop) src=reporter:subject tgt=clause-subject")]
    assert _records(fx, *parse("invasion")) == [
        ("192", "RUS", "UKR", "occurred", "N:invasion src=possessor tgt=noun-prep")]


def test_a_demanded_act_is_content_not_an_act(fx, parse):
    # "France urged Russia to withdraw": one demand (020); the withdrawal is what is demanded
    assert _records(fx, *parse("urged")) == [("020", "FRA", "RUS", "occurred", "V:urge src=subject tgt=object")]

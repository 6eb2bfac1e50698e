"""Unit tests of the event rule stage on hand-given parses (support.make_doc), one group per job:
trigger matching, argument finding, places, status recoding, record assembly and candidate frames.

Each parse is fixed by the test, so a rule is checked on exactly the tree it reads, whatever the
statistical parser would make of the sentence. Rows: word lemma POS TAG dep head [IOB entity].
"""
from __future__ import annotations

import re
from importlib import resources

import pytest

from eventcoder.actors.resolve import ActorResolver
from eventcoder.events import arguments, assemble, recode, triggers
from eventcoder.events.arguments import ArgumentFinder, governing_verb
from eventcoder.events.frames import FrameExtractor
from eventcoder.events.triggers import TriggerMatcher, is_verbal
from eventcoder.places import PlaceFinder

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


@pytest.fixture(scope="module")
def matcher():
    return TriggerMatcher()


@pytest.fixture(scope="module")
def args(matcher):
    return ArgumentFinder(matcher)


@pytest.fixture(scope="module")
def places():
    return PlaceFinder()


@pytest.fixture
def parse(make_doc):
    """A Doc from one of PARSES (or a spec of rows) and its ActorResolver."""
    def build(name_or_spec: str):
        spec = PARSES.get(name_or_spec, name_or_spec)
        rows = [r.split() for r in spec.strip().splitlines()]
        doc = make_doc([r[0] for r in rows], heads=[int(r[5]) for r in rows], deps=[r[4] for r in rows],
                       pos=[r[2] for r in rows], tags=[r[3] for r in rows], lemmas=[r[1] for r in rows],
                       ents=[r[6] if len(r) > 6 else "O" for r in rows])
        return doc, ActorResolver(doc, PUBLISHED)
    return build


def _bare(rule: str) -> str:
    """A rule without the data lines it cites ("V:urge[triggers.tsv:127]" -> "V:urge")."""
    return re.sub(r"\[[^\]]+\]", "", rule)


def _records(fx, doc, actors) -> list:
    return [(e.cameo_code, e.source and e.source.code, e.target and e.target.code, e.status, _bare(e.rule))
            for e in fx.extract(doc, "a", PUBLISHED, actors)]


def _sentence(doc, actors, places=None):
    """The first sentence, registered with the resolver (and the place finder) as the coder does."""
    sent = next(doc.sents)
    actors.start_sentence(sent, 0)
    if places is not None:
        places.text, places.story = actors.text, actors.story_countries()
    return sent


def _codes(actor_list) -> list:
    return [a.code for a in actor_list]


# ---- trigger matching ---------------------------------------------------------------------------
def test_triggers_match_lexicon_rows_with_their_required_neighbours(matcher, parse):
    doc, _ = parse("talks")
    verbs, nouns = matcher.triggers(next(doc.sents))
    assert [(t.text, e.cameo, e.requires) for t, e in verbs] == [("held", "040", ("talk",))]
    assert [(t.text, e.cameo) for t, e in nouns] == [("talks", "040")]
    assert matcher.match(doc[3], "V").rule == "V:hold+talk"
    assert matcher.match(doc[4], "V").cameo == "040"  # a lemma match: "talk" is a verb entry too
    assert matcher.match(doc[6], "V") is None


def test_a_not_event_row_means_no_trigger(matcher, parse):
    doc, _ = parse("seize")  # "seized the moment"
    assert matcher.match(doc[1], "V") is None
    assert matcher.triggers(next(doc.sents)) == ([], [])


def test_a_mistagged_infinitive_is_verbal(matcher, parse):
    doc, _ = parse("commence")  # "agreed to commence negotiations": commence/NOUN/xcomp with "to"
    assert is_verbal(doc[3]) and is_verbal(doc[1]) and not is_verbal(doc[4])


def test_may_hold_event_needs_a_trigger_or_an_obligation(matcher, parse):
    assert matcher.may_hold_event(next(parse("attack")[0].sents))
    assert matcher.may_hold_event(next(parse("must")[0].sents))  # "said Iran must stop": no act trigger
    assert not matcher.may_hold_event(next(parse("weather")[0].sents))
    assert not matcher.may_hold_event(next(parse("seize")[0].sents))


def test_entity_words_are_not_triggers(matcher, parse):
    doc, _ = parse("""
        Attack Attack PROPN NNP nsubj 1 B-PERSON
        spoke speak VERB VBD ROOT 1
        . . PUNCT . punct 1""")
    assert matcher.triggers(next(doc.sents)) == ([], [])


# ---- argument finding ---------------------------------------------------------------------------
def test_subject_of_an_active_and_a_passive_verb(args, parse):
    doc, actors = parse("attack")
    _sentence(doc, actors)
    src, how = args.subject(actors, doc[1])
    assert (_codes(src), how) == (["RUS"], "subject")
    doc, actors = parse("passive")
    _sentence(doc, actors)
    src, how = args.subject(actors, doc[2])
    assert (_codes(src), how) == (["RUS"], "agent")
    tgt, how = args.verb_targets(actors, doc[2], set(), src)
    assert (_codes(tgt), how) == (["UKR"], "passive-subject")


def test_object_control_gives_the_complement_its_subject(args, parse):
    doc, actors = parse("urged")  # "France urged Russia to withdraw": Russia withdraws
    _sentence(doc, actors)
    src, how = args.subject(actors, doc[4])
    assert (_codes(src), how) == (["RUS"], "object-control")


def test_own_means_are_not_the_target(args, parse):
    doc, actors = parse("deploy")  # "deployed troops to Estonia"
    _sentence(doc, actors)
    src, _ = args.subject(actors, doc[1])
    tgt, how = args.verb_targets(actors, doc[1], set(), src)
    assert (_codes(tgt), how) == (["EST"], "prep-object(own means)")


def test_governing_verb_of_an_event_noun(parse):
    doc, _ = parse("talks")
    assert governing_verb(doc[4]).text == "held"
    doc, _ = parse("after")  # "after the attack": background, not the verb's own act
    assert governing_verb(doc[6]) is None


def test_condition_subjects(args, parse):
    doc, actors = parse("threat")
    _sentence(doc, actors)
    assert _codes(args.condition_subjects(actors, doc[2])) == ["TUR"]
    assert args.condition_subjects(actors, doc[9]) == []


# ---- places -------------------------------------------------------------------------------------
def test_place_of_an_act_and_of_a_sentence(places, parse):
    doc, actors = parse("attack")
    sent = _sentence(doc, actors, places)
    loc = places.location([doc[1]])
    assert (loc.name, loc.country) == ("Kharkiv", "UKR")
    assert places.sentence_place_country(sent) == "UKR"
    assert places.location([doc[2], None]) is None  # nothing under "Ukraine"


def test_deep_place_looks_into_the_acts_phrases(places, parse):
    doc, actors = parse("deploy")
    _sentence(doc, actors, places)
    loc = places.deep_place(doc[1])
    assert (loc.name, loc.country) == ("Estonia", "EST")
    assert places.lookup("Paris").country == "FRA"


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


def _data_row(where: str) -> list:
    """The tab-separated cells of a packaged data line cited as "triggers.tsv:127"."""
    name, line = where.split(":")
    text = resources.files("eventcoder.events").joinpath("data", name).read_text(encoding="utf-8")
    return text.splitlines()[int(line) - 1].split("\t")


@pytest.mark.parametrize("case", ["refuse", "planned", "agree_meet", "invasion", "urged", "talks"])
def test_a_rule_cites_the_data_lines_that_fired(fx, parse, case):
    # --explain names the file and line of the trigger row, and of the cameo.tsv rewrite if one
    # changed the code: the cited lines of the packaged files hold that trigger and that code
    doc, actors = parse(case)
    ev = fx.extract(doc, "a", PUBLISHED, actors)[0]
    cited = re.findall(r"\[([a-z_]+\.tsv:\d+)\]", ev.rule)
    assert cited and cited[0].startswith("triggers.tsv:")
    pos, head = ev.rule.split("[", 1)[0].split("+")[0].split(":")
    assert _data_row(cited[0])[:2] == [pos, head]
    rewrites = re.findall(r"(reject|threat|intent)\((\d+)\)\[(cameo\.tsv:\d+)\]", ev.rule)
    for column, code, where in rewrites:
        row = _data_row(where)
        assert code.startswith(row[0]) and ev.cameo_code in row  # the code's own row or its root's
        assert fx.ont.where(column, code) == where
    if case in ("refuse", "planned", "agree_meet"):
        assert rewrites  # each of these changed the lexicon's code through cameo.tsv


def test_ontology_where_follows_the_lookup_order(fx):
    ont = fx.ont
    # 046 has its own reject cell; 040 has none and takes its root's (04): each cites its own row
    assert _data_row(ont.where("reject", "046"))[0] == "046"
    assert _data_row(ont.where("reject", "040"))[0] == "04"
    assert ont.reject_code("040") == _data_row(ont.where("reject", "040"))[9]
    assert ont.where("reject", "") == "" and ont.where("reject", "01") == ""


def test_a_custom_lexicon_cites_its_own_file(tmp_path):
    from eventcoder.events.lexicon import Lexicon
    path = tmp_path / "mine.tsv"
    path.write_text("pos\thead\trequires\tcameo\tflags\tnote\n# a comment\nV\tblockade\t\t191\t\t\n",
                    encoding="utf-8")
    (entry,) = list(Lexicon.from_path(path))
    assert entry.where == "mine.tsv:3"


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
    doc, _ = parse("after")
    assert [assemble.salience_depth(doc[i]) for i in (1, 3, 6)] == [0.0, 0.0, 1.5]
    doc, _ = parse("threat")
    assert assemble.salience_depth(doc[9]) == 1.0


def test_actor_pairs_and_same_actor():
    from eventcoder.events.arguments import same_actor as _same
    from eventcoder.events.assemble import actor_pairs, dedupe as _dedupe, with_country as _with_country
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
    assert [(f.trigger.text, f.code, _bare(f.rule), f.reciprocal) for f in frames] == [
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


# ---- the modules on their own ---------------------------------------------------------------------
def test_neighbourhood_and_obligation(parse):
    doc, _ = parse("talks")
    assert {"talk", "talks", "in", "geneva"} <= triggers.neighbourhood(doc[3], "V")
    doc, _ = parse("must")
    assert triggers.obligation(doc[4]) and not triggers.obligation(doc[1])


def test_recode_maps(fx):
    ont = fx.ont
    assert [recode.reject_code(c, ont) for c in ("046", "042", "0874", "010")] == ["125", "125", "124", "120"]
    assert [recode.threat_code(c, ont) for c in ("190", "1831", "1952", "0874")] == ["138", "1383", "138", "130"]
    assert [recode.demand_code(c, ont) for c in ("", "036", "0874")] == ["100", "106", "105"]
    assert [ont.is_reciprocal(c) for c in ("040", "0411", "042", "04")] == [True, True, False, False]


def test_recode_on_a_hand_parse(fx, parse):
    doc, _ = parse("refuse")  # "Russia will not meet Ukraine"
    assert recode.recode(doc[3], "040", "negated", True, fx.ont)[:2] == ("125", "occurred")
    assert _bare(recode.recode(doc[3], "040", "negated", True, fx.ont)[2]) == " reject(040)"
    assert recode.recode(doc[3], "040", "negated", False, fx.ont) == ("040", "negated", "")
    doc, _ = parse("planned")  # "Iran will attack Israel"
    code, status, note = recode.recode(doc[2], "190", "planned", True, fx.ont)
    assert (code, status, _bare(note)) == ("138", "planned", " threat(190)")
    assert recode.recode(doc[2], "190", "occurred", True, fx.ont) == ("190", "occurred", "")


def test_confidence_weights():
    from eventcoder.model import Actor

    named = Actor(text="Iran", name=None, country="IRN", sector=None, code="IRN")
    unnamed = Actor(text="rebels", name=None, country=None, sector="REB", code="REB")
    verb = TriggerMatcher().lex.entries("V", "attack")[-1]
    assert verb.requires == () and verb.pos == "V"
    assert assemble.confidence(named, named, verb, 0.0) == 1.0
    assert assemble.confidence(unnamed, None, verb, 0.0) == 0.7   # 0.35 + 0.1 + 0.1 + 0.15
    assert assemble.confidence(unnamed, None, verb, 1.5) == 0.55


def test_assembler_default_target_of_a_threat(fx, parse):
    doc, actors = parse("threat")  # "... unless Turkey agrees": the threat is addressed to Turkey
    sent = _sentence(doc, actors, fx.places)
    (fr,) = [f for f in fx.sentence_frames(actors, sent) if f.trigger.i == 2]
    fr.targets = []
    pairs, note = fx.assembler.default_targets(fr, "130", fr.sources, [], actors)
    assert [(s.code, t.code) for s, t in pairs] == [("RUS", "TUR")] and note == " tgt=condition-subject"


def test_frames_reexports_the_names_it_had():
    from eventcoder.events import frames

    names = """VERB_TARGET_PREPS NOUN_TARGET_PREPS LOCATION_PREPS SUBJ_DEPS CONTENT_NOUNS PROPOSAL_LEMMAS
        OWN_POSS OWN_MEANS_VERBS STATIVE_PASSIVES NOUN_GOV_BLOCK OBJECT_CONTROL
        MAX_SENT_CHARS COMPLEMENT_ROOTS CONTAINER_NOUNS NON_TRIGGER_ENTS CONDITIONAL_THREAT_ROOTS
        PREPARATION_WORDS OBLIGATION_AUX Frame FrameExtractor REPORTING_LEMMAS OBLIGATION_REPORTERS
        _obligation BACKGROUND_PREPS salience_depth INTERNATIONAL _with_country actor_pairs _same
        _dedupe""".split()
    assert [n for n in names if not hasattr(frames, n)] == []
    assert frames.salience_depth is assemble.salience_depth and frames._same is arguments.same_actor
    # the reject/demand/threat maps and the reciprocal codes are columns of cameo.tsv now
    assert not hasattr(frames, "THREAT_BY_ROOT") and not hasattr(frames, "RECIPROCAL_ROOTS")


def test_prefilter_reads_the_trigger_module():
    from eventcoder import prefilter

    assert prefilter.NOT_TRIGGERS is triggers.NOT_TRIGGERS
    assert prefilter.OBLIGATION_WORDS is triggers.OBLIGATION_WORDS
    assert prefilter.REPORTING_LEMMAS is triggers.REPORTING_LEMMAS
    assert prefilter.MAX_SENT_CHARS == triggers.MAX_SENT_CHARS


# ---- the tables as data (events/data/frame_words.tsv, frame_codes.tsv, cameo.tsv) ---------------
def test_word_tables_reject_a_bad_line_naming_file_and_line():
    from eventcoder.events.lexicon import parse_classes
    from eventcoder.events.words import parse_codes

    good = ["# comment", "content_nouns\tidea proposal"]
    assert parse_classes(good, "w.tsv") == {"content_nouns": frozenset({"idea", "proposal"})}
    for lines, msg in [
        (good + ["own_poss\tits their its"], "w.tsv:3: 'its' listed twice in word class 'own_poss'"),
        (good + ["content_nouns\tplan"], "w.tsv:3: word class 'content_nouns' defined twice"),
        (good + ["own_poss its"], "w.tsv:3: expected 'class<TAB>lowercase lemmas'"),
        (good + ["own_poss\tIts"], "w.tsv:3: expected 'class<TAB>lowercase lemmas'"),
    ]:
        with pytest.raises(ValueError) as e:
            parse_classes(lines, "w.tsv")
        assert str(e.value).startswith(msg), str(e.value)
    assert parse_codes(["international\tIGO UNO", "fight_roots\t18 19"], "c.tsv")["international"] == {"IGO", "UNO"}
    with pytest.raises(ValueError, match=r"^c\.tsv:2: '21' in 'fight_roots' is not a CAMEO root"):
        parse_codes(["# roots", "fight_roots\t18 21"], "c.tsv")


def test_the_packaged_word_tables_load():
    from eventcoder.events.words import codes, words

    assert "say" in words("reporting_lemmas") and "with" in words("verb_target_preps")
    assert codes("complement_roots") == {"02", "10", "12", "13"}
    with pytest.raises(KeyError, match="frame_words.tsv: no class 'nope'"):
        words("nope")


CAMEO_HEADER = ("code\tname\troot\tgoldstein\tquad_class\tplover_type\tplover_mode\tplover_context\t"
                "intent\treject\tdemand\tthreat\treciprocal")


def test_cameo_rewrite_columns_and_a_bad_line():
    from eventcoder.events.ontology import Ontology, _parse

    rows = [CAMEO_HEADER,
            "04\tCONSULT\t04\t1\t1\tCONSULT\t\t\t036\t125\t106\t\t",
            "040\tConsult\t04\t1\t1\tCONSULT\t\t\t\t\t\t\tyes",
            "036\tExpress intent to meet\t03\t4\t1\tAGREE\t\t\t\t\t\t\t",
            "10\tDEMAND\t10\t-5\t2\tREQUEST\t\t\t\t\t\t\t",
            "106\tDemand withdrawal\t10\t-5\t2\tREQUEST\t\t\t\t\t\t\t",
            "12\tREJECT\t12\t-4\t2\tREJECT\t\t\t\t\t\t\t",
            "125\tReject proposal\t12\t-4\t2\tREJECT\t\t\t\t\t\t\t"]
    ont = Ontology(*_parse(rows, "c.tsv"))
    assert (ont.intent_code("040"), ont.reject_code("040"), ont.demand_code("0401"), ont.threat_code("040")) == (
        "036", "125", "106", None)
    assert ont.is_reciprocal("040") and not ont.is_reciprocal("04")
    for bad, msg in [
        (rows[:2] + ["040\tConsult\t04\t1\t1\tCONSULT\t\t\t\t\t\t\tmaybe"], "c.tsv:3: reciprocal must be 'yes' or empty"),
        (rows[:2] + ["040\tConsult\t04\t1\t1\tCONSULT\t\t\t\t040\t\t\t"], "c.tsv:3: reject must be a CAMEO 12x code"),
        (rows[:1] + ["04\tCONSULT\t04\t1\t1\tCONSULT\t\t\t036\t\t\t\t"], "c.tsv:2: intent code '036' is not in the table"),
    ]:
        with pytest.raises(ValueError) as e:
            _parse(bad, "c.tsv")
        assert str(e.value).startswith(msg), str(e.value)
    # a table with the eight base columns only has no rewrites
    base = Ontology(*_parse([CAMEO_HEADER.rsplit("\tintent", 1)[0], "04\tCONSULT\t04\t1\t1\tCONSULT\t\t"], "b.tsv"))
    assert base.intent_code("04") is None and not base.is_reciprocal("040")

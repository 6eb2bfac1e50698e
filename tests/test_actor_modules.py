"""Actor resolution on hand-given parses (the `make_doc` fixture), one section per module of
eventcoder.actors: mentions (noun-phrase extent), roles (sectors), countries (country inference),
names (people and named actors), coref (the article's memory) and resolve (the ordered cascade).

The parses are fixed here, so these tests do not move when the statistical parser changes; the
knowledge base is the shipped one."""
from __future__ import annotations

import pytest

from eventcoder.actors.resolve import ArticleActors

PUBLISHED = "2025-02-13"
GLUED = {".", ",", "'s", "?", "!"}  # no space before these


def parse(make_doc, words, heads, deps, pos, tags, lemmas, ents=(), spaces=None):
    if spaces is None:
        spaces = [i + 1 < len(words) and words[i + 1] not in GLUED for i in range(len(words))]
    return make_doc(words, heads=heads, deps=deps, pos=pos, tags=tags, lemmas=lemmas,
                    ents=list(ents) or None, spaces=spaces)


def run(doc, published=PUBLISHED):
    """Resolve a document as the coder does: sentence by sentence, mentions in text order."""
    actors = ArticleActors(doc, published)
    for i, sent in enumerate(doc.sents):
        actors.start_sentence(sent, i)
    return actors


def found(actors, i):
    return [(a.text, a.code, a.name) for a in actors.cache.get(i, [])]


# ---------------------------------------------------------------- the parses
def troops(make_doc):  # Russian troops shelled Kharkiv.
    return parse(make_doc, ["Russian", "troops", "shelled", "Kharkiv", "."],
                 [1, 2, 2, 2, 2], ["amod", "nsubj", "ROOT", "dobj", "punct"],
                 ["ADJ", "NOUN", "VERB", "PROPN", "PUNCT"], ["JJ", "NNS", "VBD", "NNP", "."],
                 ["russian", "troop", "shell", "Kharkiv", "."], [(0, 1, "NORP"), (3, 4, "FAC")])


def leaders(make_doc):  # Vladimir Putin met Xi Jinping in Moscow. He said both leaders agreed.
    return parse(make_doc,
                 ["Vladimir", "Putin", "met", "Xi", "Jinping", "in", "Moscow", ".", "He", "said", "both",
                  "leaders", "agreed", "."],
                 [1, 2, 2, 4, 2, 2, 5, 2, 9, 9, 11, 12, 9, 9],
                 ["compound", "nsubj", "ROOT", "compound", "dobj", "prep", "pobj", "punct", "nsubj", "ROOT",
                  "det", "nsubj", "ccomp", "punct"],
                 ["PROPN", "PROPN", "VERB", "PROPN", "PROPN", "ADP", "PROPN", "PUNCT", "PRON", "VERB", "DET",
                  "NOUN", "VERB", "PUNCT"],
                 ["NNP", "NNP", "VBD", "NNP", "NNP", "IN", "NNP", ".", "PRP", "VBD", "DT", "NNS", "VBD", "."],
                 ["Vladimir", "Putin", "meet", "Xi", "Jinping", "in", "Moscow", ".", "he", "say", "both",
                  "leader", "agree", "."],
                 [(0, 2, "PERSON"), (3, 5, "PERSON"), (6, 7, "GPE")])


def jericho(make_doc):  # Police in Jericho arrested the envoy for North Korea.
    return parse(make_doc,
                 ["Police", "in", "Jericho", "arrested", "the", "envoy", "for", "North", "Korea", "."],
                 [3, 0, 1, 3, 5, 3, 3, 8, 6, 3],
                 ["nsubj", "prep", "pobj", "ROOT", "det", "dobj", "prep", "compound", "pobj", "punct"],
                 ["NOUN", "ADP", "PROPN", "VERB", "DET", "NOUN", "ADP", "PROPN", "PROPN", "PUNCT"],
                 ["NNS", "IN", "NNP", "VBD", "DT", "NN", "IN", "NNP", "NNP", "."],
                 ["Police", "in", "Jericho", "arrest", "the", "envoy", "for", "North", "Korea", "."],
                 [(2, 3, "GPE"), (7, 9, "GPE")])


def graham(make_doc):  # Sen. Lindsey Graham, R-S.C., criticized the Kremlin.
    words = ["Sen.", "Lindsey", "Graham", ",", "R", "-", "S.C.", ",", "criticized", "the", "Kremlin", "."]
    return parse(make_doc, words,
                 [2, 2, 8, 2, 6, 6, 2, 2, 8, 10, 8, 8],
                 ["compound", "compound", "nsubj", "punct", "compound", "punct", "appos", "punct", "ROOT",
                  "det", "dobj", "punct"],
                 ["PROPN", "PROPN", "PROPN", "PUNCT", "PROPN", "PUNCT", "PROPN", "PUNCT", "VERB", "DET",
                  "PROPN", "PUNCT"],
                 ["NNP", "NNP", "NNP", ",", "NNP", "HYPH", "NNP", ",", "VBD", "DT", "NNP", "."],
                 ["Sen.", "Lindsey", "Graham", ",", "R", "-", "S.C.", ",", "criticize", "the", "Kremlin", "."],
                 [(1, 3, "PERSON"), (10, 11, "ORG")],
                 spaces=[True, True, False, True, False, False, False, True, True, True, False, False])


def military(make_doc):  # Russia's military and the former foreign minister met NATO officials.
    return parse(make_doc,
                 ["Russia", "'s", "military", "and", "the", "former", "foreign", "minister", "met", "NATO",
                  "officials", "."],
                 [2, 0, 8, 2, 7, 7, 7, 2, 8, 10, 8, 8],
                 ["poss", "case", "nsubj", "cc", "det", "amod", "amod", "conj", "ROOT", "compound", "dobj",
                  "punct"],
                 ["PROPN", "PART", "NOUN", "CCONJ", "DET", "ADJ", "ADJ", "NOUN", "VERB", "PROPN", "NOUN",
                  "PUNCT"],
                 ["NNP", "POS", "NN", "CC", "DT", "JJ", "JJ", "NN", "VBD", "NNP", "NNS", "."],
                 ["Russia", "'s", "military", "and", "the", "former", "foreign", "minister", "meet", "NATO",
                  "official", "."],
                 [(0, 1, "GPE"), (9, 10, "ORG")])


def beirut(make_doc):  # A newspaper based in Beirut quoted Iran's U.N. ambassador.
    return parse(make_doc,
                 ["A", "newspaper", "based", "in", "Beirut", "quoted", "Iran", "'s", "U.N.", "ambassador", "."],
                 [1, 5, 1, 2, 3, 5, 9, 6, 9, 5, 5],
                 ["det", "nsubj", "acl", "prep", "pobj", "ROOT", "poss", "case", "compound", "dobj", "punct"],
                 ["DET", "NOUN", "VERB", "ADP", "PROPN", "VERB", "PROPN", "PART", "PROPN", "NOUN", "PUNCT"],
                 ["DT", "NN", "VBN", "IN", "NNP", "VBD", "NNP", "POS", "NNP", "NN", "."],
                 ["a", "newspaper", "base", "in", "Beirut", "quote", "Iran", "'s", "U.N.", "ambassador", "."],
                 [(4, 5, "GPE"), (6, 7, "GPE"), (8, 9, "ORG")])


def warships(make_doc):  # The Trump administration condemned French and Egyptian warships.
    return parse(make_doc,
                 ["The", "Trump", "administration", "condemned", "French", "and", "Egyptian", "warships", "."],
                 [2, 2, 3, 3, 7, 4, 4, 3, 3],
                 ["det", "compound", "nsubj", "ROOT", "amod", "cc", "conj", "dobj", "punct"],
                 ["DET", "PROPN", "NOUN", "VERB", "PROPN", "CCONJ", "ADJ", "NOUN", "PUNCT"],
                 ["DT", "NNP", "NN", "VBD", "NNP", "CC", "JJ", "NNS", "."],
                 ["the", "Trump", "administration", "condemn", "French", "and", "egyptian", "warship", "."],
                 [(1, 2, "PERSON"), (4, 5, "NORP"), (6, 7, "NORP")])


def albanians(make_doc):  # Ethnic Albanians in Serbia protested. The country denied it.
    return parse(make_doc,
                 ["Ethnic", "Albanians", "in", "Serbia", "protested", ".", "The", "country", "denied", "it", "."],
                 [1, 4, 1, 2, 4, 4, 7, 8, 8, 8, 8],
                 ["amod", "nsubj", "prep", "pobj", "ROOT", "punct", "det", "nsubj", "ROOT", "dobj", "punct"],
                 ["ADJ", "PROPN", "ADP", "PROPN", "VERB", "PUNCT", "DET", "NOUN", "VERB", "PRON", "PUNCT"],
                 ["JJ", "NNPS", "IN", "NNP", "VBD", ".", "DT", "NN", "VBD", "PRP", "."],
                 ["ethnic", "Albanians", "in", "Serbia", "protest", ".", "the", "country", "deny", "it", "."],
                 [(1, 2, "NORP"), (3, 4, "GPE")])


# ---------------------------------------------------------------- mentions: noun-phrase extent
def test_a_mention_spans_the_head_and_its_left_modifiers(make_doc):
    doc = troops(make_doc)
    actors = run(doc)
    assert found(actors, 1) == [("Russian troops", "RUSMIL", None)]
    (a,) = actors.cache[1]
    assert doc.text[a.span[0]:a.span[1]] == "Russian troops"


def test_a_mention_drops_determiners_and_possessive_marks_from_its_text(make_doc):
    actors = run(military(make_doc))
    assert found(actors, 2) == [("Russia's military", "RUSMIL", None)]
    assert found(actors, 7) == [("former foreign minister", "RUSELI", None)]  # not "the former ..."


def test_only_candidate_tokens_are_resolved(make_doc):
    actors = run(troops(make_doc))
    assert actors.cache.get(2) is None  # the verb is never a mention
    assert actors.cache.get(0) is None  # a modifier is part of its head's mention


# ---------------------------------------------------------------- roles: sectors
def test_a_role_noun_gives_the_sector_and_former_makes_it_elite(make_doc):
    actors = run(military(make_doc))
    assert found(actors, 10) == [("NATO officials", "IGONAT", "NATO")]
    assert found(actors, 7)[0][1] == "RUSELI"  # "former foreign minister": GOV -> ELI


def test_a_group_a_state_owns_takes_its_own_sector(make_doc):
    actors = run(military(make_doc))
    assert found(actors, 0) == [("Russia", "RUS", None)]
    assert found(actors, 2)[0][1] == "RUSMIL"


def test_an_institution_word_names_its_sector(make_doc):
    actors = run(jericho(make_doc))
    assert found(actors, 0)[0][1] == "PSECOP"


# ---------------------------------------------------------------- countries
def test_a_place_after_in_gives_the_country(make_doc):
    actors = run(jericho(make_doc))
    assert found(actors, 0) == [("Police", "PSECOP", None)]


def test_a_portfolio_for_a_country_is_not_that_countrys(make_doc):
    actors = run(jericho(make_doc))
    # "the envoy for North Korea": North Korea is what the envoy deals with; the one country of
    # the sentence besides it is none, so the envoy's country comes from the sentence only when
    # it is not the portfolio
    assert found(actors, 8) == [("North Korea", "PRK", None)]
    assert found(actors, 5)[0][1] == "PRKGOV"


def test_an_attachment_and_a_sending_state(make_doc):
    actors = run(beirut(make_doc))
    assert found(actors, 1) == [("newspaper", "LBNMED", None)]  # "based in Beirut"
    assert found(actors, 9) == [("Iran's U.N. ambassador", "IRNGOV", None)]  # Iran's, not the UN's


def test_coordinated_country_modifiers_give_one_actor_each(make_doc):
    actors = run(warships(make_doc))
    assert found(actors, 7) == [("French and Egyptian warships", "FRAMIL", None),
                                ("French and Egyptian warships", "EGYMIL", None)]


def test_an_office_holder_as_modifier_gives_the_country(make_doc):
    actors = run(warships(make_doc))
    assert found(actors, 2) == [("Trump administration", "USAGOV", None)]


def test_residents_take_the_place_country(make_doc):
    actors = run(albanians(make_doc))
    assert found(actors, 1) == [("Ethnic Albanians", "SRBCVL", None)]


# ---------------------------------------------------------------- names: people and named actors
def test_a_known_person_and_a_seat_of_power(make_doc):
    actors = run(leaders(make_doc))
    assert found(actors, 1) == [("Vladimir Putin", "RUSGOV", "Vladimir Putin")]
    assert found(actors, 4) == [("Xi Jinping", "CHNGOV", "Xi Jinping")]
    actors = run(graham(make_doc))
    assert found(actors, 10) == [("Kremlin", "RUSGOV", "Kremlin")]


def test_a_us_legislator_by_party_and_state(make_doc):
    actors = run(graham(make_doc))
    ((text, code, name),) = found(actors, 2)
    assert code == "USALEG" and name == "Lindsey Graham" and text.endswith("Lindsey Graham")


def test_a_person_outside_the_term_is_not_the_office_holder(make_doc):
    actors = run(leaders(make_doc), published="1990-01-01")
    assert found(actors, 1) != [("Vladimir Putin", "RUSGOV", "Vladimir Putin")]


# ---------------------------------------------------------------- coref: the article's memory
def test_he_is_the_subject_of_the_previous_sentence(make_doc):
    actors = run(leaders(make_doc))
    assert found(actors, 8) == [("He", "RUSGOV", "Vladimir Putin")]


def test_both_leaders_are_the_two_latest_people(make_doc):
    actors = run(leaders(make_doc))
    assert found(actors, 11) == [("both leaders", "RUSGOV", "Vladimir Putin"),
                                 ("both leaders", "CHNGOV", "Xi Jinping")]
    assert actors.groups and actors.groups[-1][0] == 11


def test_the_country_and_it_are_the_country_named_before(make_doc):
    actors = run(albanians(make_doc))
    assert found(actors, 7) == [("country", "SRB", None)]
    assert found(actors, 9) == [("it", "SRB", None)]


def test_the_memory_records_mentions_in_text_order(make_doc):
    actors = run(leaders(make_doc))
    kinds = [(m.token_i, m.kind, m.actor.code) for m in actors.history]
    assert kinds[:2] == [(1, "person", "RUSGOV"), (4, "person", "CHNGOV")]
    assert 6 not in [m.token_i for m in actors.history]  # "in Moscow": where, not who
    assert actors.history[0].is_subject == 2  # the subject of the main clause


# ---------------------------------------------------------------- resolve: the cascade
def test_the_resolver_caches_and_excludes_the_dateline(make_doc):
    doc = troops(make_doc)
    actors = run(doc)
    h = doc[1]
    assert actors.resolve(h) is actors.cache[1]
    assert actors.resolve_with_conjuncts(h) == actors.cache[1]


@pytest.mark.parametrize("name", [
    "ArticleActors", "Mention", "NAME_DEPS", "NON_ACTOR_ENTS", "QUANTITY_HEADS", "GENERIC_PARTY_WORDS",
    "STATE_SECTORS", "INTERNATIONAL_CODES", "DIPLOMAT_HEADS", "US_MARKERS", "US_PARTY_STATE",
    "PORTFOLIO_HEADS", "NP_MOD_DEPS", "OWNER_PARTICIPLES", "ATTACHMENT_WORDS", "PLACE_PREPS",
    "FORMER_WORDS", "PERSON_PRONOUNS", "PLURAL_PRONOUNS", "THING_PRONOUNS", "GROUP_HEADS", "PAIR_DETS",
    "OWNED_GROUPS", "PERSON_TITLES", "INSTITUTION_SECTORS", "LOCATIVE_PREPS", "KnowledgeBase", "Actor"])
def test_public_names_stay_importable_from_resolve(name):
    import eventcoder.actors.resolve as resolve

    assert getattr(resolve, name) is not None

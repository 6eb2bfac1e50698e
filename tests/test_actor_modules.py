"""Actor resolution on hand-given parses (the `make_doc` fixture), one section per module of
eventcoder.actors: mentions (noun-phrase extent), roles (sectors), countries (country inference),
names (people and named actors), coref (the article's memory) and resolve (the ordered cascade).

The parses are fixed here, so these tests do not move when the statistical parser changes; the
knowledge base is the shipped one."""
from __future__ import annotations

import pytest

from eventcoder.actors.resolve import ActorResolver

PUBLISHED = "2025-02-13"
GLUED = {".", ",", "'s", "?", "!"}  # no space before these


def parse(make_doc, words, heads, deps, pos, tags, lemmas, ents=(), spaces=None):
    if spaces is None:
        spaces = [i + 1 < len(words) and words[i + 1] not in GLUED for i in range(len(words))]
    return make_doc(words, heads=heads, deps=deps, pos=pos, tags=tags, lemmas=lemmas,
                    ents=list(ents) or None, spaces=spaces)


def run(doc, published=PUBLISHED):
    """Resolve a document as the coder does: sentence by sentence, mentions in text order."""
    actors = ActorResolver(doc, published)
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


def jericho(make_doc, envoy_for=False):  # Police in Jericho arrested the envoy for North Korea.
    return parse(make_doc,
                 ["Police", "in", "Jericho", "arrested", "the", "envoy", "for", "North", "Korea", "."],
                 [3, 0, 1, 3, 5, 3, 5 if envoy_for else 3, 8, 6, 3],
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


def test_a_state_role_without_a_country_takes_the_one_country_of_the_sentence(make_doc):
    actors = run(jericho(make_doc))  # "for North Korea" hangs on the verb in this parse
    assert found(actors, 8) == [("North Korea", "PRK", None)]
    assert found(actors, 5) == [("envoy", "PRKGOV", None)]


def test_a_portfolio_for_a_country_is_not_that_countrys(make_doc):
    actors = run(jericho(make_doc, envoy_for=True))  # "the envoy for North Korea"
    assert found(actors, 5) == [("envoy", "GOV", None)]


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
    "ActorResolver", "Mention", "NAME_DEPS", "NON_ACTOR_ENTS", "QUANTITY_HEADS", "GENERIC_PARTY_WORDS",
    "STATE_SECTORS", "INTERNATIONAL_CODES", "DIPLOMAT_HEADS", "US_MARKERS", "US_PARTY_STATE",
    "PORTFOLIO_HEADS", "NP_MOD_DEPS", "OWNER_PARTICIPLES", "ATTACHMENT_WORDS", "PLACE_PREPS",
    "FORMER_WORDS", "PERSON_PRONOUNS", "PLURAL_PRONOUNS", "THING_PRONOUNS", "GROUP_HEADS", "PAIR_DETS",
    "OWNED_GROUPS", "PERSON_TITLES", "INSTITUTION_SECTORS", "LOCATIVE_PREPS", "KnowledgeBase", "Actor"])
def test_public_names_stay_importable_from_resolve(name):
    import eventcoder.actors.resolve as resolve

    assert getattr(resolve, name) is not None


# ---------------------------------------------------------------- each module on its own
def test_mentions_noun_phrase_extent(make_doc):
    from eventcoder.actors import mentions

    doc = military(make_doc)
    np = mentions.noun_phrase(doc[7], doc.text)
    assert [t.text for t in np.toks] == ["the", "former", "foreign", "minister"]
    assert np.text == "former foreign minister" and np.former
    assert doc.text[np.span[0]:np.span[1]] == np.text
    assert [t.text for t in mentions.list_members(doc[2])] == ["minister"]
    assert mentions.norm_code("RUS", "MIL") == "RUSMIL" and mentions.norm_code(None, None) is None
    assert mentions.looks_like_person("Prosper Avril") and not mentions.looks_like_person("Avril")


def test_mentions_hyphenated_name_and_location_object(make_doc):
    from eventcoder.actors import mentions

    doc = make_doc(["Pakistan", "Tehreek", "-", "e", "-", "Insaf", "met", "in", "Madrid"],
                   heads=[1, 6, 1, 1, 1, 1, 6, 6, 7],
                   deps=["compound", "nsubj", "punct", "dep", "punct", "dep", "ROOT", "prep", "pobj"],
                   pos=["PROPN", "PROPN", "PUNCT", "X", "PUNCT", "PROPN", "VERB", "ADP", "PROPN"],
                   spaces=[True, False, False, False, False, True, True, True, False])
    assert mentions.hyphen_end(doc[1]).text == "Insaf"
    assert mentions.hyphen_end(doc[0]).text == "Pakistan"
    assert mentions.is_location_object(doc[8]) and not mentions.is_location_object(doc[1])


def test_mentions_which_tokens_are_candidates(make_doc):
    from eventcoder.actors import mentions
    from eventcoder.actors.kb import KnowledgeBase

    kb = KnowledgeBase.default()
    doc = troops(make_doc)
    assert mentions.maybe_actor_noun(doc[1], kb, {}, PUBLISHED)  # "troops": a sector word
    assert not mentions.is_candidate(doc[2], kb, {}, PUBLISHED, {})  # the verb


def test_roles_sectors_from_the_knowledge_base(make_doc):
    from eventcoder.actors import roles
    from eventcoder.actors.kb import KnowledgeBase

    kb = KnowledgeBase.default()
    doc = military(make_doc)
    toks = [doc[i] for i in (4, 5, 6, 7)]
    assert roles.head_sector(kb, toks, doc[7]) == "GOV"
    assert roles.head_sector(kb, [doc[0], doc[1], doc[2]], doc[2]) == "MIL"
    assert roles.sector_of(kb, toks, None) == "GOV"
    assert roles.elite_if_former("GOV", True) == "ELI" and roles.elite_if_former("MIL", False) == "MIL"
    assert roles.elite_if_former("REB", True) == "REB"


def test_countries_from_words_phrases_and_sentence(make_doc):
    from eventcoder.actors import countries

    doc = warships(make_doc)
    actors = ActorResolver(doc, PUBLISHED)
    toks = [doc[i] for i in (4, 5, 6, 7)]
    assert countries.all_modifier_countries(actors, toks, doc[7]) == ["FRA", "EGY"]
    assert countries.from_modifiers(actors, toks, doc[7]) == "FRA"
    assert countries.person_modifier_country(actors, [doc[0], doc[1], doc[2]], doc[2]) == "USA"
    assert countries.story_countries(actors.kb, actors.ents) == frozenset({"FRA", "EGY"})
    assert countries.sentence_country(actors.kb, actors.ents) is None  # two countries: none

    doc = jericho(make_doc, envoy_for=True)
    actors = ActorResolver(doc, PUBLISHED)
    assert countries.from_of(actors, doc[0]) == "PSE"  # "in Jericho"
    assert countries.from_of(actors, doc[0], place_preps=False) is None
    assert countries.portfolio(actors, doc[5]) == "PRK"  # "the envoy for North Korea"
    assert countries.from_of(actors, doc[5]) is None  # a portfolio is not the envoy's country
    assert countries.sentence_country(actors.kb, actors.ents) == "PRK"  # Jericho is no country name


def test_countries_attachment(make_doc):
    from eventcoder.actors import countries

    doc = beirut(make_doc)
    actors = ActorResolver(doc, PUBLISHED)
    assert countries.from_attachment(actors, doc[1]) == "LBN"
    assert countries.sending_state(actors, [doc[6], doc[7], doc[8], doc[9]], doc[9]) == "IRN"


def test_names_named_actor_and_person(make_doc):
    from eventcoder.actors import names

    doc = graham(make_doc)
    actors = ActorResolver(doc, PUBLISHED)
    actors.start_sentence(next(iter(doc.sents)), 0)
    kremlin = names.named_actor(actors, doc[10], [doc[9], doc[10]])
    assert (kremlin.country, kremlin.sector) == ("RUS", "GOV")
    assert actors.memory.names["graham"].code == "USALEG"  # surname remembered

    doc = leaders(make_doc)
    actors = ActorResolver(doc, PUBLISHED)
    toks = [doc[0], doc[1]]
    putin = names.person(actors, "Vladimir Putin", toks, False, "Vladimir Putin", (0, 14))
    assert putin.code == "RUSGOV" and actors.names["putin"] is putin
    former = names.person(actors, "Vladimir Putin", toks, True, "Vladimir Putin", (0, 14))
    assert former.code == "RUSELI"


def test_coref_memory_on_its_own(make_doc):
    from eventcoder.actors.coref import Memory
    from eventcoder.actors.kb import KnowledgeBase
    from eventcoder.model import Actor

    doc = leaders(make_doc)
    memory = Memory(KnowledgeBase.default(), PUBLISHED)
    memory.sent_i = 0
    putin = Actor(text="Vladimir Putin", name="Vladimir Putin", country="RUS", sector="GOV", code="RUSGOV")
    xi = Actor(text="Xi Jinping", name="Xi Jinping", country="CHN", sector="GOV", code="CHNGOV")
    memory.remember(doc[1], putin, "person", titles={"president"})
    memory.remember(doc[4], xi, "person")
    assert [m.is_subject for m in memory.history] == [2, 0]
    memory.sent_i = 1
    assert [a.code for a in memory.pronoun(doc[8])] == ["RUSGOV"]  # "He": the last main subject
    assert [a.code for a in memory.recent_group(doc[11], 2, ("person",))] == ["RUSGOV", "CHNGOV"]
    assert memory.recent_person(doc[11], "president", None) is putin
    assert memory.pronoun(doc[8])[0].text == "He"


def test_the_cascade_is_an_ordered_list_of_strategies():
    from eventcoder.actors.resolve import CASCADE

    assert [s.__name__ for s in CASCADE] == [
        "group_of", "pair", "person", "named", "unlabelled_person", "titled_name", "state_description",
        "owned_group", "role_noun", "country_marked"]


def test_actor_modules_have_no_import_cycle_and_stay_small():
    from pathlib import Path

    import eventcoder.actors as pkg
    from support import find_cycle, import_graph

    root = Path(pkg.__file__).parent
    for path in root.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 600, path.name
    inside = {m: {d for d in deps if d.startswith("eventcoder.actors.")}
              for m, deps in import_graph().items() if m.startswith("eventcoder.actors.")}
    assert inside["eventcoder.actors.resolve"]  # the graph sees the package's own imports
    assert find_cycle(inside) is None


# ---------------------------------------------------------------- the tables are data
def test_the_tables_come_from_the_data_files():
    from eventcoder.actors import words

    assert "spokesperson" in words.PERSON_TITLES and "troops" in words.OWNED_GROUPS
    assert words.STATE_SECTORS == frozenset({"GOV", "MIL", "COP", "SPY", "JUD", "LEG"})
    assert "Republican" in words.US_MARKERS and "republican" not in words.US_MARKERS
    assert words.ATTACHMENT_WORDS["loyal"] == ("to",) and words.ATTACHMENT_WORDS["affiliate"] == ("to", "with")
    assert set(words.PLACE_PREPS) == {"in", "throughout", "across", "inside"}


def test_a_bad_table_line_names_the_file_and_line():
    from eventcoder.actors import words

    good = [f"{t}\t{'GOV' if t in words.CASED else 'word'}\n" for t in words.TABLES]
    assert set(words.parse_tables(good, "ok.tsv")) == set(words.TABLES)
    with pytest.raises(ValueError, match=r"^bad\.tsv:3: 'he' listed twice in word class 'person_pronouns'"):
        words.parse_tables(["# comment\n", "pair_dets\tboth two\n", "person_pronouns\the she he\n"], "bad.tsv")
    with pytest.raises(ValueError, match=r"^bad\.tsv:2: word class 'pair_dets' defined twice"):
        words.parse_tables(["pair_dets\tboth\n", "pair_dets\ttwo\n"], "bad.tsv")
    with pytest.raises(ValueError, match=r"^bad\.tsv:1: expected 'table<TAB>lowercase words'"):
        words.parse_tables(["owned_groups\tTroops\n"], "bad.tsv")  # lowercase unless CASED
    with pytest.raises(ValueError, match=r"^bad\.tsv:1: expected"):
        words.parse_tables(["owned_groups troops\n"], "bad.tsv")  # no tab
    with pytest.raises(ValueError, match=r"^bad\.tsv: unknown table\(s\) owned_grups"):
        words.parse_tables(good + ["owned_grups\tteam\n"], "bad.tsv")
    with pytest.raises(ValueError, match=r"^bad\.tsv: missing table\(s\) quantity_heads"):
        words.parse_tables(good[1:], "bad.tsv")


def test_the_packaged_tables_parse_with_the_lexicons_parser():
    from importlib import resources

    from eventcoder.actors import words
    from eventcoder.events.lexicon import parse_classes

    data = resources.files("eventcoder.actors").joinpath("data")
    text = data.joinpath(words.WORDS_FILE).read_text(encoding="utf-8")
    assert set(words.parse_tables(text.splitlines(), words.WORDS_FILE)) == set(words.TABLES)
    text = data.joinpath(words.ATTACHMENTS_FILE).read_text(encoding="utf-8")
    assert set(parse_classes(text.splitlines(), words.ATTACHMENTS_FILE)) == set(words.ATTACHMENT_WORDS)

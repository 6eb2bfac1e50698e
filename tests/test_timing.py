"""Event dates and references (eventcoder.events.timing) on real parses of sentences of our own,
and the codes of acts the lexicon used to send elsewhere (leaving a deal, releasing a video,
seizing the moment)."""
from __future__ import annotations

import pytest

import eventcoder
from eventcoder.coder import default_coder
from eventcoder.events.lexicon import Lexicon, parse
from eventcoder.events.timing import event_time
from eventcoder.events.lexicon import word_classes


@pytest.fixture(scope="module")
def nlp():
    return default_coder(None, events="rules").nlp


def when(nlp, text, word, published, nth=0):
    doc = nlp(text)
    tok = [t for t in doc if t.text == word][nth]
    cls = word_classes()
    return event_time(tok, published, standing=cls["standing"], establish=cls["establish"])


@pytest.mark.parametrize("text, word, published, date, precision, reference", [
    # a date inside another noun phrase is not the date of the clause's act (issue 13 item 7)
    ("Leaders marked the 75th anniversary of the June 6, 1944, D-Day landings on Thursday.", "marked",
     "2019-06-07", "2019-06-06", "day", False),
    ("Leaders marked the 75th anniversary of the June 6, 1944, D-Day landings.", "marked",
     "2019-06-07", "2019-06-07", "day", False),
    # dated acts well before the article are references, with the text's precision
    ("Russia annexed Crimea in March 2014.", "annexed", "2019-06-06", "2014-03-01", "month", True),
    ("Trump met Kim in Singapore on June 12, 2018.", "met", "2019-06-06", "2018-06-12", "day", True),
    ("Iran has breached the 2015 nuclear deal, officials said.", "deal", "2019-06-06", "2015-01-01",
     "year", True),
    ("Protesters rallied in Cairo after last year's coup.", "coup", "2019-06-06", "2018-01-01", "year", True),
    ("The buffer zone was established in 2005, when Israel withdrew from the Gaza Strip.", "withdrew",
     "2019-06-06", "2005-01-01", "year", True),
    ("Diplomats complained before last month's attack on the consulate.", "attack", "2019-06-06",
     "2019-05-01", "month", True),
    ("They met once, over breakfast during Obama's 2009 trip to Moscow.", "met", "2012-06-17",
     "2009-01-01", "year", True),
    # placed in the past without a date: a reference with no date, never the publication date
    ("Protests have continued since the annexation.", "annexation", "2019-06-06", None, "none", True),
    ("The United States pulled out of the Paris climate agreement.", "agreement", "2019-06-06", None,
     "none", True),
    # news of the day
    ("The two sides signed a peace agreement on Saturday.", "agreement", "2019-06-06", "2019-06-01",
     "day", False),
    ("Trump met Kim on Tuesday.", "met", "2019-06-06", "2019-06-04", "day", False),
    ("Trump met Kim.", "met", "2019-06-06", "2019-06-06", "day", False),
])
def test_event_time(nlp, text, word, published, date, precision, reference):
    t = when(nlp, text, word, published)
    assert (t.date, t.precision, t.reference) == (date, precision, reference), t


def test_a_reference_carries_its_date_and_precision_in_the_record():
    evs = eventcoder.code_text("Russia annexed Crimea in March 2014.", published="2019-06-06", events="rules")
    ann = [e for e in evs if e.trigger == "annexed"]
    assert ann and all(e.reference and e.date == "2014-03-01" and e.date_precision == "month" for e in ann)
    d = ann[0].to_dict(explain=True)
    assert d["reference"] is True and d["date_precision"] == "month" and "ref(" in d["rule"]
    news = eventcoder.code_text("Iran released two British sailors on Friday.", published="2019-06-06",
                                events="rules")
    assert news and all(not e.reference and e.date_precision == "day" for e in news)


# ---- codes that mean what happened ------------------------------------------------------------
def codes(text):
    return {e.cameo_code for e in eventcoder.code_text(text, published="2019-06-06", events="rules")}


@pytest.mark.parametrize("text", [
    "The United States pulled out of the Paris climate agreement.",
    "Britain quit the arms control treaty.",
    "The government will exit the trade pact.",
    "Washington walked away from the nuclear deal with Tehran.",
])
def test_leaving_a_treaty_or_deal_reduces_relations_not_a_military_retreat(text):
    got = codes(text)
    assert not any(c.startswith("087") for c in got), got
    assert got & {"160", "131"}, got  # 131: "will exit" announces a reduction as a threat


@pytest.mark.parametrize("text", [
    "The rebels released a video of the hostages.",
    "The ministry released footage of the strike.",
    "The agency released a report on the floods.",
])
def test_releasing_a_statement_or_video_is_not_a_release_of_persons(text):
    got = codes(text)
    assert not any(c.startswith("084") for c in got), got


def test_a_release_of_persons_still_is():
    assert codes("Iran released two British sailors.") & {"084", "0841"}


@pytest.mark.parametrize("text", [
    "The opposition leader seized the moment to criticise the government.",
    "The minister seized the opportunity to praise the police.",
    "The senator seized on the remarks.",
])
def test_seizing_the_moment_is_not_a_seizure(text):
    got = codes(text)
    assert not any(c.startswith("17") for c in got), got


def test_a_seizure_still_is():
    assert codes("Police seized weapons in a raid in Kabul.") & {"171", "1711"}


# ---- the lexicon's word classes and not-an-event rows -------------------------------------------
HEADER = "pos\thead\trequires\tcameo\tflags\tnote\n"


def test_word_classes_expand_and_explicit_rows_win():
    rows = parse([HEADER, "V\tquit\tdeal\t161\t\t\n", "V\tquit\t@pact\t160\t\t\n",
                  "V\tseize\t@chance\t-\t\t\n", "V\tseize\t\t171\t\t\n"],
                 classes={"pact": frozenset({"deal", "treaty"}), "chance": frozenset({"moment"})})
    lex = Lexicon(rows)
    assert lex.match("V", "quit", {"deal"}).cameo == "161"  # the explicit row
    assert lex.match("V", "quit", {"treaty"}).cameo == "160"
    assert lex.match("V", "seize", {"moment"}) is None  # not an event
    assert lex.match("V", "seize", {"gun"}).cameo == "171"
    assert all(e.cameo != "-" for e in lex)  # iteration lists events only


def test_an_unknown_word_class_is_named():
    with pytest.raises(ValueError, match=r"<t>:2: unknown word class '@nope'"):
        parse([HEADER, "V\tquit\t@nope\t160\t\t\n"], "<t>", classes={})

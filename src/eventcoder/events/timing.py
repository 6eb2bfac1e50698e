"""When an event happened, and whether the text reports it as news or refers to an earlier event.

One function, `event_time(trigger, published, future)`, over the parsed sentence:

* **The date of the act.** Only a date expression that modifies the act itself counts: for a verb,
  one attached to its clause ("met on Friday", "annexed Crimea in March 2014"); for an event noun,
  one inside its own phrase ("the 2015 nuclear deal", "last year's coup", "the summit on June 12").
  A date inside another noun phrase is that noun's date, not the act's: "marked the 75th anniversary
  of the June 6, 1944, D-Day landings" dates nothing in 1944 (issue 13 item 7). Failing those, a
  day within `NEAR_DAYS` of publication anywhere in the clause ("... landings on Thursday", which
  the parser may hang on the noun) dates the act: it cannot move an event far from its article. Dates come from
  `eventcoder.dates` (day or month precision) plus years: a bare year modifying a noun or after
  "in/since/during ..." ("in 2014", "the 2015 deal") and "last year" (year precision).
* **References.** The event is a mention of an earlier event (`reference=True`) when its date is a
  day more than `REFERENCE_GAP_DAYS` before publication or a month or year that ended before it
  (a when-clause takes its head clause's date), or when the text places it in the past without
  a date: an event noun after "since" or in "the anniversary of ...", with "former/previous/earlier/
  prior/past/last", a clause introduced by "since", or a standing arrangement (a deal, treaty,
  probe, sanctions, ceasefire: word class ``standing``) that the sentence does not create (it is not
  the object or subject of sign / reach / launch / impose / declare ...: word class ``establish``):
  "withdrew from the Iran deal", "violated the ceasefire".
* A reference gets the date the text gives, with its precision, or no date (``"none"``), never the
  publication date. Other events get the act's date, else the publication date (``"day"``).
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Optional

from ..dates import _to_date, find_dates

PRECISIONS = ("day", "month", "year", "none")
REFERENCE_GAP_DAYS = 14  # a dated act that ended more than this before publication is a reference
NEAR_DAYS = 7  # a day this close to publication anywhere in the act's clause may date the act
PAST_MARKERS = {"former", "previous", "earlier", "prior", "past", "last"}
TEMPORAL_NOUNS = {"morning", "afternoon", "evening", "night", "day", "week", "weekend", "month",
                  "year", "dawn", "noon", "midnight", "hour", "time", "date", "end", "start",
                  "beginning", "middle", "part", "eve", "summer", "winter", "spring", "autumn",
                  "fall", "season", "quarter"}
TIME_PREPS = {"during"}  # "met during Obama's 2009 trip": the trip's date is the act's
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_YEAR_PREPS = {"in", "during", "since", "of", "by", "until", "before", "after", "from", "through"}
_PASS = {"ADP", "ADV", "ADJ", "DET", "PART", "NUM", "CCONJ", "PUNCT", "SYM"}
_CLAUSE_DEPS = {"ccomp", "advcl", "relcl", "parataxis", "csubj"}


_LAST = threading.local()


@dataclass(frozen=True)
class EventTime:
    date: Optional[str]
    precision: str  # day | month | year | none
    reference: bool
    why: str = ""  # for --explain


@dataclass(frozen=True)
class _Expr:
    tokens: frozenset  # token indices
    head: object  # the expression's head token
    iso: str
    precision: str


def _clause_verb(tok):
    clause = tok
    while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
        clause = clause.head
    return clause


def _expressions(sent, published, future: bool) -> list:
    """Every date expression of the sentence, left to right. A sentence's events are dated one
    after the other, so the last sentence's expressions are kept (per thread) and reused."""
    last = getattr(_LAST, "value", None)
    if last is not None and last[0] is sent.doc and last[1] == (sent.start, sent.end, published, future):
        return last[2]
    exprs = _find_expressions(sent, published, future)
    _LAST.value = (sent.doc, (sent.start, sent.end, published, future), exprs)
    return exprs


def _find_expressions(sent, published, future: bool) -> list:
    out = []
    base = sent.start_char
    toks = list(sent)
    taken: set = set()
    for s, e, iso, prec in find_dates(sent.text, published, future):
        idx = frozenset(t.i for t in toks if s <= t.idx - base < e)
        if not idx:
            continue
        taken |= idx
        out.append(_Expr(idx, _head_of(sent.doc, idx), iso, prec))
    pub = _to_date(published)
    for t in toks:
        if t.i in taken:
            continue
        if _YEAR.match(t.text) and (
                (t.dep_ in ("nummod", "compound", "amod", "npadvmod", "poss", "appos", "nmod")
                 and t.head.pos_ in ("NOUN", "PROPN"))
                or (t.dep_ == "pobj" and t.head.lower_ in _YEAR_PREPS)):
            y = int(t.text)
            if pub is not None and y == pub.year:
                continue  # "in 2019" in a 2019 article says no more than the publication date
            out.append(_Expr(frozenset({t.i}), t, f"{y:04d}-01-01", "year"))
        elif t.lemma_.lower() == "year" and pub is not None:
            mods = {c.lower_ for c in t.children if c.dep_ in ("amod", "det")}
            if mods & {"last", "previous", "past"} and not any(c.like_num for c in t.children):
                # "last year", "last year's coup" (not "the past two years")
                idx = frozenset({t.i} | {c.i for c in t.children if c.dep_ in ("amod", "det", "case")})
                out.append(_Expr(idx, t, f"{pub.year - 1:04d}-01-01", "year"))
    out.sort(key=lambda x: min(x.tokens))
    return out


def _head_of(doc, idx: frozenset):
    for i in sorted(idx):
        t = doc[i]
        if t.head.i not in idx or t.head.i == t.i:
            return t
    return doc[min(idx)]


def _attached(expr: _Expr, target) -> bool:
    """Does the expression modify `target` itself (not a noun or clause on the way)?"""
    node = expr.head
    temporal = False
    for _ in range(12):
        if node.i == target.i:
            return True
        parent = node.head
        if parent.i == node.i:
            return False
        if parent.i == target.i:
            return node.dep_ not in _CLAUSE_DEPS
        if parent.i not in expr.tokens:
            if node.dep_ in _CLAUSE_DEPS:
                return False
            if parent.pos_ == "ADP" and parent.lower_ in TIME_PREPS:
                temporal = True  # from here on the phrase says when, wherever it hangs
            if parent.pos_ in ("NOUN", "PROPN", "PRON") and parent.lemma_.lower() not in TEMPORAL_NOUNS \
                    and not temporal and not (parent.dep_ == "pobj" and parent.head.lower_ in TIME_PREPS):
                return False  # a date inside another noun phrase is that noun's date
            if parent.pos_ not in _PASS and parent.pos_ not in ("VERB", "AUX", "NOUN", "PROPN", "PRON"):
                return False
        node = parent
    return False


def _end(iso: str, precision: str) -> date:
    d = date.fromisoformat(iso)
    if precision == "year":
        return date(d.year, 12, 31)
    if precision == "month":
        nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        return nxt - timedelta(days=1)
    return d


def _before(x: _Expr, pub: date) -> bool:
    """Does the text place the date before the article: a day more than REFERENCE_GAP_DAYS
    earlier, or a month or year that ended before publication ("last month's attack")?"""
    end = _end(x.iso, x.precision)
    if x.precision == "day":
        return end < pub - timedelta(days=REFERENCE_GAP_DAYS)
    return end < pub


def _governing(tok):
    """The verb a noun is the argument of (through one preposition), and how."""
    head, dep = tok.head, tok.dep_
    if dep == "conj":
        return _governing(head)
    for _ in range(3):  # "pulled out of the deal": deal <- of <- out <- pulled
        if head.pos_ in ("VERB", "AUX") or head.head.i == head.i or head.pos_ not in ("ADP", "ADV", "PART"):
            break
        head, dep = head.head, "pobj"
    return (head, dep) if head.i != tok.i and head.pos_ in ("VERB", "AUX") else (None, dep)


def _undated_reference(tok, is_noun: bool, standing, establish) -> Optional[str]:
    if not is_noun:
        if any(c.dep_ == "mark" and c.lower_ == "since" for c in tok.children):
            return "since-clause"
        return None
    kids = {c.lower_ for c in tok.children if c.dep_ in ("amod", "advmod", "det")}
    if kids & PAST_MARKERS and not any(c.like_num for c in tok.children):
        return "past-marker:" + sorted(kids & PAST_MARKERS)[0]
    if tok.dep_ == "pobj" and tok.head.lower_ == "since":
        return "since"
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() == "anniversary":
        return "anniversary"
    if tok.lemma_.lower() in standing:
        if kids & {"new", "proposed", "possible", "draft", "future", "potential"}:
            return None
        verb, _dep = _governing(tok)
        if verb is None or verb.lemma_.lower() in establish:
            return None  # no act around it (a headline), or the act that creates it
        return f"standing({tok.lemma_.lower()} under {verb.lemma_.lower()})"
    return None


def event_time(tok, published: Optional[str], future: bool = False,
               standing=frozenset(), establish=frozenset(), sent=None) -> EventTime:
    """The date, precision and reference flag of the event triggered by `tok` (a spaCy token);
    `sent`: its sentence, when the caller has it (`Token.sent` walks the document)."""
    is_noun = tok.pos_ not in ("VERB", "AUX")
    exprs = _expressions(sent if sent is not None else tok.sent, published, future)
    own = next((x for x in exprs if _attached(x, tok)), None)
    clause = _clause_verb(tok) if is_noun else tok
    act = own
    if act is None and is_noun and clause.i != tok.i:
        act = next((x for x in exprs if _attached(x, clause)), None)
    if own is None and not is_noun and tok.dep_ in ("advcl", "relcl") and any(
            c.lower_ == "when" and c.dep_ in ("advmod", "mark") for c in tok.children):
        # "established in 2005, when Israel withdrew from Gaza": the when-clause shares its
        # head's date
        own = act = next((x for x in exprs if _attached(x, tok.head)), None)
    pub = _to_date(published)
    if own is not None and pub is not None and _before(own, pub):
        return EventTime(own.iso, own.precision, True, f"ref(dated {own.iso}/{own.precision})")
    why = _undated_reference(tok, is_noun, standing, establish)
    if why is not None:
        if own is not None:
            return EventTime(own.iso, own.precision, True, f"ref({why}; dated {own.iso})")
        return EventTime(None, "none", True, f"ref({why})")
    if act is not None:
        return EventTime(act.iso, act.precision, False)
    if pub is not None:
        # a day near the publication anywhere in the clause ("... landings on Thursday", however
        # the parser attached it) is the act's: it cannot move the event far from the article
        inside = {t.i for t in clause.subtree}
        near = next((x for x in exprs if x.precision == "day" and x.tokens <= inside
                     and abs((date.fromisoformat(x.iso) - pub).days) <= NEAR_DAYS), None)
        if near is not None:
            return EventTime(near.iso, "day", False)
    if published is None or pub is None:
        return EventTime(None, "none", False)
    return EventTime(pub.isoformat(), "day", False)


__all__ = ["EventTime", "PRECISIONS", "REFERENCE_GAP_DAYS", "event_time"]

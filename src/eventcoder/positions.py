"""Positions: an actor's stance on an issue, derived from attributions and verbal events.

    positions = derive_positions(doc, article, stated, events, actors)   # called by the Coder
    link_positions(new_positions, earlier_positions)                     # responses -> proposals

A position is (actor, issue, stance, evidence, date) with stance one of propose | support | oppose |
reject | neutral, and the issue a normalised topic phrase ("Ukraine NATO membership", "territory
exchange", "ceasefire").

  * Stance comes from the cue ("proposed" -> propose, "dismissed"/"rejected" -> reject, "backed" ->
    support, "criticised" -> oppose), then from the content ("impossible", "will not discuss" ->
    reject; "improbable", "unlikely", "should not" -> oppose), else neutral.
  * The issue comes from a table of topic patterns (ISSUE_PATTERNS, with the country that owns the
    issue when one is named: "Ukraine's NATO membership" -> "Ukraine NATO membership"); an anaphoric
    content ("this idea", "the proposal", "the plan") takes the issue of the latest proposal in the
    article; otherwise no position is made (a noun-phrase fallback gave too many junk issues).
  * Verbal events (CAMEO 02 appeal, 03 intent, 10 demand, 11 disapprove, 12 reject, 05 cooperate
    /endorse) whose sentence names an issue give positions too.
  * Linking: a support/oppose/reject position answers the latest earlier proposal on the same issue by
    another actor (`link_positions`); within an article the extractor links in text order, across
    articles the store passes the earlier positions on the issue.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

from .model import Actor, Article, Event, Position

STANCES = ("propose", "support", "oppose", "reject", "neutral")

CUE_STANCE = {
    "propose": "propose", "proposal": "propose", "suggest": "propose", "offer": "propose",
    "float": "propose", "urge": "propose", "call": "propose", "demand": "propose", "plan": "propose",
    "advocate": "support", "support": "support", "back": "support", "endorse": "support",
    "welcome": "support", "praise": "support", "favor": "support", "favour": "support",
    "embrace": "support", "champion": "support", "applaud": "support", "agree": "support",
    "reject": "reject", "dismiss": "reject", "refuse": "reject", "rebuff": "reject", "deny": "reject",
    "rule": "reject", "decline": "reject", "repudiate": "reject", "spurn": "reject",
    "oppose": "oppose", "criticize": "oppose", "criticise": "oppose", "condemn": "oppose",
    "denounce": "oppose", "warn": "oppose", "question": "oppose", "object": "oppose", "slam": "oppose",
    "blast": "oppose", "attack": "oppose", "decry": "oppose", "doubt": "oppose",
}
REJECT_WORDS = re.compile(
    r"\b(impossible|unacceptable|out of the question|non-starter|no way|never|will not|won't|would not|"
    r"refuse[sd]?|cannot|can't|not negotiable|rule[sd]? out)\b", re.I)
OPPOSE_WORDS = re.compile(
    r"\b(improbable|unlikely|unrealistic|not (be )?(possible|realistic|on the table)|should not|shouldn't|"
    r"must not|oppose[sd]?|against|mistake|dangerous|setback|no \w+ (about|on|for) \w+ without)\b", re.I)
SUPPORT_WORDS = re.compile(r"\b(support|welcome|endorse|back|favou?r|must|should|need to|urgency)\b", re.I)
ANAPHORA = re.compile(r"\b(this|that|the|such an?|these|those)\s+(idea|proposal|plan|offer|suggestion|"
                      r"initiative|proposition|option|scheme)s?\b", re.I)

# (pattern, issue label; "{c}" is filled with the owning country's name when one is found)
ISSUE_PATTERNS = [
    (r"\bNATO (membership|accession|bid)\b|\b(membership|accession) (in|of|to) NATO\b|\bjoin(ing|s)? NATO\b",
     "{c} NATO membership"),
    (r"\bEU (membership|accession)\b|\bjoin(ing|s)? the (EU|European Union)\b", "{c} EU membership"),
    (r"\bexchang\w* (of )?(its |their |the )?territor\w*|\bterritor\w* (exchange|swap)\w*|\bswap\w* (of )?territor\w*|"
     r"\bland (swap|exchange)\w*", "territory exchange"),
    (r"\b(cease-?fire|truce|armistice|cessation of (military actions|hostilities|fighting))\b", "ceasefire"),
    (r"\bpeace (talks|negotiations?|process|deal|agreement|plan)\b|\bnegotiations? to end\b",
     "peace negotiations"),
    (r"\b(pre-\d{4} |pre-war )?borders\b", "{c} borders"),
    (r"\bsanctions?\b", "sanctions"),
    (r"\b(security guarantees?|peacekeep\w+)\b", "security guarantees"),
    (r"\b(troops?|forces) (withdraw\w*|pull\w* out)|\bwithdraw\w* (of )?(troops|forces)\b", "troop withdrawal"),
    (r"\b(prisoner|POW)s? (exchange|swap)\w*\b", "prisoner exchange"),
    (r"\b(military )?aid\b|\barms (supplies|deliveries)\b|\bweapons\b", "military aid"),
    (r"\belections?\b", "elections"),
    (r"\bsummit\b", "summit"),
]
_ISSUES = [(re.compile(p, re.I), label) for p, label in ISSUE_PATTERNS]

EVENT_ROOT_STANCE = {"02": "propose", "03": "propose", "10": "propose", "05": "support",
                     "11": "oppose", "12": "reject", "13": "oppose"}


def find_issues(text: str, doc=None, span=None, country_names: Optional[dict] = None) -> list[str]:
    """Normalised issues named in `text`, in order of first mention, deduplicated."""
    found = []
    for rx, label in _ISSUES:
        m = rx.search(text)
        if m:
            found.append((m.start(), m, label))
    out = []
    for _, m, label in sorted(found, key=lambda x: x[0]):
        if "{c}" in label:
            owner = _owner(text, m.start(), country_names or {})
            label = label.replace("{c}", owner).strip() if owner else label.replace("{c} ", "")
        if label not in out:
            out.append(label)
    return out


_COUNTRY_WORD = re.compile(r"\b(Ukraine|Russia|Georgia|Moldova|Finland|Sweden|Turkey|Israel|Iran|Taiwan|China|"
                           r"Serbia|Kosovo|Belarus|Armenia|Azerbaijan|Ukrainian|Russian|Georgian)(?:'s|’s)?\b")
_DEMONYM = {"Ukrainian": "Ukraine", "Russian": "Russia", "Georgian": "Georgia"}


def _owner(text: str, pos: int, country_names: dict) -> Optional[str]:
    """The country a membership/borders issue belongs to: the nearest country word before it (same clause)."""
    window = text[max(0, pos - 60):pos]
    found = list(_COUNTRY_WORD.finditer(window))
    if found:
        w = found[-1].group(1)
        return _DEMONYM.get(w, w)
    m = _COUNTRY_WORD.search(text)
    if m:
        w = m.group(1)
        return _DEMONYM.get(w, w)
    return None


def stance_of(cue_lemma: str, content: str) -> str:
    """Stance from the cue lemma, then the content words."""
    s = CUE_STANCE.get(cue_lemma or "")
    neg = bool(re.search(r"\b(not|n't|never)\b", content or "", re.I))
    if s in ("propose", "support") and neg and cue_lemma in ("support", "back", "endorse", "agree"):
        return "oppose"
    if s:
        if s in ("propose",) and REJECT_WORDS.search(content or ""):
            return s
        return s
    if REJECT_WORDS.search(content or ""):
        return "reject"
    if OPPOSE_WORDS.search(content or ""):
        return "oppose"
    if SUPPORT_WORDS.search(content or ""):
        return "support"
    return "neutral"


def _same_actor(a: Optional[Actor], b: Optional[Actor]) -> bool:
    if a is None or b is None:
        return False
    if a.name and b.name:
        return a.name == b.name
    return (a.code, a.text) == (b.code, b.text)


def derive_positions(doc, article: Article, stated: Iterable, events: list, actors=None) -> list[Position]:
    """Positions of one article from (attribution, Quote) pairs in text order and its events."""
    positions: list[Position] = []
    seen: set = set()
    date = article.published
    nested_spans = []
    stated = list(stated)
    for a, q in stated:
        if a.cue_span:
            nested_spans.append(a.cue_span)

    def add(actor, issue, stance, evidence, span, date_, from_event=False):
        who = actor.name or actor.code or actor.text if actor else None
        if (who, issue, stance) in seen or (from_event and (who, issue) in seen):
            return
        seen.add((who, issue, stance))
        seen.add((who, issue))
        p = Position(article_id=article.article_id, actor=actor, issue=issue, stance=stance,
                     evidence=evidence.strip(), date=date_, span=span)
        link_positions([p], positions)
        positions.append(p)

    for a, q in stated:
        actor = q.speaker
        if actor is None or not q.content_spans:
            continue
        # An outer attribution reporting someone else's attribution speaks for them, not itself.
        if any(q.content_spans[0][0] <= cs and ce <= q.content_spans[-1][1] for cs, ce in nested_spans
               if (cs, ce) != (q.cue_span or (None, None))):
            inner_issue = True
        else:
            inner_issue = False
        content = q.content
        stance = stance_of(a.lemma, content)
        issues = find_issues(content)
        if ANAPHORA.search(content) or (not issues and a.lemma in CUE_STANCE and CUE_STANCE[a.lemma] != "propose"):
            prop = next((p for p in reversed(positions) if p.stance == "propose"
                         and not _same_actor(p.actor, actor)), None)
            if prop is not None and ANAPHORA.search(content):
                issues = [prop.issue]
        cue_text = article.text[q.cue_span[0]:q.cue_span[1]] if q.cue_span else ""
        if re.search(r"\b(not|n't|never)\b", cue_text, re.I):
            stance = {"propose": "reject", "support": "oppose", "neutral": "reject"}.get(stance, stance)
        if stance == "neutral" and (inner_issue or a.lemma not in _speech()):
            continue
        span = (min(s for s, _ in q.content_spans), max(e for _, e in q.content_spans))
        if q.cue_span:
            span = (min(span[0], q.cue_span[0]), max(span[1], q.cue_span[1]))
        for issue in issues[:1]:
            ev_text = article.text[span[0]:span[1]]
            add(actor, issue, stance, ev_text, span, date)

    for e in events or []:
        st = EVENT_ROOT_STANCE.get(e.cameo_root)
        if st is None or e.source is None or e.status == "negated":
            continue
        issues = find_issues(e.sentence)
        for issue in issues[:1]:
            add(e.source, issue, st, e.sentence, tuple(e.span), e.date or date, from_event=True)
    return positions


def _speech() -> frozenset:
    from .quotes import SPEECH_LEMMAS
    return SPEECH_LEMMAS


def link_positions(new_positions: list[Position], earlier_positions: Iterable[Position]) -> list[Position]:
    """Set `responds_to` on each new support/oppose/reject position that answers a proposal.

    The proposal answered is the latest earlier `propose` position on the same issue by a different
    actor (earlier = before it in `earlier_positions`' order, and not dated after it). Positions that
    already have `responds_to` are left alone. Returns `new_positions` (modified in place).

    For the store: `link_positions(article_positions, store.positions(issue=..., until=date))` links
    across articles (Peskov's rejection on 13 Feb -> Zelenskyy's proposal stored from 12 Feb).
    """
    earlier = list(earlier_positions)
    for p in new_positions:
        if p.responds_to or p.stance not in ("support", "oppose", "reject"):
            continue
        for q in reversed(earlier):
            if q.stance != "propose" or q.issue != p.issue or q.position_id == p.position_id:
                continue
            if _same_actor(q.actor, p.actor):
                continue
            if q.date and p.date and q.date > p.date:
                continue
            p.responds_to = q.position_id
            break
    return new_positions


def positions_on_issue(positions: Iterable[Position], issue: str) -> list[Position]:
    """All positions on an issue, oldest first (a pure helper for the store/API)."""
    return sorted((p for p in positions if p.issue.lower() == issue.lower()),
                  key=lambda p: (p.date or "", p.span[0] if p.span else 0))


def positions_of_actor(positions: Iterable[Position], name_or_code: str) -> list[Position]:
    """All positions of an actor, by name or code, oldest first."""
    key = name_or_code.lower()
    return sorted((p for p in positions if p.actor is not None and key in (
        (p.actor.name or "").lower(), (p.actor.code or "").lower(), p.actor.text.lower())),
        key=lambda p: (p.date or "", p.span[0] if p.span else 0))

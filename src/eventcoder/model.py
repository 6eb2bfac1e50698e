"""The record contract: the dataclasses every stage reads and writes, and nothing else.

See ARCHITECTURE.md ("The record contract"). Every output format derives from these.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Optional

SECTORS = (
    "GOV", "MIL", "COP", "SPY", "JUD", "LEG", "PTY", "OPP", "REB", "CVL",
    "MED", "BUS", "REL", "EDU", "NGO", "ELI", "UNK",
)
STATUSES = ("occurred", "planned", "possible", "negated")
PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)


def stable_id(*parts: Any, length: int = 16) -> str:
    """A short, stable hex id from the given parts (order matters)."""
    h = hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:length]


@dataclass
class Article:
    article_id: str
    text: str
    title: Optional[str] = None
    published: Optional[str] = None  # ISO YYYY-MM-DD
    url: Optional[str] = None
    source_name: Optional[str] = None
    origin: Optional[str] = None  # where it was read from, e.g. "file.jsonl:12" (not part of the contract)

    def __post_init__(self) -> None:
        # A lone surrogate (a JSON "\\ud800" escape with no pair) cannot be written as UTF-8:
        # it would fail the article later, in hashing or storing. One code point for one, so
        # every offset into the text stays right.
        for f in ("article_id", "text", "title", "url", "source_name"):
            v = getattr(self, f)
            if isinstance(v, str) and not v.isascii() and _SURROGATE.search(v):
                setattr(self, f, _SURROGATE.sub("\ufffd", v))

    @staticmethod
    def content_id(text: str) -> str:
        return stable_id(" ".join(text.split()))

    def to_dict(self) -> dict:
        return {
            "article_id": self.article_id, "title": self.title, "text": self.text,
            "published": self.published, "url": self.url, "source_name": self.source_name,
        }


_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Actor:
    text: str
    name: Optional[str] = None
    country: Optional[str] = None  # ISO alpha-3 or UNO/EUR/IGO/IMG/NGO/MNC
    sector: Optional[str] = None
    code: Optional[str] = None  # e.g. USAGOV
    span: Optional[tuple[int, int]] = None  # not serialised in the contract

    def __post_init__(self) -> None:
        if self.code is None and (self.country or self.sector):
            self.code = (self.country or "") + (self.sector or "")

    def to_dict(self) -> dict:
        return {"text": self.text, "name": self.name, "country": self.country,
                "sector": self.sector, "code": self.code}


@dataclass
class Location:
    name: str
    country: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None

    def to_dict(self) -> dict:
        return {"name": self.name, "country": self.country, "lat": self.lat, "lon": self.lon}


@dataclass
class Event:
    article_id: str
    date: Optional[str]
    published: Optional[str]
    source: Optional[Actor]
    target: Optional[Actor]
    cameo_code: str
    cameo_root: str
    cameo_name: str
    goldstein: float
    quad_class: int
    plover_type: Optional[str]
    plover_mode: Optional[str]
    status: str
    location: Optional[Location]
    sentence_index: int
    sentence: str
    trigger: str
    span: tuple[int, int]
    confidence: float = 0.5
    rule: Optional[str] = None  # which rule/pattern produced it (shown with --explain)
    event_id: str = ""
    date_precision: str = "day"  # day | month | year | none (how much of the calendar `date` names)
    reference: bool = False  # a mention of an earlier event ("the 2015 deal"), not news of the day

    def __post_init__(self) -> None:
        if not self.event_id:
            # Distinct records get distinct ids: the actors are identified by code, name and
            # words (two USAELI targets, Bush and Obama, are two records), and the same record
            # coded again gets the same id.
            self.event_id = stable_id(
                self.article_id, self.sentence_index, self.span[0], self.span[1],
                *_actor_key(self.source), *_actor_key(self.target), self.cameo_code, self.status,
            )

    def to_dict(self, explain: bool = False) -> dict:
        d = {
            "event_id": self.event_id, "article_id": self.article_id, "date": self.date,
            "date_precision": self.date_precision, "reference": self.reference,
            "published": self.published,
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "cameo_code": self.cameo_code, "cameo_root": self.cameo_root,
            "cameo_name": self.cameo_name, "goldstein": self.goldstein,
            "quad_class": self.quad_class, "plover_type": self.plover_type,
            "plover_mode": self.plover_mode, "status": self.status,
            "location": self.location.to_dict() if self.location else None,
            "sentence_index": self.sentence_index, "sentence": self.sentence,
            "trigger": self.trigger, "span": list(self.span), "confidence": self.confidence,
        }
        if explain:
            d["rule"] = self.rule
        return d

    def flat_dict(self, explain: bool = False) -> dict:
        """One flat row (for CSV and tables): actor and location fields are prefixed."""
        d = self.to_dict(explain)
        for side in ("source", "target"):
            a = d.pop(side) or {}
            for k in ("text", "name", "country", "sector", "code"):
                d[f"{side}_{k}"] = a.get(k)
        loc = d.pop("location") or {}
        for k in ("name", "country", "lat", "lon"):
            d[f"location_{k}"] = loc.get(k)
        span = d.pop("span")
        d["span_start"], d["span_end"] = span
        return d


def _actor_key(a: Optional[Actor]) -> tuple:
    if a is None:
        return (None, None, None, None)
    return (a.code, a.name, a.text, a.span[0] if a.span else None)


@dataclass
class Quote:
    article_id: str
    speaker: Optional[Actor]
    cue: Optional[str]
    content: str
    direct: bool
    speaker_span: Optional[tuple[int, int]] = None
    cue_span: Optional[tuple[int, int]] = None
    content_spans: list = field(default_factory=list)
    quote_id: str = ""
    origin: str = "rule"  # "model" (the trained attribution model) or "rule" (quotation marks, rules)
    score: Optional[float] = None  # the model's P(cue) when it scored the cue

    def __post_init__(self) -> None:
        if not self.quote_id:
            first = self.content_spans[0] if self.content_spans else (None, None)
            cue = self.cue_span or (None, None)
            self.quote_id = stable_id(self.article_id, "q", first[0], first[1], cue[0], cue[1],
                                      *_actor_key(self.speaker))

    def to_dict(self, explain: bool = False) -> dict:
        d = {
            "quote_id": self.quote_id, "article_id": self.article_id,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "cue": self.cue, "content": self.content, "direct": self.direct,
            "speaker_span": list(self.speaker_span) if self.speaker_span else None,
            "cue_span": list(self.cue_span) if self.cue_span else None,
            "content_spans": [list(s) for s in self.content_spans],
        }
        if explain:  # where the record came from: the trained model or a rule, with the model's score
            d["explain"] = {"origin": self.origin, "score": self.score}
        return d


@dataclass
class Position:
    """An actor's stated stance on an issue, with the evidence it rests on."""
    article_id: str
    actor: Optional[Actor]
    issue: str
    stance: str  # propose | support | oppose | reject | neutral
    evidence: str
    date: Optional[str]
    span: Optional[tuple[int, int]] = None
    responds_to: Optional[str] = None  # position_id of the proposal this answers
    position_id: str = ""

    def __post_init__(self) -> None:
        if not self.position_id:
            self.position_id = stable_id(
                self.article_id, "p", self.actor.code if self.actor else None,
                self.issue, self.stance, self.span[0] if self.span else None)

    def to_dict(self) -> dict:
        return {
            "position_id": self.position_id, "article_id": self.article_id,
            "actor": self.actor.to_dict() if self.actor else None, "issue": self.issue,
            "stance": self.stance, "evidence": self.evidence, "date": self.date,
            "span": list(self.span) if self.span else None, "responds_to": self.responds_to,
        }

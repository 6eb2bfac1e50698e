"""Dates: an article's publication date, and the date an event sentence refers to.

Everything is resolved by one compiled regular expression and plain ``datetime`` arithmetic; no
dateparser on the hot path (``parse_published`` falls back to dateparser only for unusual
publication stamps the regex does not know).  All results are ISO ``YYYY-MM-DD`` strings.

Conventions (documented choices):

* weekday, past (``future=False``): the most recent such day **on or before** ``published`` (the
  same day counts: "on Friday" in a Friday article is that Friday).  "last Friday": strictly
  before ``published``.  Future (``future=True``, e.g. "will meet on Friday") or "next Friday":
  the first such day **after** ``published``.  "this Friday" follows ``future``.
* "yesterday", "last night", "the day before" -> published - 1; "the day before yesterday" -> -2;
  "today", "tonight", "this morning/afternoon/evening", "earlier today" -> published;
  "tomorrow" -> +1; "last week" / "a week ago" -> -7; "next week" -> +7; "N days ago" -> -N.
* month precision is reported as the **first day of the month**: "in December 2024" ->
  2024-12-01, "last month" -> first day of the previous month, "next month" -> first of next.
* a day and month without a year ("on March 6", "Feb. 13") take ``published``'s year; in past
  usage a result more than 7 days after ``published`` moves to the previous year, in future usage
  a result more than 7 days before ``published`` moves to the next year.
* a bare year ("in 2024", "Trump 2024") is **not** a date: too coarse for an event date, so it is
  ignored (None).  Month names must be capitalised and followed by a day or year, so "may attend",
  "March on Washington" or "May" alone never match.
* with ``published=None`` only explicit full dates (with a year) are returned.

``resolve_date`` returns the first (left-most) expression; ``find_date_expressions`` returns them
all with character offsets, for evidence.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Optional

__all__ = ["parse_published", "resolve_date", "find_date_expressions", "find_dates"]

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
             "saturday": 5, "sunday": 6}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10}

_MON = (r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
        r"Aug(?:ust|\.)?|Sep(?:t(?:ember|\.)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)")
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_NUM = r"(?:\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten)"

_PATTERN = re.compile(
    r"(?P<iso>\b(?P<iy>(?:19|20)\d\d)[-/](?P<im>0?[1-9]|1[0-2])[-/](?P<id>[12][0-9]|3[01]|0?[1-9])(?![\d]))"
    # [Friday,] February 13[, 2025]
    rf"|(?P<mdy>\b(?:{_WD},?\s+)?(?P<m1>{_MON})\s*(?P<d1>{_DAY})\b(?:,?\s+(?P<y1>(?:19|20)\d\d)\b)?)"
    # [Friday,] 13 February[ 2025]
    rf"|(?P<dmy>\b(?:{_WD},?\s+)?(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MON})(?![a-z])(?:,?\s+(?P<y2>(?:19|20)\d\d)\b)?)"
    # [in] December 2024
    rf"|(?P<my>\b(?P<m3>{_MON})(?:,)?\s+(?P<y3>(?:19|20)\d\d)\b)"
    # [last|next|this|on] Friday
    rf"|(?P<wd>\b(?:(?P<wmod>(?i:last|next|this|coming|past))\s+|(?i:on|since|until|by|from)\s+)?(?P<wday>{_WD})\b)"
    r"|(?P<rel>\b(?i:(?P<dby>the\s+day\s+before\s+yesterday)|(?P<yday>yesterday|last\s+night|the\s+day\s+before|the\s+previous\s+day)"
    r"|(?P<today>today|tonight|this\s+(?:morning|afternoon|evening)|earlier\s+today)"
    r"|(?P<tmr>tomorrow|the\s+next\s+day|the\s+following\s+day)"
    r"|(?P<lweek>last\s+week|a\s+week\s+ago|one\s+week\s+ago)|(?P<nweek>next\s+week)"
    r"|(?P<lmonth>last\s+month)|(?P<nmonth>next\s+month)"
    rf"|(?P<ago>(?P<agon>{_NUM})\s+(?P<agou>days?|weeks?)\s+ago))\b)"
)

# Cheap pre-check: a sentence without any of these cannot hold a date expression.
_QUICK = re.compile(r"\d|[Dd]ay|[Nn]ight|[Mm]orning|[Aa]fternoon|[Ee]vening|[Tt]omorrow|[Ww]eek|[Mm]onth"
                    r"|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")

_ISO_PUB = re.compile(r"^\s*((?:19|20)\d\d)-(\d\d)-(\d\d)")


def _month(s: str) -> int:
    return _MONTHS[s[:3].lower()]


def _mkdate(y: int, m: int, d: int) -> Optional[date]:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _to_date(published) -> Optional[date]:
    if published is None:
        return None
    if isinstance(published, datetime):
        return published.date()
    if isinstance(published, date):
        return published
    m = _ISO_PUB.match(str(published))
    if not m:
        return None
    return _mkdate(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, 1)


def _infer_year(m: int, d: int, pub: date, future: bool) -> Optional[date]:
    x = _mkdate(pub.year, m, d)
    if x is None:  # Feb 29 in a non-leap year: try the neighbouring year
        x = _mkdate(pub.year + (1 if future else -1), m, d)
        return x
    if not future and x > pub + timedelta(days=7):
        x = _mkdate(pub.year - 1, m, d)
    elif future and x < pub - timedelta(days=7):
        x = _mkdate(pub.year + 1, m, d)
    return x


def _resolve_match(g: dict, pub: Optional[date], future: bool) -> Optional[date]:
    if g["iso"]:
        return _mkdate(int(g["iy"]), int(g["im"]), int(g["id"]))
    if g["mdy"] or g["dmy"]:
        mo, dd, yy = (g["m1"], g["d1"], g["y1"]) if g["mdy"] else (g["m2"], g["d2"], g["y2"])
        day = int(re.match(r"\d+", dd).group())
        if yy:
            return _mkdate(int(yy), _month(mo), day)
        return _infer_year(_month(mo), day, pub, future) if pub else None
    if g["my"]:
        return _mkdate(int(g["y3"]), _month(g["m3"]), 1)
    if pub is None:
        return None
    if g["wd"]:
        target = _WEEKDAYS[g["wday"].lower()]
        mod = (g["wmod"] or "").lower()
        if mod == "last" or mod == "past":
            delta = (pub.weekday() - target) % 7 or 7
            return pub - timedelta(days=delta)
        if mod in ("next", "coming") or (future and mod in ("", "this")):
            delta = (target - pub.weekday()) % 7 or 7
            return pub + timedelta(days=delta)
        return pub - timedelta(days=(pub.weekday() - target) % 7)
    if g["dby"]:
        return pub - timedelta(days=2)
    if g["yday"]:
        return pub - timedelta(days=1)
    if g["today"]:
        return pub
    if g["tmr"]:
        return pub + timedelta(days=1)
    if g["lweek"]:
        return pub - timedelta(days=7)
    if g["nweek"]:
        return pub + timedelta(days=7)
    if g["lmonth"]:
        return _add_months(pub, -1)
    if g["nmonth"]:
        return _add_months(pub, 1)
    if g["ago"]:
        n = g["agon"].lower()
        k = int(n) if n.isdigit() else _NUMBERS[n]
        return pub - timedelta(days=k * (7 if g["agou"].lower().startswith("week") else 1))
    return None


def find_date_expressions(text: Optional[str], published=None,
                          future: bool = False) -> list[tuple[int, int, str]]:
    """All resolvable date expressions in ``text`` as (start, end, iso), left to right."""
    if not text or not _QUICK.search(text):
        return []
    pub = _to_date(published)
    out = []
    for m in _PATTERN.finditer(text):
        d = _resolve_match(m.groupdict(), pub, future)
        if d is not None:
            out.append((m.start(), m.end(), d.isoformat()))
    return out


def _precision(g: dict) -> str:
    """day | month: how much of the calendar a matched expression names."""
    return "month" if (g["my"] or g["lmonth"] or g["nmonth"]) else "day"


def find_dates(text: Optional[str], published=None,
               future: bool = False) -> list[tuple[int, int, str, str]]:
    """Like ``find_date_expressions``, with each date's precision: (start, end, iso, "day"|"month").
    A month-precision date is the first of its month."""
    if not text or not _QUICK.search(text):
        return []
    pub = _to_date(published)
    out = []
    for m in _PATTERN.finditer(text):
        g = m.groupdict()
        d = _resolve_match(g, pub, future)
        if d is not None:
            out.append((m.start(), m.end(), d.isoformat(), _precision(g)))
    return out


def resolve_date(text: Optional[str], published=None, future: bool = False) -> Optional[str]:
    """The date ``text`` (a clause or sentence) refers to, as ISO, or None.

    ``published`` is the article's ISO date (or a date/datetime); relative expressions
    ("yesterday", "on Friday") need it.  ``future=True`` reads bare weekdays and yearless dates
    forward ("will meet on Friday").  The left-most resolvable expression wins.
    """
    if not text or not _QUICK.search(text):
        return None
    pub = _to_date(published)
    for m in _PATTERN.finditer(text):
        d = _resolve_match(m.groupdict(), pub, future)
        if d is not None:
            return d.isoformat()
    return None


_PUB_FULL = re.compile(
    rf"(?P<m1>{_MON})\s*(?P<d1>{_DAY}),?\s+(?P<y1>(?:19|20)\d\d)"
    rf"|(?P<d2>{_DAY})\s+(?P<m2>{_MON}),?\s+(?P<y2>(?:19|20)\d\d)", re.IGNORECASE)
_PUB_NUM = re.compile(r"\b((?:19|20)\d\d)(?:[-/.])?(0[1-9]|1[0-2])(?:[-/.])?([12][0-9]|3[01]|0[1-9])(?:\b|T)")


def parse_published(value) -> Optional[str]:
    """An article's publication stamp -> ISO date (the calendar date as written; no TZ shift).

    Handles ISO / RFC 3339 ("2025-03-14 14:23:08Z"), "February 13, 2025 - 11:34 AMT",
    "13 Feb 2025", "Thu, 13 Feb 2025 10:00:00 GMT", compact "20250213"; anything else falls back to
    dateparser; unparseable input -> None.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    s = str(value).strip()
    if not s:
        return None
    m = _PUB_NUM.search(s)
    if m:
        d = _mkdate(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            return d.isoformat()
    m = _PUB_FULL.search(s)
    if m:
        if m.group("m1"):
            mo, dd, yy = m.group("m1"), m.group("d1"), m.group("y1")
        else:
            mo, dd, yy = m.group("m2"), m.group("d2"), m.group("y2")
        d = _mkdate(int(yy), _month(mo), int(re.match(r"\d+", dd).group()))
        if d:
            return d.isoformat()
    if not any(ch.isdigit() for ch in s):  # "garbage", "yesterday": not a publication stamp
        return None
    try:
        import dateparser  # slow import; only for odd formats
        dt = dateparser.parse(s, settings={"RETURN_AS_TIMEZONE_AWARE": False,
                                           "PREFER_DAY_OF_MONTH": "first"})
    except Exception:
        return None
    return dt.date().isoformat() if dt else None

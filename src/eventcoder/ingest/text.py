"""Plain-text articles: an optional dateline line, an optional headline, then the body.

    February 13, 2025 - 11:34 AMT            <- dateline: sets `published`
    Trump, Putin agree to initiate talks     <- headline: short, no final punctuation, blank after
                                             
    U.S. President Donald Trump announced ... <- body: `text`, characters kept as they are

Also understood: a dateline just after the headline, and a wire-style dateline opening the
body ("KYIV, Feb 13 (Reuters) - ..."), which sets `published` but stays in the text.
"""
from __future__ import annotations

import re
from typing import Optional

from ..model import Article
from .dates import DATE_RE, MONTH_RE, _DATE, date_from_match, make_date, month_number
from .boilerplate import strip_boilerplate
from .errors import IngestError

HEADLINE_MAX = 200
_TIME = (r"(?:T|\s*(?:[,\-\u2013\u2014|@/\u00b7]|at)?\s*)"
         r"\d{1,2}(?:[:.]\d{2}){1,2}(?:\.\d+)?\s*(?:[AaPp]\.?\s?[Mm]\.?)?"
         r"(?:\s*\(?(?:Z|[A-Z]{1,5}(?:\s?[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2})\)?)?")
_PLACE = r"[A-Z][A-Za-z.'\u2019\- ]{1,40}(?:,\s*[A-Z][A-Za-z.'\- ]{1,30})?"
_WEEKDAY = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)[a-z]*\.?,?\s+"
_AGENCY = r"\((?:[A-Za-z&.' ]{1,30})\)"
_DATELINE = re.compile(
    rf"^\s*(?:(?:Published|Posted|Updated|Date|Dated)(?:\s+on)?:?\s*)?(?:{_PLACE},\s*)?"
    rf"(?:{_WEEKDAY})?{DATE_RE}(?:{_TIME})?\s*(?:{_AGENCY})?\s*[-\u2013\u2014:|,]*\s*$",
    re.IGNORECASE)
# Wire dateline opening a paragraph: "KYIV, Feb 13 (Reuters) - Ukraine said ..."
_WIRE = re.compile(
    rf"^\s*(?:{_PLACE}),\s*(?P<wmon>{MONTH_RE})\.?\s+(?P<wday>\d{{1,2}})(?:,?\s+(?P<wyear>\d{{4}}))?"
    rf"\s*{_AGENCY}\s*[-\u2013\u2014]+\s*\S")
_SENTENCE_END = ".!?;:,\u2026"
_CLOSERS = "\"'\u201d\u2019)]\u00bb "


def parse_dateline(line: str) -> Optional[str]:
    """ISO date if `line` is a dateline (a date, optional place/time/zone), else None."""
    if len(line) > 120:
        return None
    m = _DATELINE.match(line)
    if not m:
        return None
    d = _DATE.search(line[m.start():])
    return date_from_match(d) if d else None


def _looks_like_headline(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > HEADLINE_MAX or "\t" in s:
        return False
    if not any(c.isalpha() for c in s):
        return False
    return s.rstrip(_CLOSERS)[-1:] not in _SENTENCE_END if s.rstrip(_CLOSERS) else False


def _wire_date(body: str, fallback: Optional[str]) -> Optional[str]:
    m = _WIRE.match(body[:200])
    if not m:
        return None
    year = m.group("wyear") or (fallback[:4] if fallback else None)
    return make_date(year, month_number(m.group("wmon")), m.group("wday")) if year else None


def normalise_newlines(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def split_text_article(text: str, published: Optional[str] = None):
    """(title, published, body) from plain text; `published` is the fallback date."""
    text = normalise_newlines(text)
    lines = text.split("\n")
    i, n = 0, len(lines)

    def skip_blank(j: int) -> int:
        while j < n and not lines[j].strip():
            j += 1
        return j

    date: Optional[str] = None
    title: Optional[str] = None
    i = skip_blank(i)
    if i < n:
        date = parse_dateline(lines[i])
        if date:
            i = skip_blank(i + 1)
    # headline: one short unpunctuated line followed by a blank line and then more text
    if i + 1 < n and _looks_like_headline(lines[i]) and not lines[i + 1].strip():
        j = skip_blank(i + 1)
        if j < n:
            title, i = lines[i].strip(), j
            if not date:  # dateline right after the headline
                date = parse_dateline(lines[i])
                if date:
                    i = skip_blank(i + 1)
    body = "\n".join(lines[i:]).strip()
    if not date and body:
        date = _wire_date(body, published)
    return title, date or published, body


def read_text_article(text: str, origin: str = "<text>", published=None) -> Article:
    """One Article from plain text (dateline, headline, body); raises IngestError if empty.

    `published` (ISO date string, date or datetime) is used only when the text carries no date.
    """
    from .dates import normalise_date

    if not isinstance(text, str):
        raise IngestError(origin, f"expected text (str), got {type(text).__name__}")
    fallback = normalise_date(published)
    title, date, body = split_text_article(text, fallback)
    stripped = strip_boilerplate(body)[0] if body else body
    if body and not stripped:
        raise IngestError(origin, "the text holds only page furniture (ads, share or newsletter "
                                  "lines, credits), no story; skipped")
    body = stripped
    if not body:
        if title or text.strip():
            raise IngestError(origin, "no article body after the dateline/headline; skipped")
        raise IngestError(origin, "empty or whitespace-only text; nothing to code; skipped")
    return Article(article_id=Article.content_id(body), text=body, title=title,
                   published=date, origin=origin)

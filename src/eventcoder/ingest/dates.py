"""Publication-date normalisation for ingest: anything date-like -> ISO ``YYYY-MM-DD`` or None.

Fast paths (ISO, month names, epoch) are handled here without dateparser; dateparser is a
last resort for odd strings and is imported lazily (it is slow to import).
"""
from __future__ import annotations

import datetime as _dt
import re
from email.utils import parsedate_to_datetime
from typing import Any, Optional

from ..errors import UsageError

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
MONTH_RE = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
            r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
ORD = r"(?:st|nd|rd|th)?"
# Named groups: y/m/d for ISO, mon/day/year for month-name forms.
DATE_RE = (
    rf"(?:(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})"
    rf"|(?P<mon1>{MONTH_RE})\.?\s+(?P<day1>\d{{1,2}}){ORD}(?:,\s*|\s+)(?P<year1>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}}){ORD}\s+(?:of\s+)?(?P<mon2>{MONTH_RE})\.?,?\s+(?P<year2>\d{{4}})"
    rf"|(?P<sy>\d{{4}})/(?P<sm>\d{{1,2}})/(?P<sd>\d{{1,2}}))"
)
_DATE = re.compile(DATE_RE, re.IGNORECASE)
_ISO_START = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T\s_])")


def make_date(year: int, month: int, day: int) -> Optional[str]:
    try:
        d = _dt.date(int(year), int(month), int(day))
    except (ValueError, TypeError):
        return None
    return d.isoformat() if 1800 <= d.year <= 2200 else None


def month_number(name: str) -> int:
    name = name.lower().rstrip(".")
    return MONTHS.get(name[:4] if name.startswith("sept") else name[:3], 0)


def date_from_match(m: "re.Match[str]") -> Optional[str]:
    g = m.groupdict()
    if g.get("iy"):
        return make_date(g["iy"], g["im"], g["id"])
    if g.get("sy"):
        return make_date(g["sy"], g["sm"], g["sd"])
    if g.get("mon1"):
        return make_date(g["year1"], month_number(g["mon1"]), g["day1"])
    if g.get("mon2"):
        return make_date(g["year2"], month_number(g["mon2"]), g["day2"])
    return None


def _from_epoch(value: float) -> Optional[str]:
    v = float(value)
    if v > 1e14:  # microseconds
        v /= 1e6
    elif v > 1e11:  # milliseconds
        v /= 1e3
    try:
        d = _dt.datetime.fromtimestamp(v, tz=_dt.timezone.utc).date()
    except (OverflowError, OSError, ValueError):
        return None
    # an epoch before 1980 is a placeholder (0, -1, a small id), not a publication date
    return d.isoformat() if 1980 <= d.year <= 2200 else None


def normalise_date(value: Any) -> Optional[str]:
    """ISO ``YYYY-MM-DD`` from a date, datetime, epoch number or date string; None if not a date."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return _from_epoch(value) if value == value else None  # NaN check
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s or len(s) > 200:
        return None
    m = _ISO_START.match(s)
    if m:
        return make_date(*m.groups())
    if re.fullmatch(r"\d{10}(?:\.\d+)?|\d{13}", s):
        return _from_epoch(float(s))
    if re.fullmatch(r"\d{8}", s):
        return make_date(s[:4], s[4:6], s[6:])
    m = _DATE.search(s)
    if m:
        d = date_from_match(m)
        if d:
            return d
    try:  # RFC 2822, as in RSS: "Fri, 14 Mar 2025 14:23:08 +0000"
        return parsedate_to_datetime(s).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    if not re.search(r"\d{4}", s):  # no year: too vague to guess
        return None
    try:
        import dateparser  # lazy: slow import

        d = dateparser.parse(s, settings={"REQUIRE_PARTS": ["day", "month", "year"],
                                          "RETURN_AS_TIMEZONE_AWARE": False})
    except Exception:  # dateparser can raise on odd input; a bad date is not fatal
        return None
    return make_date(d.year, d.month, d.day) if d else None


def published_date(value: Any) -> Optional[str]:
    """A publication date given by a user (`--published`, `code_text(published=...)`): what
    `normalise_date` reads (ISO date or datetime, "Feb 13, 2025", RFC 2822, a date or datetime
    object, ...) -> ISO ``YYYY-MM-DD``; None for none given; ValueError naming the value when it
    is not a date."""
    if value is None or value == "":
        return None
    d = normalise_date(value)
    if d is None:
        raise UsageError(f"cannot read the date {value!r}; give it as YYYY-MM-DD")
    return d

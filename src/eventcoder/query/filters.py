"""The parameters of every query: the event filters as one WHERE clause (`event_where`), the
counting defaults (`counted`), and the checks that turn a bad value into a QueryError naming it.
Every value reaches SQL as a parameter; the few SQL fragments built here come from fixed
whitelists (intervals, levels), never from user text.

    where, params = event_where(actor="RUS", start="2025-02-01", plover_type="CONSULT", alias="e")
    counted({"status": None})        # -> {"status": ["occurred"], "reference": False}
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Optional, Sequence, Union

from ..errors import EventcoderError
from ..model import PLOVER_TYPES, SECTORS, STATUSES
from ..positions import STANCES

INTERVALS = ("day", "week", "month")
LEVELS = ("code", "country")
MAX_LIMIT = 1000
_CODE_RE = re.compile(r"^[A-Za-z0-9]{1,40}$")

Many = Union[None, str, int, Sequence[Any]]


class QueryError(EventcoderError, ValueError):
    """A query parameter that cannot be used (bad date, unknown interval, ...)."""


# What series, profiles, networks and exports count unless asked otherwise: events the text
# asserts happened, not plans, possibilities or denials, and not references to earlier events.
COUNTED_STATUSES = ("occurred",)


def counted(filters: dict, references: bool = False) -> dict:
    """`filters` with the counting defaults: status = occurred unless a status is given (a list,
    or "all"), and references left out unless `references=True`."""
    f = dict(filters)
    references = bool(references or f.pop("references", False))
    st = f.get("status")
    if st in (None, "", []):
        f["status"] = list(COUNTED_STATUSES)
    elif st == "all":
        f.pop("status")
    if not references:
        f["reference"] = False
    return f


# ---------------------------------------------------------------- helpers
def _date(value, name: str) -> Optional[str]:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise QueryError(f"{name} must be an ISO date YYYY-MM-DD, got {str(value)[:40]!r}") from None


def date_range(where: list, params: list, col: str, start=None, end=None) -> None:
    """Add `col` between `start` and `end` (YYYY-MM-DD, either may be None) to a WHERE list."""
    s, e = _date(start, "start"), _date(end, "end")
    if s:
        where.append(f"{col} >= CAST(? AS DATE)")
        params.append(s)
    if e:
        where.append(f"{col} <= CAST(? AS DATE)")
        params.append(e)


def _code(value, name: str) -> Optional[str]:
    if value in (None, ""):
        return None
    v = str(value).strip().upper()
    if not _CODE_RE.match(v):
        raise QueryError(f"{name} must be an actor/country code of letters and digits, "
                         f"got {str(value)[:40]!r}")
    return v


def _many(value: Many, norm=lambda v: v) -> Optional[list]:
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, (str, int)):
        value = [p for p in str(value).split(",") if p.strip()]
    return [norm(str(v).strip()) for v in value]


def _one_of(name: str, allowed: Sequence[str], norm):
    """A normaliser for a list filter that refuses a value outside `allowed`, naming the filter."""
    def check(v: str) -> str:
        n = norm(v)
        if n not in allowed:
            raise QueryError(f"{name} must be one of {', '.join(allowed)}; got {v[:40]!r}")
        return n
    return check


def _digits(name: str, lo: int, hi: int, pad: int = 0):
    def check(v: str) -> str:
        if not (v.isdigit() and lo <= len(v) <= hi):
            raise QueryError(f"{name} must be CAMEO codes of {lo}-{hi} digits (e.g. 04, 040); got {v[:40]!r}")
        return v.zfill(pad) if pad else v
    return check


_SECTOR = _one_of("sector", SECTORS, str.upper)
_PLOVER = _one_of("plover_type", PLOVER_TYPES, str.upper)
_STATUS = _one_of("status", STATUSES, str.lower)
_STANCE = _one_of("stance", STANCES, str.lower)
_ROOT = _digits("cameo_root", 1, 2, pad=2)
_CAMEO = _digits("cameo_code", 2, 4)


def page_size(limit, cap: int = MAX_LIMIT) -> Optional[int]:
    """A page size for SQL's LIMIT: at most `cap` (what the CLI and the HTTP API may ask for);
    None, which only library callers pass, is every row."""
    return None if limit is None else max(0, min(int(limit), cap))


def _rows(con, sql: str, params: list) -> list[dict]:
    cur = con.execute(sql, params)
    cols = [d[0] for d in cur.description]
    out = []
    for r in cur.fetchall():
        d = {}
        for c, v in zip(cols, r):
            d[c] = v.isoformat() if isinstance(v, date) else v
        out.append(d)
    return out


def _actor_match(side: str) -> str:
    """SQL matching one side against a code prefix or a country code (2 parameters)."""
    return f"(starts_with({side}_code, ?) OR {side}_country = ?)"


def dyad_where(a: str, b: str, directed: bool, alias: str = "") -> tuple[str, list]:
    """SQL matching a dyad of two code prefixes or countries: a as source and b as target, and
    with `directed=False` the other way round too."""
    p = alias + "." if alias else ""
    one = f"({_actor_match(p + 'source')} AND {_actor_match(p + 'target')})"
    if directed:
        return one, [a, a, b, b]
    return f"({one} OR {one})", [a, a, b, b, b, b, a, a]


def event_where(start=None, end=None, actor=None, source=None, target=None, country=None,
                sector=None, plover_type: Many = None, cameo_root: Many = None,
                cameo_code: Many = None, quad_class: Many = None, status: Many = None,
                place=None, text=None, article_id=None, cluster_id=None,
                publisher=None, min_confidence=None, reference: Optional[bool] = None,
                alias: str = "") -> tuple[str, list]:
    """The WHERE clause (and its parameters) for the event filters. `reference`: True for
    references to earlier events only, False for everything else, None for both."""
    p = alias + "." if alias else ""
    w, params = [], []
    if reference is not None:
        w.append(f"coalesce({p}reference, FALSE) = ?")
        params.append(bool(reference))
    date_range(w, params, p + "event_date", start, end)
    a = _code(actor, "actor")
    if a:
        w.append(f"({_actor_match(p + 'source')} OR {_actor_match(p + 'target')})")
        params += [a, a, a, a]
    for side, val in (("source", source), ("target", target)):
        v = _code(val, side)
        if v:
            w.append(_actor_match(p + side))
            params += [v, v]
    c = _code(country, "country")
    if c:
        w.append(f"({p}source_country = ? OR {p}target_country = ?)")
        params += [c, c]
    sec = _many(sector, _SECTOR)
    if sec:
        w.append(f"(list_contains(?, {p}source_sector) OR list_contains(?, {p}target_sector))")
        params += [sec, sec]
    for col, val, norm in (("plover_type", plover_type, _PLOVER),
                           ("cameo_root", cameo_root, _ROOT),
                           ("cameo_code", cameo_code, _CAMEO),
                           ("status", status, _STATUS)):
        vals = _many(val, norm)
        if vals:
            w.append(f"list_contains(?, {p}{col})")
            params.append(vals)
    qc = _many(quad_class)
    if qc:
        try:
            qc = [int(v) for v in qc]
        except ValueError:
            qc = [-1]
        if not all(0 <= v <= 4 for v in qc):
            raise QueryError(f"quad_class must be integers 0-4; got {str(quad_class)[:40]!r}")
        w.append(f"list_contains(?, {p}quad_class)")
        params.append(qc)
    if place:
        w.append(f"(contains(lower({p}location_name), lower(?)) OR {p}location_country = upper(?))")
        params += [str(place), str(place)]
    if text:
        # search_text is the sentence and actor names, lower-cased when stored
        w.append(f"contains({p}search_text, ?)")
        params.append(str(text).lower())
    if article_id:
        w.append(f"{p}article_id = ?")
        params.append(str(article_id))
    if cluster_id:
        w.append(f"{p}cluster_id = ?")
        params.append(str(cluster_id))
    xw, xp = source_where(publisher=publisher, min_confidence=min_confidence, alias=alias)
    w += xw
    params += xp
    return (" AND ".join(w) if w else "TRUE"), params


# The publisher of an article: its source name, else its URL's host (as the exports name it).
PUBLISHER_SQL = ("coalesce(nullif(a.source_name, ''), "
                 "regexp_extract(a.url, '^[a-z]+://(?:www\\.)?([^/]+)', 1))")


def source_where(publisher=None, min_confidence=None, alias: str = "") -> tuple[list, list]:
    """The publisher (case-insensitive, exact) and minimum-confidence filters of event_where."""
    p = alias + "." if alias else ""
    w, params = [], []
    if publisher not in (None, ""):
        w.append(f"{p}article_id IN (SELECT a.article_id FROM articles a "
                 f"WHERE lower({PUBLISHER_SQL}) = lower(?))")
        params.append(str(publisher).strip())
    if min_confidence not in (None, ""):
        try:
            c = float(min_confidence)
        except (TypeError, ValueError):
            raise QueryError(f"min_confidence must be a number from 0 to 1, got "
                             f"{str(min_confidence)[:40]!r}") from None
        if not 0.0 <= c <= 1.0:
            raise QueryError(f"min_confidence must be a number from 0 to 1, got {c}")
        w.append(f"{p}confidence >= ?")
        params.append(c)
    return w, params

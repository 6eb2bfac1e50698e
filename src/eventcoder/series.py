"""Time series an analyst can read: every period present (empty ones count zero), a default span
that holds the bulk of the data, and optional normalisation by the number of articles.

The counting stays in `query` (`dyad_series`, `actor_profile`'s trend); this module shapes those
rows the same way for the HTTP API, the CLI and the dashboard:

    dyad(con, "USA", "RUS", interval="week")                  # bulk span, zero-filled
    dyad(con, "USA", "RUS", span="all", normalise="articles")
    shape(rows, "month", con=con, start="2025-01-01")          # any {period, counts...} rows

Span (`span=`), unless `start`/`end` fix it:
  "bulk"  from the period holding the 1st percentile of the events to the one holding the 99th
          (nearest rank over the events, so nothing is dropped below 100 events and at most ~1% on
          each side above it: a stray event dated decades away no longer stretches the axis);
  "all"   from the first to the last period with events.
An explicit `start` or `end` wins on its side. Events outside the span are counted in
`span["outside"]`, never dropped silently.

Zero fill (`fill=True`): every period of the span is present; integer counts of an empty period
are 0, a `*_sum` is 0.0, and a mean (e.g. `goldstein_mean`) is None (the mean of no events is
undefined, not zero). A span of more than MAX_PERIODS periods is not filled, and
`span["not_filled"]` says why.

Normalisation (`normalise="articles"`): each row gains `articles` (articles in the store published
in that period: the news volume) and `<count>_per_100_articles` for every integer count (None
when the period has no article).
"""
from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Optional

from . import query as q

SPANS = ("bulk", "all")
NORMALISE = ("none", "articles")
BULK = (0.01, 0.99)
MAX_PERIODS = 5000


# ---------------------------------------------------------------- periods
def _as_date(value, name: str = "date") -> Optional[date]:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(q._date(value, name))


def period_start(d: date, interval: str) -> date:
    """The first day of the day/week (Monday)/month holding `d` (as DuckDB's date_trunc)."""
    if interval == "day":
        return d
    if interval == "week":
        return d - timedelta(days=d.weekday())
    if interval == "month":
        return d.replace(day=1)
    raise q.QueryError(f"interval must be one of {', '.join(q.INTERVALS)}")


def next_period(d: date, interval: str) -> date:
    if interval == "day":
        return d + timedelta(days=1)
    if interval == "week":
        return d + timedelta(days=7)
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1)


def periods(first: date, last: date, interval: str) -> list[date]:
    """Every period start from the period of `first` to that of `last`, inclusive."""
    p, end, out = period_start(first, interval), period_start(last, interval), []
    while p <= end:
        out.append(p)
        if len(out) > MAX_PERIODS:
            raise q.QueryError(f"{first} to {last} is more than {MAX_PERIODS} {interval}s: "
                               f"choose a longer interval or a shorter span")
        p = next_period(p, interval)
    return out


# ---------------------------------------------------------------- span
def bulk_window(rows: list[dict], lo: float = BULK[0], hi: float = BULK[1],
                key: str = "events") -> tuple[Optional[str], Optional[str]]:
    """The periods holding the `lo` and `hi` quantiles of the events (nearest rank).

    `rows` are {"period": ISO date, key: count} sorted by period. Returns (None, None) when no
    row counts an event."""
    rows = [r for r in rows if r.get(key)]
    n = sum(int(r[key]) for r in rows)
    if not n:
        return None, None
    rank_lo, rank_hi = max(1, math.ceil(lo * n)), max(1, math.ceil(hi * n))
    first = last = None
    seen = 0
    for r in rows:
        seen += int(r[key])
        if first is None and seen >= rank_lo:
            first = r["period"]
        if seen >= rank_hi:
            last = r["period"]
            break
    return first, last


def _zero(sample: dict) -> dict:
    out = {}
    for k, v in sample.items():
        if k == "period":
            continue
        if k.endswith("_sum"):
            out[k] = 0.0
        elif isinstance(v, int) and not isinstance(v, bool):
            out[k] = 0
        else:
            out[k] = None
    return out


def _count_keys(rows: list[dict]) -> list[str]:
    keys: list[str] = []
    for r in rows:
        for k, v in r.items():
            if k != "period" and k not in keys and isinstance(v, int) and not isinstance(v, bool):
                keys.append(k)
    return keys


def articles_per_period(con, interval: str, first: date, last: date) -> dict[str, int]:
    """Articles in the store published in each period from `first` to the end of `last`'s."""
    if interval not in q.INTERVALS:
        raise q.QueryError(f"interval must be one of {', '.join(q.INTERVALS)}")
    end = next_period(period_start(last, interval), interval)
    rows = con.execute(
        f"SELECT CAST(date_trunc('{interval}', published) AS DATE), count(*) FROM articles "
        "WHERE published >= CAST(? AS DATE) AND published < CAST(? AS DATE) GROUP BY 1",
        [period_start(first, interval).isoformat(), end.isoformat()]).fetchall()
    return {p.isoformat(): n for p, n in rows}


def shape(rows: list[dict], interval: str, start=None, end=None, span: str = "bulk",
          fill: bool = True, normalise: str = "none", con=None, key: str = "events") -> dict:
    """Trim `rows` ({"period": ISO, counts...}, sorted) to the span, zero-fill and normalise.

    Returns {"series": rows, "span": {"mode", "start", "end", "periods", "events", "outside"}}:
    `start`/`end` are the first and last period starts shown; `events` the events they hold and
    `outside` those of the input left out by the span."""
    if span not in SPANS:
        raise q.QueryError(f"span must be one of {', '.join(SPANS)}")
    if normalise not in NORMALISE:
        raise q.QueryError(f"normalise must be one of {', '.join(NORMALISE)}")
    if interval not in q.INTERVALS:
        raise q.QueryError(f"interval must be one of {', '.join(q.INTERVALS)}")
    s, e = _as_date(start, "start"), _as_date(end, "end")
    total = sum(int(r.get(key) or 0) for r in rows)
    if span == "bulk":
        lo, hi = bulk_window(rows, key=key)
    else:
        dated = [r["period"] for r in rows]
        lo, hi = (dated[0], dated[-1]) if dated else (None, None)
    first = period_start(s, interval) if s else _as_date(lo)
    last = period_start(e, interval) if e else _as_date(hi)
    mode = "given" if s and e else span
    if first is None or last is None or (s and e and s > e):  # nothing to frame
        return {"series": [], "span": {"mode": mode, "start": None, "end": None, "periods": 0,
                                       "events": 0, "outside": total}}
    if first > last:  # one explicit side beyond all the data
        first, last = last, first
    a, b = first.isoformat(), last.isoformat()
    kept = [r for r in rows if a <= str(r["period"]) <= b]
    filled = fill
    if fill:
        by_period = {str(r["period"]): r for r in kept}
        zero = _zero(rows[0]) if rows else {key: 0}
        try:
            kept = [by_period.get(p.isoformat()) or {"period": p.isoformat(), **zero}
                    for p in periods(first, last, interval)]
        except q.QueryError:  # too many periods to list: the periods with events only
            filled = False
    shown = sum(int(r.get(key) or 0) for r in kept)
    if normalise == "articles":
        if con is None:
            raise ValueError("normalise='articles' needs a connection")
        arts = articles_per_period(con, interval, first, last)
        counts = [k for k in _count_keys(kept) if k != "articles"]
        kept = [dict(r) for r in kept]
        for r in kept:
            n = arts.get(str(r["period"]), 0)
            r["articles"] = n
            for k in counts:
                r[f"{k}_per_100_articles"] = round(100.0 * r[k] / n, 4) if n and r.get(k) is not None else None
    out = {"mode": mode, "start": a, "end": b, "periods": len(kept), "events": shown,
           "outside": total - shown}
    if fill and not filled:
        out["not_filled"] = (f"{a} to {b} is more than {MAX_PERIODS} {interval}s: only the periods "
                             f"with events are listed (choose a longer interval or a shorter span)")
    return {"series": kept, "span": out}


# ---------------------------------------------------------------- the series the views show
def dyad(con, a: str, b: str, interval: str = "week", start=None, end=None,
         directed: bool = False, span: str = "bulk", fill: bool = True,
         normalise: str = "none", **filters) -> dict:
    """A dyad's counts per period (query.dyad_series), shaped as above."""
    rows = q.dyad_series(con, a, b, interval=interval, start=start, end=end, directed=directed,
                         **filters)
    out = shape(rows, interval, start=start, end=end, span=span, fill=fill,
                normalise=normalise, con=con)
    return {"a": q._code(a, "a"), "b": q._code(b, "b"), "interval": interval,
            "directed": directed, "normalise": normalise, **out}


def actor_trend(con, profile: dict, interval: str = "month", start=None, end=None,
                span: str = "bulk", fill: bool = True, normalise: str = "none") -> dict:
    """An actor profile (query.actor_profile) with its `trend` shaped and `trend_span` added."""
    out = shape(profile.get("trend") or [], interval, start=start, end=end, span=span,
                fill=fill, normalise=normalise, con=con)
    return {**profile, "trend": out["series"], "trend_span": out["span"]}


def overall(con, interval: Optional[str] = None, span: str = "bulk", normalise: str = "none",
            **filters) -> dict:
    """All events per period (the home page's "events over time"), by quad class. `interval`
    None picks day (span up to 62 days), week (up to 2 years) or month."""
    fw, fp = q.event_where(**filters)
    if interval is None:
        d = con.execute(f"SELECT quantile_disc(event_date, {BULK[0]}), "
                        f"quantile_disc(event_date, {BULK[1]}) FROM events "
                        f"WHERE event_date IS NOT NULL AND {fw}", fp).fetchone()
        days = (d[1] - d[0]).days if d[0] and d[1] else 0
        interval = "day" if days <= 62 else "week" if days <= 730 else "month"
    if interval not in q.INTERVALS:
        raise q.QueryError(f"interval must be one of {', '.join(q.INTERVALS)}")
    rows = q._rows(con, f"""
        SELECT CAST(date_trunc('{interval}', event_date) AS DATE) AS period, count(*) AS events,
               count(*) FILTER (WHERE quad_class IN (1, 2)) AS cooperation,
               count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict
        FROM events WHERE event_date IS NOT NULL AND {fw} GROUP BY 1 ORDER BY 1""", fp)
    return {"interval": interval, **shape(rows, interval, span=span, normalise=normalise, con=con,
                                          start=filters.get("start"), end=filters.get("end"))}

"""Deduplication across articles: the same event reported several times becomes one cluster.

The rule (documented in docs/store.md, configurable with `DedupRule`):

* **Both actors, always.** A mention whose source or target is empty (no country and no code) is
  never merged with anything: an empty slot is not a wildcard.
* **Blocks.** Mentions can merge only inside one block: the same event type (`type_level`: the
  PLOVER type, else the CAMEO root; or the CAMEO root, base or full code), the same pair of actor
  countries (an actor without a country is known by its code) in either order, and the same
  polarity (a negated event never merges with an asserted one). The block is the stored `ckey`.
* **Actors at the level the mentions agree on** (`actor_level`): the countries are equal (the
  block says so); sectors must be equal when both mentions give one ("USA" matches "USAGOV", but
  "USAGOV" does not match "USAMIL"); with `actor_level="name"` (the default) canonical names must
  be equal when both give one (Trump is not Pompeo). A cluster keeps the most specific actor seen
  so far, so "USA" cannot chain "USAGOV" and "USAMIL" together.
* **Direction.** Source matches source and target matches target; a reciprocal act (meetings,
  talks, visits, negotiation, cooperation agreements: `RECIPROCAL_BASES`) matches in either
  direction when both mentions are reciprocal (`reciprocal=True`); "A hosts B" (043) is compared
  as "B visits A" (042) when types are compared at the PLOVER or root level.
* **Dates.** A day-precision mention joins a cluster when it falls within `window` days of the
  cluster's day-precision mentions (so with window 1, the 10th, 11th and 12th chain); a month- or
  year-precision mention joins when its month/year overlaps the cluster's dates (± window); a
  reference without a date joins a cluster of an event dated no later than its article's
  publication. Mentions with no date that are not references are never merged.
* **Order.** Inside a block, day-precision mentions are placed first (by date, the more specific
  actors first, then event id), then month- and year-precision ones, then undated references; each joins the compatible cluster
  with the most mentions (ties: the earliest), else starts one. The result depends only on the
  block's mentions, never on the order articles arrived in.
* A cluster counts its mentions (NumMentions), distinct articles (NumArticles) and distinct sources
  (NumSources: the article's source name, else the host of its URL, else the article itself), with
  first and last seen dates. Its representative event is the earliest non-reference mention (by
  event date, then publication date, then ingest time, then event id).

The cluster id is a hash of the block and the cluster's first date (and of the mention that
started it when several clusters of a block start on the same date), so it is stable while new
mentions are added on later dates.
"""
from __future__ import annotations

import json
from collections import namedtuple
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Optional

from .errors import UsageError

Setting = namedtuple("Setting", ("name", "default", "help"))
ACTOR_LEVELS = ("country", "sector", "name")
TYPE_LEVELS = ("plover", "root", "base", "code")
SETTINGS = (
    Setting("window", 0, "days between two day-precision mentions of one event (0: same day)"),
    Setting("actor_level", "name", "how far actors must agree where both mentions say: "
                                   "country | sector | name"),
    Setting("type_level", "plover", "what makes two acts one kind: plover (PLOVER type, else CAMEO "
                                    "root) | root | base (3 digits) | code"),
    Setting("reciprocal", True, "meetings, talks and cooperation agreements match in either direction"),
    Setting("scorer", None, "a learned pair scorer (eventcoder.dedup_score: a model file, or "
                            "'shipped') decides which candidate mentions of a block merge; "
                            "none: the date rule above"),
    Setting("threshold", None, "with a scorer: the score at which two mentions merge "
                               "(default: the model's own)"),
)
# CAMEO bases of acts that are one event whichever side is named first: consult, phone, sign an agreement; material cooperation.
# meet, negotiate; sign an agreement; material cooperation. A visit has a direction, but "A hosts
# B" (043) is "B visits A" (042): hosting is compared with its actors swapped.
RECIPROCAL_BASES = frozenset({"040", "041", "044", "046", "057", "060", "061", "062", "063", "064"})
HOST_BASE = "043"


@dataclass(frozen=True)
class DedupRule:
    window: int = 0
    actor_level: str = "name"
    type_level: str = "plover"
    reciprocal: bool = True
    scorer: Optional[str] = None
    threshold: Optional[float] = None

    def __post_init__(self) -> None:
        if not isinstance(self.window, int) or isinstance(self.window, bool) or self.window < 0:
            raise UsageError(f"the dedup window is a number of days >= 0, got {self.window!r}")
        if self.actor_level not in ACTOR_LEVELS:
            raise UsageError(f"actor_level must be one of {', '.join(ACTOR_LEVELS)}, got {self.actor_level!r}")
        if self.type_level not in TYPE_LEVELS:
            raise UsageError(f"type_level must be one of {', '.join(TYPE_LEVELS)}, got {self.type_level!r}")
        if self.scorer is not None and (not isinstance(self.scorer, str) or not self.scorer):
            raise UsageError(f"the dedup scorer is a model file or 'shipped', got {self.scorer!r}")
        if self.threshold is not None and (isinstance(self.threshold, bool)
                                           or not isinstance(self.threshold, (int, float))
                                           or not 0.0 < self.threshold < 1.0):
            raise UsageError(f"the dedup threshold is a score between 0 and 1, got {self.threshold!r}")
        if self.threshold is not None and self.scorer is None:
            raise UsageError("a dedup threshold needs a scorer (the date rule has no threshold)")

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: Optional[str], window: Optional[int] = None) -> "DedupRule":
        d = json.loads(text) if text else {}
        d = {k: v for k, v in d.items() if k in {s.name for s in SETTINGS}}
        if window is not None:
            d["window"] = int(window)
        return cls(**d)

    def replace(self, **changes) -> "DedupRule":
        """A copy with the settings given (None: keep; scorer "none": no scorer)."""
        d = asdict(self)
        d.update({k: v for k, v in changes.items() if v is not None})
        if d.get("scorer") == "none":
            d["scorer"] = d["threshold"] = None
        return DedupRule(**d)


# A new store clusters with the shipped pair scorer, actors compared by sector (names are a
# feature of the score): on the 420 labelled AllSides pairs it beats the date rule on precision
# and recall (docs/store.md). `DATE_RULE` is the rule alone; a store keeps the rule it was made
# with, and one written before the scorer (no "scorer" in its meta) keeps the date rule.
DATE_RULE = DedupRule()
DEFAULT_RULE = DedupRule(actor_level="sector", scorer="shipped")


# ---------------------------------------------------------------- the key (block)
def _block_actor(row: dict, side: str) -> Optional[str]:
    return row.get(f"{side}_country") or row.get(f"{side}_code") or None


def _type(row: dict, rule: DedupRule) -> str:
    code = row.get("cameo_code") or ""
    if rule.type_level == "plover":
        return row.get("plover_type") or ("R" + (row.get("cameo_root") or code[:2]))
    if rule.type_level == "root":
        return row.get("cameo_root") or code[:2]
    if rule.type_level == "base":
        return row.get("cameo_base") or code[:3]
    return code


def cluster_key(row: dict, rule: DedupRule = DEFAULT_RULE) -> str:
    """The dedup block of one flattened event row (see the module docstring)."""
    a, b = _block_actor(row, "source"), _block_actor(row, "target")
    if not a or not b:
        return "E|" + row["event_id"]
    neg = "N" if row.get("status") == "negated" else ""
    lo, hi = sorted((a, b))
    return f"{_type(row, rule)}|{lo}|{hi}|{neg}"


# ---------------------------------------------------------------- clustering one block
_FIELDS = {"country": ("country",), "sector": ("country", "sector"), "name": ("country", "sector", "name")}


def _actor(row: dict, side: str, level: str) -> tuple:
    out = []
    for f in _FIELDS[level]:
        v = row.get(f"{side}_{f}")
        if f == "sector" and v == "UNK":
            v = None
        if f == "country" and not v:
            v = row.get(f"{side}_code")  # known by its code alone: the block already equated them
        out.append(v or None)
    return tuple(out)


def _agree(profile: list, actor: tuple) -> bool:
    for p, v in zip(profile, actor):
        if p is not None and v is not None and p != v:
            return False
    return True


def _merge(profile: list, actor: tuple) -> None:
    for i, v in enumerate(actor):
        if profile[i] is None and v is not None:
            profile[i] = v


def _interval(d: date, precision: str) -> tuple[date, date]:
    if precision == "year":
        return date(d.year, 1, 1), date(d.year, 12, 31)
    if precision == "month":
        nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        return date(d.year, d.month, 1), nxt - timedelta(days=1)
    return d, d


class _Cluster:
    __slots__ = ("seed", "src", "tgt", "recip", "days", "coarse", "first", "n")

    def __init__(self, m: dict) -> None:
        self.seed = m["event_id"]
        self.src, self.tgt = list(m["_src"]), list(m["_tgt"])
        self.recip = m["_recip"]
        self.days = self.coarse = None
        self.first = None
        self.n = 0
        self.add(m, False)

    def actors_match(self, m: dict, reciprocal: bool) -> Optional[bool]:
        """None: no match; False: matches as is; True: matches with source and target swapped."""
        if _agree(self.src, m["_src"]) and _agree(self.tgt, m["_tgt"]):
            return False
        if reciprocal and self.recip and m["_recip"] and _agree(self.src, m["_tgt"]) \
                and _agree(self.tgt, m["_src"]):
            return True
        return None

    def dates_match(self, m: dict, pad: timedelta) -> bool:
        lo, hi = m["_span"] if m["_span"] else (None, None)
        if lo is None:  # an undated reference: the event it refers to happened before its article
            pub = m.get("published")
            return pub is None or self.first is None or self.first <= pub
        for span in (self.days, self.coarse):
            if span is not None and (lo - pad > span[1] or hi + pad < span[0]):
                return False
        return True

    def add(self, m: dict, swapped: bool) -> None:
        src, tgt = (m["_tgt"], m["_src"]) if swapped else (m["_src"], m["_tgt"])
        _merge(self.src, src)
        _merge(self.tgt, tgt)
        self.recip = self.recip and m["_recip"]
        if m["_span"]:
            lo, hi = m["_span"]
            if m["_prec"] == "day":
                self.days = (lo, hi) if self.days is None else (min(self.days[0], lo), max(self.days[1], hi))
            else:
                self.coarse = (lo, hi) if self.coarse is None else (max(self.coarse[0], lo), min(self.coarse[1], hi))
            self.first = lo if self.first is None else min(self.first, lo)
        self.n += 1


def mention(r: dict, rule: DedupRule = DEFAULT_RULE) -> dict:
    """A copy of an event row with what clustering compares: `_src`/`_tgt` (actors at the rule's
    level; a host's actors swapped), `_recip`, `_span` (the days its date covers, or None) and
    `_prec`."""
    m = dict(r)
    m["_src"], m["_tgt"] = _actor(r, "source", rule.actor_level), _actor(r, "target", rule.actor_level)
    base = r.get("cameo_base") or (r.get("cameo_code") or "")[:3]
    m["_recip"] = base in RECIPROCAL_BASES
    if base == HOST_BASE and rule.type_level in ("plover", "root"):
        m["_src"], m["_tgt"] = m["_tgt"], m["_src"]  # A hosts B = B visits A
    d = r.get("event_date")
    prec = r.get("date_precision") or "day"
    if d is None or prec == "none":
        m["_span"], m["_prec"] = None, "none"
    else:
        m["_span"], m["_prec"] = _interval(d, prec), prec
    return m


def actors_agree(a: dict, b: dict, reciprocal: bool = True) -> Optional[bool]:
    """Whether two mentions' actors agree (None: no; False: as stated; True: with b's source and
    target swapped, for two reciprocal acts)."""
    if _agree(a["_src"], b["_src"]) and _agree(a["_tgt"], b["_tgt"]):
        return False
    if reciprocal and a["_recip"] and b["_recip"] and _agree(a["_src"], b["_tgt"]) \
            and _agree(a["_tgt"], b["_src"]):
        return True
    return None


def assign(rows: list, rule: DedupRule = DEFAULT_RULE) -> dict:
    """event_id -> (cluster seed event id, cluster first date or None) for the mentions of ONE
    block (rows with event_id, event_date, date_precision, reference, published and the actor
    fields)."""
    singles, day, coarse, undated = [], [], [], []
    for r in rows:
        m = mention(r, rule)
        if m["_span"] is None:
            (undated if r.get("reference") else singles).append(m)
        else:
            (day if m["_prec"] == "day" else coarse).append(m)
    if rule.scorer is not None:
        return _assign_scored(day + coarse + undated, singles, rule)

    def spec(m):  # the more specific mentions start clusters; vaguer ones then join them
        return -sum(v is not None for side in ("_src", "_tgt") for v in m[side])

    day.sort(key=lambda m: (m["event_date"], spec(m), m["event_id"]))
    coarse.sort(key=lambda m: (m["_prec"] != "month", m["_span"][0], spec(m), m["event_id"]))
    undated.sort(key=lambda m: (m.get("published") or date.max, spec(m), m["event_id"]))
    clusters: list = []
    out: dict = {}
    live: list = []  # during the day phase: clusters a later day can still join
    pad = timedelta(days=rule.window)
    today = None
    for n, m in enumerate(day + coarse + undated):
        if n < len(day):
            if m["event_date"] != today:  # a new day: drop the clusters it can no longer join
                today = m["event_date"]
                live = [c for c in live if c.days is None or c.days[1] + pad >= today]
            pool = live
        else:
            pool = clusters
        best, swap = None, False
        for c in pool:
            how = c.actors_match(m, rule.reciprocal)
            if how is None or not c.dates_match(m, pad):
                continue
            if best is None or c.n > best.n:
                best, swap = c, how
        if best is None:
            best = _Cluster(m)
            clusters.append(best)
            if n < len(day):
                live.append(best)
        else:
            best.add(m, swap)
        out[m["event_id"]] = best
    for m in singles:
        out[m["event_id"]] = None
    return {eid: ((c.seed, c.first) if c is not None else (eid, None)) for eid, c in out.items()}


def _assign_scored(ms: list, singles: list, rule: DedupRule) -> dict:
    """assign() with a learned scorer (eventcoder.dedup_score): candidates by plausible dates,
    merges by score; the seed of a cluster is its earliest mention."""
    from . import dedup_score

    scorer = dedup_score.get_scorer(rule.scorer)
    threshold = rule.threshold if rule.threshold is not None else scorer.threshold
    for m in ms:
        dedup_score.prepare(m, rule.window)
    out = {}
    for group in dedup_score.cluster(ms, scorer, threshold, rule.reciprocal, _agree):
        mem = [ms[i] for i in group]
        spans = [m["_span"][0] for m in mem if m["_span"]]
        days = [m["_span"][0] for m in mem if m["_span"] and m["_prec"] == "day"]
        first = min(days or spans) if spans else None
        seed = min(mem, key=lambda m: (m["_span"][0] if m["_span"] else date.max, m["event_id"]))
        for m in mem:
            out[m["event_id"]] = (seed["event_id"], first)
    for m in singles:
        out[m["event_id"]] = (m["event_id"], None)
    return out


# ---------------------------------------------------------------- the store side
_SOURCE_OF = ("coalesce(nullif(a.source_name, ''), "
              "nullif(regexp_extract(a.url, '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]+)', 1), ''), "
              "'article:' || a.article_id)")
_ROW_COLS = ("event_id", "article_id", "sentence", "trigger", "ckey", "event_date", "date_precision", "reference", "published", "status",
             "cameo_code", "cameo_base", "cameo_root", "plover_type",
             "source_country", "source_sector", "source_name", "source_code",
             "target_country", "target_sector", "target_name", "target_code")


def _fetch(con, where: str = "", params: Optional[list] = None) -> list:
    cur = con.execute(f"SELECT {', '.join(_ROW_COLS)} FROM events {where}", params or [])
    return [dict(zip(_ROW_COLS, r)) for r in cur.fetchall()]


def _cluster_id(ckey: str, first: Optional[date], seed: str) -> str:
    from .model import stable_id

    return stable_id("cluster", ckey, first.isoformat() if first else None, seed)


def recluster(con, rule, keys: Optional[list] = None) -> None:
    """Recompute cluster ids and the event_clusters rows for the blocks `keys` (all when None:
    the blocks themselves are recomputed too, for a changed rule). Runs inside the caller's
    transaction. `rule` is a DedupRule (or a window in days, with the default rule otherwise)."""
    if not isinstance(rule, DedupRule):
        rule = DEFAULT_RULE.replace(window=int(rule))
    if keys is None:
        rows = _fetch(con)
        changed = []
        for r in rows:
            k = cluster_key(r, rule)
            if k != r["ckey"]:
                changed.append((r["event_id"], k))
                r["ckey"] = k
        if changed:
            _update(con, "ckey", changed)
    else:
        con.execute("CREATE OR REPLACE TEMP TABLE _ckeys AS SELECT unnest(?::VARCHAR[]) AS ckey",
                    [list(keys)])
        rows = _fetch(con, "WHERE ckey IN (SELECT ckey FROM _ckeys)")
    blocks: dict = {}
    for r in rows:
        blocks.setdefault(r["ckey"], []).append(r)
    ids = []
    for ckey, members in blocks.items():
        got = assign(members, rule)
        # the id is hash(block, first date); the starting mention is added only when several
        # clusters of the block start on one date (undated clusters always have several)
        starts: dict = {}
        for seed, first in set(got.values()):
            starts[first] = starts.get(first, 0) + 1
        for eid, (seed, first) in got.items():
            ids.append((eid, _cluster_id(ckey, first, seed if first is None or starts[first] > 1 else None)))
    _update(con, "cluster_id", ids)
    if keys is not None:
        con.execute("DELETE FROM event_clusters WHERE ckey IN (SELECT ckey FROM _ckeys)")
        scope_e = "WHERE e.ckey IN (SELECT ckey FROM _ckeys)"
    else:
        con.execute("DELETE FROM event_clusters")
        scope_e = ""
    order = "e.reference NULLS FIRST, e.event_date NULLS LAST, e.published NULLS LAST, a.ingested_at, e.event_id"
    con.execute(f"""
        INSERT INTO event_clusters
        SELECT e.cluster_id,
               any_value(e.ckey),
               first(e.source_code ORDER BY {order}), first(e.target_code ORDER BY {order}),
               first(e.cameo_base ORDER BY {order}),
               bool_or(e.status = 'negated'),
               first(e.event_id ORDER BY {order}),
               -- a coarse date (a month, a year) says less than the days it covers
               coalesce(min(e.event_date) FILTER (WHERE coalesce(e.date_precision, 'day') = 'day'),
                        min(e.event_date)),
               coalesce(max(e.event_date) FILTER (WHERE coalesce(e.date_precision, 'day') = 'day'),
                        max(e.event_date)),
               count(*), count(DISTINCT {_SOURCE_OF}), count(DISTINCT e.article_id),
               min(a.ingested_at)
        FROM events e JOIN articles a USING (article_id)
        {scope_e}
        GROUP BY e.cluster_id
    """)
    if keys is not None:
        con.execute("DROP TABLE IF EXISTS _ckeys")


def _update(con, column: str, pairs: list) -> None:
    """UPDATE events SET column = value for (event_id, value) pairs, in one statement."""
    if not pairs:
        return
    import pyarrow as pa  # here, so that importing the row conversions stays light

    tbl = pa.table({"event_id": [p[0] for p in pairs], "v": [p[1] for p in pairs]},
                   schema=pa.schema([("event_id", pa.string()), ("v", pa.string())]))
    con.register("_dedup_upd", tbl)
    try:
        con.execute(f"""
            UPDATE events SET {column} = u.v FROM _dedup_upd u
            WHERE events.event_id = u.event_id AND events.{column} IS DISTINCT FROM u.v""")
    finally:
        con.unregister("_dedup_upd")


def refresh_actors(con, codes: Optional[list] = None) -> None:
    """Recompute the `actors` rows (code, name -> counts) for `codes` (all when None)."""
    if codes is not None:
        con.execute("CREATE OR REPLACE TEMP TABLE _acodes AS SELECT unnest(?::VARCHAR[]) AS code",
                    [list(codes)])
        con.execute("DELETE FROM actors WHERE code IN (SELECT code FROM _acodes)")
        scope = "AND code IN (SELECT code FROM _acodes)"
    else:
        con.execute("DELETE FROM actors")
        scope = ""
    con.execute(f"""
        INSERT INTO actors
        WITH m AS (
            SELECT source_code AS code, coalesce(nullif(source_name, ''), source_text, '') AS name,
                   source_country AS country, source_sector AS sector, 1 AS src, 0 AS tgt,
                   event_date
            FROM events WHERE source_code IS NOT NULL
            UNION ALL
            SELECT target_code, coalesce(nullif(target_name, ''), target_text, ''),
                   target_country, target_sector, 0, 1, event_date
            FROM events WHERE target_code IS NOT NULL
        )
        SELECT code, name, any_value(country), any_value(sector), count(*), sum(src), sum(tgt),
               min(event_date), max(event_date)
        FROM m WHERE TRUE {scope}
        GROUP BY code, name
    """)
    if codes is not None:
        con.execute("DROP TABLE IF EXISTS _acodes")


__all__ = ["DedupRule", "DATE_RULE", "DEFAULT_RULE", "SETTINGS", "RECIPROCAL_BASES", "assign", "cluster_key",
           "recluster", "refresh_actors"]

"""A learned scorer of mention pairs for deduplication (opt-in: `DedupRule(scorer=...)`).

The rule of `eventcoder.dedup` merges mentions of one block (type, country pair, polarity) that
fall within `window` days. That misses one event told on two dates: "ahead of this week's summit"
is dated on its article's Monday, "returned from the summit" on Friday's. With a scorer:

* **Candidates.** Each mention gets the span of days the event it names can fall in
  (`plausible`): its own day ± `window`; from its day up to `PLANNED_DAYS` later when the mention is
  planned or possible or its sentence looks ahead ("will", "ahead of", "upcoming", "next week");
  back to `PAST_DAYS` earlier when it is a reference or its sentence looks back ("returned from",
  "last week", "ago", "after the"); the whole month or year of a coarse date; anything up to its
  article's publication for an undated reference. Two mentions of one block are a candidate pair
  when their spans overlap and their actors agree as the rule requires (`actor_level`, direction,
  reciprocal acts): a candidate never joins actors that differ where both name one.
* **Score.** A logistic model over the pair's features (`FEATURES`: date gap and precisions, the
  look-ahead / look-back cues and whether they point at the other date, actor agreement, CAMEO
  agreement, word, name and number overlap of the two sentences, ...) gives P(same event).
* **Clusters.** Candidate pairs scoring at least the threshold are linked best first; two clusters
  join when their actors still agree and the mean score over all their cross pairs (0 for a pair
  that is not a candidate) reaches the threshold, so a chain of look-alikes does not make one event.

The model is a small `.npz` (`save` / `load`): feature names, standardisation, weights, bias and
the threshold chosen on training pairs. `eventcoder.dedup_train` fits it on labelled pairs.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Optional

from .errors import UsageError

PLANNED_DAYS = 21   # a look-ahead mention can name an event this many days after its date
PAST_DAYS = 21      # a look-back mention or reference: this many days before
SHIPPED = "shipped"  # DedupRule(scorer="shipped") is the model in eventcoder/data
SHIPPED_PATH = Path(__file__).parent / "data" / "dedup_pairs.npz"

_AHEAD = re.compile(
    r"\b(?:will|'ll|shall|ahead\s+of|upcoming|forthcoming|set\s+to|due\s+to|plans?\s+to|planned|"
    r"planning|scheduled|expected\s+to|next\s+(?:week|month|year)|tomorrow|this\s+coming|"
    r"prepar(?:e|es|ing)\s+(?:to|for)|is\s+to|are\s+to|in\s+the\s+run-up|before\s+(?:the|his|her|its|their))\b",
    re.I)
_BACK = re.compile(
    r"\b(?:returned|returning|back\s+from|after\s+(?:the|his|her|its|their|a|last)|last\s+(?:week|month|"
    r"year|night|weekend)|ago|earlier\s+this|previous|earlier|yesterday|since|following\s+(?:the|his|"
    r"her|its|their)|in\s+the\s+wake|aftermath|was\s+held|took\s+place|had\s+\w+ed)\b", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+|\d[\d,.]*")
_STOP = frozenset("""a an the and or but of to in on at by for from with as is are was were be been being
has have had will would could should may might can this that these those it its their his her they he she
we our you your i not no said says say told also after before over about into than then there here which who
whom whose what when where while more most other some such only own same so very just up out new one two
mr ms mrs""".split())


def _stem(w: str) -> str:
    w = w.lower().strip("'-")
    for suf in ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "s"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)]
    return w


NEAR = 6  # words either side of the trigger that describe the act itself


def _words(sentence: str, trigger: str = "") -> tuple:
    """(content stems, capitalised words not opening the sentence, numbers, content stems within
    `NEAR` words of the trigger, long stems: 7+ letters) of a sentence."""
    stems, names, nums, near, long_ = set(), set(), set(), set(), set()
    toks = [m.group(0) for m in _WORD.finditer(sentence or "")]
    first = (trigger or "").split()[0].lower() if (trigger or "").split() else ""
    at = next((i for i, w in enumerate(toks) if w.lower() == first), None)
    for i, w in enumerate(toks):
        if w[0].isdigit():
            nums.add(w.rstrip(".,"))
            continue
        low = w.lower()
        if low in _STOP:
            continue
        st = _stem(low)
        stems.add(st)
        if len(st) >= 7:
            long_.add(st)
        if at is not None and abs(i - at) <= NEAR and i != at:
            near.add(st)
        if w[0].isupper() and i > 0:
            names.add(low)
    return frozenset(stems), frozenset(names), frozenset(nums), frozenset(near), frozenset(long_)


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if (a or b) else 0.0


# ---------------------------------------------------------------- one mention
def prepare(m: dict, window: int) -> dict:
    """Add what the scorer reads to a mention dict of `dedup.assign` (which has `_span`, `_prec`,
    `_src`, `_tgt`): look-ahead / look-back cues and the plausible span of the event's days."""
    sent = m.get("sentence") or ""
    status = m.get("status") or "occurred"
    m["_ahead"] = status in ("planned", "possible") or bool(_AHEAD.search(sent))
    m["_back"] = bool(m.get("reference")) or bool(_BACK.search(sent))
    m["_words"] = _words(sent, m.get("trigger") or "")
    span = m.get("_span")
    pad = timedelta(days=window)
    if span is None:
        pub = m.get("published")
        m["_plaus"] = (date.min, pub) if (m.get("reference") and pub) else (
            (date.min, date.max) if m.get("reference") else None)
    else:
        lo, hi = span[0] - pad, span[1] + pad
        if m["_ahead"]:
            hi = max(hi, span[1] + timedelta(days=PLANNED_DAYS))
        if m["_back"]:
            lo = min(lo, span[0] - timedelta(days=PAST_DAYS))
        m["_plaus"] = (lo, hi)
    return m


def candidate(a: dict, b: dict) -> bool:
    """Whether the plausible spans of two prepared mentions overlap."""
    pa, pb = a.get("_plaus"), b.get("_plaus")
    return pa is not None and pb is not None and pa[0] <= pb[1] and pb[0] <= pa[1]


def _side_agree(x: tuple, y: tuple) -> tuple[int, int]:
    """(fields both give and agree on, fields both give) for two actor tuples."""
    both = agree = 0
    for u, v in zip(x, y):
        if u is not None and v is not None:
            both += 1
            agree += u == v
    return agree, both


FEATURES = ("gap", "log_gap", "same_day", "gap_le1", "gap_le7", "coarse", "undated", "ref_any",
            "ref_both", "ahead_any", "back_any", "cue_points", "cue_against", "plausible_overlap0",
            "actor_agree", "actor_given", "swapped", "same_plover", "same_root", "same_base",
            "same_code", "same_trigger", "word_jaccard", "words_shared", "name_jaccard",
            "names_shared", "numbers_shared", "same_status", "pub_gap", "same_article",
            "near_jaccard", "near_shared", "long_shared", "same_sentence")


def features(a: dict, b: dict, swapped: bool = False) -> list:
    """The feature vector (in `FEATURES` order) of two prepared mentions."""
    da, db_ = a.get("event_date"), b.get("event_date")
    dated = da is not None and db_ is not None and a["_prec"] != "none" and b["_prec"] != "none"
    gap = abs((da - db_).days) if dated else 60
    gap = min(gap, 60)
    if dated and da != db_:
        early, late = (a, b) if da < db_ else (b, a)
        points = float(early["_ahead"] or late["_back"])
        against = float(early["_back"] and not early["_ahead"] and late["_ahead"] and not late["_back"])
    else:
        points = against = 0.0
    sa = a["_span"] or (None, None)
    sb = b["_span"] or (None, None)
    overlap0 = float(dated and sa[0] <= sb[1] and sb[0] <= sa[1])
    bt, bs = (b["_tgt"], b["_src"]) if swapped else (b["_src"], b["_tgt"])
    ag1, gv1 = _side_agree(a["_src"], bt)
    ag2, gv2 = _side_agree(a["_tgt"], bs)
    wa, na, xa, ra, la = a["_words"]
    wb, nb, xb, rb, lb = b["_words"]
    pa, pb = a.get("published"), b.get("published")
    code_a, code_b = a.get("cameo_code") or "", b.get("cameo_code") or ""
    return [
        gap / 30.0, _log1p(gap), float(dated and gap == 0), float(dated and gap <= 1),
        float(dated and gap <= 7), float(a["_prec"] in ("month", "year") or b["_prec"] in ("month", "year")),
        float(not dated), float(bool(a.get("reference")) or bool(b.get("reference"))),
        float(bool(a.get("reference")) and bool(b.get("reference"))),
        float(a["_ahead"] or b["_ahead"]), float(a["_back"] or b["_back"]), points, against, overlap0,
        (ag1 + ag2) / 6.0, (gv1 + gv2) / 6.0, float(swapped),
        float((a.get("plover_type") or "") == (b.get("plover_type") or "")),
        float(code_a[:2] == code_b[:2]), float(code_a[:3] == code_b[:3]), float(code_a == code_b),
        float(_stem(a.get("trigger") or "a") == _stem(b.get("trigger") or "b")),
        _jaccard(wa, wb), min(len(wa & wb), 10) / 10.0, _jaccard(na, nb), min(len(na & nb), 5) / 5.0,
        float(bool(xa & xb)), float((a.get("status") or "") == (b.get("status") or "")),
        min(abs((pa - pb).days), 60) / 30.0 if pa and pb else 1.0,
        float(a.get("article_id") is not None and a.get("article_id") == b.get("article_id")),
        _jaccard(ra, rb), min(len(ra & rb), 5) / 5.0, min(len(la & lb), 5) / 5.0,
        float(_jaccard(wa, wb) >= 0.8),
    ]


def _log1p(x: float) -> float:
    import math

    return math.log1p(x) / math.log(61)


# ---------------------------------------------------------------- the model
class PairScorer:
    """A logistic model over `FEATURES`: P(two mentions are the same event)."""

    def __init__(self, names, mean, scale, coef, bias: float, threshold: float = 0.5,
                 source: str = "") -> None:
        import numpy as np

        names = [str(n) for n in names]
        if names != list(FEATURES):
            raise UsageError(f"dedup scorer {source or '(in memory)'}: its features {names[:3]}... are "
                             f"not this version's ({len(FEATURES)} features); retrain it with "
                             f"python -m eventcoder.dedup_train")
        self.mean = np.asarray(mean, dtype=float)
        self.scale = np.asarray(scale, dtype=float)
        self.coef = np.asarray(coef, dtype=float)
        self.bias = float(bias)
        self.threshold = float(threshold)
        self.source = source

    def score_vectors(self, rows) -> list:
        import numpy as np

        x = (np.asarray(rows, dtype=float).reshape(-1, len(FEATURES)) - self.mean) / self.scale
        return list(1.0 / (1.0 + np.exp(-(x @ self.coef + self.bias))))

    def score(self, a: dict, b: dict, swapped: bool = False) -> float:
        return self.score_vectors([features(a, b, swapped)])[0]

    def save(self, path) -> None:
        import numpy as np

        np.savez_compressed(path, features=np.array(FEATURES), mean=self.mean, scale=self.scale,
                            coef=self.coef, bias=np.array(self.bias), threshold=np.array(self.threshold))

    @classmethod
    def load(cls, path) -> "PairScorer":
        import numpy as np

        p = SHIPPED_PATH if str(path) == SHIPPED else Path(path)
        if not p.is_file():
            raise UsageError(f"dedup scorer {path}: no such file (train one with "
                             f"python -m eventcoder.dedup_train, or use --scorer {SHIPPED})")
        try:
            with np.load(p, allow_pickle=False) as z:
                return cls(z["features"], z["mean"], z["scale"], z["coef"], float(z["bias"]),
                           float(z["threshold"]), source=str(path))
        except UsageError:
            raise
        except Exception as exc:  # a truncated file, not an npz, missing arrays
            raise UsageError(f"dedup scorer {path}: not a scorer model ({type(exc).__name__}: {exc})") from None


@lru_cache(maxsize=8)
def _cached(path: str, mtime: float) -> PairScorer:
    return PairScorer.load(path)


def get_scorer(path: str) -> PairScorer:
    """The scorer at `path` (or `SHIPPED`), loaded once per file version."""
    p = SHIPPED_PATH if path == SHIPPED else Path(path)
    try:
        mtime = p.stat().st_mtime
    except OSError:
        mtime = -1.0
    return _cached(str(path), mtime)


# ---------------------------------------------------------------- clustering a block
def cluster(ms: list, scorer: PairScorer, threshold: float, reciprocal: bool, agree) -> list:
    """Clusters (lists of indices into `ms`, prepared mentions of ONE block) linked best-pair
    first; `agree(profile, actor)` is the rule's actor check. Depends only on the mentions."""
    n = len(ms)
    order = sorted(range(n), key=lambda i: (ms[i]["_plaus"][0] if ms[i]["_plaus"] else date.max,
                                            ms[i]["event_id"]))
    pairs, vecs = [], []
    for x, i in enumerate(order):
        a = ms[i]
        if a["_plaus"] is None:
            continue
        for j in order[x + 1:]:
            b = ms[j]
            if b["_plaus"] is None:
                continue
            if b["_plaus"][0] > a["_plaus"][1]:
                break  # sorted by span start: no later mention overlaps a's span
            if not candidate(a, b):
                continue
            if agree(list(a["_src"]), b["_src"]) and agree(list(a["_tgt"]), b["_tgt"]):
                sw = False
            elif reciprocal and a["_recip"] and b["_recip"] and agree(list(a["_src"]), b["_tgt"]) \
                    and agree(list(a["_tgt"]), b["_src"]):
                sw = True
            else:
                continue
            pairs.append((i, j, sw))
            vecs.append(features(a, b, sw))
    scores = scorer.score_vectors(vecs) if vecs else []
    link = {}
    for (i, j, sw), s in zip(pairs, scores):
        link[(i, j) if i < j else (j, i)] = (s, sw)
    members = {i: [i] for i in range(n)}
    of = list(range(n))
    prof = {i: (list(ms[i]["_src"]), list(ms[i]["_tgt"]), ms[i]["_recip"]) for i in range(n)}
    ranked = sorted(((s, i, j) for (i, j), (s, _) in link.items() if s >= threshold),
                    key=lambda t: (-t[0], ms[t[1]]["event_id"], ms[t[2]]["event_id"]))
    for _, i, j in ranked:
        ci, cj = of[i], of[j]
        if ci == cj:
            continue
        total = 0.0
        for x in members[ci]:
            for y in members[cj]:
                total += link.get((x, y) if x < y else (y, x), (0.0, False))[0]
        if total / (len(members[ci]) * len(members[cj])) < threshold:
            continue
        (s1, t1, r1), (s2, t2, r2) = prof[ci], prof[cj]
        if agree(s1, s2) and agree(t1, t2):
            s2o, t2o = s2, t2
        elif reciprocal and r1 and r2 and agree(s1, t2) and agree(t1, s2):
            s2o, t2o = t2, s2
        else:
            continue
        for k, v in enumerate(s2o):
            s1[k] = s1[k] if s1[k] is not None else v
        for k, v in enumerate(t2o):
            t1[k] = t1[k] if t1[k] is not None else v
        prof[ci] = (s1, t1, r1 and r2)
        for y in members[cj]:
            of[y] = ci
        members[ci].extend(members.pop(cj))
        del prof[cj]
    return [sorted(v) for v in members.values()]


__all__ = ["FEATURES", "PAST_DAYS", "PLANNED_DAYS", "PairScorer", "SHIPPED", "candidate", "cluster",
           "features", "get_scorer", "prepare"]

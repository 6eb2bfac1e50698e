"""What the evaluations count, and how: the country and top-event rules shared by the gold sets,
and P/R/F1 from spaCy's `PRFScore` (one counting for evaluate/, leads.py and dedup_eval.py)."""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Optional, Sequence

from spacy.scorer import PRFScore

from ..model import SECTORS, Event

#: Legacy / misspelt country codes in the gold data and their ISO 3166-1 alpha-3 equivalents.
#: Applied to gold and predicted codes alike before comparison.
COUNTRY_ALIASES = {
    "ITL": "ITA",  # Italy (GSR spelling)
    "JAP": "JPN",  # Japan (GSR spelling)
    "VTN": "VNM",  # Vietnam (GSR spelling)
    "ROM": "ROU",  # Romania (old ISO / CAMEO)
    "ZAR": "COD",  # Zaire (old ISO)
    "TMP": "TLS",  # East Timor (old ISO)
    # International actors: the GSR codes UN and EU bodies and several NGOs as "IGO"; the coder
    # writes UNO (UN system), EUR (EU bodies), IGO and NGO. They are compared as one class.
    "UNO": "IGO",
    "EUR": "IGO",
    "NGO": "IGO",
}

NONE_LABEL = "NONE"


def norm_country(code: Optional[str]) -> Optional[str]:
    """First three characters of a code, upper-cased, with legacy aliases resolved; None if empty."""
    if not code or not isinstance(code, str):
        return None
    c = code.strip().upper()[:3]
    if len(c) < 3:
        return None
    return COUNTRY_ALIASES.get(c, c)


def actor_country(actor: Any) -> Optional[str]:
    """The country of a predicted Actor: its `country`, else the first three letters of its `code`
    unless those are a sector (an actor with no country has a code like "MIL": no country)."""
    if actor is None:
        return None
    country = norm_country(getattr(actor, "country", None))
    if country:
        return country
    code = norm_country(getattr(actor, "code", None))
    if code and code not in SECTORS and code != (getattr(actor, "sector", None) or "").upper()[:3]:
        return code
    return None


def top_event(events: Iterable[Event], require_plover: bool = True) -> Optional[Event]:
    """The event a record is scored on: the highest-confidence event that is not negated (and, with
    `require_plover`, has a PLOVER type); ties go to the earliest in the text. None if there is none."""
    best = None
    best_key = None
    for ev in events:
        if ev.status == "negated":
            continue
        if require_plover and not ev.plover_type:
            continue
        if not require_plover and not ev.cameo_code:
            continue
        span = ev.span if ev.span else (0, 0)
        key = (-float(ev.confidence or 0.0), ev.sentence_index, span[0], span[1])
        if best_key is None or key < best_key:
            best, best_key = ev, key
    return best


def safe_div(a: float, b: float) -> float:
    return a / b if b else 0.0


def f1(p: float, r: float) -> float:
    """The F1 of a precision and a recall, as `PRFScore.fscore` computes it (for P and R that
    come from different counts, such as span overlap)."""
    return 2 * ((p * r) / (p + r + 1e-100))


def scores(tp: int, fp: int, fn: int) -> dict:
    """{"precision", "recall", "f1"} of the counts, by `spacy.scorer.PRFScore` (0.0 where a
    denominator is 0)."""
    s = PRFScore(tp=tp, fp=fp, fn=fn)
    return {"precision": s.precision, "recall": s.recall, "f1": s.fscore}


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    """P/R/F1 with the counts: tp, predicted (tp + fp) and gold (tp + fn)."""
    return {**scores(tp, n_pred - tp, n_gold - tp), "tp": tp, "predicted": n_pred, "gold": n_gold}


def label_prf(gold: Sequence[str], pred: Sequence[str], none_label: str = NONE_LABEL) -> dict:
    """Precision/recall/F1 of single-label predictions where `none_label` means "no prediction".

    Per type t: tp = gold t and predicted t; predicted = records predicted t; gold = records of
    gold type t. Micro: pooled over all types (a NONE prediction is neither right nor a false
    positive, so micro precision = correct / records with a prediction and micro recall = correct /
    all records). Macro: the unweighted mean of the per-type precision, recall and F1 over the gold
    types present (types only ever predicted count against micro precision, not in the macro mean).
    """
    if len(gold) != len(pred):
        raise ValueError("gold and pred differ in length")
    tp, n_pred, n_gold = Counter(), Counter(), Counter()
    for g, p in zip(gold, pred):
        n_gold[g] += 1
        if p != none_label:
            n_pred[p] += 1
            if p == g:
                tp[p] += 1
    per_type = {t: prf(tp[t], n_pred[t], n_gold[t]) for t in sorted(set(n_gold) | set(n_pred))
                if t != none_label}
    gold_types = sorted(t for t in n_gold if t != none_label)
    micro = prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold[t] for t in gold_types))
    macro = {
        "precision": safe_div(sum(per_type[t]["precision"] for t in gold_types), len(gold_types)),
        "recall": safe_div(sum(per_type[t]["recall"] for t in gold_types), len(gold_types)),
        "f1": safe_div(sum(per_type[t]["f1"] for t in gold_types), len(gold_types)),
        "types": len(gold_types),
    }
    return {"micro": micro, "macro": macro, "per_type": per_type,
            "no_prediction": sum(1 for p in pred if p == none_label)}

"""Fit the dedup pair scorer (eventcoder.dedup_score) on labelled mention pairs.

    python -m eventcoder.dedup_train data/labels/dedup_train_pairs.jsonl --out model.npz
        [--articles FILE | --db STORE] [--actor-level sector]

The labels are the format of `eventcoder eval dedup` (eventcoder.dedup_eval). Their articles are
coded into a temporary store (or read from `--db`, a store that holds them), each mention is matched
to its stored event as `eval dedup` does, and each pair that the scorer would be asked about (both
mentions have an event, one block, actors that agree at `actor_level`) becomes one example; the
others are counted and left out. The model is an L2-regularised logistic regression over
standardised `FEATURES` (numpy only); its threshold is the one with the best F0.5 (`BETA`) over
5-fold out-of-fold scores of the training pairs. Never train on the evaluation pairs
(data/labels/dedup_pairs.jsonl).
"""
from __future__ import annotations

import argparse
import sys
from typing import Optional

from . import dedup, dedup_eval as de, dedup_score
from .errors import EventcoderError, UsageError

L2 = 1.0  # the penalty on the standardised weights
BETA = 0.5  # the threshold maximises F-beta: precision weighs more than recall (a wrong merge
# hides an event; in a store most candidate pairs are different events, fewer than in training)


def fit(x, y, l2: float = L2, threshold: Optional[float] = None) -> dedup_score.PairScorer:
    """A PairScorer fitted on feature rows `x` (n x len(FEATURES)) and 0/1 labels `y`; the
    threshold is `threshold`, else the best F-`BETA` one over 5-fold out-of-fold scores."""
    import numpy as np

    x = np.asarray(x, dtype=float).reshape(-1, len(dedup_score.FEATURES))
    y = np.asarray(y, dtype=float)
    if len(x) != len(y) or len(y) == 0:
        raise UsageError(f"dedup training needs as many labels as examples (got {len(x)} and {len(y)})")
    if y.min() == y.max():
        raise UsageError("dedup training needs both same-event and different-event pairs")
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    coef, bias = _logistic((x - mean) / scale, y, l2)
    if threshold is None:
        threshold = _best_threshold(x, y, l2)
    return dedup_score.PairScorer(dedup_score.FEATURES, mean, scale, coef, bias, threshold)


def _logistic(z, y, l2: float, steps: int = 50):
    """Newton's method for the penalised log-likelihood (the bias is not penalised)."""
    import numpy as np

    n, k = z.shape
    a = np.hstack([z, np.ones((n, 1))])
    w = np.zeros(k + 1)
    pen = np.full(k + 1, l2)
    pen[-1] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(a @ w)))
        grad = a.T @ (p - y) + pen * w
        hess = (a * (p * (1 - p))[:, None]).T @ a + np.diag(pen + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def _best_threshold(x, y, l2: float, folds: int = 5) -> float:
    import numpy as np

    n = len(y)
    oof = np.zeros(n)
    idx = np.arange(n)
    for f in range(folds):
        test = idx % folds == f
        train = ~test
        if not test.any() or y[train].min() == y[train].max():
            return 0.5
        mean, scale = x[train].mean(axis=0), x[train].std(axis=0)
        scale[scale == 0] = 1.0
        c, b = _logistic((x[train] - mean) / scale, y[train], l2)
        oof[test] = 1.0 / (1.0 + np.exp(-(((x[test] - mean) / scale) @ c + b)))
    best, best_f = 0.5, -1.0
    b2 = BETA * BETA
    for t in np.arange(0.2, 0.81, 0.05):
        pred = oof >= t
        tp = float((pred & (y == 1)).sum())
        f = (1 + b2) * tp / (pred.sum() + b2 * (y == 1).sum()) if tp else 0.0
        if f > best_f + 1e-12:
            best, best_f = float(round(t, 2)), f
    return best


def examples(labels: list, con, raw: dict, rule: dedup.DedupRule) -> tuple[list, list, dict]:
    """(feature rows, 0/1 labels, counts of pairs left out by reason) for labelled pairs whose
    articles are in the store `con`; `raw` maps article id -> the file's text."""
    stored = dict(con.execute("SELECT article_id, text FROM articles").fetchall())
    x, y, left = [], [], {"no event": 0, "other block": 0, "actors disagree": 0, "dates apart": 0}
    for p in labels:
        ms = []
        for side in ("a", "b"):
            m = p[side]
            ev = None
            if m["article_id"] in stored:
                span = de.map_offsets(raw.get(m["article_id"], stored[m["article_id"]]),
                                      stored[m["article_id"]], m["start"], m["end"])
                ev = de.locate(con, m["article_id"], *span) if span else None
            ms.append(ev and dedup._fetch(con, "WHERE event_id = ?", [ev["event_id"]])[0])
        if not all(ms):
            left["no event"] += 1
            continue
        if ms[0]["ckey"] != ms[1]["ckey"] or ms[0]["ckey"].startswith("E|"):
            left["other block"] += 1
            continue
        a, b = (dedup_score.prepare(dedup.mention(r, rule), rule.window) for r in ms)
        how = dedup.actors_agree(a, b, rule.reciprocal)
        if how is None:
            left["actors disagree"] += 1
            continue
        if not dedup_score.candidate(a, b):
            left["dates apart"] += 1
            continue
        x.append(dedup_score.features(a, b, how))
        y.append(1.0 if p["same"] else 0.0)
    return x, y, left


def train_from_labels(labels_path, out, articles=None, db=None, rule=None, coder=None) -> dict:
    """Fit and save a scorer from a label file; returns a summary (pairs used, left out, the
    threshold, the training-set P/R at it)."""
    from .evaluate import data_path
    from .store import Store

    rule = rule or dedup.DEFAULT_RULE
    labels = de.read_labels(labels_path)
    ids = {p[s]["article_id"] for p in labels for s in ("a", "b")}
    afile = data_path(articles, "allsides", "allsides_world.jsonl.gz")
    if not afile.exists():
        raise de.LabelError(f"{afile}: no such articles file")
    raw = de.raw_texts(afile, ids)
    if db:
        st = Store(db, read_only=True)
    else:
        st = Store(":memory:")
        if coder is None:
            from .coder import Coder

            coder = Coder(quotes=False)
        st.ingest(list(de.load_articles(afile, ids).values()), coder=coder)
    with st:
        x, y, left = examples(labels, st.cursor(), raw, rule)
    model = fit(x, y)
    model.save(out)
    pred = [s >= model.threshold for s in model.score_vectors(x)]
    tp = sum(1 for p, t in zip(pred, y) if p and t)
    return {"examples": len(y), "same": int(sum(y)), "left_out": left, "threshold": model.threshold,
            "train_precision": tp / max(1, sum(pred)), "train_recall": tp / max(1, sum(y)), "out": str(out)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eventcoder.dedup_train",
                                 description="Fit the dedup pair scorer on labelled mention pairs.")
    ap.add_argument("labels", help="labelled pairs (the format of eventcoder eval dedup)")
    ap.add_argument("--out", required=True, help="the model file to write (.npz)")
    ap.add_argument("--articles", default=None, help="the articles file (default: ../shared AllSides)")
    ap.add_argument("--db", default=None, help="a store that already holds the coded articles")
    ap.add_argument("--actor-level", choices=dedup.ACTOR_LEVELS, default="sector",
                    help="the actor agreement candidates need (default: sector)")
    a = ap.parse_args(argv)
    try:
        res = train_from_labels(a.labels, a.out, a.articles, a.db,
                                dedup.DEFAULT_RULE.replace(actor_level=a.actor_level))
    except EventcoderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{res['examples']} training pairs ({res['same']} same event); left out {res['left_out']}; "
          f"threshold {res['threshold']}; on the training pairs P {res['train_precision']:.3f} "
          f"R {res['train_recall']:.3f}; model written to {res['out']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A multinomial linear model over string features, stored as plain arrays (no pickles).

The trainer fits it with scikit-learn's logistic regression; at run time only numpy is needed: a
candidate's score is the sum of its features' weight rows plus the intercept, and `probs` gives
the softmax. Files are ``.npz`` with ``vocab`` (feature strings), ``classes``, ``coef`` (n_features x
n_classes, float32) and ``intercept``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np


class LinearModel:
    def __init__(self, vocab: Sequence[str], classes: Sequence[str], coef, intercept):
        self.vocab = {f: i for i, f in enumerate(vocab)}
        self.classes = list(classes)
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        if self.coef.shape != (len(self.vocab), len(self.classes)):
            raise ValueError(f"model weights have shape {self.coef.shape}, expected "
                             f"({len(self.vocab)}, {len(self.classes)})")

    def probs_many(self, feature_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """Class probabilities, one row per candidate (unknown features are ignored)."""
        out = np.empty((len(feature_lists), len(self.classes)), dtype=np.float32)
        vocab, coef = self.vocab, self.coef
        for n, feats in enumerate(feature_lists):
            idx = [vocab[f] for f in feats if f in vocab]
            z = self.intercept + (coef[idx].sum(axis=0) if idx else 0.0)
            z = z - z.max()
            e = np.exp(z)
            out[n] = e / e.sum()
        return out

    def save(self, path: str | Path) -> None:
        vocab = sorted(self.vocab, key=self.vocab.get)
        np.savez_compressed(path, vocab=np.array(vocab, dtype=object).astype(str),
                            classes=np.array(self.classes).astype(str), coef=self.coef.astype(np.float16),
                            intercept=self.intercept)

    @classmethod
    def load(cls, path: str | Path) -> "LinearModel":
        with np.load(path, allow_pickle=False) as z:
            return cls(list(z["vocab"]), list(z["classes"]), z["coef"].astype(np.float32), z["intercept"])

    @classmethod
    def fit(cls, feature_lists: Sequence[Sequence[str]], labels: Sequence[str], c: float = 1.0,
            class_weight=None, min_count: int = 2, seed: int = 0) -> "LinearModel":
        """L2 logistic regression (scikit-learn, lbfgs) over features seen at least `min_count`
        times. Needs the `train` extra (scikit-learn)."""
        from collections import Counter

        from scipy.sparse import csr_matrix
        from sklearn.linear_model import LogisticRegression

        counts = Counter(f for feats in feature_lists for f in set(feats))
        vocab = sorted(f for f, n in counts.items() if n >= min_count)
        index = {f: i for i, f in enumerate(vocab)}
        rows, cols = [], []
        for r, feats in enumerate(feature_lists):
            for j in sorted({index[f] for f in feats if f in index}):
                rows.append(r)
                cols.append(j)
        x = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                       shape=(len(feature_lists), len(vocab)))
        classes = sorted(set(labels))
        clf = LogisticRegression(C=c, max_iter=2000, class_weight=class_weight, random_state=seed)
        clf.fit(x, list(labels))
        coef = clf.coef_.T
        intercept = clf.intercept_
        if len(clf.classes_) == 2:  # binary: sklearn keeps one column; expand to both classes
            coef = np.hstack([-coef / 2, coef / 2])
            intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
        assert list(clf.classes_) == classes
        return cls(vocab, classes, coef, intercept)


def tuned(name: str, default: float, doc: str = "") -> property:
    """A model's tuned number, read from its `meta` dict (the trainer writes it to meta.json), with
    the value used when the model's files do not give one."""
    return property(lambda self: float(self.meta.get(name, default)),
                    doc=doc or f"meta[{name!r}], {default} when the model does not give it")

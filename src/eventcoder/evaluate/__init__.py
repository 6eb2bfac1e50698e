"""Gold-set loaders and metrics: the PLOVER gold standard records and the ConfliBERT CAMEO sets.

The metric functions take predictions as data (so they are tested without a model); the thin
`run_*` helpers call the coder and hand its output to them. See docs/evaluation.md for what each
figure means and the exact scoring rules. One module a job:

- metrics.py     country and top-event rules, P/R/F1 (spaCy's PRFScore), per-label scores
- plover_gsr.py  PLOVER_GSR_CAMEO.txt (openeventdata/PLOVER, CC BY-SA 4.0)
- conflibert.py  ConfliBERT's cameo_class_train.tsv and cameo_ner_train.txt (GPL-3.0)
- runners.py     where ../shared/data is, and coding gold texts with the coder

Data sets are third-party: read through a path, never copied into the repository. The names
below stay importable from `eventcoder.evaluate`.
"""
from __future__ import annotations

from .conflibert import (PENTA_CLASSES, ConllSentence, bio_spans, detokenize, format_class_report,
                         format_span_report, load_conflibert_classes, overlaps, penta_class,
                         predicted_penta_class, predicted_spans, read_conll, run_conflibert,
                         score_classes, score_conll, score_spans)
from .metrics import (COUNTRY_ALIASES, NONE_LABEL, actor_country, f1, label_prf, norm_country, prf,
                      safe_div, scores, top_event)
from .plover_gsr import (PLOVER_V05_TO_V2, GoldActor, GoldRecord, PloverPrediction, _gold_actors,
                         format_plover_report, load_plover_gsr, plover_prediction, run_plover_gsr,
                         score_plover, side_correct)
from .runners import code_texts, data_path, shared_data_dir

__all__ = [
    "COUNTRY_ALIASES", "NONE_LABEL", "PENTA_CLASSES", "PLOVER_V05_TO_V2", "ConllSentence", "GoldActor",
    "GoldRecord", "PloverPrediction", "actor_country", "bio_spans", "code_texts", "data_path", "detokenize", "f1",
    "format_class_report", "format_plover_report", "format_span_report", "label_prf",
    "load_conflibert_classes", "load_plover_gsr", "norm_country", "overlaps", "penta_class",
    "plover_prediction", "predicted_penta_class", "predicted_spans", "prf", "read_conll",
    "run_conflibert", "run_plover_gsr", "safe_div", "score_classes", "score_conll", "score_plover",
    "score_spans", "scores", "shared_data_dir", "side_correct", "top_event",
]

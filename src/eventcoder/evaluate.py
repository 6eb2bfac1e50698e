"""Gold-set loaders and metrics: the PLOVER gold standard records and the ConfliBERT CAMEO sets.

The metric functions take predictions as data (so they are tested without a model); the thin
`run_*` helpers at the bottom call the coder and hand its output to them. See docs/evaluation.md
for what each figure means and the exact scoring rules.

Data sets (third-party, read through a path, never copied into the repository):
- ``PLOVER_GSR_CAMEO.txt`` (openeventdata/PLOVER, CC BY-SA 4.0): a JSON array; the first element is
  a DOCUMENT header. Labels are PLOVER v0.5b1 and are mapped to PLOVER 2.0 (`PLOVER_V05_TO_V2`).
- ``conflibert/cameo_class_train.tsv`` (eventdata/ConfliBERT, GPL-3.0): ``sentence TAB class``,
  the Phoenix "penta class" of the sentence's CAMEO event (see `PENTA_CLASSES`).
- ``conflibert/cameo_ner_train.txt``: one ``token TAG`` per line, BIO tags with S = source,
  T = target, R = related; sentences separated by blank lines.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Optional, Sequence

from .model import SECTORS, Article, Event

# --------------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------------

#: PLOVER v0.5b1 labels that changed in PLOVER 2.0 (the others are unchanged).
PLOVER_V05_TO_V2 = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}

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


def shared_data_dir() -> Path:
    """Where the shared reference data lives: $EVENTCODER_SHARED/data, else ../shared/data next to
    the repository (src layout), else ./../shared/data from the working directory."""
    env = os.environ.get("EVENTCODER_SHARED")
    candidates = []
    if env:
        candidates.append(Path(env) / "data")
    candidates.append(Path(__file__).resolve().parents[3].parent / "shared" / "data")
    candidates.append(Path.cwd().parent / "shared" / "data")
    for c in candidates:
        if c.exists():
            return c
    return candidates[0]


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
    return 2 * p * r / (p + r) if (p + r) else 0.0


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p, r = safe_div(tp, n_pred), safe_div(tp, n_gold)
    return {"precision": p, "recall": r, "f1": f1(p, r), "tp": tp, "predicted": n_pred, "gold": n_gold}


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


# --------------------------------------------------------------------------------------------
# PLOVER gold standard records (GSR)
# --------------------------------------------------------------------------------------------

@dataclass
class GoldActor:
    text: str
    code: Optional[str] = None
    sector: Optional[str] = None

    @property
    def country(self) -> Optional[str]:
        return norm_country(self.code)


@dataclass
class GoldRecord:
    record_id: str
    text: str
    event_type: str  # PLOVER 2.0
    raw_event: str  # as in the file (v0.5b1)
    sources: Optional[list[GoldActor]]  # None = no coded source
    targets: Optional[list[GoldActor]]
    date: Optional[str] = None
    mode: Optional[str] = None
    comment: Optional[str] = None

    @property
    def source_countries(self) -> set[str]:
        return {a.country for a in self.sources or [] if a.country}

    @property
    def target_countries(self) -> set[str]:
        return {a.country for a in self.targets or [] if a.country}


def _gold_actors(value: Any) -> Optional[list[GoldActor]]:
    """A gold side: a list of {actorText, code, sector}, null/missing, or (rarely) a plain string.

    A plain string carries no code: an empty one is null; a non-empty one (e.g. "diplomatic", a
    value misplaced from another field) is kept as an actor text without a code. A side with no
    coded actor is scored as a null side (`sources`/`targets` is None)."""
    if value is None:
        return None
    if isinstance(value, str):
        actors = [GoldActor(text=value.strip())] if value.strip() else []
    elif isinstance(value, dict):
        actors = [GoldActor(text=value.get("actorText", ""), code=value.get("code"), sector=value.get("sector"))]
    elif isinstance(value, list):
        actors = []
        for a in value:
            if isinstance(a, dict):
                actors.append(GoldActor(text=a.get("actorText", ""), code=a.get("code"), sector=a.get("sector")))
            elif isinstance(a, str) and a.strip():
                actors.append(GoldActor(text=a.strip()))
    else:
        return None
    if not any(a.country for a in actors):
        return None
    return actors


def load_plover_gsr(path: str | os.PathLike) -> list[GoldRecord]:
    """Read PLOVER_GSR_CAMEO.txt into GoldRecords (DOCUMENT entries skipped, types mapped to 2.0)."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    records = []
    for r in data:
        raw = str(r.get("event") or "").strip().upper()
        if not raw or raw == "DOCUMENT" or not r.get("text"):
            continue
        records.append(GoldRecord(
            record_id=str(r.get("id") or f"gsr-{len(records)}"),
            text=r["text"],
            event_type=PLOVER_V05_TO_V2.get(raw, raw),
            raw_event=raw,
            sources=_gold_actors(r.get("source")),
            targets=_gold_actors(r.get("target")),
            date=r.get("date") or None,
            mode=r.get("mode") or None,
            comment=r.get("comment") or None,
        ))
    return records


@dataclass
class PloverPrediction:
    """What the coder said about one record (built from its events by `plover_prediction`)."""
    event_type: str = NONE_LABEL
    source_country: Optional[str] = None
    target_country: Optional[str] = None
    has_source: bool = False
    has_target: bool = False
    all_types: set = field(default_factory=set)
    source_text: Optional[str] = None
    target_text: Optional[str] = None
    cameo_code: Optional[str] = None
    trigger: Optional[str] = None
    confidence: Optional[float] = None
    error: Optional[str] = None


def plover_prediction(events: Iterable[Event], error: Optional[str] = None) -> PloverPrediction:
    events = list(events)
    ev = top_event(events, require_plover=True)
    all_types = {e.plover_type for e in events if e.plover_type and e.status != "negated"}
    if ev is None:
        return PloverPrediction(all_types=all_types, error=error)
    return PloverPrediction(
        event_type=ev.plover_type,
        source_country=actor_country(ev.source), target_country=actor_country(ev.target),
        has_source=ev.source is not None, has_target=ev.target is not None,
        all_types=all_types,
        source_text=ev.source.text if ev.source else None,
        target_text=ev.target.text if ev.target else None,
        cameo_code=ev.cameo_code, trigger=ev.trigger, confidence=ev.confidence, error=error,
    )


def side_correct(gold: GoldRecord, pred: PloverPrediction, side: str) -> bool:
    """Is the predicted source (side="source") or target right for the record-accuracy rule?

    - gold side coded: the predicted country is one of the gold countries on that side;
    - gold side null: right when the prediction has no actor on that side; for a null gold
      target it is also right when the predicted target is one of the gold sources (a reciprocal
      compound actor, "A and B agreed", which CAMEO codes as A->B and B->A).
    """
    if pred.event_type == NONE_LABEL:
        gold_side = gold.sources if side == "source" else gold.targets
        return gold_side is None
    if side == "source":
        if gold.sources is not None:
            return pred.source_country in gold.source_countries
        return not pred.has_source
    if gold.targets is not None:
        return pred.target_country in gold.target_countries
    if not pred.has_target:
        return True
    return pred.target_country is not None and pred.target_country in gold.source_countries


def score_plover(gold_records: Sequence[GoldRecord], predictions_by_id: Mapping[str, PloverPrediction],
                 errors: int = 0) -> dict:
    """Score predictions against the GSR. A record without a prediction counts as NONE."""
    gold_types, pred_types, details = [], [], []
    src_n = src_ok = tgt_n = tgt_ok = rec_ok = any_ok = type_ok = 0
    failed = 0
    for g in gold_records:
        p = predictions_by_id.get(g.record_id) or PloverPrediction()
        if p.error:
            failed += 1
        gold_types.append(g.event_type)
        pred_types.append(p.event_type)
        t_ok = p.event_type == g.event_type
        type_ok += t_ok
        if g.sources is not None:
            src_n += 1
            src_ok += p.source_country in g.source_countries
        if g.targets is not None:
            tgt_n += 1
            tgt_ok += p.target_country in g.target_countries
        s_ok, d_ok = side_correct(g, p, "source"), side_correct(g, p, "target")
        r_ok = t_ok and s_ok and d_ok
        rec_ok += r_ok
        any_ok += g.event_type in p.all_types
        if not r_ok:
            details.append({
                "id": g.record_id, "text": g.text,
                "gold": {"type": g.event_type, "raw": g.raw_event,
                         "source": sorted(g.source_countries) or None,
                         "target": sorted(g.target_countries) or None},
                "predicted": {"type": p.event_type, "cameo": p.cameo_code, "trigger": p.trigger,
                              "source": p.source_country, "source_text": p.source_text,
                              "target": p.target_country, "target_text": p.target_text,
                              "all_types": sorted(p.all_types), "error": p.error},
                "wrong": [w for w, ok in (("type", t_ok), ("source", s_ok), ("target", d_ok)) if not ok],
            })
    n = len(gold_records)
    types = label_prf(gold_types, pred_types)
    out = {
        "records": n,
        "coder_errors": failed,
        "event_type": types,
        "type_accuracy": safe_div(type_ok, n),
        "source_country_accuracy": {"accuracy": safe_div(src_ok, src_n), "correct": src_ok, "records": src_n},
        "target_country_accuracy": {"accuracy": safe_div(tgt_ok, tgt_n), "correct": tgt_ok, "records": tgt_n},
        "record_accuracy": {"accuracy": safe_div(rec_ok, n), "correct": rec_ok, "records": n},
        "any_event_recall": {"recall": safe_div(any_ok, n), "correct": any_ok, "records": n},
        "confusion": {f"{g}->{p}": c for (g, p), c in
                      Counter((g, p) for g, p in zip(gold_types, pred_types) if g != p).most_common()},
    }
    if errors:
        out["errors"] = details[:errors]
    return out


def format_plover_report(res: dict) -> str:
    t = res["event_type"]
    lines = [f"PLOVER GSR: {res['records']} records"
             + (f" ({res['coder_errors']} failed in the coder)" if res.get("coder_errors") else "")]
    lines.append("")
    lines.append(f"{'type':<12}{'gold':>6}{'pred':>6}{'tp':>5}{'P':>8}{'R':>8}{'F1':>8}")
    for name, m in sorted(t["per_type"].items()):
        lines.append(f"{name:<12}{m['gold']:>6}{m['predicted']:>6}{m['tp']:>5}"
                     f"{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}")
    mi, ma = t["micro"], t["macro"]
    lines.append(f"{'micro':<12}{mi['gold']:>6}{mi['predicted']:>6}{mi['tp']:>5}"
                 f"{mi['precision']:>8.3f}{mi['recall']:>8.3f}{mi['f1']:>8.3f}")
    lines.append(f"{'macro':<12}{'':>6}{'':>6}{'':>5}{ma['precision']:>8.3f}{ma['recall']:>8.3f}{ma['f1']:>8.3f}"
                 f"   (over {ma['types']} gold types)")
    lines.append(f"records with no predicted event: {t['no_prediction']}")
    lines.append("")
    sa, ta = res["source_country_accuracy"], res["target_country_accuracy"]
    ra, ae = res["record_accuracy"], res["any_event_recall"]
    lines.append(f"event type accuracy        {res['type_accuracy']:.3f}")
    lines.append(f"source country accuracy    {sa['accuracy']:.3f}  ({sa['correct']}/{sa['records']} records with a gold source)")
    lines.append(f"target country accuracy    {ta['accuracy']:.3f}  ({ta['correct']}/{ta['records']} records with a gold target)")
    lines.append(f"record accuracy            {ra['accuracy']:.3f}  ({ra['correct']}/{ra['records']}: type, source and target right)")
    lines.append(f"any-event type recall      {ae['recall']:.3f}  ({ae['correct']}/{ae['records']}: gold type among all predicted types)")
    conf = list(res.get("confusion", {}).items())[:8]
    if conf:
        lines.append("most frequent type confusions (gold->predicted): "
                     + ", ".join(f"{k} {v}" for k, v in conf))
    for e in res.get("errors", []):
        lines.append("")
        lines.append(f"[{e['id']}] wrong: {', '.join(e['wrong'])}")
        lines.append(f"  text: {e['text']}")
        g, p = e["gold"], e["predicted"]
        lines.append(f"  gold: {g['type']} ({g['raw']})  source={g['source']}  target={g['target']}")
        lines.append(f"  pred: {p['type']} cameo={p['cameo']} trigger={p['trigger']!r}  "
                     f"source={p['source']} ({p['source_text']!r})  target={p['target']} ({p['target_text']!r})"
                     f"  all={p['all_types']}" + (f"  error={p['error']}" if p["error"] else ""))
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# ConfliBERT: penta-class sentences
# --------------------------------------------------------------------------------------------

#: The Phoenix "penta class" used by ConfliBERT's CAMEO classification set. Read from the data:
#: class 0 holds statements and appeals ("suggested", "called on", "urged", "asked NATO to help"),
#: 1 praise/pledges/agreements, 2 aid and easing of restrictions, 3 rejections, demands and
#: investigations, 4 attacks, strikes and blockades: i.e. the quad classes plus class 0 for the
#: neutral CAMEO roots 01-02. Every sentence holds an event; class 0 is *not* "no event".
PENTA_CLASSES = {
    0: "neutral (CAMEO 01-02: statements, appeals)",
    1: "verbal cooperation (03-05)",
    2: "material cooperation (06-08)",
    3: "verbal conflict (09-13)",
    4: "material conflict (14-20)",
}


def penta_class(cameo_code: Optional[str]) -> int:
    """Penta class of a CAMEO code (0 when there is no code)."""
    if not cameo_code:
        return 0
    try:
        root = int(str(cameo_code)[:2])
    except ValueError:
        return 0
    if root <= 2:
        return 0
    if root <= 5:
        return 1
    if root <= 8:
        return 2
    if root <= 13:
        return 3
    return 4


def predicted_penta_class(events: Iterable[Event]) -> int:
    """Our class for a sentence: the penta class of its top event (any CAMEO event, not negated);
    0 when nothing is coded (no event maps to the neutral class)."""
    ev = top_event(events, require_plover=False)
    return penta_class(ev.cameo_code) if ev is not None else 0


def load_conflibert_classes(path: str | os.PathLike) -> list[tuple[str, int]]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            text, _, label = line.rpartition("\t")
            if not text or not label.strip().isdigit():
                continue
            out.append((text.strip(), int(label)))
    return out


def score_classes(gold: Sequence[int], pred: Sequence[int], classes: Sequence[int] = (0, 1, 2, 3, 4)) -> dict:
    """Accuracy, confusion matrix (rows gold, columns predicted) and per-class P/R/F1."""
    if len(gold) != len(pred):
        raise ValueError("gold and pred differ in length")
    idx = {c: i for i, c in enumerate(classes)}
    matrix = [[0] * len(classes) for _ in classes]
    for g, p in zip(gold, pred):
        matrix[idx[g]][idx[p]] += 1
    per_class = {}
    for c in classes:
        i = idx[c]
        tp = matrix[i][i]
        per_class[c] = prf(tp, sum(row[i] for row in matrix), sum(matrix[i]))
    correct = sum(matrix[i][i] for i in range(len(classes)))
    present = [c for c in classes if per_class[c]["gold"]]
    return {
        "sentences": len(gold), "accuracy": safe_div(correct, len(gold)), "correct": correct,
        "macro_f1": safe_div(sum(per_class[c]["f1"] for c in present), len(present)),
        "classes": list(classes), "confusion": matrix, "per_class": per_class,
    }


def format_class_report(res: dict) -> str:
    cl = res["classes"]
    lines = [f"ConfliBERT penta-class: {res['sentences']} sentences, accuracy {res['accuracy']:.3f}"
             f" ({res['correct']}/{res['sentences']}), macro F1 {res['macro_f1']:.3f}", "",
             "confusion (rows gold, columns predicted):",
             "gold\\pred" + "".join(f"{c:>7}" for c in cl) + f"{'P':>8}{'R':>7}{'F1':>7}"]
    for c, row in zip(cl, res["confusion"]):
        m = res["per_class"][c]
        lines.append(f"{c:<9}" + "".join(f"{v:>7}" for v in row)
                     + f"{m['precision']:>8.3f}{m['recall']:>7.3f}{m['f1']:>7.3f}  {PENTA_CLASSES.get(c, '')}")
    if "no_event" in res:
        lines.append(f"sentences with no coded event (scored as class 0): {res['no_event']}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# ConfliBERT: source/target spans (CoNLL BIO)
# --------------------------------------------------------------------------------------------

_NO_SPACE_BEFORE = {".", ",", ")", "]", "}", "%", ":", ";", "?", "!", "”", "'s", "’s", "n't", "...", "''"}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "“", "``", "€", "£"}
_APOS = {"'", "’", "´"}
_CLITICS = {"s", "re", "d", "ll", "t", "ve", "m"}


@dataclass
class ConllSentence:
    tokens: list[str]
    tags: list[str]
    text: str
    offsets: list[tuple[int, int]]
    spans: dict[str, list[tuple[int, int]]]  # role letter ("S", "T", "R") -> char spans in `text`

    def span_text(self, span: tuple[int, int]) -> str:
        return self.text[span[0]:span[1]]


def detokenize(tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """Rebuild readable text from tokens; returns the text and each token's (start, end) in it.

    Heuristics for the ConfliBERT tokenisation: no space before closing punctuation and clitics,
    none after opening brackets, currency signs and opening quotes; hyphens and apostrophes
    followed by a clitic join both neighbours ("rebel - held" -> "rebel-held", "EU ’ s" -> "EU’s");
    a lone non-ASCII letter (split accents: "P é rez") joins its neighbours."""
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    glue_next = False
    open_single = False
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        space = bool(parts) and not glue_next
        glue_after = False
        if tok in _NO_SPACE_BEFORE:
            space = False
        elif tok == "-":
            space, glue_after = False, True
        elif tok in _APOS:
            if nxt.lower() in _CLITICS:
                space, glue_after = False, True
            elif open_single:
                space, open_single = False, False
            elif parts and parts[-1].endswith(("s", "S")):
                space = False  # plural possessive: "Kurds' role"
            else:
                glue_after, open_single = True, True
        elif len(tok) == 1 and tok.isalpha() and not tok.isascii():
            space = False
            glue_after = bool(nxt) and nxt[:1].islower()
        if tok in _NO_SPACE_AFTER:
            glue_after = True
        if space:
            parts.append(" ")
            pos += 1
        offsets.append((pos, pos + len(tok)))
        parts.append(tok)
        pos += len(tok)
        glue_next = glue_after
    return "".join(parts), offsets


def bio_spans(tags: Sequence[str], offsets: Sequence[tuple[int, int]]) -> dict[str, list[tuple[int, int]]]:
    """Char spans per role from BIO tags (an I- tag without a matching open span starts one)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    cur_role, cur_start, cur_end = None, None, None

    def close():
        if cur_role is not None:
            spans.setdefault(cur_role, []).append((cur_start, cur_end))

    for tag, (s, e) in zip(tags, offsets):
        prefix, _, role = tag.partition("-")
        if prefix == "B" or (prefix == "I" and role != cur_role):
            close()
            cur_role, cur_start, cur_end = role, s, e
        elif prefix == "I":
            cur_end = e
        else:
            close()
            cur_role = None
    close()
    return spans


def read_conll(path: str | os.PathLike) -> Iterator[ConllSentence]:
    tokens: list[str] = []
    tags: list[str] = []

    def build() -> ConllSentence:
        text, offsets = detokenize(tokens)
        return ConllSentence(list(tokens), list(tags), text, offsets, bio_spans(tags, offsets))

    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                if tokens:
                    yield build()
                    tokens, tags = [], []
                continue
            tok, _, tag = line.rpartition(" ")
            if not tok:  # a line with a tab or a single column
                bits = line.split()
                tok, tag = (bits[0], bits[-1]) if len(bits) > 1 else (bits[0], "O")
            tokens.append(tok)
            tags.append(tag.strip() or "O")
    if tokens:
        yield build()


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_spans(gold: Sequence[Iterable[tuple[int, int]]], pred: Sequence[Iterable[tuple[int, int]]]) -> dict:
    """Span P/R/F1 over sentences (gold[i], pred[i] are the span lists of sentence i).

    exact: a span counts when the same (start, end) is on the other side (duplicates collapse).
    overlap: a predicted span is a true positive for precision when it overlaps any gold span, and
    a gold span is recalled when any predicted span overlaps it."""
    if len(gold) != len(pred):
        raise ValueError("gold and pred differ in length")
    ex_tp = n_pred = n_gold = ov_p = ov_r = 0
    for g, p in zip(gold, pred):
        gs, ps = set(map(tuple, g)), set(map(tuple, p))
        n_gold += len(gs)
        n_pred += len(ps)
        ex_tp += len(gs & ps)
        ov_p += sum(1 for x in ps if any(overlaps(x, y) for y in gs))
        ov_r += sum(1 for y in gs if any(overlaps(x, y) for x in ps))
    exact = prf(ex_tp, n_pred, n_gold)
    p, r = safe_div(ov_p, n_pred), safe_div(ov_r, n_gold)
    overlap = {"precision": p, "recall": r, "f1": f1(p, r), "tp_pred": ov_p, "tp_gold": ov_r,
               "predicted": n_pred, "gold": n_gold}
    return {"exact": exact, "overlap": overlap}


def predicted_spans(events: Iterable[Event], top_only: bool = False) -> dict[str, list[tuple[int, int]]]:
    """Source ("S") and target ("T") actor spans of the predicted events (all, or the top event)."""
    events = [e for e in events if e.status != "negated"]
    if top_only:
        ev = top_event(events, require_plover=False)
        events = [ev] if ev else []
    out: dict[str, list[tuple[int, int]]] = {"S": [], "T": []}
    for e in events:
        for role, actor in (("S", e.source), ("T", e.target)):
            if actor is not None and actor.span is not None and tuple(actor.span) not in out[role]:
                out[role].append(tuple(actor.span))
    return out


def score_conll(sentences: Sequence[ConllSentence], pred_spans: Sequence[Mapping[str, Iterable[tuple[int, int]]]],
                roles: Sequence[str] = ("S", "T")) -> dict:
    out = {"sentences": len(sentences)}
    for role in roles:
        out[role] = score_spans([s.spans.get(role, []) for s in sentences],
                                [list(p.get(role, [])) for p in pred_spans])
    return out


def format_span_report(res: dict, title: str) -> str:
    names = {"S": "source", "T": "target", "R": "related"}
    lines = [f"{title}: {res['sentences']} sentences",
             f"{'role':<8}{'match':<9}{'gold':>6}{'pred':>6}{'P':>8}{'R':>8}{'F1':>8}"]
    for role in ("S", "T", "R"):
        if role not in res:
            continue
        for kind in ("exact", "overlap"):
            m = res[role][kind]
            lines.append(f"{names[role]:<8}{kind:<9}{m['gold']:>6}{m['predicted']:>6}"
                         f"{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Runners: call the coder, hand its output to the metrics
# --------------------------------------------------------------------------------------------

def code_texts(items: Sequence[tuple[str, str, Optional[str]]], model: Optional[str] = None,
               processes: int = 1, batch_size: int = 32, coder: Any = None) -> dict[str, tuple[list, Optional[str]]]:
    """Code (id, text, published) items as articles; returns id -> (events, error).

    `coder` may be any object with `code_articles(iterable_of_Article)` yielding results with
    `.article`, `.events` and `.error` (tests pass a fake)."""
    if coder is None:
        from .coder import Coder  # imported here: the metrics do not need a model
        coder = Coder(model=model, processes=processes, batch_size=batch_size)
    articles = (Article(article_id=i, text=t, published=d) for i, t, d in items)
    out: dict[str, tuple[list, Optional[str]]] = {}
    for res in coder.code_articles(articles):
        art = getattr(res, "article", None)
        if art is None:  # something passed through that is not a coded article
            continue
        out[art.article_id] = (list(getattr(res, "events", None) or []), getattr(res, "error", None))
    return out


def run_plover_gsr(path: str | os.PathLike, model: Optional[str] = None, processes: int = 1,
                   batch_size: int = 32, errors: int = 0, limit: Optional[int] = None, coder: Any = None) -> dict:
    gold = load_plover_gsr(path)
    if limit:
        gold = gold[:limit]
    coded = code_texts([(g.record_id, g.text, g.date) for g in gold], model, processes, batch_size, coder)
    preds = {rid: plover_prediction(evs, err) for rid, (evs, err) in coded.items()}
    res = score_plover(gold, preds, errors=errors)
    res["data"] = str(path)
    return res


def run_conflibert(directory: str | os.PathLike, model: Optional[str] = None, processes: int = 1,
                   batch_size: int = 32, limit: Optional[int] = None, tasks: Sequence[str] = ("classes", "spans"),
                   coder: Any = None) -> dict:
    directory = Path(directory)
    out: dict[str, Any] = {"data": str(directory)}
    if "classes" in tasks:
        rows = load_conflibert_classes(directory / "cameo_class_train.tsv")
        total = len(rows)
        if limit:
            rows = rows[:limit]
        coded = code_texts([(f"cls-{i}", t, None) for i, (t, _) in enumerate(rows)], model, processes,
                           batch_size, coder)
        evs = [coded.get(f"cls-{i}", ([], None))[0] for i in range(len(rows))]
        pred = [predicted_penta_class(e) for e in evs]
        res = score_classes([g for _, g in rows], pred)
        res["available"] = total
        res["no_event"] = sum(1 for e in evs if top_event(e, require_plover=False) is None)
        res["coder_errors"] = sum(1 for _, err in coded.values() if err)
        out["classes"] = res
    if "spans" in tasks:
        sents = list(read_conll(directory / "cameo_ner_train.txt"))
        total = len(sents)
        if limit:
            sents = sents[:limit]
        coded = code_texts([(f"ner-{i}", s.text, None) for i, s in enumerate(sents)], model, processes,
                           batch_size, coder)
        evs = [coded.get(f"ner-{i}", ([], None))[0] for i in range(len(sents))]
        all_res = score_conll(sents, [predicted_spans(e) for e in evs])
        top_res = score_conll(sents, [predicted_spans(e, top_only=True) for e in evs])
        out["spans"] = {"available": total, "all_events": all_res, "top_event": top_res,
                        "coder_errors": sum(1 for _, err in coded.values() if err)}
    return out

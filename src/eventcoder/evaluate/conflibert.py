"""The ConfliBERT CAMEO sets: penta-class sentences and source/target spans (CoNLL BIO).

- ``conflibert/cameo_class_train.tsv`` (eventdata/ConfliBERT, GPL-3.0): ``sentence TAB class``,
  the Phoenix "penta class" of the sentence's CAMEO event (see `PENTA_CLASSES`).
- ``conflibert/cameo_ner_train.txt``: one ``token TAG`` per line, BIO tags with S = source,
  T = target, R = related; sentences separated by blank lines.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Optional, Sequence

from ..model import Event
from ..settings import default
from .metrics import f1, prf, safe_div, scores, top_event
from .runners import code_texts

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
    p = scores(ov_p, n_pred - ov_p, 0)["precision"]  # predicted spans that overlap a gold one
    r = scores(ov_r, 0, n_gold - ov_r)["recall"]     # gold spans that a predicted one overlaps
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



def run_conflibert(directory: str | os.PathLike, model: Optional[str] = None, processes: int = 1,
                   batch_size: int = default("batch_size"), limit: Optional[int] = None, tasks: Sequence[str] = ("classes", "spans"),
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

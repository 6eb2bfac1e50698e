"""PolNeAR (Political News Attribution Relations) loader and attribution scoring.

PolNeAR (Newell, Margolin & Ruths, LREC 2018) annotates, in BRAT standoff, every attribution in
1,008 US election news articles: a Source span (who), a Cue span (the words that signal the
attribution: "said", "according to", ":") and a Content span (what is attributed), tied together by
an `E` line:

    T1  Source 110 112  we
    T2  Cue 113 119     mocked
    T3  Content 120 211 the presidential ambitions of ...
    E1  Attribution:T4 Content:T3 Cue:T2 Source:T1

Spans may be discontinuous (`2103 2168;2170 2425`). The layout is `<split>/text/<name>.txt` and
`<split>/attributions/<name>_<annotator>.ann`; a few articles were annotated by several annotators,
and we score against one annotation per article (the first annotator id in sort order).

Scoring (see docs/quotes.md, "How the PolNeAR figures are computed"):
  * predicted attributions are aligned one-to-one with gold attributions of the same article: a pair
    is a candidate when their cues or their contents overlap; pairs are taken greedily, those whose
    cues overlap first, then by (cue overlap, content overlap, source overlap) in characters;
  * overlap match: a role (source, cue, content) of a predicted attribution is correct when it
    overlaps the same role of the gold attribution it is aligned with (the usual "partial" match
    of Pareti 2015 / Scheible et al. 2016 / CofeNet 2022);
  * exact match: the role covers exactly the same characters, ignoring whitespace and punctuation
    (quotation marks, commas, full stops) at and between fragments;
  * precision = correct / predicted roles, recall = correct / gold roles, for each role.
"""
from __future__ import annotations

import dataclasses
import re
import string
from collections import defaultdict
from pathlib import Path
from typing import Iterable, Iterator, Optional

ROLES = ("source", "cue", "content")
Span = tuple  # (start, end)


@dataclasses.dataclass
class Attribution:
    """One attribution: each role is a list of (start, end) fragments (empty when absent)."""
    source: list = dataclasses.field(default_factory=list)
    cue: list = dataclasses.field(default_factory=list)
    content: list = dataclasses.field(default_factory=list)
    id: str = ""

    def role(self, name: str) -> list:
        return getattr(self, name)


@dataclasses.dataclass
class PolnearArticle:
    name: str
    text: str
    attributions: list
    annotator: Optional[str] = None
    published: Optional[str] = None


_FRAG = re.compile(r"(\d+) (\d+)")
_DATE = re.compile(r"_(\d{4}-\d{2}-\d{2})_")


def parse_ann(ann_text: str) -> list[Attribution]:
    """Attributions of one BRAT .ann file (E lines; roles not present stay empty)."""
    spans: dict[str, list] = {}
    events: list[tuple[str, dict]] = []
    for line in ann_text.splitlines():
        if not line or line[0] not in "TE":
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        tid, body = parts[0], parts[1]
        if tid.startswith("T"):
            label, _, offs = body.partition(" ")
            spans[tid] = [(int(a), int(b)) for a, b in _FRAG.findall(offs)]
        else:
            args: dict[str, list] = defaultdict(list)
            for arg in body.split():
                role, _, ref = arg.partition(":")
                args[role.lower()].append(ref)
            events.append((tid, args))
    out = []
    for eid, args in events:
        a = Attribution(id=eid)
        for role in ROLES:
            frags = []
            for ref in args.get(role, ()):
                frags.extend(spans.get(ref, ()))
            setattr(a, role, sorted(frags))
        if a.cue or a.content:
            out.append(a)
    return out


def load_split(path) -> Iterator[PolnearArticle]:
    """Articles of one PolNeAR split directory (the one holding `text/` and `attributions/`)."""
    path = Path(path)
    text_dir, ann_dir = path / "text", path / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise FileNotFoundError(f"{path} has no text/ and attributions/ directories (a PolNeAR split?)")
    anns: dict[str, list[Path]] = defaultdict(list)
    for p in sorted(ann_dir.glob("*.ann")):
        stem, _, annotator = p.stem.rpartition("_")
        anns[stem].append(p)
    for tp in sorted(text_dir.glob("*.txt")):
        cands = anns.get(tp.stem)
        if not cands:
            continue
        ann = cands[0]
        text = tp.read_text(encoding="utf-8")
        m = _DATE.search(tp.stem)
        yield PolnearArticle(name=tp.stem, text=text, attributions=parse_ann(ann.read_text(encoding="utf-8")),
                             annotator=ann.stem.rpartition("_")[2], published=m.group(1) if m else None)


# ---- predictions ------------------------------------------------------------------------------
def quote_to_attribution(q) -> Attribution:
    """A model.Quote as an Attribution (speaker_span -> source, cue_span -> cue, content_spans)."""
    return Attribution(
        source=[tuple(q.speaker_span)] if q.speaker_span else [],
        cue=[tuple(q.cue_span)] if q.cue_span else [],
        content=[tuple(s) for s in q.content_spans],
    )


# ---- scoring ----------------------------------------------------------------------------------
_IGNORE = set(string.whitespace) | set(string.punctuation) | set("“”‘’«»—–…")


def _chars(text: str, frags: list) -> frozenset:
    """The character offsets a role covers, without whitespace and punctuation."""
    out = set()
    for s, e in frags:
        for i in range(max(0, s), min(len(text), e)):
            if text[i] not in _IGNORE:
                out.add(i)
    return frozenset(out)


def _overlap(a: list, b: list) -> int:
    n = 0
    for s1, e1 in a:
        for s2, e2 in b:
            n += max(0, min(e1, e2) - max(s1, s2))
    return n


def align(pred: list[Attribution], gold: list[Attribution]) -> list[tuple[int, int]]:
    """One-to-one (pred index, gold index) pairs, greedily by cue, then content, then source overlap."""
    cands = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            cue = _overlap(p.cue, g.cue)
            con = _overlap(p.content, g.content)
            if cue <= 0 and con <= 0:
                continue
            src = _overlap(p.source, g.source)
            cands.append((cue > 0, cue, con, src, -i, -j))
    cands.sort(reverse=True)
    used_p, used_g, pairs = set(), set(), []
    for _, _, _, _, ni, nj in cands:
        i, j = -ni, -nj
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((i, j))
    return pairs


def new_counts() -> dict:
    return {m: {r: {"tp": 0, "pred": 0, "gold": 0} for r in ROLES} for m in ("exact", "overlap")}


def score_article(text: str, pred: list[Attribution], gold: list[Attribution], counts: dict) -> list:
    """Add one article's counts; returns the alignment pairs."""
    pairs = align(pred, gold)
    for mode in ("exact", "overlap"):
        for r in ROLES:
            c = counts[mode][r]
            c["pred"] += sum(1 for p in pred if p.role(r))
            c["gold"] += sum(1 for g in gold if g.role(r))
    for i, j in pairs:
        p, g = pred[i], gold[j]
        for r in ROLES:
            pr, gr = p.role(r), g.role(r)
            if not pr or not gr:
                continue
            if _overlap(pr, gr) > 0:
                counts["overlap"][r]["tp"] += 1
            pc, gc = _chars(text, pr), _chars(text, gr)
            if pc and pc == gc:
                counts["exact"][r]["tp"] += 1
    return pairs


def prf(c: dict) -> dict:
    p = c["tp"] / c["pred"] if c["pred"] else 0.0
    r = c["tp"] / c["gold"] if c["gold"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), **c}


def summarise(counts: dict) -> dict:
    return {mode: {r: prf(counts[mode][r]) for r in ROLES} for mode in counts}


def evaluate(path, model: Optional[str] = None, limit: Optional[int] = None, batch_size: int = 16,
             processes: int = 1, errors: int = 0) -> dict:
    """Run the quote extractor over a PolNeAR split and score it (see the module docstring)."""
    from .coder import Coder
    from .model import Article

    arts = list(load_split(path))
    if limit:
        arts = arts[:limit]
    # one path: the records `eventcoder code --quotes` writes (the coder's parse, actors and
    # quote stage), not a separate call of the extractor
    coder = Coder(model=model, quotes=True, batch_size=batch_size, processes=processes,
                  max_chars=max([1_000_000] + [len(a.text) + 1 for a in arts]))
    counts = new_counts()
    examples = {"missed": [], "spurious": []}
    n_gold = n_pred = 0
    coded = coder.code_articles(Article(article_id=a.name, text=a.text, published=a.published)
                                for a in arts)
    for res, a in zip(coded, arts):
        if res.error:
            raise RuntimeError(f"{a.name}: {res.error}")
        pred = [quote_to_attribution(q) for q in res.quotes]
        pairs = score_article(a.text, pred, a.attributions, counts)
        n_gold += len(a.attributions)
        n_pred += len(pred)
        if errors:
            matched_p = {i for i, _ in pairs}
            matched_g = {j for _, j in pairs}
            for j, g in enumerate(a.attributions):
                if j not in matched_g and len(examples["missed"]) < errors:
                    examples["missed"].append(_show(a, g))
            for i, p in enumerate(pred):
                if i not in matched_p and len(examples["spurious"]) < errors:
                    examples["spurious"].append(_show(a, p))
    res = {"split": str(path), "articles": len(arts), "gold_attributions": n_gold,
           "predicted_attributions": n_pred, "scores": summarise(counts)}
    if errors:
        res["examples"] = examples
    return res


def _show(a: PolnearArticle, att: Attribution) -> dict:
    def txt(frags):
        return " … ".join(a.text[s:e] for s, e in frags) or None
    return {"article": a.name, "source": txt(att.source), "cue": txt(att.cue),
            "content": (txt(att.content) or "")[:200] or None}


def format_report(res: dict) -> str:
    lines = [f"PolNeAR {res['split']}: {res['articles']} articles, {res['gold_attributions']} gold and "
             f"{res['predicted_attributions']} predicted attributions", "",
             f"{'match':<8} {'role':<8} {'P':>6} {'R':>6} {'F1':>6}"]
    for mode in ("exact", "overlap"):
        for r in ROLES:
            s = res["scores"][mode][r]
            lines.append(f"{mode:<8} {r:<8} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f}")
    ex = res.get("examples")
    if ex:
        for kind in ("missed", "spurious"):
            lines.append(f"\n{kind}:")
            for e in ex[kind]:
                lines.append(f"  [{e['article'][:40]}] source={e['source']!r} cue={e['cue']!r} "
                             f"content={e['content']!r}")
    return "\n".join(lines)


def iter_texts(path) -> Iterable[str]:
    for a in load_split(path):
        yield a.text

"""Training the attribution model (learn/attribution.py) from a PolNeAR split (`eventcoder train quotes`).

    train_attribution(train_dir, out, dev_dir=dev_dir)

1. Parse the training articles with the coder's spaCy pipeline (optionally cached as DocBin files).
2. Label, from the BRAT attributions, every cue candidate (is it inside a gold cue?), every child of a
   gold cue verb (cue / split / content / source / none, by the share of its characters in each gold
   role) and every clause or modifier on a gold source or content head (kept in the role's span or
   not).
3. Fit the three logistic regressions (scikit-learn, lbfgs, fixed seed) and, when a dev split is
   given, choose the cue and trim thresholds on it (the dev split only tunes three numbers; it is
   never a training example).

Reproducible: the same split, seed and spaCy model give the same files.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Optional

from .. import polnear
from ..quotemarks import quote_runs
from .attribution import (TRIM_DEPS, AttributionModel, child_features, cue_candidate, cue_features,
                          trim_features)
from .linear import LinearModel

TH_VERB_GRID = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
TH_NOUN_GRID = (0.4, 0.5, 0.6, 0.7, 0.8)
TH_TRIM_GRID = (0.3, 0.4, 0.5, 0.6, 0.7)
TH_NESTED_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


def _chars(text: str, frags) -> set:
    return set(polnear._chars(text, frags))


def _tok_chars(text: str, toks) -> set:
    return _chars(text, [(t.idx, t.idx + len(t.text)) for t in toks])


def _share(part: set, whole: set) -> float:
    return len(part & whole) / len(part) if part else 0.0


def child_label(text: str, child, gold: dict) -> str:
    sub = list(child.subtree)
    all_c = _tok_chars(text, sub)
    own = _tok_chars(text, [child])
    if own & gold["cue"]:
        rest = all_c - own
        if rest and _share(rest, gold["content"]) > 0.5:
            return "split"
        return "cue"
    if _share(all_c, gold["content"]) > 0.5:
        return "content"
    if _share(all_c, gold["source"]) > 0.5:
        return "source"
    return "none"


def article_rows(doc, art, priors: dict, rules) -> tuple[list, list, list]:
    """(cue rows, role rows, trim rows) of one article: (features, label) pairs."""
    text = art.text
    gold = [{r: _chars(text, getattr(g, r)) for r in polnear.ROLES} for g in art.attributions]
    cue_of: dict = {}
    for tok in doc:
        tc = _tok_chars(text, [tok])
        if not tc:
            continue
        for gi, g in enumerate(gold):
            if tc & g["cue"]:
                cue_of[tok.i] = gi
                break
    _, run_of = quote_runs(doc, text)
    cue_rows, role_rows, trim_rows = [], [], []
    for tok in doc:
        kind = cue_candidate(tok, priors)
        if kind is None:
            continue
        cue_rows.append((cue_features(tok, kind, priors, run_of), "cue" if tok.i in cue_of else "no"))
        if kind != "V" or tok.i not in cue_of:
            continue
        g = gold[cue_of[tok.i]]
        rule_src = rules._source(tok)
        heads = []
        for c in tok.children:
            if c.is_punct and c.dep_ == "punct":
                continue
            label = child_label(text, c, g)
            role_rows.append((child_features(tok, c, run_of, rule_src), label))
            if label == "content" and c.pos_ in ("NOUN", "PROPN"):
                heads.append(("content", c))
            elif label == "source":
                heads.append(("source", c))
            elif label == "split":
                heads.extend(("content", o) for o in c.children if o.dep_ in ("pobj", "pcomp"))
        if rule_src is not None and rule_src.head is not tok:
            heads.append(("source", rule_src))
        for role, h in heads:
            for gc in h.children:
                if gc.dep_ not in TRIM_DEPS:
                    continue
                keep = _share(_tok_chars(text, list(gc.subtree)), g[role]) > 0.5
                trim_rows.append((trim_features(role, h, gc), "keep" if keep else "cut"))
    return cue_rows, role_rows, trim_rows


def parse_split(path, nlp, cache: Optional[Path] = None, limit: Optional[int] = None, log=None):
    """(articles, docs) of a PolNeAR split; with `cache`, the parses are kept as a DocBin file."""
    from spacy.tokens import DocBin

    arts = list(polnear.load_split(path))
    if limit:
        arts = arts[:limit]
    fn = None
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        fn = cache / f"{Path(path).name}-{len(arts)}.spacy"
        if fn.exists():
            docs = list(DocBin().from_disk(fn).get_docs(nlp.vocab))
            if len(docs) == len(arts) and all(d.text == a.text for d, a in zip(docs, arts)):
                return arts, docs
    t0 = time.perf_counter()
    docs = list(nlp.pipe([a.text for a in arts], batch_size=16))
    if log:
        log(f"parsed {len(arts)} articles of {path} in {time.perf_counter() - t0:.0f} s")
    if fn is not None:
        db = DocBin(store_user_data=False)
        for d in docs:
            db.add(d)
        db.to_disk(fn)
    return arts, docs


def score_split(extractor, arts, docs) -> dict:
    """PolNeAR scores of an extractor on parsed articles (the spans `code --quotes` writes)."""
    from ..model import Article

    counts = polnear.new_counts()
    for a, doc in zip(arts, docs):
        qs = extractor.attributions(doc, Article(article_id=a.name, text=a.text))
        polnear.score_article(a.text, [polnear.quote_to_attribution(q) for q in qs], a.attributions, counts)
    return polnear.summarise(counts)


def mean_f1(scores: dict) -> float:
    return sum(scores[m][r]["f1"] for m in ("exact", "overlap") for r in polnear.ROLES) / 6


def train_attribution(train_dir, out, dev_dir=None, model_name: Optional[str] = None, seed: int = 0,
                      limit: Optional[int] = None, cache: Optional[Path] = None, c: float = 0.5,
                      log: Callable = print) -> AttributionModel:
    from ..nlp import load_model
    from ..quotes import QuoteExtractor, cue_priors

    t0 = time.perf_counter()
    nlp = load_model(model_name)
    priors = cue_priors()
    arts, docs = parse_split(train_dir, nlp, cache, limit, log)
    if not arts:
        raise ValueError(f"{train_dir}: no annotated articles")
    rules = QuoteExtractor(model=None)
    cue_rows, role_rows, trim_rows = [], [], []
    for doc, art in zip(docs, arts):
        a, b, t = article_rows(doc, art, priors, rules)
        cue_rows += a
        role_rows += b
        trim_rows += t
    log(f"{len(cue_rows)} cue candidates ({sum(1 for _, y in cue_rows if y == 'cue')} cues), "
        f"{len(role_rows)} cue children, {len(trim_rows)} span modifiers")
    for name, rows, classes in (("cue", cue_rows, {"cue", "no"}), ("trim", trim_rows, {"keep", "cut"})):
        if {y for _, y in rows} != classes:
            raise ValueError(f"too little training data: the {name} rows lack a class (need {sorted(classes)})")
    models = {}
    for name, rows in (("cue", cue_rows), ("role", role_rows), ("trim", trim_rows)):
        models[name] = LinearModel.fit([f for f, _ in rows], [y for _, y in rows], c=c, seed=seed)
        log(f"fitted the {name} model ({len(models[name].vocab)} features)")
    meta = {"train": str(train_dir), "articles": len(arts), "seed": seed, "c": c,
            "cue_rows": len(cue_rows), "role_rows": len(role_rows), "trim_rows": len(trim_rows),
            "spacy_model": nlp.meta.get("name", "?") + "-" + nlp.meta.get("version", "?"),
            "th_verb": 0.5, "th_noun": 0.6, "th_trim": 0.5, "th_nested": 0.7}
    model = AttributionModel(models["cue"], models["role"], models["trim"], meta)
    if dev_dir is not None:
        dev_arts, dev_docs = parse_split(dev_dir, nlp, cache, None, log)
        qx = QuoteExtractor(model=model)
        for key, grid in (("th_verb", TH_VERB_GRID), ("th_noun", TH_NOUN_GRID), ("th_trim", TH_TRIM_GRID),
                          ("th_nested", TH_NESTED_GRID)):
            best = None
            for th in grid:
                meta[key] = th
                f = mean_f1(score_split(qx, dev_arts, dev_docs))
                if best is None or f > best[0] + 1e-9:
                    best = (f, th)
            meta[key] = best[1]
            log(f"{key} = {best[1]} (dev mean F1 {best[0]:.4f})")
        meta["dev"] = str(dev_dir)
        meta["dev_scores"] = {m: {r: v["f1"] for r, v in s.items()}
                              for m, s in score_split(qx, dev_arts, dev_docs).items()}
    meta["seconds"] = round(time.perf_counter() - t0, 1)
    model.save(Path(out))
    log(f"wrote the attribution model to {out} ({meta['seconds']} s)")
    return model

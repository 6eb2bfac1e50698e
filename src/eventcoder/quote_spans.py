"""Token and character spans of attribution roles: noun phrases, subtrees as character runs,
merging of quotation fragments (shared by quotes.py and learn/attribution.py)."""
from __future__ import annotations

from typing import Optional

from .syntax import descendants

SRC_EXCLUDE_DEPS = {"relcl", "acl", "advcl", "parataxis"}


def tok_span(toks) -> Optional[tuple]:
    toks = [t for t in toks if not t.is_punct or t.text in "%$"]
    if not toks:
        return None
    toks.sort(key=lambda t: t.i)
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def subtree_runs(doc, idxs: set, text: str) -> list:
    """Contiguous character runs of a set of token indices (punctuation at the edges trimmed)."""
    if not idxs:
        return []
    out = []
    run = []
    for i in sorted(idxs):
        if run and i != run[-1] + 1:
            out.append(run)
            run = []
        run.append(i)
    out.append(run)
    spans = []
    for r in out:
        toks = [doc[i] for i in r]
        while toks and toks[0].is_punct and toks[0].text not in "“\"'‘$":
            toks.pop(0)
        while toks and toks[-1].is_punct and toks[-1].text not in "”\"'’%":
            toks.pop()
        if toks:
            spans.append((toks[0].idx, toks[-1].idx + len(toks[-1].text)))
    return spans


def np_tokens(h) -> list:
    """A source noun phrase: the head and its dependents, without clauses hanging on it."""
    return descendants(h, lambda t, c: c.dep_ not in SRC_EXCLUDE_DEPS and not (t is h and c.dep_ == "punct"))


def merge_frags(frags, exclude=()) -> list:
    frags = sorted(f for f in frags if f)
    out: list = []
    for s, e in frags:
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    # cut the cue/source out of a quotation that was merged over them
    res = []
    for s, e in out:
        pieces = [(s, e)]
        for ex in exclude:
            if not ex:
                continue
            xs, xe = ex
            nxt = []
            for ps, pe in pieces:
                if xe <= ps or xs >= pe:
                    nxt.append((ps, pe))
                    continue
                if ps < xs:
                    nxt.append((ps, xs))
                if xe < pe:
                    nxt.append((xe, pe))
            pieces = nxt
        res.extend(p for p in pieces if p[1] > p[0])
    return res

"""The trained attribution model: which words are attribution cues, and which words around a cue
are its source, its content and the rest of the cue (learned from PolNeAR's train split).

    model = load_attribution_model()            # the shipped files, learn/data/attribution_*.npz
    probs = model.cue_probs(doc, run_of)        # token index -> P(attribution cue)
    roles = model.child_roles(doc, cue_token)   # child token -> cue | content | source | split | none
    keep = model.keep_child(role, head, child)  # P(child's subtree belongs to the role's span)

Three linear models over string features (learn/linear.py, plain arrays, numpy at run time):

  * ``cue``: every verb, and every noun or adjective with a cue prior, is scored as a cue or not
    (its lemma, prior, dependency, complements, subject, quotation marks nearby);
  * ``role``: every child of an accepted cue verb is given a role: ``cue`` (its subtree is part of
    the cue: auxiliaries, negation, "also", "on Monday", "in a statement"), ``split`` (the child is
    cue and what hangs on it is content: "complained *about* the policy", "described *as* …"),
    ``content``, ``source`` or ``none``;
  * ``trim``: a clause or modifier hanging on a source or content head (relative clause, participle,
    apposition, prepositional phrase) is kept in the span or cut.

quotes.QuoteExtractor uses it when the files are present (`eventcoder train quotes` writes them);
direct quotations keep the rule stage's content (the quotation marks are better than any model),
and every Quote says where it came from (`origin` "model" or "rule", and the model's `score`).
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .linear import LinearModel, tuned

MODEL_DIR = Path(__file__).parent / "data"
PREFIX = "attribution_"
ROLES = ("cue", "split", "content", "source", "none")
TRIM_DEPS = frozenset({"relcl", "acl", "advcl", "appos", "prep", "parataxis", "conj", "cc", "punct",
                       "npadvmod", "advmod"})
FUNCTION_DEPS = frozenset({"aux", "auxpass", "neg", "advmod", "prt", "prep", "mark", "cc", "npadvmod",
                           "agent", "dative", "punct", "det", "case"})


class AttributionModelError(ValueError):
    pass


def _bucket(p: Optional[float]) -> str:
    return "none" if p is None else str(min(9, int(p * 10)))


def _size(n: int) -> str:
    return "1" if n <= 1 else "2-3" if n <= 3 else "4-8" if n <= 8 else "9+"


def cue_candidate(tok, priors: dict) -> Optional[str]:
    """"V", "N" or "A" when the token can be a cue (a verb, or a noun/adjective with a prior)."""
    pos = tok.pos_
    if pos == "VERB":
        return "V"
    if pos in ("NOUN", "ADJ"):
        key = "N" if pos == "NOUN" else "A"
        if (tok.lemma_.lower(), key) in priors:
            return key
    return None


def cue_features(tok, kind: str, priors: dict, run_of: dict) -> list:
    doc = tok.doc
    lem = tok.lemma_.lower()
    p = priors.get((lem, kind))
    f = [f"l={lem}", f"k={kind}", f"pr={_bucket(p)}", f"d={tok.dep_}", f"t={tok.tag_}",
         f"ld={lem}|{tok.dep_}", f"h={tok.head.lemma_.lower()}|{tok.dep_}", f"hp={tok.head.pos_}"]
    deps = set()
    for c in tok.children:
        deps.add(c.dep_)
        if c.dep_ in ("nsubj", "nsubjpass"):
            f.append(f"subj={c.ent_type_ or c.pos_}")
            if c.pos_ == "PRON":
                f.append(f"subjw={c.lower_}")
        elif c.dep_ == "ccomp":
            if any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children):
                f.append("that")
            f.append(f"lcc={lem}")
        elif c.dep_ == "prep":
            f.append(f"prep={c.lower_}")
            f.append(f"lprep={lem}|{c.lower_}")
        elif c.dep_ in ("aux", "neg") and c.lower_ in ("to", "not", "n't", "will", "would", "could"):
            f.append(f"aux={c.lower_}")
    for d in sorted(deps):
        f.append(f"c={d}")
        f.append(f"pc={kind}|{d}")
    i = tok.i
    f.append(f"w-1={doc[i - 1].lower_ if i > 0 else '<s>'}")
    f.append(f"w+1={doc[i + 1].lower_ if i + 1 < len(doc) else '</s>'}")
    if i in run_of:
        f.append("inquote")
    near = [j for j in range(max(0, i - 4), min(len(doc), i + 5)) if j != i and j in run_of]
    if near:
        f.append("quote_near")
        f.append(f"quote_near|{lem}")
    if tok.sent.end - i <= 3:
        f.append("sent_end")
    return f


def child_features(cue, child, run_of: dict, rule_src=None) -> list:
    lem = cue.lemma_.lower()
    side = "L" if child.i < cue.i else "R"
    sub = list(child.subtree)
    f = [f"d={child.dep_}", f"cd={lem}|{child.dep_}", f"s={side}|{child.dep_}", f"p={child.pos_}",
         f"n={_size(len(sub))}|{child.dep_}", f"cp={cue.pos_}|{child.dep_}", f"e={child.ent_type_}"]
    if child.dep_ in FUNCTION_DEPS or child.pos_ in ("ADP", "PART", "AUX", "ADV", "SCONJ"):
        f.append(f"w={child.lower_}|{child.dep_}")
        f.append(f"lw={lem}|{child.lower_}")
    if child.dep_ == "prep":
        obj = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
        f.append(f"pobj={obj.pos_ if obj is not None else '-'}|{obj.ent_type_ if obj is not None else ''}")
        if obj is not None and obj.dep_ == "pcomp":
            f.append("pcomp")
        if obj is not None and obj.ent_type_ in ("DATE", "TIME"):
            f.append("ptime")
    if child.ent_type_ in ("DATE", "TIME"):
        f.append("time")
    gap = abs(child.i - cue.i)
    f.append(f"g={side}{min(gap, 4)}|{child.dep_}")
    lo, hi = sorted((child.i, cue.i))
    if any(cue.doc[k].text == "," for k in range(lo + 1, hi)):
        f.append(f"comma|{child.dep_}")
    if any(t.i in run_of for t in sub):
        f.append("quoted")
    if any(g.dep_ == "mark" and g.lower_ == "that" for g in child.children):
        f.append("that")
    if rule_src is not None and child.i == rule_src.i:
        f.append("rule_src")
    if child.pos_ == "PRON":
        f.append(f"pron={child.lower_}")
    return f


def trim_features(role: str, head, child) -> list:
    sub = list(child.subtree)
    f = [f"r={role}", f"d={role}|{child.dep_}", f"hp={role}|{head.pos_}|{child.dep_}",
         f"n={_size(len(sub))}|{child.dep_}", f"s={'L' if child.i < head.i else 'R'}|{child.dep_}"]
    if child.dep_ in ("prep", "cc", "punct", "advmod", "npadvmod"):
        f.append(f"w={role}|{child.lower_}")
    first = sub[0]
    f.append(f"first={first.lower_ if first.pos_ in ('ADP', 'SCONJ', 'PRON', 'PUNCT', 'CCONJ') else first.pos_}")
    if child.dep_ == "relcl":
        f.append(f"rel={sub[0].lower_}")
    if any(t.ent_type_ in ("DATE", "TIME") for t in sub):
        f.append("time")
    if any("\n" in t.text or "\n" in t.whitespace_ for t in sub):
        f.append("newline")
    return f


@dataclass
class AttributionModel:
    cue: LinearModel
    role: LinearModel
    trim: LinearModel
    meta: dict = field(default_factory=dict)

    th_verb = tuned("th_verb", 0.5)
    th_noun = tuned("th_noun", 0.5)
    th_nested = tuned("th_nested", 0.7, "a nested attribution (its cue inside another's content) is "
                                         "kept when its cue scores this")
    th_trim = tuned("th_trim", 0.5)

    def cue_probs(self, doc, priors: dict, run_of: dict) -> dict:
        """Token index -> (P(cue), "V"/"N"/"A") for every cue candidate of the doc."""
        idx, kinds, feats = [], [], []
        for tok in doc:
            kind = cue_candidate(tok, priors)
            if kind is None:
                continue
            idx.append(tok.i)
            kinds.append(kind)
            feats.append(cue_features(tok, kind, priors, run_of))
        if not feats:
            return {}
        probs = self.cue.probs_many(feats)
        col = self.cue.classes.index("cue")
        return {i: (float(p[col]), k) for i, k, p in zip(idx, kinds, probs)}

    def child_roles(self, cue, run_of: dict, rule_src=None) -> dict:
        """Child token index -> (role, probability) for the children of a cue word."""
        kids = [c for c in cue.children if not (c.is_punct and c.dep_ == "punct")]
        if not kids:
            return {}
        probs = self.role.probs_many([child_features(cue, c, run_of, rule_src) for c in kids])
        out = {}
        for c, p in zip(kids, probs):
            j = int(p.argmax())
            out[c.i] = (self.role.classes[j], float(p[j]))
        return out

    def keep_children(self, role: str, head, exclude: set) -> list:
        """Children of a source/content head (TRIM_DEPS) the model keeps in the span."""
        kids = [c for c in head.children if c.dep_ in TRIM_DEPS and c.i not in exclude]
        if not kids:
            return []
        probs = self.trim.probs_many([trim_features(role, head, c) for c in kids])
        col = self.trim.classes.index("keep")
        return [c for c, p in zip(kids, probs) if p[col] >= self.th_trim]

    def save(self, out: Path) -> None:
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        self.cue.save(out / f"{PREFIX}cue.npz")
        self.role.save(out / f"{PREFIX}role.npz")
        self.trim.save(out / f"{PREFIX}trim.npz")
        (out / f"{PREFIX}meta.json").write_text(json.dumps(self.meta, indent=2, sort_keys=True) + "\n",
                                               encoding="utf-8")


def load(directory: Path | str) -> AttributionModel:
    d = Path(directory)
    paths = [d / f"{PREFIX}{n}.npz" for n in ("cue", "role", "trim")]
    missing = [p.name for p in paths + [d / f"{PREFIX}meta.json"] if not p.exists()]
    if missing:
        raise AttributionModelError(f"{d} has no attribution model ({', '.join(missing)} missing; "
                                    f"run `eventcoder train quotes --out {d}`)")
    try:
        meta = json.loads((d / f"{PREFIX}meta.json").read_text(encoding="utf-8"))
        cue, role, trim = (LinearModel.load(p) for p in paths)
    except (OSError, ValueError, KeyError) as exc:
        raise AttributionModelError(f"{d}: unreadable attribution model ({exc})") from None
    if "cue" not in cue.classes or "keep" not in trim.classes or set(role.classes) - set(ROLES):
        raise AttributionModelError(f"{d}: attribution model files have unexpected classes")
    return AttributionModel(cue, role, trim, meta)


@functools.lru_cache(maxsize=4)
def load_attribution_model(directory: Optional[str] = None) -> Optional[AttributionModel]:
    """The shipped model (None when its files are absent: the extractor then uses the rules)."""
    d = Path(directory) if directory else MODEL_DIR
    if directory is None and not (d / f"{PREFIX}meta.json").exists():
        return None
    return load(d)


# ---- applying the role and trim models to one cue verb --------------------------------------------
@dataclass
class Spans:
    """Token indices of one attribution's roles, as the model reads them around a cue verb."""
    cue: list
    source_head: object
    source: set
    content: set
    score: float


def _cut_at_newline(head, toks: set) -> set:
    """Drop the tokens before the last line break in front of the head ("7 p.m.\\n\\nDonald Trump")."""
    doc = head.doc
    lo = min(toks) if toks else head.i
    cut = lo
    for i in range(lo, head.i):
        if "\n" in doc[i].text or "\n" in doc[i].whitespace_:
            cut = i + 1
    return {i for i in toks if i >= cut}


def _trimmed(model: AttributionModel, role: str, head, exclude: set) -> set:
    """The head's subtree without the TRIM_DEPS children the model cuts (one level)."""
    out = {t.i for t in head.subtree} - exclude
    kept = {c.i for c in model.keep_children(role, head, exclude)}
    for c in head.children:
        if c.dep_ in TRIM_DEPS and c.i not in kept:
            out -= {t.i for t in c.subtree}
    return out


def _block(verb, toks: set) -> set:
    """The tokens on the cue's side of any line break (a misparsed dateline is not content)."""
    doc = verb.doc
    sent = verb.sent
    lo, hi = sent.start, sent.end
    for i in range(verb.i - 1, sent.start - 1, -1):
        if "\n" in doc[i].whitespace_ or "\n" in doc[i].text:
            lo = i + 1
            break
    for i in range(verb.i, sent.end):
        if "\n" in doc[i].whitespace_ or "\n" in doc[i].text:
            hi = i + 1
            break
    return {i for i in toks if lo <= i < hi}


def tidy(doc, idxs: set) -> set:
    """Fill gaps of punctuation only, drop conjunctions and punctuation at the edges."""
    if not idxs:
        return idxs
    out = set(idxs)
    lo, hi = min(out), max(out)
    i = lo
    while i <= hi:
        if i not in out:
            j = i
            while j <= hi and j not in out:
                j += 1
            if all(doc[k].is_punct or doc[k].is_space for k in range(i, j)):
                out.update(range(i, j))
            i = j
        else:
            i += 1

    def edge(t):
        return t.pos_ == "CCONJ" or t.is_space or (t.is_punct and t.text not in "“\"'‘”’%$")
    order = sorted(out)
    while order and edge(doc[order[0]]):
        out.discard(order.pop(0))
    while order and edge(doc[order[-1]]):
        out.discard(order.pop())
    return out


def _contiguous(verb, idxs: set) -> set:
    """The run of cue tokens around the cue word (the cue is one span; words between are not cue)."""
    lo = hi = verb.i
    while lo - 1 in idxs:
        lo -= 1
    while hi + 1 in idxs:
        hi += 1
    return set(range(lo, hi + 1))


def verb_spans(model: AttributionModel, verb, run_of: dict, rule_src=None) -> Spans:
    """Cue, source and content tokens of a cue verb from the role and trim models."""
    cue = [verb]
    content: set = set()
    found = {"src": None, "p": 0.0}
    scores = []

    def walk(head, depth):
        roles = model.child_roles(head, run_of, rule_src)
        for c in head.children:
            role, p = roles.get(c.i, ("none", 1.0))
            if c.dep_ == "agent":  # "criticized by X": by is cue, X the source
                obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if role in ("cue", "split", "source") and obj is not None:
                    cue.append(c)
                    found["src"], found["p"] = obj, 1.0
                continue
            if role == "cue":
                sub = [t for t in c.subtree if t.i not in run_of]
                if len(sub) <= 3 or depth >= 2:
                    cue.extend(sub)
                else:  # "continue to ignore …", "issued a statement welcoming …": a cue chain
                    cue.append(c)
                    walk(c, depth + 1)
            elif role == "split" and c.pos_ in ("VERB", "AUX", "NOUN", "ADJ") and depth < 2:
                cue.append(c)  # "continue to ignore …": a cue chain
                walk(c, depth + 1)
            elif role == "split":
                cue.append(c)
                for g in c.children:
                    content.update(_trimmed(model, "content", g, set()) if g.dep_ in ("pobj", "pcomp")
                                   else {t.i for t in g.subtree})
            elif role == "content":
                content.update(_trimmed(model, "content", c, set()) if c.pos_ in ("NOUN", "PROPN")
                               else {t.i for t in c.subtree})
            elif role == "source" and p > found["p"]:
                found["src"], found["p"] = c, p
            scores.append(p)

    walk(verb, 0)
    src = found["src"]
    if src is None and rule_src is not None and not (rule_src.head is verb and rule_src.dep_ not in (
            "nsubj", "nsubjpass")):
        src = rule_src  # inherited through a conjunct, a relative clause, a participle
    cue_set = _contiguous(verb, {t.i for t in cue})
    cue = [verb.doc[i] for i in sorted(cue_set)]
    source: set = set()
    if src is not None:
        source = _trimmed(model, "source", src, cue_set | content | {verb.i})
        source = _cut_at_newline(src, source)
    content = tidy(verb.doc, _block(verb, content - cue_set - source))
    return Spans(cue=cue, source_head=src, source=source, content=content,
                 score=min(scores) if scores else 1.0)

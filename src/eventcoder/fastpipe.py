"""Exact, faster stand-ins for two of spaCy's rule-based components.

In `en_core_web_sm` the two rule components cost about as much as the neural parser
(measured on VOA news, one process): the attribute ruler runs spaCy's general `Matcher` over every
token for its 179 patterns, almost all of which test one token's TAG and/or LOWER; the rule
lemmatizer caches its answers only for words that are not base forms and not proper nouns, so it
recomputes the common case for every token. Both are pure functions of a few token attributes,
so they can be answered from dictionaries with the same result:

* `FastAttributeMatch` replaces `AttributeRuler.match` and `.set_annotations`: the same
  (attr id, match id, start, end) matches, found by looking each token's (TAG, LOWER, DEP, IS_SPACE)
  up in a cache of one-token pattern results and indexing the few multi-token patterns on their
  first token, instead of running the matcher; then each token gets, attribute by attribute, the
  value of the last matching rule in attribute-id order -- spaCy's "later rules win" -- written with
  one `Doc.from_array`. Patterns using anything beyond exact values, IN, NOT_IN and REGEX
  (operators, other attributes), or rules setting other attributes, make `install` leave the ruler
  alone.
* `cached_lemmatize` replaces `Lemmatizer.lemmatize` in rule mode with a bounded cache keyed by
  (ORTH, POS, MORPH), the inputs `rule_lemmatize` reads.

`install(nlp)` patches the components of one pipeline object (instance attributes, so
`uninstall(nlp)` restores spaCy's code); `tests/test_fastpipe.py` checks token-for-token equality of
TAG, POS, MORPH, LEMMA and DEP with spaCy's own components on real news text.
"""
from __future__ import annotations

import contextlib
import re

MAX_LEMMA_CACHE = 50_000
MAX_RULER_CACHE = 50_000
_COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}  # the arrays read per token


class FastAttributeMatch:
    """Drop-ins for `AttributeRuler.match` and `.set_annotations` (see the module docstring)."""

    def __init__(self, ruler) -> None:
        strings = ruler.vocab.strings
        self._patterns = []  # (attr_id, match id hash, [per-token {column: test}])
        self._single_patterns = []  # indices of one-token patterns
        self._multi_by_first: dict = {}  # (column, value hash) -> multi-token pattern indices
        self._cache: dict = {}  # token values -> one-token matches
        self._combined: dict = {}  # attr ids matching one token -> final attribute values
        self._indices = list(ruler.indices)
        self._attrs = [dict(a) for a in ruler.attrs]
        from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG
        self._col = {TAG: 0, POS: 1, MORPH: 2, LEMMA: 3}
        allowed = set(self._col) | {DEP}
        if any(set(a) - allowed for a in self._attrs):
            raise ValueError("the ruler sets attributes other than TAG, POS, MORPH, LEMMA and DEP")
        for attr_id in range(len(ruler.attrs)):
            key = str(attr_id)
            got = ruler.matcher.get(key)
            if got is None:
                continue
            for pattern in got[1]:
                compiled = [self._compile(tok, strings) for tok in pattern]
                pi = len(self._patterns)
                self._patterns.append((attr_id, strings.add(key), compiled))
                if len(compiled) == 1:
                    self._single_patterns.append(pi)
                    continue
                exact = [(c, t[1]) for c, t in compiled[0].items() if t[0] == "eq" and c != 3]
                self._multi_by_first.setdefault(exact[0] if exact else None, []).append(pi)
        self._multi_firsts = frozenset(k for k in self._multi_by_first if k is not None)

    @staticmethod
    def _compile(tok: dict, strings) -> dict:
        out = {}
        for attr, value in tok.items():
            if attr not in _COLUMNS:
                raise ValueError(f"attribute {attr!r} not supported")
            c = _COLUMNS[attr]
            if attr == "IS_SPACE":
                if not isinstance(value, bool):
                    raise ValueError("IS_SPACE needs a bool")
                out[c] = ("eq", value)
            elif isinstance(value, str):
                out[c] = ("eq", strings.add(value))
            elif isinstance(value, dict) and len(value) == 1 and set(value) <= {"IN", "NOT_IN", "REGEX"}:
                op, vals = next(iter(value.items()))
                if op == "REGEX":
                    out[c] = ("re", re.compile(vals))
                else:
                    out[c] = ("in" if op == "IN" else "not_in", frozenset(strings.add(v) for v in vals))
            else:
                raise ValueError(f"pattern value {value!r} not supported")
        return out

    def _single(self, row: tuple, strings) -> tuple:
        """(attr id, match id) of the one-token patterns a token with these values matches."""
        out = []
        for pi in self._single_patterns:
            attr_id, match_id, compiled = self._patterns[pi]
            if _token_ok(compiled[0], row, strings):
                out.append((attr_id, match_id))
        return tuple(out)

    def match(self, doc) -> list:
        """`AttributeRuler.match`: sorted (attr id, match id, start, end) tuples."""
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        if not len(doc):
            return []
        rows = [tuple(r) for r in doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()]
        n = len(rows)
        strings = doc.vocab.strings
        cache = self._cache
        by_first = self._multi_by_first
        firsts = self._multi_firsts
        anywhere = by_first.get(None, ())
        patterns = self._patterns
        found = []
        for i, row in enumerate(rows):
            got = cache.get(row)
            if got is None:
                got = self._single(row, strings)
                if len(cache) >= MAX_RULER_CACHE:
                    cache.clear()
                cache[row] = got
            for attr_id, match_id in got:
                found.append((attr_id, match_id, i, i + 1))
            if anywhere or (0, row[0]) in firsts or (1, row[1]) in firsts or (2, row[2]) in firsts:
                for k in ((0, row[0]), (1, row[1]), (2, row[2]), None):
                    for pi in by_first.get(k, ()):
                        attr_id, match_id, compiled = patterns[pi]
                        m = len(compiled)
                        if i + m <= n and all(_token_ok(compiled[j], rows[i + j], strings)
                                              for j in range(m)):
                            found.append((attr_id, match_id, i, i + m))
        # spaCy's matcher reports a pattern key once per span even when two of its alternatives
        # match the same tokens; then AttributeRuler.match sorts by attribute id.
        return sorted(set(found))

    def set_annotations(self, doc, matches) -> None:
        """`AttributeRuler.set_annotations` on arrays: each token gets, attribute by attribute, the
        value of the last matching rule (matches come sorted by attribute id), as spaCy's loop of
        `set_token_attrs` calls leaves it."""
        from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG

        if not matches:
            return
        per_token: dict = {}
        n = len(doc)
        for attr_id, _, start, end in matches:
            idx = self._indices[attr_id]
            i = (start + idx) if idx >= 0 else (end + idx)
            if not start <= i < end or not 0 <= i < n:
                raise ValueError(f"attribute ruler index {idx} outside the match {start}-{end}")
            per_token.setdefault(i, []).append(attr_id)
        cols = [TAG, POS, MORPH, LEMMA]
        arr = doc.to_array(cols)
        combined = self._combined
        deps = []
        for i, ids in per_token.items():
            key = tuple(ids)
            vals = combined.get(key)
            if vals is None:
                merged: dict = {}
                for a in ids:
                    merged.update(self._attrs[a])
                vals = combined[key] = tuple(merged.items())
            for attr, value in vals:
                c = self._col.get(attr)
                if c is None:
                    deps.append((i, value))
                else:
                    arr[i, c] = value
        doc.from_array(cols, arr)
        for i, value in deps:
            doc[i].dep = value


def _token_ok(tests: dict, row: tuple, strings) -> bool:
    for col, (op, v) in tests.items():
        x = row[col]
        if col == 3:
            x = bool(x)
        if op == "eq":
            if x != v:
                return False
        elif op == "in":
            if x not in v:
                return False
        elif op == "not_in":
            if x in v:
                return False
        elif not v.search(strings[x]):  # "re": spaCy's REGEX predicate uses re.search
            return False
    return True


def cached_lemmatize(lemmatizer):
    """`Lemmatizer.lemmatize` for rule mode with every answer cached by (ORTH, POS, MORPH)."""
    rule = lemmatizer.rule_lemmatize
    cache: dict = {}

    def lemmatize(token):
        key = (token.orth, token.pos, token.morph.key)
        got = cache.get(key)
        if got is None:
            got = rule(token)
            if len(cache) >= MAX_LEMMA_CACHE:
                cache.clear()
            cache[key] = got
        return got

    return lemmatize


def install(nlp) -> list:
    """Patch the pipeline's attribute ruler and rule lemmatizer in place; returns what was patched.
    Components it cannot reproduce exactly are left as they are."""
    from spacy.pipeline import AttributeRuler, Lemmatizer

    done = []
    for name, proc in nlp.pipeline:
        if isinstance(proc, AttributeRuler) and "match" not in _own(proc):
            try:
                fast = FastAttributeMatch(proc)
            except ValueError:
                continue
            proc.match, proc.set_annotations = fast.match, fast.set_annotations
            done.append(name)
        elif isinstance(proc, Lemmatizer) and getattr(proc, "mode", None) == "rule" and not getattr(
                proc, "_eventcoder_cached", False):
            proc.lemmatize = cached_lemmatize(proc)
            proc._eventcoder_cached = True
            done.append(name)
    return done


def uninstall(nlp) -> None:
    """Restore spaCy's own methods on a pipeline patched by `install`."""
    for _, proc in nlp.pipeline:
        own = _own(proc)
        for attr in ("match", "set_annotations"):
            if attr in own:
                delattr(proc, attr)
        if own.pop("_eventcoder_cached", False):
            proc.lemmatize = proc.rule_lemmatize  # what spaCy's Lemmatizer.__init__ sets in rule mode


def installed(nlp) -> list:
    """Names of the components `install` has patched."""
    return [name for name, proc in nlp.pipeline
            if "match" in _own(proc) or _own(proc).get("_eventcoder_cached")]


def _own(proc) -> dict:
    """Instance attributes (compiled components have none)."""
    return getattr(proc, "__dict__", {})


@contextlib.contextmanager
def original(nlp):
    """Run a block with spaCy's own components (benchmarks use it for their baseline), then patch
    them again if they were patched before."""
    had = installed(nlp)
    uninstall(nlp)
    try:
        yield nlp
    finally:
        if had:
            install(nlp)

"""Sentence pre-filter: run spaCy's expensive components only on sentences that can hold an event.

The model (tok2vec, tagger, parser, lemmatizer, ner) costs ~95% of the coder's time; the
tokenizer and a rule-based sentencizer cost a few percent. An event needs a trigger (a lemma that
heads an entry of the trigger lexicon, `events/lexicon.py`), or the "X said Y must Z" obligation
pattern (a reporting verb plus must/should/ought). So per article:

  1. cheap pass: `nlp.tokenizer` and spaCy's Sentencizer rule on the token arrays (no weights);
  2. a sentence is *kept* when one of its tokens may lemmatise to a trigger head. Candidate lemmas
     come from the model's own rule lemmatizer tables (`lemma_exc`, `lemma_rules`) applied for both
     verb and noun readings without a POS tag, so the test over-approximates: it never misses a
     form the tagged lemmatizer would map to a head ("met" -> meet, "talks" -> talk), it only keeps
     a few sentences it did not need. Report-only heads ("say") are not triggers on their own;
  3. runs of consecutive kept sentences go through the pipeline without the entity recogniser
     (batched `nlp.pipe` across articles); dropped runs keep their cheap tokens (no tags, no
     parse, no entities);
  3b. second gate (`gate_ner`, on by default): the entity recogniser -- its own tok2vec in
     en_core_web_sm, about half of the model's time -- runs only on the parsed sentences where the
     frame stage's own trigger test (`events.triggers.TriggerMatcher.may_hold_event`, which
     without entities can only over-approximate) finds an act, plus quote/reporting sentences when quotes are coded;
  4. the parts are joined with `Doc.from_docs` into ONE Doc over exactly the article text, so every
     character offset (Event.span, actor and quote spans) and every sentence index refers to the
     original article: nothing is re-mapped after coding.

Limits: coreference cannot see mentions in dropped sentences, nor the entities of parsed sentences
the second gate skipped (a pronoun whose antecedent is only named there may stay unresolved);
`context=1` also keeps the sentence before each kept run to reduce this. Sentence boundaries inside kept runs are the parser's; elsewhere the
sentencizer's, so sentence indices can differ from the full pipeline's (ids too, since event_id
hashes sentence_index).
"""
from __future__ import annotations

import collections
import itertools
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional

# The frame stage's own trigger test and word lists: the words that make "REPORTER said Y must Z"
# (CAMEO 10x) possible without a lexicon trigger, and the forms never read as triggers.
from .events.triggers import (MAX_SENT_CHARS, NOT_TRIGGERS, OBLIGATION_WORDS,  # noqa: F401
                              REPORTING_LEMMAS, TriggerMatcher)

PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "himself", "herself", "they", "them",
                      "their", "theirs", "themselves", "it", "its", "itself", "we", "us", "our", "i",
                      "me", "my", "you", "your", "who", "whom", "whose", "which", "that", "this",
                      "these", "those", "both", "each", "either", "neither", "one", "all", "some"})
QUOTE_MARKS = frozenset('"“”‘’«»')
MAX_CACHE = 100_000  # entries per cache (bounded memory in long-running workers)


@dataclass
class Plan:
    """One article's cheap pass: the tokenized Doc and its runs of kept/dropped sentences."""
    cheap: object                                  # spaCy Doc (tokenizer only)
    runs: list = field(default_factory=list)       # (start_token, end_token, keep: bool)
    n_sents: int = 0
    n_kept: int = 0
    starts: frozenset = frozenset()                # token indices that start a sentence

    @property
    def kept_texts(self) -> list:
        return [self.cheap[a:b].text_with_ws for a, b, keep in self.runs if keep]


class SentencePrefilter:
    """Decides which sentences need the full pipeline and assembles the article Doc again.

    >>> pf = SentencePrefilter(nlp)
    >>> for doc, ctx in pf.pipe(nlp, ((text, ctx) for ...), batch_size=32): ...
    """

    def __init__(self, nlp, lexicon=None, keep_quotes: bool = False, context: int = 0,
                 max_sent_chars: Optional[int] = None, require_actor: bool = True, kb=None,
                 gate_ner: bool = True, frames=None):
        from spacy.pipeline import Sentencizer

        from .events.lexicon import Lexicon

        self.nlp = nlp
        self._punct_chars = frozenset(nlp.vocab.strings.add(c) for c in Sentencizer.default_punct_chars)
        lex = lexicon or Lexicon.default()
        requires: dict = {}
        for e in lex:
            if "report" not in e.flags:
                requires.setdefault(e.head, set()).add(frozenset(e.requires))
        # head -> the alternative sets of lemmas that must also occur (empty set: the head alone)
        self.requires = {h: tuple(sorted(v, key=len)) for h, v in requires.items()}
        self.trigger_heads = frozenset(requires)
        self.report_heads = frozenset(REPORTING_LEMMAS) | {"insist", "demand", "warn", "urge"}
        self.keep_quotes = keep_quotes
        self.context = max(0, int(context))
        self.max_sent_chars = max_sent_chars or MAX_SENT_CHARS
        self._rules, self._exc = [], []
        try:
            lookups = nlp.get_pipe("lemmatizer").lookups
            rules, exc = lookups.get_table("lemma_rules"), lookups.get_table("lemma_exc")
            for pos in ("verb", "noun"):
                self._rules.extend(tuple(r) for r in rules.get(pos, []))
                self._exc.append(exc.get(pos, {}))
        except (KeyError, ValueError, AttributeError):  # a model without rule tables
            self._rules = [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""),
                           ("ing", "e"), ("ing", "")]
        self._rules = list(dict.fromkeys(self._rules))
        self.require_actor = require_actor
        self._kb = kb
        self._by_hash: dict = {}  # LOWER hash -> see _info
        self._cap: dict = {}  # ORTH hash -> starts with a capital
        self.stop_words = frozenset(getattr(nlp.Defaults, "stop_words", ()))
        # Second gate: the entity recogniser (its own tok2vec: about half of the model's time) runs
        # only on the parsed sentences that the frame stage's own trigger test accepts.
        self.gate_ner = gate_ner and "ner" in nlp.pipe_names
        self._frames = frames  # anything with may_hold_event(sent); default: a TriggerMatcher
        self._lexicon = lex

    # -- the cheap test ------------------------------------------------------------------------
    def candidate_lemmas(self, lower: str) -> set:
        """Every lemma the rule lemmatizer could give `lower` as a verb or a noun (no POS)."""
        out = {lower}
        for table in self._exc:
            out.update(table.get(lower, ()))
        for old, new in self._rules:
            if lower.endswith(old) and len(lower) > len(old):
                out.add(lower[: len(lower) - len(old)] + new)
        # doubled consonant ("planned" -> plann -> plan) is in the exceptions table for most verbs;
        # add the generic case too
        for suf in ("ed", "ing"):
            if lower.endswith(suf) and len(lower) > len(suf) + 2:
                stem = lower[: -len(suf)]
                if stem[-1] == stem[-2]:
                    out.add(stem[:-1])
        return out

    def _info(self, lower_hash: int) -> tuple:
        """Facts about one lowercase form, cached: (candidate lemmas, trigger heads, direct
        trigger (a head with an entry that requires nothing), actor word, stop word, quote mark,
        reporting verb, obligation word)."""
        got = self._by_hash.get(lower_hash)
        if got is None:
            low = self.nlp.vocab.strings[lower_hash]
            lemmas = frozenset(self.candidate_lemmas(low))
            heads = frozenset() if low in NOT_TRIGGERS else lemmas & self.trigger_heads
            direct = any(not req for h in heads for req in self.requires[h])
            got = (lemmas, heads, direct, self._is_actor_word(low), low in self.stop_words,
                   low in QUOTE_MARKS, bool(lemmas & self.report_heads), low in OBLIGATION_WORDS)
            if len(self._by_hash) < MAX_CACHE:
                self._by_hash[lower_hash] = got
        return got

    def _capitalised(self, orth_hash: int) -> bool:
        got = self._cap.get(orth_hash)
        if got is None:
            got = self.nlp.vocab.strings[orth_hash][:1].isupper()
            if len(self._cap) < MAX_CACHE:
                self._cap[orth_hash] = got
        return got

    def _is_actor_word(self, low: str) -> bool:
        if low in PRONOUNS:
            return True
        if self._kb is None:
            from .actors.kb import KnowledgeBase
            self._kb = KnowledgeBase.default()
        try:
            return self._kb.sector(low) is not None
        except Exception:  # pragma: no cover - a KB problem must not stop the filter
            return True

    def keep_tokens(self, lowers, orths) -> bool:
        """The test on one sentence given as LOWER and ORTH hashes (see `keep_sentence`)."""
        info = self._info
        direct = actor = quote = report = oblig = False
        conditional = False
        for j, (lh, oh) in enumerate(zip(lowers, orths)):
            _, hs, d, actor_word, stop, is_quote, is_report, is_oblig = info(lh)
            if d:
                direct = True
            elif hs:
                conditional = True
            if not actor and (actor_word or (self._capitalised(oh) and (j > 0 or not stop))):
                actor = True
            quote = quote or is_quote
            report = report or is_report
            oblig = oblig or is_oblig
            if direct and actor:
                return True
        if self.keep_quotes and (quote or report):
            return True
        trigger = direct or (report and oblig)
        if not trigger and conditional:  # heads whose entries require other lemmas too
            seen: set = set()
            heads: set = set()
            for lh in lowers:
                lemmas, hs = info(lh)[:2]
                seen.update(lemmas)
                heads.update(hs)
            trigger = any(req <= seen for h in heads for req in self.requires[h])
        if not trigger:
            return False
        # an event needs a source or a target: no possible actor (a capitalised word -- the first
        # word only when it is not a stop word --, a pronoun or a sector noun), no event
        return actor or not self.require_actor

    def keep_sentence(self, sent) -> bool:
        """May this sentence (a Span) hold an event? Over-approximates the frame stage's test:
        a trigger head (with the lemmas its entry requires anywhere in the sentence), or a
        reporting verb with must/should/ought; and a possible actor."""
        if len(sent.text) > self.max_sent_chars:
            return False  # the frame stage skips such sentences anyway
        return self.keep_tokens([t.lower for t in sent], [t.orth for t in sent])

    def sentences(self, arr) -> list:
        """(start, end) token ranges: spaCy's Sentencizer rule (a sentence ends after . ! ? and
        the like, plus any punctuation that follows) on the token arrays, without Token objects."""
        bounds, start, seen_period = [], 0, False
        punct = self._punct_chars
        for i, row in enumerate(arr):
            is_p = row[1] in punct
            if seen_period and not row[2] and not is_p:
                bounds.append((start, i))
                start, seen_period = i, False
            elif is_p:
                seen_period = True
        if arr:
            bounds.append((start, len(arr)))
        return bounds

    def plan(self, text: str) -> Plan:
        from spacy.attrs import IDX, IS_PUNCT, LOWER, ORTH

        cheap = self.nlp.make_doc(text)
        if not len(cheap):
            return Plan(cheap, [], 0, 0)
        arr = cheap.to_array([LOWER, ORTH, IS_PUNCT, IDX]).tolist()
        sents = self.sentences(arr)
        keep = []
        n = len(arr)
        for a, b in sents:
            end_char = arr[b][3] if b < n else len(text)
            if end_char - arr[a][3] > self.max_sent_chars:
                keep.append(False)
                continue
            rows = arr[a:b]
            keep.append(self.keep_tokens([r[0] for r in rows], [r[1] for r in rows]))
        if self.context:
            base = list(keep)
            for i, k in enumerate(base):
                if k:
                    for j in range(max(0, i - self.context), i):
                        keep[j] = True
        runs = []
        for k, group in itertools.groupby(zip(sents, keep), key=lambda p: p[1]):
            group = list(group)
            runs.append((group[0][0][0], group[-1][0][1], k))
        return Plan(cheap, runs, len(sents), sum(keep), frozenset(a for a, _ in sents))

    # -- assembling ----------------------------------------------------------------------------
    @staticmethod
    def assemble(plan: Plan, parsed: list):
        """One Doc over the whole article text: parsed docs for kept runs, cheap tokens elsewhere.

        Fast path: the annotations of each parsed run are copied into the cheap Doc's arrays at
        the run's token positions (one `Doc.from_array`); dropped sentences get a flat
        placeholder parse (first token ROOT, the others "dep") that keeps sentence boundaries.
        When a run was tokenized differently on its own (rare: a run boundary inside a
        whitespace-free chunk), the parts are joined with `Doc.from_docs` instead."""
        from spacy.tokens import Doc

        if all(keep for _, _, keep in plan.runs) and len(parsed) == 1:
            return parsed[0]
        if not plan.runs:
            return plan.cheap
        try:
            return _fill(plan, parsed)
        except _Mismatch:
            pass
        parts, it = [], iter(parsed)
        for a, b, keep in plan.runs:
            parts.append(next(it) if keep else _flat(plan.cheap, a, b, plan.starts))
        return Doc.from_docs(parts, ensure_whitespace=False, exclude=["tensor", "user_data"])

    # -- the stream ----------------------------------------------------------------------------
    def pipe(self, nlp, items: Iterable, batch_size: int = 32, n_process: int = 1,
             stats: Optional[dict] = None) -> Iterator:
        """Like `nlp.pipe(items, as_tuples=True)`: (text, ctx) in, (Doc, ctx) out, in order.

        Kept runs of all articles share one batched `nlp.pipe` stream; an article is emitted as
        soon as its last run is parsed. `stats` (a dict) is updated with sentence counts.
        """
        plans: collections.deque = collections.deque()  # (plan, ctx, n_runs_to_parse, parsed)

        def feed():
            for text, ctx in items:
                plan = self.plan(text)
                if stats is not None:
                    stats["articles"] = stats.get("articles", 0) + 1
                    stats["sentences"] = stats.get("sentences", 0) + plan.n_sents
                    stats["kept"] = stats.get("kept", 0) + plan.n_kept
                    stats["chars"] = stats.get("chars", 0) + len(text)
                    stats["kept_chars"] = stats.get("kept_chars", 0) + sum(
                        len(t) for t in plan.kept_texts)
                texts = plan.kept_texts
                entry = [plan, ctx, len(texts), []]
                plans.append(entry)
                if not texts:
                    # nothing to parse: still one (empty) item, so output order is kept simply
                    yield "", (entry, True)
                for t in texts:
                    yield t, (entry, False)

        parsed = nlp.pipe(feed(), as_tuples=True, batch_size=batch_size, n_process=n_process,
                          disable=["ner"] if self.gate_ner else [])
        if self.gate_ner:
            parsed = self._entities(parsed, batch_size, stats)
        for doc, (entry, placeholder) in parsed:
            if not placeholder:
                entry[3].append(doc)
            while plans and len(plans[0][3]) >= plans[0][2]:
                plan, ctx, _, parsed = plans.popleft()
                yield self.assemble(plan, parsed), ctx

    # -- the second gate: entities only where the parse shows a trigger ---------------------------
    def needs_entities(self, sent) -> bool:
        """Does this parsed sentence need the entity recogniser? Yes when the frame stage could
        find an event in it (`TriggerMatcher.may_hold_event`), or, when quotes are coded, when it
        has a quote mark or a reporting verb (attribution needs the speaker's entity)."""
        if self._frames is None:
            self._frames = TriggerMatcher(self._lexicon)
        if self._frames.may_hold_event(sent):
            return True
        if self.keep_quotes:
            for t in sent:
                facts = self._info(t.lower)
                if facts[5] or facts[6]:  # a quote mark or a reporting verb
                    return True
        return False

    def _entities(self, parsed: Iterable, batch_size: int, stats: Optional[dict]) -> Iterator:
        """Run the entity recogniser over the sentences of the parsed runs that need it, a batch of
        runs at a time, and write the entities back into the run Docs."""
        from spacy.tokens import Doc, Span

        ner = self.nlp.get_pipe("ner")
        buf: list = []

        def flush():
            jobs, parts = [], []
            for doc, (entry, placeholder) in buf:
                if placeholder or not len(doc):
                    continue
                spans, start = [], None
                for sent in doc.sents:
                    if self.needs_entities(sent):
                        if start is None:
                            start = sent.start
                        end = sent.end
                    elif start is not None:
                        spans.append((start, end))
                        start = None
                if start is not None:
                    spans.append((start, end))
                for a, b in spans:
                    toks = doc[a:b]
                    jobs.append((doc, a))
                    parts.append(Doc(doc.vocab, words=[t.text for t in toks],
                                     spaces=[bool(t.whitespace_) for t in toks]))
                if stats is not None:
                    stats["ner_tokens"] = stats.get("ner_tokens", 0) + sum(b - a for a, b in spans)
                    stats["parsed_tokens"] = stats.get("parsed_tokens", 0) + len(doc)
            found: dict = {}
            for (doc, a), part in zip(jobs, ner.pipe(parts, batch_size=batch_size)):
                found.setdefault(id(doc), (doc, []))[1].extend(
                    Span(doc, a + e.start, a + e.end, label=e.label) for e in part.ents)
            for doc, ents in found.values():
                doc.set_ents(ents, default="outside")
            yield from buf
            buf.clear()

        for item in parsed:
            buf.append(item)
            if len(buf) >= batch_size:
                yield from flush()
        yield from flush()


def _flat(cheap, a: int, b: int, starts=frozenset()):
    """Tokens a..b of the cheap Doc as a Doc with a flat placeholder parse: each sentence's first
    token is its ROOT and the others hang from it with the label "dep". No tags, lemmas or
    entities, so no stage reads a trigger or an actor there; the parse only keeps the sentence
    boundaries when the parts are joined (Doc.from_docs keeps heads, not sentencizer starts)."""
    from spacy.tokens import Doc

    span = cheap[a:b]
    words = [t.text for t in span]
    spaces = [bool(t.whitespace_) for t in span]
    heads, deps = [], []
    root = 0
    for j, t in enumerate(span):
        if j == 0 or a + j in starts:
            root = j
            heads.append(j)
            deps.append("ROOT")
        else:
            heads.append(root)
            deps.append("dep")
    return Doc(cheap.vocab, words=words, spaces=spaces, heads=heads, deps=deps)


class _Mismatch(Exception):
    pass


_ATTRS = None


def _fill(plan: Plan, parsed: list):
    """Write the parsed runs' annotations into the cheap Doc (see `SentencePrefilter.assemble`)."""
    import numpy
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG

    global _ATTRS
    if _ATTRS is None:
        _ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE]
    cheap = plan.cheap
    n = len(cheap)
    strings = cheap.vocab.strings
    root, dep = strings.add("ROOT"), strings.add("dep")
    arr = numpy.zeros((n, len(_ATTRS)), dtype="uint64")
    it = iter(parsed)
    for a, b, keep in plan.runs:
        if keep:
            doc = next(it)
            if len(doc) != b - a or (b - a and doc[-1].idx != cheap[b - 1].idx - cheap[a].idx):
                raise _Mismatch()
            arr[a:b] = doc.to_array(_ATTRS)
        else:
            # flat placeholder parse per sentence: relative head offsets, as uint64
            heads = numpy.zeros(b - a, dtype="int64")
            deps = numpy.full(b - a, dep, dtype="uint64")
            starts = [j for j in range(a, b) if j == a or j in plan.starts]
            for k, s0 in enumerate(starts):
                s1 = starts[k + 1] if k + 1 < len(starts) else b
                heads[s0 - a: s1 - a] = s0 - numpy.arange(s0, s1)
                deps[s0 - a] = root
            arr[a:b, 4] = deps
            arr[a:b, 5] = heads.astype("uint64")
    cheap.from_array(_ATTRS, arr)
    return cheap

"""Quote attribution: who said (or thought, or wants) what, direct and indirect.

    qx = QuoteExtractor()
    quotes, stated = qx.extract(doc, article, actors)
    positions = derive_positions(doc, article, stated, events, actors)   # the coder does this

Works on the spaCy Doc the coder already has (no extra model calls): quotation marks are paired by a
scanner over the text, cues are found in the dependency parse, and speakers are resolved through the
coder's `ActorResolver` (so "he", "the spokesman" resolve as of their position).

Patterns handled (docs/quotes.md has examples and the known failures):
  * direct quotes with straight or curly double quotes, with the cue before, after or in the middle
    ("…," he said, "…"), quotes running over several sentences, and a quote that runs over several
    paragraphs (the usual convention: an unclosed paragraph whose successor opens with a quote mark);
    single quotes inside a double-quoted passage are part of it (nested quotes);
  * a quote that follows an attributed quote in the same paragraph with no cue of its own is given to
    the same speaker (a continuation);
  * indirect attributions: a cue verb with a subject and a clausal or nominal complement
    ("X said that …", "X told Y …", "X warned/argued/insisted …", "X dismissed the idea as …"),
    "according to X, …", "…, X said" and participial cues ("…, saying that …") that take the
    subject of the verb they hang on, and passives with an agent ("… was criticised by X");
  * nested attributions (a cue inside another attribution's content) are folded into the outer one
    unless the model is sure of their cue (PolNeAR annotates those separately).

Which words are cues, and the words of each role around a cue verb, come from the trained
attribution model (learn/attribution.py, learned from PolNeAR train) when its files ship; the rules
keep direct quotations (the quotation marks), "according to", colon cues and continuations, and every
record says which made it (`origin`, `score`). Without the model (`QuoteExtractor(model=None)`) a verb
is a cue when its prior (data/cue_priors.tsv: how often the lemma was a cue in PolNeAR train) is high
enough, with a lower bar when it governs a complement clause or a quotation. Speakers are resolved by
speakers.py. `extract` and `attributions` return every attribution (beliefs, wishes and evaluations
too), which is what PolNeAR scores.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .model import Actor, Article, Quote
from .syntax import doer
from .quote_spans import merge_frags as _merge_frags, np_tokens as _np_tokens
from .quote_spans import subtree_runs as _subtree_runs, tok_span as _tok_span
from .quotemarks import QuoteRun, quote_runs, scan_quotes  # noqa: F401  (re-exported)

# ---- tables -----------------------------------------------------------------------------------------
# Cue lemma priors (lemma, V/N/A) -> share of the lemma's occurrences that were an attribution cue in
# PolNeAR train: data/cue_priors.tsv (`eventcoder train quotes` recomputes it).
PRIORS_PATH = Path(__file__).parent / "data" / "cue_priors.tsv"

# Communication cues: what a reader calls a quote (`extract` keeps these, plus every direct quote).
SPEECH_LEMMAS = frozenset("""
say tell accord write add ask note suggest report argue announce describe statement talk point
tweet accuse respond explain claim cite declare acknowledge promise insist urge express mention warn
question state reveal praise vow propose recall pledge reject indicate predict deny dismiss blast
confirm admit post reply repeat answer remark comment emphasize stress assert allege reiterate
concede caution threaten demand disclose boast joke lament complain charge condemn denounce criticize
criticise slam decry rebuke counter contend maintain observe testify quote shout chant yell retort
proclaim reaffirm rebut clarify interject speculate estimate hint signal vouch muse
call email message brief inform assure remind conclude""".split())
# Nouns that report a stance when they govern a that-clause or a quotation ("X's stance that …").
CUE_NOUNS = frozenset({"stance", "statement", "claim", "view", "position", "insistence", "argument",
                       "assertion", "warning", "promise", "pledge", "demand", "proposal", "belief",
                       "contention", "suggestion", "remark", "comment", "message", "vow", "call",
                       "assurance", "allegation", "charge", "complaint", "admission", "declaration"})
NEG_WORDS = frozenset({"not", "n't", "never", "no"})

QUOTE_OPEN = "“\""
QUOTE_CLOSE = "”\""
CONTENT_DEPS_CLAUSE = ("ccomp", "csubj")
CONTENT_DEPS_OTHER = ("xcomp", "dobj", "attr", "oprd", "acomp")
CONTENT_PREPS = {"about", "on", "of", "for", "against", "that", "to", "as", "over", "at", "with", "in"}
from .quote_spans import SRC_EXCLUDE_DEPS  # noqa: E402,F401

# Decision thresholds (tuned on PolNeAR train; see docs/quotes.md).
TH_PLAIN = 0.25      # a cue verb with no clausal complement and no quote
TH_CLAUSE = 0.15     # a cue verb governing a complement clause or a quotation
TH_NOUN = 0.45       # a cue noun or adjective ("his statement that …", "confident that …")


@functools.lru_cache(maxsize=1)
def cue_priors() -> dict:
    out = {}
    for line in PRIORS_PATH.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        lemma, pos, p = line.split("\t")
        out[(lemma, pos)] = float(p)
    return out


# ---- attributions ------------------------------------------------------------------------------------
@dataclass
class Attribution:
    cue_tok: object  # spaCy Token (or None for a cue-less continuation)
    cue_span: Optional[tuple]
    source_head: object  # spaCy Token or None
    source_span: Optional[tuple]
    content: list  # [(start, end)]
    kind: str  # verb | according | noun | continuation
    direct: bool = False
    lemma: str = ""
    speaker: Optional[Actor] = None
    runs: list = field(default_factory=list)
    origin: str = "rule"  # "model" when the trained attribution model accepted the cue
    score: Optional[float] = None  # the model's P(cue)

    @property
    def start(self) -> int:
        return min([s for s, _ in self.content] + ([self.cue_span[0]] if self.cue_span else []))


class QuoteExtractor:
    """Direct and indirect attribution over a parsed article (see the module docstring)."""

    def __init__(self, th_plain: float = TH_PLAIN, th_clause: float = TH_CLAUSE, th_noun: float = TH_NOUN,
                 model="shipped"):
        """`model`: "shipped" (the trained attribution model in the package, when its files are
        there), an `AttributionModel`, a model directory, or None for the rules alone."""
        self.priors = cue_priors()
        if isinstance(model, (str, Path)):
            from .learn.attribution import load_attribution_model

            model = load_attribution_model(None if model == "shipped" else str(model))
        self.model = model
        self.th_plain = th_plain
        self.th_clause = th_clause
        self.th_noun = th_noun
        self.last_nested: list = []

    # ---- the coder's entry point ---------------------------------------------------------------------
    def extract(self, doc, article: Article, actors=None):
        """(quotes, stated) of one article: the quote records (communication cues and direct
        quotes, with speakers) and every attribution, nested ones too, as (Attribution, Quote)
        pairs in text order, which `positions.derive_positions` reads (the coder calls it, so
        this module does not import positions)."""
        atts = self._attributions(doc, article.text, actors)
        nested = self.last_nested
        # every attribution is a record (statements, beliefs, wishes, evaluations: PolNeAR's
        # sense), and `eval polnear` scores exactly these: filtering to speech verbs and direct
        # quotes cost 0.06-0.08 F1 for 0.05 precision (docs/quotes.md)
        quotes = [self._quote(a, article) for a in atts]
        # Positions read every attribution, nested ones too ("X said Y proposed Z" gives Y's proposal).
        stated = [(a, self._quote(a, article)) for a in sorted(atts + nested, key=lambda a: a.start)]
        return quotes, stated

    def attributions(self, doc, article: Article, actors=None) -> list[Quote]:
        """Every attribution (PolNeAR's sense: statements, beliefs, wishes, evaluations) as Quotes."""
        return [self._quote(a, article) for a in self._attributions(doc, article.text, actors)]

    # ---- internals ----------------------------------------------------------------------------------
    def _quote(self, a: Attribution, article: Article) -> Quote:
        text = article.text
        content = " … ".join(text[s:e] for s, e in a.content)
        return Quote(
            article_id=article.article_id, speaker=a.speaker,
            cue=text[a.cue_span[0]:a.cue_span[1]] if a.cue_span else None,
            content=content, direct=a.direct,
            speaker_span=a.source_span, cue_span=a.cue_span, content_spans=[tuple(s) for s in a.content],
            origin=a.origin, score=a.score,
        )

    def _attributions(self, doc, text: str, actors) -> list[Attribution]:
        runs, run_of = quote_runs(doc, text)
        atts: list[Attribution] = []
        priors = self.priors
        model = self.model
        probs = model.cue_probs(doc, priors, run_of) if model is not None else {}
        for tok in doc:
            pos = tok.pos_
            if pos == "VERB" or (pos == "AUX" and tok.dep_ in ("ROOT", "ccomp", "conj") and False):
                lemma = tok.lemma_.lower()
                if lemma == "accord" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                    a = self._according(doc, tok, text)
                    if a is not None:
                        atts.append(a)
                    continue
                if model is not None:
                    p = probs.get(tok.i, (0.0, "V"))[0]
                    if p < model.th_verb:
                        continue
                else:
                    p = priors.get((lemma, "V"))
                    if p is None or p < self.th_clause:
                        continue
                if tok.i in run_of and tok.i - 1 in run_of:  # words inside a quotation are not cues
                    continue
                a = self._verb_cue(doc, tok, lemma, p, run_of, runs, text)
                if a is not None:
                    atts.append(a)
            elif tok.text == ":" and tok.i > 0:
                a = self._colon_cue(doc, tok, run_of, runs, text)
                if a is not None:
                    atts.append(a)
            elif pos in ("NOUN", "ADJ"):
                lem = tok.lemma_.lower()
                if model is not None:
                    p = probs.get(tok.i, (0.0, "N"))[0]
                    if p < model.th_noun:
                        continue
                else:
                    p = priors.get((lem, "N" if pos == "NOUN" else "A"))
                    if (p is None or p < self.th_noun) and lem not in CUE_NOUNS:
                        continue
                a = self._noun_cue(doc, tok, run_of, runs, text)
                if a is not None:
                    if model is not None:
                        a.origin, a.score = "model", round(p, 3)
                    atts.append(a)
        atts = self._attach_runs(doc, atts, runs, run_of, text)
        nested: list = []
        atts = self._fold_nested(atts, nested, model.th_nested if model is not None else None)
        self.last_nested = nested
        if actors is not None:
            self._speakers(doc, atts + nested, actors)
        atts.sort(key=lambda a: a.start)
        return atts

    # -- cues ---------------------------------------------------------------------------------------
    @staticmethod
    def _source(verb):
        """Source head token of a cue verb, or None: its doer (`syntax.doer`, the walk the
        event sources share)."""
        return doer(verb)[0]

    def _content_tokens(self, verb, exclude: set) -> set:
        kids = [c for c in verb.children if c.i not in exclude]
        clause = [c for c in kids if c.dep_ in CONTENT_DEPS_CLAUSE]
        chosen = clause
        if not chosen:
            chosen = [c for c in kids if c.dep_ in CONTENT_DEPS_OTHER]
            chosen += [c for c in kids if c.dep_ == "prep" and c.lower_ in CONTENT_PREPS and c.i > verb.i]
            if not chosen:
                chosen = [c for c in kids if c.dep_ in ("advcl", "parataxis") and c.i > verb.i]
        else:
            # "told reporters that …": the recipient is not content; "called X a Y" keeps both
            chosen += [c for c in kids if c.dep_ in ("oprd",)]
        idxs: set = set()
        for c in chosen:
            for t in c.subtree:
                idxs.add(t.i)
        return idxs

    def _verb_cue(self, doc, verb, lemma, prior, run_of, runs, text) -> Optional[Attribution]:
        src = self._source(verb)
        exclude = set()
        if src is not None:
            exclude.update(t.i for t in src.subtree)
        idxs = self._content_tokens(verb, exclude)
        has_clause = any(c.dep_ in CONTENT_DEPS_CLAUSE for c in verb.children)
        quoted = {run_of[i] for i in idxs if i in run_of}
        # "…," he said.  /  he said: "…"  — a quotation right next to the cue clause
        if runs:
            for adj in self._adjacent_runs(doc, verb, run_of, src, before=not quoted):
                quoted.add(adj)
        if verb.dep_ == "parataxis" and not idxs:
            # "We will win," he said  parsed with "said" hanging on the quote's verb
            head = verb.head
            vt = {t.i for t in verb.subtree}
            idxs = {t.i for t in head.subtree if t.i not in vt}
            has_clause = True
        if not idxs and not quoted:
            return None
        if self.model is not None:
            return self._model_verb_cue(doc, verb, lemma, prior, src, idxs, quoted, run_of, runs, text)
        th = self.th_clause if (has_clause or quoted) else self.th_plain
        if prior < th:
            return None
        cue_toks = [verb] + [c for c in verb.children if c.dep_ == "prt" or (
            c.dep_ in ("neg",) and c.i < verb.i)]
        content = _subtree_runs(doc, idxs - {t.i for t in cue_toks}, text)
        a = Attribution(
            cue_tok=verb, cue_span=_tok_span(cue_toks), source_head=src,
            source_span=_tok_span(_np_tokens(src)) if src is not None else None,
            content=content, kind="verb", lemma=lemma, runs=sorted(quoted))
        self._merge_runs(a, runs)
        if not a.content:
            return None
        return a

    def _model_verb_cue(self, doc, verb, lemma, prior, src, idxs, quoted, run_of, runs, text):
        """The model's spans for an accepted cue verb; a direct quotation keeps the rule's content."""
        from .learn.attribution import verb_spans

        sp = verb_spans(self.model, verb, run_of, src)
        content_idx = sp.content
        # a quotation the model's content reaches keeps the model's words around it ("called the
        # plan a “crazy system”"); otherwise the rule's words next to the quotation
        if (quoted and not content_idx) or (verb.dep_ == "parataxis" and not content_idx):
            content_idx = set(idxs) - {t.i for t in sp.cue} - sp.source
        content = _subtree_runs(doc, content_idx, text)
        a = Attribution(
            cue_tok=verb, cue_span=_tok_span(sp.cue), source_head=sp.source_head,
            source_span=_tok_span([doc[i] for i in sp.source]) if sp.source else None,
            content=content, kind="verb", lemma=lemma, runs=sorted(quoted),
            origin="rule" if quoted else "model", score=round(prior, 3))
        self._merge_runs(a, runs)
        if not a.content:
            return None
        return a

    def _according(self, doc, tok, text) -> Optional[Attribution]:
        to = doc[tok.i + 1]
        src = next((c for c in to.children if c.dep_ == "pobj"), None)
        if src is None:
            return None
        head = tok.head if tok.head is not tok else None
        skip = {t.i for t in tok.subtree}
        if head is None or head.i in skip:
            return None
        idxs = {t.i for t in head.subtree if t.i not in skip}
        content = _subtree_runs(doc, idxs, text)
        if not content:
            return None
        return Attribution(cue_tok=tok, cue_span=(tok.idx, to.idx + len(to.text)), source_head=src,
                           source_span=_tok_span(_np_tokens(src)), content=content, kind="according",
                           lemma="accord")

    def _colon_cue(self, doc, colon, run_of, runs, text) -> Optional[Attribution]:
        """`Mukasey: Clinton email scandal disqualifies her` / `Trump: "…"` — a verbless speaker
        phrase, a colon, and what was said."""
        sent = colon.sent
        left = [t for t in doc[sent.start:colon.i]]
        if not left or len(left) > 10 or any(t.pos_ in ("VERB", "AUX") for t in left):
            return None
        j = colon.i + 1
        while j < sent.end and doc[j].is_space:
            j += 1
        if j >= len(doc):
            return None
        quoted = j in run_of
        if not quoted and not any(t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") for t in left):
            return None
        heads = [t for t in left if t.head.i >= colon.i or t.head.i < sent.start or t.head == t or
                 t.dep_ in ("ROOT", "nsubj", "npadvmod", "dep")]
        heads = [t for t in heads if t.pos_ in ("PROPN", "NOUN", "PRON")]
        src = heads[-1] if heads else None
        if src is None:
            return None
        if quoted:
            r = runs[run_of[j]]
            content = list(r.frags)
            ri = [run_of[j]]
        else:
            content = [(doc[j].idx, sent.end_char)]
            ri = []
        a = Attribution(cue_tok=colon, cue_span=(colon.idx, colon.idx + 1), source_head=src,
                        source_span=_tok_span(left), content=content, kind="colon", lemma=":",
                        direct=quoted, runs=ri)
        return a

    def _noun_cue(self, doc, tok, run_of, runs, text) -> Optional[Attribution]:
        """"Clinton's statement that …", "confident that …": a cue noun/adjective with a clause."""
        clause = [c for c in tok.children if c.dep_ in ("acl", "ccomp", "relcl") and any(
            g.dep_ == "mark" and g.lower_ == "that" for g in c.children)]
        quoted = []
        if clause:
            quoted = sorted({run_of[t.i] for c in clause for t in c.subtree if t.i in run_of})
        if not clause:
            prep = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("about", "that", "of", "for", "on")]
            if not prep or tok.pos_ != "ADJ":
                return None
            clause = prep
        src = next((c for c in tok.children if c.dep_ == "poss"), None)
        if src is None and tok.pos_ == "ADJ":
            head = tok.head
            src = next((c for c in head.children if c.dep_ == "nsubj"), None)
        idxs = set()
        for c in clause:
            idxs.update(t.i for t in c.subtree)
        content = _subtree_runs(doc, idxs, text)
        if not content:
            return None
        a = Attribution(cue_tok=tok, cue_span=(tok.idx, tok.idx + len(tok.text)), source_head=src,
                        source_span=_tok_span(_np_tokens(src)) if src is not None else None,
                        content=content, kind="noun", lemma=tok.lemma_.lower(), runs=quoted)
        self._merge_runs(a, runs)
        return a

    def _adjacent_runs(self, doc, verb, run_of, src, before: bool = True) -> list:
        """Quotations that end just before the cue clause or open just after it."""
        out = []
        sent = verb.sent
        left = min([verb.i] + ([t.i for t in src.subtree] if src is not None else []))
        i = left - 1
        while i >= sent.start - 1 and i >= 0 and doc[i].is_punct and i not in run_of:
            i -= 1
        if before and i >= 0 and i in run_of and left - i <= 3:
            out.append(run_of[i])
        right = max([verb.i] + ([t.i for t in src.subtree] if src is not None and src.i > verb.i else []))
        j = right + 1
        while j < len(doc) and (doc[j].is_punct or doc[j].is_space) and j not in run_of:
            j += 1
        if j < len(doc) and j in run_of and j - right <= 3:
            out.append(run_of[j])
        return out

    @staticmethod
    def _merge_runs(a: Attribution, runs) -> None:
        if not a.runs:
            return
        frags = list(a.content)
        for ri in a.runs:
            frags.extend(runs[ri].frags)
        a.direct = True
        a.content = _merge_frags(frags, exclude=[a.cue_span, a.source_span])

    def _attach_runs(self, doc, atts, runs, run_of, text) -> list:
        """Quotations no cue has claimed: continuations of the previous direct quote's speaker."""
        if not runs:
            return atts
        claimed = set()
        for a in atts:
            claimed.update(a.runs)
        by_start = sorted(atts, key=lambda a: a.start)
        for ri, r in enumerate(runs):
            if ri in claimed:
                continue
            # too short to be speech on its own (scare quotes, titles)
            body = text[r.start:r.end]
            if len(body.split()) < 4:
                continue
            prev = None
            for a in by_start:
                if a.start < r.start and a.direct:
                    prev = a
            if prev is None:
                continue
            gap = text[max(s for _, s in prev.content):r.start]
            if "\n\n" in gap or len(gap) > 400:  # a new paragraph's quotation is another attribution
                continue
            prev.content = _merge_frags(list(prev.content) + list(r.frags))
            prev.runs.append(ri)
            claimed.add(ri)
        return atts

    @staticmethod
    def _fold_nested(atts, nested_out: Optional[list] = None, keep_score: Optional[float] = None) -> list:
        """Drop attributions whose cue lies inside another attribution's content (into nested_out),
        unless the model scored their cue at least `keep_score`."""
        out = []
        for a in atts:
            if a.cue_span is None:
                out.append(a)
                continue
            cs, ce = a.cue_span
            nested = False
            for b in atts:
                if b is a:
                    continue
                for s, e in b.content:
                    if s <= cs and ce <= e:
                        nested = True
                        # PolNeAR annotates a nested attribution of its own when the cue is clear
                        if keep_score is not None and a.score is not None and a.score >= keep_score:
                            nested = False
                        break
                if nested:
                    break
            if not nested:
                out.append(a)
            elif nested_out is not None:
                nested_out.append(a)
        return out

    @staticmethod
    def _speakers(doc, atts, actors) -> None:
        """Each source's Actor (speakers.py); "I"/"we" inside a direct quotation is its speaker."""
        import bisect

        from .speakers import resolve_speaker

        starts = [t.idx for t in doc]
        for a in sorted(atts, key=lambda a: a.start):
            if a.source_head is None or a.speaker is not None:
                continue
            toks = [a.source_head]
            if a.source_span:
                lo = bisect.bisect_left(starts, a.source_span[0])
                hi = bisect.bisect_left(starts, a.source_span[1])
                toks = [doc[i] for i in range(lo, hi)] or toks
            if a.source_head.lower_ in ("i", "we", "me", "us"):
                outer = next((b for b in atts if b is not a and b.direct and b.speaker is not None and any(
                    s <= a.source_head.idx < e for s, e in b.content)), None)
                if outer is not None:
                    a.speaker = outer.speaker
                    continue
            a.speaker = resolve_speaker(actors, a.source_head, toks)

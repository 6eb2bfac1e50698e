"""Quote attribution: who said (or thought, or wants) what, direct and indirect.

    qx = QuoteExtractor()
    quotes, positions = qx.extract(doc, article, actors, events)

Works on the spaCy Doc the coder already has (no extra model calls): quotation marks are paired by a
scanner over the text, cues are found in the dependency parse, and speakers are resolved through the
coder's `ArticleActors` (so "he", "the spokesman" resolve as of their position).

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
  * nested attributions (a cue inside another attribution's content) are folded into the outer one,
    as PolNeAR annotates them.

Cue verbs come with a prior: how often the lemma was an attribution cue in PolNeAR's train split
(`polnear.cue_priors` recomputes the table). A verb is taken as a cue when its prior is high enough,
with a lower bar when it governs a complement clause or a quotation; `extract` returns the
communication cues and direct quotes (the "quotes" of the product); `attributions` returns every
attribution (beliefs, wishes and evaluations too), which is what PolNeAR scores.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Optional

from .model import Actor, Article, Quote

# ---- tables -----------------------------------------------------------------------------------------
# lemma/POS(V,N,A):prior — share of the lemma's occurrences that were an attribution cue in PolNeAR
# train (840 articles), for lemmas seen >= 4 times as a cue with a prior >= 0.15.
_CUE_PRIORS = """
say/V:0.86 tell/V:0.70 call/V:0.56 accord/V:0.93 write/V:0.74 ask/V:0.63 add/V:0.73 show/V:0.51
note/V:0.94 suggest/V:0.77 report/V:0.67 argue/V:0.85 know/V:0.20 announce/V:0.79 see/V:0.20
support/V:0.26 seem/V:0.50 expect/V:0.54 want/V:0.17 describe/V:0.70 statement/N:0.33
appear/V:0.39 endorse/V:0.52 find/V:0.26 talk/V:0.37 continue/V:0.27 point/V:0.72
criticize/V:0.73 tweet/V:0.68 seek/V:0.40 accuse/V:0.75 support/N:0.18 respond/V:0.48
explain/V:0.70 claim/V:0.64 believe/V:0.24 offer/V:0.40 cite/V:0.84 declare/V:0.70
question/N:0.18 acknowledge/V:0.76 speak/V:0.18 decline/V:0.70 agree/V:0.44 refer/V:0.65
look/V:0.16 promise/V:0.74 insist/V:0.84 hop/V:0.58 defend/V:0.50 refuse/V:0.63 urge/V:0.75
express/V:0.72 mention/V:0.66 oppose/V:0.39 warn/V:0.85 question/V:0.71 release/V:0.23
back/V:0.29 discuss/V:0.54 state/V:0.78 reveal/V:0.65 praise/V:0.80 vow/V:0.91 attack/V:0.34
consider/V:0.29 recall/V:0.80 propose/V:0.48 criticism/N:0.38 clear/A:0.21 push/V:0.32
focus/V:0.26 conclude/V:0.72 pledge/V:0.34 reject/V:0.55 decide/V:0.27 indicate/V:0.73
concern/N:0.26 plan/V:0.28 call/N:0.21 blame/V:0.64 predict/V:0.65 name/V:0.42 denounce/V:0.77
admit/V:0.50 dismiss/V:0.76 blast/V:0.94 post/V:0.46 feel/V:0.16 deny/V:0.44 share/V:0.27
confirm/V:0.56 worry/V:0.48 issue/V:0.41 view/N:0.17 cast/V:0.25 endorsement/N:0.20 pass/V:0.20
reply/V:0.82 read/V:0.27 attention/N:0.20 draw/V:0.16 remember/V:0.38 like/V:0.18 repeat/V:0.46
highlight/V:0.49 address/V:0.21 claim/N:0.25 identify/V:0.30 view/V:0.33 mock/V:0.71
deliver/V:0.20 fear/V:0.51 tout/V:0.92 charge/V:0.39 remind/V:0.55 list/V:0.68 recognize/V:0.30
learn/V:0.26 echo/V:0.61 challenge/V:0.28 portray/V:0.69 slam/V:0.79 prefer/V:0.56 sign/V:0.20
emphasize/V:0.69 complain/V:0.73 assure/V:0.59 favor/V:0.29 threaten/V:0.43 order/V:0.70
nominate/V:0.26 promise/N:0.29 opposition/N:0.24 answer/V:0.31 lay/V:0.29 assert/V:0.69
hope/N:0.32 comment/V:0.35 doubt/N:0.43 boast/V:0.67 condemn/V:0.55 aim/V:0.32 promote/V:0.35
hope/V:0.28 concede/V:0.78 encourage/V:0.29 allege/V:0.46 reiterate/V:0.86 wonder/V:0.52
compare/V:0.16 sound/V:0.31 determine/V:0.21 embrace/V:0.23 press/V:0.35 thank/V:0.36
advocate/V:0.41 present/V:0.29 introduce/V:0.28 remark/V:0.64 file/V:0.21 estimate/V:0.44
accept/V:0.15 publish/V:0.24 convince/V:0.42 stress/V:0.88 argument/N:0.16 joke/V:0.71
demand/V:0.43 fire/V:0.20 ignore/V:0.22 favor/N:0.25 disclose/V:0.52 deem/V:0.64 decry/V:1.00
lament/V:0.93 rail/V:0.88 intend/V:0.27 letter/N:0.16 rule/V:0.31 launch/V:0.22
suggestion/N:0.37 imply/V:0.50 persuade/V:0.36 quote/V:0.60 eager/A:0.60 applaud/V:0.55
confident/A:0.35 fear/N:0.16 shout/V:0.46 reference/V:0.67 voice/V:0.71 underscore/V:0.37
willing/A:0.16 opinion/N:0.15 assertion/N:0.48 chant/V:0.65 complaint/N:0.37 apologize/V:0.39
request/V:0.35 recommend/V:0.42 signal/V:0.58 project/V:0.33 demonstrate/V:0.20 plead/V:0.59
email/V:0.42 reference/N:0.34 praise/N:0.50 enjoy/V:0.23 unclear/A:0.29 advice/N:0.21
welcome/V:0.20 worried/A:0.32 quick/A:0.37 title/V:0.62 skeptical/A:0.34 approve/V:0.32
caution/V:0.91 attempt/V:0.22 look/N:0.16 announcement/N:0.17 allegation/N:0.26 adopt/V:0.19
credit/V:0.82 count/V:0.15 maintain/V:0.16 mention/N:0.45 celebrate/V:0.19 chant/N:0.75
concerned/A:0.26 outline/V:0.53 aware/A:0.36 hint/V:0.75 assail/V:0.82 debate/V:0.19
regard/V:0.25 expose/V:0.23 note/N:0.16 attribute/V:0.47 stance/N:0.16 anger/V:0.53
detail/V:0.47 label/V:0.57 accusation/N:0.22 congratulate/V:0.47 rattle/V:0.40 tend/V:0.20
hopeful/A:0.47 speculate/V:0.73 invoke/V:0.44 realize/V:0.24 appoint/V:0.22 champion/V:0.33
retweete/V:0.64 yell/V:0.44 cheer/V:0.22 pledge/N:0.25 boo/V:0.32 imagine/V:0.21
confidence/N:0.21 assume/V:0.18 disavow/V:0.41 dispute/V:0.41 warning/N:0.28 distance/V:0.54
sue/V:0.23 paint/V:0.32 recount/V:0.58 contend/V:0.54 envision/V:0.70 chide/V:1.00 rebut/V:0.78
brag/V:0.70 anxiety/N:0.20 figure/V:0.18 sharp/A:0.18 consensus/N:0.26 document/V:0.60
column/N:0.16 guilty/A:0.23 disagreement/N:0.33 disagree/V:0.21 harsh/A:0.26 testify/V:0.32
suspect/V:0.40 counter/V:0.30 clarify/V:0.46 belief/N:0.21 design/V:0.20 inform/V:0.38
contrast/V:0.38 recite/V:0.67 devote/V:0.32 notion/N:0.17 weigh/V:0.22 resist/V:0.35
vouch/V:1.00 bemoan/V:1.00 articulate/V:0.67 interject/V:0.75 restrict/V:0.29 proclaim/V:0.60
disclosure/N:0.24 rebuke/V:0.67 hail/V:0.67 liken/V:0.67 lash/V:0.75 renew/V:0.29
assumption/N:0.40 understanding/N:0.33 pivot/V:0.40 seize/V:0.18 speculation/N:0.30
allude/V:0.86 characterize/V:0.55 side/V:0.55 observe/V:0.50 fun/N:0.25 critique/N:0.21
guess/V:0.20 forget/V:0.19 reluctant/A:0.38 display/V:0.26 witness/V:0.38 enthusiasm/N:0.15
reaffirm/V:0.71 rip/V:0.23 backing/N:0.31 stump/N:0.19 protest/V:0.25 invite/V:0.15
unveil/V:0.38 dislike/V:0.33 interested/A:0.16 desire/N:0.31 double/V:0.25 mount/V:0.24
favorable/A:0.19 outspoken/A:0.50 footage/N:0.42 doubt/V:0.45 line/V:0.26 dub/V:0.62
contradict/V:0.33 lambast/V:0.83 knock/V:0.16 react/V:0.21 sentiment/N:0.18 balk/V:0.83
single/V:0.62 supportive/A:0.36 frame/V:0.29 interpret/V:0.50 notice/V:0.26 contemplate/V:0.56
spar/V:0.56 experience/V:0.28 aim/N:0.26 deride/V:0.71 acquiesce/V:1.00 brush/V:0.56
vocal/A:0.33 wary/A:0.56 forecast/V:1.00 rebuff/V:0.50 passion/N:0.22 insult/V:0.29
obvious/A:0.21 estimate/N:0.19 refusal/N:0.17 assessment/N:0.17 justify/V:0.29 nervous/A:0.27
description/N:0.21 admission/N:0.36 align/V:0.17 fierce/A:0.17 dedicate/V:0.36 talking/N:0.25
touch/V:0.15 swipe/N:0.50 trade/V:0.15 optimistic/A:0.22 elaborate/V:0.50 telephone/N:0.17
hammer/V:0.31 bill/V:1.00 cheer/N:0.15 broadcast/V:0.40 resonate/V:0.17 tribute/N:0.31
joke/N:0.20 enthusiastic/A:0.15 cry/V:0.50 pressure/V:0.33 authorize/V:0.21 sponsor/V:0.16
prohibit/V:0.31 finger/N:0.25 position/V:0.20 dwell/V:0.80 rejection/N:0.29 embrace/N:0.40
recognition/N:0.19 vow/N:0.44 scar/V:0.44 widespread/A:0.17 length/N:0.31 judge/V:0.33
repudiate/V:0.67 petition/N:0.44 discover/V:0.17 opt/V:0.24 lobby/V:0.16 glad/A:0.31
mandate/V:0.36 shrug/V:0.57 contention/N:0.25 withdraw/V:0.19 circulate/V:0.33 alarm/V:0.50
inclined/A:0.57 inclination/N:0.50 hint/N:0.50 utter/V:0.50 relish/V:0.80 pump/V:0.80
muse/V:1.00
"""

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
SOURCE_DEPS = ("nsubj", "nsubjpass")
INHERIT_DEPS = ("conj", "advcl", "xcomp", "pcomp", "acl")
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
SRC_EXCLUDE_DEPS = {"relcl", "acl", "advcl", "parataxis"}

# Decision thresholds (tuned on PolNeAR train; see docs/quotes.md).
TH_PLAIN = 0.25      # a cue verb with no clausal complement and no quote
TH_CLAUSE = 0.15     # a cue verb governing a complement clause or a quotation
TH_NOUN = 0.45       # a cue noun or adjective ("his statement that …", "confident that …")


@functools.lru_cache(maxsize=1)
def cue_priors() -> dict:
    out = {}
    for item in _CUE_PRIORS.split():
        key, _, p = item.rpartition(":")
        lemma, _, pos = key.partition("/")
        out[(lemma, pos)] = float(p)
    return out


# ---- quotation marks ---------------------------------------------------------------------------------
@dataclass
class QuoteRun:
    """One direct quotation: its fragments (one per paragraph it spans), marks included."""
    frags: list

    @property
    def start(self) -> int:
        return self.frags[0][0]

    @property
    def end(self) -> int:
        return self.frags[-1][1]


_MARK = re.compile(r"“|”|\"|''")
_PARA = re.compile(r"\n\s*\n|\n(?=\s*[“\"])")


def scan_quotes(text: str) -> list[QuoteRun]:
    """Pair double quotation marks (curly or straight) into quotations.

    Curly marks pair by direction; straight marks alternate within a paragraph. A paragraph that opens
    a quote and does not close it continues into the next paragraph when that one opens with a quote
    mark (multi-paragraph quotation); otherwise the open quote ends with its paragraph.
    """
    runs: list[QuoteRun] = []
    pending: Optional[QuoteRun] = None  # a quotation left open at the end of a paragraph
    pos = 0
    paras = []
    for m in _PARA.finditer(text):
        paras.append((pos, m.start()))
        pos = m.end()
    paras.append((pos, len(text)))
    for ps, pe in paras:
        open_at: Optional[int] = None
        first_mark = True
        for m in _MARK.finditer(text, ps, pe):
            ch = m.group()
            i = m.start()
            if ch == "''":
                ch = '"'
            if True:
                is_open = ch == "“" or (ch == '"' and open_at is None)
                is_close = ch == "”" or (ch == '"' and open_at is not None)
                if is_open and open_at is None:
                    if first_mark and pending is not None and text[ps:i].strip() == "":
                        open_at = i  # continuation of the previous paragraph's quotation
                    else:
                        if pending is not None:
                            runs.append(pending)
                            pending = None
                        open_at = i
                    first_mark = False
                elif is_close and open_at is not None:
                    frag = (open_at, m.end())
                    if pending is not None and text[ps:open_at].strip() == "":
                        pending.frags.append(frag)
                        runs.append(pending)
                    else:
                        if pending is not None:
                            runs.append(pending)
                        runs.append(QuoteRun([frag]))
                    pending = None
                    open_at = None
                    first_mark = False
        if open_at is not None:
            end = pe
            while end > open_at and text[end - 1].isspace():
                end -= 1
            frag = (open_at, end)
            if pending is not None and text[ps:open_at].strip() == "":
                pending.frags.append(frag)
            else:
                if pending is not None:
                    runs.append(pending)
                pending = QuoteRun([frag])
        elif pending is not None and text[ps:pe].strip():
            runs.append(pending)
            pending = None
    if pending is not None:
        runs.append(pending)
    runs.sort(key=lambda r: r.start)
    return runs


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

    @property
    def start(self) -> int:
        return min([s for s, _ in self.content] + ([self.cue_span[0]] if self.cue_span else []))


def _tok_span(toks) -> Optional[tuple]:
    toks = [t for t in toks if not t.is_punct or t.text in "%$"]
    if not toks:
        return None
    toks.sort(key=lambda t: t.i)
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _subtree_runs(doc, idxs: set, text: str) -> list:
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


def _np_tokens(h) -> list:
    """A source noun phrase: the head and its dependents, without clauses hanging on it."""
    out = [h]
    stack = [h]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ in SRC_EXCLUDE_DEPS or (t is h and c.dep_ == "punct"):
                continue
            out.append(c)
            stack.append(c)
    return out


class QuoteExtractor:
    """Direct and indirect attribution over a parsed article (see the module docstring)."""

    def __init__(self, th_plain: float = TH_PLAIN, th_clause: float = TH_CLAUSE, th_noun: float = TH_NOUN):
        self.priors = cue_priors()
        self.th_plain = th_plain
        self.th_clause = th_clause
        self.th_noun = th_noun
        self.last_nested: list = []

    # ---- the coder's entry point ---------------------------------------------------------------------
    def extract(self, doc, article: Article, actors=None, events=None):
        """(quotes, positions) of one article: communication cues and direct quotes, with speakers."""
        atts = self._attributions(doc, article.text, actors)
        nested = self.last_nested
        # every attribution is a record (statements, beliefs, wishes, evaluations: PolNeAR's
        # sense), and `eval polnear` scores exactly these: filtering to speech verbs and direct
        # quotes cost 0.06-0.08 F1 for 0.05 precision (docs/quotes.md)
        quotes = [self._quote(a, article) for a in atts]
        # Positions read every attribution, nested ones too ("X said Y proposed Z" gives Y's proposal).
        from .positions import derive_positions
        stated = [(a, self._quote(a, article)) for a in sorted(atts + nested, key=lambda a: a.start)]
        positions = derive_positions(doc, article, stated, events or [], actors)
        return quotes, positions

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
        )

    def _attributions(self, doc, text: str, actors) -> list[Attribution]:
        runs = scan_quotes(text) if ("\"" in text or "“" in text or "''" in text) else []
        # token index -> quote run covering it
        run_of: dict[int, int] = {}
        if runs:
            starts = [t.idx for t in doc]
            import bisect
            for ri, r in enumerate(runs):
                for s, e in r.frags:
                    lo = bisect.bisect_left(starts, s)
                    hi = bisect.bisect_left(starts, e)
                    for ti in range(lo, hi):
                        run_of[ti] = ri
        atts: list[Attribution] = []
        priors = self.priors
        for tok in doc:
            pos = tok.pos_
            if pos == "VERB" or (pos == "AUX" and tok.dep_ in ("ROOT", "ccomp", "conj") and False):
                lemma = tok.lemma_.lower()
                if lemma == "accord" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                    a = self._according(doc, tok, text)
                    if a is not None:
                        atts.append(a)
                    continue
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
                p = priors.get((lem, "N" if pos == "NOUN" else "A"))
                if (p is None or p < self.th_noun) and lem not in CUE_NOUNS:
                    continue
                a = self._noun_cue(doc, tok, run_of, runs, text)
                if a is not None:
                    atts.append(a)
        atts = self._attach_runs(doc, atts, runs, run_of, text)
        nested: list = []
        atts = self._fold_nested(atts, nested)
        self.last_nested = nested
        if actors is not None:
            for a in atts + nested:
                if a.source_head is not None and a.speaker is None:
                    a.speaker = self._speaker(actors, a.source_head)
        atts.sort(key=lambda a: a.start)
        return atts

    # -- cues ---------------------------------------------------------------------------------------
    def _source(self, verb, depth: int = 0):
        """Source head token of a cue verb (subject, agent, or inherited), or None."""
        passive = False
        for c in verb.children:
            if c.dep_ == "agent":
                for p in c.children:
                    if p.dep_ == "pobj":
                        return p
            if c.dep_ in ("nsubjpass", "auxpass"):
                passive = True
        if not passive:
            for c in verb.children:
                if c.dep_ in SOURCE_DEPS:
                    if c.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                        return verb.head
                    return c
        if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
            return verb.head
        if depth < 3 and verb.dep_ in INHERIT_DEPS and verb.head is not verb:
            if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
                return verb.head
            return self._source(verb.head, depth + 1)
        return None

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
        th = self.th_clause if (has_clause or quoted) else self.th_plain
        if prior < th:
            return None
        cue_toks = [verb] + [c for c in verb.children if c.dep_ == "prt" or (
            c.dep_ in ("neg",) and c.i < verb.i)]
        content = _subtree_runs(doc, idxs - {t.i for t in cue_toks}, text)
        content_runs = []
        for ri in sorted(quoted):
            content_runs.append(ri)
        a = Attribution(
            cue_tok=verb, cue_span=_tok_span(cue_toks), source_head=src,
            source_span=_tok_span(_np_tokens(src)) if src is not None else None,
            content=content, kind="verb", lemma=lemma, runs=content_runs)
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
            if gap.count("\n\n") > 1 or len(gap) > 400:
                continue
            prev.content = _merge_frags(list(prev.content) + list(r.frags))
            prev.runs.append(ri)
            claimed.add(ri)
        return atts

    @staticmethod
    def _fold_nested(atts, nested_out: Optional[list] = None) -> list:
        """Drop attributions whose cue lies inside another attribution's content (into nested_out)."""
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
                        break
                if nested:
                    break
            if not nested:
                out.append(a)
            elif nested_out is not None:
                nested_out.append(a)
        return out

    @staticmethod
    def _speaker(actors, head) -> Optional[Actor]:
        try:
            found = actors.resolve(head)
        except Exception:  # resolution must never sink the quote
            return None
        return found[0] if found else None


def _merge_frags(frags, exclude=()) -> list:
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

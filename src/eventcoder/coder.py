"""The pipeline that composes the stages over a stream of Articles.

    ingest -> nlp (spaCy, batched with nlp.pipe) -> actors (per-article coreference) -> events
    (frames, status, dates, places) [-> quotes and positions, when that stage is installed]

The coder is a stream: it holds one batch of documents at a time, keeps input order, lets ingest
errors pass through in place, and turns a failure on one article into an error on that article.
"""
from __future__ import annotations

import collections
import logging
import traceback
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional, Union

from .errors import UsageError
from .layout import caption_sentences, may_have_captions
from .model import Article, Event
from .settings import default

log = logging.getLogger(__name__)

DEFAULT_MAX_CHARS = default("max_chars")
# an article longer than this is parsed in pieces (cut at paragraph, line or sentence ends) that
# are joined into one Doc, so the parser's memory is bounded by the piece, not by the article
# (spaCy's parser takes ~2 KB per character: a 990k-character article needs ~2 GB whole)
PIECE_CHARS = 100_000


@dataclass
class CodedArticle:
    article: Article
    events: list = field(default_factory=list)
    quotes: list = field(default_factory=list)
    positions: list = field(default_factory=list)
    error: Optional[str] = None


class Coder:
    """Codes articles into events (and quotes/positions when `quotes=True`).

    >>> coder = Coder()
    >>> for res in coder.code_articles([Article("a1", "Russia attacked Ukraine.", published="2025-02-13")]):
    ...     print([e.cameo_code for e in res.events])
    """

    def __init__(self, model: Optional[str] = None, processes: int = 1,
                 batch_size: int = default("batch_size"),
                 quotes: bool = True, max_chars: int = DEFAULT_MAX_CHARS, prefilter: bool = False,
                 events: str = "learned", event_model: Optional[str] = None,
                 min_confidence: Optional[float] = None, dictionaries: Optional[list] = None):
        """`dictionaries`: users' actor/agent dictionaries (PETRARCH/TABARI or TSV files; see
        `eventcoder.actors.dictionaries`), whose entries win over the shipped ones.
        `events`: "learned" (the rules propose, the trained model decides; the default when a
        model ships) or "rules" (the rule frames alone). `event_model`: a model directory made by
        `eventcoder train` instead of the shipped one. `min_confidence`: drop learned events
        below it (default: the model's tuned threshold)."""
        from .events.frames import FrameExtractor
        from .nlp import load_model

        from .actors.kb import KnowledgeBase

        self.model_name = model
        self.dictionaries = [str(p) for p in (dictionaries or [])]
        self.kb = KnowledgeBase.with_dictionaries(self.dictionaries)  # reads them now: errors early
        self.nlp = load_model(model)
        # spaCy refuses texts over nlp.max_length: allow what --max-chars allows, so a large limit
        # is a limit and not a crash of the whole run (the article-too-long check comes first)
        self.nlp.max_length = max(self.nlp.max_length, int(max_chars) + 1)
        self.processes = max(1, int(processes))
        self.batch_size = max(1, int(batch_size))
        self.max_chars = max_chars
        self.piece_chars = PIECE_CHARS
        self.events_mode = events
        self.event_model = event_model
        self.min_confidence = min_confidence
        self.extractor = _event_extractor(events, event_model, min_confidence)
        self.quote_stage = None
        self.derive_positions = None
        if quotes:
            from .positions import derive_positions
            from .quotes import QuoteExtractor

            self.quote_stage = QuoteExtractor()
            self.derive_positions = derive_positions
        # -- optional pre-filter hook (eventcoder.prefilter): parse only sentences that can hold
        # an event; the others keep their cheap tokens. Off by default.
        self.prefilter = None
        if prefilter:
            from .prefilter import SentencePrefilter
            self.prefilter = SentencePrefilter(self.nlp, keep_quotes=self.quote_stage is not None,
                                               kb=self.kb)

    # -- one document -------------------------------------------------------------------------------
    def code_doc(self, doc, article: Article) -> CodedArticle:
        from .actors.resolve import ActorResolver

        actors = ActorResolver(doc, article.published, kb=self.kb)
        events = self.extractor.extract(doc, article.article_id, article.published, actors)
        if events and may_have_captions(actors.text):  # a photo caption is not the story
            captions = caption_sentences([s.text for s in doc.sents])
            if captions:
                events = [e for e in events if e.sentence_index not in captions]
        events = _unique(events, "event_id")
        res = CodedArticle(article, events)
        if self.quote_stage is not None:
            quotes, stated = self.quote_stage.extract(doc, article, actors)
            positions = self.derive_positions(doc, article, stated, events or [], actors)
            res.quotes, res.positions = _unique(quotes, "quote_id"), _unique(positions, "position_id")
        return res

    # -- streams ----------------------------------------------------------------------------------------
    def code_articles(self, items: Iterable[Union[Article, object]]) -> Iterator[Union[CodedArticle, object]]:
        """Code a stream of Articles; anything that is not an Article (e.g. an IngestError) is
        passed through at its place in the stream. With processes > 1 the articles are coded in
        worker processes (each parses *and* codes, and sends back only the small records)."""
        if self.processes > 1:
            yield from self._code_parallel(items)
            return
        for kind, payload in self._chunks(items, self.batch_size):
            if kind == "pass":
                yield payload
            else:
                yield from self._code_chunk(payload)

    def _too_long(self, article: Article) -> Optional[CodedArticle]:
        if len(article.text) > self.max_chars:
            return CodedArticle(article, error=(
                f"article too long for the parser: {len(article.text):,} chars > {self.max_chars:,} "
                f"(raise --max-chars or split the article)"))
        return None

    def _chunks(self, items, size: int):
        """("chunk", [articles]) and ("pass", item) in stream order; a pass-through item flushes
        the chunk before it, so order is kept."""
        chunk: list = []
        for item in items:
            if isinstance(item, Article):
                err = self._too_long(item)
                if err is None:
                    chunk.append(item)
                    if len(chunk) >= size:
                        yield "chunk", chunk
                        chunk = []
                    continue
                item = err
            if chunk:
                yield "chunk", chunk
                chunk = []
            yield "pass", item
        if chunk:
            yield "chunk", chunk

    def _pipe(self, texts: list, batch_size: Optional[int] = None):
        size = batch_size or self.batch_size
        if self.prefilter is not None:  # optional pre-filter hook (eventcoder.prefilter)
            return (d for d, _ in self.prefilter.pipe(
                self.nlp, ((t, None) for t in texts), batch_size=size))
        return self.nlp.pipe(texts, batch_size=size)

    def _docs(self, texts: list):
        """One Doc per text, in order; a text over `piece_chars` is parsed piece by piece, the
        texts between long ones in batches as usual."""
        size = self.piece_chars
        short: list = []
        for t in texts:
            if len(t) <= size:
                short.append(t)
                continue
            if short:
                yield from self._pipe(short)
                short = []
            from spacy.tokens import Doc

            # one piece per batch: a batch of pieces would be parsed at once, i.e. the whole text
            parts = list(self._pipe(split_pieces(t, size), batch_size=1))
            yield Doc.from_docs(parts, ensure_whitespace=False, exclude=["user_data"])
        if short:
            yield from self._pipe(short)

    def _code_chunk(self, articles: list) -> list:
        out = []
        docs = self._docs([a.text for a in articles])
        for doc, article in zip(docs, articles):
            try:
                out.append(self.code_doc(doc, article))
            except Exception as exc:  # one bad article must not stop the corpus
                log.debug("coding failed for %s", article.article_id, exc_info=True)
                where = traceback.extract_tb(exc.__traceback__)[-1]
                out.append(CodedArticle(article, error=(
                    f"coding failed: {type(exc).__name__}: {exc} (at {where.filename.rsplit('/', 1)[-1]}:"
                    f"{where.lineno}); please report this article")))
        return out

    def _code_parallel(self, items) -> Iterator:
        """A bounded window of chunks in flight across a process pool, yielded in input order."""
        import multiprocessing as mp

        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        ctx = mp.get_context(method)
        settings = dict(model=self.model_name, batch_size=self.batch_size,
                        quotes=self.quote_stage is not None, max_chars=self.max_chars,
                        prefilter=self.prefilter is not None, events=self.events_mode,
                        event_model=self.event_model, min_confidence=self.min_confidence,
                        dictionaries=self.dictionaries)
        window: collections.deque = collections.deque()
        max_inflight = 2 * self.processes
        with ctx.Pool(self.processes, initializer=_worker_init, initargs=(settings,)) as pool:
            for kind, payload in self._chunks(items, self.batch_size):
                if kind == "chunk":
                    window.append(("chunk", pool.apply_async(_worker_code, (payload,))))
                else:
                    window.append(("pass", payload))
                while len([w for w in window if w[0] == "chunk"]) > max_inflight:
                    yield from _drain_one(window)
            while window:
                yield from _drain_one(window)


_CUTS = ("\n\n", "\n", ". ", "? ", "! ", " ")


def split_pieces(text: str, size: int = PIECE_CHARS) -> list:
    """`text` cut into pieces of at most `size` characters whose concatenation is `text`; each
    cut is after the last paragraph break in the window, else the last line break, sentence end or
    space (a text with none of these is cut at `size`)."""
    size = max(1, int(size))
    out, i, n = [], 0, len(text)
    while n - i > size:
        j = i + size
        for cut in _CUTS:
            k = text.rfind(cut, i + size // 2, j)
            if k >= 0:
                j = k + len(cut)
                break
        out.append(text[i:j])
        i = j
    out.append(text[i:])
    return out


def _unique(records: list, key: str, seen: Optional[set] = None) -> list:
    """The records with distinct ids, in order: a record coded twice (two rules proposing the
    same act with the same actors) is one record, so every count equals what a store holds.
    `seen`: ids met already (updated), e.g. in the other articles of a batch."""
    seen = set() if seen is None else seen
    out = []
    for r in records:
        k = getattr(r, key)
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out


EVENT_MODES = ("learned", "rules")


def _event_extractor(mode: str, event_model: Optional[str], min_confidence: Optional[float]):
    """The event stage: the learned extractor over the rule frames, or the rule frames alone. With
    "learned" and no model shipped or given, the rules alone (and a warning in the log)."""
    from .events.frames import FrameExtractor

    if mode not in EVENT_MODES:
        raise UsageError(f"unknown event stage {mode!r} (choose from {', '.join(EVENT_MODES)})")
    if mode == "rules":
        return FrameExtractor()
    from .learn.stage import EventModel, LearnedExtractor

    try:
        model = EventModel.load(event_model) if event_model else EventModel.default()
    except FileNotFoundError as exc:  # a --event-model that is not one: a user's input
        raise UsageError(str(exc), input=str(event_model)) from None
    if model is None:
        log.warning("no event model shipped: coding with the rules alone")
        return FrameExtractor()
    return LearnedExtractor(model, min_confidence=min_confidence)


def _drain_one(window) -> Iterator:
    kind, payload = window.popleft()
    if kind == "pass":
        yield payload
    else:
        yield from payload.get()


_worker_coder: Optional[Coder] = None


def _worker_init(settings: dict) -> None:
    global _worker_coder
    _worker_coder = Coder(model=settings["model"], processes=1, batch_size=settings["batch_size"],
                          quotes=settings["quotes"], max_chars=settings["max_chars"],
                          prefilter=settings.get("prefilter", False), events=settings.get("events", "learned"),
                          event_model=settings.get("event_model"), min_confidence=settings.get("min_confidence"),
                          dictionaries=settings.get("dictionaries"))


def _worker_code(articles: list) -> list:
    assert _worker_coder is not None
    return _worker_coder._code_chunk(articles)


_default_coders: dict = {}


def default_coder(model: Optional[str] = None, quotes: bool = False, events: str = "learned") -> Coder:
    key = (model, quotes, events)
    if key not in _default_coders:
        _default_coders[key] = Coder(model=model, quotes=quotes, events=events)
    return _default_coders[key]


def code_text(text: str, published=None, article_id: Optional[str] = None,
              model: Optional[str] = None, events: str = "learned", quotes: bool = False):
    """Code one article's text into Event records (the Python API). `published` is read as
    ingest reads `--published` (ISO date or datetime, "Feb 13, 2025", a date object, ...;
    ValueError naming it otherwise). `events="rules"` codes with the rule frames alone (the
    learned stage's proposer). `quotes=True` returns the CodedArticle (events, quotes and
    positions) instead of the list of events."""
    from .ingest.dates import published_date

    art = Article(article_id=article_id or Article.content_id(text), text=text,
                  published=published_date(published))
    coder = default_coder(model, quotes=quotes, events=events)
    res = coder.code_doc(coder.nlp(text), art)
    return res if quotes else res.events

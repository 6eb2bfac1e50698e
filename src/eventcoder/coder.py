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

from .model import Article, Event

log = logging.getLogger(__name__)

DEFAULT_MAX_CHARS = 1_000_000


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

    def __init__(self, model: Optional[str] = None, processes: int = 1, batch_size: int = 32,
                 quotes: bool = True, max_chars: int = DEFAULT_MAX_CHARS):
        from .events.frames import FrameExtractor
        from .nlp import load_model

        self.model_name = model
        self.nlp = load_model(model)
        self.processes = max(1, int(processes))
        self.batch_size = max(1, int(batch_size))
        self.max_chars = max_chars
        self.extractor = FrameExtractor()
        self.quote_stage = None
        if quotes:
            try:
                from .quotes import QuoteExtractor  # optional stage
                self.quote_stage = QuoteExtractor()
            except ImportError:
                self.quote_stage = None

    # -- one document -------------------------------------------------------------------------------
    def code_doc(self, doc, article: Article) -> CodedArticle:
        from .actors.resolve import ArticleActors

        actors = ArticleActors(doc, article.published)
        events = self.extractor.extract(doc, article.article_id, article.published, actors)
        res = CodedArticle(article, events)
        if self.quote_stage is not None:
            res.quotes, res.positions = self.quote_stage.extract(doc, article, actors, events)
        return res

    # -- streams ----------------------------------------------------------------------------------------
    def code_articles(self, items: Iterable[Union[Article, object]]) -> Iterator[Union[CodedArticle, object]]:
        """Code a stream of Articles; anything that is not an Article (e.g. an IngestError) is
        passed through at its place in the stream."""
        pending: collections.deque = collections.deque()  # (seq, item) not sent to spaCy
        seq_counter = [0]

        def feed():
            for item in items:
                seq = seq_counter[0]
                seq_counter[0] += 1
                if not isinstance(item, Article):
                    pending.append((seq, item))
                    continue
                if len(item.text) > self.max_chars:
                    pending.append((seq, CodedArticle(item, error=(
                        f"article too long for the parser: {len(item.text):,} chars > {self.max_chars:,} "
                        f"(raise --max-chars or split the article)"))))
                    continue
                yield item.text, (seq, item)

        docs = self.nlp.pipe(feed(), as_tuples=True, batch_size=self.batch_size,
                             n_process=self.processes)
        for doc, (seq, article) in docs:
            while pending and pending[0][0] < seq:
                yield pending.popleft()[1]
            try:
                yield self.code_doc(doc, article)
            except Exception as exc:  # one bad article must not stop the corpus
                log.debug("coding failed for %s", article.article_id, exc_info=True)
                where = traceback.extract_tb(exc.__traceback__)[-1]
                yield CodedArticle(article, error=(
                    f"coding failed: {type(exc).__name__}: {exc} (at {where.filename.rsplit('/', 1)[-1]}:"
                    f"{where.lineno}); please report this article"))
        while pending:
            yield pending.popleft()[1]


_default_coders: dict = {}


def default_coder(model: Optional[str] = None, quotes: bool = False) -> Coder:
    key = (model, quotes)
    if key not in _default_coders:
        _default_coders[key] = Coder(model=model, quotes=quotes)
    return _default_coders[key]


def code_text(text: str, published: Optional[str] = None, article_id: Optional[str] = None,
              model: Optional[str] = None) -> list[Event]:
    """Code one article's text into Event records (the Python API)."""
    art = Article(article_id=article_id or Article.content_id(text), text=text, published=published)
    coder = default_coder(model)
    return coder.code_doc(coder.nlp(text), art).events


def code_article(article: Article, model: Optional[str] = None, quotes: bool = True) -> CodedArticle:
    """Code one Article into events, quotes and positions."""
    coder = default_coder(model, quotes=quotes)
    return coder.code_doc(coder.nlp(article.text), article)

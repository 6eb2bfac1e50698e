"""HTML pages -> Article, with trafilatura (no network), and a plain lxml fallback."""
from __future__ import annotations

import logging
import re
from typing import Optional

from ..model import Article
from .dates import normalise_date
from .boilerplate import strip_boilerplate
from .errors import IngestError

_MARKUP = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|article|main|div|p|h[1-6]|title|"
                     r"meta|section|span|table|br|!--)\b", re.IGNORECASE)


def looks_like_html(head: str) -> bool:
    s = head.lstrip()
    if s.startswith("<?xml"):
        return bool(_MARKUP.search(s[:4000]))
    return s.startswith("<") and bool(_MARKUP.search(s[:4000]))


def _fallback_text(html: str) -> tuple[Optional[str], str]:
    """Title and visible text with scripts, styles, event handlers and chrome removed."""
    import lxml.html
    from lxml_html_clean import Cleaner

    doc = lxml.html.document_fromstring(html)
    title_el = doc.find(".//title")
    title = title_el.text_content().strip() if title_el is not None else None
    doc = Cleaner(scripts=True, javascript=True, style=True, comments=True, forms=True,
                  embedded=True, frames=True, meta=True, page_structure=False,
                  processing_instructions=True).clean_html(doc)
    for el in doc.xpath("//nav|//header|//footer|//aside|//noscript|//template|//title"):
        el.drop_tree()
    blocks = []
    for el in doc.iter("p", "h1", "h2", "h3", "h4", "li", "blockquote", "pre"):
        t = " ".join(el.text_content().split())
        if t:
            blocks.append(t)
    if not blocks:
        body = doc.find(".//body")
        t = (body if body is not None else doc).text_content()
        blocks = [" ".join(line.split()) for line in t.splitlines() if line.strip()]
    return title or None, "\n".join(blocks)


def read_html_article(html: str, origin: str, published: Optional[str] = None,
                      max_chars: int = 5_000_000) -> Article:
    """One Article from an HTML page; raises IngestError when no text can be extracted."""
    title = date = url = site = None
    text = ""
    problem = None
    try:
        import trafilatura

        logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
        logging.getLogger("htmldate").setLevel(logging.CRITICAL)
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                          include_tables=True, favor_recall=True)
        if doc is not None:
            title, text = doc.title, (doc.text or "")
            date, url, site = doc.date, doc.url, doc.sitename
    except Exception as exc:  # hostile markup must not crash the run
        problem = f"{type(exc).__name__}: {exc}"
    if not text.strip():
        try:
            fb_title, text = _fallback_text(html)
            title = title or fb_title
        except Exception as exc:
            problem = problem or f"{type(exc).__name__}: {exc}"
            text = ""
    text = text.strip()
    if title:
        title = " ".join(title.split()) or None
        first, _, rest = text.partition("\n")
        if title and first.strip() == title and rest.strip():
            text = rest.strip()  # trafilatura repeats the headline as the first line
    text = strip_boilerplate(text)[0]
    if not text:
        why = f" ({problem})" if problem else ""
        raise IngestError(origin, f"no article text found in this HTML{why} (it may be empty, "
                                  "script-only, or nested too deeply to parse); skipped")
    if len(text) > max_chars:
        raise IngestError(origin, f"article too large: {len(text)} chars > max_chars "
                                  f"({max_chars}); split it or raise --max-chars; skipped")
    return Article(article_id=Article.content_id(text), text=text, title=title,
                   published=normalise_date(date) or published, url=url or None,
                   source_name=site or None, origin=origin)

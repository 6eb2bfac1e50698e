"""Queries over what the store keeps of the texts: articles and quotes (the events' queries are
in eventcoder.query, whose helpers these share). Every value reaches SQL as a parameter.

    quotes(con, speaker="RUSGOV", text="ceasefire", start="2025-02-01")
    articles(con, publisher="VOA", start="2025-02-01", limit=20)
"""
from __future__ import annotations

from typing import Optional

from .columns import record_names
from .query.filters import _rows, date_range, page_size

QUOTE_COLUMNS = record_names("quotes")
ARTICLE_COLUMNS = tuple(c for c in record_names("articles") if c != "text")  # text: with_text=True


def _page(con, sql_from: str, where: list, params: list, select: str, order: str,
          limit, offset) -> tuple[int, list]:
    w = " AND ".join(where) or "TRUE"
    total = con.execute(f"SELECT count(*) {sql_from} WHERE {w}", params).fetchone()[0]
    rows = _rows(con, f"SELECT {select} {sql_from} WHERE {w} ORDER BY {order} LIMIT ? OFFSET ?",
                 params + [page_size(limit), max(0, int(offset))])
    return total, rows


def quotes(con, speaker: Optional[str] = None, text: Optional[str] = None,
           article_id: Optional[str] = None, start=None, end=None, direct: Optional[bool] = None,
           limit: Optional[int] = 100, offset: int = 0) -> dict:
    """Quotes, oldest article first, with their article's date, publisher and title.

    `speaker`: a code prefix or country ("RUSGOV", "UKR") or a name ("Sergei Lavrov",
    case-insensitive), as positions' `actor`; `text`: a case-insensitive substring of the quoted
    words; `start`/`end`: the article's publication dates; `direct`: only direct (True) or
    reported (False) speech. `limit=None`: every quote. Returns {"total", "limit", "offset",
    "quotes"}.
    """
    where, params = [], []
    if speaker:
        where.append("(starts_with(q.speaker_code, ?) OR q.speaker_country = ? "
                     "OR lower(q.speaker_name) = lower(?) OR lower(q.speaker_text) = lower(?))")
        params += [speaker.upper(), speaker.upper(), speaker, speaker]
    if text:
        where.append("contains(lower(q.content), lower(?))")
        params.append(str(text))
    if article_id:
        where.append("q.article_id = ?")
        params.append(str(article_id))
    if direct is not None:
        where.append("q.direct = ?")
        params.append(bool(direct))
    date_range(where, params, "a.published", start, end)
    cols = ", ".join(f"q.{c}" for c in QUOTE_COLUMNS)
    total, rows = _page(con, "FROM quotes q LEFT JOIN articles a ON a.article_id = q.article_id",
                        where, params, f"{cols}, a.published, a.source_name, a.title",
                        "a.published NULLS LAST, q.article_id, q.speaker_start NULLS LAST, q.quote_id",
                        limit, offset)
    return {"total": total, "limit": page_size(limit), "offset": offset, "quotes": rows}


def articles(con, start=None, end=None, publisher: Optional[str] = None,
             text: Optional[str] = None, article_id: Optional[str] = None, with_text: bool = False,
             limit: Optional[int] = 100, offset: int = 0) -> dict:
    """Stored articles, newest first, with their event and quote counts.

    `publisher`: the source name, case-insensitive, exact or part of it ("voa" finds "VOA
    News"); `text`: a case-insensitive substring of the title or text; `with_text`: include the
    article text. `limit=None`: every article. Returns {"total", "limit", "offset", "articles"}.
    """
    where, params = [], []
    if publisher:
        where.append("contains(lower(a.source_name), lower(?))")
        params.append(str(publisher))
    if text:
        where.append("(contains(lower(a.title), lower(?)) OR contains(lower(a.text), lower(?)))")
        params += [str(text), str(text)]
    if article_id:
        where.append("a.article_id = ?")
        params.append(str(article_id))
    date_range(where, params, "a.published", start, end)
    cols = ", ".join(f"a.{c}" for c in ARTICLE_COLUMNS + (("text",) if with_text else ()))
    total, rows = _page(con, "FROM articles a", where, params, cols,
                        "a.published DESC NULLS LAST, a.article_id", limit, offset)
    return {"total": total, "limit": page_size(limit), "offset": offset, "articles": rows}

"""Dict records (a JSON line, a JSON array item, a Parquet row) -> Article."""
from __future__ import annotations

from typing import Any, Optional

from ..model import Article
from .dates import normalise_date
from .boilerplate import strip_boilerplate
from .errors import IngestError

# Accepted field names, first present wins. The first of each is the documented one.
TEXT_KEYS = ("text", "body", "content", "article_text")
TITLE_KEYS = ("title", "headline")
DATE_KEYS = ("published", "date", "published_at", "publish_date", "pub_date", "datetime",
             "timestamp")
ID_KEYS = ("id", "article_id", "doc_id")
URL_KEYS = ("url", "link")
SOURCE_KEYS = ("source", "source_name", "publisher", "site")
ALL_KEYS = TEXT_KEYS + TITLE_KEYS + DATE_KEYS + ID_KEYS + URL_KEYS + SOURCE_KEYS


def _first(obj: dict, keys) -> Any:
    for k in keys:
        v = obj.get(k)
        if v is not None and v != "":
            return v
    return None


def _str_or_none(v: Any) -> Optional[str]:
    if v is None:
        return None
    if isinstance(v, dict):  # e.g. {"name": "BBC News", "id": "bbc"}
        v = v.get("name") or v.get("title")
        if v is None:
            return None
    s = " ".join(str(v).split()) if not isinstance(v, str) else v.strip()
    return s or None


def record_to_article(obj: Any, origin: str, published: Optional[str] = None,
                      max_chars: int = 5_000_000, what: str = "line") -> Article:
    """An Article from one record; raises IngestError for a record that cannot be coded."""
    if not isinstance(obj, dict):
        raise IngestError(origin, f"{what} is a JSON {_json_type(obj)}, not an object with a "
                                  "\"text\" field; skipped")
    text = _first(obj, TEXT_KEYS)
    if text is None:
        raise IngestError(origin, f"{what} has no \"text\" (or it is empty); skipped")
    if not isinstance(text, str):
        raise IngestError(origin, f"\"text\" is a {_json_type(text)}, not a string; skipped")
    if not text.strip():
        raise IngestError(origin, f"{what} has whitespace-only \"text\"; skipped")
    if len(text) > max_chars:
        raise IngestError(origin, f"article too large: {len(text)} chars > max_chars "
                                  f"({max_chars}); split it or raise --max-chars; skipped")
    text = strip_boilerplate(text)[0]
    if not text.strip():
        raise IngestError(origin, f"{what} holds only page furniture (ads, share or newsletter lines, "
                                  "credits), no story; skipped")
    aid = _first(obj, ID_KEYS)
    aid = _str_or_none(aid) if not isinstance(aid, (dict, list)) else None
    return Article(
        article_id=aid or Article.content_id(text), text=text,
        title=_str_or_none(_first(obj, TITLE_KEYS)),
        published=normalise_date(_first(obj, DATE_KEYS)) or published,
        url=_str_or_none(_first(obj, URL_KEYS)),
        source_name=_str_or_none(_first(obj, SOURCE_KEYS)), origin=origin)


def _json_type(v: Any) -> str:
    if v is None:
        return "null"
    return {bool: "boolean", int: "number", float: "number", str: "string", list: "array",
            dict: "object"}.get(type(v), type(v).__name__)

"""Parts of a news text that are not its story: the dateline and photo captions.

    dateline_end(text)   -> offset just after "KYIV, Ukraine (AP) — " (0 when there is none)
    doc_dateline_end(doc) -> the same for a Doc, without rebuilding its text
    dateline_boundary    -> spaCy component: the story's first sentence starts after the dateline
    is_caption(sentence) -> True for "Photo: police detain ...", "FILE - ...", "... (AP Photo/X)"
    caption_sentences(sentences) -> indices of captions, including a sentence whose next
                                    "sentence" is a photo credit alone ("(AP Photo/X)")

The dateline's place names where the story was filed, not who acted: the resolver takes no actor
and no place argument from it (the story's country still counts it). A caption describes a
picture, often of an earlier event: the coder writes no event from it.
"""
from __future__ import annotations

import re

# an all-capitals place, optionally ", Country" (any case) and an agency, then a dash
_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z.'\- ]{1,40}(?:,\s*[A-Z][A-Za-z.'\- ]{1,40}){0,2})"
    r"\s*(?:\((?:AP|AFP|Reuters|VOA|UPI|dpa|ANI|IANS|Xinhua|[A-Z][A-Za-z ]{1,20})\))?\s*"
    r"(?:\u2014|\u2013|--|-)\s+")
_CAPTION = re.compile(
    r"^\s*(?:(?:file(?: photo)?|photo|caption|pictured|image|video|watch|(?:AP|AFP|Reuters) photo)"
    r"\s*[:\-\u2013\u2014]|media playback is unsupported|media caption\b|image (?:copyright|caption)\b)",
    re.IGNORECASE)
_CREDIT = re.compile(r"\((?:AP|AFP|Reuters|Getty|EPA|VOA)[^()]{0,40}(?:Photo|Images|Pool)[^()]{0,40}\)\s*$",
                     re.IGNORECASE)


def dateline_end(text: str) -> int:
    """Character offset where the story starts after a wire dateline (0: no dateline)."""
    m = _DATELINE.match(text[:120])
    if not m:
        return 0
    first = m.group("place").split(",")[0]
    letters = [c for c in first if c.isalpha()]
    if len(letters) < 3 or not all(c.isupper() for c in letters):
        return 0  # "The U.S. - ..." is a sentence, "WASHINGTON -" a dateline
    return m.end()


def doc_dateline_end(doc) -> int:
    """`dateline_end` of a Doc, reading only its first 120 tokens (at least the 120 characters the
    dateline is looked for in): `Doc.text` rebuilds the whole string on every read."""
    return dateline_end(doc[:120].text)


def dateline_boundary(doc):
    """A spaCy component (before the parser): the story's first sentence starts after the
    dateline, so "MOGADISHU, Somalia — Gunmen killed ..." parses "Gunmen" as the subject of
    "killed" instead of an apposition of "MOGADISHU"."""
    end = doc_dateline_end(doc)
    if end:
        for t in doc:
            if t.idx >= end:
                if t.i > 0:
                    t.is_sent_start = True
                break
    return doc


def is_caption(sentence: str) -> bool:
    """A photo or video caption or credit line rather than a sentence of the story."""
    return bool(_CAPTION.match(sentence) or _CREDIT.search(sentence) or _GALLERY.search(sentence))


# a gallery's caption control: "Hide Caption 60 of 157"
_GALLERY = re.compile(r"\b(?:hide|show|expand) caption\b(?:\s+\d+\s+of\s+\d+)?", re.IGNORECASE)


_CREDIT_ALONE = re.compile(r"^\s*(?:" + _CREDIT.pattern + r"|(?:hide|show|expand) caption\b.*"
                           r"|\d+ of \d+\s*$|photos?:.*)", re.IGNORECASE)


def caption_sentences(sentences: list) -> set:
    out = set()
    for i, s in enumerate(sentences):
        if is_caption(s):
            out.add(i)
            if i > 0 and _CREDIT_ALONE.match(s):
                out.add(i - 1)  # the caption the credit closes
    return out


# a cheap test on the whole text before any sentence is looked at (the coder's hot path)
_ANY = re.compile(r"photo|caption|media playback|pictured|image|video|watch|file|pool|\d+ of \d+", re.IGNORECASE)


def may_have_captions(text: str) -> bool:
    return bool(_ANY.search(text))

"""Lines of a web page that are not the story: ads, share and newsletter prompts, bylines,
copyright and credit lines, gallery controls, "read more" links.

    strip_boilerplate(text) -> (text without those lines, number of lines removed)

Only whole lines are removed, and only lines that match one of the patterns below (written
from the lines that recur across many outlets' articles, e.g. "Advertisement", "Sign up for
Daily Newsletters", "Image copyright Getty Images", "Hide Caption 60 of 157", "By JOHN SMITH
Associated Press"). A sentence of the story never matches: each pattern either spans the
whole line or needs a marker no story sentence has.
"""
from __future__ import annotations

import re

_WHOLE = [  # the whole line, case-insensitive
    r"advertisement:?(?: continue reading the main story)?",
    r"ad", r"close", r"photo", r"video", r"image", r"story continued below",
    r"continue reading(?: the main story)?(?: below)?",
    r"(?:read|see|watch) (?:more|also|next)\b.{0,80}",
    r"more(?: on this)?(?:\.\.\.|:|\u2026)?", r"related(?: articles?| stories| coverage)?:.{0,120}",
    r"share(?: this)?(?: article| story)?:?(?: (?:share|tweet|post|email|facebook|twitter|"
    r"whatsapp|linkedin|pinterest|reddit|print|messenger))*",
    r"(?:listen to article \d+:\d+ )?share this article(?: (?:share|tweet|post|email))*",
    r"(?:share|tweet|post|email|print)(?: (?:share|tweet|post|email|print))+",
    r"sign up(?: for| to)?\b.{0,80}(?:newsletters?|alerts|updates|today)\b.{0,120}",
    r"(?:newsletter sign[ -]?up|subscribe (?:now|today|to (?:our|the))|subscribers? only)\b.{0,160}",
    r"get (?:the|our) .{1,60} delivered to your inbox.{0,200}",
    r"(?:click|tap) here\b.{0,120}", r"follow (?:us|\w+) on (?:twitter|facebook|instagram).{0,80}",
    r"(?:copyright\s*)?\u00a9.{0,160}", r"copyright (?:\d{4}|by)\b.{0,160}",
    r".{0,120}all rights reserved\.?",
    r"image (?:copyright|caption|source)\b.{0,200}",
    r"media playback is unsupported on your device.{0,400}",
    r"(?:hide|show|expand) caption\b.{0,40}", r"\d+ of \d+", r"slideshow \(\d+ images?\)",
    r"photos?: .{0,200}", r"(?:getty images|reuters|ap photo|afp)(?:/.{0,60})?",
    r"(?:the )?(?:associated press|ap|reuters|afp|cnn|bloomberg)(?:'s [\w .'-]{1,60})? "
    r"contributed(?: reporting)?(?: to this (?:report|story|article))?\.?",
    r"contributing: .{1,120}",
    r"(?:additional )?reporting by .{1,160}(?:editing by .{1,120})?",
    r"(?:writing|editing) by .{1,160}",
    r"this (?:article|story) (?:is more than|was (?:first )?(?:published|updated)).{0,120}",
    r"(?:updated|posted|published|last updated)(?: at| on)?:? .{0,60}\b(?:[ap]\.?m\.?|gmt|utc|"
    r"bst|e[sd]t|[cmp][sd]t)\b.{0,20}",
    r"\d{1,2}:\d{2} ?[ap]\.?m\.?(?: [a-z]{2,4})?",
    r"_{3,}|\*{3,}|(?:\u2022 ?){2,}|-{3,}|={3,}",
]
# a byline alone: "By JOHN SMITH", "By Jane Doe and Ann Lee, Associated Press", "By Reuters"
_BYLINE = r"[Bb][Yy]:? (?:[A-Z][\w.'\u2019-]*\.? ?){1,4}(?:(?:,| and) (?:[A-Z][\w.'\u2019-]*\.? ?){1,4}){0,3}" \
          r"(?:[,|\u2013\u2014-] ?[A-Z][\w.' &-]{1,40})?\.?"
_LINE = re.compile(r"^\s*(?:" + "|".join(_WHOLE) + r")\s*$", re.IGNORECASE)
_BY = re.compile(r"^\s*" + _BYLINE + r"\s*$")
def is_boilerplate(line: str) -> bool:
    """True for a line of page furniture (see the module docstring)."""
    if len(line) > 600:
        return False
    return bool(_LINE.match(line) or _BY.match(line))


def strip_boilerplate(text: str) -> tuple[str, int]:
    """`text` without its boilerplate lines, and how many lines were removed."""
    lines = text.split("\n")
    kept = [ln for ln in lines if not (ln.strip() and is_boilerplate(ln))]
    removed = len(lines) - len(kept)
    if not removed:
        return text, 0
    out = "\n".join(kept)
    out = re.sub(r"\n{3,}", "\n\n", out).strip("\n")
    return out, removed

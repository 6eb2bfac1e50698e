"""Quotation marks: pair curly and straight double quotes into quotations (`scan_quotes`).

Used by the quote extractor (quotes.py) and the trained attribution model (learn/attribution.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional


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


def quote_runs(doc, text: str) -> tuple[list, dict]:
    """(quotations of the text, token index -> index of the quotation covering it)."""
    runs = scan_quotes(text) if ("\"" in text or "“" in text or "''" in text) else []
    run_of: dict[int, int] = {}
    if runs:
        import bisect

        starts = [t.idx for t in doc]
        for ri, r in enumerate(runs):
            for s, e in r.frags:
                for ti in range(bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)):
                    run_of[ti] = ri
    return runs, run_of

"""The CAMEO event ontology: names, Goldstein scores, quad classes and PLOVER 2.0 equivalents.

The table is package data (``events/data/cameo.tsv``, tab-separated, ``#`` comments) written for this
project; docs/ontology.md says where every column comes from.

    >>> ont = Ontology.default()
    >>> ont.get("041").plover_mode
    'phone'
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Optional, Union

from ..model import PLOVER_TYPES

COLUMNS = ("code", "name", "root", "goldstein", "quad_class", "plover_type", "plover_mode",
           "plover_context")
ROOTS = tuple(f"{i:02d}" for i in range(1, 21))

# CAMEO 03x "express intent to ..." code for an act of a given code (most specific first) or root.
# Roots with no intent code in CAMEO (01, 02, 03 and the conflict roots 09-20) map to None.
_INTENT_BY_CODE = {
    "045": "039",  # mediate -> intent to mediate
    "046": "036",  # negotiate -> intent to meet or negotiate
    "061": "0311", "062": "0312", "063": "0313", "064": "0314",
    "071": "0331", "072": "0332", "073": "0333", "074": "0334",
    "081": "0351", "0811": "0351", "0812": "0351", "0813": "0351", "0814": "0351",
    "082": "0352",
    "083": "034", "0831": "0341", "0832": "0342", "0833": "0343", "0834": "0344",
    "084": "0353", "0841": "0353", "0842": "0353",
    "085": "0354",
    "086": "0355", "0861": "0355", "0862": "0355", "0863": "0355",
    "087": "0356", "0871": "0356", "0872": "0356", "0873": "0356", "0874": "0356",
}
_INTENT_BY_ROOT = {"04": "036", "05": "032", "06": "031", "07": "033", "08": "035"}


@dataclass(frozen=True)
class CameoCode:
    code: str
    name: str
    root: str
    goldstein: float
    quad_class: int
    plover_type: Optional[str]
    plover_mode: Optional[str]
    plover_context: Optional[str]

    @property
    def is_root(self) -> bool:
        return len(self.code) == 2


class Ontology:
    """All CAMEO codes, keyed by code string ("041", "1041", "04")."""

    def __init__(self, codes: Iterable[CameoCode]):
        self._codes: dict[str, CameoCode] = {}
        for c in codes:
            if c.code in self._codes:
                raise ValueError(f"duplicate CAMEO code {c.code!r}")
            self._codes[c.code] = c

    # -- loading -------------------------------------------------------------------------------
    @classmethod
    def default(cls) -> "Ontology":
        """The packaged table (cached: every call returns the same object)."""
        return _default_ontology()

    @classmethod
    def from_path(cls, path: Union[str, Path]) -> "Ontology":
        path = Path(path)
        with path.open(encoding="utf-8", newline="") as f:
            return cls(_parse(f, str(path)))

    # -- queries -------------------------------------------------------------------------------
    def get(self, code: Optional[str]) -> Optional[CameoCode]:
        return self._codes.get(code) if code else None

    def __getitem__(self, code: str) -> CameoCode:
        return self._codes[code]

    def __contains__(self, code: object) -> bool:
        return code in self._codes

    def __len__(self) -> int:
        return len(self._codes)

    def codes(self) -> list[str]:
        """Every code, in table order (roots before their children)."""
        return list(self._codes)

    def roots(self) -> list[str]:
        return [c for c in self._codes if len(c) == 2]

    def root_name(self, root: str) -> Optional[str]:
        """The cue-category name of a root, e.g. "04" -> "CONSULT" (also accepts a full code)."""
        c = self._codes.get(root[:2]) if root else None
        return c.name if c else None

    def intent_code(self, code_or_root: str) -> Optional[str]:
        """The CAMEO 03x 'express intent to ...' code for an act of this code or root.

        "04" -> "036", "046" -> "036", "045" -> "039", "06" -> "031", "07" -> "033", "08" -> "035",
        "0841" -> "0353"; None where CAMEO has no intent code (statements, appeals, intents, and
        every conflict root 09-20).
        """
        if not code_or_root:
            return None
        hit = _INTENT_BY_CODE.get(code_or_root) or _INTENT_BY_ROOT.get(code_or_root[:2])
        return hit if hit in self._codes else None

    def plover_types(self) -> frozenset[str]:
        return frozenset(c.plover_type for c in self._codes.values() if c.plover_type)


def _parse(lines: Iterable[str], source: str) -> list[CameoCode]:
    out: list[CameoCode] = []
    header_seen = False
    for lineno, row in enumerate(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
        if not row or not "".join(row).strip() or row[0].startswith("#"):
            continue
        if not header_seen:
            if tuple(x.strip() for x in row) != COLUMNS:
                raise ValueError(f"{source}:{lineno}: expected header {'/'.join(COLUMNS)}")
            header_seen = True
            continue
        row = row + [""] * (len(COLUMNS) - len(row))
        if len(row) != len(COLUMNS):
            raise ValueError(f"{source}:{lineno}: expected {len(COLUMNS)} columns, got {len(row)}")
        code, name, root, gold, quad, ptype, pmode, pctx = (x.strip() for x in row)
        try:
            goldstein = float(gold)
            quad_class = int(quad)
        except ValueError:
            raise ValueError(f"{source}:{lineno}: bad goldstein/quad_class {gold!r}/{quad!r}") from None
        if not (code.isdigit() and 2 <= len(code) <= 4) or root != code[:2] or not name:
            raise ValueError(f"{source}:{lineno}: bad code/root/name {code!r}/{root!r}/{name!r}")
        if ptype and ptype not in PLOVER_TYPES:
            raise ValueError(f"{source}:{lineno}: unknown PLOVER type {ptype!r}")
        out.append(CameoCode(code, name, root, goldstein, quad_class, ptype or None, pmode or None,
                             pctx or None))
    if not header_seen:
        raise ValueError(f"{source}: no header line")
    return out


@lru_cache(maxsize=1)
def _default_ontology() -> Ontology:
    ref = resources.files("eventcoder.events").joinpath("data", "cameo.tsv")
    with ref.open("r", encoding="utf-8", newline="") as f:
        return Ontology(_parse(f, "eventcoder/events/data/cameo.tsv"))

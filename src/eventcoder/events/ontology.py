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

BASE_COLUMNS = ("code", "name", "root", "goldstein", "quad_class", "plover_type", "plover_mode",
                "plover_context")
ROOTS = tuple(f"{i:02d}" for i in range(1, 21))

# What an act's status makes of its code (events/recode.py), one column each: the code of the act
# announced (CAMEO 03x intent), refused (12x), demanded (10x) or threatened (13x). A root row's value
# holds for the root's codes without one of their own. `reciprocal`: "yes" = mutual by nature when
# the source is plural and no target is named.
REWRITES = {"intent": "03", "reject": "12", "demand": "10", "threat": "13"}  # column -> root of its codes
REWRITE_COLUMNS = (*REWRITES, "reciprocal")
COLUMNS = BASE_COLUMNS + REWRITE_COLUMNS  # a table with BASE_COLUMNS only has no rewrites


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

    def __init__(self, codes: Iterable[CameoCode], rewrites: Optional[dict] = None,
                 where: Optional[dict] = None):
        """`rewrites`: {column: {code: value}} for the REWRITE_COLUMNS (reciprocal: {code: "yes"});
        `where`: {(column, code): "cameo.tsv:57"}, the table line of each rewrite (for --explain)."""
        self._where: dict[tuple[str, str], str] = dict(where or {})
        self._codes: dict[str, CameoCode] = {}
        for c in codes:
            if c.code in self._codes:
                raise ValueError(f"duplicate CAMEO code {c.code!r}")
            self._codes[c.code] = c
        rewrites = rewrites or {}
        self._rewrites: dict[str, dict[str, str]] = {k: dict(rewrites.get(k, {})) for k in REWRITE_COLUMNS}

    # -- loading -------------------------------------------------------------------------------
    @classmethod
    def default(cls) -> "Ontology":
        """The packaged table (cached: every call returns the same object)."""
        return _default_ontology()

    @classmethod
    def from_path(cls, path: Union[str, Path]) -> "Ontology":
        path = Path(path)
        with path.open(encoding="utf-8", newline="") as f:
            return cls(*_parse(f, str(path)))

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
        hit = self._rewrite("intent", code_or_root)
        return hit if hit in self._codes else None

    def reject_code(self, code: str) -> Optional[str]:
        """The rejection (12x) of an act of this code (by its three-digit code, then its root)."""
        return self._rewrite("reject", code)

    def demand_code(self, code: str) -> Optional[str]:
        """The demand (10x) that someone do an act of this code (three-digit code, then root)."""
        return self._rewrite("demand", code)

    def threat_code(self, code: str) -> Optional[str]:
        """The threat (13x) of an act of this code (the code itself, then its root)."""
        return self._rewrite("threat", code)

    def is_reciprocal(self, code: str) -> bool:
        """Is an act of this code (its three-digit code) mutual by nature ("met", "signed a deal")?"""
        return code[:3] in self._rewrites["reciprocal"]

    def rewrites(self, column: str) -> dict:
        """{code: value} of one rewrite column (a copy)."""
        return dict(self._rewrites[column])

    def where(self, column: str, code: str) -> str:
        """The table line whose `column` rewrites `code`, e.g. "cameo.tsv:57" ('' when none does
        or the table was built in code)."""
        row = self._row(column, code)
        return self._where.get((column, row), "") if row else ""

    def _rewrite(self, column: str, code: str) -> Optional[str]:
        row = self._row(column, code)
        return self._rewrites[column][row] if row else None

    def _row(self, column: str, code: str) -> Optional[str]:
        """The code whose row gives `column`'s rewrite of `code`: its own (intent, threat: the
        code itself; reject, demand: its three-digit code), then its root's."""
        if not code:
            return None
        table = self._rewrites[column]
        for key in ((code[:3] if column in ("reject", "demand") else code), code[:2]):
            if key in table:
                return key
        return None

    def plover_types(self) -> frozenset[str]:
        return frozenset(c.plover_type for c in self._codes.values() if c.plover_type)


def _parse(lines: Iterable[str], source: str) -> tuple[list[CameoCode], dict, dict]:
    """(codes, rewrites, where) of a table (where: {(column, code): "<file>:<line>"}); raise
    ValueError('<source>:<line>: ...') on the first bad row."""
    out: list[CameoCode] = []
    rewrites: dict[str, dict[str, str]] = {k: {} for k in REWRITE_COLUMNS}
    lines_of: dict[tuple[str, str], int] = {}
    columns = None
    for lineno, row in enumerate(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
        if not row or not "".join(row).strip() or row[0].startswith("#"):
            continue
        if columns is None:
            header = tuple(x.strip() for x in row)
            if header not in (COLUMNS, BASE_COLUMNS):
                raise ValueError(f"{source}:{lineno}: expected header {'/'.join(COLUMNS)}")
            columns = header
            continue
        row = row + [""] * (len(columns) - len(row))
        if len(row) != len(columns):
            raise ValueError(f"{source}:{lineno}: expected {len(columns)} columns, got {len(row)}")
        code, name, root, gold, quad, ptype, pmode, pctx, *extra = (x.strip() for x in row)
        try:
            goldstein = float(gold)
            quad_class = int(quad)
        except ValueError:
            raise ValueError(f"{source}:{lineno}: bad goldstein/quad_class {gold!r}/{quad!r}") from None
        if not (code.isdigit() and 2 <= len(code) <= 4) or root != code[:2] or not name:
            raise ValueError(f"{source}:{lineno}: bad code/root/name {code!r}/{root!r}/{name!r}")
        if ptype and ptype not in PLOVER_TYPES:
            raise ValueError(f"{source}:{lineno}: unknown PLOVER type {ptype!r}")
        for col, value in zip(REWRITE_COLUMNS, extra):
            if not value:
                continue
            if col == "reciprocal":
                if value != "yes":
                    raise ValueError(f"{source}:{lineno}: reciprocal must be 'yes' or empty, got {value!r}")
            elif not (value.isdigit() and value[:2] == REWRITES[col]):
                raise ValueError(f"{source}:{lineno}: {col} must be a CAMEO {REWRITES[col]}x code, got {value!r}")
            rewrites[col][code] = value
            lines_of[(col, code)] = lineno
        out.append(CameoCode(code, name, root, goldstein, quad_class, ptype or None, pmode or None,
                             pctx or None))
    if columns is None:
        raise ValueError(f"{source}: no header line")
    known = {c.code for c in out}
    for col in REWRITES:
        for code, value in rewrites[col].items():
            if value not in known:
                raise ValueError(f"{source}:{lines_of[(col, code)]}: {col} code {value!r} is not in the table")
    name = Path(source).name
    return out, rewrites, {k: f"{name}:{n}" for k, n in lines_of.items()}


@lru_cache(maxsize=1)
def _default_ontology() -> Ontology:
    ref = resources.files("eventcoder.events").joinpath("data", "cameo.tsv")
    with ref.open("r", encoding="utf-8", newline="") as f:
        return Ontology(*_parse(f, "eventcoder/events/data/cameo.tsv"))

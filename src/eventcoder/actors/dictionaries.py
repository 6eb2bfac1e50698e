"""Users' own actor and agent dictionaries: PETRARCH/TABARI files and the project's TSV.

    kb = KnowledgeBase.with_dictionaries(["my.actors.txt", "Phoenix.agents.txt", "mine.tsv"])
    eventcoder code news/ --dictionary my.actors.txt --dictionary mine.tsv

Formats (docs/dictionaries.md has examples):

* **PETRARCH/TABARI actors** (`*.actors.txt`, `.actors`, or any text file that is not TSV):
  a primary phrase (words joined by `_` or spaces) with an optional `[CODE]`, synonym lines
  starting with `+`, and date restrictions on tab-indented lines `[CODE 991231-080507]`,
  `[CODE >20070101]`, `[CODE <20070101]` (YYMMDD or YYYYMMDD; two-digit years < 30 are 20xx).
  `#` and `;` start comments, as do `<!-- ... -->` blocks. An entry with dated codes is a person
  (the KB keeps each dated code as a term, so "who was it on that date" works as for the shipped
  office holders); an entry whose only code is a bare country code (`[AFG]`) adds country names;
  any other entry is an organisation with that code.
* **PETRARCH agents** (a file whose codes start or end with `~`: `AMBASSADOR [~GOV]`,
  `HUMAN_RIGHTS_BODY [NGO~]`, plurals in `{...}`, `!PERSON! = MAN, WOMAN` substitutions): sector
  cues ("ambassador" -> GOV).
* **TSV** (`.tsv`): a header naming at least `name` and `code`; optional `aliases` (`|`-separated),
  `country`, `sector`, `start`, `end` (a row with a start is a person-term), `note`.

A code is read as country + sector: the first three letters (ISO alpha-3, or IGO/NGO/IMG/NGM/MNC;
IGOUNO... is the UN, country `UNO`), then a sector if the next three letters are one. The code
itself is kept as the actor's code. Errors name the file and line (`DictionaryError`).
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..errors import EventcoderError

NON_STATE = {"IGO", "NGO", "IMG", "NGM", "MNC", "UNO", "EUR", "UAF", "INT"}
SECTORS = {"GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "SPY", "MED", "EDU", "BUS", "CRM", "CVL",
           "LAB", "LEG", "HLH", "REF", "AGR", "ELI", "REL", "MOD", "RAD", "UAF", "HRI", "ENV", "IGO",
           "NGO", "IMG", "SET", "INS", "DEV", "SEP", "UNO"}


class DictionaryError(EventcoderError, ValueError):
    """A dictionary that cannot be read; the message names the file and line."""


@dataclass
class DictEntry:
    name: str
    aliases: list = field(default_factory=list)
    code: Optional[str] = None                   # default (undated) code
    dated: list = field(default_factory=list)    # [(code, start, end)] ISO dates or None
    line: int = 0
    country: Optional[str] = None                # TSV only: given, not read from the code
    sector: Optional[str] = None


@dataclass
class Dictionary:
    path: str
    actors: list = field(default_factory=list)   # DictEntry
    agents: list = field(default_factory=list)   # (phrase, sector)
    problems: list = field(default_factory=list)  # "file:line: what" for lines that were skipped
    _blank: bool = field(default=False, repr=False)

    def __len__(self) -> int:
        return len(self.actors) + len(self.agents)


def split_code(code: str, countries: Optional[set] = None) -> tuple[Optional[str], Optional[str]]:
    """(country, sector) of a CAMEO actor code: "RUSGOV" -> (RUS, GOV), "IGOUNOREF" -> (UNO, None),
    "NGO" -> (NGO, None)."""
    c = code.strip().upper().lstrip("~").rstrip("~")
    if c.startswith("IGOUNO"):
        return "UNO", _sector(c[6:9])
    head = c[:3]
    if len(head) == 3 and (head in NON_STATE or countries is None or head in countries):
        return head, _sector(c[3:6])
    return None, _sector(head)


def _sector(s: str) -> Optional[str]:
    return s if s in SECTORS else None


def _phrase(raw: str) -> str:
    return " ".join(raw.replace("_", " ").split()).strip()


_COMMENT_BLOCK = re.compile(r"<!--.*?-->", re.S)
_CODE = re.compile(r"\[([^\[\]]*)\]")
_DATE = re.compile(r"^\d{6}(\d{2})?$")


def _date(s: str, where: str) -> str:
    s = s.strip()
    if not _DATE.match(s):
        raise DictionaryError(f"{where}: bad date {s!r} in a date restriction (YYMMDD or YYYYMMDD); "
                              "code skipped")
    if len(s) == 6:
        yy = int(s[:2])
        s = f"{20 if yy < 30 else 19}{s}"
    y, m, d = int(s[:4]), int(s[4:6]), int(s[6:8])
    if not (1 <= m <= 12 and 1 <= d <= 31):
        raise DictionaryError(f"{where}: bad date {s!r} in a date restriction (month or day out of "
                              "range); code skipped")
    return f"{y:04d}-{m:02d}-{d:02d}"


def _restriction(body: str, where: str) -> tuple[str, Optional[str], Optional[str]]:
    """'RUSGOV 991231-080507' -> ("RUSGOV", "1999-12-31", "2008-05-07"); '>' / '<' open ends."""
    parts = body.split()
    if not parts:
        raise DictionaryError(f"{where}: empty code []")
    code = parts[0]
    if len(parts) == 1:
        return code, None, None
    r = "".join(parts[1:])
    if r.startswith(">"):
        return code, _date(r[1:], where), None
    if r.startswith("<"):
        return code, None, _date(r[1:], where)
    if "-" in r:
        a, _, b = r.partition("-")
        return code, _date(a, where), _date(b, where)
    raise DictionaryError(f"{where}: bad date restriction {body!r} (use >DATE, <DATE or DATE-DATE)")


def _strip_comment(line: str) -> str:
    for mark in ("#", ";"):
        i = line.find(mark)
        if i >= 0:
            line = line[:i]
    return line.rstrip()


def read_petrarch(path: str, text: Optional[str] = None) -> Dictionary:
    """Parse a PETRARCH/TABARI actors or agents file."""
    if text is None:
        text = _read_text(path)
    text = _COMMENT_BLOCK.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    out = Dictionary(str(path))
    subs: dict = {}
    cur: Optional[DictEntry] = None
    for n, raw in enumerate(text.splitlines(), 1):
        try:
            cur = _petrarch_line(out, subs, cur, raw, n, path)
        except DictionaryError as exc:  # this line is skipped, named; the rest is read
            out.problems.append(str(exc))
    out.actors = [e for e in out.actors if e.code or e.dated]  # a phrase with no code codes nothing
    return out


def _petrarch_line(out: Dictionary, subs: dict, cur: Optional[DictEntry], raw: str, n: int,
                   path: str) -> Optional[DictEntry]:
    """Read one line; returns the entry that later synonym and code lines belong to."""
    where = f"{path}:{n}"
    indented = raw[:1] in ("\t", " ")
    line = _strip_comment(raw)
    s = line.strip()
    if not s:
        if not raw.strip():
            out._blank = True  # a blank line ends a group of code-less phrases (below)
        return cur
    if s.startswith("!") and "=" in s:  # !PERSON! = MAN, MEN, WOMAN
        key, _, vals = s.partition("=")
        subs[key.strip()] = [v.strip() for v in vals.split(",") if v.strip()]
        return cur
    codes = _CODE.findall(s)
    if "[" in s and not codes or s.count("[") != s.count("]"):
        raise DictionaryError(f"{where}: unbalanced [ ] in {s[:60]!r}; line skipped")
    if any(c.strip().startswith("~") or c.strip().endswith("~") for c in codes):
        out.agents.extend(_agent(s, codes, subs, where))
        return None
    if s.startswith("+"):
        if cur is None:
            raise DictionaryError(f"{where}: a synonym (+...) before any actor; line skipped")
        name = _phrase(_CODE.sub("", s[1:]))
        if name:
            cur.aliases.append(name)
        for c in codes:
            _add_code(cur, c, where)
        return cur
    if s.startswith("[") and (indented or cur is not None):
        if cur is None:
            raise DictionaryError(f"{where}: a code line before any actor; line skipped")
        for c in codes:
            _add_code(cur, c, where)
        return cur
    name = _phrase(_CODE.sub("", s))
    if not name:
        raise DictionaryError(f"{where}: no phrase before the code in {s[:60]!r}; line skipped")
    blank, out._blank = out._blank, False
    if not codes and cur is not None and not (cur.code or cur.dated) and not blank:
        # phrases on consecutive lines without codes share the codes that follow them
        # (Phoenix: "BORIS_YELTSIN_", "YELTSIN", "PRESIDENT_YELTSIN", then the dated codes)
        cur.aliases.append(name)
        return cur
    e = DictEntry(name, line=n)
    out.actors.append(e)
    for c in codes:
        _add_code(e, c, where)
    return e


def _add_code(e: DictEntry, body: str, where: str) -> None:
    code, start, end = _restriction(body, where)
    if start is None and end is None:
        if e.code is None:
            e.code = code
        else:  # a second undated code: the later default wins in PETRARCH; keep the first
            pass
    else:
        e.dated.append((code, start, end))


def _agent(s: str, codes: list, subs: dict, where: str) -> list:
    body = _CODE.sub("", s)
    plural = None
    m = re.search(r"\{([^}]*)\}", body)
    if m:
        plural = m.group(1).strip()
        body = body[:m.start()] + body[m.end():]
    code = codes[0].strip()
    sector = _sector(code.strip("~")[:3])
    if sector is None:
        return []  # an agent code the coder has no sector for (e.g. ~AGR is, ~XYZ is not)
    phrases = [body.strip()]
    for key, vals in subs.items():
        if key in phrases[0]:
            phrases = [p.replace(key, v) for p in phrases for v in vals]
    out = []
    for p in phrases:
        p = _phrase(p)
        if not p:
            raise DictionaryError(f"{where}: an agent code without a phrase")
        out.append((p, sector))
        if plural:
            out.extend((_phrase(x), sector) for x in plural.split())
    return out


def read_tsv(path: str, text: Optional[str] = None) -> Dictionary:
    if text is None:
        text = _read_text(path)
    lines = [ln for ln in text.splitlines() if not ln.startswith("#")]
    if not lines:
        raise DictionaryError(f"{path}: empty dictionary (a TSV needs a header with name and code)")
    reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t", quoting=csv.QUOTE_NONE)
    cols = set(reader.fieldnames or [])
    if not {"name", "code"} <= cols:
        raise DictionaryError(f"{path}: the header must name the columns 'name' and 'code' "
                              f"(found: {', '.join(sorted(cols)) or 'none'})")
    out = Dictionary(str(path))
    # line numbers in the file (comment lines skipped above are counted back in)
    data_lines = [i for i, ln in enumerate(text.splitlines(), 1) if not ln.startswith("#")][1:]
    for row, n in zip(reader, data_lines):
        try:
            out.actors.append(_tsv_row(row, f"{path}:{n}", n))
        except DictionaryError as exc:
            out.problems.append(str(exc))
    return out


def _tsv_row(row: dict, where: str, n: int) -> DictEntry:
    name = (row.get("name") or "").strip()
    code = (row.get("code") or "").strip()
    if not name or not code:
        raise DictionaryError(f"{where}: a row needs a name and a code; row skipped")
    e = DictEntry(name, [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()],
                  line=n)
    start = (row.get("start") or "").strip() or None
    end = (row.get("end") or "").strip() or None
    for d in (start, end):
        if d and not re.match(r"^\d{4}-\d{2}-\d{2}$", d):
            raise DictionaryError(f"{where}: bad date {d!r} (YYYY-MM-DD); row skipped")
    if start or end:
        e.dated.append((code, start, end))
    else:
        e.code = code
    e.country = (row.get("country") or "").strip() or None
    e.sector = (row.get("sector") or "").strip() or None
    return e


def _read_text(path: str) -> str:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise DictionaryError(f"{path}: cannot read the dictionary ({exc.strerror or exc})") from None
    if b"\x00" in data[:8192]:
        raise DictionaryError(f"{path}: not a text file (binary data); a dictionary is UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # the TABARI-era files are often Latin-1


def read_dictionary(path: str) -> Dictionary:
    """A dictionary file in either format (TSV when the name ends in .tsv)."""
    p = str(path)
    if not Path(p).is_file():
        raise DictionaryError(f"{p}: no such dictionary file (check the --dictionary path)")
    return read_tsv(p) if p.lower().endswith(".tsv") else read_petrarch(p)

#!/usr/bin/env python3
"""Build src/eventcoder/actors/data/organisations_phoenix.tsv from the Phoenix dictionaries (MIT).

    .venv/bin/python tools/build_phoenix_orgs.py [--petrarch ../shared/data/petrarch]
                                                [--corpus ../shared/data/allsides/allsides_world.jsonl.gz]

Takes the organisations (entries without dated codes) of Phoenix.International.actors.txt
(intergovernmental bodies, NGOs, media, companies) and Phoenix.MilNonState.actors.txt (armed and
militant groups), reads each code as country + sector (`eventcoder.actors.dictionaries.split_code`)
and writes one row per entry in the shape of organisations.tsv. The knowledge base loads the table
after its hand-written organisations.tsv and only fills what that table lacks.

A name of one word is kept only when real news writes it as a name: in the corpus it is capitalised
at least four times as often as it is written in lower case ("Hamas" stays; "YOUTH", "MAVERICKS",
"CONTRAS" go), and names that are numbers or shorter than two letters are dropped. The counts go
into the header comment, so the table says how it was made.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from eventcoder.actors.dictionaries import read_dictionary, split_code  # noqa: E402
from eventcoder.actors.kb import KnowledgeBase, normalise  # noqa: E402

OUT = ROOT / "src" / "eventcoder" / "actors" / "data" / "organisations_phoenix.tsv"
FILES = ("Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt")


def case_counts(corpus: Path) -> tuple[collections.Counter, collections.Counter, collections.Counter]:
    """Per lowercased word: how often the corpus writes it Capitalised, lower case, ALL CAPS."""
    cap, low, upper = collections.Counter(), collections.Counter(), collections.Counter()
    op = gzip.open if corpus.suffix == ".gz" else open
    with op(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            text = json.loads(line).get("text") or ""
            for w in re.findall(r"[A-Za-z][A-Za-z'\-]+", text):
                k = w.lower()
                if w.isupper() and len(w) > 1:
                    upper[k] += 1
                elif w[0].isupper():
                    cap[k] += 1
                else:
                    low[k] += 1
    return cap, low, upper


SMALL = {"of", "the", "and", "for", "in", "on", "at", "to", "de", "du", "des", "la", "le", "el", "al"}


def title(name: str, cap, upper) -> str:
    """PHOENIX CAPITALS -> a readable name: a word stays in capitals when the corpus writes it so
    (an acronym: "NATO") or has three letters or fewer ("UN", "ICC"); small words go lower case."""
    out = []
    for i, w in enumerate(name.split()):
        k = w.lower()
        core = k.replace(".", "").replace("-", "")
        if upper[k] > cap[k] or (len(core) <= 3 and core.isalpha() and k not in SMALL):
            out.append(w.upper())
        elif i and k in SMALL:
            out.append(k)
        else:
            out.append("-".join(p.capitalize() for p in w.split("-")))
    return " ".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--petrarch", type=Path, default=ROOT.parent / "shared" / "data" / "petrarch")
    ap.add_argument("--corpus", type=Path,
                    default=ROOT.parent / "shared" / "data" / "allsides" / "allsides_world.jsonl.gz")
    a = ap.parse_args()
    cap, low, upper = case_counts(a.corpus)
    kb = KnowledgeBase()
    known = set(kb._country_names)
    # names the KB already reads as a person or a country are not organisations here
    # (Phoenix files some people under a group's code: "AYMAN_AL_ZAWAHIRI_ [IMGMUSALQ]")
    taken = set(kb._full) | set(kb._partial) | set(kb._countries.d) | set(kb._metonyms.d)
    rows, seen = [], set()
    dropped = collections.Counter()
    for f in FILES:
        for e in read_dictionary(str(a.petrarch / f)).actors:
            if e.dated or not e.code:
                dropped["person or no code"] += 1
                continue
            country, sector = split_code(e.code, known)
            if not country:
                dropped["code without a country"] += 1
                continue
            names = []
            for n in [e.name, *e.aliases]:
                n = n.strip(" _+")
                w = n.replace(".", "").replace("-", "").replace("/", "")
                if len(w) < 2 or w.isdigit():
                    dropped["too short or a number"] += 1
                    continue
                if len(n.split()) == 1 and low[n.lower()] * 4 > cap[n.lower()] + upper[n.lower()]:
                    dropped["one common word"] += 1
                    continue
                if normalise(n) in taken:
                    dropped["a person or country of the KB"] += 1
                    continue
                if n.lower() in seen:
                    dropped["duplicate name"] += 1
                    continue
                seen.add(n.lower())
                names.append(n)
            if not names:
                continue
            rows.append((title(names[0], cap, upper), "|".join(title(n, cap, upper) for n in names[1:]), country, sector or "", e.code,
                         f"{f}:{e.line}"))
    with open(OUT, "w", encoding="utf-8", newline="\n") as out:
        out.write(f"# source: derived by tools/build_phoenix_orgs.py from {', '.join(FILES)} (Phoenix "
                  f"dictionaries, Open Event Data Alliance, MIT licence: see PHOENIX_LICENSE.txt); "
                  f"{len(rows)} organisations; names dropped: {dict(dropped)}. Loaded after "
                  f"organisations.tsv, which wins.\n")
        out.write("name\taliases\tcountry\tsector\tcode\tnote\n")
        for r in rows:
            out.write("\t".join(x.replace("\t", " ") for x in r) + "\n")
    print(f"wrote {OUT} ({len(rows)} organisations; dropped {dict(dropped)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

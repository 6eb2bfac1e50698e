"""What the tests share (imported as `support`: pytest puts tests/ on sys.path, and sub_env puts it
on a subprocess's PYTHONPATH); the fixtures built from it are in conftest.py.

- `PatternCoder`: a light, deterministic stand-in for eventcoder.coder.Coder (also reached
  through $EVENTCODER_CODER=support:PatternCoder by ingest subprocesses): it codes sentences of
  the form "USAGOV met RUSGOV." and quotes in double quotes; `make_corpus` writes such articles.
- `Server`: uvicorn serving an app on 127.0.0.1 in a background thread.
- `build_store`: the dashboard corpus (40 pattern articles, an article full of injection strings
  `XSS`, positions on "ceasefire" and "truce"), behind the `store` and `client` fixtures.
- `shared_path`: a path into ../shared/data, skipping the test when it is absent.
"""
from __future__ import annotations

import ast
import json
import os
import re
import socket
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import uvicorn

import eventcoder
from eventcoder.model import Actor, Article, Event, Location, Position, Quote
from eventcoder.store import Coded, Store

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EVENTCODER_SHARED", ROOT.parent / "shared")).resolve()
SAMPLES = ROOT / "samples"
PY = sys.executable


def shared_path(*parts: str) -> Path:
    """Path into ../shared/data; skips the calling test with a clear reason when absent."""
    p = SHARED.joinpath("data", *parts)
    if not p.exists():
        pytest.skip(f"reference data not found at {p} (../shared is absent; set EVENTCODER_SHARED)")
    return p


# ---------------------------------------------------------------- the pattern coder
VERBS = {  # verb -> (cameo code, name, goldstein, quad, plover)
    "met": ("040", "Consult", 1.0, 1, "CONSULT"),
    "phoned": ("042", "Make a visit", 1.9, 1, "CONSULT"),
    "praised": ("051", "Praise or endorse", 3.4, 1, "SUPPORT"),
    "aided": ("070", "Provide aid", 7.0, 2, "AID"),
    "accused": ("112", "Accuse", -2.0, 3, "ACCUSE"),
    "attacked": ("190", "Use conventional military force", -10.0, 4, "ASSAULT"),
}
SENT = re.compile(r"\b([A-Z]{3}(?:[A-Z]{3})?) (did not )?(" + "|".join(VERBS) +
                  r") ([A-Z]{3}(?:[A-Z]{3})?)(?: in ([A-Z][a-z]+))?(?: on (\d{4}-\d{2}-\d{2}))?")


def pattern_events(article: Article) -> list[Event]:
    out = []
    sentences = re.split(r"(?<=\.)\s+", article.text)
    pos = 0
    for i, s in enumerate(sentences):
        start = article.text.index(s, pos)
        pos = start + len(s)
        for m in SENT.finditer(s):
            code, name, gold, quad, plover = VERBS[m.group(3)]
            src, tgt = m.group(1), m.group(4)
            loc = Location(m.group(5), "SAU", 24.7, 46.7) if m.group(5) else None
            out.append(Event(
                article_id=article.article_id, date=m.group(6) or article.published,
                published=article.published,
                source=Actor(src, country=src[:3], sector=src[3:] or None,
                             span=(start + m.start(1), start + m.end(1))),
                target=Actor(tgt, country=tgt[:3], sector=tgt[3:] or None,
                             span=(start + m.start(4), start + m.end(4))),
                cameo_code=code, cameo_root=code[:2], cameo_name=name, goldstein=gold,
                quad_class=quad, plover_type=plover, plover_mode=None,
                status="negated" if m.group(2) else "occurred", location=loc,
                sentence_index=i, sentence=s, trigger=m.group(3),
                span=(start + m.start(3), start + m.end(3)), confidence=0.9, rule="pattern"))
    return out


def pattern_quotes(article: Article) -> list[Quote]:
    out = []
    for m in re.finditer(r'"([^"]+)," said ([A-Z]{3,6})', article.text):
        code = m.group(2)
        out.append(Quote(article_id=article.article_id,
                         speaker=Actor(code, country=code[:3], sector=code[3:] or None),
                         cue="said", content=m.group(1), direct=True,
                         speaker_span=(m.start(2), m.end(2)),
                         cue_span=(m.start(2) - 5, m.start(2) - 1),
                         content_spans=[(m.start(1), m.end(1))]))
    return out


class PatternCoder:
    """Codes "XXX verb YYY" sentences; an article containing FAIL gets an error."""

    def __init__(self, **kwargs):
        self.delay = float(os.environ.get("EVENTCODER_FAKE_DELAY", "0"))

    def code_articles(self, articles):
        for a in articles:
            if self.delay:
                time.sleep(self.delay)
            if "FAIL" in a.text:
                yield SimpleNamespace(article=a, events=[], quotes=[], positions=[],
                                      error="pattern coder refuses FAIL")
                continue
            yield SimpleNamespace(article=a, events=pattern_events(a), quotes=pattern_quotes(a),
                                  positions=[], error=None)


def make_corpus(n: int, start_day: int = 1) -> list[dict]:
    pairs = [("USAGOV", "RUSGOV"), ("UKRGOV", "RUSMIL"), ("CHNGOV", "USAGOV"), ("FRAGOV", "UKRGOV")]
    verbs = list(VERBS)
    docs = []
    for i in range(n):
        a, b = pairs[i % len(pairs)]
        v = verbs[i % len(verbs)]
        day = start_day + (i % 20)
        docs.append({"id": f"doc{i:04d}", "title": f"Story {i}",
                     "text": f"{a} {v} {b} in Riyadh. Officials {i} spoke. {b} accused {a}. "
                             f'"We will talk {i}," said {a}.',
                     "published": f"2025-03-{day:02d}", "url": f"https://news{i % 3}.example/{i}",
                     "source": f"Outlet{i % 3}"})
    return docs


def write_jsonl(path: Path, docs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


def articles_of(docs):
    return [Article(article_id=d["id"], text=d["text"], title=d.get("title"),
                    published=d.get("published"), url=d.get("url"), source_name=d.get("source"))
            for d in docs]


def sub_env(**extra) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT / "tests"),
                                         env.get("PYTHONPATH", "")])
    env["EVENTCODER_CODER"] = "support:PatternCoder"
    env.update(extra)
    return env


# ---------------------------------------------------------------- a live server
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """uvicorn serving `app` on 127.0.0.1 in a background thread."""

    def __init__(self, app):
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                    log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.time() + 20
        while not self.server.started:
            if time.time() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)


# ---------------------------------------------------------------- the dashboard corpus
# Strings that would run script if any piece of article text reached the page as HTML.
XSS = [
    "<script>window.__xss='script'</script>",
    '"><img src=x onerror="window.__xss=\'img-attr\'">',
    "'><svg onload=window.__xss='svg'>",
    "<img src=x onerror=window.__xss='img'>",
    "</textarea><script>window.__xss='textarea'</script>",
    "<iframe srcdoc=\"<script>parent.__xss='iframe'</script>\"></iframe>",
    "{{7*7}} ${7*7}",
]
XSS_ID = 'xss"<b>1'
XSS_ISSUE = "<script>window.__xss='issue'</script> ceasefire"


def xss_coded() -> Coded:
    """An article full of injection strings: in the title, the text, the actors' words and
    names, the CAMEO name, the place, a quote and its speaker, and a position."""
    bad = " ".join(XSS)
    text = (f"USAGOV met RUSGOV in Riyadh. {bad} Officials spoke. "
            f'"{XSS[0]} we will talk," said {XSS[3]} today. RUSGOV accused USAGOV {XSS[1]}.')
    art = Article(XSS_ID, text, title="Injection " + XSS[0] + XSS[1],
                  published="2025-03-05", url="javascript:window.__xss='url'",
                  source_name=XSS[2])
    s1 = text.index("met")
    ev1 = Event(XSS_ID, "2025-03-05", "2025-03-05",
                Actor("USAGOV", name=XSS[1], country="USA", sector="GOV", span=(0, 6)),
                Actor("RUSGOV", name=XSS[3], country="RUS", sector="GOV", span=(11, 17)),
                "040", "04", "Consult " + XSS[0], 1.0, 1, "CONSULT", XSS[2], "occurred",
                Location(XSS[4], "SAU", 24.7, 46.7), 0, text[: text.index(".") + 1], "met",
                (s1, s1 + 3), 0.9)
    i2 = text.index("RUSGOV accused")
    sent2 = text[i2:]
    ev2 = Event(XSS_ID, "2025-03-05", "2025-03-05",
                Actor("RUSGOV", country="RUS", sector="GOV", span=(i2, i2 + 6)),
                Actor("USAGOV", country="USA", sector="GOV", span=(i2 + 15, i2 + 21)),
                "112", "11", "Accuse", -2.0, 3, "ACCUSE", None, "occurred", None, 3, sent2,
                "accused", (i2 + 7, i2 + 14), 0.9)
    qs = text.index('"') + 1
    qe = text.index(',"')
    sp = text.index(XSS[3], qe)
    quote = Quote(XSS_ID, Actor(XSS[3], name=XSS[1], country="RUS", sector="GOV"), "said",
                  text[qs:qe], True, speaker_span=(sp, sp + len(XSS[3])),
                  cue_span=(sp - 5, sp - 1), content_spans=[(qs, qe)])
    pos = Position(XSS_ID, Actor(XSS[3], name=XSS[1], country="RUS", sector="GOV"), XSS_ISSUE,
                   "propose", XSS[0] + " evidence", "2025-03-05", span=(qs, qe))
    return Coded(art, [ev1, ev2], [quote], [pos])


def positions_coded() -> list[Coded]:
    """Three articles with positions on "ceasefire": a proposal and two responses."""
    out = []
    prop = None
    for i, (code, stance, day) in enumerate([("USAGOV", "propose", 10), ("RUSGOV", "reject", 12),
                                             ("UKRGOV", "support", 14)]):
        text = f"{code} spoke about the ceasefire plan number {i}."
        art = Article(f"pos{i}", text, title=f"Ceasefire {i}", published=f"2025-03-{day:02d}")
        p = Position(art.article_id, Actor(code, country=code[:3], sector="GOV"), "ceasefire",
                     stance, text, f"2025-03-{day:02d}", span=(0, len(text)),
                     responds_to=prop.position_id if prop else None)
        if stance == "propose":
            prop = p
        out.append(Coded(art, [], [], [p]))
    return out


def many_positions_coded(actors: int = 25, busy: int = 55) -> list[Coded]:
    """Positions on "truce" by `actors` actors (two pages of 20 on the positions page); the
    first, USAGOV, holds `busy` of them (more than the 50 shown per actor)."""
    out = []
    for i in range(actors):
        code = "USAGOV" if i == 0 else f"A{i:02d}GOV"
        n = busy if i == 0 else 1
        text = " ".join(f"{code} spoke about the truce, remark {k}." for k in range(n))
        art = Article(f"truce{i:02d}", text, title=f"Truce {i}", published="2025-04-01")
        ps = [Position(art.article_id, Actor(code, name=f"Actor {i}", country=code[:3],
                                             sector="GOV"), "truce",
                       "support" if k % 2 else "oppose", f"remark {k} of {code}",
                       f"2025-04-{1 + k % 28:02d}", span=(k, k + 5)) for k in range(n)]
        out.append(Coded(art, [], [], ps))
    return out


def build_store(path) -> Store:
    st = Store(path)
    st.ingest(articles_of(make_corpus(40)), coder=PatternCoder())
    st.write_batch([xss_coded()] + positions_coded() + many_positions_coded())
    return st


def make_doc(words, heads=None, deps=None, pos=None, lemmas=None, ents=None, tags=None,
             sent_starts=None, spaces=None):
    """A spaCy Doc from a hand-given parse, as spaCy's own tests build them: `heads` are absolute
    token indices (a root points to itself), `ents` are IOB/BILUO tags ("B-GPE", "I-GPE", "O") or
    (start, end, label) token spans. Lets a unit test fix the parse a rule sees, whatever the
    statistical parser would make of the sentence."""
    from spacy.tokens import Doc

    n = len(words)
    if ents and isinstance(ents[0], tuple):
        tags_iob = ["O"] * n
        for start, end, label in ents:
            tags_iob[start] = f"B-{label}"
            for i in range(start + 1, end):
                tags_iob[i] = f"I-{label}"
        ents = tags_iob
    if heads is not None and deps is None:
        deps = ["dep"] * n
    # spaces: whether a space follows each token ("R-S.C.", "Russia's"); default: all
    given = {"spaces": spaces, "heads": heads, "deps": deps, "pos": pos, "tags": tags, "lemmas": lemmas,
             "ents": ents, "sent_starts": sent_starts}
    kwargs = {name: list(value) for name, value in given.items() if value is not None}
    return Doc(_english_vocab(), words=list(words), **kwargs)


_VOCAB = []


def _english_vocab():
    """English lexical attributes (lower_, is_punct, like_num ...), as spaCy's `en_vocab` fixture
    gives: the rules read them, and a bare Vocab() leaves them empty. One vocab per test run."""
    if not _VOCAB:
        from spacy.lang.en import English

        _VOCAB.append(English().vocab)
    return _VOCAB[0]


# ---- the package's import graph (tests/test_import_graph.py, tests/test_actor_modules.py)
PACKAGE = Path(eventcoder.__file__).parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """eventcoder module -> the eventcoder modules it imports, read with `ast` (deferred imports
    inside functions included)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.ImportFrom):
                base = package
                for _ in range(max(node.level - 1, 0)):
                    base = base.rsplit(".", 1)[0]
                mod = (f"{base}.{node.module}" if node.module else base) if node.level else (node.module or "")
                targets = [mod] + [f"{mod}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            for t in targets:
                if t in modules and t != name and not name.startswith(t + "."):
                    graph[name].add(t)
    return graph


def find_cycle(graph: dict[str, set[str]]):
    """One import cycle of `graph` as a list of modules (first = last), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None

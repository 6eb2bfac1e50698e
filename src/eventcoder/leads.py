"""Real-news leads: the gold format of ``../shared/data/gold`` and its scoring.

Gold (and label) files hold one JSON object per event: ``story_id``, ``evidence`` (an exact substring
of the lead), ``trigger``, ``plover_type``, ``source`` / ``target`` (``{"text", "country",
"sector"}`` or null), ``status``, ``location``; a story without events has one line
``{"story_id": ..., "no_events": true}``. Leads files hold ``id``, ``title``, ``published``, ``lead``.

Scoring (the product's measure; ``../shared/tools/leads_score.py`` is the reference it must agree
with): per story, the set of (source country, target country, PLOVER type) tuples of the events whose
status is not negated and that have a source country, CONSULT tuples unordered; precision, recall and
F1 pooled over stories; the same for (source country, type); a per-type table. On top of the
reference: an event-level alignment (a system trigger inside a gold evidence span) that counts type,
source, target and status errors and lists misses and spurious records, and the precision/recall
curve against a minimum confidence.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from .errors import EventcoderError
from .evaluate.metrics import scores

SYMMETRIC = {"CONSULT"}
CURVE_THRESHOLDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
LEAD_WORDS = 140

# A sentence ends at . ! ? (with closing quotes/brackets) before whitespace, but not after an
# initialism's last letter ("U.S.", "U.N."); the lead is whole sentences up to about 150 words.
_SENTENCE = re.compile(r'.+?(?:(?<!\.[A-Z])[.!?]["\u201d\u2019)]*(?=\s)|$)', re.S)


class LeadsFileError(EventcoderError, ValueError):
    """A gold, label or leads file that cannot be read; the message names the file and line."""


def lead_of(text: str, words: int = LEAD_WORDS) -> str:
    """The lead of an article: its first whole sentences, at least `words` words (or all of it).
    Always a prefix of `text`, so offsets into the lead are offsets into the article."""
    end = 0
    n = 0
    for m in _SENTENCE.finditer(text):
        n += len(m.group().split())
        end = m.end()
        if n >= words:
            break
    return text[:end].rstrip()


def read_jsonl(path: str | Path) -> list[dict]:
    """JSON objects, one per line; a broken line is an error naming the file and line."""
    out = []
    try:
        fh = open(path, encoding="utf-8")
    except OSError as exc:
        raise LeadsFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    with fh:
        try:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise LeadsFileError(f"{path}:{n}: not a JSON object ({exc.msg})") from None
                if not isinstance(obj, dict):
                    raise LeadsFileError(f"{path}:{n}: not a JSON object")
                out.append(obj)
        except UnicodeDecodeError:
            raise LeadsFileError(f"{path}: not UTF-8 text") from None
    return out


def load_leads(path: str | Path) -> list[dict]:
    """Leads (``id``, ``title``, ``published``, ``lead``)."""
    rows = read_jsonl(path)
    for n, r in enumerate(rows, 1):
        if "id" not in r or not isinstance(r.get("lead"), str):
            raise LeadsFileError(f"{path}: record {n} has no id or no lead text")
    return rows


# ---- story-level tuples ---------------------------------------------------------------------

def _country(actor: Any) -> Optional[str]:
    if not isinstance(actor, dict):
        return None
    return (actor.get("country") or "").upper() or None


def is_asserted(rec: dict) -> bool:
    return not rec.get("no_events") and (rec.get("status") or "occurred") != "negated"


def event_tuple(rec: dict) -> Optional[tuple]:
    """(source country, target country, type) of an asserted event with a source country."""
    if not is_asserted(rec):
        return None
    s, t, ty = _country(rec.get("source")), _country(rec.get("target")), rec.get("plover_type")
    if not s or not ty:
        return None
    if ty in SYMMETRIC and t:
        s, t = sorted([s, t])
    return (s, t, ty)


def story_tuples(records: Iterable[dict], key: str) -> dict[str, set]:
    out: dict[str, set] = defaultdict(set)
    for rec in records:
        tup = event_tuple(rec)
        if tup is not None:
            out[str(rec.get(key))].add(tup)
    return out


def prf(tp: int, fp: int, fn: int) -> dict:
    """P/R/F1 (spaCy's PRFScore, eventcoder.evaluate.metrics) with the counts."""
    return {**scores(tp, fp, fn), "tp": tp, "fp": fp, "fn": fn}


def score_tuples(gold: Sequence[dict], system: Sequence[dict], stories: Optional[Iterable[str]] = None) -> dict:
    """Story-level scores. `gold` records carry ``story_id``, `system` records ``article_id`` (or
    ``story_id``, for label files scored as a system). `stories` restricts both to those ids."""
    G = story_tuples(gold, "story_id")
    S = story_tuples([dict(r, article_id=r.get("article_id", r.get("story_id"))) for r in system],
                     "article_id")
    keep = set(stories) if stories is not None else set(G) | set(S)
    c: Counter = Counter()
    per: dict[str, Counter] = defaultdict(Counter)
    for st in keep:
        g, s = G.get(st, set()), S.get(st, set())
        c["tp"] += len(g & s)
        c["fp"] += len(s - g)
        c["fn"] += len(g - s)
        g2, s2 = {(a, y) for a, _, y in g}, {(a, y) for a, _, y in s}
        c["tp2"] += len(g2 & s2)
        c["fp2"] += len(s2 - g2)
        c["fn2"] += len(g2 - s2)
        for x in g:
            per[x[2]]["gold"] += 1
        for x in s:
            per[x[2]]["sys"] += 1
        for x in g & s:
            per[x[2]]["hit"] += 1
    return {"dyad_type": prf(c["tp"], c["fp"], c["fn"]),
            "source_type": prf(c["tp2"], c["fp2"], c["fn2"]),
            "per_type": {ty: dict(v) for ty, v in sorted(per.items())}}


# ---- event-level alignment ------------------------------------------------------------------

@dataclass
class Alignment:
    counts: Counter = field(default_factory=Counter)
    misses: list = field(default_factory=list)      # gold events with no system event in their evidence
    spurious: list = field(default_factory=list)    # system events inside no gold evidence span
    errors: list = field(default_factory=list)      # aligned pairs that differ (kind, gold, system)


def evidence_span(lead: str, rec: dict) -> Optional[tuple[int, int]]:
    ev = rec.get("evidence") or ""
    i = lead.find(ev) if ev else -1
    return (i, i + len(ev)) if i >= 0 else None


def align(gold: Sequence[dict], system: Sequence[dict], leads: dict[str, str]) -> Alignment:
    """Align each asserted system event to the gold event whose evidence span holds its trigger
    (the best-matching one when several do), and count what differs."""
    res = Alignment()
    by_story: dict[str, list] = defaultdict(list)
    for g in gold:
        if g.get("no_events"):
            continue
        span = evidence_span(leads.get(str(g.get("story_id")), ""), g)
        by_story[str(g.get("story_id"))].append((g, span))
    matched_gold: set = set()
    for e in system:
        if e.get("no_events") or not e.get("plover_type"):
            continue
        st = str(e.get("article_id", e.get("story_id")))
        span = e.get("span")
        if not span and e.get("evidence") is not None:  # a label file scored as a system
            es = evidence_span(leads.get(st, ""), e)
            tr = e.get("trigger") or ""
            if es is not None:
                j = leads[st].find(tr, es[0], es[1]) if tr else -1
                span = (j, j + len(tr)) if j >= 0 else es
        cands = [(g, gs) for g, gs in by_story.get(st, []) if gs and span and gs[0] <= span[0] and span[1] <= gs[1]]
        asserted = is_asserted(e)
        if not cands:
            if asserted:
                res.counts["spurious"] += 1
                res.spurious.append(e)
            continue

        def fit(pair):
            g = pair[0]
            return ((g.get("plover_type") == e.get("plover_type"))
                    + (_country(g.get("source")) == _country(e.get("source")))
                    + (_country(g.get("target")) == _country(e.get("target"))))

        g, _ = max(cands, key=fit)
        matched_gold.add(id(g))
        res.counts["aligned"] += 1
        for kind, same in (("type", g.get("plover_type") == e.get("plover_type")),
                           ("source_country", _country(g.get("source")) == _country(e.get("source"))),
                           ("target_country", _country(g.get("target")) == _country(e.get("target"))),
                           ("status", (g.get("status") or "occurred") == (e.get("status") or "occurred"))):
            if same:
                res.counts[kind + "_right"] += 1
            else:
                res.counts[kind + "_wrong"] += 1
                res.errors.append((kind, g, e))
    for st, items in by_story.items():
        for g, _ in items:
            if id(g) not in matched_gold:
                res.counts["missed"] += 1
                res.misses.append(g)
    return res


# ---- the whole report -----------------------------------------------------------------------

def evaluate(gold: Sequence[dict], system: Sequence[dict], leads: Sequence[dict]) -> dict:
    lead_text = {str(r["id"]): r["lead"] for r in leads}
    stories = set(lead_text)
    res = score_tuples(gold, system, stories)
    asserted = [e for e in system if is_asserted(e) and e.get("plover_type")]
    no_src = sum(1 for e in asserted if not _country(e.get("source")))
    res["asserted_events"] = len(asserted)
    res["asserted_without_source_country"] = no_src
    res["share_without_source_country"] = no_src / len(asserted) if asserted else 0.0
    curve = []
    for t in CURVE_THRESHOLDS:
        kept = [e for e in system if float(e.get("confidence", 1.0) or 0.0) >= t]
        m = score_tuples(gold, kept, stories)["dyad_type"]
        curve.append({"min_confidence": t, "precision": m["precision"], "recall": m["recall"], "f1": m["f1"],
                      "system_tuples": m["tp"] + m["fp"]})
    res["curve"] = curve
    al = align(gold, system, lead_text)
    res["alignment"] = dict(al.counts)
    a = al.counts
    for kind in ("type", "source_country", "target_country", "status"):
        n = a[kind + "_right"] + a[kind + "_wrong"]
        res["alignment"][kind + "_accuracy"] = a[kind + "_right"] / n if n else 0.0
    res["misses"] = [_brief(g) for g in al.misses]
    res["spurious"] = [_brief(e) for e in al.spurious]
    res["errors"] = [{"kind": k, "gold": _brief(g), "system": _brief(e)} for k, g, e in al.errors]
    res["stories"] = len(stories)
    return res


def _actor_brief(a: Any) -> Optional[str]:
    if not isinstance(a, dict):
        return None
    code = a.get("code") or ((a.get("country") or "") + (a.get("sector") or ""))
    return f"{a.get('text')!s} [{code or '-'}]"


def _brief(r: dict) -> dict:
    return {"story": r.get("article_id", r.get("story_id")), "type": r.get("plover_type"),
            "trigger": r.get("trigger"), "source": _actor_brief(r.get("source")),
            "target": _actor_brief(r.get("target")), "status": r.get("status"),
            "text": r.get("evidence") or r.get("sentence"), "confidence": r.get("confidence"),
            "rule": r.get("rule")}


def format_report(res: dict, examples: int = 0) -> str:
    at = f" at min confidence {res['min_confidence']}" if res.get("min_confidence") else ""
    lines = [f"{res['stories']} stories; {res['asserted_events']} asserted system events{at}, "
             f"{res['share_without_source_country']:.1%} without a source country", "",
             f"{'type':10s} {'gold':>5s} {'sys':>5s} {'hit':>5s}"]
    for ty, v in res["per_type"].items():
        lines.append(f"{ty:10s} {v.get('gold', 0):5d} {v.get('sys', 0):5d} {v.get('hit', 0):5d}")
    for name, key in (("source+type", "source_type"), ("dyad+type", "dyad_type")):
        m = res[key]
        lines.append(f"{name}: P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f} "
                     f"(gold tuples {m['tp'] + m['fn']}, system {m['tp'] + m['fp']})")
    lines += ["", "dyad+type against a minimum confidence:", f"{'min':>5s} {'P':>6s} {'R':>6s} {'F1':>6s} {'tuples':>7s}"]
    for c in res["curve"]:
        lines.append(f"{c['min_confidence']:5.1f} {c['precision']:6.3f} {c['recall']:6.3f} {c['f1']:6.3f} "
                     f"{c['system_tuples']:7d}")
    a = res["alignment"]
    lines += ["", f"event alignment (system trigger inside a gold evidence span): {a.get('aligned', 0)} aligned, "
                  f"{a.get('missed', 0)} gold missed, {a.get('spurious', 0)} spurious"]
    for kind in ("type", "source_country", "target_country", "status"):
        lines.append(f"  {kind:15s} right {a.get(kind + '_right', 0):4d}  wrong {a.get(kind + '_wrong', 0):4d}"
                     f"  accuracy {a.get(kind + '_accuracy', 0.0):.3f}")
    if examples:
        def show(title, items):
            lines.extend(["", title])
            for b in items[:examples]:
                lines.append(f"  [{b['story']}] {b['type']} {b['source']} -> {b['target']} ({b['status']}) "
                             f"'{b['trigger']}': {str(b['text'])[:140]}")
        show("missed gold events:", res["misses"])
        show("spurious system events:", res["spurious"])
        lines.extend(["", "aligned with an error:"])
        for err in res["errors"][:examples]:
            g, e = err["gold"], err["system"]
            lines.append(f"  [{g['story']}] {err['kind']}: gold {g['type']} {g['source']} -> {g['target']} "
                         f"({g['status']}) | system {e['type']} {e['source']} -> {e['target']} ({e['status']}) "
                         f"'{e['trigger']}'")
    return "\n".join(lines)


def system_records(coded: dict) -> list[dict]:
    """Event dicts (with ``article_id``) from `evaluate.code_texts` output."""
    out = []
    for sid, (events, _err) in coded.items():
        for ev in events:
            d = ev.to_dict(explain=True)
            d["article_id"] = sid
            out.append(d)
    return out

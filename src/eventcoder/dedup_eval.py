"""Judge the deduplication against labelled mention pairs (`eventcoder eval dedup LABELS`).

A label file holds one JSON object per line:

    {"pair_id": "p1", "a": {"article_id": "X", "start": 120, "end": 126},
     "b": {"article_id": "Y", "start": 40, "end": 44}, "same": true, "note": "..."}

`start`/`end` are character offsets of the event mention's trigger word(s) in the article's `text`
field of the articles file (a JSONL as `eventcoder ingest` reads it). Ingest keeps that text as it
is (the title is not prepended), so offsets map one to one; if the stored text ever differs from
the file's (a reader that cleans text), the mention is found again by its words and their context
(`map_offsets`).

The referenced articles (only those) are coded into a temporary store with the dedup rule given.
Each mention is matched to the stored event whose trigger span overlaps [start, end) (several: the
closest span, then the most confident); a mention with none is "no event" (counted, and a miss when
the pair is the same event). Reported: pairwise precision and recall of "same cluster" against the
label, cluster purity over the labelled mentions (each predicted cluster credited with its largest
group of one gold event; gold events are the connected groups of `same` pairs), and the wrong
merges and misses with their sentences.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Optional

from .errors import EventcoderError
from .evaluate.metrics import scores


class LabelError(EventcoderError, ValueError):
    """A label file or line that cannot be used."""


def read_labels(path) -> list[dict]:
    """The labelled pairs of a JSONL file, checked; LabelError names the file and line."""
    p = Path(path)
    if not p.is_file():
        raise LabelError(f"{path}: no such label file")
    out, seen = [], set()
    with p.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                d = json.loads(line)
            except ValueError as exc:
                raise LabelError(f"{where}: not JSON ({exc.msg})") from None
            if not isinstance(d, dict):
                raise LabelError(f"{where}: a label is a JSON object")
            for side in ("a", "b"):
                m = d.get(side)
                if not isinstance(m, dict) or not isinstance(m.get("article_id"), str) \
                        or not isinstance(m.get("start"), int) or not isinstance(m.get("end"), int) \
                        or not 0 <= m["start"] < m["end"]:
                    raise LabelError(f"{where}: \"{side}\" must be {{\"article_id\": str, \"start\": int, "
                                     f"\"end\": int}} with 0 <= start < end")
            if not isinstance(d.get("same"), bool):
                raise LabelError(f"{where}: \"same\" must be true or false")
            pid = str(d.get("pair_id") or f"line{n}")
            if pid in seen:
                raise LabelError(f"{where}: pair_id {pid!r} appears twice")
            seen.add(pid)
            out.append({"pair_id": pid, "a": d["a"], "b": d["b"], "same": d["same"],
                        "note": d.get("note") or ""})
    if not out:
        raise LabelError(f"{path}: no labelled pairs")
    return out


def load_articles(path, ids: Iterable[str]) -> dict:
    """{article_id: Article} for `ids`, read from `path` the way `eventcoder ingest` reads it."""
    from .ingest import read_inputs
    from .model import Article

    want = set(ids)
    got = {}
    for item in read_inputs([str(path)]):
        if isinstance(item, Article) and item.article_id in want:
            got[item.article_id] = item
    missing = sorted(want - set(got))
    if missing:
        raise LabelError(f"{path}: {len(missing)} labelled article(s) not found, e.g. {missing[0]!r}")
    return got


def raw_texts(path, ids: Iterable[str]) -> dict:
    """{article_id: the `text` field exactly as the file gives it}: the labels' offsets point into
    it, while ingest removes page-furniture lines before storing (eventcoder.ingest.boilerplate)."""
    import gzip

    want = set(ids)
    out = {}
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            try:
                d = json.loads(line)
            except ValueError:
                continue
            aid = str(d.get("id") or d.get("article_id") or "")
            if aid in want and isinstance(d.get("text"), str):
                out[aid] = d["text"]
    return out


def map_offsets(raw: str, stored: str, start: int, end: int) -> Optional[tuple[int, int]]:
    """[start, end) in `raw` -> the same words in `stored` (identical texts: unchanged)."""
    if raw == stored:
        return start, end
    words = raw[start:end]
    for ctx in (40, 15, 0):
        probe = raw[max(0, start - ctx):end + ctx]
        i = stored.find(probe)
        if i >= 0 and probe:
            s = i + (start - max(0, start - ctx))
            return s, s + len(words)
    # the nearest occurrence of the words themselves
    best, i = None, stored.find(words)
    while i >= 0 and words:
        if best is None or abs(i - start) < abs(best - start):
            best = i
        i = stored.find(words, i + 1)
    return (best, best + len(words)) if best is not None else None


def locate(con, article_id: str, start: int, end: int) -> Optional[dict]:
    """The stored event whose trigger span overlaps [start, end): the closest, then the most
    confident, then the smallest id; None when there is none."""
    r = con.execute("""
        SELECT event_id, cluster_id, sentence, trigger, span_start, span_end, cameo_code,
               source_code, target_code, event_date, reference
        FROM events WHERE article_id = ? AND span_start < ? AND span_end > ?
        ORDER BY abs(span_start - ?) + abs(span_end - ?), confidence DESC NULLS LAST, event_id
        LIMIT 1""", [article_id, end, start, start, end]).fetchone()
    if r is None:
        return None
    keys = ("event_id", "cluster_id", "sentence", "trigger", "span_start", "span_end", "cameo_code",
            "source_code", "target_code", "event_date", "reference")
    d = dict(zip(keys, r))
    d["event_date"] = str(d["event_date"]) if d["event_date"] is not None else None
    return d


def _key(m: dict) -> tuple:
    return (m["article_id"], m["start"], m["end"])


def score(pairs: list) -> dict:
    """Pairwise P/R and cluster purity from pairs with their matched events (`ev_a`, `ev_b`:
    a located event dict or None)."""
    tp = fp = fn = tn = 0
    no_event = 0
    wrong, missed = [], []
    for p in pairs:
        ea, eb = p.get("ev_a"), p.get("ev_b")
        if ea is None or eb is None:
            no_event += 1
            pred = False
        else:
            pred = ea["cluster_id"] is not None and ea["cluster_id"] == eb["cluster_id"]
        if p["same"] and pred:
            tp += 1
        elif p["same"]:
            fn += 1
            missed.append(p)
        elif pred:
            fp += 1
            wrong.append(p)
        else:
            tn += 1
    # gold events: connected groups of same=true pairs over the labelled mentions
    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    cluster_of = {}
    for p in pairs:
        for side in ("a", "b"):
            find(_key(p[side]))
            ev = p.get("ev_" + side)
            if ev is not None:
                cluster_of[_key(p[side])] = ev["cluster_id"] or ev["event_id"]
        if p["same"]:
            parent[find(_key(p["a"]))] = find(_key(p["b"]))
    groups: dict = {}
    for k, c in cluster_of.items():
        groups.setdefault(c, []).append(find(k))
    purity = (sum(max(g.count(x) for x in set(g)) for g in groups.values()) / len(cluster_of)
              if cluster_of else None)
    pr = scores(tp, fp, fn)  # spaCy's PRFScore; None where there is nothing to divide by
    prec = pr["precision"] if tp + fp else None
    rec = pr["recall"] if tp + fn else None
    both = [p for p in pairs if p.get("ev_a") is not None and p.get("ev_b") is not None]
    tp_b = sum(1 for p in both if p["same"] and p["ev_a"]["cluster_id"] == p["ev_b"]["cluster_id"])
    same_b = sum(1 for p in both if p["same"])
    return {"pairs": len(pairs), "same": sum(1 for p in pairs if p["same"]), "tp": tp, "fp": fp,
            "fn": fn, "tn": tn, "precision": prec, "recall": rec,
            "recall_found": scores(tp_b, 0, same_b - tp_b)["recall"] if same_b else None,
            "no_event_pairs": no_event, "mentions": len(parent),
            "mentions_without_event": len(parent) - len(cluster_of), "purity": purity,
            "wrong_merges": wrong, "misses": missed}


def run(labels_path, articles_path, coder=None, rule=None, store_path: str = ":memory:") -> dict:
    """Code the labelled articles into a fresh store and score the labels (see the module doc)."""
    from .store import Store

    labels = read_labels(labels_path)
    ids = {p[s]["article_id"] for p in labels for s in ("a", "b")}
    arts = load_articles(articles_path, ids)
    raw = raw_texts(articles_path, ids)
    if rule is not None and not isinstance(rule, dict):
        from dataclasses import asdict

        rule = asdict(rule)
    with Store(store_path, dedup=rule or None) as st:
        summary = st.ingest(list(arts.values()), coder=coder)
        con = st.cursor()
        stored = dict(con.execute("SELECT article_id, text FROM articles").fetchall())
        for p in labels:
            for side in ("a", "b"):
                m = p[side]
                ev = None
                if m["article_id"] in stored:
                    span = map_offsets(raw.get(m["article_id"], arts[m["article_id"]].text),
                                       stored[m["article_id"]], m["start"], m["end"])
                    if span is not None:
                        ev = locate(con, m["article_id"], *span)
                p["ev_" + side] = ev
                p["words_" + side] = raw.get(m["article_id"], arts[m["article_id"]].text)[m["start"]:m["end"]]
        res = score(labels)
        res["rule"] = json.loads(st.dedup_rule.to_json())
        res["articles"] = len(arts)
        res["events"] = summary.events
    return res


def _f(x) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def _show(p: dict) -> str:
    out = [f"  {p['pair_id']} (same={str(p['same']).lower()}){' — ' + p['note'] if p['note'] else ''}"]
    for side in ("a", "b"):
        ev, m = p.get("ev_" + side), p[side]
        if ev is None:
            out.append(f"    {side}: {m['article_id']} [{m['start']},{m['end']}) {p.get('words_' + side)!r}: no event")
        else:
            out.append(f"    {side}: {m['article_id']} {ev['trigger']!r} {ev['cameo_code']} "
                       f"{ev['source_code']}->{ev['target_code']} {ev['event_date']} "
                       f"cluster {ev['cluster_id']}: {ev['sentence'][:160]}")
    return "\n".join(out)


def format_report(res: dict, examples: int = 10) -> str:
    lines = [f"dedup pairs: {res['pairs']} ({res['same']} same event), {res['articles']} articles, "
             f"{res['events']} events coded",
             f"pairwise: P {_f(res['precision'])} R {_f(res['recall'])} (tp {res['tp']}, fp {res['fp']}, "
             f"fn {res['fn']}, tn {res['tn']})",
             f"recall where both mentions have an event: {_f(res['recall_found'])}",
             f"no event for a mention: {res['no_event_pairs']} pair(s); "
             f"{res['mentions_without_event']} of {res['mentions']} mentions",
             f"cluster purity over labelled mentions: {_f(res['purity'])}",
             f"rule: {json.dumps(res['rule'])}"]
    if examples:
        for title, rows in (("wrong merges", res["wrong_merges"]), ("misses", res["misses"])):
            lines.append(f"\n{title} ({len(rows)}):")
            lines.extend(_show(p) for p in rows[:examples])
    return "\n".join(lines)


def to_json(res: dict) -> dict:
    """The results without the located events' internals (for --json)."""
    slim = dict(res)
    for k in ("wrong_merges", "misses"):
        slim[k] = [{"pair_id": p["pair_id"], "note": p["note"],
                    "a": p.get("ev_a") or {"no_event": p["a"]}, "b": p.get("ev_b") or {"no_event": p["b"]}}
                   for p in res[k]]
    return slim


__all__ = ["LabelError", "format_report", "load_articles", "locate", "map_offsets", "read_labels",
           "run", "score", "to_json"]

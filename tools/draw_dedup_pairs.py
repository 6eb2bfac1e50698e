"""Draw candidate mention pairs for training the dedup scorer (data/labels/dedup_train_pairs.jsonl).

    python tools/draw_dedup_pairs.py --db /tmp/dedup_train.duckdb --out pairs.jsonl --sheet sheet.txt

1. Articles: AllSides training articles (`train_ids.txt`) with a publication date, none of them an
   article of the evaluation pairs (`--exclude`, data/labels/dedup_pairs.jsonl), from the busiest
   7-day windows first, up to `--articles` of them; coded into `--db` with the default coder
   (an existing store there is reused).
2. Pairs: the scorer's candidates (eventcoder.dedup_score: same block, plausible dates overlap,
   actors agree at the sector level), across articles of different outlets; at most `--per-article`
   pairs per article, half of them on one day and half on different days where there are enough
   (`random.Random(--seed)`).
3. Output: the pairs in the label format with `"same": null` (offsets into the articles file's raw
   `text`), and a reading sheet with only the two sentences (trigger marked), the publication
   dates and the outlets, in shuffled order: the labeller never sees codes or clusters.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path


def pick_articles(articles: Path, ids_file: Path, exclude: Path, limit: int) -> list:
    train = set(ids_file.read_text().split())
    skip = set()
    for line in exclude.read_text().splitlines():
        if line.strip():
            d = json.loads(line)
            skip.update((d["a"]["article_id"], d["b"]["article_id"]))
    rows = []
    with gzip.open(articles, "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            pub = str(d.get("published") or "")[:10]
            if d["id"] in train and d["id"] not in skip and pub[:2] in ("19", "20"):
                rows.append((date.fromisoformat(pub).toordinal() // 7, d["id"]))
    weeks = Counter(w for w, _ in rows)
    order = {w: n for n, (w, _) in enumerate(weeks.most_common())}
    rows.sort(key=lambda r: (order[r[0]], r[1]))
    return [aid for _, aid in rows[:limit]]


def main(argv=None) -> int:
    from eventcoder import dedup, dedup_eval as de, dedup_score
    from eventcoder.evaluate import data_path
    from eventcoder.store import Store

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--sheet", required=True)
    ap.add_argument("--articles-file", default=None)
    ap.add_argument("--ids", default=None)
    ap.add_argument("--exclude", default="data/labels/dedup_pairs.jsonl")
    ap.add_argument("--articles", type=int, default=420)
    ap.add_argument("--pairs", type=int, default=520)
    ap.add_argument("--per-article", type=int, default=8)
    ap.add_argument("--seed", type=int, default=15)
    a = ap.parse_args(argv)
    afile = data_path(a.articles_file, "allsides", "allsides_world.jsonl.gz")
    ids = pick_articles(afile, data_path(a.ids, "allsides", "train_ids.txt"), Path(a.exclude), a.articles)
    arts = de.load_articles(afile, ids)
    raw = de.raw_texts(afile, ids)
    with Store(a.db) as st:
        from eventcoder.coder import Coder

        st.ingest([arts[i] for i in ids], coder=Coder(quotes=False))
        con = st.cursor()
        stored = dict(con.execute("SELECT article_id, text FROM articles").fetchall())
        outlet = dict(con.execute("SELECT article_id, coalesce(source_name, url, article_id) FROM articles").fetchall())
        cols = dedup._ROW_COLS + ("span_start", "span_end")
        rows = [dict(zip(cols, r)) for r in con.execute(
            f"SELECT {', '.join(cols)} FROM events WHERE ckey NOT LIKE 'E|%'").fetchall()]
    rule = dedup.DEFAULT_RULE.replace(actor_level="sector")
    blocks = defaultdict(list)
    for r in rows:
        blocks[r["ckey"]].append(r)
    cands = []
    for members in blocks.values():
        ms = []
        for r in members:
            m = dict(r)
            m["_src"], m["_tgt"] = dedup._actor(r, "source", "sector"), dedup._actor(r, "target", "sector")
            base = r.get("cameo_base") or ""
            m["_recip"] = base in dedup.RECIPROCAL_BASES
            d, prec = r["event_date"], r.get("date_precision") or "day"
            m["_span"], m["_prec"] = (dedup._interval(d, prec), prec) if d and prec != "none" else (None, "none")
            ms.append(dedup_score.prepare(m, rule.window))
        for i, x in enumerate(ms):
            for y in ms[i + 1:]:
                if x["article_id"] == y["article_id"] or outlet[x["article_id"]] == outlet[y["article_id"]]:
                    continue
                if not dedup_score.candidate(x, y):
                    continue
                direct = dedup._agree(list(x["_src"]), y["_src"]) and dedup._agree(list(x["_tgt"]), y["_tgt"])
                swap = x["_recip"] and y["_recip"] and dedup._agree(list(x["_src"]), y["_tgt"]) \
                    and dedup._agree(list(x["_tgt"]), y["_src"])
                if direct or swap:
                    cands.append((x, y))
    rnd = random.Random(a.seed)
    rnd.shuffle(cands)
    same_day = [c for c in cands if c[0]["event_date"] == c[1]["event_date"]]
    other = [c for c in cands if c[0]["event_date"] != c[1]["event_date"]]
    used = Counter()
    chosen = []
    for pool, k in ((same_day, a.pairs // 2), (other, a.pairs - a.pairs // 2)):
        got = 0
        for x, y in pool:
            if got >= k:
                break
            if used[x["article_id"]] >= a.per_article or used[y["article_id"]] >= a.per_article:
                continue
            used[x["article_id"]] += 1
            used[y["article_id"]] += 1
            chosen.append((x, y))
            got += 1
    rnd.shuffle(chosen)
    with open(a.out, "w", encoding="utf-8") as out, open(a.sheet, "w", encoding="utf-8") as sheet:
        for n, (x, y) in enumerate(chosen, 1):
            pid = f"t{n:04d}"
            rec = {"pair_id": pid, "same": None}
            sheet.write(f"== {pid}\n")
            for side, m in (("a", x), ("b", y)):
                span = de.map_offsets(stored[m["article_id"]], raw[m["article_id"]], m["span_start"], m["span_end"])
                s, e = span if span else (m["span_start"], m["span_end"])
                rec[side] = {"article_id": m["article_id"], "start": s, "end": e}
                sent = (m["sentence"] or "").replace("\n", " ")
                trig = raw[m["article_id"]][s:e]
                sent = sent.replace(trig, f"[[{trig}]]", 1) if trig and trig in sent else sent + f"  [[{trig}]]"
                pub = arts[m["article_id"]].published
                sheet.write(f"{side} {str(pub)[:10]} {outlet[m['article_id']][:30]}: {sent[:400]}\n")
            out.write(json.dumps(rec) + "\n")
    print(f"{len(ids)} articles, {len(rows)} events in blocks, {len(cands)} candidates "
          f"({len(same_day)} same day), {len(chosen)} pairs drawn", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

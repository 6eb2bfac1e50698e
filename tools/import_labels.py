#!/usr/bin/env python3
"""Turn labellers' gold-format files into the offset label file the repository keeps.

    python tools/import_labels.py --texts ../shared/data/allsides/allsides_world.jsonl.gz \
        --out data/labels/allsides_leads.jsonl LABELS.jsonl [LABELS.jsonl ...]

Each labeller's record names words of the lead (evidence, trigger, actors); they are located in the
story's lead (`eventcoder.leads.lead_of` of the article text) and written as character offsets, so
no third-party text enters the repository. Records whose words are not found are reported and left
out. Stories are written in id order, events in text order, so the file is reproducible.
"""
import argparse
import sys

from eventcoder.learn import labels
from eventcoder.learn.train import read_texts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+")
    ap.add_argument("--texts", action="append", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    recs = [r for f in args.files for r in labels.read_jsonl(f)]
    texts = read_texts(args.texts, {str(r.get("story_id")) for r in recs})
    out, bad = [], 0
    for r in recs:
        sid = str(r.get("story_id"))
        if sid not in texts:
            print(f"{sid}: no text", file=sys.stderr)
            bad += 1
            continue
        o = labels.to_offsets(r, texts[sid]["text"])
        if o is None:
            print(f"{sid}: evidence not found: {r.get('evidence')!r}", file=sys.stderr)
            bad += 1
            continue
        out.append(o)
    out.sort(key=lambda o: (o["story_id"], o.get("trigger_span", [-1])[0], o.get("plover_type", "")))
    n = labels.write_offsets(out, args.out)
    print(f"{n} records from {len({o['story_id'] for o in out})} stories written to {args.out}; {bad} left out",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

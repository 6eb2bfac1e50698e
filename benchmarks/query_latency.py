"""Query latency on N synthetic events (default 1,000,000) in a DuckDB store.

    .venv/bin/python benchmarks/query_latency.py [--events 1000000] [--db /tmp/bench.duckdb]

Targets (issue #1, item 7): dyad weekly series <= 200 ms; filtered event page <= 100 ms.
Reports the median and the 95th percentile of repeated runs of each query.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from eventcoder import query as q  # noqa: E402
from eventcoder.store import Store  # noqa: E402
from eventcoder import dedup  # noqa: E402

COUNTRIES = ["USA", "RUS", "UKR", "CHN", "FRA", "DEU", "GBR", "IRN", "ISR", "TUR", "IND", "PAK",
             "SAU", "EGY", "SYR", "IRQ", "JPN", "KOR", "PRK", "BRA", "MEX", "NGA", "ZAF", "ETH",
             "POL", "ITA", "ESP", "CAN", "AUS", "IDN"]
SECTORS = ["GOV", "MIL", "COP", "OPP", "REB", "CVL", "BUS", "MED", "LEG", "JUD"]
CODES = [("010", 0.0, 1, "CONSULT"), ("040", 1.0, 1, "CONSULT"), ("042", 1.9, 1, "CONSULT"),
         ("051", 3.4, 1, "SUPPORT"), ("057", 8.0, 1, "AGREE"), ("070", 7.0, 2, "AID"),
         ("112", -2.0, 3, "ACCUSE"), ("130", -4.4, 3, "THREATEN"), ("141", -6.5, 3, "PROTEST"),
         ("163", -8.0, 4, "SANCTION"), ("173", -5.0, 4, "COERCE"), ("190", -10.0, 4, "ASSAULT")]


def build(path: str, n_events: int) -> Store:
    st = Store(path)
    con = st.con
    n_articles = max(1, n_events // 10)
    t0 = time.perf_counter()
    con.execute("BEGIN")
    con.execute(f"""
        INSERT INTO articles
        SELECT 'art' || i, md5('art' || i), 'title ' || i, 'text of article ' || i,
               DATE '2022-01-01' + CAST(i % 1095 AS INTEGER), 'https://news' || (i % 50) || '.example/' || i,
               'Outlet' || (i % 50), 'synthetic', 10, 0, now()::TIMESTAMP
        FROM range({n_articles}) t(i)""")
    con.execute("CREATE TEMP TABLE _c AS SELECT * FROM (VALUES " + ", ".join(
        f"({k}, '{c}', {g}, {qd}, '{p}')" for k, (c, g, qd, p) in enumerate(CODES)) +
        ") v(k, code, gold, quad, plover)")
    nc, ns = len(COUNTRIES), len(SECTORS)
    con.execute("CREATE TEMP TABLE _cty AS SELECT unnest(?::VARCHAR[]) AS c, "
                "generate_subscripts(?::VARCHAR[], 1) - 1 AS k", [COUNTRIES, COUNTRIES])
    con.execute("CREATE TEMP TABLE _sec AS SELECT unnest(?::VARCHAR[]) AS s, "
                "generate_subscripts(?::VARCHAR[], 1) - 1 AS k", [SECTORS, SECTORS])
    con.execute(f"""
        INSERT INTO events (event_id, article_id, date, published, event_date,
            source_text, source_name, source_country, source_sector, source_code,
            target_text, target_name, target_country, target_sector, target_code,
            cameo_code, cameo_base, cameo_root, cameo_name, goldstein, quad_class, plover_type,
            status, location_name, location_country, sentence_index, sentence, trigger,
            span_start, span_end, confidence)
        WITH r AS (
            SELECT i, i // 10 AS a,
                   -- skewed country choice: low indexes (USA, RUS, UKR...) are more frequent
                   CAST(floor(pow(random(), 2) * {nc}) AS INTEGER) AS sc,
                   CAST(floor(pow(random(), 2) * {nc}) AS INTEGER) AS tc,
                   CAST(floor(random() * {ns}) AS INTEGER) AS ss,
                   CAST(floor(random() * {ns}) AS INTEGER) AS ts,
                   CAST(floor(random() * {len(CODES)}) AS INTEGER) AS k,
                   CAST(floor(random() * 3) AS INTEGER) AS lag
            FROM range({n_events}) t(i)
        )
        SELECT md5('ev' || r.i)[:16], 'art' || r.a,
               DATE '2022-01-01' + CAST(r.a % 1095 AS INTEGER) - r.lag,
               DATE '2022-01-01' + CAST(r.a % 1095 AS INTEGER),
               DATE '2022-01-01' + CAST(r.a % 1095 AS INTEGER) - r.lag,
               s.c || ' ' || ss.s, NULL, s.c, ss.s, s.c || ss.s,
               t.c || ' ' || ts.s, NULL, t.c, ts.s, t.c || ts.s,
               c.code, c.code, substr(c.code, 1, 2), 'name', c.gold, c.quad, c.plover,
               'occurred', CASE WHEN r.i % 3 = 0 THEN 'Capital of ' || t.c END,
               CASE WHEN r.i % 3 = 0 THEN t.c END, r.i % 10,
               s.c || ' did something with ' || t.c || ' number ' || r.i, 'did', 0, 3, 0.7
        FROM r JOIN _cty s ON s.k = r.sc JOIN _cty t ON t.k = r.tc
        JOIN _sec ss ON ss.k = r.ss JOIN _sec ts ON ts.k = r.ts JOIN _c c ON c.k = r.k""")
    con.execute("UPDATE events SET ckey = source_code || '|' || target_code || '|' || cameo_base || '|', "
                "search_text = lower(concat_ws(chr(10), sentence, coalesce(source_name, source_text, ''), "
                "coalesce(target_name, target_text, '')))")
    dedup.recluster(con, 0)
    dedup.refresh_actors(con)
    con.execute("COMMIT")
    con.execute("CHECKPOINT")
    print(f"built {n_events:,} events / {n_articles:,} articles in {time.perf_counter() - t0:.1f}s",
          file=sys.stderr)
    return st


def timeit(fn, repeat: int) -> tuple[float, float]:
    fn()  # warm
    xs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        xs.append((time.perf_counter() - t) * 1000)
    xs.sort()
    return statistics.median(xs), xs[max(0, int(len(xs) * 0.95) - 1)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--db", default=None, help="reuse/create this file (default: a temp file)")
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    tmp = None
    path = args.db
    if path is None:
        tmp = tempfile.mkdtemp()
        path = os.path.join(tmp, "bench.duckdb")
    if os.path.exists(path):
        st = Store(path)
    else:
        st = build(path, args.events)
    n = st.counts()["events"]
    con = st.cursor()
    cases = {
        "dyad weekly series USA-RUS (undirected, all dates)":
            (lambda: q.dyad_series(con, "USA", "RUS", interval="week"), 200),
        "dyad weekly series UKRGOV-RUSMIL (directed, one year)":
            (lambda: q.dyad_series(con, "UKRGOV", "RUSMIL", interval="week", directed=True,
                                   start="2023-01-01", end="2023-12-31"), 200),
        "event page: actor=RUS, 2023, plover ASSAULT, limit 50 + total":
            (lambda: q.events(con, actor="RUS", start="2023-01-01", end="2023-12-31",
                              plover_type="ASSAULT", limit=50), 100),
        "event page: country=UKR, sector=MIL, quad 4, offset 200 + total":
            (lambda: q.events(con, country="UKR", sector="MIL", quad_class=4, limit=50,
                              offset=200), 100),
        "event page: no filter, limit 50 + total":
            (lambda: q.events(con, limit=50), 100),
        "event page: text search 'number 12345'":
            (lambda: q.events(con, text="number 12345", limit=50), 100),
        "actor profile USA": (lambda: q.actor_profile(con, "USA"), None),
        "top dyads 2024 (country)":
            (lambda: q.top_dyads(con, start="2024-01-01", end="2024-12-31", level="country"), None),
    }
    print(f"{n:,} events; median / p95 of {args.repeat} runs (ms)")
    ok = True
    for name, (fn, target) in cases.items():
        med, p95 = timeit(fn, args.repeat)
        verdict = "" if target is None else ("  OK" if med <= target else "  OVER TARGET")
        ok &= target is None or med <= target
        tgt = f"(target {target})" if target else ""
        print(f"  {name:<66} {med:8.1f} / {p95:8.1f} {tgt}{verdict}")
    st.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

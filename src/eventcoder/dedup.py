"""Deduplication across articles: the same event reported several times becomes one cluster.

The rule (documented in docs/store.md):

* Two event mentions can be the same event when they share the *cluster key*: the same source
  actor code, the same target actor code, the same CAMEO base code (the first three digits of
  the code, e.g. 0411 and 041 -> "041"), and the same polarity (a negated event is never merged
  with an asserted one). A missing actor code is a value of its own ("no target" matches "no
  target"); a mention with neither a source nor a target code is never merged with anything.
* Within one key, mentions are ordered by event date (the resolved date, else the article's
  publication date). A mention starts a new cluster when it falls more than `window` days after
  the previous mention of the key (default window 0: same day). Mentions without any date are
  never merged.
* A cluster counts its mentions (NumMentions), distinct articles (NumArticles) and distinct
  sources (NumSources: the article's source name, else the host of its URL, else the article
  itself), with first and last seen dates. Its representative event is the earliest mention
  (by event date, then the
  article's publication date, then ingest time, then event id).

The cluster id is a hash of the key and the cluster's first date, so it is stable while new
mentions are added on later dates; it changes only if an earlier mention extends the cluster back.
"""
from __future__ import annotations

from typing import Optional


def cluster_key(row: dict) -> str:
    """The dedup key of one flattened event row (see the module docstring)."""
    src, tgt = row.get("source_code"), row.get("target_code")
    if not src and not tgt:
        return "E|" + row["event_id"]
    neg = "N" if row.get("status") == "negated" else ""
    return f"{src or ''}|{tgt or ''}|{row.get('cameo_base') or ''}|{neg}"


_SOURCE_OF = ("coalesce(nullif(a.source_name, ''), "
              "nullif(regexp_extract(a.url, '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]+)', 1), ''), "
              "'article:' || a.article_id)")


def recluster(con, window: int, keys: Optional[list] = None) -> None:
    """Recompute cluster ids and the event_clusters rows for `keys` (all keys when None).

    Runs inside the caller's transaction.
    """
    window = int(window)
    if keys is not None:
        con.execute("CREATE OR REPLACE TEMP TABLE _ckeys AS SELECT unnest(?::VARCHAR[]) AS ckey",
                    [list(keys)])
        scope = "WHERE ckey IN (SELECT ckey FROM _ckeys)"
        scope_e = "WHERE e.ckey IN (SELECT ckey FROM _ckeys)"
    else:
        scope = scope_e = ""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _assign AS
        WITH s AS (
            SELECT event_id, ckey, event_date,
                   CASE WHEN event_date IS NULL THEN 1
                        WHEN lag(event_date) OVER w IS NULL THEN 1
                        WHEN event_date - lag(event_date) OVER w > {window} THEN 1
                        ELSE 0 END AS brk
            FROM events {scope}
            WINDOW w AS (PARTITION BY ckey ORDER BY event_date NULLS LAST, event_id)
        ), g AS (
            SELECT event_id, ckey, event_date,
                   sum(brk) OVER (PARTITION BY ckey ORDER BY event_date NULLS LAST, event_id
                                  ROWS UNBOUNDED PRECEDING) AS grp
            FROM s
        ), f AS (
            SELECT event_id, ckey,
                   min(event_date) OVER (PARTITION BY ckey, grp) AS first_date,
                   min(event_id) OVER (PARTITION BY ckey, grp) AS first_id
            FROM g
        )
        SELECT event_id,
               substr(md5(ckey || '|' || coalesce(CAST(first_date AS VARCHAR), 'id:' || first_id)),
                      1, 16) AS cluster_id
        FROM f
    """)
    con.execute("""
        UPDATE events SET cluster_id = _assign.cluster_id FROM _assign
        WHERE events.event_id = _assign.event_id
          AND events.cluster_id IS DISTINCT FROM _assign.cluster_id
    """)
    if keys is not None:
        con.execute("DELETE FROM event_clusters WHERE ckey IN (SELECT ckey FROM _ckeys)")
    else:
        con.execute("DELETE FROM event_clusters")
    con.execute(f"""
        INSERT INTO event_clusters
        SELECT e.cluster_id,
               any_value(e.ckey),
               any_value(e.source_code), any_value(e.target_code), any_value(e.cameo_base),
               bool_or(e.status = 'negated'),
               first(e.event_id ORDER BY e.event_date NULLS LAST, e.published NULLS LAST, a.ingested_at,
                     e.event_id),
               min(e.event_date), max(e.event_date),
               count(*), count(DISTINCT {_SOURCE_OF}), count(DISTINCT e.article_id),
               min(a.ingested_at)
        FROM events e JOIN articles a USING (article_id)
        {scope_e}
        GROUP BY e.cluster_id
    """)
    con.execute("DROP TABLE IF EXISTS _assign")
    if keys is not None:
        con.execute("DROP TABLE IF EXISTS _ckeys")


def refresh_actors(con, codes: Optional[list] = None) -> None:
    """Recompute the `actors` rows (code, name -> counts) for `codes` (all when None)."""
    if codes is not None:
        con.execute("CREATE OR REPLACE TEMP TABLE _acodes AS SELECT unnest(?::VARCHAR[]) AS code",
                    [list(codes)])
        con.execute("DELETE FROM actors WHERE code IN (SELECT code FROM _acodes)")
        scope = "AND code IN (SELECT code FROM _acodes)"
    else:
        con.execute("DELETE FROM actors")
        scope = ""
    con.execute(f"""
        INSERT INTO actors
        WITH m AS (
            SELECT source_code AS code, coalesce(nullif(source_name, ''), source_text, '') AS name,
                   source_country AS country, source_sector AS sector, 1 AS src, 0 AS tgt,
                   event_date
            FROM events WHERE source_code IS NOT NULL
            UNION ALL
            SELECT target_code, coalesce(nullif(target_name, ''), target_text, ''),
                   target_country, target_sector, 0, 1, event_date
            FROM events WHERE target_code IS NOT NULL
        )
        SELECT code, name, any_value(country), any_value(sector), count(*), sum(src), sum(tgt),
               min(event_date), max(event_date)
        FROM m WHERE TRUE {scope}
        GROUP BY code, name
    """)
    if codes is not None:
        con.execute("DROP TABLE IF EXISTS _acodes")


__all__ = ["cluster_key", "recluster", "refresh_actors"]

"""One column table (eventcoder.columns): the DDL, the Arrow staging / Parquet schema, the rows
written from records, the rows read back into records, the queries' and the dashboard's column
lists all derive from it and agree."""
from __future__ import annotations

from dataclasses import replace

import pyarrow.parquet as pq

from eventcoder import columns
from eventcoder import query as q
from eventcoder import query_texts as qt
from eventcoder.model import Actor, Article, Event, Location, Position, Quote
from eventcoder.rows import (article_from_row, article_row, event_from_row, event_record, event_row,
                             position_from_row, position_row, quote_from_row, quote_row)
from eventcoder.store import Store
from eventcoder.web.views import ROW_COLUMNS

ARTICLE = Article(article_id="a1", text="Russia met Ukraine in Riyadh. \"We talk,\" said Lavrov.",
                  title="Talks", published="2025-03-02", url="https://x.example/1", source_name="X")
EVENT = Event(article_id="a1", date="2025-03-01", published="2025-03-02",
              source=Actor("Russia", country="RUS", sector="GOV", span=(0, 6)),
              target=Actor("Ukraine", name="Ukraine", country="UKR", span=(11, 18)),
              cameo_code="040", cameo_root="04", cameo_name="Consult", goldstein=1.0, quad_class=1,
              plover_type="CONSULT", plover_mode="visit", status="occurred",
              location=Location("Riyadh", "SAU", 24.7, 46.7), sentence_index=0,
              sentence="Russia met Ukraine in Riyadh.", trigger="met", span=(7, 10), confidence=0.8,
              rule="V:meet", date_precision="day", reference=False)
QUOTE = Quote(article_id="a1", speaker=Actor("Lavrov", name="Sergei Lavrov", country="RUS", sector="GOV",
                                            span=(46, 52)),
              cue="said", content="We talk", direct=True, speaker_span=(46, 52), cue_span=(41, 45),
              content_spans=[(31, 38)])
POSITION = Position(article_id="a1", actor=Actor("Russia", country="RUS", span=(0, 6)), issue="talks",
                    stance="support", evidence="Russia met Ukraine", date="2025-03-01", span=(0, 18))


def stored_columns(st: Store, table: str) -> tuple:
    return tuple(r[0] for r in st.con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
        "ORDER BY ordinal_position", [table]).fetchall())


def test_the_ddl_is_the_table():
    with Store() as st:
        for name, table in columns.TABLES.items():
            assert stored_columns(st, name) == table.names, name
        types = dict(st.con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                    "WHERE table_name = 'events'").fetchall())
        assert types == {c.name: c.sql for c in columns.EVENTS.columns}
        assert {r[0] for r in st.con.execute("SELECT table_name FROM information_schema.tables").fetchall()} \
            == set(columns.TABLE_NAMES) | {"meta"}


def test_rows_carry_the_staged_columns_and_arrow_agrees():
    for table, row in (("events", event_row(EVENT)), ("quotes", quote_row(QUOTE)),
                       ("positions", position_row(POSITION)), ("articles", article_row(ARTICLE, 1, 1))):
        staged = columns.staged_names(table)
        assert tuple(columns.arrow_schema(table).names) == staged, table
        assert set(row) == set(staged), (table, set(row) ^ set(staged))
        assert set(staged) <= set(columns.TABLES[table].names)


def test_query_lists_derive_from_the_table():
    assert q.EVENT_COLUMNS == columns.record_names("events")
    assert {"ckey", "search_text", "cameo_base"}.isdisjoint(q.EVENT_COLUMNS)
    assert q.POSITION_COLUMNS == columns.TABLES["positions"].names
    assert qt.QUOTE_COLUMNS == columns.TABLES["quotes"].names
    assert set(qt.ARTICLE_COLUMNS) == set(columns.TABLES["articles"].names) - {"content_hash", "text"}
    assert set(ROW_COLUMNS) <= set(q.EVENT_COLUMNS) and "event_date" in ROW_COLUMNS


def test_a_stored_event_reads_back_as_its_record():
    with Store() as st:
        st.write_batch([type("C", (), {"article": ARTICLE, "events": [EVENT], "quotes": [QUOTE],
                                       "positions": [POSITION]})()])
        page = st.events(limit=5, flat=True)
        flat = page["events"][0]
        assert set(flat) == set(q.EVENT_COLUMNS) | {"num_mentions", "num_sources", "num_articles",
                                                     "first_seen", "last_seen"}
        rec = st.events(limit=5)["events"][0]
        contract = EVENT.to_dict(explain=True)
        for k, v in contract.items():
            if k in ("source", "target"):  # the record's actors also carry their spans
                assert {f: rec[k][f] for f in columns.ACTOR_FIELDS} == v, k
            else:
                assert rec[k] == v, k
        assert rec == event_record(flat)


def test_records_survive_the_row_both_ways():
    assert event_from_row(event_row(EVENT)) == EVENT
    assert quote_from_row(quote_row(QUOTE)) == QUOTE
    back = position_from_row(position_row(POSITION))
    # the store keeps no span of a position's actor: it reads back with the position's span
    assert back.actor.span == POSITION.span
    assert replace(back, actor=replace(back.actor, span=POSITION.actor.span)) == POSITION
    back = article_from_row(article_row(ARTICLE, 1, 1))
    assert (back.article_id, back.text, back.title, back.published, back.url, back.source_name) == \
        (ARTICLE.article_id, ARTICLE.text, ARTICLE.title, ARTICLE.published, ARTICLE.url, ARTICLE.source_name)


def test_parquet_shards_have_the_staged_columns(tmp_path):
    import json

    from eventcoder.cluster import code_shard

    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a1", "text": "USAGOV met RUSGOV in Riyadh.", "published": "2025-03-01"})
                   + "\n", encoding="utf-8")
    res = code_shard(str(src), str(tmp_path / "out"), {"coder": "tests.test_store:PatternCoder",
                                                                  "time_limit": 0})
    assert res["status"] == "done" and res["events"] == 1
    for rel in res["files"]:
        table = rel.split("/")[0]
        assert tuple(pq.read_schema(tmp_path / "out" / rel).names) == columns.staged_names(table), rel

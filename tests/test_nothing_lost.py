"""Nothing lost: every distinct record gets its own id, and every count the store reports equals
what it holds; nothing is quietly lost at the edges (issue "Nothing lost, nobody in", items 1 and 5)."""
from __future__ import annotations

import gzip
import json

import pytest

from eventcoder.model import Actor, Article, Event, Quote
from eventcoder.store import Coded, Store


def _event(article_id, target_name, target_text, span=(10, 16)):
    tgt = Actor(text=target_text, name=target_name, country="USA", sector="ELI", code="USAELI", span=(30, 30 + len(target_text)))
    src = Actor(text="Russia", name=None, country="RUS", sector="GOV", code="RUSGOV", span=(0, 6))
    return Event(article_id=article_id, date="2020-01-01", published="2020-01-01", source=src, target=tgt,
                 cameo_code="112", cameo_root="11", cameo_name="Accuse", goldstein=-2.0, quad_class=3,
                 plover_type="ACCUSE", plover_mode=None, status="occurred", location=None, sentence_index=0,
                 sentence="s", trigger="accused", span=span)


def test_events_that_differ_only_in_who_get_different_ids_and_are_all_stored():
    a = _event("a1", "George W. Bush", "George W. Bush")
    b = _event("a1", "Barack Obama", "Barack Obama")
    assert a.target.code == b.target.code and a.event_id != b.event_id
    assert a.event_id == _event("a1", "George W. Bush", "George W. Bush").event_id  # stable
    art = Article("a1", "Russia accused George W. Bush and Barack Obama.", published="2020-01-01")
    with Store() as st:
        assert st.write_batch([Coded(art, [a, b])]) == 1
        assert st.con.execute("SELECT count(*) FROM events").fetchone()[0] == 2
        assert st.con.execute("SELECT n_events FROM articles").fetchone()[0] == 2


def test_quotes_with_the_same_content_start_but_other_speakers_are_two_quotes():
    s1 = Actor(text="Peskov", name="Dmitry Peskov", country="RUS", sector="GOV", code="RUSGOV", span=(0, 6))
    s2 = Actor(text="Lavrov", name="Sergei Lavrov", country="RUS", sector="GOV", code="RUSGOV", span=(20, 26))
    q1 = Quote("a", s1, "said", "it is impossible", True, (0, 6), (7, 11), [(13, 29)])
    q2 = Quote("a", s2, "added", "it is impossible", True, (20, 26), (27, 32), [(13, 29)])
    assert q1.quote_id != q2.quote_id


def test_summary_counts_what_is_stored_not_what_is_coded():
    art = Article("a1", "Russia accused George W. Bush.", published="2020-01-01")
    ev = _event("a1", "George W. Bush", "George W. Bush")
    with Store() as st:
        s1 = st.ingest([Coded(art, [ev, ev])])  # the same record twice is one record
        assert (s1.stored, s1.events) == (1, 1)
        s2 = st.ingest([Coded(art, [ev])])  # already stored: nothing added, nothing counted
        assert (s2.stored, s2.skipped, s2.events) == (0, 1, 0)
        assert st.con.execute("SELECT count(*) FROM events").fetchone()[0] == 1


@pytest.mark.shared
def test_store_counts_equal_coded_counts_on_real_articles(tmp_path):
    from support import shared_path

    from eventcoder.coder import Coder
    from eventcoder.ingest import read_inputs

    src = shared_path("allsides", "allsides_world.jsonl.gz")
    sample = tmp_path / "allsides_slice.jsonl"
    with gzip.open(src, "rt", encoding="utf-8") as fh, open(sample, "w", encoding="utf-8") as out:
        for n, line in enumerate(fh):
            if n >= 40:
                break
            out.write(line)
    coded = [c for c in Coder(quotes=True).code_articles(read_inputs([str(sample)])) if hasattr(c, "events")]
    ids = [e.event_id for c in coded for e in c.events]
    qids = [q.quote_id for c in coded for q in c.quotes]
    assert len(ids) == len(set(ids)) and len(qids) == len(set(qids))
    with Store(str(tmp_path / "s.duckdb")) as st:
        summary = st.ingest(coded)
        con = st.con
        n_ev = con.execute("SELECT count(*) FROM events").fetchone()[0]
        n_q = con.execute("SELECT count(*) FROM quotes").fetchone()[0]
        per = dict(con.execute("SELECT article_id, n_events FROM articles").fetchall())
        held = dict(con.execute("SELECT article_id, count(*) FROM events GROUP BY article_id").fetchall())
    assert summary.events == n_ev == len(ids)
    assert summary.quotes == n_q == len(qids)
    assert all(per[a] == held.get(a, 0) for a in per)


# ---- item 5: quiet loss at the edges -------------------------------------------------------------
def test_a_data_file_is_never_opened_as_a_store(tmp_path, capsys):
    from eventcoder.cli import main
    from eventcoder.store import StoreError

    inp = tmp_path / "news.jsonl"
    inp.write_text('{"id": "a", "text": "Russia attacked Ukraine."}\n', encoding="utf-8")
    before = inp.read_bytes()
    with pytest.raises(StoreError, match="not a DuckDB database"):
        Store(str(inp))
    with pytest.raises(StoreError, match="not .csv"):
        Store(str(tmp_path / "events.csv"))
    with pytest.raises(StoreError, match="is a directory"):
        Store(str(tmp_path))
    assert main(["ingest", str(inp), "--db", str(inp)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "news.jsonl is not a DuckDB database" in err and "Traceback" not in err
    assert inp.read_bytes() == before  # the input is untouched
    with Store(str(tmp_path / "ok.duckdb")) as st:  # a new .duckdb file is fine, and reopens
        st.write_batch([Coded(Article("a", "x", published="2020-01-01"), [])])
    with Store(str(tmp_path / "ok.duckdb"), read_only=True) as st:
        assert st.con.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_zero_and_tiny_epochs_are_not_publication_dates():
    from eventcoder.ingest.dates import normalise_date

    assert normalise_date(0) is None and normalise_date("0") is None and normalise_date(-1) is None
    assert normalise_date(86400) is None
    assert normalise_date(1739404800) == "2025-02-13"
    assert normalise_date("2025-02-13") == "2025-02-13"


def test_api_refuses_a_number_for_a_date(tmp_path):
    from fastapi.testclient import TestClient

    from eventcoder.api import create_app

    with Store(str(tmp_path / "a.duckdb")) as st:
        client = TestClient(create_app(st), base_url="http://127.0.0.1")
        r = client.get("/events", params={"start": 0})
        assert r.status_code == 422 and "YYYY-MM-DD" in r.text
        assert client.get("/events", params={"start": "2025-01-01"}).status_code == 200


def test_ingest_says_how_many_more_errors_there_were(tmp_path, capsys):
    from eventcoder.cli import main

    bad = tmp_path / "broken.jsonl"
    bad.write_text("".join("{broken line %d\n" % n for n in range(25)), encoding="utf-8")
    rc = main(["ingest", str(bad), "--db", str(tmp_path / "s.duckdb")])
    err = capsys.readouterr().err
    assert rc == 1
    assert err.count("ingest: failed ") == 20 and "... and 5 more failed input(s)" in err


# ---- item 2: one bad record costs only itself ------------------------------------------------------
def _items(paths):
    from eventcoder.ingest import read_inputs

    return list(read_inputs([str(p) for p in paths]))


def test_a_nul_byte_in_a_json_line_costs_only_that_line(tmp_path):
    p = tmp_path / "nul.jsonl"
    p.write_bytes(b'{"id": "a", "text": "bad\x00line"}\n{"id": "b", "text": "Russia attacked Ukraine."}\n'
                  + b'{"id": "c", "text": "Later \x00 too"}\n')
    items = _items([p])
    assert [getattr(i, "article_id", None) for i in items] == [None, "b", None]
    assert str(items[0]).startswith(f"{p}:1: line contains NUL") and str(items[2]).startswith(f"{p}:3:")


def test_utf16_json_lines_lose_only_the_undecodable_line(tmp_path):
    lines = [json.dumps({"id": f"x{i}", "text": f"Text number {i} here."}) + "\n" for i in range(5)]
    enc = [line.encode("utf-16-le") for line in lines]
    bad = bytearray(enc[2])
    bad[10:12] = b"\x00\xd8"  # a lone high surrogate
    enc[2] = bytes(bad)
    for name, bom, codec in (("le.jsonl", b"\xff\xfe", "utf-16-le"), ("be.jsonl", b"\xfe\xff", "utf-16-be")):
        data = bom + b"".join(e if codec == "utf-16-le" else e.decode("utf-16-le", "surrogatepass").encode(
            "utf-16-be", "surrogatepass") for e in enc)
        p = tmp_path / name
        p.write_bytes(data)
        items = _items([p])
        assert [getattr(i, "article_id", None) for i in items] == ["x0", "x1", None, "x3", "x4"], name
        assert str(items[2]).startswith(f"{p}:3: not valid")


def test_links_and_symlink_loops_are_read_once(tmp_path):
    d = tmp_path / "news"
    d.mkdir()
    (d / "a.txt").write_text("Russia attacked Ukraine on Monday.", encoding="utf-8")
    (d / "loop").symlink_to(d)
    (d / "b.txt").symlink_to(d / "a.txt")
    items = _items([d])
    arts = [i for i in items if isinstance(i, Article)]
    assert len(arts) == 1
    msgs = " | ".join(str(i) for i in items if not isinstance(i, Article))
    assert "symlink loop" in msgs and "b.txt: the same file" in msgs


# ---- item 4: the server has a guard --------------------------------------------------------------
class SlowCoder:
    """Codes nothing, slowly: lets the tests fill the coding queue."""

    def __init__(self, seconds):
        self.seconds = seconds

    def code_articles(self, items):
        import time

        from eventcoder.coder import CodedArticle

        for a in items:
            time.sleep(self.seconds)
            yield CodedArticle(a, [])


def _client(app, host="127.0.0.1"):
    from fastapi.testclient import TestClient

    return TestClient(app, base_url=f"http://{host}")


def test_token_is_required_and_can_be_given_three_ways(tmp_path):
    from eventcoder.api import create_app

    with Store(str(tmp_path / "a.duckdb")) as st:
        app = create_app(st, token="s3cret")
        c = _client(app)
        assert c.get("/health").status_code == 200  # liveness stays open
        r = c.get("/events")
        assert r.status_code == 401 and "token is required" in r.json()["error"]
        assert c.get("/events", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/events", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        r = c.get("/events", params={"token": "s3cret"})  # once in a browser: sets the cookie
        assert r.status_code == 200 and "eventcoder_token=s3cret" in r.headers.get("set-cookie", "")
        assert c.get("/events").status_code == 200  # the client now sends the cookie


def test_host_header_must_name_an_allowed_host(tmp_path):
    from eventcoder.api import create_app

    with Store(str(tmp_path / "a.duckdb")) as st:
        app = create_app(st)
        assert _client(app, "127.0.0.1").get("/health").status_code == 200
        assert _client(app, "localhost:8000").get("/health").status_code == 200
        r = _client(app, "attacker.example").get("/health")
        assert r.status_code == 421 and "--allowed-host attacker.example" in r.json()["error"]
        app2 = create_app(st, allowed_hosts=["127.0.0.1", "events.example.org"])
        assert _client(app2, "events.example.org").get("/health").status_code == 200


def test_coding_requests_have_a_size_limit_a_queue_and_a_time_limit(tmp_path):
    import threading

    from eventcoder.api import create_app

    with Store(str(tmp_path / "a.duckdb")) as st:
        c = _client(create_app(st, coder=SlowCoder(0.0), code_max_chars=1000))
        r = c.post("/code", json={"text": "x" * 1001})
        assert r.status_code == 413 and "limit of 1,000" in r.json()["error"]
        assert c.post("/code", json={"text": "Russia attacked Ukraine."}).status_code == 200

        c = _client(create_app(st, coder=SlowCoder(0.5), code_time_limit=0.1))
        r = c.post("/code", json={"text": "slow"})
        assert r.status_code == 504 and "longer than" in r.json()["error"]

        app = create_app(st, coder=SlowCoder(1.5), code_queue=1, code_time_limit=30)
        statuses = []

        def hit():
            statuses.append(_client(app).post("/code", json={"text": "busy"}).status_code)

        threads = [threading.Thread(target=hit) for _ in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert sorted(statuses).count(200) == 2 and statuses.count(429) == 3
        assert _client(app).get("/health").status_code == 200  # the event loop stayed free


def test_serve_refuses_the_network_without_a_token(capsys, monkeypatch):
    from eventcoder.cli import main

    monkeypatch.delenv("EVENTCODER_TOKEN", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--db", "unused.duckdb"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "give it a --token" in err


def test_new_text_under_a_stored_id_is_reported_not_silently_skipped(tmp_path, capsys):
    from eventcoder.cli import main

    db = tmp_path / "s.duckdb"
    v1, v2 = tmp_path / "v1.jsonl", tmp_path / "v2.jsonl"
    v1.write_text(json.dumps({"id": "story-1", "text": "First version of the story."}) + "\n", encoding="utf-8")
    v2.write_text(json.dumps({"id": "story-1", "text": "Corrected version of the story."}) + "\n", encoding="utf-8")
    assert main(["ingest", str(v1), "--db", str(db), "--events", "rules"]) == 0
    capsys.readouterr()
    assert main(["ingest", str(v2), "--db", str(db), "--events", "rules", "--summary-json"]) == 0
    cap = capsys.readouterr()
    assert "1 article(s) not stored because their id is already stored with different text" in cap.err
    assert json.loads(cap.out)["changed"] == 1
    with Store(str(db), read_only=True) as st:
        assert st.con.execute("SELECT text FROM articles").fetchone()[0] == "First version of the story."


def test_a_max_chars_above_spacys_own_limit_codes_instead_of_crashing():
    from eventcoder.coder import Coder

    coder = Coder(quotes=False, max_chars=6_000_000, events="rules")
    assert coder.nlp.max_length > 6_000_000
    doc = coder.nlp.make_doc("x" * 5_500_000)  # spaCy's own length check passes (one long token)
    assert len(doc) == 1
    (res,) = list(coder.code_articles([Article("ok", "Russia attacked Ukraine on Monday.", published="2025-02-13")]))
    assert res.error is None and res.events


def test_response_links_do_not_depend_on_batch_size_or_order(tmp_path):
    from eventcoder.model import Position

    def art(aid, day):
        return Article(aid, f"Article {aid} text.", published=day)

    def pos(aid, who, stance, day):
        actor = Actor(text=who, name=who, country="XXX", sector="GOV", code=f"{who[:3].upper()}GOV")
        return Position(aid, actor, "territory exchange", stance, f"{who} {stance}", day, span=(0, 5))

    coded = {
        "A": Coded(art("A", "2025-01-01"), [], [], [pos("A", "Zelenskyy", "propose", "2025-01-01")]),
        "C": Coded(art("C", "2025-01-03"), [], [], [pos("C", "Erdogan", "propose", "2025-01-03")]),
        "B": Coded(art("B", "2025-01-05"), [], [], [pos("B", "Peskov", "reject", "2025-01-05")]),
        "D": Coded(art("D", "2025-01-02"), [], [], [pos("D", "Lavrov", "oppose", "2025-01-02")]),
    }
    links = []
    for order, batch in ((["A", "C", "B", "D"], 64), (["B", "D", "C", "A"], 1), (["D", "A", "B", "C"], 2)):
        with Store(str(tmp_path / f"s{len(links)}.duckdb")) as st:
            st.ingest([coded[k] for k in order], batch_size=batch)
            rows = st.con.execute(
                "SELECT r.article_id, p.article_id FROM positions r LEFT JOIN positions p "
                "ON p.position_id = r.responds_to WHERE r.stance <> 'propose' ORDER BY 1").fetchall()
        links.append(rows)
    assert links[0] == links[1] == links[2] == [("B", "C"), ("D", "A")]

"""Users' own dictionaries (PETRARCH/TABARI actors and agents, TSV) through --dictionary."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from eventcoder.actors.dictionaries import DictionaryError, read_dictionary, read_petrarch, split_code
from eventcoder.actors.kb import KnowledgeBase

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "petrarch"

ACTORS = """# a user's actors, TABARI style
<!-- a block comment
over two lines -->
ZORBLAX_LIBERATION_FRONT_ [ZWEREB] # made up
+ZLF_
+ZORBLAX_FRONT ; another comment style

JOHN_QWERTYSON_
\t[GBRGOV 100101-151231]
\t[GBRELI >20160101]
WIDGET_UNION_ [IGOUNOWID]
BROKEN_ [ABC 2004017-2006]
ERRANT_LINE_ [ABC
FREEDONIA_ [FRD]
+FREEDONIAN_
"""
AGENTS = """!PERSON! = MAN, WOMAN
HARBOUR!PERSON! [~LAB]
PORT_MASTER {PORT_MASTERS_} [~GOV]
HUMAN_RIGHTS_WATCHERS [NGO~]
"""


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_petrarch_actors_parsed_with_bad_lines_named(tmp_path):
    d = read_dictionary(write(tmp_path, "my.actors.txt", ACTORS))
    by = {e.name: e for e in d.actors}
    z = by["ZORBLAX LIBERATION FRONT"]
    assert z.code == "ZWEREB" and z.aliases == ["ZLF", "ZORBLAX FRONT"] and z.line == 4
    q = by["JOHN QWERTYSON"]
    assert q.code is None and q.dated == [("GBRGOV", "2010-01-01", "2015-12-31"),
                                          ("GBRELI", "2016-01-01", None)]
    assert "BROKEN" not in by  # its only code had a bad date: no code, not an actor
    assert any(p.endswith(":12: bad date '2004017' in a date restriction (YYMMDD or YYYYMMDD); code skipped")
               for p in d.problems)
    assert any(":13: unbalanced [ ]" in p for p in d.problems)
    assert by["FREEDONIA"].aliases == ["FREEDONIAN"]
    assert len(d.problems) == 2


def test_agents_with_plurals_and_substitutions(tmp_path):
    d = read_petrarch(write(tmp_path, "my.agents.txt", AGENTS))
    assert ("HARBOURMAN", "LAB") in d.agents and ("HARBOURWOMAN", "LAB") in d.agents
    assert ("PORT MASTER", "GOV") in d.agents and ("PORT MASTERS", "GOV") in d.agents
    assert ("HUMAN RIGHTS WATCHERS", "NGO") in d.agents


def test_codes_split_into_country_and_sector():
    assert split_code("RUSGOV", {"RUS"}) == ("RUS", "GOV")
    assert split_code("IGOUNOREFHCR", set()) == ("UNO", "REF")
    assert split_code("NGO", set()) == ("NGO", None)
    assert split_code("~MIL", {"RUS"}) == (None, "MIL")


def test_tsv_dictionary_and_its_errors(tmp_path):
    good = write(tmp_path, "mine.tsv", "# my table\nname\taliases\tcountry\tsector\tcode\tstart\tend\n"
                                       "Northern Widget Alliance\tNWA|the Widget Alliance\tIGO\t\tIGOWID\t\t\n"
                                       "Jane Roe\t\tGBR\tGOV\tGBRGOV\t2020-01-01\t2022-12-31\n"
                                       "\t\t\t\tX\t\t\n"
                                       "Bad Date\t\tGBR\tGOV\tGBRGOV\t2020-1-1\t\n")
    d = read_dictionary(good)
    assert [e.name for e in d.actors] == ["Northern Widget Alliance", "Jane Roe"]
    assert d.actors[1].dated == [("GBRGOV", "2020-01-01", "2022-12-31")]
    assert [p.split(":", 1)[1].split(":")[0] for p in d.problems] == ["5", "6"]  # file lines
    with pytest.raises(DictionaryError, match="must name the columns 'name' and 'code'"):
        read_dictionary(write(tmp_path, "nohead.tsv", "who\twhat\nx\ty\n"))
    with pytest.raises(DictionaryError, match="no such dictionary file"):
        read_dictionary(str(tmp_path / "missing.txt"))
    b = tmp_path / "bin.txt"
    b.write_bytes(b"\x00\x01binary")
    with pytest.raises(DictionaryError, match="binary"):
        read_dictionary(str(b))


def test_kb_takes_the_users_entries_and_they_win(tmp_path):
    base = KnowledgeBase.default()
    assert base.organisation("Amnesty International").code != "NGOAMNX"
    mine = write(tmp_path, "win.actors.txt", ACTORS + "AMNESTY_INTERNATIONAL_ [NGOAMNX]\n")
    kb = KnowledgeBase.with_dictionaries([mine, write(tmp_path, "a.agents.txt", AGENTS)])
    assert kb.organisation("Amnesty International").code == "NGOAMNX"  # the user's wins
    assert kb.organisation("ZLF").code == "ZWEREB" and kb.organisation("ZLF").sector == "REB"
    assert kb.organisation("the Widget Union").country == "UNO"
    assert kb.country("Freedonian") is None  # FRD is not a country code the KB knows
    on = kb.person("John Qwertyson", "2012-05-01")
    off = kb.person("John Qwertyson", "2018-05-01")
    assert (on.country, on.sector) == ("GBR", "GOV") and (off.country, off.sector) == ("GBR", "ELI")
    assert kb.sector("harbourwoman") == "LAB" and kb.sector("port masters") == "GOV"
    assert base.organisation("ZLF") is None  # the shipped KB is untouched


def test_coder_codes_with_the_users_dictionary(tmp_path):
    from eventcoder.coder import Coder
    from eventcoder.model import Article

    mine = write(tmp_path, "my.actors.txt", ACTORS)
    text = "The Zorblax Liberation Front attacked a police station in Harare on Monday."
    plain = next(iter(Coder(quotes=False).code_articles([Article("a", text, published="2025-02-13")])))
    theirs = next(iter(Coder(quotes=False, dictionaries=[mine]).code_articles(
        [Article("a", text, published="2025-02-13")])))
    assert not any(e.source and e.source.code == "ZWEREB" for e in plain.events)
    assert [(e.source.code, e.cameo_root) for e in theirs.events if e.source] == [("ZWEREB", "19")]


ZLF_TEXT = "The Zorblax Liberation Front attacked a police station in Harare on Monday."


def test_code_and_ingest_take_the_users_dictionary_on_the_command_line(tmp_path):
    import json

    import duckdb

    mine = write(tmp_path, "my.actors.txt", ACTORS)
    r = subprocess.run([sys.executable, "-m", "eventcoder", "code", "-", "--published", "2025-02-13",
                        "--dictionary", mine], input=ZLF_TEXT, text=True, capture_output=True)
    assert r.returncode == 0, r.stderr
    assert "ZWEREB" in {json.loads(line)["source"]["code"] for line in r.stdout.splitlines()}
    story = tmp_path / "story.txt"
    story.write_text(ZLF_TEXT, encoding="utf-8")
    db = tmp_path / "s.duckdb"
    r = subprocess.run([sys.executable, "-m", "eventcoder", "ingest", str(story), "--db", str(db),
                        "--published", "2025-02-13", "--dictionary", mine], text=True, capture_output=True)
    assert r.returncode == 0, r.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        codes = {c for (c,) in con.execute("SELECT source_code FROM events").fetchall()}
    assert "ZWEREB" in codes


def test_serve_codes_with_the_users_dictionary(tmp_path, monkeypatch):
    import eventcoder.api
    from eventcoder.cli import main
    from eventcoder.model import Article

    got = {}
    monkeypatch.setattr(eventcoder.api, "serve", lambda db, **kw: got.update(kw))
    mine = write(tmp_path, "my.actors.txt", ACTORS)
    assert main(["serve", "--db", str(tmp_path / "s.duckdb"), "--dictionary", mine]) == 0
    coded = next(iter(got["coder"].code_articles([Article("a", ZLF_TEXT, published="2025-02-13")])))
    assert [e.source.code for e in coded.events if e.source] == ["ZWEREB"]


def test_cli_dictionary_errors_are_one_line(tmp_path):
    env = dict(os.environ)
    r = subprocess.run([sys.executable, "-m", "eventcoder", "code", "-", "--dictionary",
                        str(tmp_path / "nope.txt")], input="Russia attacked Ukraine.", text=True,
                       capture_output=True, env=env)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        f"eventcoder code: {tmp_path / 'nope.txt'}: no such dictionary file (check the --dictionary path)"]


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data/petrarch is not here")
def test_the_phoenix_dictionaries_load():
    files = ["Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
             "Phoenix.MilNonState.actors.txt", "Phoenix.agents.txt"]
    sizes = {}
    for f in files:
        d = read_dictionary(str(SHARED / f))
        sizes[f] = len(d)
        assert len(d.problems) <= 10, d.problems[:3]
    assert sizes["Phoenix.Countries.actors.txt"] > 10000 and sizes["Phoenix.agents.txt"] > 3000
    from eventcoder.actors.kb import _with_dictionaries

    kb = KnowledgeBase.with_dictionaries([str(SHARED / f) for f in files])
    try:
        ban = kb.person("Ban Ki-moon", "2010-06-01")
        assert ban is not None and ban.country == "UNO"
        assert kb.organisation("Abu Nidal Organization").code == "IMGMUSALQ"
    finally:
        _with_dictionaries.cache_clear()  # a KB of 27,000 entries must not outlive the test


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data/petrarch is not here")
def test_office_holders_agree_with_the_phoenix_country_dictionary():
    """The 1979-2014 office-holder tables against Phoenix's dated codes (docs/dictionaries.md):
    the agreement must not fall below what was measured (0.958 / 0.935 / 0.703)."""
    from eventcoder.actors.agreement import compare_office_holders

    rep = compare_office_holders(str(SHARED / "Phoenix.Countries.actors.txt"))
    assert rep.persons >= 1800 and rep.terms >= 2300
    assert rep.rate("country") >= 0.95 and rep.rate("sector") >= 0.93 and rep.rate("dates") >= 0.70, \
        rep.summary()
    # one agreement read by hand: Yeltsin's presidency (Phoenix: phrases on lines without '+')
    assert not any(name == "Boris Yeltsin" for kind, name, _, _ in rep.disagreements if kind != "dates")


def test_a_cluster_shard_codes_with_the_users_dictionary(tmp_path):
    """`cluster run --dictionary` reaches the coder on the worker (the option travels with the task)."""
    import json as _json

    pytest.importorskip("pyarrow")
    from eventcoder.cluster import code_shard, query_shards

    mine = write(tmp_path, "my.actors.txt", ACTORS)
    src = tmp_path / "in.jsonl"
    src.write_text(_json.dumps({"id": "z1", "text": "The Zorblax Liberation Front attacked a police "
                                "station in Harare on Monday.", "published": "2025-02-13"}) + "\n")
    out = tmp_path / "out"
    res = code_shard(str(src), str(out), {"dictionaries": (mine,), "time_limit": 60})
    assert res["status"] == "done" and res["articles"] == 1
    assert ("ZWEREB",) in query_shards(str(out), "SELECT source_code FROM events")

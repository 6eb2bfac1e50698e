"""Ingest: readers turn inputs into Articles and never lose good input because of bad input."""
from __future__ import annotations

import gzip
import io
import json
import os

import pytest

from support import shared_path
from eventcoder.ingest import IngestError, read_inputs, read_text_article
from eventcoder.ingest.dates import normalise_date
from eventcoder.ingest.text import parse_dateline
from eventcoder.model import Article


def split(items):
    items = list(items)
    arts = [i for i in items if isinstance(i, Article)]
    errs = [i for i in items if isinstance(i, IngestError)]
    assert len(arts) + len(errs) == len(items)
    return arts, errs


def one_error(paths, **kw):
    arts, errs = split(read_inputs([str(p) for p in paths], **kw))
    assert arts == [] and len(errs) == 1, (arts, errs)
    return errs[0]


# ---- plain text -------------------------------------------------------------------------

def test_seed_file_dateline_headline_body(seed_path):
    arts, errs = split(read_inputs([str(seed_path)]))
    assert errs == [] and len(arts) == 1
    a = arts[0]
    assert a.published == "2025-02-13"
    assert a.title == "Trump, Putin agree to initiate Ukraine peace talks"
    assert a.text.startswith("U.S. President Donald Trump")
    assert a.text.endswith("Photo. Getty Images")
    assert a.article_id == Article.content_id(a.text)
    assert a.origin == str(seed_path)


@pytest.mark.parametrize("line,iso", [
    ("February 13, 2025 - 11:34 AMT", "2025-02-13"),
    ("13 February 2025", "2025-02-13"),
    ("2025-02-13", "2025-02-13"),
    ("2025-02-13T11:34:00Z", "2025-02-13"),
    ("Feb. 13, 2025", "2025-02-13"),
    ("Thursday, Feb 13, 2025 at 9:05 a.m. EST", "2025-02-13"),
    ("KYIV, Feb 13, 2025 (Reuters) -", "2025-02-13"),
    ("Published: 3 March 2024 14:00 GMT", "2024-03-03"),
])
def test_datelines(line, iso):
    assert parse_dateline(line) == iso


@pytest.mark.parametrize("line", [
    "Trump and Putin spoke on February 13, 2025 about the war in Ukraine.",
    "Talks begin", "February 30, 2025", "",
])
def test_not_datelines(line):
    assert parse_dateline(line) is None


def test_text_without_dateline_or_headline_keeps_everything():
    text = "Russia said on Monday it would talk.\nUkraine disagreed."
    a = read_text_article(text)
    assert a.title is None and a.published is None and a.text == text


def test_text_fallback_date_and_own_date_wins():
    assert read_text_article("Body text.", published="2024-01-02").published == "2024-01-02"
    a = read_text_article("2025-02-13\n\nBody text.", published="2024-01-02")
    assert a.published == "2025-02-13" and a.text == "Body text."


def test_headline_only_when_followed_by_blank_line_and_unpunctuated():
    a = read_text_article("Leaders meet in Riyadh\n\nThe talks began.\n\nMore.\n")
    assert a.title == "Leaders meet in Riyadh" and a.text == "The talks began.\n\nMore."
    b = read_text_article("The talks began today.\n\nMore.")
    assert b.title is None and b.text == "The talks began today.\n\nMore."
    c = read_text_article("A headline\nstraight into text.")
    assert c.title is None


def test_wire_dateline_sets_date_but_stays_in_text():
    a = read_text_article("KYIV, Feb 13 (Reuters) - Ukraine said talks would begin.",
                          published="2025-02-14")
    assert a.published == "2025-02-13" and a.text.startswith("KYIV, Feb 13 (Reuters)")


def test_body_characters_kept_and_crlf_normalised():
    a = read_text_article("Title here\r\n\r\n  Indented  body,  with   spaces.\r\nLine two.\r\n")
    assert a.title == "Title here"
    assert a.text == "Indented  body,  with   spaces.\nLine two."


def test_read_text_article_empty_raises():
    with pytest.raises(IngestError):
        read_text_article("   \n\n ")


# ---- JSON lines -------------------------------------------------------------------------

def test_jsonl_good_and_broken_lines(tmp_path):
    p = tmp_path / "x.jsonl"
    lines = [
        json.dumps({"id": "a1", "title": "T1", "text": "First article.",
                    "published": "2025-03-14 14:23:08Z", "url": "http://x/1", "source": "VOA"}),
        '{"id": "b", "text": "broken" "oops"}',                       # 2 broken JSON
        "",                                                          # 3 blank: silent
        json.dumps({"text": "No id here.", "date": "March 14, 2025"}),  # 4
        json.dumps([1, 2, 3]),                                        # 5 not an object
        json.dumps({"id": "c", "text": "   "}),                       # 6 empty text
        json.dumps({"id": "d", "title": "no text"}),                  # 7 missing text
        json.dumps({"id": 5, "text": "Third.", "published": "2025-03-14T14:23:08+00:00"}),
        json.dumps({"id": "e", "text": "Fourth.", "published": "not a date"}),
        json.dumps({"id": "f", "text": "Fifth.", "published": 1741962188}),
        "{\"id\": \"g\", \"text\": \"trunc",                          # 11 broken
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    arts, errs = split(read_inputs([str(p)]))
    assert [a.article_id for a in arts] == ["a1", Article.content_id("No id here."), "5", "e", "f"]
    assert [a.origin for a in arts] == [f"{p}:{n}" for n in (1, 4, 8, 9, 10)]
    a1 = arts[0]
    assert (a1.title, a1.published, a1.url, a1.source_name) == ("T1", "2025-03-14", "http://x/1",
                                                                "VOA")
    assert [a.published for a in arts[1:]] == ["2025-03-14", "2025-03-14", None, "2025-03-14"]
    assert [e.origin for e in errs] == [f"{p}:{n}" for n in (2, 5, 6, 7, 11)]
    assert str(errs[0]).startswith(f"{p}:2: broken JSON line (Expecting ',' delimiter: column ")
    assert str(errs[0]).endswith("; skipped")


def test_jsonl_fallback_published(tmp_path):
    p = tmp_path / "x.ndjson"
    p.write_text('{"text": "a"}\n{"text": "b", "date": "2020-01-01"}\n')
    arts, _ = split(read_inputs([str(p)], published="2024-05-06"))
    assert [a.published for a in arts] == ["2024-05-06", "2020-01-01"]


def test_voa_file():
    p = shared_path("voa", "voa_dev.jsonl")
    arts, errs = split(read_inputs([str(p)]))
    assert errs == [] and len(arts) == 59
    import re
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", a.published) for a in arts)
    assert arts[0].article_id == "8010694" and arts[0].published == "2025-03-14"


def test_allsides_gz_with_missing_dates():
    p = shared_path("allsides", "allsides_world.jsonl.gz")
    n = undated = 0
    for item in read_inputs([str(p)]):
        assert isinstance(item, Article)
        n += 1
        undated += item.published is None
        assert item.source_name and item.text.strip()
    assert n == 5456 and undated == 804


def test_jsonl_gz_and_not_gzip(tmp_path):
    good = tmp_path / "a.jsonl.gz"
    with gzip.open(good, "wt", encoding="utf-8") as f:
        f.write('{"text": "one"}\n{"text": "two"}\n')
    bad = tmp_path / "b.jsonl.gz"
    bad.write_text('{"text": "plain, not gzip"}\n')
    arts, errs = split(read_inputs([str(good), str(bad)]))
    assert [a.text for a in arts] == ["one", "two"]
    assert len(errs) == 1 and errs[0].origin == str(bad) and "not gzip" in errs[0].message


def test_truncated_gzip_keeps_lines_before(tmp_path):
    data = gzip.compress("".join(f'{{"text": "article {i}"}}\n' for i in range(2000)).encode())
    p = tmp_path / "t.jsonl.gz"
    p.write_bytes(data[: len(data) // 2])
    arts, errs = split(read_inputs([str(p)]))
    assert 0 < len(arts) < 2000 and len(errs) == 1 and "truncated" in errs[0].message


def test_json_array_document(tmp_path):
    p = tmp_path / "a.json"
    p.write_text(json.dumps([{"text": "x", "id": "1"}, {"nope": 1}, {"text": "y"}]))
    arts, errs = split(read_inputs([str(p)]))
    assert [a.text for a in arts] == ["x", "y"] and errs[0].origin == f"{p}:item 2"


# ---- HTML -------------------------------------------------------------------------------

HOSTILE = """<!DOCTYPE html><html><head><title>Talks begin in Riyadh | Example News</title>
<meta property="article:published_time" content="2025-02-18T09:00:00Z">
<script>var secret = "SCRIPT_CONTENT"; alert(1);</script>
<style>p { color: red }</style></head>
<body onload="alert('ONLOAD')"><nav><a href="/">Home</a></nav>
<article><h1>Talks begin in Riyadh</h1>
<img src="x.png" onerror="alert('ONERROR')">
<p>Russian and American officials met in Riyadh on Tuesday for talks on ending the war in
Ukraine, the first such meeting since the invasion began three years ago.</p>
<script>document.write("MORE_SCRIPT")</script>
<p onclick="steal()">Secretary of State Marco Rubio led the American delegation, while Foreign
Minister Sergei Lavrov headed the Russian side, according to officials from both countries.</p>
<p>Ukraine was not invited, and President Volodymyr Zelenskyy said Kyiv would not accept any
agreement reached without it.<b>unclosed <i>tags
</article></body></html>"""


def test_html_hostile_markup(tmp_path):
    p = tmp_path / "page.html"
    p.write_text(HOSTILE)
    arts, errs = split(read_inputs([str(p)]))
    assert errs == [] and len(arts) == 1
    a = arts[0]
    assert "Russian and American officials met in Riyadh" in a.text
    for bad in ("SCRIPT_CONTENT", "MORE_SCRIPT", "alert", "ONERROR", "ONLOAD", "steal", "color"):
        assert bad not in a.text
    assert a.published == "2025-02-18"
    assert a.title and "Talks begin in Riyadh" in a.title
    assert a.article_id == Article.content_id(a.text)


@pytest.mark.parametrize("html", [
    "<html><body>" + "<div>" * 20000 + "<p>deep</p>",
    "<html><head><script>only()</script></head><body></body></html>",
    "<html><body><p>\x00\x01 nul</p>",
    "<html><<<<>>>><body></p></div><p>text & more <b onmouseover=x()>bold",
])
def test_html_never_crashes(tmp_path, html):
    p = tmp_path / "h.htm"
    p.write_bytes(html.encode("utf-8", "surrogatepass"))
    for item in read_inputs([str(p)]):
        if isinstance(item, Article):
            assert "only()" not in item.text and "mouseover" not in item.text
        else:
            assert item.origin == str(p) and item.message


# ---- bad inputs: one clear error each, reading continues ---------------------------------

def test_bad_inputs_each_one_error_and_reading_continues(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("A good article.")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"abc\x00\x01\x02\xff" * 10)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\t\n")
    emptydir = tmp_path / "emptydir"
    emptydir.mkdir()
    (emptydir / "notes.csv").write_text("x")
    paths = [tmp_path / "missing.txt", binary, empty, blank, emptydir, good]
    items = list(read_inputs([str(p) for p in paths]))
    assert len(items) == 6
    assert all(isinstance(i, IngestError) for i in items[:5])
    assert isinstance(items[5], Article) and items[5].text == "A good article."
    msgs = [str(i) for i in items[:5]]
    assert "no such file" in msgs[0]
    assert "binary" in msgs[1] and msgs[1].startswith(str(binary))
    assert "empty file" in msgs[2]
    assert "whitespace" in msgs[3]
    assert "no readable input files" in msgs[4]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path):
    p = tmp_path / "secret.txt"
    p.write_text("hidden")
    p.chmod(0)
    try:
        assert "permission denied" in one_error([p]).message
    finally:
        p.chmod(0o644)


def test_latin1_file(tmp_path):
    p = tmp_path / "latin.txt"
    p.write_bytes("Caf\u00e9 talks in S\u00e3o Paulo ended.".encode("latin-1"))
    err = one_error([p])
    assert "utf-8" in err.message and "--encoding" in err.message
    arts, errs = split(read_inputs([str(p)], encoding="latin-1"))
    assert errs == [] and arts[0].text == "Caf\u00e9 talks in S\u00e3o Paulo ended."


def test_latin1_jsonl_one_error_per_line_then_summary(tmp_path):
    p = tmp_path / "l.jsonl"
    p.write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9"}\n{"text": "na\xefve"}\n')
    arts, errs = split(read_inputs([str(p)]))
    assert [a.text for a in arts] == ["ok"]
    assert errs[0].origin == f"{p}:2" and "--encoding" in errs[0].message and len(errs) == 2
    arts, errs = split(read_inputs([str(p)], encoding="latin-1"))
    assert errs == [] and [a.text for a in arts] == ["ok", "caf\u00e9", "na\u00efve"]


def test_bom_and_utf16(tmp_path):
    p8 = tmp_path / "bom.txt"
    p8.write_bytes(b"\xef\xbb\xbf2025-02-13\n\nBody with BOM.")
    p16 = tmp_path / "u16.txt"
    p16.write_bytes("Headline here\n\nUTF-16 body \u00e9.".encode("utf-16"))
    j16 = tmp_path / "u16.jsonl"
    j16.write_bytes('{"text": "j\u00e9"}\n{"text": "two"}\n'.encode("utf-16"))
    arts, errs = split(read_inputs([str(p8), str(p16), str(j16)]))
    assert errs == []
    assert (arts[0].published, arts[0].text) == ("2025-02-13", "Body with BOM.")
    assert (arts[1].title, arts[1].text) == ("Headline here", "UTF-16 body \u00e9.")
    assert [a.text for a in arts[2:]] == ["j\u00e9", "two"]


def test_too_large_text(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("word " * 1_200_000)  # 6 million chars
    err = one_error([p])
    assert err.message.startswith("article too large: 6000000 chars > max_chars")
    huge = tmp_path / "huge.txt"
    huge.write_text("x" * 1000)
    assert "too large" in one_error([huge], max_chars=100).message


def test_too_large_jsonl_line(tmp_path):
    p = tmp_path / "big.jsonl"
    p.write_text(json.dumps({"text": "y" * 500}) + "\n" + json.dumps({"text": "ok"}) + "\n")
    arts, errs = split(read_inputs([str(p)], max_chars=100))
    assert [a.text for a in arts] == ["ok"] and "too large" in errs[0].message


def test_bad_arguments_raise_value_error():
    with pytest.raises(ValueError):
        read_inputs([], encoding="no-such-codec")
    with pytest.raises(ValueError):
        read_inputs([], published="whenever")


# ---- directories --------------------------------------------------------------------------

def test_directory_recursion_order(tmp_path):
    d = tmp_path / "corpus"
    (d / "b").mkdir(parents=True)
    (d / "a" / "z").mkdir(parents=True)
    (d / ".hidden").mkdir()
    (d / "c.txt").write_text("C text.")
    (d / "b" / "1.txt").write_text("B1 text.")
    (d / "a" / "2.md").write_text("A2 text.")
    (d / "a" / "z" / "0.htm").write_text("<html><body><p>AZ0 text.</p></body></html>")
    (d / "a" / "1.jsonl").write_text('{"text": "A1 one."}\n{"text": "A1 two."}\n')
    (d / "a" / "skip.csv").write_text("ignored")
    (d / ".dot.txt").write_text("hidden file")
    (d / ".hidden" / "x.txt").write_text("hidden dir")
    arts, errs = split(read_inputs([str(d)]))
    assert errs == []
    assert [a.text for a in arts] == ["A1 one.", "A1 two.", "A2 text.", "AZ0 text.", "B1 text.",
                                      "C text."]


# ---- stdin --------------------------------------------------------------------------------

@pytest.mark.parametrize("data,expect", [
    ('\n  {"text": "one"}\n{"bad json\n{"text": "two"}\n', ["one", None, "two"]),
    ("<!DOCTYPE html><html><body><p>From HTML on stdin.</p><script>x()</script></body></html>",
     ["From HTML on stdin."]),
    ("February 13, 2025\nA headline\n\nPlain body from stdin.", ["Plain body from stdin."]),
    ("", [None]),
])
def test_stdin_sniffing(data, expect):
    items = list(read_inputs(["-"], stdin=io.StringIO(data)))
    got = [i.text if isinstance(i, Article) else None for i in items]
    assert got == expect
    for i in items:
        assert i.origin.startswith("<stdin>")
    if expect == ["one", None, "two"]:
        assert items[1].origin == "<stdin>:3"
        assert items[0].origin == "<stdin>:2"
    if expect == ["Plain body from stdin."]:
        assert items[0].published == "2025-02-13" and items[0].title == "A headline"


def test_stdin_bytes_uses_encoding():
    raw = io.BytesIO("Caf\u00e9 news.".encode("latin-1"))
    assert "--encoding" in str(list(read_inputs(["-"], stdin=raw))[0])
    raw = io.BytesIO("Caf\u00e9 news.".encode("latin-1"))
    assert list(read_inputs(["-"], stdin=raw, encoding="latin-1"))[0].text == "Caf\u00e9 news."


# ---- Parquet ------------------------------------------------------------------------------

def test_parquet_round_trip(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    import datetime as dt
    rows = {
        "id": ["p1", None, "p3", "p4"],
        "title": ["One", "Two", None, "Four"],
        "text": ["First parquet article.", "Second.", "", "Fourth."],
        "published": [dt.datetime(2025, 3, 14, 14, 23), None, None, dt.datetime(2024, 1, 2)],
        "url": ["http://x/1", None, None, None],
        "source": ["VOA", "BBC", None, None],
        "extra": [1, 2, 3, 4],
    }
    p = tmp_path / "a.parquet"
    pq.write_table(pa.table(rows), p, row_group_size=2)
    arts, errs = split(read_inputs([str(p)], published="2020-01-01"))
    assert [a.article_id for a in arts] == ["p1", Article.content_id("Second."), "p4"]
    assert [a.published for a in arts] == ["2025-03-14", "2020-01-01", "2024-01-02"]
    assert arts[0].source_name == "VOA" and arts[0].url == "http://x/1"
    assert [a.origin for a in arts] == [f"{p}:row 1", f"{p}:row 2", f"{p}:row 4"]
    assert len(errs) == 1 and errs[0].origin == f"{p}:row 3"


def test_parquet_not_parquet_and_no_text_column(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq
    fake = tmp_path / "fake.parquet"
    fake.write_text("not parquet at all")
    notext = tmp_path / "notext.parquet"
    pq.write_table(pa.table({"title": ["x"]}), notext)
    assert "Parquet" in one_error([fake]).message
    assert "no text column" in one_error([notext]).message


# ---- dates --------------------------------------------------------------------------------

@pytest.mark.parametrize("value,iso", [
    ("2025-03-14 14:23:08Z", "2025-03-14"), ("2025-03-14T14:23:08+00:00", "2025-03-14"),
    ("March 14, 2025", "2025-03-14"), ("14 Mar 2025", "2025-03-14"),
    ("Fri, 14 Mar 2025 14:23:08 +0000", "2025-03-14"), (1741962188, "2025-03-14"),
    (1741962188000, "2025-03-14"), ("1741962188", "2025-03-14"), ("2025/03/14", "2025-03-14"),
    ("", None), (None, None), ("yesterday-ish", None), ("2025-13-45", None), (True, None),
])
def test_normalise_date(value, iso):
    assert normalise_date(value) == iso

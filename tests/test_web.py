"""The dashboard, in process (no browser): pages render with labelled inputs and a strict CSP,
article text is escaped, the JSON views answer (explorer sort/filters, CSV, dyad events,
network, map, positions), empty and error states, and nothing is fetched from the network.

`store` and `client` (conftest.py) hold the dashboard corpus, `support.build_store`."""
from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from eventcoder.api import create_app
from eventcoder.store import Store
from eventcoder.web import routes
from support import XSS, XSS_ID, PatternCoder, build_store

WEB = Path(routes.__file__).resolve().parent
ROOT = Path(__file__).resolve().parents[1]


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.controls, self.labels, self.scripts, self.inline = [], set(), [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.controls.append(a.get("id"))
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        if tag == "script":
            self.scripts.append(a.get("src"))
        for k in a:
            if k.startswith("on") or k == "style":
                self.inline.append((tag, k))


PAGES = ["/ui/", "/ui/code", "/ui/events", "/ui/dyad?a=USA&b=RUS", "/ui/network", "/ui/map",
         "/ui/positions", "/ui/actors/USAGOV", "/ui/articles/doc0001"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_with_labels_and_csp(client, path):
    r = client.get(path)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    p = _Forms()
    p.feed(r.text)
    assert all(c and c in p.labels for c in p.controls), (p.controls, p.labels)
    # no inline script, nothing from elsewhere: the helpers, the page's file, vendored libraries
    assert p.scripts and all(js and js.startswith("/ui/static/") for js in p.scripts), p.scripts
    assert "/ui/static/app.js" in p.scripts
    page = re.search(r'data-page="(\w+)"', r.text).group(1)
    assert p.scripts == ["/ui/static/" + js for js in routes.page_scripts(page)]
    assert not p.inline, p.inline
    assert '<link rel="icon" href="data:,">' in r.text
    assert 'aria-current="page"' in r.text or path in ("/ui/", "/ui/actors/USAGOV",
                                                        "/ui/articles/doc0001")


def test_root_redirects_and_mount_is_idempotent(store):
    app = create_app(store, coder=PatternCoder())
    routes.mount(app)
    n = len(app.routes)
    routes.mount(app)
    assert len(app.routes) == n
    with TestClient(app, base_url="http://127.0.0.1") as c:
        r = c.get("/", follow_redirects=False)
        assert r.status_code in (302, 307) and r.headers["location"] == "/ui/"
        assert c.get("/health").json()["status"] == "ok"  # the API is untouched


def test_home_counts(client, store):
    html = client.get("/ui/").text
    n = store.counts()["events"]
    assert f'data-count="events">{n}<' in html


def test_article_page_escapes_everything(client):
    from urllib.parse import quote

    r = client.get("/ui/articles/" + quote(XSS_ID, safe=""))
    assert r.status_code == 200
    html = r.text
    for raw in ("<script>window", "<img src=x", "<svg onload", "<iframe", '"<b>1', "<b>1"):
        assert raw not in html, raw
    assert "&lt;script&gt;window.__xss=&#39;script&#39;&lt;/script&gt;" in html  # the title
    assert 'data-article-id="xss&#34;&lt;b&gt;1"' in html
    # the JSON the page renders from carries the text verbatim (rendered with textContent)
    art = client.get("/articles/" + quote(XSS_ID, safe="")).json()
    assert XSS[0] in art["text"] and art["events"][0]["source"]["name"] == XSS[1]


def test_unknown_article_page_is_a_404_page(client):
    r = client.get("/ui/articles/nope%3Cscript%3E")
    assert r.status_code == 404
    assert "No article with id" in r.text and "<script>" not in r.text.split("</head>")[1]


def test_query_string_values_are_escaped_in_forms(client):
    r = client.get('/ui/events?actor="><script>alert(1)</script>&place=<b>x')
    assert "<script>alert(1)" not in r.text and "<b>x" not in r.text
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in r.text


def test_explorer_json_filters_sorts_pages(client, store):
    r = client.get("/ui/api/events", params={"plover_type": "ACCUSE", "limit": 5})
    d = r.json()
    assert r.status_code == 200 and d["total"] > 5 and len(d["events"]) == 5
    assert {e["plover_type"] for e in d["events"]} == {"ACCUSE"}
    assert all("article_title" in e for e in d["events"])
    asc = client.get("/ui/api/events", params={"sort": "goldstein", "order": "asc",
                                                 "limit": 1000}).json()["events"]
    g = [e["goldstein"] for e in asc if e["goldstein"] is not None]
    assert g == sorted(g)
    p2 = client.get("/ui/api/events", params={"limit": 10, "offset": 10}).json()
    p1 = client.get("/ui/api/events", params={"limit": 20}).json()
    assert [e["event_id"] for e in p2["events"]] == [e["event_id"] for e in p1["events"][10:]]
    # every filter of the issue: dates, actor, country, type, status, place, text
    d = client.get("/ui/api/events", params={"start": "2025-03-01", "end": "2025-03-02",
                                              "actor": "USA", "country": "RUS",
                                              "status": "occurred", "place": "Riyadh",
                                              "text": "met"}).json()
    assert d["total"] >= 1
    for e in d["events"]:
        assert "2025-03-01" <= e["event_date"] <= "2025-03-02"
        assert "RUS" in (e["source_country"], e["target_country"])


def test_explorer_json_errors_are_json(client):
    for params in ({"sort": "nope"}, {"order": "sideways"}, {"start": "yesterday"},
                   {"actor": "US A;--"}, {"quad_class": "x"}):
        r = client.get("/ui/api/events", params=params)
        assert r.status_code == 400 and r.json()["error"], params
    r = client.get("/ui/api/events", params={"text": "'; DROP TABLE events; --"})
    assert r.status_code == 200 and r.json()["total"] == 0


def test_csv_download_is_the_filtered_set(client):
    r = client.get("/ui/api/events.csv", params={"actor": "UKR", "sort": "date"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    total = client.get("/ui/api/events", params={"actor": "UKR"}).json()["total"]
    assert len(rows) == total == int(r.headers["x-total-count"]) > 0
    assert all("UKR" in (x["source_code"] + x["target_code"]) for x in rows)


def test_csv_neutralises_formulas():
    assert routes._csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert routes._csv_cell("@x") == "'@x" and routes._csv_cell(-2.5) == -2.5
    assert routes._csv_cell("plain") == "plain"


def test_dyad_series_and_period_events(client):
    s = client.get("/dyads/USA/RUS/series", params={"interval": "day"}).json()["series"]
    assert s
    day = s[0]["period"]
    d = client.get("/ui/api/dyad/events", params={"a": "USA", "b": "RUS", "start": day,
                                                   "end": day}).json()
    assert d["total"] == s[0]["events"] == len(d["events"])
    for e in d["events"]:
        assert e["event_date"] == day
        assert {e["source_country"], e["target_country"]} == {"USA", "RUS"}
    directed = client.get("/ui/api/dyad/events", params={"a": "USA", "b": "RUS",
                                                          "directed": "true"}).json()
    assert all(e["source_country"] == "USA" for e in directed["events"])
    assert client.get("/ui/api/dyad/events", params={"a": "U;S", "b": "RUS"}).status_code == 400


def test_network_json(client):
    d = client.get("/ui/api/network").json()
    assert d["edges"] and d["nodes"]
    ids = {n["id"] for n in d["nodes"]}
    for e in d["edges"]:
        assert e["a"] < e["b"] and e["a"] in ids and e["b"] in ids and e["count"] >= 1
        assert -10 <= e["goldstein_mean"] <= 10
    big = client.get("/ui/api/network", params={"min_count": 21}).json()
    assert big["edges"] and all(e["count"] >= 21 for e in big["edges"]) and len(big["edges"]) < len(d["edges"])
    c = client.get("/ui/api/network", params={"level": "country"}).json()
    assert all(len(n["id"]) == 3 for n in c["nodes"])
    assert client.get("/ui/api/network", params={"level": "x"}).status_code == 400
    none = client.get("/ui/api/network", params={"start": "1990-01-01", "end": "1990-01-02"})
    assert none.json()["edges"] == []


def test_map_json(client):
    d = client.get("/ui/api/map").json()
    assert d["total"] > 0 and d["points"]
    for p in d["points"]:
        assert -90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 and p["quad_class"] in (1, 2, 3, 4)
    assert sum(p["count"] for p in d["points"]) == d["total"]
    f = client.get("/ui/api/map", params={"quad_class": "4"}).json()
    assert {p["quad_class"] for p in f["points"]} <= {4}


def test_positions_json(client):
    d = client.get("/ui/api/positions").json()
    assert d["available"] and "ceasefire" in [i["issue"] for i in d["issues"]]
    d = client.get("/ui/api/positions", params={"issue": "ceasefire"}).json()
    assert [p["stance"] for p in d["positions"]] == ["propose", "reject", "support"]
    (prop,) = d["proposals"]
    assert [r["stance"] for r in prop["responses"]] == ["reject", "support"]
    assert client.get("/ui/api/positions", params={"issue": "nothing"}).json()["positions"] == []


def test_positions_empty_store(tmp_path):
    st = Store(tmp_path / "empty.duckdb")
    app = routes.mount(create_app(st, coder=PatternCoder()))
    with TestClient(app, base_url="http://127.0.0.1") as c:
        d = c.get("/ui/api/positions").json()
        assert d["available"] and d["issues"] == []
        assert c.get("/ui/api/events").json()["total"] == 0
        assert c.get("/ui/api/network").json()["edges"] == []
        assert c.get("/ui/api/map").json()["points"] == []
        assert "The store is empty" in c.get("/ui/").text
    st.con.execute("DROP TABLE positions")
    from eventcoder.store import SCHEMA  # noqa: F401  (the table is normally always there)

    with st.cursor() as con:
        assert routes.positions_view(con)["available"] is False
    st.close()


def test_basemap_is_the_vendored_world_atlas():
    w = json.loads((WEB / "static" / "vendor" / "world-atlas-2.0.2-countries-110m.json")
                   .read_text(encoding="utf-8"))
    assert w["type"] == "Topology"
    geoms = w["objects"]["countries"]["geometries"]
    ids = {g.get("id") for g in geoms}
    assert len(geoms) == 177 and {"USA", "RUS", "UKR", "CHN", "BRA", "AUS", "ZAF"} <= ids
    assert all(i is None or re.fullmatch(r"[A-Z]{3}", i) for i in ids)  # alpha-3, not numeric


def test_vendored_files_match_their_manifest():
    """tools/vendor_js.py --check: each vendored file has its version in its name, its licence,
    and the SHA-256 recorded when it was fetched."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("vendor_js", ROOT / "tools" / "vendor_js.py")
    vj = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(vj)
    assert vj.check() == []
    names = {n for _p, _v, _s, n, _l in vj.PACKAGES}
    assert names == {"plot-0.6.17.umd.min.js", "d3-7.9.2.min.js", "topojson-client-3.1.0.min.js",
                     "world-atlas-2.0.2-countries-110m.json"}
    for script in routes.VENDOR_JS:
        assert (WEB / "static" / script).exists(), script


def test_package_data_ships_the_static_folders():
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    globs = data["eventcoder"]
    for folder in ("web/static/*", "web/static/vendor/*", "web/static/pages/*"):
        assert folder in globs, folder


def test_assets_reference_no_network():
    """No CDN, no remote font, no tile server: only this server's own files."""
    allowed = {"http://www.w3.org/2000/svg"}
    for f in list((WEB / "static").glob("*.js")) + list((WEB / "static" / "pages").glob("*.js")) + \
            list((WEB / "static").glob("*.css")) + list((WEB / "templates").glob("*.html")):
        text = f.read_text()
        for url in re.findall(r"https?://[^\s\"')]+", text):
            assert url in allowed, (f.name, url)
        assert not re.search(r"""(src|href)=["']//|url\(\s*["']?//|@import""", text), f.name
    for f in [WEB / "static" / "app.js", WEB / "static" / "charts.js",
              *(WEB / "static" / "pages").glob("*.js")]:
        js = f.read_text()
        for bad in (".innerHTML", "insertAdjacentHTML", "eval(", "new Function", "csvParse",
                    "tsvParse", 'setAttribute("style"', '.attr("style"', ".style(", ".html("):
            assert bad not in js, (f.name, bad)
        assert len(js.splitlines()) <= 600, f.name


def test_static_assets_served(client):
    for name, ctype in (("app.js", "javascript"), ("app.css", "text/css"),
                        ("charts.js", "javascript"), ("pages/dyad.js", "javascript"),
                        ("vendor/plot-0.6.17.umd.min.js", "javascript"),
                        ("vendor/world-atlas-2.0.2-countries-110m.json", "application/json")):
        r = client.get(f"/ui/static/{name}")
        assert r.status_code == 200 and ctype in r.headers["content-type"], name

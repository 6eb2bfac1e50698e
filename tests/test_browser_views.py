"""The dashboard's readable views in a real browser (Playwright + Debian's chromium), over a
store coded by the real coder from real articles: the bundled samples/ and the 59 VOA dev
articles in ../shared (the module skips when ../shared is absent).

Every page is opened through tests/test_browser.open_page, which fails on any console error or
warning, uncaught exception, CSP violation (a securitypolicyviolation listener runs in each
page) or request whose host is not 127.0.0.1/localhost. Screenshots go to artifacts/screenshots/
(git-ignored) as real-*.png."""
from __future__ import annotations

import re
from urllib.parse import quote

import httpx
import pytest

from support import SAMPLES, PatternCoder, Server, shared_path
from test_browser import SHOTS, browser, expect, open_page  # noqa: F401  (the browser fixtures)

from eventcoder.api import create_app

pytestmark = [pytest.mark.slow, pytest.mark.shared]
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@pytest.fixture(scope="module")
def real_store(tmp_path_factory):
    from eventcoder.ingest import read_inputs
    from eventcoder.store import Store, load_coder

    voa = shared_path("voa", "voa_dev.jsonl")
    st = Store(tmp_path_factory.mktemp("real") / "real.duckdb")
    summary = st.ingest(read_inputs([str(SAMPLES), str(voa)]), coder=load_coder())
    assert summary.failed == 0 and st.counts()["events"] > 100
    yield st
    st.close()


@pytest.fixture(scope="module")
def base(real_store):
    app = create_app(real_store, coder=PatternCoder())  # the views only read
    with Server(app) as url:
        yield url


@pytest.fixture
def page(browser, base):
    with open_page(browser, base) as pg:
        yield pg


def api(base, path, **params):
    r = httpx.get(base + path, params=params, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def shot(page, name):
    page.screenshot(path=str(SHOTS / f"real-{name}.png"), full_page=True)


def tick_texts(chart, axis: str) -> list[str]:
    """The tick labels of a Plot chart's x or y axis."""
    return chart.locator(f'g[aria-label="{axis}-axis tick label"] text').evaluate_all(
        "ts => ts.map(t => t.querySelector('tspan') ? Array.from(t.querySelectorAll('tspan'))"
        ".map(s => s.textContent).join('\\n') : t.textContent)")


def vendored_scripts_loaded(page):
    urls = [u for u in page.requests if "/static/vendor/" in u]
    assert any("plot-0.6.17.umd.min.js" in u for u in urls), urls
    assert any("d3-7.9.2.min.js" in u for u in urls), urls
    assert page.evaluate("typeof Plot.plot === 'function' && typeof d3.forceSimulation === 'function'")


# ---------------------------------------------------------------- home
def test_home_shows_events_over_time_top_dyads_and_type_mix(page, base):
    home = api(base, "/ui/api/home")
    page.goto(page.base + "/ui/")
    expect(page.locator("#home-time-chart svg.timechart")).to_have_count(1)
    t = home["over_time"]
    expect(page.locator("#home-time-chart h3")).to_have_text(f"Events per {t['interval']}, all actors")
    expect(page.locator("#home-time-caption")).to_contain_text("1st–99th percentile")
    # one point per period and series: the zero-filled periods are drawn too
    pts = page.locator("#home-time-chart circle.pt")
    assert pts.count() == 3 * len(t["series"])
    assert "0" in tick_texts(page.locator("#home-time-chart"), "y")
    dyads = page.locator("#home-dyads-chart rect.barmark")
    expect(dyads).to_have_count(len(home["top_dyads"]))
    top = home["top_dyads"][0]
    assert dyads.evaluate_all("rs => rs.map(r => r.dataset.label)")[0] == f"{top['a']} – {top['b']}"
    types = page.locator("#home-types-chart rect.barmark")
    expect(types).to_have_count(len(home["types"]))
    assert sum(int(v) for v in types.evaluate_all("rs => rs.map(r => r.dataset.value)")) == \
        sum(r["events"] for r in home["types"])
    vendored_scripts_loaded(page)
    shot(page, "00-home")
    dyads.first.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/ui/dyad\?a={top['a']}&b={top['b']}"))
    expect(page.locator("#dyad-chart svg.timechart")).to_have_count(2)


# ---------------------------------------------------------------- dyad
def test_dyad_series_is_filled_titled_and_normalisable(page, base):
    # the busiest pair whose counted events (occurred, not references) leave empty months between
    for top in api(base, "/ui/api/home")["top_dyads"]:
        a, b = top["a"], top["b"]
        want = api(base, f"/dyads/{a}/{b}/series", interval="month")
        if any(r["events"] == 0 for r in want["series"]):
            break
    page.goto(page.base + f"/ui/dyad?a={a}&b={b}&interval=month")
    chart = page.locator("#dyad-chart .ts").first
    expect(chart.locator("h3")).to_have_text(f"{a} – {b}: events per month by quad class")
    expect(page.locator("#dyad-status")).to_contain_text(f"{want['span']['events']} events between {a} and {b}")
    expect(page.locator("#dyad-status")).to_contain_text("1st–99th percentile")
    # every month of the span is a point of each quad-class line, empty ones at zero
    n = len(want["series"])
    assert n == want["span"]["periods"] and chart.locator("circle.pt").count() == 4 * n
    zeros = sum(1 for r in want["series"] if r["events"] == 0)
    assert zeros > 0  # real news: months without events between these two
    values = chart.locator("circle.pt").evaluate_all("cs => cs.map(c => c.dataset.value)")
    assert values.count("0") >= 4 * zeros
    # whole-number counts on the y axis, readable dates on the x axis, axis labels
    y = tick_texts(chart, "y")
    assert y and all(re.fullmatch(r"\d+", v) for v in y), y
    x = tick_texts(chart, "x")
    assert x and all(re.fullmatch(r"(\d{4}|[A-Z][a-z]{2}(\n\d{4})?)", v) for v in x), x
    assert any(v[:3] in MONTHS or re.fullmatch(r"\d{4}", v) for v in x)
    expect(chart.locator('g[aria-label="y-axis label"]')).to_contain_text("events per month")
    shot(page, "01-dyad")
    # normalised by the articles published each month
    page.get_by_label("Per 100 articles published").check()
    page.get_by_role("button", name="Show the dyad").click()
    chart = page.locator("#dyad-chart .ts").first
    expect(chart.locator("h3")).to_contain_text("per 100 articles published")
    expect(chart.locator('g[aria-label="y-axis label"]')).to_contain_text("events per 100 articles")
    norm = api(base, f"/dyads/{a}/{b}/series", interval="month", normalise="articles")["series"]
    got = chart.locator('circle.pt[data-series="verbal cooperation"]').evaluate_all(
        "cs => cs.map(c => [c.dataset.period, Number(c.dataset.value)])")
    assert got == [[r["period"], r["quad1_per_100_articles"]] for r in norm
                   if r["quad1_per_100_articles"] is not None]
    assert "normalise=articles" in page.url
    shot(page, "02-dyad-per-100-articles")
    # a month's point lists its events
    page.locator("#dyad-chart circle[tabindex='0']").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#dyad-events h2")).to_contain_text(f"Events {a}–{b}, month of")


def test_actor_trend_is_filled(page, base):
    top = api(base, "/ui/api/home")["top_dyads"][0]
    prof = api(base, f"/actors/{top['b']}")
    page.goto(page.base + f"/ui/actors/{top['b']}")
    trend = page.locator("#actor-view .trend")
    expect(trend.locator("h3")).to_have_text(f"{top['b']}: cooperation and conflict per month")
    assert trend.locator("circle.pt").count() == 2 * len(prof["trend"]) == 2 * prof["trend_span"]["periods"]
    expect(trend).to_contain_text("1st–99th percentile")
    assert all(re.fullmatch(r"\d+", v) for v in tick_texts(trend, "y"))
    expect(page.locator("#actor-view svg.barchart")).to_have_count(3)
    shot(page, "03-actor")


# ---------------------------------------------------------------- network
def test_network_defaults_to_countries_and_explains_itself(page, base):
    net = api(base, "/ui/api/network")
    page.goto(page.base + "/ui/network")
    nodes = page.locator("#net-chart g.node")
    expect(nodes).to_have_count(len(net["nodes"]))
    assert net["level"] == "country" and net["auto_min_count"]
    assert len(net["edges"]) <= 60 < net["pairs_total"]
    expect(page.locator("#net-status")).to_contain_text(
        f"{len(net['nodes'])} countries, {len(net['edges'])} pairs with at least {net['min_count']} events")
    expect(page.locator("#net-status")).to_contain_text(f"of the {net['pairs_total']} pairs")
    ids = set(nodes.evaluate_all("gs => gs.map(g => g.dataset.id)"))
    assert ids == {n["id"] for n in net["nodes"]} and all(len(i) == 3 for i in ids)
    # coloured by balance: conflictual and cooperative countries differ
    fills = nodes.locator("circle").evaluate_all("cs => cs.map(c => c.getAttribute('fill'))")
    assert len(set(fills)) >= 3, fills
    by_id = {n["id"]: n for n in net["nodes"]}
    radii = {g: float(r) for g, r in nodes.evaluate_all(
        "gs => gs.map(g => [g.dataset.id, g.querySelector('circle').getAttribute('r')])")}
    big, small = max(by_id.values(), key=lambda n: n["count"]), min(by_id.values(), key=lambda n: n["count"])
    assert radii[big["id"]] > radii[small["id"]]
    legend = page.locator("#net-legend svg")
    for words in ("Node area: events", "Node colour: conflict ↔ cooperation",
                  "Edge width: events of the pair", "Edge colour: mean Goldstein"):
        expect(legend).to_contain_text(words)
    vendored_scripts_loaded(page)
    shot(page, "04-network")
    page.get_by_label("Actors as").select_option("code")
    page.get_by_role("button", name="Draw the network").click()
    expect(page.locator("#net-status")).to_contain_text("actors,")


# ---------------------------------------------------------------- positions
def test_positions_grouped_by_actor(page, base):
    d = api(base, "/ui/api/positions")
    issue = d["issues"][0]["issue"]
    res = api(base, "/ui/api/positions", issue=issue)
    page.goto(page.base + "/ui/positions?issue=" + quote(issue))
    groups = page.locator("#pos-list section.actor-positions")
    expect(groups).to_have_count(len(res["actors"]))
    assert groups.evaluate_all("ss => ss.map(s => s.dataset.actor)") == [g["actor"] for g in res["actors"]]
    marks = page.locator("#pos-chart circle.mark")
    expect(marks).to_have_count(sum(1 for p in res["positions"] if p["date"]))
    rows = tick_texts(page.locator("#pos-chart"), "y")
    assert len(rows) == len(res["actors"])  # one timeline row per resolved actor
    expect(page.locator("#pos-status")).to_contain_text(f"by {res['actors_total']} actors")
    shot(page, "05-positions")


# ---------------------------------------------------------------- explorer
def test_explorer_filters_counts_and_page_jumps(page, base):
    page.goto(page.base + "/ui/events?limit=25")
    total = api(base, "/events", limit=1)["total"]
    expect(page.locator("#events-status")).to_contain_text(f"{total} events match")
    pages = -(-total // 25)
    expect(page.locator("#page-count")).to_have_text(f"of {pages}")
    page.get_by_role("button", name="Last page").click()
    expect(page.locator("#page-info")).to_contain_text(f"Rows {(pages - 1) * 25 + 1}–{total} of {total}")
    page.get_by_label("Go to page").fill("2")
    page.get_by_role("button", name="Go", exact=True).click()
    expect(page.locator("#page-info")).to_have_text(f"Rows 26–50 of {total}")
    page.get_by_role("button", name="First page").click()
    expect(page.locator("#page-info")).to_have_text(f"Rows 1–25 of {total}")
    shot(page, "06-explorer")
    # each filter of GET /events, checked against the API's own total
    cases = [({"Source": "USA"}, {"source": "USA"}), ({"Target": "USA"}, {"target": "USA"}),
             ({"Sector": "MIL"}, {"sector": "MIL"}), ({"CAMEO root": "19"}, {"cameo_root": "19"}),
             ({"Publisher": "voanews.com"}, {"publisher": "voanews.com"}),
             ({"Minimum confidence": "0.6"}, {"min_confidence": "0.6"})]
    for ui, params in cases:
        page.get_by_role("button", name="Clear").click()
        expect(page.locator("#events-status")).to_contain_text(f"{total} events match")
        for label, value in ui.items():
            ctl = page.get_by_label(label, exact=True)
            if ctl.evaluate("c => c.tagName") == "SELECT":
                ctl.select_option(value)
            else:
                ctl.fill(value)
        page.get_by_role("button", name="Apply filters").click()
        want = api(base, "/events", limit=1, **params)["total"]
        assert 0 < want < total, params
        expect(page.locator("#events-status")).to_contain_text(f"{want} events match")
        for k, v in params.items():
            assert f"{k}={quote(v)}" in page.url
    # the source column is the source, the target column the target
    page.get_by_role("button", name="Clear").click()
    expect(page.locator("#events-status")).to_contain_text(f"{total} events match")
    page.get_by_label("Source", exact=True).fill("USA")
    page.get_by_role("button", name="Apply filters").click()
    n_usa = api(base, "/events", limit=1, source="USA")["total"]
    expect(page.locator("#events-status")).to_contain_text(f"{n_usa} events match")
    srcs = page.locator("#events-table tbody td:nth-child(2)").all_inner_texts()
    assert srcs and all(s.startswith("USA") for s in srcs)
    # deduplicated events
    page.get_by_role("button", name="Clear").click()
    expect(page.locator("#events-status")).to_contain_text(f"{total} events match")
    page.get_by_label("One row per deduplicated event").check()
    page.get_by_role("button", name="Apply filters").click()
    uniq = api(base, "/events", limit=1, unique="true")["total"]
    assert uniq < total
    expect(page.locator("#events-status")).to_contain_text(f"{uniq} deduplicated events match")
    shot(page, "07-explorer-deduplicated")


# ---------------------------------------------------------------- CSP and the network
def test_every_chart_page_runs_under_the_csp_offline(page, base):
    """Each page with charts loads, draws, and (open_page asserts) logs no CSP violation and
    sends no request beyond 127.0.0.1."""
    r = httpx.get(base + "/ui/dyad")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "unsafe-eval" not in csp and "unsafe-inline" not in csp
    top = api(base, "/ui/api/home")["top_dyads"][0]
    for path, ready in (("/ui/", "#home-time-chart svg"),
                        (f"/ui/dyad?a={top['a']}&b={top['b']}", "#dyad-chart svg.timechart"),
                        ("/ui/network", "#net-chart g.node"),
                        (f"/ui/actors/{top['a']}", "#actor-view svg.timechart"),
                        ("/ui/map", "#map-chart .points circle")):
        page.goto(page.base + path)
        expect(page.locator(ready).first).to_be_visible()
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__csp") == [], path
        assert page.locator("style").count() == 0  # Plot's inline <style> never reaches the page
    assert page.locator("#map-chart path.country").count() == 177
    assert {u.split("/")[2] for u in page.requests} == {base.split("/")[2]}
    shot(page, "08-map")

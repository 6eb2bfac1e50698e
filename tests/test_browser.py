"""The dashboard in a real browser: Playwright (Python) driving Debian's headless chromium
against a uvicorn server this module starts itself. Every page is checked for console errors,
uncaught exceptions and requests leaving 127.0.0.1 (there must be none: the pages work offline).
Screenshots are saved under artifacts/screenshots/ (git-ignored).

Needs `apt-get install -y chromium` and `pip install playwright` (never `playwright install`).
Without them the tests skip, unless EVENTCODER_REQUIRE_BROWSER=1 (set in CI), which makes a
missing browser a failure instead.
"""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest

from eventcoder.api import create_app
from eventcoder.web import routes

from support import XSS, XSS_ID, XSS_ISSUE, PatternCoder, Server, build_store

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("EVENTCODER_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install playwright)"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"no chromium at {CHROMIUM} (apt-get install -y chromium)"
    return None


_why = _missing()
if _why:
    if os.environ.get("EVENTCODER_REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"browser tests required (EVENTCODER_REQUIRE_BROWSER=1) but {_why}")
    pytest.skip(f"browser tests skipped: {_why}", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    store = build_store(tmp_path_factory.mktemp("browser") / "browser.duckdb")
    app = create_app(store, coder=PatternCoder())
    routes.mount(app)  # a no-op once api.create_app mounts the dashboard itself
    with Server(app) as url:
        yield url
    store.close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


CSP_WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or ""


@contextmanager
def open_page(browser, base_url):
    """A page that records every request, console message, page error, dialog and CSP
    violation; on exit it asserts there were no problems and that every request went to
    127.0.0.1 (or localhost)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    ctx.add_init_script(CSP_WATCH)
    pg = ctx.new_page()
    pg.set_default_timeout(15_000)
    problems: list[str] = []
    requests: list[str] = []
    pg.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
          if m.type in ("error", "warning") else None)
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    pg.on("request", lambda r: requests.append(r.url))

    def offline(route):
        if route.request.url.startswith(base_url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            problems.append(f"network request outside the server: {route.request.url}")
            route.abort()

    pg.route("**/*", offline)
    pg.problems = problems
    pg.requests = requests
    pg.base = base_url
    try:
        yield pg
        if not pg.is_closed():
            csp = pg.evaluate("window.__csp || []")
            assert not csp, f"CSP violations: {csp}"
    finally:
        ctx.close()
    assert not problems, problems
    assert requests, "the page made no request"
    outside = [u for u in requests if not u.startswith("data:")
               and _host(u) not in ("127.0.0.1", "localhost")]
    assert not outside, outside


@pytest.fixture
def page(browser, base_url):
    with open_page(browser, base_url) as pg:
        yield pg


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def no_xss(page) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.evaluate("typeof window.__xss_parent") == "undefined"


# ---------------------------------------------------------------- 1. code an article
def test_paste_an_article_and_see_its_events(page):
    page.goto(page.base + "/ui/code")
    text = ('USAGOV met RUSGOV in Riyadh on 2025-02-18. UKRGOV accused RUSMIL. '
            '"We will keep talking," said USAGOV.')
    page.get_by_label("Article text").fill(text)
    page.get_by_label("Published (resolves relative dates)").fill("2025-02-19")
    page.get_by_role("button", name="Code the article").click()
    expect(page.locator(".event-card")).to_have_count(2)
    expect(page.locator("#code-status")).to_contain_text("2 events coded")
    cards = page.locator(".event-card")
    expect(cards.nth(0)).to_contain_text("CONSULT")
    expect(cards.nth(0)).to_contain_text("040")
    expect(cards.nth(0)).to_contain_text("Riyadh")
    expect(cards.nth(1)).to_contain_text("ACCUSE")
    art = page.locator("#article-text")
    expect(art).to_have_text(text)  # the annotated text is the text, unchanged
    expect(art.locator(".trigger")).to_have_count(2)
    expect(art.locator(".actor.sec-GOV").first).to_be_visible()
    expect(art.locator(".actor.sec-MIL")).to_have_count(1)
    expect(art.locator(".quote")).to_have_count(1)
    assert "USAGOV" in art.locator(".quote").get_attribute("data-label")
    shot(page, "01-code-pasted")
    # upload a file, and store it this time
    page.get_by_label("Article text").fill("")
    page.get_by_label("Or upload a text file").set_input_files(files=[{
        "name": "story.txt", "mimeType": "text/plain",
        "buffer": b"FRAGOV aided UKRGOV in Kyiv. CHNGOV praised FRAGOV."}])
    expect(page.get_by_label("Article text")).to_have_value(
        "FRAGOV aided UKRGOV in Kyiv. CHNGOV praised FRAGOV.")
    expect(page.get_by_label("Title (optional)")).to_have_value("story")
    page.get_by_label("Store the article and its events").check()
    page.get_by_role("button", name="Code the article").click()
    expect(page.locator("#code-stored")).to_contain_text("Stored")
    expect(page.locator(".event-card")).to_have_count(2)
    page.get_by_role("link", name="Permanent article view").click()
    expect(page.locator(".event-card")).to_have_count(2)
    expect(page.locator("#art-title")).to_have_text("story")
    shot(page, "02-code-uploaded-stored")


def test_code_errors_are_shown(page):
    page.goto(page.base + "/ui/code")
    page.get_by_role("button", name="Code the article").click()
    expect(page.locator("#code-error")).to_contain_text("Paste some text")
    page.get_by_label("Article text").fill("FAIL this text")
    page.get_by_role("button", name="Code the article").click()
    expect(page.locator("#code-error")).to_contain_text("could not code the text")
    page.get_by_label("Article text").fill("Nothing happens here.")
    page.get_by_role("button", name="Code the article").click()
    expect(page.locator(".events .empty")).to_have_text("No events were coded in this text.")
    page.problems[:] = [p for p in page.problems if "422" not in p]  # the expected failed POST


# ---------------------------------------------------------------- 7. escaping
def test_injection_strings_never_execute(page):
    page.goto(page.base + "/ui/articles/" + quote(XSS_ID, safe=""))
    expect(page.locator(".event-card")).to_have_count(2)
    stored = page.evaluate("fetch('/articles/' + encodeURIComponent(document.body.dataset.articleId))"
                           ".then(r => r.json()).then(a => a.text)")
    expect(page.locator("#article-text")).to_have_text(stored)
    view = page.locator("#article-view")
    for tag in ("script", "img", "iframe", "b", "textarea"):
        assert view.locator(tag).count() == 0, tag
    assert page.locator("#article-view svg").count() == 0
    expect(page.locator("#art-title")).to_have_text("Injection " + XSS[0] + XSS[1])
    assert page.locator(".meta a").count() == 0  # the javascript: URL is not made a link
    expect(page.locator(".event-card").first).to_contain_text(XSS[1])  # actor name, as text
    expect(page.locator(".quote-list")).to_contain_text(XSS[3])
    expect(page.locator("#article-text .quote")).to_have_count(1)
    no_xss(page)
    shot(page, "03-injection-article")
    # the same strings through the other pages
    page.goto(page.base + "/ui/events?text=" + quote("Riyadh"))
    expect(page.locator("#events-table tbody tr").first).to_be_visible()
    page.goto(page.base + "/ui/events?place=" + quote(XSS[4]))
    expect(page.locator("#events-table tbody tr")).to_have_count(1)
    expect(page.locator("#events-table tbody")).to_contain_text("Injection <script>")
    page.goto(page.base + "/ui/positions?issue=" + quote(XSS_ISSUE))
    expect(page.locator("#pos-list li")).to_have_count(1)
    expect(page.locator("#pos-list")).to_contain_text(XSS[0] + " evidence")
    page.goto(page.base + "/ui/code")
    page.get_by_label("Article text").fill("USAGOV met RUSGOV. " + " ".join(XSS))
    page.get_by_label("Title (optional)").fill(XSS[1])
    page.get_by_role("button", name="Code the article").click()
    expect(page.locator(".event-card")).to_have_count(1)
    expect(page.locator("#art-title")).to_have_text(XSS[1])
    for tag in ("script", "img", "iframe"):
        assert page.locator(f"#article-view {tag}").count() == 0
    page.wait_for_timeout(300)
    no_xss(page)


# ---------------------------------------------------------------- 2. events explorer
def test_filter_sort_page_and_open_the_explorer(page):
    page.goto(page.base + "/ui/events")
    rows = page.locator("#events-table tbody tr")
    expect(rows).to_have_count(50)
    expect(page.locator("#events-status")).to_contain_text("events match")
    page.get_by_label("PLOVER type").select_option("ASSAULT")
    page.get_by_label("Actor code").fill("UKR")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#events-status")).to_contain_text("events match")
    n = rows.count()
    assert 0 < n < 50
    types = rows.locator("td:nth-child(4)").all_inner_texts()
    assert set(types) == {"ASSAULT"}
    assert "plover_type=ASSAULT" in page.url and "actor=UKR" in page.url
    csv_href = page.locator("#csv-link").get_attribute("href")
    assert "plover_type=ASSAULT" in csv_href and "actor=UKR" in csv_href
    with page.expect_download() as dl:
        page.locator("#csv-link").click()
    body = Path(dl.value.path()).read_text(encoding="utf-8").splitlines()
    assert body[0].startswith("event_id,") and len(body) == n + 1
    # sort by Goldstein, ascending, with the keyboard
    page.locator("th[data-sort=goldstein] button").focus()
    page.keyboard.press("Enter")
    expect(page.locator("th[data-sort=goldstein]")).to_have_attribute("aria-sort", "descending")
    page.keyboard.press("Enter")
    expect(page.locator("th[data-sort=goldstein]")).to_have_attribute("aria-sort", "ascending")
    shot(page, "04-explorer-filtered")
    # no match: an empty state
    page.get_by_label("Text").fill("no such words anywhere")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#events-status")).to_have_text("No events match these filters.")
    expect(page.locator("#events-table")).to_be_hidden()
    # a bad value: the API's reason is shown
    page.goto(page.base + "/ui/events?actor=" + quote("U S"))
    expect(page.locator("#events-error")).to_contain_text("actor")
    page.problems[:] = [p for p in page.problems if "400" not in p]
    # paginate, then open an event in its article with the evidence highlighted
    page.goto(page.base + "/ui/events?limit=25")
    expect(rows).to_have_count(25)
    page.get_by_role("button", name="Next page").click()
    expect(page.locator("#page-info")).to_contain_text("Rows 26–50")
    first = rows.first
    sentence = first.locator("td.sentence").inner_text()
    first.locator("td:last-child a").click()
    expect(page.locator("#evidence")).to_be_visible()
    expect(page.locator(".event-card.selected")).to_have_count(1)
    assert sentence.rstrip("…") in page.locator("#article-text").inner_text()
    shot(page, "05-article-evidence")


# ---------------------------------------------------------------- 3. dyad view
def test_dyad_chart_renders_and_lists_a_point(page):
    page.goto(page.base + "/ui/dyad?a=USA&b=RUS&interval=day")
    charts = page.locator("#dyad-chart svg.timechart")
    expect(charts).to_have_count(2)
    pts = page.locator("#dyad-chart circle.pt")
    assert pts.count() >= 5 * 4  # quad-class points and Goldstein points, one per day
    assert charts.nth(0).locator('g[aria-label="line"] path').count() == 4  # one per quad class
    expect(page.locator("#dyad-chart h3").first).to_have_text(
        "USA – RUS: events per day by quad class")
    first_day = page.locator("#dyad-chart circle[tabindex='0']").first
    first_day.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#dyad-events h2")).to_contain_text("Events USA–RUS, day of")
    expect(page.locator("#dyad-events tbody tr").first).to_be_visible()
    shot(page, "06-dyad-usa-rus-day")
    page.get_by_label("Interval").select_option("week")
    page.get_by_role("button", name="Show the dyad").click()
    expect(page.locator("#dyad-status")).to_contain_text("weeks")
    page.locator("#dyad-chart circle[tabindex='0']").first.click()
    expect(page.locator("#dyad-events h2")).to_contain_text("week of")
    page.get_by_label("Actor B").fill("BRA")
    page.get_by_role("button", name="Show the dyad").click()
    expect(page.locator("#dyad-status")).to_have_text("No events between USA and BRA in this period.")
    expect(page.locator("#dyad-figure")).to_be_hidden()


# ---------------------------------------------------------------- 4. network
def test_network_renders_and_a_node_opens_a_profile(page):
    page.goto(page.base + "/ui/network?level=code&min_count=1")
    nodes = page.locator("#net-chart g.node")
    expect(nodes.first).to_be_visible()
    assert nodes.count() >= 5 and page.locator("#net-chart line.edge").count() >= 4
    widths = {float(w) for w in page.locator("#net-chart line.edge").evaluate_all(
        "ls => ls.map(l => l.getAttribute('stroke-width'))")}
    assert len(widths) > 1  # weighted by count
    page.locator("#net-chart g.node[data-id='USAGOV']").click()
    expect(page.locator("#net-profile")).to_contain_text("Top partners")
    expect(page.get_by_role("link", name="Full profile of USAGOV")).to_be_visible()
    shot(page, "07-network")
    page.get_by_label("Minimum events per pair").fill("22")  # only USAGOV-RUSGOV has 22
    page.get_by_role("button", name="Draw the network").click()
    expect(nodes).to_have_count(2)
    page.locator("#net-chart g.node[data-id='USAGOV']").click()
    page.get_by_role("link", name="Full profile of USAGOV").click()
    expect(page.locator("#actor-view")).to_contain_text("Top partners")
    expect(page.locator("#actor-view svg.timechart")).to_have_count(1)
    expect(page.locator("#actor-view svg.barchart")).to_have_count(3)  # the event mix
    shot(page, "08-actor-profile")


# ---------------------------------------------------------------- 5. map
def test_map_renders_offline_with_points(page):
    page.goto(page.base + "/ui/map")
    expect(page.locator("#map-status")).to_contain_text("located events")
    assert page.locator("#map-chart path.country").count() > 150
    pts = page.locator("#map-chart .points circle")
    assert pts.count() >= 1
    quads = set(pts.evaluate_all("cs => cs.map(c => c.getAttribute('data-quad'))"))
    assert len(quads) >= 2  # coloured by quad class
    expect(page.locator("#map-places tbody tr").first).to_be_visible()
    shot(page, "09-map")
    page.get_by_label("Quad class").select_option("4")
    page.get_by_role("button", name="Update the map").click()
    expect(page.locator("#map-status")).to_contain_text("located events")
    assert set(pts.evaluate_all("cs => cs.map(c => c.getAttribute('data-quad'))")) == {"4"}


# ---------------------------------------------------------------- 6. positions
def test_positions_over_time_with_responses(page):
    page.goto(page.base + "/ui/positions")
    expect(page.locator("#pos-status")).to_contain_text("Choose one")
    page.get_by_label("Issue").select_option("ceasefire")
    page.get_by_role("button", name="Show positions").click()
    expect(page.locator("#pos-chart circle.mark")).to_have_count(3)
    expect(page.locator(".proposal")).to_have_count(1)
    expect(page.locator(".proposal .responses li")).to_have_count(2)
    shot(page, "10-positions")


def test_positions_grouped_by_actor_paged_and_truncated(page):
    """"truce" has 25 actors (20 a page); USAGOV alone holds 55 positions (50 are shown)."""
    page.goto(page.base + "/ui/positions?issue=truce")
    groups = page.locator("#pos-list section.actor-positions")
    expect(groups).to_have_count(20)
    status = page.locator("#pos-status")
    expect(status).to_contain_text("79 positions on “truce” by 25 actors; showing actors 1–20 of 25")
    expect(status).to_contain_text("1 actor has more positions than shown (the first 50 each)")
    first = groups.first
    expect(first.locator("h3")).to_have_text("USAGOV (Actor 0): 55 positions (the first 50 shown)")
    expect(first.locator("li")).to_have_count(50)
    expect(page.locator("#pos-chart circle.mark")).to_have_count(50 + 19)
    expect(page.locator("#pos-page-info")).to_have_text("Actors 1–20 of 25")
    shot(page, "11-positions-paged")
    page.get_by_role("button", name="Next actors").click()
    expect(groups).to_have_count(5)
    expect(page.locator("#pos-page-info")).to_have_text("Actors 21–25 of 25")
    expect(page.get_by_role("button", name="Next actors")).to_be_disabled()
    assert "offset=20" in page.url
    page.goto(page.base + "/ui/positions?issue=ceasefire")  # 3 actors: no pager
    expect(page.locator("#pos-list section.actor-positions")).to_have_count(3)
    expect(page.locator("#pos-pager")).to_be_hidden()
    page.goto(page.base + "/ui/positions?issue=truce&offset=20")  # a bookmarked second page
    expect(groups).to_have_count(5)
    page.get_by_role("button", name="Previous actors").click()
    expect(groups).to_have_count(20)
    expect(page.get_by_role("button", name="Previous actors")).to_be_disabled()


def test_explorer_page_jumps(page):
    import httpx

    total = httpx.get(page.base + "/events", params={"limit": 1}).json()["total"]
    pages, last = -(-total // 25), f"Rows {(-(-total // 25) - 1) * 25 + 1}–{total} of {total}"
    assert pages >= 3
    page.goto(page.base + "/ui/events?limit=25")
    expect(page.locator("#page-count")).to_have_text(f"of {pages}")
    page.get_by_role("button", name="Last page").click()
    expect(page.locator("#page-info")).to_have_text(last)
    expect(page.get_by_role("button", name="Next page")).to_be_disabled()
    page.get_by_label("Go to page").fill("3")
    page.keyboard.press("Enter")
    expect(page.locator("#page-info")).to_have_text(f"Rows 51–75 of {total}")
    page.get_by_label("Go to page").fill("99")  # beyond the end: the last page
    page.get_by_role("button", name="Go", exact=True).click()
    expect(page.locator("#page-info")).to_have_text(last)
    page.get_by_role("button", name="First page").click()
    expect(page.locator("#page-info")).to_have_text(f"Rows 1–25 of {total}")
    assert "offset" not in page.url


def test_every_page_is_keyboard_reachable_and_clean(page):
    """Tab reaches the navigation and every form control; home shows the counts."""
    page.goto(page.base + "/ui/")
    expect(page.locator("dd[data-count=events]")).not_to_have_text("0")
    page.keyboard.press("Tab")
    expect(page.locator(".skip")).to_be_focused()
    for path in ("/ui/events", "/ui/map"):
        page.goto(page.base + path)
        seen = set()
        for _ in range(40):
            page.keyboard.press("Tab")
            seen.add(page.evaluate("document.activeElement.id || document.activeElement.name || ''"))
        for ctl in ("f-start", "f-actor", "f-type", "f-text"):
            assert ctl in seen, (path, ctl)
    shot(page, "00-home")

"""The dashboard: server-rendered pages (TestClient) and a headless-chromium run (playwright, @browser)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's notice about httpx
    from fastapi.testclient import TestClient

from diurna.api import create_app
from diurna.web.highlight import highlight

from .conftest import API_ARABIC, api_extractions, serve_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ALL = api_extractions()
CAIRO, BORDER = ALL[0], ALL[1]


@pytest.fixture
def client(api_store_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(api_store_url)) as c:
        yield c


# ------------------------------------------------------------------------------------------ server side


def test_pages_render(client: TestClient) -> None:
    hezbollah = next(n for n in BORDER.entities if n.name == "Hezbollah")
    for path in ("/", "/events", "/events?type=AID&since=2024-01-02", "/map", "/map?type=PROTEST", "/dyads/EGY/SDN",
                 f"/articles/{CAIRO.id}", f"/articles/{BORDER.id}", f"/entities/{hezbollah.id}"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
        assert "<script>" not in response.text  # no inline script anywhere
    assert client.get("/dyads", params={"a": "egy", "b": "sdn"}, follow_redirects=False).headers["location"] == (
        "/dyads/EGY/SDN"
    )


def test_missing_items_are_404_pages(client: TestClient) -> None:
    for path in ("/articles/nope", "/entities/nope"):
        response = client.get(path)
        assert response.status_code == 404 and "No such" in response.text


def test_bad_filters_are_shown_not_raised(client: TestClient) -> None:
    for params in ({"since": "soon"}, {"type": "NOPE"}, {"cursor": "garbage"}):
        response = client.get("/events", params=params)
        assert response.status_code == 422 and 'class="error"' in response.text


def test_stored_text_is_escaped(client: TestClient) -> None:
    aid = ALL[2]
    page = client.get(f"/articles/{aid.id}").text
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    border = client.get(f"/articles/{BORDER.id}").text
    assert "javascript:alert" not in border  # a non-http article url is never linked


def test_events_page_filters_and_csv_link(client: TestClient) -> None:
    page = client.get("/events", params={"type": "AID", "actor_country": "EGY"}).text
    assert page.count('data-event-type="AID"') == 7 and 'data-event-type="PROTEST"' not in page
    assert 'href="/api/v1/events?type=AID&amp;actor_country=EGY&amp;format=csv&amp;limit=500"' in page
    csv_text = client.get("/api/v1/events?type=AID&actor_country=EGY&format=csv&limit=500").text
    assert len(csv_text.strip().splitlines()) == 8


def test_plotly_is_served_locally(client: TestClient) -> None:
    response = client.get("/static/vendor/plotly.min.js")
    assert response.status_code == 200 and "javascript" in response.headers["content-type"]
    assert len(response.content) > 1_000_000


def test_world_outlines_are_shipped(client: TestClient) -> None:
    response = client.get("/static/world.geojson")
    assert response.status_code == 200
    assert len(response.content) <= 1_500_000
    world = response.json()
    ids = [f["id"] for f in world["features"]]
    assert len(ids) == len(set(ids)) == 177
    assert all(len(i) == 3 and i.isupper() for i in ids)
    assert {"EGY", "SDN", "USA", "FRA", "NOR", "ISR", "LBN"} <= set(ids)
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in world["features"])
    page = client.get("/map").text
    assert 'data-world="/static/world.geojson"' in page


def test_highlight_nests_and_escapes() -> None:
    html = str(highlight(BORDER))
    assert html.count("<span") == html.count("</span>")
    assert f'dir="rtl" lang="ar">{API_ARABIC[:5]}' in html
    assert 'data-kind="quote"' in html and 'data-kind="post"' in html
    bare = CAIRO.model_copy(update={"events": [], "entities": [], "places": [], "segments": []})
    assert str(highlight(bare)) == CAIRO.text.replace("'", "&#39;")


def test_highlight_handles_crossing_spans() -> None:
    from diurna.records import Extraction, Quote

    x = Extraction(id="x", text="<b>abcdef</b>", coder="t", quotes=[
        Quote(id="q1", text="abcd", start=3, end=7), Quote(id="q2", text="cdef", start=5, end=9),
    ])
    html = str(highlight(x))
    assert html.startswith("&lt;b&gt;") and html.count("<span") == html.count("</span>") == 3
    assert "hl-cont" in html


# ------------------------------------------------------------------------------------------ browser


@pytest.fixture
def live_url(api_store_url: str) -> Iterator[str]:
    with serve_app(create_app(api_store_url)) as base:
        yield base


@pytest.mark.browser
def test_dashboard_in_headless_chromium(live_url: str, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    problems: list[str] = []
    outside: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            # no network: anything that is not the app under test is refused and recorded
            def only_local(route, request) -> None:  # type: ignore[no-untyped-def]
                if request.url.startswith(live_url):
                    route.continue_()
                else:
                    outside.append(request.url)
                    route.abort()

            page.route("**/*", only_local)
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))

            # events page: changing the type filter submits the form and narrows the table
            page.goto(f"{live_url}/events")
            assert page.locator("tr.ev-row").count() == 12
            with page.expect_navigation():
                page.select_option("#f-type", "AID")
            assert "type=AID" in page.url
            rows = page.locator("tr.ev-row")
            assert rows.count() == 7
            assert set(rows.evaluate_all("rs => rs.map(r => r.dataset.eventType)")) == {"AID"}
            assert "format=csv" in (page.get_attribute("#csv-download", "href") or "")
            page.screenshot(path=str(tmp_path / "events.png"), full_page=True)

            # article page: records highlighted at their offsets, Arabic right-to-left
            page.goto(f"{live_url}/articles/{CAIRO.id}")
            shoukry = next(n for n in CAIRO.entities if n.name == "Sameh Shoukry")
            assert page.locator(f'span.hl-entity[data-ann="ent-{shoukry.id}"]').inner_text() == "Sameh Shoukry"
            assert page.locator("#article-text span.hl-place").all_inner_texts() == ["Cairo", "Cairo"]
            assert page.locator("#article-text span.hl-event").all_inner_texts() == ["Protesters", "accused", "met"]
            page.locator('li.rec[data-target^="ent-"]').nth(2).click()
            assert page.locator("span.hl.active").all_inner_texts() == ["Sameh Shoukry"]
            page.screenshot(path=str(tmp_path / "article.png"), full_page=True)

            page.goto(f"{live_url}/articles/{BORDER.id}")
            rtl = page.locator('span.hl-segment[dir="rtl"]')
            assert rtl.inner_text() == API_ARABIC
            assert page.locator("#article-text span.hl-quote").inner_text() == "We will respond to any attack"
            assert rtl.evaluate("n => getComputedStyle(n).direction") == "rtl"
            page.screenshot(path=str(tmp_path / "article-arabic.png"), full_page=True)

            # dyad page: plotly draws, a click lists the events behind the point
            page.goto(f"{live_url}/dyads/EGY/SDN?interval=day")
            page.wait_for_selector("#dyad-quads .main-svg", timeout=20_000)
            page.wait_for_selector("#period-events tbody tr", timeout=10_000)
            assert page.locator("#period-events tbody tr").count() == 1
            page.screenshot(path=str(tmp_path / "dyad.png"), full_page=True)

            # map page
            page.goto(f"{live_url}/map")
            page.wait_for_selector("#map .main-svg", timeout=20_000)
            page.wait_for_function("document.getElementById('map-status').textContent.includes('located')")
            assert "unavailable" not in page.inner_text("#map-status")
            # country outlines from the shipped GeoJSON: one filled line trace under the event points
            assert page.get_attribute("#map", "data-countries") == "177"
            outline = page.locator("#map .scatterlayer .trace").first.locator("path.js-line")
            assert outline.count() > 150  # a path per ring of the ~180 countries
            assert sum(len(d) for d in outline.evaluate_all("ps => ps.map(p => p.getAttribute('d'))")) > 20_000
            assert page.locator("#map .scatterlayer .trace").count() >= 2  # outlines + event points
            page.screenshot(path=str(tmp_path / "map.png"), full_page=True)

            page.goto(f"{live_url}/")
            page.screenshot(path=str(tmp_path / "home.png"), full_page=True)
        finally:
            browser.close()
    assert not problems, problems
    assert not outside, outside
    assert (tmp_path / "article.png").stat().st_size > 10_000

"""API and dashboard security: tokens on writes (and optionally reads), body and page caps, SQL injection
through every filter and search field, escaping in a real browser, CORS and security headers."""

from __future__ import annotations

import hmac
import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's notice about httpx
    from fastapi.testclient import TestClient

from diurna.api import create_app, security
from diurna.config import Settings
from diurna.records import Extraction, Segment, content_id
from diurna.store import open_store, schema

from .conftest import api_article_cairo, api_extractions, serve_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

TOKEN = "t0ken-with-enough-entropy-4f9a1c"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CAIRO = api_article_cairo()
INJECTIONS = [
    "' OR '1'='1", "' OR 1=1 --", "'; DROP TABLE events; --", '" OR ""="', "%' OR '%'='", "1) OR (1=1",
    "' UNION SELECT id, text, 1, 1 FROM articles --", "\\", "%", "_", "*", "EGY' --", "1; SELECT pg_sleep(3)",
    "$1", "?", ":name", "x' AND (SELECT count(*) FROM sqlite_master) > 0 --",
]
OK_STATUSES = {200, 401, 404, 422}


def _table_dump(url: str) -> dict[str, list[tuple]]:
    with open_store(url) as store, store.engine.connect() as conn:
        return {t.name: sorted(map(tuple, conn.execute(sa.select(t)).all()), key=repr) for t in schema.TABLES}


@pytest.fixture
def settings() -> Settings:
    return Settings(api_token=TOKEN)


@pytest.fixture
def client(api_store_url: str, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(api_store_url, settings)) as c:
        yield c


# ------------------------------------------------------------------------------------------ tokens


def test_writes_need_the_token(client: TestClient) -> None:
    url = f"/api/v1/articles/{CAIRO.id}"
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                    {"Authorization": f"Bearer {TOKEN}x"}, {"Authorization": f"Bearer {TOKEN[:-1]}"},
                    {"Authorization": "Bearer"}, {"X-Api-Token": TOKEN}):
        for response in (client.delete(url, headers=headers),
                         client.post("/api/v1/articles", json={"text": "x"}, headers=headers)):
            assert response.status_code == 401, (headers, response.text)
            assert response.headers["www-authenticate"].startswith("Bearer")
    assert client.get(url).status_code == 200  # nothing was deleted
    assert client.delete(url, headers=AUTH).status_code == 204
    assert client.get(url).status_code == 404
    assert client.delete(url, headers=AUTH).status_code == 404


def test_writes_are_refused_without_a_configured_token(api_store_url: str) -> None:
    with TestClient(create_app(api_store_url, Settings(api_token=None))) as c:
        for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": "Bearer None"}):
            response = c.delete(f"/api/v1/articles/{CAIRO.id}", headers=headers)
            assert response.status_code in (401, 403) and "api_token" in c.delete(
                f"/api/v1/articles/{CAIRO.id}").json()["detail"]
        assert c.get(f"/api/v1/articles/{CAIRO.id}").status_code == 200


def test_token_compare_is_constant_time(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    original = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return original(a, b)

    monkeypatch.setattr(security.hmac, "compare_digest", spy)
    assert client.delete("/api/v1/articles/nope", headers={"Authorization": "Bearer guess"}).status_code == 401
    assert calls == [(b"guess", TOKEN.encode())]
    assert not security.token_matches("", "") and not security.token_matches(None, TOKEN)


def test_reads_are_public_by_default_and_can_need_the_token(api_store_url: str) -> None:
    with TestClient(create_app(api_store_url, Settings(api_token=TOKEN))) as c:
        assert c.get("/api/v1/events").status_code == 200 and c.get("/").status_code == 200
    strict = Settings(api_token=TOKEN, api_read_token_required=True)
    with TestClient(create_app(api_store_url, strict)) as c:
        for path in ("/api/v1/events", "/api/v1/overview", f"/api/v1/articles/{CAIRO.id}",
                     "/api/v1/dyads/EGY/USA/timeline", "/", "/events", f"/articles/{CAIRO.id}", "/map"):
            denied = c.get(path)
            assert denied.status_code == 401, path
            assert "Sameh" not in denied.text and denied.headers["x-content-type-options"] == "nosniff"
            assert c.get(path, headers={"Authorization": "Bearer nope"}).status_code == 401, path
            assert c.get(path, headers=AUTH).status_code == 200, path
        assert c.get("/static/diurna.css").status_code == 200  # no data in static files
        assert c.get("/openapi.json").status_code == 200


def test_read_token_without_a_token_is_a_configuration_error(api_store_url: str) -> None:
    with pytest.raises(ValueError, match="DIURNA_API_TOKEN"):
        create_app(api_store_url, Settings(api_read_token_required=True))


def test_settings_come_from_the_environment(api_store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIURNA_API_TOKEN", TOKEN)
    monkeypatch.setenv("DIURNA_API_MAX_BODY_BYTES", "100")
    with TestClient(create_app(api_store_url)) as c:
        assert c.delete("/api/v1/articles/nope", headers=AUTH).status_code == 404
        assert c.post("/api/v1/articles", json={"text": "x" * 200}, headers=AUTH).status_code == 413


# ------------------------------------------------------------------------------------------ caps


def test_request_bodies_are_capped(api_store_url: str) -> None:
    with TestClient(create_app(api_store_url, Settings(api_token=TOKEN, api_max_body_bytes=1000))) as c:
        big = json.dumps({"text": "x" * 2000})
        response = c.post("/api/v1/articles", content=big, headers={**AUTH, "Content-Type": "application/json"})
        assert response.status_code == 413 and "api_max_body_bytes" in response.json()["detail"]
        assert response.headers["content-security-policy"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
            for _ in range(10):
                yield b"x" * 500

        streamed = c.post("/api/v1/articles", content=chunks(), headers={**AUTH, "Content-Type": "application/json"})
        assert streamed.status_code == 413
        # an unauthenticated big body is refused before anything reads it too
        assert c.post("/api/v1/articles", content=big).status_code == 413
        assert c.post("/api/v1/articles", content=b"{", headers={**AUTH, "Content-Type": "application/json"}
                      ).status_code == 422


def test_page_size_is_capped(client: TestClient) -> None:
    assert len(client.get("/api/v1/events", params={"limit": 10**9}).json()["items"]) <= 500
    for bad in (0, -1, "many", "1e3", ""):
        assert client.get("/api/v1/events", params={"limit": bad}).status_code == 422


def test_ingest_limits_items_per_request(client: TestClient) -> None:
    too_many = [{"text": f"article {i}"} for i in range(101)]
    assert client.post("/api/v1/articles", json=too_many, headers=AUTH).status_code == 422
    assert client.post("/api/v1/articles", json=[], headers=AUTH).status_code == 422
    assert client.post("/api/v1/articles", json={"title": "no text"}, headers=AUTH).status_code == 422


# ------------------------------------------------------------------------------------------ ingest


def test_ingest_codes_stores_and_reports_per_item(api_store_url: str, pipeline: Any) -> None:
    settings = Settings(api_token=TOKEN, max_article_chars=5000)
    app = create_app(api_store_url, settings, pipeline=pipeline)
    good = {"text": "Egypt sent humanitarian aid to Sudan on Monday, officials said.", "date": "2024-06-03",
            "title": "Aid <b>convoy</b>", "id": "api-aid-1"}
    items = [good, {"text": "Russia condemned Ukraine.", "date": "03/06/2024"}, {"text": "y" * 6000},
             {"text": "   \u200b  "}, good]
    with TestClient(app) as c:
        response = c.post("/api/v1/articles", json=items, headers=AUTH)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["stored"] == ["api-aid-1"] and body["already_stored"] == ["api-aid-1"]
        assert {f["index"]: f["code"] for f in body["failures"]} == {1: "E007", 2: "E008", 3: "E006"}
        assert "limit 5000" in body["failures"][1]["reason"]
        stored = c.get("/api/v1/articles/api-aid-1").json()
        assert stored["title"] == "Aid <b>convoy</b>" and stored["events"]
        assert any(e["event_type"] == "AID" for e in stored["events"])
        again = c.post("/api/v1/articles", json=good, headers=AUTH).json()
        assert again["stored"] == [] and again["already_stored"] == ["api-aid-1"]
        assert c.delete("/api/v1/articles/api-aid-1", headers=AUTH).status_code == 204
    with open_store(api_store_url) as store, store.engine.connect() as conn:
        for table in (schema.events, schema.quotes, schema.article_entities, schema.segments):
            assert not conn.execute(sa.select(table).where(table.c.article_id == "api-aid-1")).first()
        ea = schema.event_actors
        orphans = sa.select(ea).where(~ea.c.event_id.in_(sa.select(schema.events.c.id)))
        assert not conn.execute(orphans).first()


# ------------------------------------------------------------------------------------------ SQL injection


def _get_operations(client: TestClient) -> list[tuple[str, list[dict[str, Any]]]]:
    spec = client.get("/openapi.json").json()
    return [(path, op.get("parameters", [])) for path, ops in spec["paths"].items() for m, op in ops.items()
            if m == "get"]


def test_injection_strings_in_every_filter_and_search_field(client: TestClient, api_store_url: str) -> None:
    before = _table_dump(api_store_url)
    operations = _get_operations(client)
    assert len(operations) >= 8
    tried = 0
    for path, params in operations:
        path_params = {p["name"]: "EGY" for p in params if p["in"] == "path"}
        for param in params:
            for attack in INJECTIONS:
                values = dict(path_params)
                query: dict[str, str] = {}
                if param["in"] == "path":
                    values[param["name"]] = attack.replace("/", "")
                else:
                    query[param["name"]] = attack
                url = path.format(**{k: v.replace("?", "%3F").replace("%", "%25").replace("#", "%23")
                                     for k, v in values.items()}) if values else path
                response = client.get(url, params=query)
                tried += 1
                assert response.status_code in OK_STATUSES, (url, query, response.status_code, response.text[:300])
                if response.status_code == 200 and param["name"] in ("q", "speaker_name") and attack.startswith("'"):
                    assert response.json()["items"] == [], (path, attack)  # a literal search, not a condition
    # the dashboard's filters too
    for field in ("type", "actor_country", "actor_sector", "recipient_country", "country", "entity", "since", "cursor"):
        for attack in INJECTIONS:
            for page in ("/events", "/map"):
                response = client.get(page, params={field: attack})
                assert response.status_code in OK_STATUSES, (page, field, attack)
    for attack in INJECTIONS:
        for page in (f"/articles/{attack}", f"/entities/{attack}", "/dyads"):
            response = client.get(page.replace("?", "%3F").replace("#", "%23"), params={"a": attack, "b": "EGY"})
            assert response.status_code in OK_STATUSES | {303}, (page, attack)
        assert client.delete(f"/api/v1/articles/{attack.replace('?', '%3F').replace('#', '%23')}",
                             headers=AUTH).status_code in (404, 405, 422)
    assert tried > 500
    assert _table_dump(api_store_url) == before


def test_search_terms_are_matched_literally(client: TestClient) -> None:
    assert client.get("/api/v1/articles", params={"q": "%"}).json()["items"] == []
    assert client.get("/api/v1/articles", params={"q": "_"}).json()["items"] == []
    assert len(client.get("/api/v1/articles", params={"q": "Cairo"}).json()["items"]) == 1


# ------------------------------------------------------------------------------------------ headers, CORS


def test_security_headers_on_every_kind_of_response(client: TestClient) -> None:
    for method, path in (("get", "/"), ("get", "/api/v1/events"), ("get", "/api/v1/articles/nope"),
                         ("get", "/static/diurna.js"), ("get", "/events?since=bad"), ("delete", "/api/v1/articles/x"),
                         ("get", "/openapi.json")):
        response = getattr(client, method)(path)
        csp = response.headers["content-security-policy"]
        script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, path
        assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert response.headers["referrer-policy"] == "no-referrer", path


def test_cors_is_off_by_default(client: TestClient) -> None:
    origin = {"Origin": "https://evil.example"}
    assert "access-control-allow-origin" not in client.get("/api/v1/events", headers=origin).headers
    preflight = client.options("/api/v1/articles", headers={**origin, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_allows_only_the_configured_origins(api_store_url: str) -> None:
    settings = Settings(api_token=TOKEN, api_cors_origins=["https://news.example"])
    with TestClient(create_app(api_store_url, settings)) as c:
        ok = c.get("/api/v1/events", headers={"Origin": "https://news.example"})
        assert ok.headers["access-control-allow-origin"] == "https://news.example"
        assert "access-control-allow-credentials" not in ok.headers
        assert "access-control-allow-origin" not in c.get("/api/v1/events",
                                                          headers={"Origin": "https://evil.example"}).headers


# ------------------------------------------------------------------------------------------ browser: XSS

XSS_TITLE = 'Breaking <script>window.__pwned = "title"</script>"><img src=x onerror="window.__pwned=\'img\'">'
XSS_TEXT = ('Egypt sent aid to Sudan <script>window.__pwned = "text"; alert(1)</script> on Monday. '
            '"><img src=x onerror="window.__pwned=\'img2\';alert(2)"> and <svg onload="window.__pwned=3"></svg> '
            "javascript:alert(4) end.")


def xss_extraction() -> Extraction:
    aid = content_id("article", XSS_TEXT)
    return Extraction(id=aid, date="2024-02-02", title=XSS_TITLE, text=XSS_TEXT, url='javascript:alert("u")',
                      source='<img src=x onerror="window.__pwned=5">', languages=["en"],
                      segments=[Segment(start=0, end=len(XSS_TEXT), script="latin", language="en")], coder="rules-0.1")


@pytest.fixture
def xss_live_url(store_url: str) -> Iterator[str]:
    with open_store(store_url) as store:
        store.write([*api_extractions(), xss_extraction()])
    with serve_app(create_app(store_url, Settings())) as base:
        yield base


@pytest.mark.browser
def test_dashboard_shows_hostile_text_literally_and_runs_none_of_it(xss_live_url: str) -> None:
    from .test_dashboard import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    x = xss_extraction()
    dialogs: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            for path in (f"/articles/{x.id}", "/", "/events", f"/api/v1/articles/{x.id}"):
                page.goto(f"{xss_live_url}{path}")
                page.wait_for_load_state("load")
                page.wait_for_timeout(300)
                assert page.evaluate("typeof window.__pwned") == "undefined", path
                assert page.locator("img[src='x']").count() == 0, path
                assert page.locator("svg[onload]").count() == 0, path
            page.goto(f"{xss_live_url}/articles/{x.id}")
            assert page.locator("#article-text").inner_text().strip() == XSS_TEXT
            assert XSS_TITLE in page.locator("h1").first.inner_text()
            assert page.locator("a[href^='javascript:']").count() == 0
        finally:
            browser.close()
    assert dialogs == []


def test_hostile_text_is_escaped_server_side(store_url: str) -> None:
    with open_store(store_url) as store:
        store.write([xss_extraction()])
    with TestClient(create_app(store_url, Settings())) as c:
        html = c.get(f"/articles/{xss_extraction().id}").text
    assert "<script>window" not in html and "<img src=x" not in html and "<svg onload" not in html
    assert "&lt;script&gt;window.__pwned" in html


def test_path_of_this_file_is_in_the_docs() -> None:
    docs = Path(__file__).resolve().parents[1] / "docs" / "security.md"
    text = docs.read_text(encoding="utf-8")
    for name in ("DIURNA_API_TOKEN", "api_read_token_required", "api_max_body_bytes", "api_cors_origins",
                 "Content-Security-Policy", "compare_digest"):
        assert name in text

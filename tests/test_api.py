"""The HTTP API on SQLite and (with DIURNA_TEST_POSTGRES_URL) PostgreSQL, over hand-built extractions."""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
from collections.abc import Iterator
from urllib.parse import quote

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's notice about httpx
    from fastapi.testclient import TestClient

from diurna.api import create_app
from diurna.records import Extraction

from .conftest import API_AID_ARTICLES, API_ARABIC, API_ARABIC_NAME, api_extractions

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

ALL = api_extractions()
CAIRO, BORDER = ALL[0], ALL[1]
ALL_EVENTS = [(x.id, e) for x in ALL for e in x.events]
NOT_NEGATED = [(a, e) for a, e in ALL_EVENTS if "negation" not in e.aux]
LINK_RE = re.compile(r'^<([^>]+)>; rel="next"$')


@pytest.fixture
def client(api_store_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(api_store_url)) as c:
        yield c


def ids(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def event_ids(client: TestClient, **params: object) -> set[str]:
    return set(ids(client.get("/api/v1/events", params={"limit": 500, **params})))


def walk(client: TestClient, url: str) -> tuple[list[str], int]:
    """Follow Link rel=next from url; (every id seen, pages)."""
    seen: list[str] = []
    pages = 0
    while url:
        response = client.get(url)
        pages += 1
        seen.extend(ids(response))
        link = response.headers.get("link")
        body_next = response.json()["next"]
        if link is None:
            assert body_next is None
            break
        match = LINK_RE.match(link)
        assert match, link
        assert f"cursor={body_next}" in match.group(1)
        url = match.group(1)
        assert pages < 100
    return seen, pages


# ------------------------------------------------------------------------------------------ events


def test_events_lists_every_non_negated_event_newest_first(client: TestClient) -> None:
    response = client.get("/api/v1/events")
    got = ids(response)
    assert set(got) == {e.id for _, e in NOT_NEGATED}
    dates = [item["date"] for item in response.json()["items"]]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated, reverse=True)
    assert dates[-1] is None  # the undated event comes last
    item = next(i for i in response.json()["items"] if i["event_type"] == "CONSULT" and i["date"])
    assert item["article_id"] == CAIRO.id
    assert item["actor"][0]["entity_name"] == "Sameh Shoukry"
    assert response.headers["content-type"].startswith("application/json")


def test_negated_events_only_when_asked(client: TestClient) -> None:
    negated = {e.id for _, e in ALL_EVENTS if "negation" in e.aux}
    assert negated and not negated & event_ids(client)
    assert negated <= event_ids(client, include_negated="true")
    assert event_ids(client, include_negated="true") == {e.id for _, e in ALL_EVENTS}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "AID"}, lambda a, e: e.event_type == "AID"),
        ({"type": ["PROTEST", "ACCUSE"]}, lambda a, e: e.event_type in ("PROTEST", "ACCUSE")),
        ({"type": "consult"}, lambda a, e: e.event_type == "CONSULT"),
        ({"mode": "allege"}, lambda a, e: "allege" in e.mode),
        ({"context": "corruption"}, lambda a, e: "corruption" in e.context),
        ({"context": "diplomatic"}, lambda a, e: "diplomatic" in e.context),
        ({"actor_country": "egy"}, lambda a, e: any(r.country_code == "EGY" for r in e.actor)),
        ({"actor_sector": "CVL"}, lambda a, e: any(r.sector_code == "CVL" for r in e.actor)),
        ({"recipient_country": "USA"}, lambda a, e: any(r.country_code == "USA" for r in e.recipient)),
        ({"recipient_sector": "GOV"}, lambda a, e: any(r.sector_code == "GOV" for r in e.recipient)),
        ({"actor_country": "EGY", "recipient_country": "SDN"}, lambda a, e: e.event_type == "AID"),
        ({"place": CAIRO.places[0].id}, lambda a, e: e.location is not None and e.location.name == "Cairo"),
        ({"country": "EG"}, lambda a, e: e.location is not None and e.location.country_code == "EG"),
        ({"article": BORDER.id}, lambda a, e: a == BORDER.id),
        ({"since": "2024-03-01"}, lambda a, e: e.date is not None and e.date >= "2024-03-01"),
        ({"until": "2024-01-03"}, lambda a, e: e.date is not None and e.date <= "2024-01-03"),
        ({"since": "2024-01-02", "until": "2024-01-04"},
         lambda a, e: e.date and "2024-01-02" <= e.date <= "2024-01-04"),
    ],
)
def test_event_filters(client: TestClient, params: dict[str, object], expected) -> None:  # type: ignore[no-untyped-def]
    want = {e.id for a, e in NOT_NEGATED if expected(a, e)}
    assert want, "the filter should match something"
    assert event_ids(client, **params) == want


def test_event_filter_by_entity_any_role(client: TestClient) -> None:
    hezbollah = next(n for n in BORDER.entities if n.name == "Hezbollah")
    assert event_ids(client, entity=hezbollah.id) == {e.id for e in BORDER.events if e.event_type == "THREATEN"}
    israel = next(n for n in BORDER.entities if n.name == "Israel")
    assert event_ids(client, entity=israel.id) == {e.id for e in BORDER.events if e.event_type == "THREATEN"}
    assert event_ids(client, entity=israel.id, include_negated="true") == {
        e.id for e in BORDER.events if e.event_type in ("THREATEN", "ASSAULT")
    }


def test_event_filter_errors_are_422(client: TestClient) -> None:
    for params in ({"type": "NOPE"}, {"since": "2024-13"}, {"until": "yesterday"}, {"limit": 0},
                   {"format": "xml"}, {"include_negated": "maybe"}, {"cursor": "not-a-cursor"}):
        assert client.get("/api/v1/events", params=params).status_code == 422, params


def test_events_pagination_follows_link_header(client: TestClient) -> None:
    everything = ids(client.get("/api/v1/events", params={"limit": 500, "include_negated": "true"}))
    seen, pages = walk(client, "/api/v1/events?limit=2&include_negated=true")
    assert seen == everything
    assert pages == (len(everything) + 1) // 2
    # a filtered walk keeps its filters on every page
    seen, pages = walk(client, "/api/v1/events?limit=3&type=AID")
    assert len(seen) == len(set(seen)) == API_AID_ARTICLES and pages == 3
    # and page boundaries may fall between dated and undated events
    for size in (1, 4, 5, 6):
        assert walk(client, f"/api/v1/events?limit={size}")[0] == ids(client.get("/api/v1/events"))


def test_page_size_is_capped(client: TestClient) -> None:
    response = client.get("/api/v1/events", params={"limit": 10**9})
    assert response.status_code == 200 and len(response.json()["items"]) <= 500
    assert client.get("/api/v1/events", params={"limit": -1}).status_code == 422
    assert len(client.get("/api/v1/events").json()["items"]) == len(NOT_NEGATED)  # under the default 50


def test_cursor_of_another_listing_is_refused(client: TestClient) -> None:
    token = client.get("/api/v1/articles", params={"limit": 1}).json()["next"]
    assert token
    assert client.get("/api/v1/events", params={"cursor": token}).status_code == 422


def test_events_csv(client: TestClient) -> None:
    response = client.get("/api/v1/events", params={"format": "csv", "type": "AID", "limit": 3})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'rel="next"' in response.headers["link"] and "format=csv" in response.headers["link"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 3 and {r["event_type"] for r in rows} == {"AID"}
    assert rows[0]["actor_country"] == "EGY" and rows[0]["recipient_name"] == "Sudan"


def test_events_jsonl(client: TestClient) -> None:
    response = client.get("/api/v1/events", params={"format": "jsonl"})
    assert response.status_code == 200
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert {line["id"] for line in lines} == {e.id for _, e in NOT_NEGATED}
    assert all("article_id" in line for line in lines)


def test_events_geojson_has_only_located_events(client: TestClient) -> None:
    response = client.get("/api/v1/events", params={"format": "geojson", "include_negated": "true"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    located = {e.id for _, e in ALL_EVENTS if e.location is not None and e.location.lat is not None}
    assert {f["id"] for f in body["features"]} == located
    cairo = next(f for f in body["features"] if f["properties"]["place"] == "Cairo")
    assert cairo["geometry"] == {"type": "Point", "coordinates": [31.24967, 30.06263]}


# ------------------------------------------------------------------------------------------ articles


def test_articles_list_search_and_dates(client: TestClient) -> None:
    assert set(ids(client.get("/api/v1/articles"))) == {x.id for x in ALL}
    assert ids(client.get("/api/v1/articles", params={"q": "shoukry HOCHSTEIN"})) == [CAIRO.id]
    assert ids(client.get("/api/v1/articles", params={"q": "Hezbollah"})) == [BORDER.id]
    assert ids(client.get("/api/v1/articles", params={"q": API_ARABIC_NAME})) == [BORDER.id]
    assert ids(client.get("/api/v1/articles", params={"q": "talks"})) == [CAIRO.id]  # title
    assert ids(client.get("/api/v1/articles", params={"q": "Shoukry nothere"})) == []
    assert ids(client.get("/api/v1/articles", params={"q": "100%"})) == []
    assert set(ids(client.get("/api/v1/articles", params={"since": "2024-03-01"}))) == {CAIRO.id, BORDER.id}
    assert len(ids(client.get("/api/v1/articles", params={"until": "2024-01-31"}))) == API_AID_ARTICLES
    item = client.get("/api/v1/articles", params={"q": "Shoukry"}).json()["items"][0]
    assert item["events"] == 3 and item["title"] == CAIRO.title


def test_articles_full_text_search(client: TestClient) -> None:
    def q(text: str) -> list[str]:
        return ids(client.get("/api/v1/articles", params={"q": text}))

    # every term must start a word (prefix), case-insensitively, in any script
    assert q("shouk hochst") == [CAIRO.id]
    assert q("HEZB") == [BORDER.id]
    assert q(API_ARABIC_NAME[:3]) == [BORDER.id]  # Arabic prefix: "بير" of "بيروت"
    arabic_words = API_ARABIC.split()
    assert q(arabic_words[0]) == [BORDER.id]  # a whole Arabic word
    assert q(f"{arabic_words[0][:4]} {API_ARABIC_NAME}") == [BORDER.id]
    assert q("oukry") == []  # the middle of a word is not a word start
    assert q(f"{API_ARABIC_NAME} Shoukry") == []  # terms are ANDed
    # terms that full text cannot express fall back to a substring match
    assert q("%") == [] and q("--") == []
    # quotes, SQL/FTS syntax in the input is data
    for nasty in ('"', "'", "*", "NEAR(", "a OR b", "x:*", "!", "&|", "-"):
        assert client.get("/api/v1/articles", params={"q": nasty}).status_code == 200
        assert client.get("/api/v1/quotes", params={"q": nasty}).status_code == 200


def test_articles_pagination(client: TestClient) -> None:
    seen, pages = walk(client, "/api/v1/articles?limit=4")
    assert sorted(seen) == sorted(x.id for x in ALL) and pages == 3


def test_article_returns_the_full_extraction(client: TestClient) -> None:
    for x in (CAIRO, BORDER):
        response = client.get(f"/api/v1/articles/{x.id}")
        assert response.status_code == 200
        assert Extraction.model_validate(response.json()) == x


def test_articles_csv_and_jsonl(client: TestClient) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/articles", params={"format": "csv"}).text)))
    assert {r["id"] for r in rows} == {x.id for x in ALL}
    border = next(r for r in rows if r["id"] == BORDER.id)
    assert border["languages"] == "en;ar"
    lines = client.get("/api/v1/articles", params={"format": "jsonl"}).text.splitlines()
    assert len(lines) == len(ALL)
    assert client.get("/api/v1/articles", params={"format": "geojson"}).status_code == 422


# ------------------------------------------------------------------------------------------ entities, quotes, places


def test_entities_search_in_any_script(client: TestClient) -> None:
    names = {i["name"] for i in client.get("/api/v1/entities", params={"limit": 500}).json()["items"]}
    assert {"Hezbollah", "Sameh Shoukry", API_ARABIC_NAME} <= names
    assert [i["name"] for i in client.get("/api/v1/entities", params={"q": "shouk"}).json()["items"]] == [
        "Sameh Shoukry"
    ]
    found = client.get("/api/v1/entities", params={"q": API_ARABIC_NAME[:2]}).json()["items"]
    assert [i["name"] for i in found] == [API_ARABIC_NAME]
    people = client.get("/api/v1/entities", params={"type": "person"}).json()["items"]
    assert {i["name"] for i in people} == {"Sameh Shoukry", "Amos Hochstein"}
    usa = client.get("/api/v1/entities", params={"country": "usa", "sector": "gov"}).json()["items"]
    assert {i["name"] for i in usa} == {"Amos Hochstein", "United States"}
    seen, _ = walk(client, "/api/v1/entities?limit=2")
    assert len(seen) == len(set(seen)) == len(names)


def test_entity_detail_and_co_actors(client: TestClient) -> None:
    hezbollah = next(n for n in BORDER.entities if n.name == "Hezbollah")
    body = client.get(f"/api/v1/entities/{hezbollah.id}").json()
    assert body["entity"]["name"] == "Hezbollah"
    assert body["events"] == 1 and body["quotes"] == 1 and body["articles"] == 1
    assert [c["name"] for c in body["co_actors"]] == ["Israel"]
    egypt = next(n for n in ALL[2].entities if n.name == "Egypt")
    body = client.get(f"/api/v1/entities/{egypt.id}").json()
    assert body["events"] == API_AID_ARTICLES and body["co_actors"][0]["events"] == API_AID_ARTICLES


def test_quotes_by_speaker(client: TestClient) -> None:
    hezbollah = next(n for n in BORDER.entities if n.name == "Hezbollah")
    items = client.get("/api/v1/quotes", params={"speaker": hezbollah.id}).json()["items"]
    assert [i["text"] for i in items] == ["We will respond to any attack"]
    assert items[0]["article_id"] == BORDER.id
    assert ids(client.get("/api/v1/quotes", params={"speaker_name": "hezb"})) == [BORDER.quotes[0].id]
    assert ids(client.get("/api/v1/quotes", params={"q": "respond attack"})) == [BORDER.quotes[0].id]
    assert ids(client.get("/api/v1/quotes", params={"q": "RESP att"})) == [BORDER.quotes[0].id]  # word prefixes
    assert ids(client.get("/api/v1/quotes", params={"q": "espond"})) == []
    assert ids(client.get("/api/v1/quotes", params={"speaker": "nobody"})) == []
    assert ids(client.get("/api/v1/quotes", params={"article": BORDER.id})) == [BORDER.quotes[0].id]


def test_places(client: TestClient) -> None:
    assert [i["name"] for i in client.get("/api/v1/places").json()["items"]] == ["Cairo", "Lebanon"]
    assert [i["name"] for i in client.get("/api/v1/places", params={"q": "cai"}).json()["items"]] == ["Cairo"]
    assert [i["name"] for i in client.get("/api/v1/places", params={"country": "lb"}).json()["items"]] == ["Lebanon"]
    seen, pages = walk(client, "/api/v1/places?limit=1")
    assert len(seen) == 2 and pages == 2


def test_overview(client: TestClient) -> None:
    assert client.get("/api/v1/overview").json() == {
        "articles": len(ALL), "events": len(NOT_NEGATED), "entities": 11, "quotes": 1, "places": 2,
    }


# ------------------------------------------------------------------------------------------ dyads


def test_dyad_timeline_intervals(client: TestClient) -> None:
    day = client.get("/api/v1/dyads/EGY/SDN/timeline", params={"interval": "day"}).json()
    assert [b["period"] for b in day["buckets"]] == [f"2024-01-{n:02d}" for n in range(1, API_AID_ARTICLES + 1)]
    assert all(b["by_type"] == {"AID": 1} and b["goldstein_mean"] == 7.0 for b in day["buckets"])
    week = client.get("/api/v1/dyads/egy/sdn/timeline", params={"interval": "week"}).json()
    assert week["a"] == "EGY"
    assert [(b["period"], b["start"], b["end"], b["events"]) for b in week["buckets"]] == [
        ("2024-W01", "2024-01-01", "2024-01-07", 7)
    ]
    month = client.get("/api/v1/dyads/SDN/EGY/timeline").json()  # undirected by default, month by default
    assert month["interval"] == "month"
    assert [(b["period"], b["by_quad"]) for b in month["buckets"]] == [("2024-01", {"material_cooperation": 7})]
    directed = client.get("/api/v1/dyads/SDN/EGY/timeline", params={"directed": "true"}).json()
    assert directed["buckets"] == []


def test_dyad_timeline_counts_types_quads_and_goldstein(client: TestClient) -> None:
    body = client.get("/api/v1/dyads/EGY/EGY/timeline", params={"interval": "day"}).json()
    assert [(b["period"], b["by_type"], b["goldstein_mean"]) for b in body["buckets"]] == [
        ("2024-03-04", {"PROTEST": 1, "ACCUSE": 1}, -4.25)
    ]
    isr = client.get("/api/v1/dyads/ISR/LBN/timeline", params={"interval": "day"}).json()["buckets"]
    assert [b["by_type"] for b in isr] == [{"THREATEN": 1}]
    isr = client.get("/api/v1/dyads/ISR/LBN/timeline", params={"interval": "day", "include_negated": True}).json()
    assert [b["by_type"] for b in isr["buckets"]] == [{"ASSAULT": 1}, {"THREATEN": 1}]
    assert client.get("/api/v1/dyads/ISR/LBN/timeline", params={"interval": "year"}).status_code == 422
    assert client.get("/api/v1/dyads/ISR/LBN/timeline", params={"since": "x"}).status_code == 422


# ------------------------------------------------------------------------------------------ errors, safety, OpenAPI


def test_not_found(client: TestClient) -> None:
    for path in ("/api/v1/articles/nope", "/api/v1/entities/nope", "/api/v1/nothing"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["detail"]


INJECTIONS = [
    "' OR 1=1 --", '"; DROP TABLE events; --', "%", "_", "\\", "%_%", "' UNION SELECT * FROM articles --",
    "<script>alert(1)</script>", "NEAR(a b)", '"unterminated', "a*", "- -", "AND OR NOT", "(", ")", "{}", "[]",
    "\u0627\u062d\u062a\u062c'", "\U0001f600", "x" * 400, "\x00", "a\x00b", "%00",
    "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
    "1e309", "-1", "9" * 40, "NaN", "null", "../../etc/passwd", "$(id)", "\n\r\t",
]
STRING_PARAMS = {
    "/api/v1/events": ["type", "mode", "context", "actor_country", "actor_sector", "recipient_country",
                       "recipient_sector", "entity", "place", "country", "article", "since", "until", "cursor",
                       "limit", "format", "include_negated"],
    "/api/v1/articles": ["q", "since", "until", "source", "cursor", "limit", "format"],
    "/api/v1/entities": ["q", "type", "country", "sector", "cursor", "limit"],
    "/api/v1/quotes": ["speaker", "speaker_name", "q", "article", "cursor"],
    "/api/v1/places": ["q", "country", "cursor"],
    "/api/v1/dyads/EGY/SDN/timeline": ["interval", "directed", "since", "until", "include_negated"],
}


def test_injection_strings_never_cause_500(client: TestClient) -> None:
    for path, params in STRING_PARAMS.items():
        for param in params:
            for value in INJECTIONS:
                response = client.get(path, params={param: value})
                assert response.status_code in (200, 422), (path, param, value, response.text)
    for value in INJECTIONS:
        for template in ("/api/v1/articles/{}", "/api/v1/entities/{}", "/api/v1/dyads/{}/{}/timeline",
                         "/articles/{}", "/entities/{}", "/dyads/{}/{}"):
            response = client.get(template.replace("{}", quote(value, safe="")))
            assert response.status_code in (200, 404, 422), (template, value, response.text)


def test_security_headers_on_every_response(client: TestClient) -> None:
    for path in ("/api/v1/events", "/api/v1/articles/nope", "/", "/static/diurna.js", "/openapi.json"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


def test_openapi_operation_ids_and_response_models(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    operations = {
        (path, method): op for path, item in doc["paths"].items() for method, op in item.items()
    }
    assert {op["operationId"] for op in operations.values()} == {
        "get_overview", "list_articles", "get_article", "list_events", "list_entities", "get_entity",
        "list_quotes", "list_places", "get_dyad_timeline", "ingest_articles", "delete_article", "list_clusters",
    }
    for (path, method), op in operations.items():
        assert path.startswith("/api/v1/")
        if method == "delete":  # 204, no body (the write routes are tested in test_security.py)
            continue
        ok = op["responses"]["200"]["content"]["application/json"]["schema"]
        assert "$ref" in ok, (path, ok)
    events = operations[("/api/v1/events", "get")]
    assert {"text/csv", "application/x-ndjson", "application/geo+json"} <= set(events["responses"]["200"]["content"])
    assert "404" in operations[("/api/v1/articles/{article_id}", "get")]["responses"]
    assert {"Extraction", "EventPage", "EventOut", "DyadTimelineOut", "EntityDetailOut"} <= set(
        doc["components"]["schemas"]
    )


def test_clusters_route_lists_computed_clusters(client: TestClient, api_store_url: str) -> None:
    from diurna.dedup import compute_clusters
    from diurna.store import open_store

    with open_store(api_store_url) as store:
        stats = compute_clusters(store, window_days=2)
    assert stats.clusters > 0
    first = client.get("/api/v1/clusters", params={"limit": 1})
    assert first.status_code == 200
    body = first.json()
    assert len(body["items"]) == 1 and body["items"][0]["num_events"] >= 1 and body["items"][0]["event_ids"]
    listed, pages = walk(client, "/api/v1/clusters?limit=1")
    assert len(listed) == stats.clusters and pages == stats.clusters
    kind = body["items"][0]["event_type"]
    typed = client.get("/api/v1/clusters", params={"type": kind}).json()["items"]
    assert typed and all(c["event_type"] == kind for c in typed)
    assert client.get("/api/v1/clusters", params={"since": "not-a-date"}).status_code == 422
    assert client.get("/api/v1/clusters", params={"format": "csv"}).text.startswith("id,")

"""The /api/v1 routes: cursor-paginated listings and single items, and the token-protected writes."""

from __future__ import annotations

import dataclasses
import threading
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from diurna.records import EVENT_TYPES, Entity, Extraction, Place
from diurna.store import Store
from diurna.store import queries as qr

from . import formats, security
from .models import (
    ArticlePage,
    ArticleSummaryOut,
    ClusterOut,
    ClusterPage,
    DyadTimelineOut,
    EntityDetailOut,
    EntityPage,
    ErrorOut,
    EventOut,
    EventPage,
    IngestFailureOut,
    IngestIn,
    IngestOut,
    OverviewOut,
    PlacePage,
    QuoteOut,
    QuotePage,
    TimelineBucketOut,
)

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"

router = APIRouter(prefix="/api/v1", responses={422: {"model": ErrorOut, "description": "invalid parameter"}})

MEDIA = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson", "geojson": "application/geo+json"}
_FORMAT_CONTENT = {
    "text/csv": {"schema": {"type": "string"}},
    "application/x-ndjson": {"schema": {"type": "string"}},
}
LIST_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": _FORMAT_CONTENT, "description": "a page (JSON), or the same page as CSV / JSON Lines"}
}
EVENT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {**_FORMAT_CONTENT, "application/geo+json": {"schema": {"type": "object"}}},
        "description": "a page of events (JSON, CSV, JSON Lines, or GeoJSON of the located ones)",
    }
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut, "description": "no such item"}}


def get_store(request: Request) -> Store:
    return request.app.state.store


StoreDep = Annotated[Store, Depends(get_store)]
Limit = Annotated[int, Query(ge=1, description=f"page size (default {DEFAULT_LIMIT}, capped at {MAX_LIMIT})")]
Cursor = Annotated[str | None, Query(max_length=2000, pattern=r"^[A-Za-z0-9_-]*$",
                                     description="the `next` token of the previous page (opaque)")]
Since = Annotated[str | None, Query(pattern=DATE_PATTERN, description="first date, YYYY-MM-DD (inclusive)")]
Until = Annotated[str | None, Query(pattern=DATE_PATTERN, description="last date, YYYY-MM-DD (inclusive)")]
Text = Annotated[str | None, Query(max_length=500)]
ListFormat = Annotated[Literal["json", "csv", "jsonl"], Query(description="json (default), csv or jsonl")]
Codes = Annotated[list[str] | None, Query(max_length=100)]


def _cap(limit: int) -> int:
    return min(limit, MAX_LIMIT)


def _decode(kind: str, cursor: str | None) -> qr.Key | None:
    try:
        return qr.decode_cursor(kind, cursor)
    except qr.InvalidCursor as exc:
        raise HTTPException(422, str(exc)) from exc


def _respond(
    request: Request,
    kind: str,
    key: qr.Key | None,
    page: BaseModel,
    fmt: str,
    model: type[BaseModel],
    body: str | dict[str, Any] | None = None,
) -> Response:
    """The page in the asked format, with ``Link: <...>; rel="next"`` when there is a next page."""
    token = qr.encode_cursor(kind, key) if key is not None else None
    headers = {}
    if token is not None:
        url = request.url.include_query_params(cursor=token)
        headers["Link"] = f'<{url}>; rel="next"'
    if fmt == "json":
        page = page.model_copy(update={"next": token})
        return Response(page.model_dump_json(), media_type="application/json", headers=headers)
    if fmt == "geojson":
        return JSONResponse(body, media_type=MEDIA["geojson"], headers=headers)
    items = page.items  # type: ignore[attr-defined]
    text = body if isinstance(body, str) else (
        formats.models_csv(model, items) if fmt == "csv" else formats.jsonl_text(items)
    )
    return Response(text, media_type=MEDIA[fmt], headers=headers)


# ------------------------------------------------------------------------------------------ overview


@router.get("/overview", operation_id="get_overview", response_model=OverviewOut, tags=["overview"])
def overview(store: StoreDep) -> OverviewOut:
    """How many articles, events (not negated), entities, quotes and places the store holds."""
    return OverviewOut(**qr.overview_counts(store))


# ------------------------------------------------------------------------------------------ articles


@router.get("/articles", operation_id="list_articles", response_model=ArticlePage, responses=LIST_RESPONSES,
            tags=["articles"])
def list_articles(
    request: Request,
    store: StoreDep,
    q: Annotated[str | None, Query(max_length=500, description="words that must all appear in title or text")] = None,
    since: Since = None,
    until: Until = None,
    source: Text = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    format: ListFormat = "json",  # noqa: A002
) -> Response:
    """Articles, newest first (undated last), optionally full-text searched and limited to a date range."""
    rows, key = qr.articles_page(store, q=q, since=since, until=until, source=source, limit=_cap(limit),
                                 after=_decode("articles", cursor))
    page = ArticlePage(items=[ArticleSummaryOut(**vars(r)) for r in rows])
    return _respond(request, "articles", key, page, format, ArticleSummaryOut)


@router.get("/articles/{article_id}", operation_id="get_article", response_model=Extraction, responses=NOT_FOUND,
            tags=["articles"])
def get_article(store: StoreDep, article_id: Annotated[str, Path(max_length=200)]) -> Response:
    """One article with everything extracted from it (the full Extraction record)."""
    extraction = store.get_extraction(article_id)
    if extraction is None:
        raise HTTPException(404, "no such article")
    return Response(extraction.model_dump_json(), media_type="application/json")


# ------------------------------------------------------------------------------------------ events


def event_filters(
    event_type: Annotated[list[str] | None, Query(alias="type", max_length=16,
                                                  description=f"PLOVER event type: {', '.join(EVENT_TYPES)}")] = None,
    mode: Codes = None,
    context: Codes = None,
    actor_country: Codes = None,
    actor_sector: Codes = None,
    recipient_country: Codes = None,
    recipient_sector: Codes = None,
    entity: Annotated[list[str] | None, Query(max_length=100, description="entity id in any role")] = None,
    place: Annotated[list[str] | None, Query(max_length=100, description="location place id")] = None,
    country: Annotated[list[str] | None, Query(max_length=100, description="location country code")] = None,
    article: Annotated[list[str] | None, Query(max_length=100, description="article id")] = None,
    since: Since = None,
    until: Until = None,
    include_negated: Annotated[bool, Query(description="also list negated (did not happen) events")] = False,
) -> qr.EventFilters:
    try:
        return qr.EventFilters(
            event_type=event_type, mode=mode, context=context, actor_country=actor_country,
            actor_sector=actor_sector, recipient_country=recipient_country, recipient_sector=recipient_sector,
            entity=entity, place=place, country=country, article=article, since=since, until=until,
            include_negated=include_negated,
        )  # fmt: skip
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc


EventFiltersDep = Annotated[qr.EventFilters, Depends(event_filters)]


@router.get("/events", operation_id="list_events", response_model=EventPage, responses=EVENT_RESPONSES,
            tags=["events"])
def list_events(
    request: Request,
    store: StoreDep,
    filters: EventFiltersDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    format: Annotated[  # noqa: A002
        Literal["json", "csv", "jsonl", "geojson"],
        Query(description="json (default), csv, jsonl, or geojson (only events with a located place)"),
    ] = "json",
) -> Response:
    """Events, newest first (undated last), filtered; negated events only with `include_negated=true`."""
    if format == "geojson":
        filters.located = True
    rows, key = qr.events_page(store, filters, _cap(limit), _decode("events", cursor))
    page = EventPage(items=[EventOut(article_id=r.article_id, **r.event.model_dump()) for r in rows])
    body: str | dict[str, Any] | None = None
    if format == "csv":
        body = formats.events_csv(rows)
    elif format == "geojson":
        body = formats.events_geojson(rows)
    return _respond(request, "events", key, page, format, EventOut, body)


# ------------------------------------------------------------------------------------------ entities


@router.get("/entities", operation_id="list_entities", response_model=EntityPage, responses=LIST_RESPONSES,
            tags=["entities"])
def list_entities(
    request: Request,
    store: StoreDep,
    q: Annotated[str | None, Query(max_length=500, description="words in the name (any script)")] = None,
    type: Annotated[Literal["person", "organization", "country", "group"] | None, Query()] = None,  # noqa: A002
    country: Annotated[str | None, Query(max_length=20)] = None,
    sector: Annotated[str | None, Query(max_length=20)] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    format: ListFormat = "json",  # noqa: A002
) -> Response:
    """Entities ordered by name, searched by name."""
    rows, key = qr.entities_page(store, q=q, entity_type=type, country=country, sector=sector, limit=_cap(limit),
                                 after=_decode("entities", cursor))
    return _respond(request, "entities", key, EntityPage(items=rows), format, Entity)


@router.get("/entities/{entity_id}", operation_id="get_entity", response_model=EntityDetailOut,
            responses=NOT_FOUND, tags=["entities"])
def get_entity(store: StoreDep, entity_id: Annotated[str, Path(max_length=200)]) -> EntityDetailOut:
    """One entity with its event, article and quote counts and the entities it shares events with."""
    detail = qr.entity_detail(store, entity_id)
    if detail is None:
        raise HTTPException(404, "no such entity")
    return EntityDetailOut(
        entity=detail.entity, events=detail.events, articles=detail.articles, quotes=detail.quotes,
        co_actors=[vars(c) for c in detail.co_actors],
    )  # fmt: skip


# ------------------------------------------------------------------------------------------ quotes


@router.get("/quotes", operation_id="list_quotes", response_model=QuotePage, responses=LIST_RESPONSES,
            tags=["quotes"])
def list_quotes(
    request: Request,
    store: StoreDep,
    speaker: Annotated[str | None, Query(max_length=200, description="speaker entity id")] = None,
    speaker_name: Annotated[str | None, Query(max_length=500, description="words in the speaker's name")] = None,
    q: Annotated[str | None, Query(max_length=500, description="words in the quote")] = None,
    article: Annotated[str | None, Query(max_length=200)] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    format: ListFormat = "json",  # noqa: A002
) -> Response:
    """Quotes, by speaker (entity id or name) or by what was said."""
    rows, key = qr.quotes_page(store, speaker=speaker, speaker_name=speaker_name, q=q, article=article,
                               limit=_cap(limit), after=_decode("quotes", cursor))
    page = QuotePage(items=[QuoteOut(article_id=r.article_id, **r.quote.model_dump()) for r in rows])
    return _respond(request, "quotes", key, page, format, QuoteOut)


# ------------------------------------------------------------------------------------------ places


@router.get("/places", operation_id="list_places", response_model=PlacePage, responses=LIST_RESPONSES,
            tags=["places"])
def list_places(
    request: Request,
    store: StoreDep,
    q: Annotated[str | None, Query(max_length=500, description="words in the place name")] = None,
    country: Annotated[str | None, Query(max_length=20)] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    format: ListFormat = "json",  # noqa: A002
) -> Response:
    """Places (as geocoded), ordered by name."""
    rows, key = qr.places_page(store, q=q, country=country, limit=_cap(limit), after=_decode("places", cursor))
    return _respond(request, "places", key, PlacePage(items=rows), format, Place)


# ------------------------------------------------------------------------------------------ clusters


@router.get("/clusters", operation_id="list_clusters", response_model=ClusterPage, responses=LIST_RESPONSES,
            tags=["events"])
def list_clusters(
    request: Request,
    store: StoreDep,
    event_type: Annotated[list[str] | None, Query(alias="type", max_length=16,
                                                  description=f"PLOVER event type: {', '.join(EVENT_TYPES)}")] = None,
    country: Codes = None,
    since: Since = None,
    until: Until = None,
    min_articles: Annotated[int, Query(ge=1, le=1_000_000, description="reported by at least this many articles")] = 1,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    format: ListFormat = "json",  # noqa: A002
) -> Response:
    """Event clusters (`diurna cluster`), newest first; `country` matches actor, recipient or location."""
    try:
        rows, key = qr.clusters_page(store, event_type=event_type, country=country, since=since, until=until,
                                     min_articles=min_articles, limit=_cap(limit), after=_decode("clusters", cursor))
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    items = [ClusterOut(**dataclasses.asdict(row)) for row in rows]
    return _respond(request, "clusters", key, ClusterPage(items=items), format, ClusterOut)


# ------------------------------------------------------------------------------------------ dyads


@router.get("/dyads/{a}/{b}/timeline", operation_id="get_dyad_timeline", response_model=DyadTimelineOut,
            tags=["dyads"])
def dyad_timeline(
    store: StoreDep,
    a: Annotated[str, Path(max_length=20, description="country code of one side")],
    b: Annotated[str, Path(max_length=20, description="country code of the other side")],
    interval: Literal["day", "week", "month"] = "month",
    directed: Annotated[bool, Query(description="only events from a (actor) to b (recipient)")] = False,
    since: Since = None,
    until: Until = None,
    include_negated: bool = False,
) -> DyadTimelineOut:
    """Events between two countries per day, ISO week or month: counts by type and quad, mean Goldstein."""
    buckets = qr.dyad_timeline(store, a, b, interval=interval, directed=directed, since=since, until=until,
                               include_negated=include_negated)
    out = []
    for bucket in buckets:
        first, last = qr.period_range(bucket.start, interval)
        out.append(TimelineBucketOut(
            period=bucket.period, start=first, end=last, events=bucket.events, by_type=bucket.by_type,
            by_quad=bucket.by_quad, goldstein_mean=bucket.goldstein_mean,
        ))  # fmt: skip
    return DyadTimelineOut(a=a.upper(), b=b.upper(), interval=interval, directed=directed, buckets=out)


# ------------------------------------------------------------------------------------------ writes (token)

write_router = APIRouter(prefix="/api/v1", dependencies=[Depends(security.require_write)],
                         responses=security.openapi_security({422: {"model": ErrorOut,
                                                                    "description": "invalid body"}}))
_PIPELINE_LOCK = threading.Lock()


def _pipeline(request: Request) -> Any:
    """The app's pipeline, loaded (once) on the first ingest unless one was given to create_app."""
    state = request.app.state
    if state.pipeline is None:
        from diurna.pipeline import Pipeline

        state.pipeline = Pipeline(state.settings)
    return state.pipeline


@write_router.post("/articles", operation_id="ingest_articles", response_model=IngestOut, tags=["articles"])
def ingest_articles(request: Request, store: StoreDep, body: Annotated[IngestIn, Body()]) -> IngestOut:
    """Run the pipeline on one posted article (or a list of up to 100) and store the results.

    Each item is checked like a JSON line of `diurna extract` (date format, size limit
    `max_article_chars`); an item that fails is reported in `failures` with its index, error code and
    reason, and the others are still coded and stored. Articles already stored (same id) are skipped.
    """
    from diurna.errors import InputError
    from diurna.ingest import parse_json_record
    from diurna.records import Article

    items = body if isinstance(body, list) else [body]
    settings = request.app.state.settings
    out = IngestOut()
    articles: list[tuple[int, Article]] = []
    for index, item in enumerate(items):
        try:
            article = parse_json_record(item.model_dump(exclude_none=True), f"api[{index}]", f"[{index}]",
                                        settings.max_article_chars)
        except InputError as exc:
            out.failures.append(IngestFailureOut(index=index, code=exc.code, reason=exc.reason))
            continue
        articles.append((index, article))
    already = store.existing_article_ids(a.id for _, a in articles)
    extractions: list[Extraction] = []
    pipeline = _pipeline(request)
    for index, article in articles:
        if article.id in already or any(x.id == article.id for x in extractions):
            out.already_stored.append(article.id)
            continue
        try:
            with _PIPELINE_LOCK:  # a spaCy pipeline is not meant to be shared by threads
                extractions.append(next(pipeline.extract([article])))
        except Exception as exc:  # noqa: BLE001 - one bad article must not sink the request
            out.failures.append(IngestFailureOut(index=index, code="pipeline",
                                                 reason=f"the pipeline failed on this article: {type(exc).__name__}"))
    if extractions:
        stats = store.write(extractions, batch_size=len(extractions))
        out.stored = [x.id for x in extractions]
        out.rows_added = stats.rows_added
    return out


@write_router.delete("/articles/{article_id}", operation_id="delete_article", status_code=204,
                     responses=NOT_FOUND, tags=["articles"])
def delete_article(store: StoreDep, article_id: Annotated[str, Path(max_length=200)]) -> Response:
    """Delete one stored article and everything extracted from it (entities and places stay)."""
    import sqlalchemy as sa

    from diurna.store import schema

    with store.engine.begin() as conn:
        deleted = conn.execute(sa.delete(schema.articles).where(schema.articles.c.id == article_id)).rowcount
    if not deleted:
        raise HTTPException(404, "no such article")
    return Response(status_code=204)

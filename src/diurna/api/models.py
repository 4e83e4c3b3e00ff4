"""Response models of the HTTP API: the OpenAPI document describes every response through these."""

from __future__ import annotations

from pydantic import BaseModel, Field

from diurna.records import Entity, Event, Place, Quote


class ErrorOut(BaseModel):
    detail: str | list[dict[str, object]] = Field(description="what was wrong")


class EventOut(Event):
    """A stored event with the id of the article it was coded from."""

    article_id: str


class QuoteOut(Quote):
    """A stored quote with the id of its article."""

    article_id: str


class ArticleSummaryOut(BaseModel):
    id: str
    date: str | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    languages: list[str] = Field(default_factory=list)
    coder: str
    events: int = Field(description="events coded from the article (negated ones not counted)")


class _Page(BaseModel):
    next: str | None = Field(
        None, description="opaque cursor of the next page (pass it back as `cursor`); null on the last page"
    )


class EventPage(_Page):
    items: list[EventOut]


class ArticlePage(_Page):
    items: list[ArticleSummaryOut]


class EntityPage(_Page):
    items: list[Entity]


class QuotePage(_Page):
    items: list[QuoteOut]


class PlacePage(_Page):
    items: list[Place]


class CoActorOut(BaseModel):
    entity_id: str
    name: str
    country_code: str | None = None
    sector_code: str | None = None
    events: int = Field(description="events both entities take part in")


class EntityDetailOut(BaseModel):
    entity: Entity
    events: int = Field(description="events (not negated) the entity fills a role in")
    articles: int
    quotes: int = Field(description="quotes the entity is the speaker of")
    co_actors: list[CoActorOut]


class TimelineBucketOut(BaseModel):
    period: str = Field(description="YYYY-MM-DD (day), YYYY-Www (ISO week) or YYYY-MM (month)")
    start: str
    end: str
    events: int
    by_type: dict[str, int] = Field(description="event count per PLOVER event type")
    by_quad: dict[str, int] = Field(description="event count per quad class")
    goldstein_mean: float | None = None


class DyadTimelineOut(BaseModel):
    a: str
    b: str
    interval: str
    directed: bool
    buckets: list[TimelineBucketOut]


class OverviewOut(BaseModel):
    articles: int
    events: int
    entities: int
    quotes: int
    places: int

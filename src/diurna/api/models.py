"""Response models of the HTTP API: the OpenAPI document describes every response through these."""

from __future__ import annotations

from typing import Annotated

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


class ClusterOut(BaseModel):
    """Events of one type and dyad, close in date and place, across articles (GDELT-style counts)."""

    id: str
    event_type: str
    actor_country: str | None = Field(None, description="actor country codes joined with ';'")
    recipient_country: str | None = Field(None, description="recipient country codes joined with ';'")
    country_code: str | None = Field(None, description="country of the events' location")
    place_id: str | None = None
    start_date: str
    end_date: str
    num_events: int
    num_articles: int = Field(description="articles that report the events (near-duplicates included)")
    num_sources: int = Field(description="distinct sources (source name or URL host)")
    num_mentions: int = Field(description="mentions of the events over all articles")
    goldstein: float | None = Field(None, description="mean Goldstein score")
    event_ids: list[str] = Field(default_factory=list)


class ClusterPage(_Page):
    items: list[ClusterOut]


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


class ArticleIn(BaseModel):
    """An article to ingest: the fields of a `diurna extract` JSON line."""

    text: str = Field(description="the article body")
    id: str | None = Field(None, max_length=200, description="article id (default: a content hash)")
    date: str | None = Field(None, description="YYYY-MM-DD or an ISO datetime")
    title: str | None = None
    url: str | None = None
    source: str | None = None


IngestIn = ArticleIn | Annotated[list[ArticleIn], Field(min_length=1, max_length=100)]


class IngestFailureOut(BaseModel):
    index: int = Field(description="position of the item in the posted list (0 for a single article)")
    code: str = Field(description="diurna error code (E0xx), or `pipeline`")
    reason: str


class IngestOut(BaseModel):
    stored: list[str] = Field(default_factory=list, description="ids of the articles coded and stored")
    already_stored: list[str] = Field(default_factory=list, description="ids skipped: already in the store")
    failures: list[IngestFailureOut] = Field(default_factory=list)
    rows_added: int = 0

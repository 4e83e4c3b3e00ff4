"""The typed record model every stage fills and every output reads.

Offsets (``start``/``end``) are always character offsets into ``Article.text`` after normalisation,
so ``article.text[m.start:m.end] == m.text`` holds for every mention, span and evidence.
Field names follow PLOVER where it has one (actor, recipient, event_type, mode, context).
"""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

EVENT_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
AUX_MODES: tuple[str, ...] = ("historical", "future", "hypothetical", "negation")

EventType = Literal[
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]
AuxMode = Literal["historical", "future", "hypothetical", "negation"]
EntityType = Literal["person", "organization", "country", "group"]
Quad = Literal["verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"]


def content_id(*parts: object, length: int = 16) -> str:
    """A stable id from content: the same input always yields the same id (idempotent re-ingest)."""
    payload = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:length]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Mention(Record):
    start: int
    end: int
    text: str
    lang: str = "en"


class Segment(Record):
    start: int
    end: int
    script: Literal["latin", "arabic", "other"]
    language: str | None = None


class Post(Record):
    platform: Literal["twitter", "telegram", "facebook"]
    handle: str | None = None
    author: str | None = None
    date: str | None = None
    language: str | None = None
    text: str
    start: int
    end: int
    url: str | None = None


class Entity(Record):
    id: str
    name: str
    type: EntityType
    country_code: str | None = None
    sector_code: str | None = None
    other_sector_codes: list[str] = Field(default_factory=list)
    titles: list[str] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)


class ActorRef(Record):
    """An entity as it fills an event role, in PLOVER's actor/recipient shape."""

    entity_id: str
    raw_text: str
    entity_name: str
    country_code: str | None = None
    sector_code: str | None = None
    other_sector_codes: list[str] = Field(default_factory=list)


class Place(Record):
    id: str
    name: str
    geonameid: int | None = None
    country_code: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    feature: str | None = None
    confidence: float | None = None
    mentions: list[Mention] = Field(default_factory=list)


class Evidence(Record):
    start: int
    end: int
    trigger_start: int
    trigger_end: int
    sentence: str


class Event(Record):
    id: str
    event_type: EventType
    mode: list[str] = Field(default_factory=list)
    context: list[str] = Field(default_factory=list)
    aux: list[AuxMode] = Field(default_factory=list)
    actor: list[ActorRef] = Field(default_factory=list)
    recipient: list[ActorRef] = Field(default_factory=list)
    date: str | None = None
    date_inferred: bool = True
    location: Place | None = None
    location_inferred: bool = False
    cameo: str | None = None
    goldstein: float | None = None
    quad: Quad | None = None
    plover_score: float | None = None
    claimed_by: ActorRef | None = None
    trigger: str
    evidence: Evidence
    confidence: float = 1.0
    coder: str


class Quote(Record):
    id: str
    speaker_id: str | None = None
    speaker_name: str | None = None
    text: str
    start: int
    end: int
    cue: str | None = None


class Article(Record):
    """An article as ingested: normalised text, the text every offset refers to."""

    id: str
    date: str | None = None
    title: str | None = None
    text: str
    url: str | None = None
    source: str | None = None
    author: str | None = None
    origin: str = Field(description="file path (and line) the article was read from")


class Extraction(Record):
    """One article with everything diurna found in it: what `extract --format jsonl` prints."""

    id: str
    date: str | None = None
    title: str | None = None
    text: str
    url: str | None = None
    source: str | None = None
    author: str | None = None
    languages: list[str] = Field(default_factory=list)
    segments: list[Segment] = Field(default_factory=list)
    posts: list[Post] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    coder: str


class Failure(Record):
    """An input that could not be read: reported with where it came from and why."""

    origin: str
    reason: str
    code: str

"""Records to table rows and back.  Pure functions: no database access here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from diurna.records import (
    ActorRef,
    Entity,
    Event,
    Evidence,
    Extraction,
    Mention,
    Place,
    Post,
    Quote,
    Segment,
)

Row = dict[str, Any]

ROLE_ACTOR = "actor"
ROLE_RECIPIENT = "recipient"
ROLE_CLAIMED_BY = "claimed_by"

_ENTITY_ATTRS = ("name", "type", "country_code", "sector_code", "other_sector_codes", "titles")
_PLACE_ATTRS = ("name", "geonameid", "country_code", "admin1", "lat", "lon", "feature", "confidence")
_SEGMENT_ATTRS = ("start", "end", "script", "language")
_POST_ATTRS = ("platform", "handle", "author", "date", "language", "text", "start", "end", "url")
_QUOTE_ATTRS = ("speaker_id", "speaker_name", "text", "start", "end", "cue")
_ACTOR_ATTRS = ("entity_id", "raw_text", "entity_name", "country_code", "sector_code", "other_sector_codes")
_MENTION_ATTRS = ("start", "end", "text", "lang")


def _pick(record: object, names: Iterable[str]) -> Row:
    row: Row = {}
    for name in names:
        value = getattr(record, name)
        row[name] = list(value) if isinstance(value, list) else value
    return row


def extraction_rows(x: Extraction, *, created_at: str, origin: str | None = None) -> dict[str, list[Row]]:
    """Every row one extraction contributes, keyed by table name (parents before children)."""
    rows: dict[str, list[Row]] = {
        name: []
        for name in (
            "articles", "segments", "posts", "entities", "article_entities", "entity_mentions",
            "places", "article_places", "place_mentions", "events", "event_actors", "quotes",
        )
    }  # fmt: skip
    aid = x.id
    rows["articles"].append(
        {
            "id": aid,
            "date": x.date,
            "title": x.title,
            "text": x.text,
            "url": x.url,
            "source": x.source,
            "author": x.author,
            "languages": list(x.languages),
            "coder": x.coder,
            "origin": origin,
            "created_at": created_at,
        }
    )
    for i, seg in enumerate(x.segments):
        rows["segments"].append({"article_id": aid, "position": i, **_pick(seg, _SEGMENT_ATTRS)})
    for i, post in enumerate(x.posts):
        rows["posts"].append({"article_id": aid, "position": i, **_pick(post, _POST_ATTRS)})

    for i, ent in enumerate(x.entities):
        attrs = _pick(ent, _ENTITY_ATTRS)
        rows["entities"].append({"id": ent.id, **attrs, "created_at": created_at})
        rows["article_entities"].append({"article_id": aid, "entity_id": ent.id, "position": i, **attrs})
        for j, m in enumerate(ent.mentions):
            rows["entity_mentions"].append(
                {"article_id": aid, "entity_id": ent.id, "position": j, **_pick(m, _MENTION_ATTRS)}
            )

    seen_places: set[str] = set()

    def add_place(place: Place) -> None:
        if place.id not in seen_places:
            seen_places.add(place.id)
            rows["places"].append({"id": place.id, **_pick(place, _PLACE_ATTRS), "created_at": created_at})

    for i, place in enumerate(x.places):
        add_place(place)
        rows["article_places"].append(
            {"article_id": aid, "place_id": place.id, "position": i, **_pick(place, _PLACE_ATTRS)}
        )
        for j, m in enumerate(place.mentions):
            rows["place_mentions"].append(
                {"article_id": aid, "place_id": place.id, "position": j, **_pick(m, _MENTION_ATTRS)}
            )

    for i, ev in enumerate(x.events):
        if ev.location is not None:
            add_place(ev.location)
        rows["events"].append(event_row(ev, article_id=aid, position=i))
        rows["event_actors"].extend(event_actor_rows(ev))

    for i, q in enumerate(x.quotes):
        rows["quotes"].append({"id": q.id, "article_id": aid, "position": i, **_pick(q, _QUOTE_ATTRS)})
    return rows


def event_row(ev: Event, *, article_id: str, position: int) -> Row:
    return {
        "id": ev.id,
        "article_id": article_id,
        "position": position,
        "event_type": ev.event_type,
        "mode": list(ev.mode),
        "context": list(ev.context),
        "aux": list(ev.aux),
        "negated": "negation" in ev.aux,
        "date": ev.date,
        "date_inferred": ev.date_inferred,
        "location_place_id": ev.location.id if ev.location is not None else None,
        "location": ev.location.model_dump(mode="json") if ev.location is not None else None,
        "location_inferred": ev.location_inferred,
        "cameo": ev.cameo,
        "goldstein": ev.goldstein,
        "quad": ev.quad,
        "plover_score": ev.plover_score,
        "trigger": ev.trigger,
        "evidence_start": ev.evidence.start,
        "evidence_end": ev.evidence.end,
        "trigger_start": ev.evidence.trigger_start,
        "trigger_end": ev.evidence.trigger_end,
        "evidence_sentence": ev.evidence.sentence,
        "confidence": ev.confidence,
        "coder": ev.coder,
    }


def event_actor_rows(ev: Event) -> list[Row]:
    roles: list[tuple[str, list[ActorRef]]] = [(ROLE_ACTOR, ev.actor), (ROLE_RECIPIENT, ev.recipient)]
    if ev.claimed_by is not None:
        roles.append((ROLE_CLAIMED_BY, [ev.claimed_by]))
    return [
        {"event_id": ev.id, "role": role, "position": i, **_pick(ref, _ACTOR_ATTRS)}
        for role, refs in roles
        for i, ref in enumerate(refs)
    ]


# ---------------------------------------------------------------- rows -> records


def _attrs(row: Mapping[str, Any], names: Iterable[str]) -> Row:
    return {name: row[name] for name in names}


def mention(row: Mapping[str, Any]) -> Mention:
    return Mention(**_attrs(row, _MENTION_ATTRS))


def segment(row: Mapping[str, Any]) -> Segment:
    return Segment(**_attrs(row, _SEGMENT_ATTRS))


def post(row: Mapping[str, Any]) -> Post:
    return Post(**_attrs(row, _POST_ATTRS))


def quote(row: Mapping[str, Any]) -> Quote:
    return Quote(id=row["id"], **_attrs(row, _QUOTE_ATTRS))


def entity(row: Mapping[str, Any], mentions: list[Mention]) -> Entity:
    return Entity(id=row["entity_id"], **_attrs(row, _ENTITY_ATTRS), mentions=mentions)


def place(row: Mapping[str, Any], mentions: list[Mention]) -> Place:
    return Place(id=row["place_id"], **_attrs(row, _PLACE_ATTRS), mentions=mentions)


def actor_ref(row: Mapping[str, Any]) -> ActorRef:
    return ActorRef(**_attrs(row, _ACTOR_ATTRS))


def event(row: Mapping[str, Any], actor_rows: Iterable[Mapping[str, Any]]) -> Event:
    """An Event from its ``events`` row and its ``event_actors`` rows (any order)."""
    by_role: dict[str, list[tuple[int, ActorRef]]] = {}
    for ar in actor_rows:
        by_role.setdefault(ar["role"], []).append((ar["position"], actor_ref(ar)))

    def refs(role: str) -> list[ActorRef]:
        return [ref for _, ref in sorted(by_role.get(role, []), key=lambda pair: pair[0])]

    claimed = refs(ROLE_CLAIMED_BY)
    return Event(
        id=row["id"],
        event_type=row["event_type"],
        mode=list(row["mode"]),
        context=list(row["context"]),
        aux=list(row["aux"]),
        actor=refs(ROLE_ACTOR),
        recipient=refs(ROLE_RECIPIENT),
        date=row["date"],
        date_inferred=bool(row["date_inferred"]),
        location=Place.model_validate(row["location"]) if row["location"] is not None else None,
        location_inferred=bool(row["location_inferred"]),
        cameo=row["cameo"],
        goldstein=row["goldstein"],
        quad=row["quad"],
        plover_score=row["plover_score"],
        claimed_by=claimed[0] if claimed else None,
        trigger=row["trigger"],
        evidence=Evidence(
            start=row["evidence_start"],
            end=row["evidence_end"],
            trigger_start=row["trigger_start"],
            trigger_end=row["trigger_end"],
            sentence=row["evidence_sentence"],
        ),
        confidence=row["confidence"],
        coder=row["coder"],
    )

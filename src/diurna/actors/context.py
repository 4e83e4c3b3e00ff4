"""Document-level countries for actors the sentence leaves without one.

"Police arrested two suspects", "Student groups rejected the offer", "President Joseph Aoun demanded":
news names a domestic actor without its country because the article has already said where we are.
Such an actor takes, in order: the country of its entity when another mention gave one, the country of
an earlier actor with the same head word ("Jordanian troops" for "Troops"), the country of the event's
location, the country most mentioned in the article, the country most mentioned in its paragraph.
International actors (IGO, UNO, ...) are never overwritten."""

from __future__ import annotations

from collections import Counter

from diurna.records import ActorRef, Entity, Event, Place


def _paragraph_bounds(text: str, position: int) -> tuple[int, int]:
    start = text.rfind("\n\n", 0, position)
    end = text.find("\n\n", position)
    return (0 if start < 0 else start), (len(text) if end < 0 else end)


def _country_mentions(entities: list[Entity], places: list[Place]) -> list[tuple[int, str]]:
    found = [(m.start, e.country_code) for e in entities if e.type == "country" and e.country_code
             for m in e.mentions]
    found += [(m.start, p.country_code) for p in places if p.country_code for m in p.mentions]
    return sorted(found)


def _most_common(codes: list[str]) -> str | None:
    if not codes:
        return None
    counts = Counter(codes)
    best = max(counts.values())
    return next(code for code in codes if counts[code] == best)  # ties: the first mentioned


def fill_missing_countries(events: list[Event], entities: list[Entity], places: list[Place], text: str) -> None:
    mentions = _country_mentions(entities, places)
    article_country = _most_common([code for _, code in mentions])
    by_id = {e.id: e for e in entities}

    def paragraph_country(position: int) -> str | None:
        start, end = _paragraph_bounds(text, position)
        return _most_common([code for at, code in mentions if start <= at < end])

    for entity in entities:
        if entity.country_code is None and entity.type == "person" and entity.mentions:
            entity.country_code = paragraph_country(entity.mentions[0].start) or article_country

    # "Jordanian troops fought ... Troops arrested nine smugglers": the same kind of actor named earlier with
    # its country
    named_before: dict[str, str] = {}

    def fill(ref: ActorRef, event: Event) -> None:
        if ref.country_code is not None:
            return
        entity = by_id.get(ref.entity_id)
        ref.country_code = (
            (entity.country_code if entity is not None else None)
            or named_before.get(_head_word(ref))
            or (event.location.country_code if event.location else None)
            or article_country
            or paragraph_country(event.evidence.start)
        )

    for event in sorted(events, key=lambda e: e.evidence.trigger_start):
        refs = [*event.actor, *event.recipient]
        named_here = {_head_word(r): r.country_code for r in refs if r.country_code and _head_word(r)}
        for ref in refs:
            fill(ref, event)
        named_before.update(named_here)


def _head_word(ref: ActorRef) -> str:
    words = ref.raw_text.lower().split()
    return words[-1] if words else ""

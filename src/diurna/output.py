"""Writers for extraction records: JSON Lines, one JSON array, and a TSV row per event. Streaming."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import TextIO

from diurna.records import ActorRef, Event, Extraction

FORMATS = ("jsonl", "json", "tsv")

EVENT_COLUMNS = (
    "article_id", "event_id", "date", "event_type", "mode", "context", "aux", "actor_name", "actor_country",
    "actor_sector", "recipient_name", "recipient_country", "recipient_sector", "cameo", "goldstein", "quad",
    "plover_score", "location", "lat", "lon", "claimed_by", "trigger", "sentence",
)


def _join(values: Iterable[str | None]) -> str:
    return ";".join(v or "" for v in values)


def _role(refs: list[ActorRef]) -> tuple[str, str, str]:
    return (_join(r.entity_name for r in refs), _join(r.country_code for r in refs),
            _join(r.sector_code for r in refs))


def event_row(article_id: str, event: Event) -> dict[str, object]:
    actor, recipient = _role(event.actor), _role(event.recipient)
    location = event.location
    return dict(zip(EVENT_COLUMNS, (
        article_id, event.id, event.date, event.event_type, _join(event.mode), _join(event.context),
        _join(event.aux), *actor, *recipient, event.cameo, event.goldstein, event.quad, event.plover_score,
        location.name if location else None, location.lat if location else None,
        location.lon if location else None, event.claimed_by.entity_name if event.claimed_by else None,
        event.trigger, " ".join(event.evidence.sentence.split()),
    ), strict=True))


def write_jsonl(extractions: Iterable[Extraction], out: TextIO) -> Iterator[Extraction]:
    for extraction in extractions:
        out.write(extraction.model_dump_json() + "\n")
        yield extraction


def write_json(extractions: Iterable[Extraction], out: TextIO) -> Iterator[Extraction]:
    out.write("[")
    for position, extraction in enumerate(extractions):
        out.write(("," if position else "") + "\n" + extraction.model_dump_json())
        yield extraction
    out.write("\n]\n")


def write_tsv(extractions: Iterable[Extraction], out: TextIO) -> Iterator[Extraction]:
    writer = csv.DictWriter(out, fieldnames=EVENT_COLUMNS, delimiter="\t", lineterminator="\n")
    writer.writeheader()
    for extraction in extractions:
        for event in extraction.events:
            writer.writerow(event_row(extraction.id, event))
        yield extraction


WRITERS = {"jsonl": write_jsonl, "json": write_json, "tsv": write_tsv}


def dumps(extraction: Extraction) -> str:
    return json.dumps(extraction.model_dump(mode="json"), ensure_ascii=False, indent=2)

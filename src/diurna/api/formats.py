"""Rendering a page of API items as CSV, JSON Lines or GeoJSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel

from diurna.output import EVENT_COLUMNS, event_row
from diurna.store import EventRow

#: a leading character that makes spreadsheets read a cell as a formula
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _flat(value: Any) -> Any:
    if isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            return ";".join("" if v is None else str(v) for v in value)
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def csv_text(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(_flat(v)) for k, v in row.items()})
    return out.getvalue()


def models_csv(model: type[BaseModel], items: Sequence[BaseModel]) -> str:
    return csv_text(list(model.model_fields), (item.model_dump(mode="json") for item in items))


def events_csv(rows: Sequence[EventRow]) -> str:
    return csv_text(EVENT_COLUMNS, (event_row(r.article_id, r.event) for r in rows))


def jsonl_text(items: Sequence[BaseModel]) -> str:
    return "".join(item.model_dump_json() + "\n" for item in items)


def events_geojson(rows: Sequence[EventRow]) -> dict[str, Any]:
    """A FeatureCollection with one Point per event that has a located place."""
    features = []
    for r in rows:
        ev, loc = r.event, r.event.location
        if loc is None or loc.lat is None or loc.lon is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": ev.id,
                "geometry": {"type": "Point", "coordinates": [loc.lon, loc.lat]},
                "properties": {
                    "event_id": ev.id,
                    "article_id": r.article_id,
                    "event_type": ev.event_type,
                    "date": ev.date,
                    "quad": ev.quad,
                    "goldstein": ev.goldstein,
                    "actor": "; ".join(a.entity_name for a in ev.actor),
                    "recipient": "; ".join(a.entity_name for a in ev.recipient),
                    "place": loc.name,
                    "place_id": loc.id,
                    "country_code": loc.country_code,
                    "trigger": ev.trigger,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}

"""Stored events written in other projects' formats: PLOVER JSON Lines, GDELT-style TSV, ACLED-style CSV, Parquet.

Every writer streams the store (a page of events at a time) and returns how many events it wrote.
The column mappings are documented in docs/exports.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from diurna.output import EVENT_COLUMNS, event_row
from diurna.records import ActorRef, Event
from diurna.store import EventRow, Store
from diurna.store.queries import EventFilters, article_meta, iter_events

FORMATS = ("plover-jsonl", "gdelt-tsv", "acled-csv", "parquet")
BATCH = 1000

QUAD_CLASS = {"verbal_cooperation": 1, "material_cooperation": 2, "verbal_conflict": 3, "material_conflict": 4}


def _batches(store: Store, filters: EventFilters) -> Iterator[tuple[list[EventRow], dict[str, dict[str, Any]]]]:
    """Events a batch at a time, with the url/source/date of their articles."""
    batch: list[EventRow] = []
    for row in iter_events(store, filters, batch_size=BATCH):
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch, article_meta(store, [r.article_id for r in batch])
            batch = []
    if batch:
        yield batch, article_meta(store, [r.article_id for r in batch])


# ------------------------------------------------------------------------------------------ PLOVER


def _plover_actor(refs: list[ActorRef]) -> list[dict[str, Any]]:
    return [
        {"name": r.entity_name, "text": r.raw_text, "entity_id": r.entity_id, "country": r.country_code,
         "sector": r.sector_code, "other_sectors": list(r.other_sector_codes)}
        for r in refs
    ]  # fmt: skip


def plover_record(article_id: str, event: Event, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """One event in PLOVER's JSON shape (field names as the PLOVER specification uses them)."""
    meta = meta or {}
    loc = event.location
    return {
        "id": event.id,
        "date": event.date,
        "date_inferred": event.date_inferred,
        "event_type": event.event_type,
        "mode": list(event.mode),
        "context": list(event.context),
        "aux": list(event.aux),
        "actor": _plover_actor(event.actor),
        "recipient": _plover_actor(event.recipient),
        "claimed_by": _plover_actor([event.claimed_by])[0] if event.claimed_by else None,
        "location": (
            {"name": loc.name, "geonameid": loc.geonameid, "country": loc.country_code, "admin1": loc.admin1,
             "lat": loc.lat, "lon": loc.lon, "feature": loc.feature}
            if loc else None
        ),
        "cameo": event.cameo,
        "goldstein": event.goldstein,
        "quad_class": event.quad,
        "plover_score": event.plover_score,
        "text": event.evidence.sentence,
        "trigger": event.trigger,
        "offsets": {"start": event.evidence.start, "end": event.evidence.end,
                    "trigger_start": event.evidence.trigger_start, "trigger_end": event.evidence.trigger_end},
        "confidence": event.confidence,
        "coder": event.coder,
        "source": {"article_id": article_id, "url": meta.get("url"), "name": meta.get("source"),
                   "date": meta.get("date")},
    }  # fmt: skip


def write_plover_jsonl(store: Store, filters: EventFilters, out: TextIO) -> int:
    n = 0
    for batch, meta in _batches(store, filters):
        for r in batch:
            out.write(json.dumps(plover_record(r.article_id, r.event, meta.get(r.article_id)), ensure_ascii=False))
            out.write("\n")
            n += 1
    return n


# ------------------------------------------------------------------------------------------ GDELT

_GDELT_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
                "Type1Code", "Type2Code", "Type3Code")
_GDELT_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")

#: the 61 columns of a GDELT 2.0 event record, in GDELT's order
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{c}" for c in _GDELT_ACTOR), *(f"Actor2{c}" for c in _GDELT_ACTOR),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions",
    "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{c}" for c in _GDELT_GEO), *(f"Actor2Geo_{c}" for c in _GDELT_GEO),
    *(f"ActionGeo_{c}" for c in _GDELT_GEO),
    "DATEADDED", "SOURCEURL",
)  # fmt: skip


def _geo_type(feature: str | None) -> int | None:
    """GDELT geo type: 1 country, 5 first-order division, 4 anything smaller (GDELT's 2/3 are US-only)."""
    if feature is None:
        return None
    if feature.startswith("PCL"):
        return 1
    if feature == "ADM1":
        return 5
    return 4


def _gdelt_actor(refs: list[ActorRef]) -> list[Any]:
    if not refs:
        return [""] * len(_GDELT_ACTOR)
    r = refs[0]
    code = (r.country_code or "") + (r.sector_code or "")
    return [code, r.entity_name.upper(), r.country_code or "", "", "", "", "", r.sector_code or "",
            *(list(r.other_sector_codes[:2]) + ["", ""])[:2]]


def gdelt_row(article_id: str, event: Event, meta: dict[str, Any] | None = None) -> list[Any]:
    meta = meta or {}
    date = event.date or ""
    day = dt.date.fromisoformat(date) if date else None
    cameo = event.cameo or ""
    loc = event.location
    action_geo = (
        [_geo_type(loc.feature) or "", loc.name, loc.country_code or "", loc.admin1 or "", "",
         "" if loc.lat is None else loc.lat, "" if loc.lon is None else loc.lon, loc.geonameid or ""]
        if loc else [""] * len(_GDELT_GEO)
    )  # fmt: skip
    added = (meta.get("created_at") or "")[:19].replace("-", "").replace(":", "").replace("T", "")
    return [
        event.id,
        day.strftime("%Y%m%d") if day else "",
        day.strftime("%Y%m") if day else "",
        day.year if day else "",
        f"{day.year + (day.timetuple().tm_yday - 1) / 365:.4f}" if day else "",
        *_gdelt_actor(event.actor),
        *_gdelt_actor(event.recipient),
        1,
        cameo,
        cameo[:3],
        cameo[:2],
        QUAD_CLASS.get(event.quad or "", ""),
        "" if event.goldstein is None else event.goldstein,
        1, 1, 1, "",
        *([""] * len(_GDELT_GEO)),
        *([""] * len(_GDELT_GEO)),
        *action_geo,
        added,
        meta.get("url") or f"diurna:{article_id}",
    ]


def write_gdelt_tsv(store: Store, filters: EventFilters, out: TextIO) -> int:
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(GDELT_COLUMNS)
    n = 0
    for batch, meta in _batches(store, filters):
        for r in batch:
            writer.writerow([_tsv(v) for v in gdelt_row(r.article_id, r.event, meta.get(r.article_id))])
            n += 1
    return n


def _tsv(value: Any) -> Any:
    return " ".join(value.split()) if isinstance(value, str) else value


# ------------------------------------------------------------------------------------------ ACLED

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)

#: PLOVER event type -> (ACLED disorder type, event type, sub-event type); an approximation, see docs/exports.md
ACLED_TYPES: dict[str, tuple[str, str, str]] = {
    "PROTEST": ("Demonstrations", "Protests", "Peaceful protest"),
    "ASSAULT": ("Political violence", "Violence against civilians", "Attack"),
    "COERCE": ("Political violence", "Strategic developments", "Arrests"),
    "MOBILIZE": ("Strategic developments", "Strategic developments", "Change to group/activity"),
    "THREATEN": ("Strategic developments", "Strategic developments", "Other"),
    "SANCTION": ("Strategic developments", "Strategic developments", "Other"),
    "AGREE": ("Strategic developments", "Strategic developments", "Agreement"),
    "COOPERATE": ("Strategic developments", "Strategic developments", "Agreement"),
    "CONCEDE": ("Strategic developments", "Strategic developments", "Agreement"),
    "RETREAT": ("Strategic developments", "Strategic developments", "Non-violent transfer of territory"),
}
_ACLED_OTHER = ("Strategic developments", "Strategic developments", "Other")

#: CAMEO sector -> ACLED interaction code (1 state forces, 2 rebels, 3 political militias, 5 rioters,
#: 6 protesters, 7 civilians, 8 external/other forces)
ACLED_INTER: dict[str, int] = {
    "GOV": 1, "MIL": 1, "COP": 1, "SPY": 1, "JUD": 1, "LEG": 1, "REB": 2, "INS": 2, "SEP": 2, "UAF": 3,
    "OPP": 3, "PTY": 3, "CVL": 7, "REF": 7, "MED": 7, "EDU": 7, "HLH": 7, "BUS": 7, "LAB": 7, "IGO": 8,
    "NGO": 8,
}  # fmt: skip


def _names(refs: list[ActorRef]) -> tuple[str, str]:
    names = [r.entity_name for r in refs]
    return (names[0] if names else "", "; ".join(names[1:]))


def _inter(refs: list[ActorRef], event_type: str, role: str) -> Any:
    if not refs:
        return ""
    if event_type == "PROTEST" and role == "actor":
        return 6
    return ACLED_INTER.get(refs[0].sector_code or "", "")


def _country(alpha2: str | None) -> tuple[Any, str]:
    if not alpha2:
        return "", ""
    try:
        import pycountry

        found = pycountry.countries.get(alpha_2=alpha2.upper())
    except (ImportError, LookupError, KeyError):
        found = None
    return (int(found.numeric), found.name) if found else ("", "")


def acled_row(article_id: str, event: Event, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    meta = meta or {}
    disorder, acled_type, sub_type = ACLED_TYPES.get(event.event_type, _ACLED_OTHER)
    actor1, assoc1 = _names(event.actor)
    actor2, assoc2 = _names(event.recipient)
    inter1 = _inter(event.actor, event.event_type, "actor")
    inter2 = _inter(event.recipient, event.event_type, "recipient")
    loc = event.location
    iso, country = _country(loc.country_code if loc else None)
    precision = {1: 3, 5: 2}.get(_geo_type(loc.feature) or 0, 1) if loc else ""
    stamp = ""
    if meta.get("created_at"):
        try:
            stamp = int(dt.datetime.fromisoformat(meta["created_at"]).timestamp())
        except ValueError:
            stamp = ""
    return {
        "event_id_cnty": event.id,
        "event_date": event.date or "",
        "year": event.date[:4] if event.date else "",
        "time_precision": 1 if event.date and not event.date_inferred else (2 if event.date else ""),
        "disorder_type": disorder,
        "event_type": acled_type,
        "sub_event_type": sub_type,
        "actor1": actor1,
        "assoc_actor_1": assoc1,
        "inter1": inter1,
        "actor2": actor2,
        "assoc_actor_2": assoc2,
        "inter2": inter2,
        "interaction": f"{inter1}{inter2}" if inter1 != "" else "",
        "civilian_targeting": "Civilian targeting" if event.event_type == "ASSAULT" and inter2 == 7 else "",
        "iso": iso,
        "region": "",
        "country": country,
        "admin1": (loc.admin1 or "") if loc else "",
        "admin2": "",
        "admin3": "",
        "location": loc.name if loc else "",
        "latitude": "" if loc is None or loc.lat is None else loc.lat,
        "longitude": "" if loc is None or loc.lon is None else loc.lon,
        "geo_precision": precision,
        "source": meta.get("source") or "",
        "source_scale": "",
        "notes": f"{event.event_type}: {' '.join(event.evidence.sentence.split())}",
        "fatalities": "",
        "tags": ";".join([*event.aux, *event.mode, *event.context]),
        "timestamp": stamp,
    }


def write_acled_csv(store: Store, filters: EventFilters, out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for batch, meta in _batches(store, filters):
        for r in batch:
            writer.writerow(acled_row(r.article_id, r.event, meta.get(r.article_id)))
            n += 1
    return n


# ------------------------------------------------------------------------------------------ Parquet

_FLOAT_COLUMNS = {"goldstein", "plover_score", "lat", "lon"}


def write_parquet(store: Store, filters: EventFilters, path: Path) -> int:
    """The `diurna events --format csv` columns as a Parquet file (needs pyarrow)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError("the parquet format needs pyarrow: pip install pyarrow") from exc
    schema = pa.schema(
        [(name, pa.float64() if name in _FLOAT_COLUMNS else pa.string()) for name in EVENT_COLUMNS]
        + [("confidence", pa.float64()), ("date_inferred", pa.bool_())]
    )
    n = 0
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        for batch, _meta in _batches(store, filters):
            rows = []
            for r in batch:
                row = event_row(r.article_id, r.event)
                rows.append({**{k: (v if k in _FLOAT_COLUMNS or v is None else str(v)) for k, v in row.items()},
                             "confidence": r.event.confidence, "date_inferred": r.event.date_inferred})
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            n += len(rows)
    return n


# ------------------------------------------------------------------------------------------ entry point

TEXT_WRITERS: dict[str, Callable[[Store, EventFilters, TextIO], int]] = {
    "plover-jsonl": write_plover_jsonl,
    "gdelt-tsv": write_gdelt_tsv,
    "acled-csv": write_acled_csv,
}


def export(store: Store, fmt: str, out: Path | TextIO, filters: EventFilters | None = None) -> int:
    """Write the matching events of ``store`` to ``out`` (a path, or a text stream for text formats)."""
    filters = filters or EventFilters()
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    if fmt == "parquet":
        if not isinstance(out, Path):
            raise ValueError("parquet needs an output path")
        return write_parquet(store, filters, out)
    if isinstance(out, Path):
        with out.open("w", encoding="utf-8", newline="") as handle:
            return TEXT_WRITERS[fmt](store, filters, handle)
    return TEXT_WRITERS[fmt](store, filters, out)


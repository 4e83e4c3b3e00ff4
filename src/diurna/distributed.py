"""`extract --engine ray`: the same stages on Ray Data.

The driver reads the inputs, skips articles already stored and links near-duplicates (exactly as the
local runner does, `diurna.runner.select_articles`), and turns the rest into a dataset.  An actor pool of
`Extractor` workers, each holding one loaded `Pipeline`, codes it with ``map_batches``.  The result goes

- to Parquet (``out_dir``): one dataset (folder of Parquet files) per record type: ``articles``,
  ``events``, ``entities``, ``quotes``, ``places``, ``posts``; scalar fields as columns, lists and nested
  records as JSON strings (`RECORD_SCHEMAS`);
- and/or to a store (``store``): the driver writes the extractions in batches, one transaction each.

Without an address, Ray starts locally (``num_cpus`` = max(2, workers)); with one (``ray://...``, or
``auto``) it joins that cluster, whose workers must have diurna and the spaCy model installed (see
docs/distributed.md).  Rows are not in input order (Ray Data does not keep it unless asked).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import pyarrow as pa

from diurna.config import Settings
from diurna.dedup import Duplicate, compute_clusters
from diurna.records import Article, Extraction, Failure
from diurna.runner import Summary, _DuplicateLinks, select_articles
from diurna.store import Store

log = logging.getLogger(__name__)

RECORD_TYPES: tuple[str, ...] = ("articles", "events", "entities", "quotes", "places", "posts")

_S, _I, _F, _B = pa.string(), pa.int64(), pa.float64(), pa.bool_()

#: the column types of each Parquet dataset (JSON strings for lists and nested records)
RECORD_SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema([
        ("id", _S), ("date", _S), ("title", _S), ("url", _S), ("source", _S), ("origin", _S),
        ("languages", _S), ("coder", _S), ("num_events", _I), ("segments", _S), ("text", _S),
    ]),
    "events": pa.schema([
        ("id", _S), ("article_id", _S), ("position", _I), ("event_type", _S), ("mode", _S), ("context", _S),
        ("aux", _S), ("negated", _B), ("date", _S), ("date_inferred", _B), ("actor_country", _S),
        ("actor_name", _S), ("recipient_country", _S), ("recipient_name", _S), ("actor", _S), ("recipient", _S),
        ("claimed_by", _S), ("location_place_id", _S), ("location_name", _S), ("location_country", _S),
        ("lat", _F), ("lon", _F), ("location_inferred", _B), ("cameo", _S), ("goldstein", _F), ("quad", _S),
        ("plover_score", _F), ("trigger", _S), ("evidence_start", _I), ("evidence_end", _I),
        ("trigger_start", _I), ("trigger_end", _I), ("evidence_sentence", _S), ("confidence", _F), ("coder", _S),
    ]),
    "entities": pa.schema([
        ("article_id", _S), ("position", _I), ("id", _S), ("name", _S), ("type", _S), ("country_code", _S),
        ("sector_code", _S), ("other_sector_codes", _S), ("titles", _S), ("mentions", _S),
    ]),
    "quotes": pa.schema([
        ("article_id", _S), ("position", _I), ("id", _S), ("speaker_id", _S), ("speaker_name", _S),
        ("text", _S), ("start", _I), ("end", _I), ("cue", _S),
    ]),
    "places": pa.schema([
        ("article_id", _S), ("position", _I), ("id", _S), ("name", _S), ("geonameid", _I), ("country_code", _S),
        ("admin1", _S), ("lat", _F), ("lon", _F), ("feature", _S), ("confidence", _F), ("mentions", _S),
    ]),
    "posts": pa.schema([
        ("article_id", _S), ("position", _I), ("platform", _S), ("handle", _S), ("author", _S), ("date", _S),
        ("language", _S), ("text", _S), ("start", _I), ("end", _I), ("url", _S),
    ]),
}  # fmt: skip


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _names(refs: list[Any], attr: str) -> str | None:
    values = [getattr(r, attr) for r in refs if getattr(r, attr)]
    return ";".join(dict.fromkeys(values)) or None


def record_rows(x: Extraction, origin: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """One extraction as flat rows per record type (the Parquet layout)."""
    dump = x.model_dump(mode="json")
    out: dict[str, list[dict[str, Any]]] = {
        "articles": [{
            "id": x.id, "date": x.date, "title": x.title, "url": x.url, "source": x.source, "origin": origin,
            "languages": _json(x.languages), "coder": x.coder, "num_events": len(x.events),
            "segments": _json(dump["segments"]), "text": x.text,
        }],
        "events": [], "entities": [], "quotes": [], "places": [], "posts": [],
    }  # fmt: skip
    for i, (e, d) in enumerate(zip(x.events, dump["events"], strict=True)):
        loc = e.location
        out["events"].append({
            "id": e.id, "article_id": x.id, "position": i, "event_type": e.event_type, "mode": _json(e.mode),
            "context": _json(e.context), "aux": _json(e.aux), "negated": "negation" in e.aux, "date": e.date,
            "date_inferred": e.date_inferred, "actor_country": _names(e.actor, "country_code"),
            "actor_name": _names(e.actor, "entity_name"), "recipient_country": _names(e.recipient, "country_code"),
            "recipient_name": _names(e.recipient, "entity_name"), "actor": _json(d["actor"]),
            "recipient": _json(d["recipient"]), "claimed_by": _json(d["claimed_by"]) if e.claimed_by else None,
            "location_place_id": loc.id if loc else None, "location_name": loc.name if loc else None,
            "location_country": loc.country_code if loc else None, "lat": loc.lat if loc else None,
            "lon": loc.lon if loc else None, "location_inferred": e.location_inferred, "cameo": e.cameo,
            "goldstein": e.goldstein, "quad": e.quad, "plover_score": e.plover_score, "trigger": e.trigger,
            "evidence_start": e.evidence.start, "evidence_end": e.evidence.end,
            "trigger_start": e.evidence.trigger_start, "trigger_end": e.evidence.trigger_end,
            "evidence_sentence": e.evidence.sentence, "confidence": e.confidence, "coder": e.coder,
        })  # fmt: skip
    for i, (ent, d) in enumerate(zip(x.entities, dump["entities"], strict=True)):
        out["entities"].append({
            "article_id": x.id, "position": i, "id": ent.id, "name": ent.name, "type": ent.type,
            "country_code": ent.country_code, "sector_code": ent.sector_code,
            "other_sector_codes": _json(ent.other_sector_codes), "titles": _json(ent.titles),
            "mentions": _json(d["mentions"]),
        })  # fmt: skip
    for i, q in enumerate(x.quotes):
        out["quotes"].append({"article_id": x.id, "position": i, **q.model_dump(mode="json")})
    for i, (p, d) in enumerate(zip(x.places, dump["places"], strict=True)):
        out["places"].append({**{k: v for k, v in d.items() if k != "mentions"}, "article_id": x.id, "position": i,
                              "id": p.id, "mentions": _json(d["mentions"])})
    for i, post in enumerate(x.posts):
        out["posts"].append({"article_id": x.id, "position": i, **post.model_dump(mode="json")})
    return out


def record_tables(extractions: Sequence[tuple[Extraction, str | None]]) -> dict[str, pa.Table]:
    rows: dict[str, list[dict[str, Any]]] = {kind: [] for kind in RECORD_TYPES}
    for x, origin in extractions:
        for kind, kind_rows in record_rows(x, origin).items():
            rows[kind].extend(kind_rows)
    return {kind: pa.Table.from_pylist(rows[kind], schema=RECORD_SCHEMAS[kind]) for kind in RECORD_TYPES}


class Extractor:
    """The Ray Data worker: builds the pipeline once (per actor) and codes batches of articles."""

    def __init__(self, settings_json: str) -> None:
        from diurna.pipeline import Pipeline

        self.pipeline = Pipeline(Settings.model_validate_json(settings_json))
        self.pipeline.warm_up()

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        articles = [Article.model_validate_json(a) for a in batch["article"]]
        origins = {a.id: a.origin for a in articles}
        out: dict[str, list[Any]] = {"id": [], "origin": [], "extraction": []}
        for x in self.pipeline.extract(articles):
            out["id"].append(x.id)
            out["origin"].append(origins[x.id])
            out["extraction"].append(x.model_dump_json())
        return out


def _records_of(batch: pa.Table, kind: str) -> pa.Table:
    """map_batches function: extraction JSON -> the flat table of one record type."""
    pairs = [(Extraction.model_validate_json(s), o) for s, o in
             zip(batch.column("extraction").to_pylist(), batch.column("origin").to_pylist(), strict=True)]
    return record_tables(pairs)[kind]


def init_ray(address: str | None, workers: int) -> None:
    import ray

    if ray.is_initialized():
        return
    if address:
        ray.init(address=address, logging_level=logging.WARNING)
    else:
        ray.init(num_cpus=max(2, workers), include_dashboard=False, logging_level=logging.WARNING,
                 configure_logging=True)


def run_ray(
    paths: Sequence[str],
    settings: Settings,
    *,
    store: Store | None = None,
    out_dir: str | Path | None = None,
    address: str | None = None,
    workers: int | None = None,
    stdin: TextIO | None = None,
    reprocess: bool = False,
    on_failure: Callable[[Failure], None] | None = None,
    dedup: bool | None = None,
    cluster: bool | None = None,
    shutdown: bool = False,
) -> Summary:
    """Extract every article under ``paths`` on Ray; write Parquet to ``out_dir`` and/or ``store``."""
    if store is None and out_dir is None:
        raise ValueError("the ray engine needs an output: a Parquet folder and/or a store")
    import ray
    import ray.data

    summary = Summary()
    started = time.perf_counter()
    n_workers = max(1, settings.workers if workers is None else workers)
    links = _DuplicateLinks(store) if store is not None else None

    def on_duplicate(dup: Duplicate) -> None:
        if links is not None:
            links.add(dup)

    items = [{"article": a.model_dump_json()} for a in select_articles(
        paths, settings, summary, store=store, stdin=stdin, reprocess=reprocess, on_failure=on_failure,
        on_duplicate=on_duplicate, dedup=dedup)]
    try:
        if items:
            init_ray(address, n_workers)
            ray.data.DataContext.get_current().enable_progress_bars = False
            blocks = max(n_workers, min(len(items) // max(1, settings.batch_size), 200))
            dataset = ray.data.from_items(items, override_num_blocks=blocks)
            extracted = dataset.map_batches(
                Extractor, fn_constructor_args=(settings.model_dump_json(),), batch_size=settings.batch_size,
                compute=ray.data.ActorPoolStrategy(size=n_workers), num_cpus=1,
            ).materialize()
            if out_dir is not None:
                for kind in RECORD_TYPES:
                    target = Path(out_dir) / kind
                    extracted.map_batches(_records_of, fn_kwargs={"kind": kind},
                                          batch_format="pyarrow").write_parquet(str(target))
            for _ in _iter_extractions(extracted, settings.batch_size, summary, store):
                pass
        if out_dir is not None:
            _ensure_empty_datasets(Path(out_dir))
        if store is not None and links is not None:
            links.flush(final=True)
            if settings.cluster_after_extract if cluster is None else cluster:
                summary.clusters = compute_clusters(store, settings.cluster_window_days).clusters
    finally:
        if shutdown and ray.is_initialized():
            ray.shutdown()
    summary.seconds = time.perf_counter() - started
    return summary


def _iter_extractions(extracted: Any, batch_size: int, summary: Summary, store: Store | None) -> Iterator[Extraction]:
    """The extractions, counted into ``summary`` and, with a store, written one batch per transaction."""
    for batch in extracted.iter_batches(batch_size=batch_size, batch_format="pyarrow"):
        pairs = [(Extraction.model_validate_json(s), o) for s, o in
                 zip(batch.column("extraction").to_pylist(), batch.column("origin").to_pylist(), strict=True)]
        for x, _ in pairs:
            summary.add(x)
        if store is not None:
            stats = store.write([x for x, _ in pairs], batch_size=len(pairs), origins={x.id: o for x, o in pairs})
            summary.rows_added += stats.rows_added
        yield from (x for x, _ in pairs)


def _ensure_empty_datasets(out_dir: Path) -> None:
    """A record type with no rows still gets its folder, with one empty Parquet file of its schema."""
    import pyarrow.parquet as pq

    for kind in RECORD_TYPES:
        folder = out_dir / kind
        if not folder.exists() or not any(folder.glob("*.parquet")):
            folder.mkdir(parents=True, exist_ok=True)
            pq.write_table(RECORD_SCHEMAS[kind].empty_table(), folder / "empty.parquet")

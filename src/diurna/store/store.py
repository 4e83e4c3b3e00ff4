"""The diurna store: write extractions once, read them back, query events, remember failures."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.pool import StaticPool

from diurna.records import Event, Extraction, Failure, Mention

from . import convert, schema
from .db import SQLITE_IMMEDIATE, create_engine
from .migrate import upgrade

T = TypeVar("T")

#: how many ids go into one ``IN (...)`` list
_IN_CHUNK = 500

#: tables whose rows ``Store.write`` adds, in insert order (parents first)
WRITE_TABLES: tuple[str, ...] = (
    "articles", "segments", "posts", "entities", "article_entities", "entity_mentions",
    "places", "article_places", "place_mentions", "events", "event_actors", "quotes",
)  # fmt: skip


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _as_list(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    return list(value)


def _as_date(value: str | dt.date | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


@dataclass
class WriteStats:
    """Rows actually added per table by one ``Store.write`` call (0 for rows that already existed)."""

    articles: int = 0
    segments: int = 0
    posts: int = 0
    entities: int = 0
    article_entities: int = 0
    entity_mentions: int = 0
    places: int = 0
    article_places: int = 0
    place_mentions: int = 0
    events: int = 0
    event_actors: int = 0
    quotes: int = 0
    #: extractions not written because their article id was already stored (or repeated in the input)
    articles_skipped: int = 0

    @property
    def rows_added(self) -> int:
        return sum(getattr(self, name) for name in WRITE_TABLES)

    def as_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)

    def __add__(self, other: WriteStats) -> WriteStats:
        return WriteStats(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in dataclasses.fields(self)}
        )


@dataclass(frozen=True)
class EventRow:
    """One stored event and the article it was coded from."""

    article_id: str
    event: Event


@dataclass(frozen=True)
class FailureRow:
    """An input that failed, how often, and when first and last."""

    origin: str
    code: str
    reason: str
    count: int
    first_seen: str
    last_seen: str

    def to_failure(self) -> Failure:
        return Failure(origin=self.origin, code=self.code, reason=self.reason)


class Store:
    """A diurna database (SQLite file or PostgreSQL).  Use :func:`open_store` to get one.

    Every method opens its own connection and transaction; the object may be shared by threads
    (SQLAlchemy's pool serialises access per connection).
    """

    def __init__(self, engine: sa.Engine, *, migrate: bool = True) -> None:
        self._engine = engine
        if migrate:
            upgrade(engine)

    # ------------------------------------------------------------------ plumbing

    @property
    def engine(self) -> sa.Engine:
        return self._engine

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._engine.dialect.name

    @property
    def single_connection(self) -> bool:
        """An in-memory SQLite database lives in one connection, which two threads must not use at once."""
        return isinstance(self._engine.pool, StaticPool)

    @property
    def url(self) -> str:
        return self._engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    @contextmanager
    def _write_tx(self) -> Iterator[sa.Connection]:
        with self._engine.connect() as conn:
            conn.execution_options(**{SQLITE_IMMEDIATE: True})
            with conn.begin():
                yield conn

    def _insert(self, conn: sa.Connection, table: sa.Table):  # type: ignore[no-untyped-def]
        module = postgresql if conn.dialect.name == "postgresql" else sqlite
        return module.insert(table)

    def _insert_new(self, conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> int:
        """Insert-or-ignore on the primary key; returns how many rows were actually added."""
        if not rows:
            return 0
        if conn.dialect.name == "sqlite":
            return _sqlite_insert_new(conn, table, rows)
        first_pk = next(iter(table.primary_key.columns))
        stmt = self._insert(conn, table).on_conflict_do_nothing().returning(first_pk)
        return len(conn.execute(stmt, rows).all())

    # ------------------------------------------------------------------ writing

    def write(
        self,
        extractions: Iterable[Extraction],
        batch_size: int = 50,
        *,
        origins: Mapping[str, str] | None = None,
    ) -> WriteStats:
        """Store extractions; already stored articles (by id) are skipped, so re-writing adds nothing.

        One transaction per ``batch_size`` extractions: a batch is written entirely or not at all, and
        batches before a failing one stay committed.  ``extractions`` is consumed lazily.

        ``origins`` (article id -> where it was read from), when given, fills ``articles.origin`` and
        clears any recorded failure for that origin in the same transaction.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        total = WriteStats()
        for chunk in _chunks(extractions, batch_size):
            with self._write_tx() as conn:
                stats = self._write_batch(conn, chunk, origins or {})
            total = total + stats
        return total

    def _write_batch(
        self, conn: sa.Connection, chunk: list[Extraction], origins: Mapping[str, str]
    ) -> WriteStats:
        stats = WriteStats()
        existing = self._existing_ids(conn, [x.id for x in chunk])
        created_at = _now()
        rows: dict[str, list[dict[str, Any]]] = {name: [] for name in WRITE_TABLES}
        seen: set[str] = set()
        for x in chunk:
            if x.id in existing or x.id in seen:
                stats.articles_skipped += 1
                continue
            seen.add(x.id)
            for name, table_rows in convert.extraction_rows(
                x, created_at=created_at, origin=origins.get(x.id)
            ).items():
                rows[name].extend(table_rows)
        for name in WRITE_TABLES:
            setattr(stats, name, self._insert_new(conn, schema.metadata.tables[name], rows[name]))
        done = [origins[x.id] for x in chunk if x.id in origins]
        if done:
            conn.execute(sa.delete(schema.failures).where(schema.failures.c.origin.in_(done)))
        return stats

    # ------------------------------------------------------------------ articles

    @staticmethod
    def _existing_ids(conn: sa.Connection, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(dict.fromkeys(ids), _IN_CHUNK):
            stmt = sa.select(schema.articles.c.id).where(schema.articles.c.id.in_(chunk))
            found.update(conn.scalars(stmt))
        return found

    def has_article(self, article_id: str) -> bool:
        with self._engine.connect() as conn:
            stmt = sa.select(schema.articles.c.id).where(schema.articles.c.id == article_id).limit(1)
            return conn.execute(stmt).first() is not None

    def existing_article_ids(self, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` already stored (so a pipeline can skip them before NLP)."""
        with self._engine.connect() as conn:
            return self._existing_ids(conn, list(ids))

    def get_extraction(self, article_id: str) -> Extraction | None:
        """The stored extraction rebuilt from the tables, equal to what was written; None if absent."""
        s = schema
        with self._engine.connect() as conn:
            art = conn.execute(sa.select(s.articles).where(s.articles.c.id == article_id)).mappings().first()
            if art is None:
                return None

            def of_article(table: sa.Table, *order: str) -> list[sa.RowMapping]:
                stmt = sa.select(table).where(table.c.article_id == article_id)
                stmt = stmt.order_by(*(table.c[name] for name in order))
                return list(conn.execute(stmt).mappings())

            entity_mentions: dict[str, list[Mention]] = {}
            for row in of_article(s.entity_mentions, "entity_id", "position"):
                entity_mentions.setdefault(row["entity_id"], []).append(convert.mention(row))
            place_mentions: dict[str, list[Mention]] = {}
            for row in of_article(s.place_mentions, "place_id", "position"):
                place_mentions.setdefault(row["place_id"], []).append(convert.mention(row))

            return Extraction(
                id=art["id"],
                date=art["date"],
                title=art["title"],
                text=art["text"],
                url=art["url"],
                source=art["source"],
                author=art["author"],
                languages=list(art["languages"]),
                segments=[convert.segment(r) for r in of_article(s.segments, "position")],
                posts=[convert.post(r) for r in of_article(s.posts, "position")],
                entities=[
                    convert.entity(r, entity_mentions.get(r["entity_id"], []))
                    for r in of_article(s.article_entities, "position")
                ],
                events=self._events(conn, of_article(s.events, "position")),
                quotes=[convert.quote(r) for r in of_article(s.quotes, "position")],
                places=[
                    convert.place(r, place_mentions.get(r["place_id"], []))
                    for r in of_article(s.article_places, "position")
                ],
                coder=art["coder"],
            )

    @staticmethod
    def _events(conn: sa.Connection, rows: Sequence[sa.RowMapping]) -> list[Event]:
        """Events for ``rows`` of the events table, in the order given, with their actors."""
        actors: dict[str, list[sa.RowMapping]] = {}
        ea = schema.event_actors
        for chunk in _chunks([r["id"] for r in rows], _IN_CHUNK):
            for ar in conn.execute(sa.select(ea).where(ea.c.event_id.in_(chunk))).mappings():
                actors.setdefault(ar["event_id"], []).append(ar)
        return [convert.event(r, actors.get(r["id"], [])) for r in rows]

    # ------------------------------------------------------------------ events

    def query_events(
        self,
        event_type: str | Iterable[str] | None = None,
        actor_country: str | Iterable[str] | None = None,
        recipient_country: str | Iterable[str] | None = None,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        include_negated: bool = False,
        limit: int | None = None,
    ) -> list[EventRow]:
        """Stored events matching every given filter, ordered by date (undated last) then id.

        ``since``/``until`` are inclusive ISO dates (``YYYY-MM-DD``); giving either excludes undated
        events.  A country filter matches when any actor (recipient) has that country code.  Events
        whose ``aux`` contains ``"negation"`` are left out unless ``include_negated``.
        """
        ev, ea = schema.events, schema.event_actors
        stmt = sa.select(ev)
        types = _as_list(event_type)
        if types is not None:
            stmt = stmt.where(ev.c.event_type.in_(types))
        for role, countries in (
            (convert.ROLE_ACTOR, _as_list(actor_country)),
            (convert.ROLE_RECIPIENT, _as_list(recipient_country)),
        ):
            if countries is not None:
                stmt = stmt.where(
                    sa.exists().where(
                        ea.c.event_id == ev.c.id, ea.c.role == role, ea.c.country_code.in_(countries)
                    )
                )
        if (start := _as_date(since)) is not None:
            stmt = stmt.where(ev.c.date >= start)
        if (end := _as_date(until)) is not None:
            stmt = stmt.where(ev.c.date <= end)
        if not include_negated:
            stmt = stmt.where(ev.c.negated.is_(sa.false()))
        stmt = stmt.order_by(ev.c.date.asc().nulls_last(), ev.c.id.asc())
        if limit is not None:
            stmt = stmt.limit(limit)
        with self._engine.connect() as conn:
            rows = list(conn.execute(stmt).mappings())
            events = self._events(conn, rows)
        return [EventRow(article_id=r["article_id"], event=e) for r, e in zip(rows, events, strict=True)]

    # ------------------------------------------------------------------ failures

    def record_failures(self, failures: Iterable[Failure]) -> int:
        """Remember inputs that could not be read; a repeat bumps ``count`` and ``last_seen``.

        Returns how many failures were recorded.  The latest code and reason win.
        """
        merged: dict[str, dict[str, Any]] = {}
        now = _now()
        total = 0
        for f in failures:
            total += 1
            row = merged.setdefault(
                f.origin, {"origin": f.origin, "count": 0, "first_seen": now, "last_seen": now}
            )
            row.update(code=f.code, reason=f.reason)
            row["count"] += 1
        if not merged:
            return 0
        fl = schema.failures
        with self._write_tx() as conn:
            ins = self._insert(conn, fl)
            stmt = ins.on_conflict_do_update(
                index_elements=[fl.c.origin],
                set_={
                    "code": ins.excluded.code,
                    "reason": ins.excluded.reason,
                    "last_seen": ins.excluded.last_seen,
                    "count": fl.c.count + ins.excluded.count,
                },
            )
            conn.execute(stmt, list(merged.values()))
        return total

    def failures(self, code: str | None = None) -> list[FailureRow]:
        """Recorded failures (optionally of one ``code``), ordered by origin."""
        fl = schema.failures
        stmt = sa.select(fl).order_by(fl.c.origin)
        if code is not None:
            stmt = stmt.where(fl.c.code == code)
        with self._engine.connect() as conn:
            return [
                FailureRow(**{f.name: r[f.name] for f in dataclasses.fields(FailureRow)})
                for r in conn.execute(stmt).mappings()
            ]

    def clear_failure(self, origin: str) -> bool:
        """Forget the failure recorded for ``origin`` (it has since been read); True if there was one."""
        with self._write_tx() as conn:
            result = conn.execute(sa.delete(schema.failures).where(schema.failures.c.origin == origin))
            return bool(result.rowcount)

    # ------------------------------------------------------------------ duplicates and clusters

    def write_duplicates(self, rows: Sequence[Mapping[str, Any]]) -> int:
        """Store near-duplicate links (rows of ``article_duplicates``; the originals must be stored);
        links already stored are kept as they are.  Returns how many were added."""
        with self._write_tx() as conn:
            return self._insert_new(conn, schema.article_duplicates, [dict(r) for r in rows])

    def existing_duplicate_ids(self, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` stored as near-duplicates (so a rerun skips them before NLP)."""
        found: set[str] = set()
        ad = schema.article_duplicates
        with self._engine.connect() as conn:
            for chunk in _chunks(dict.fromkeys(ids), _IN_CHUNK):
                found.update(conn.scalars(sa.select(ad.c.article_id).where(ad.c.article_id.in_(chunk))))
        return found

    def duplicates_of(self, article_id: str) -> list[dict[str, Any]]:
        """The near-duplicate links whose original is ``article_id``."""
        ad = schema.article_duplicates
        stmt = sa.select(ad).where(ad.c.duplicate_of == article_id).order_by(ad.c.article_id)
        with self._engine.connect() as conn:
            return [dict(r) for r in conn.execute(stmt).mappings()]

    def replace_clusters(self, clusters: Sequence[Mapping[str, Any]], members: Sequence[Mapping[str, Any]]) -> None:
        """Replace every event cluster and membership in one transaction."""
        created_at = _now()
        with self._write_tx() as conn:
            conn.execute(sa.delete(schema.event_cluster_members))
            conn.execute(sa.delete(schema.event_clusters))
            for chunk in _chunks([{**c, "created_at": created_at} for c in clusters], 1000):
                conn.execute(sa.insert(schema.event_clusters), chunk)
            for chunk in _chunks([dict(m) for m in members], 1000):
                conn.execute(sa.insert(schema.event_cluster_members), chunk)

    # ------------------------------------------------------------------ stats

    def counts(self) -> dict[str, int]:
        """Rows per table, every store table included."""
        with self._engine.connect() as conn:
            return {
                t.name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
                for t in schema.TABLES
            }


def open_store(url_or_path: str | os.PathLike[str], *, migrate: bool = True) -> Store:
    """Open (creating and migrating to head if needed) the store at a SQLite path or a database URL.

    - ``"diurna.db"`` / ``Path(...)``: a SQLite file (parent folders are created);
    - ``"sqlite:///path.db"``, ``":memory:"``: SQLite;
    - ``"postgresql://..."``, ``"postgres://..."``, ``"postgresql+psycopg://..."``: PostgreSQL via psycopg 3.
    """
    engine = create_engine(url_or_path)
    try:
        return Store(engine, migrate=migrate)
    except BaseException:
        engine.dispose()
        raise


def _json_text(value: Any) -> str:
    return "[]" if value == [] else json.dumps(value)


def _sqlite_insert_new(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> int:
    """The SQLite insert-if-new as driver-level SQL (``executemany``, no compilation): SQLAlchemy's per-parameter
    processing cost about as much as the inserts themselves (some 400 rows an article). Lists go in as the
    JSON text SQLAlchemy would write, booleans as 0/1, missing keys as NULL; reads still go through
    SQLAlchemy."""
    columns = [c.name for c in table.columns]
    as_json = [i for i, c in enumerate(table.columns) if isinstance(c.type, sa.JSON)]
    values = []
    for row in rows:
        value = [row.get(name) for name in columns]
        for i in as_json:
            value[i] = _json_text(value[i])
        values.append(tuple(value))
    names = ", ".join(f'"{name}"' for name in columns)
    marks = ", ".join("?" * len(columns))
    # ON CONFLICT DO NOTHING skips rows already stored; unlike INSERT OR IGNORE it still fails on NOT NULL
    sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks}) ON CONFLICT DO NOTHING'
    return conn.exec_driver_sql(sql, values).rowcount

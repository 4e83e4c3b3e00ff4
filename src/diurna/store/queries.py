"""Read queries for the HTTP API, the dashboard and the exports (SQLAlchemy Core, SQLite and PostgreSQL).

Every list query is keyset-paginated: it returns a page of rows and the sort key of the last row,
which the caller turns into an opaque cursor (:func:`encode_cursor`) and passes back as ``after``.
Listings never use ``OFFSET``, so page N costs the same as page 1.

Events and articles are listed newest first: dated rows by ``(date DESC, id DESC)`` (the
``(date, id)`` index read backwards), then undated rows by ``id DESC``.  The two phases are run as
two queries so both dialects use the index, whatever their NULL ordering.

Text search over articles and quotes (``q``) uses the full-text objects of revision
``0002_fulltext`` (SQLite FTS5 tables, PostgreSQL GIN indexes on ``to_tsvector('simple', ...)``):
every whitespace-separated term (up to 8) must match the start of a word, case-insensitively, in any
script (``shouk`` finds "Shoukry", ``القاه`` finds "القاهرة"); a term of several words
(``al-Sisi``, ``U.S.``) must match them in sequence.  A term with no letter or digit in it (``%``,
``--``) cannot be expressed in full-text syntax and falls back to a case-insensitive substring match
(``ILIKE``, with ``%``/``_``/``\\`` escaped).  Names (entities, places, speakers) are short and keep
the substring match.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from diurna.records import EVENT_TYPES, Entity, Place, Quote

from . import convert, schema
from .store import EventRow, Store

Interval = Literal["day", "week", "month"]
Key = list[Any]

MAX_TERMS = 8
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
QUADS: tuple[str, ...] = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")


class InvalidCursor(ValueError):
    """A pagination cursor that was not made by this module for this listing."""


# ------------------------------------------------------------------------------------------- cursors


def encode_cursor(kind: str, key: Key) -> str:
    payload = json.dumps([kind, key], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(payload).decode("ascii").rstrip("=")


def decode_cursor(kind: str, token: str | None) -> Key | None:
    """The key inside ``token`` (None for no token); :class:`InvalidCursor` if it is not one of ours."""
    if token is None or token == "":
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        tag, key = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise InvalidCursor("invalid cursor") from exc
    if tag != kind or not isinstance(key, list) or not key:
        raise InvalidCursor("cursor belongs to another listing")
    if not all(v is None or isinstance(v, str) for v in key):
        raise InvalidCursor("invalid cursor")
    return key


# ------------------------------------------------------------------------------------------- helpers


def _terms(q: str | None) -> list[str]:
    return q.split()[:MAX_TERMS] if q else []


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(column: sa.ColumnElement[Any], term: str) -> sa.ColumnElement[bool]:
    return column.ilike(_like(term), escape="\\")


_WORD_RE = re.compile(r"[^\W_]+")


def _words(term: str) -> list[str]:
    """The letter/digit runs of ``term``, lower-cased: what the FTS tokenizers index."""
    return [w.lower() for w in _WORD_RE.findall(term)]


def _fts5_query(terms: Sequence[str]) -> str:
    """An FTS5 query: every term as a prefix phrase (its words in sequence, the last one a prefix)."""
    return " ".join('"' + " ".join(_words(t)) + '"*' for t in terms)


def _tsquery_lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "':*"


def _pg_tsquery(terms: Sequence[str]) -> str:
    """A raw ``tsquery`` (no parsing on the server): every term as a prefix phrase, ANDed.

    PostgreSQL's parser keeps some compounds whole (``u.s``, ``al-sisi`` besides ``al`` and ``sisi``),
    so a term with inner punctuation also matches the whole compound as one prefix lexeme.
    """
    parts = []
    for term in terms:
        words = _words(term)
        phrase = " <-> ".join(
            _tsquery_lexeme(w) if n == len(words) - 1 else _tsquery_lexeme(w).removesuffix(":*")
            for n, w in enumerate(words)
        )
        compound = term.lower().strip(".,;:!?\"'()[]{}<>«»“”‘’")
        if len(words) > 1 and compound and not any(c.isspace() for c in compound):
            phrase = f"({phrase} | {_tsquery_lexeme(compound)})"
        parts.append(phrase)
    return " & ".join(parts)


def _fulltext(
    conn: sa.Connection, terms: Sequence[str], id_col: sa.ColumnElement[Any], kind: Literal["articles", "quotes"]
) -> sa.ColumnElement[bool] | None:
    """Rows of ``articles``/``quotes`` whose text matches every term (None: no term to match)."""
    if not terms:
        return None
    if conn.dialect.name == "postgresql":
        table = schema.articles if kind == "articles" else schema.quotes
        alias = table.alias(f"fts_{kind}")
        if kind == "articles":
            tsv = f"to_tsvector('simple'::regconfig, coalesce({alias.name}.title, '') || ' ' || {alias.name}.text)"
        else:
            tsv = f"to_tsvector('simple'::regconfig, {alias.name}.text)"
        # the expression repeats the GIN index's (schema.PG_*_TSV) so the index answers it; OFFSET 0
        # keeps the match a separate (hashed) step: inlined, the planner misjudges prefix queries and
        # walks the date index testing every row (seconds for a rare word)
        match = sa.text(f"{tsv} @@ CAST(:fts_query AS tsquery)").bindparams(fts_query=_pg_tsquery(terms))
        return id_col.in_(sa.select(alias.c.id).where(match).offset(0))
    fts, key = ("articles_fts", "article_id") if kind == "articles" else ("quotes_fts", "quote_id")
    # FTS rowids from the (contentless) FTS5 table, mapped to our ids through <fts>_ids
    rowids = (
        sa.select(sa.column("rowid"))
        .select_from(sa.table(fts))
        .where(sa.text(f"{fts} MATCH :fts_query").bindparams(fts_query=_fts5_query(terms)))
    )
    ids = sa.table(f"{fts}_ids", sa.column("fts_rowid"), sa.column(key))
    return id_col.in_(sa.select(ids.c[key]).where(ids.c.fts_rowid.in_(rowids)))


def _text_search(
    conn: sa.Connection,
    q: str | None,
    id_col: sa.ColumnElement[Any],
    kind: Literal["articles", "quotes"],
    columns: Sequence[sa.ColumnElement[Any]],
) -> list[sa.ColumnElement[bool]]:
    """WHERE clauses for ``q``: full text for terms with words, substring for the rest."""
    terms = _terms(q)
    where: list[sa.ColumnElement[bool]] = []
    fts = _fulltext(conn, [t for t in terms if _words(t)], id_col, kind)
    if fts is not None:
        where.append(fts)
    for term in terms:
        if not _words(term):
            where.append(sa.or_(*(_contains(c, term) for c in columns)))
    return where


def _json_has(conn: sa.Connection, column: sa.ColumnElement[Any], values: Sequence[str]) -> sa.ColumnElement[bool]:
    """A JSON list column holds any of ``values``."""
    if conn.dialect.name == "postgresql":
        as_jsonb = sa.cast(column, postgresql.JSONB)
        return sa.or_(*(as_jsonb.contains([v]) for v in values))
    each = sa.func.json_each(column).table_valued("value")
    return sa.exists(sa.select(sa.literal(1)).select_from(each).where(each.c.value.in_(list(values))))


def _desc_after(date_col: sa.ColumnElement[Any], id_col: sa.ColumnElement[Any], key: Key) -> sa.ColumnElement[bool]:
    # a row-value comparison, which both SQLite and PostgreSQL answer from the (date, id) index
    return sa.tuple_(date_col, id_col) < sa.tuple_(sa.literal(key[0]), sa.literal(key[1]))


def _asc_after(cols: Sequence[sa.ColumnElement[Any]], key: Key) -> sa.ColumnElement[bool]:
    clauses = []
    for n, col in enumerate(cols):
        equal = [cols[m] == key[m] for m in range(n)]
        clauses.append(sa.and_(*equal, col > key[n]))
    return sa.or_(*clauses)


def _dated_page(
    conn: sa.Connection,
    stmt: sa.Select[Any],
    date_col: sa.ColumnElement[Any],
    id_col: sa.ColumnElement[Any],
    after: Key | None,
    limit: int,
    dated_only: bool,
) -> tuple[list[sa.RowMapping], Key | None]:
    """Newest first: dated rows (date desc, id desc), then undated rows (id desc)."""
    rows: list[sa.RowMapping] = []
    in_undated = after is not None and after[0] is None
    if not in_undated:
        dated = stmt.where(date_col.is_not(None))
        if after is not None:
            dated = dated.where(_desc_after(date_col, id_col, after))
        dated = dated.order_by(date_col.desc(), id_col.desc()).limit(limit + 1)
        rows.extend(conn.execute(dated).mappings())
    if len(rows) <= limit and not dated_only:
        undated = stmt.where(date_col.is_(None))
        if in_undated:
            assert after is not None
            undated = undated.where(id_col < after[1])
        undated = undated.order_by(id_col.desc()).limit(limit + 1 - len(rows))
        rows.extend(conn.execute(undated).mappings())
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        return rows, [last[date_col.key], last[id_col.key]]
    return rows, None


def _clean(values: Sequence[str] | str | None, upper: bool = False) -> list[str] | None:
    if values is None:
        return None
    items = [values] if isinstance(values, str) else list(values)
    items = [v.strip() for v in items if v and v.strip()]
    if upper:
        items = [v.upper() for v in items]
    return items or None


# ------------------------------------------------------------------------------------------- events


@dataclass
class EventFilters:
    """Filters of the event listing; every list means "any of these", every field must match."""

    event_type: list[str] | None = None
    mode: list[str] | None = None
    context: list[str] | None = None
    actor_country: list[str] | None = None
    actor_sector: list[str] | None = None
    recipient_country: list[str] | None = None
    recipient_sector: list[str] | None = None
    #: entity id in any role (actor, recipient, claimed_by)
    entity: list[str] | None = None
    #: location place id
    place: list[str] | None = None
    #: location country code (as the places carry it, ISO 3166 alpha-2)
    country: list[str] | None = None
    article: list[str] | None = None
    since: str | None = None
    until: str | None = None
    include_negated: bool = False
    #: only events whose location has coordinates
    located: bool = False

    def __post_init__(self) -> None:
        upper = {"event_type", "actor_country", "actor_sector", "recipient_country", "recipient_sector", "country"}
        for f in fields(self):
            if f.name in ("since", "until", "include_negated", "located"):
                continue
            setattr(self, f.name, _clean(getattr(self, f.name), upper=f.name in upper))
        for name in ("since", "until"):
            value = getattr(self, name)
            if isinstance(value, dt.date):
                setattr(self, name, value.isoformat())
            elif value is not None and not DATE_RE.match(value):
                raise ValueError(f"{name} must be a date YYYY-MM-DD")
        if self.event_type:
            unknown = [t for t in self.event_type if t not in EVENT_TYPES]
            if unknown:
                raise ValueError(f"unknown event type(s) {unknown}")

    @property
    def dated_only(self) -> bool:
        return self.since is not None or self.until is not None


def _event_where(conn: sa.Connection, f: EventFilters) -> list[sa.ColumnElement[bool]]:
    ev, ea, pl = schema.events, schema.event_actors, schema.places
    where: list[sa.ColumnElement[bool]] = []
    if f.event_type:
        where.append(ev.c.event_type.in_(f.event_type))
    if f.mode:
        where.append(_json_has(conn, ev.c.mode, f.mode))
    if f.context:
        where.append(_json_has(conn, ev.c.context, f.context))
    for role, column, values in (
        (convert.ROLE_ACTOR, ea.c.country_code, f.actor_country),
        (convert.ROLE_ACTOR, ea.c.sector_code, f.actor_sector),
        (convert.ROLE_RECIPIENT, ea.c.country_code, f.recipient_country),
        (convert.ROLE_RECIPIENT, ea.c.sector_code, f.recipient_sector),
    ):
        if values:
            where.append(sa.exists().where(ea.c.event_id == ev.c.id, ea.c.role == role, column.in_(values)))
    if f.entity:
        where.append(sa.exists().where(ea.c.event_id == ev.c.id, ea.c.entity_id.in_(f.entity)))
    if f.place:
        where.append(ev.c.location_place_id.in_(f.place))
    if f.country:
        where.append(sa.exists().where(pl.c.id == ev.c.location_place_id, pl.c.country_code.in_(f.country)))
    if f.article:
        where.append(ev.c.article_id.in_(f.article))
    if f.located:
        where.append(
            sa.exists().where(pl.c.id == ev.c.location_place_id, pl.c.lat.is_not(None), pl.c.lon.is_not(None))
        )
    if f.since is not None:
        where.append(ev.c.date >= f.since)
    if f.until is not None:
        where.append(ev.c.date <= f.until)
    if not f.include_negated:
        where.append(ev.c.negated.is_(sa.false()))
    return where


def events_page(
    store: Store, filters: EventFilters, limit: int = 50, after: Key | None = None
) -> tuple[list[EventRow], Key | None]:
    """One page of events, newest first, and the key to pass as ``after`` for the next (None: last page)."""
    ev = schema.events
    with store.engine.connect() as conn:
        stmt = sa.select(ev).where(*_event_where(conn, filters))
        rows, key = _dated_page(conn, stmt, ev.c.date, ev.c.id, after, limit, filters.dated_only)
        events = Store._events(conn, rows)
    return [EventRow(article_id=r["article_id"], event=e) for r, e in zip(rows, events, strict=True)], key


def iter_events(store: Store, filters: EventFilters, batch_size: int = 1000) -> Iterator[EventRow]:
    """Every matching event, newest first, read a page at a time."""
    after: Key | None = None
    while True:
        rows, after = events_page(store, filters, batch_size, after)
        yield from rows
        if after is None:
            return


def count_events(store: Store, filters: EventFilters) -> int:
    ev = schema.events
    with store.engine.connect() as conn:
        stmt = sa.select(sa.func.count()).select_from(ev).where(*_event_where(conn, filters))
        return int(conn.execute(stmt).scalar_one())


# ------------------------------------------------------------------------------------------- articles


@dataclass(frozen=True)
class ArticleSummary:
    id: str
    date: str | None
    title: str | None
    url: str | None
    source: str | None
    languages: list[str]
    coder: str
    events: int


def articles_page(
    store: Store,
    q: str | None = None,
    since: str | None = None,
    until: str | None = None,
    source: str | None = None,
    limit: int = 50,
    after: Key | None = None,
) -> tuple[list[ArticleSummary], Key | None]:
    """Articles newest first; ``q``: every term starts a word of the title or the text (full text)."""
    ar, ev = schema.articles, schema.events
    for name, value in (("since", since), ("until", until)):
        if value is not None and not DATE_RE.match(value):
            raise ValueError(f"{name} must be a date YYYY-MM-DD")
    n_events = (
        sa.select(sa.func.count())
        .where(ev.c.article_id == ar.c.id, ev.c.negated.is_(sa.false()))
        .scalar_subquery()
        .label("n_events")
    )
    cols = [ar.c.id, ar.c.date, ar.c.title, ar.c.url, ar.c.source, ar.c.languages, ar.c.coder, n_events]
    stmt = sa.select(*cols)
    if since is not None:
        stmt = stmt.where(ar.c.date >= since)
    if until is not None:
        stmt = stmt.where(ar.c.date <= until)
    if source:
        stmt = stmt.where(ar.c.source == source)
    with store.engine.connect() as conn:
        stmt = stmt.where(*_text_search(conn, q, ar.c.id, "articles", [ar.c.title, ar.c.text]))
        rows, key = _dated_page(
            conn, stmt, ar.c.date, ar.c.id, after, limit, since is not None or until is not None
        )
    return [
        ArticleSummary(
            id=r["id"], date=r["date"], title=r["title"], url=r["url"], source=r["source"],
            languages=list(r["languages"]), coder=r["coder"], events=int(r["n_events"]),
        )
        for r in rows
    ], key  # fmt: skip


# ------------------------------------------------------------------------------------------- entities


def _entity_from_row(row: sa.RowMapping) -> Entity:
    return Entity(
        id=row["id"], name=row["name"], type=row["type"], country_code=row["country_code"],
        sector_code=row["sector_code"], other_sector_codes=list(row["other_sector_codes"]),
        titles=list(row["titles"]), mentions=[],
    )  # fmt: skip


def entities_page(
    store: Store,
    q: str | None = None,
    entity_type: str | None = None,
    country: str | None = None,
    sector: str | None = None,
    limit: int = 50,
    after: Key | None = None,
) -> tuple[list[Entity], Key | None]:
    """Entities by name; ``q`` matches every term in the name (any script, case-insensitive)."""
    en = schema.entities
    stmt = sa.select(en)
    for term in _terms(q):
        stmt = stmt.where(_contains(en.c.name, term))
    if entity_type:
        stmt = stmt.where(en.c.type == entity_type)
    if country:
        stmt = stmt.where(en.c.country_code == country.upper())
    if sector:
        stmt = stmt.where(en.c.sector_code == sector.upper())
    if after is not None:
        stmt = stmt.where(_asc_after([en.c.name, en.c.id], after))
    stmt = stmt.order_by(en.c.name, en.c.id).limit(limit + 1)
    with store.engine.connect() as conn:
        rows = list(conn.execute(stmt).mappings())
    key = None
    if len(rows) > limit:
        rows = rows[:limit]
        key = [rows[-1]["name"], rows[-1]["id"]]
    return [_entity_from_row(r) for r in rows], key


@dataclass(frozen=True)
class CoActor:
    entity_id: str
    name: str
    country_code: str | None
    sector_code: str | None
    events: int


@dataclass(frozen=True)
class EntityDetail:
    entity: Entity
    events: int
    articles: int
    quotes: int
    co_actors: list[CoActor]


def entity_detail(store: Store, entity_id: str, co_actor_limit: int = 20) -> EntityDetail | None:
    """An entity with how many events, articles and quotes it has, and who it shares events with."""
    en, ea, ev, ae, qt = schema.entities, schema.event_actors, schema.events, schema.article_entities, schema.quotes
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(en).where(en.c.id == entity_id)).mappings().first()
        if row is None:
            return None
        own = (
            sa.select(ea.c.event_id)
            .join(ev, ev.c.id == ea.c.event_id)
            .where(ea.c.entity_id == entity_id, ev.c.negated.is_(sa.false()))
            .distinct()
        )
        n_events = conn.execute(sa.select(sa.func.count()).select_from(own.subquery())).scalar_one()
        n_articles = conn.execute(
            sa.select(sa.func.count()).select_from(ae).where(ae.c.entity_id == entity_id)
        ).scalar_one()
        n_quotes = conn.execute(
            sa.select(sa.func.count()).select_from(qt).where(qt.c.speaker_id == entity_id)
        ).scalar_one()
        other = ea.alias("other")
        n = sa.func.count(sa.distinct(other.c.event_id)).label("n")
        co_stmt = (
            sa.select(other.c.entity_id, sa.func.max(other.c.entity_name).label("name"),
                      sa.func.max(other.c.country_code).label("country_code"),
                      sa.func.max(other.c.sector_code).label("sector_code"), n)
            .where(other.c.event_id.in_(own), other.c.entity_id != entity_id)
            .group_by(other.c.entity_id)
            .order_by(n.desc(), other.c.entity_id)
            .limit(co_actor_limit)
        )  # fmt: skip
        co = [
            CoActor(r["entity_id"], r["name"], r["country_code"], r["sector_code"], int(r["n"]))
            for r in conn.execute(co_stmt).mappings()
        ]
    return EntityDetail(_entity_from_row(row), int(n_events), int(n_articles), int(n_quotes), co)


# ------------------------------------------------------------------------------------------- quotes


@dataclass(frozen=True)
class QuoteRow:
    article_id: str
    quote: Quote


def quotes_page(
    store: Store,
    speaker: str | None = None,
    speaker_name: str | None = None,
    q: str | None = None,
    article: str | None = None,
    limit: int = 50,
    after: Key | None = None,
) -> tuple[list[QuoteRow], Key | None]:
    """Quotes by speaker id, speaker name (substring) or words in the quote (full text), ordered by id."""
    qt = schema.quotes
    stmt = sa.select(qt)
    if speaker:
        stmt = stmt.where(qt.c.speaker_id == speaker)
    for term in _terms(speaker_name):
        stmt = stmt.where(_contains(qt.c.speaker_name, term))
    if article:
        stmt = stmt.where(qt.c.article_id == article)
    if after is not None:
        stmt = stmt.where(qt.c.id > after[0])
    stmt = stmt.order_by(qt.c.id).limit(limit + 1)
    with store.engine.connect() as conn:
        stmt = stmt.where(*_text_search(conn, q, qt.c.id, "quotes", [qt.c.text]))
        rows = list(conn.execute(stmt).mappings())
    key = None
    if len(rows) > limit:
        rows = rows[:limit]
        key = [rows[-1]["id"]]
    return [QuoteRow(r["article_id"], convert.quote(r)) for r in rows], key


# ------------------------------------------------------------------------------------------- places


def places_page(
    store: Store,
    q: str | None = None,
    country: str | None = None,
    limit: int = 50,
    after: Key | None = None,
) -> tuple[list[Place], Key | None]:
    """Places by name; ``q`` matches every term in the name."""
    pl = schema.places
    stmt = sa.select(pl)
    for term in _terms(q):
        stmt = stmt.where(_contains(pl.c.name, term))
    if country:
        stmt = stmt.where(pl.c.country_code == country.upper())
    if after is not None:
        stmt = stmt.where(_asc_after([pl.c.name, pl.c.id], after))
    stmt = stmt.order_by(pl.c.name, pl.c.id).limit(limit + 1)
    with store.engine.connect() as conn:
        rows = list(conn.execute(stmt).mappings())
    key = None
    if len(rows) > limit:
        rows = rows[:limit]
        key = [rows[-1]["name"], rows[-1]["id"]]
    places = [
        Place(id=r["id"], name=r["name"], geonameid=r["geonameid"], country_code=r["country_code"],
              admin1=r["admin1"], lat=r["lat"], lon=r["lon"], feature=r["feature"], confidence=r["confidence"])
        for r in rows
    ]  # fmt: skip
    return places, key


# ------------------------------------------------------------------------------------------- dyads


@dataclass
class TimelineBucket:
    period: str
    start: str
    events: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    by_quad: dict[str, int] = field(default_factory=dict)
    goldstein_sum: float = 0.0
    goldstein_n: int = 0

    @property
    def goldstein_mean(self) -> float | None:
        return round(self.goldstein_sum / self.goldstein_n, 4) if self.goldstein_n else None


def _bucket(date: str, interval: Interval) -> tuple[str, str]:
    """(label, first day) of the period holding ``date``."""
    if interval == "day":
        return date, date
    if interval == "month":
        return date[:7], date[:7] + "-01"
    day = dt.date.fromisoformat(date)
    monday = day - dt.timedelta(days=day.weekday())
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}", monday.isoformat()


def dyad_timeline(
    store: Store,
    a: str,
    b: str,
    interval: Interval = "month",
    directed: bool = False,
    since: str | None = None,
    until: str | None = None,
    include_negated: bool = False,
) -> list[TimelineBucket]:
    """Events between two actor country codes per period: counts by type and quad, mean Goldstein.

    With ``directed`` only events with an actor from ``a`` and a recipient from ``b``; otherwise
    either way round.  Undated events are left out.
    """
    dy = schema.event_dyads
    a, b = a.upper(), b.upper()
    for name, value in (("since", since), ("until", until)):
        if value is not None and not DATE_RE.match(value):
            raise ValueError(f"{name} must be a date YYYY-MM-DD")

    # event_dyads holds one row per event and distinct (actor country, recipient country) pair, with
    # the columns aggregated here, under an index on (actor, recipient, date, negated, ...): each
    # direction is one range scan of that index, nothing else is read
    def side(x: str, y: str, skip_pair: tuple[str, str] | None = None) -> sa.Select[Any]:
        stmt = sa.select(dy.c.date, dy.c.event_type, dy.c.quad, dy.c.goldstein).where(
            dy.c.actor_country == x, dy.c.recipient_country == y, dy.c.date.is_not(None)
        )
        if since is not None:
            stmt = stmt.where(dy.c.date >= since)
        if until is not None:
            stmt = stmt.where(dy.c.date <= until)
        if not include_negated:
            stmt = stmt.where(dy.c.negated.is_(sa.false()))
        if skip_pair is not None:
            # an event with actors and recipients from both countries counts once
            other = dy.alias("other")
            stmt = stmt.where(
                ~sa.exists().where(
                    other.c.event_id == dy.c.event_id,
                    other.c.actor_country == skip_pair[0],
                    other.c.recipient_country == skip_pair[1],
                )
            )
        return stmt

    rows_of = side(a, b) if directed or a == b else sa.union_all(side(a, b), side(b, a, (a, b)))
    rows = rows_of.subquery()
    stmt = (
        sa.select(rows.c.date, rows.c.event_type, rows.c.quad, sa.func.count().label("n"),
                  sa.func.sum(rows.c.goldstein).label("g_sum"), sa.func.count(rows.c.goldstein).label("g_n"))
        .group_by(rows.c.date, rows.c.event_type, rows.c.quad)
    )  # fmt: skip
    buckets: dict[str, TimelineBucket] = {}
    with store.engine.connect() as conn:
        for r in conn.execute(stmt).mappings():
            try:
                label, start = _bucket(r["date"], interval)
            except ValueError:  # a malformed stored date: leave it out of the timeline
                continue
            bucket = buckets.setdefault(label, TimelineBucket(period=label, start=start))
            n = int(r["n"])
            bucket.events += n
            bucket.by_type[r["event_type"]] = bucket.by_type.get(r["event_type"], 0) + n
            if r["quad"]:
                bucket.by_quad[r["quad"]] = bucket.by_quad.get(r["quad"], 0) + n
            if r["g_n"]:
                bucket.goldstein_sum += float(r["g_sum"])
                bucket.goldstein_n += int(r["g_n"])
    return [buckets[k] for k in sorted(buckets, key=lambda k: buckets[k].start)]


def period_range(period_start: str, interval: Interval) -> tuple[str, str]:
    """(first, last) day of the period starting on ``period_start``."""
    first = dt.date.fromisoformat(period_start)
    if interval == "day":
        last = first
    elif interval == "week":
        last = first + dt.timedelta(days=6)
    else:
        nxt = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        last = nxt - dt.timedelta(days=1)
    return first.isoformat(), last.isoformat()


# ------------------------------------------------------------------------------------------- overview


def overview_counts(store: Store) -> dict[str, int]:
    """Articles, events (not negated), entities, quotes and places in the store."""
    s = schema
    with store.engine.connect() as conn:

        def count(table: sa.Table, *where: sa.ColumnElement[bool]) -> int:
            return int(conn.execute(sa.select(sa.func.count()).select_from(table).where(*where)).scalar_one())

        return {
            "articles": count(s.articles),
            "events": count(s.events, s.events.c.negated.is_(sa.false())),
            "entities": count(s.entities),
            "quotes": count(s.quotes),
            "places": count(s.places),
        }


def actor_countries(store: Store) -> list[str]:
    """Every country code that fills an actor or recipient role, sorted."""
    ea = schema.event_actors
    stmt = (
        sa.select(ea.c.country_code)
        .where(ea.c.role.in_([convert.ROLE_ACTOR, convert.ROLE_RECIPIENT]), ea.c.country_code.is_not(None))
        .distinct()
        .order_by(ea.c.country_code)
    )
    with store.engine.connect() as conn:
        return list(conn.scalars(stmt))


def article_meta(store: Store, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """url, source, title, date and created_at of the given articles, by id."""
    ar = schema.articles
    out: dict[str, dict[str, Any]] = {}
    unique = list(dict.fromkeys(ids))
    with store.engine.connect() as conn:
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            stmt = sa.select(ar.c.id, ar.c.url, ar.c.source, ar.c.title, ar.c.date, ar.c.created_at).where(
                ar.c.id.in_(chunk)
            )
            for r in conn.execute(stmt).mappings():
                out[r["id"]] = dict(r)
    return out


# ------------------------------------------------------------------------------------------- event clusters


@dataclass(frozen=True)
class ClusterRow:
    """One event cluster (diurna.dedup): events of one type and dyad, close in date and place."""

    id: str
    event_type: str
    actor_country: str | None
    recipient_country: str | None
    country_code: str | None
    place_id: str | None
    start_date: str
    end_date: str
    num_events: int
    num_articles: int
    num_sources: int
    num_mentions: int
    goldstein: float | None
    event_ids: list[str] = field(default_factory=list)


def clusters_page(
    store: Store,
    event_type: Sequence[str] | str | None = None,
    country: Sequence[str] | str | None = None,
    since: str | None = None,
    until: str | None = None,
    min_articles: int = 1,
    limit: int = 50,
    after: Key | None = None,
) -> tuple[list[ClusterRow], Key | None]:
    """Event clusters newest first (start date desc, id desc), keyset-paginated like the other listings.

    ``country`` matches the actor, recipient or location country; ``min_articles`` keeps clusters
    reported by at least that many articles (duplicates included)."""
    ec, em = schema.event_clusters, schema.event_cluster_members
    for name, value in (("since", since), ("until", until)):
        if value is not None and not DATE_RE.match(value):
            raise ValueError(f"{name} must be a date YYYY-MM-DD")
    stmt = sa.select(ec)
    if types := _clean(event_type, upper=True):
        stmt = stmt.where(ec.c.event_type.in_(types))
    if countries := _clean(country, upper=True):
        stmt = stmt.where(sa.or_(ec.c.country_code.in_(countries), *(
            sa.or_(col == c, col.like(f"{c};%"), col.like(f"%;{c}"), col.like(f"%;{c};%"))
            for col in (ec.c.actor_country, ec.c.recipient_country) for c in countries)))
    if since is not None:
        stmt = stmt.where(ec.c.end_date >= since)
    if until is not None:
        stmt = stmt.where(ec.c.start_date <= until)
    if min_articles > 1:
        stmt = stmt.where(ec.c.num_articles >= min_articles)
    with store.engine.connect() as conn:
        rows, key = _dated_page(conn, stmt, ec.c.start_date, ec.c.id, after, limit, True)
        members: dict[str, list[str]] = {}
        ids = [r["id"] for r in rows]
        if ids:
            for m in conn.execute(sa.select(em).where(em.c.cluster_id.in_(ids)).order_by(em.c.event_id)):
                members.setdefault(m.cluster_id, []).append(m.event_id)
    names = [f.name for f in fields(ClusterRow) if f.name != "event_ids"]
    return [ClusterRow(**{n: r[n] for n in names}, event_ids=members.get(r["id"], [])) for r in rows], key

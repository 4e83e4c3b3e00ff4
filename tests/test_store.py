"""Tests for diurna.store: migrations, round trip, idempotence, queries, failures, transactions."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from diurna.records import (
    ActorRef,
    Entity,
    Event,
    Evidence,
    Extraction,
    Failure,
    Mention,
    Place,
    Post,
    Quote,
    Segment,
    content_id,
)
from diurna.store import (
    Store,
    WriteStats,
    current_revision,
    head_revision,
    open_store,
    resolve_url,
)
from diurna.store.db import create_engine
from diurna.store.migrate import downgrade, upgrade
from diurna.store.schema import (
    FTS_ID_TABLES_SQLITE,
    FTS_INDEXES_POSTGRESQL,
    FTS_TABLES_SQLITE,
    TABLE_NAMES,
    articles,
    event_actors,
    event_dyads,
    events,
    metadata,
)

# ----------------------------------------------------------------------------------- sample data


def _mention(text: str, needle: str, nth: int = 0, lang: str = "en") -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Mention(start=start, end=start + len(needle), text=needle, lang=lang)


def _ref(entity: Entity, raw: str | None = None) -> ActorRef:
    return ActorRef(
        entity_id=entity.id,
        raw_text=raw or entity.name,
        entity_name=entity.name,
        country_code=entity.country_code,
        sector_code=entity.sector_code,
        other_sector_codes=list(entity.other_sector_codes),
    )


def _evidence(text: str, sentence: str, trigger: str) -> Evidence:
    start = text.index(sentence)
    t = text.index(trigger, start)
    return Evidence(
        start=start,
        end=start + len(sentence),
        trigger_start=t,
        trigger_end=t + len(trigger),
        sentence=sentence,
    )


def _entity(
    text: str, name: str, type_: str, country: str | None, sector: str | None, *needles: str, **kw
) -> Entity:
    return Entity(
        id=content_id("entity", name, type_, country),
        name=name,
        type=type_,
        country_code=country,
        sector_code=sector,
        mentions=[_mention(text, n) for n in needles],
        **kw,
    )


def _place(text: str, name: str, *needles: str, **kw) -> Place:
    return Place(id=content_id("place", name), name=name, mentions=[_mention(text, n) for n in needles], **kw)


def _event(article_id: str, text: str, event_type: str, sentence: str, trigger: str, **kw) -> Event:
    return Event(
        id=content_id(article_id, event_type, sentence, trigger),
        event_type=event_type,
        trigger=trigger,
        evidence=_evidence(text, sentence, trigger),
        coder="rules-0.1",
        **kw,
    )


def article_cairo() -> Extraction:
    s1 = "Protesters in Cairo accused the Egyptian government of corruption on Monday."
    s2 = "Egypt's foreign minister Sameh Shoukry met US envoy Amos Hochstein in Cairo on Tuesday."
    text = f"{s1} {s2}"
    aid = content_id("article", text)
    protesters = _entity(text, "Protesters", "group", "EGY", "CVL", "Protesters")
    govt = _entity(text, "Egyptian government", "organization", "EGY", "GOV", "Egyptian government")
    shoukry = _entity(
        text, "Sameh Shoukry", "person", "EGY", "GOV", "Sameh Shoukry",
        titles=["foreign minister"], other_sector_codes=["DIP"],
    )  # fmt: skip
    hochstein = _entity(text, "Amos Hochstein", "person", "USA", "GOV", "Amos Hochstein", titles=["envoy"])
    cairo = Place(
        id=content_id("place", "Cairo"),
        name="Cairo",
        geonameid=360630,
        country_code="EG",
        admin1="11",
        lat=30.06263,
        lon=31.24967,
        feature="PPLC",
        confidence=0.93,
        mentions=[_mention(text, "Cairo"), _mention(text, "Cairo", 1)],
    )
    cairo_first = cairo.model_copy(update={"mentions": cairo.mentions[:1]})
    return Extraction(
        id=aid,
        date="2024-03-05",
        title="Protests and talks in Cairo",
        text=text,
        url="https://example.org/cairo",
        source="Example Wire",
        languages=["en"],
        segments=[Segment(start=0, end=len(text), script="latin", language="en")],
        posts=[],
        entities=[protesters, govt, shoukry, hochstein],
        events=[
            _event(
                aid, text, "ACCUSE", s1, "accused",
                actor=[_ref(protesters)], recipient=[_ref(govt)], date="2024-03-04", date_inferred=False,
                location=cairo_first, cameo="112", goldstein=-2.0, quad="verbal_conflict", plover_score=0.81,
                mode=["allege"], context=["corruption"], confidence=0.9,
            ),
            _event(
                aid, text, "CONSULT", s2, "met",
                actor=[_ref(shoukry)], recipient=[_ref(hochstein, "US envoy Amos Hochstein")],
                date="2024-03-05",
                location=cairo, cameo="040", goldstein=1.0, quad="verbal_cooperation", context=["diplomatic"],
            ),
        ],
        quotes=[],
        places=[cairo],
        coder="rules-0.1",
    )  # fmt: skip


def article_border() -> Extraction:
    s1 = "Israel did not strike Lebanon on Wednesday, the army said."
    s2 = "\u00abWe will respond to any attack\u00bb, Hezbollah said in a statement."
    s3 = "Lebanese and Israeli officials and US envoy Amos Hochstein will meet again."
    arabic = "\u0627\u062d\u062a\u062c \u0627\u0644\u0645\u062a\u0638\u0627\u0647\u0631\u0648\u0646"
    tweet = "@IDF: we did not strike"
    text = f"{s1} {s2} {s3} {arabic} {tweet}"
    aid = content_id("article", text)
    israel = _entity(text, "Israel", "country", "ISR", "GOV", "Israel")
    lebanon = _entity(text, "Lebanon", "country", "LBN", None, "Lebanon")
    army = _entity(text, "Israel Defense Forces", "organization", "ISR", "MIL", "the army")
    hezbollah = _entity(text, "Hezbollah", "group", "LBN", "REB", "Hezbollah", other_sector_codes=["PTY"])
    # same id as in article_cairo, but this article codes it with other titles
    hochstein = _entity(
        text,
        "Amos Hochstein",
        "person",
        "USA",
        "GOV",
        "Amos Hochstein",
        titles=["US envoy", "senior adviser"],
    )
    lebanon_place = _place(text, "Lebanon", "Lebanon", geonameid=272103, country_code="LB", feature="PCLI")
    a_start = text.index(arabic)
    t_start = text.index(tweet)
    quote_text = "We will respond to any attack"
    q_start = text.index(quote_text)
    return Extraction(
        id=aid,
        date="2024-03-07",
        title=None,
        text=text,
        url=None,
        source="Example Wire",
        languages=["en", "ar"],
        segments=[
            Segment(start=0, end=a_start - 1, script="latin", language="en"),
            Segment(start=a_start, end=a_start + len(arabic), script="arabic", language="ar"),
            Segment(start=t_start, end=len(text), script="latin", language=None),
        ],
        posts=[
            Post(
                platform="twitter", handle="@IDF", author="IDF", date="2024-03-06", language="en",
                text=tweet, start=t_start, end=len(text), url="https://x.example/IDF/1",
            ),
            Post(platform="telegram", text=tweet, start=t_start, end=len(text)),
        ],
        entities=[israel, lebanon, army, hezbollah, hochstein],
        events=[
            _event(
                aid, text, "ASSAULT", s1, "strike",
                actor=[_ref(israel)], recipient=[_ref(lebanon)], aux=["negation"], date="2024-03-06",
                claimed_by=_ref(army), location=lebanon_place, quad="material_conflict", goldstein=-10.0,
            ),
            _event(
                aid, text, "THREATEN", s2, "respond",
                actor=[_ref(hezbollah)], recipient=[_ref(israel, "any attack")],
                aux=["future", "hypothetical"], date="2024-03-07", date_inferred=True,
                claimed_by=_ref(hezbollah),
            ),
            _event(
                aid, text, "CONSULT", s3, "meet",
                actor=[_ref(lebanon, "Lebanese"), _ref(israel, "Israeli"), _ref(hochstein)],
                recipient=[], aux=["future"], date=None,
            ),
        ],
        quotes=[
            Quote(
                id=content_id(aid, "quote", q_start), speaker_id=hezbollah.id, speaker_name="Hezbollah",
                text=quote_text, start=q_start, end=q_start + len(quote_text), cue="said",
            ),
            Quote(id=content_id(aid, "quote", 0), text=s1[:29], start=0, end=29),
        ],
        places=[lebanon_place],
        coder="rules-0.1",
    )  # fmt: skip


def article_plain(n: int, date: str = "2024-01-01") -> Extraction:
    """A small article with one AID event from Egypt to Sudan."""
    text = f"Egypt sent aid convoy number {n} to Sudan."
    aid = content_id("article", text)
    egypt = _entity(text, "Egypt", "country", "EGY", "GOV", "Egypt")
    sudan = _entity(text, "Sudan", "country", "SDN", None, "Sudan")
    return Extraction(
        id=aid,
        date=date,
        text=text,
        languages=["en"],
        entities=[egypt, sudan],
        events=[
            _event(aid, text, "AID", text, "sent", actor=[_ref(egypt)], recipient=[_ref(sudan)], date=date),
        ],
        coder="rules-0.1",
    )


@pytest.fixture
def rich() -> list[Extraction]:
    return [article_cairo(), article_border()]


def _check_offsets(x: Extraction) -> None:
    """Sanity check of the sample data itself: every span points at its text."""
    for ent in x.entities:
        for m in ent.mentions:
            assert x.text[m.start : m.end] == m.text
    for ev in x.events:
        assert x.text[ev.evidence.start : ev.evidence.end] == ev.evidence.sentence
        assert x.text[ev.evidence.trigger_start : ev.evidence.trigger_end] == ev.trigger
    for q in x.quotes:
        assert x.text[q.start : q.end] == q.text
    for p in x.posts:
        assert x.text[p.start : p.end] == p.text


def test_sample_data_offsets_are_valid(rich: list[Extraction]) -> None:
    for x in [*rich, article_plain(1)]:
        _check_offsets(x)


# ----------------------------------------------------------------------------------- opening, migrations


FULLTEXT = "0002_fulltext"


def _chain() -> list[str]:
    """Revision ids from base to head."""
    from alembic.script import ScriptDirectory

    from diurna.store.migrate import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(scripts.walk_revisions("base", "heads")))]


def test_revision_chain() -> None:
    chain = _chain()
    assert chain[:2] == ["0001_initial", FULLTEXT]
    assert chain[-1] == head_revision()


def _search_objects(engine: sa.Engine) -> set[str]:
    """The full-text objects outside the metadata: SQLite FTS5 tables, PostgreSQL GIN indexes."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            rows = conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%' OR name LIKE '%\\_fts\\_ids'"
                " ESCAPE '\\'"
            )
        else:
            rows = conn.exec_driver_sql(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND strpos(indexname, 'fts') > 0"
            )
        return {r[0] for r in rows}


def _triggers(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            rows = conn.exec_driver_sql(
                "SELECT DISTINCT trigger_name FROM information_schema.triggers"
                " WHERE trigger_schema = current_schema()"
            )
        return {r[0] for r in rows}


SQLITE_TRIGGERS = {
    "articles_fts_insert", "articles_fts_delete", "articles_fts_update",
    "quotes_fts_insert", "quotes_fts_delete", "quotes_fts_update",
    "event_dyads_actor_insert", "event_dyads_actor_delete", "event_dyads_actor_update", "event_dyads_event_update",
}  # fmt: skip
PG_TRIGGERS = {"event_dyads_actors", "event_dyads_event"}


def _expected_search_objects(dialect: str) -> tuple[set[str], set[str]]:
    if dialect == "sqlite":
        return {*FTS_TABLES_SQLITE, *FTS_ID_TABLES_SQLITE}, SQLITE_TRIGGERS
    return set(FTS_INDEXES_POSTGRESQL), PG_TRIGGERS


def _fts_shadow(name: str) -> bool:
    # FTS5 keeps its data in shadow tables named <table>_data, _idx, _docsize, _config (and our _ids)
    return any(name == t or name.startswith(t + "_") for t in FTS_TABLES_SQLITE)


def test_migrations_create_all_tables(store: Store) -> None:
    names = set(sa.inspect(store.engine).get_table_names())
    assert "event_dyads" in TABLE_NAMES
    assert set(TABLE_NAMES) <= names
    assert "alembic_version" in names
    assert {n for n in names if not _fts_shadow(n)} == {*TABLE_NAMES, "alembic_version"}
    assert current_revision(store.engine) == head_revision()
    assert store.counts() == dict.fromkeys(TABLE_NAMES, 0)
    fts, triggers = _expected_search_objects(store.dialect)
    assert _search_objects(store.engine) == fts
    assert _triggers(store.engine) == triggers


def test_migrations_match_schema_module(store: Store) -> None:
    # the only objects the metadata does not describe are the full-text ones, named exactly
    fts, _ = _expected_search_objects(store.dialect)
    skipped: set[str] = set()

    def include_name(name: str | None, type_: str, parent_names: object) -> bool:
        if name is not None and (name in fts or (type_ == "table" and _fts_shadow(name))):
            skipped.add(name)
            return False
        return True

    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": include_name})
        diff = compare_metadata(context, metadata)
    assert diff == []
    assert fts <= skipped


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_upgrade_and_downgrade_steps(store_url: str, rich: list[Extraction]) -> None:
    engine = create_engine(store_url)
    try:
        downgrade(engine, "base")
        assert current_revision(engine) is None
        upgrade(engine, "0001_initial")
        assert current_revision(engine) == "0001_initial"
        assert "event_dyads" not in sa.inspect(engine).get_table_names()
        assert _search_objects(engine) == set() and _triggers(engine) == set()
        # rows written at 0001 are carried into the new tables by the upgrade
        Store(engine, migrate=False).write(rich)
        upgrade(engine, FULLTEXT)
        assert current_revision(engine) == FULLTEXT
        store = Store(engine, migrate=False)
        fts, triggers = _expected_search_objects(store.dialect)
        assert _search_objects(engine) == fts and _triggers(engine) == triggers
        assert len(_dyads(store)) > 0
        assert _dyads(store) == _dyads_from_actors(store)
        downgrade(engine, "0001_initial")
        assert current_revision(engine) == "0001_initial"
        assert "event_dyads" not in sa.inspect(engine).get_table_names()
        assert _search_objects(engine) == set() and _triggers(engine) == set()
        assert not any(_fts_shadow(n) for n in sa.inspect(engine).get_table_names())
        assert Store(engine, migrate=False).get_extraction(rich[0].id) == rich[0]
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        assert _dyads(Store(engine, migrate=False)) == _dyads_from_actors(store)
    finally:
        engine.dispose()


def _dyads(store: Store) -> set[tuple[object, ...]]:
    with store.engine.connect() as conn:
        return {tuple(r) for r in conn.execute(sa.select(event_dyads))}


def _dyads_from_actors(store: Store) -> set[tuple[object, ...]]:
    """What event_dyads should hold, computed from events and event_actors."""
    ev, ea = events, event_actors
    a, r = ea.alias("a"), ea.alias("r")
    stmt = (
        sa.select(ev.c.id, a.c.country_code, r.c.country_code, ev.c.date, ev.c.event_type, ev.c.quad,
                  ev.c.goldstein, ev.c.negated)
        .join(a, sa.and_(a.c.event_id == ev.c.id, a.c.role == "actor", a.c.country_code.is_not(None)))
        .join(r, sa.and_(r.c.event_id == ev.c.id, r.c.role == "recipient", r.c.country_code.is_not(None)))
        .distinct()
    )  # fmt: skip
    with store.engine.connect() as conn:
        return {tuple(row) for row in conn.execute(stmt)}


def test_dyads_follow_writes_updates_and_deletes(store: Store, rich: list[Extraction]) -> None:
    store.write(rich)
    expected = _dyads_from_actors(store)
    assert expected and _dyads(store) == expected
    ev_id = next(iter(expected))[0]
    with store.engine.begin() as conn:
        conn.execute(sa.update(events).where(events.c.id == ev_id).values(date="1999-01-01", quad=None))
        conn.execute(
            sa.update(event_actors)
            .where(event_actors.c.event_id == ev_id, event_actors.c.role == "recipient")
            .values(country_code="ZZZ")
        )
    assert _dyads(store) == _dyads_from_actors(store)
    assert any(d[0] == ev_id and d[2] == "ZZZ" and d[3] == "1999-01-01" for d in _dyads(store))
    with store.engine.begin() as conn:
        conn.execute(sa.delete(event_actors).where(event_actors.c.event_id == ev_id, event_actors.c.role == "actor"))
    assert not any(d[0] == ev_id for d in _dyads(store))
    assert _dyads(store) == _dyads_from_actors(store)
    with store.engine.begin() as conn:
        conn.execute(sa.delete(articles).where(articles.c.id == rich[0].id))
    assert _dyads(store) == _dyads_from_actors(store)


def test_fulltext_follows_writes_and_deletes(store: Store, rich: list[Extraction]) -> None:
    from diurna.store.queries import articles_page, quotes_page

    store.write(rich)
    target = rich[0]
    word = target.text.split()[0]
    assert target.id in {a.id for a in articles_page(store, q=word)[0]}
    with store.engine.begin() as conn:
        conn.execute(sa.update(articles).where(articles.c.id == target.id).values(title="Zyxwv headline"))
    assert [a.id for a in articles_page(store, q="zyxwv")[0]] == [target.id]
    with store.engine.begin() as conn:
        conn.execute(sa.delete(articles).where(articles.c.id == target.id))
    assert articles_page(store, q="zyxwv")[0] == []
    quoted = [x for x in rich if x.quotes]
    if quoted:
        q = quoted[0].quotes[0]
        assert q.id in {r.quote.id for r in quotes_page(store, q=q.text.split()[-1].strip(".,!?\"'"))[0]}


def test_reopen_is_idempotent(store_url: str, rich: list[Extraction]) -> None:
    with open_store(store_url) as first:
        first.write(rich)
        before = first.counts()
    with open_store(store_url) as second:
        assert current_revision(second.engine) == head_revision()
        assert second.counts() == before
        assert second.get_extraction(rich[0].id) == rich[0]


def test_sqlite_pragmas(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with open_store(str(tmp_path / "sub" / "diurna.db")) as store:
        assert store.dialect == "sqlite"
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    assert (tmp_path / "sub" / "diurna.db").exists()


def test_in_memory_sqlite(rich: list[Extraction]) -> None:
    with open_store(":memory:") as store:
        store.write(rich)
        assert store.get_extraction(rich[1].id) == rich[1]


def test_resolve_url(tmp_path) -> None:  # type: ignore[no-untyped-def]
    plain = resolve_url(str(tmp_path / "a.db"))
    assert plain.drivername == "sqlite" and plain.database == str(tmp_path / "a.db")
    assert resolve_url("diurna.db").database.endswith("diurna.db")
    assert resolve_url("sqlite:///x.db").database == "x.db"
    assert resolve_url("postgresql://u@h:5432/db").drivername == "postgresql+psycopg"
    assert resolve_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert resolve_url("postgresql+psycopg://u@h/db").drivername == "postgresql+psycopg"
    with pytest.raises(ValueError, match="unsupported"):
        resolve_url("mysql://u@h/db")


# ----------------------------------------------------------------------------------- writing, round trip


def test_round_trip(store: Store, rich: list[Extraction]) -> None:
    store.write(rich)
    for x in rich:
        back = store.get_extraction(x.id)
        assert back == x
        assert back.model_dump() == x.model_dump()
    assert store.get_extraction("no-such-article") is None


def test_round_trip_one_per_batch_and_minimal(store: Store) -> None:
    minimal = Extraction(id="m1", text="", coder="c")
    xs = [minimal, article_plain(1), article_plain(2)]
    store.write(xs, batch_size=1)
    for x in xs:
        assert store.get_extraction(x.id) == x


def test_write_stats_count_rows_added(store: Store, rich: list[Extraction]) -> None:
    stats = store.write(rich)
    cairo, border = rich
    assert stats.articles == 2 and stats.articles_skipped == 0
    # Amos Hochstein is in both articles: one global entity row, two article links
    assert stats.entities == len(cairo.entities) + len(border.entities) - 1
    assert stats.article_entities == len(cairo.entities) + len(border.entities)
    assert stats.entity_mentions == sum(len(e.mentions) for x in rich for e in x.entities)
    assert stats.events == 5
    assert stats.event_actors == 2 + 2 + 3 + 3 + 3  # actors + recipients + claimed_by
    assert stats.quotes == 2 and stats.posts == 2 and stats.segments == 4
    assert stats.places == 2 and stats.article_places == 2 and stats.place_mentions == 3
    counts = store.counts()
    for name in ("articles", "entities", "article_entities", "events", "event_actors", "quotes", "places"):
        assert counts[name] == getattr(stats, name), name


def test_global_entities_keep_per_article_view(store: Store, rich: list[Extraction]) -> None:
    store.write(rich)
    cairo, border = (store.get_extraction(x.id) for x in rich)
    h1 = next(e for e in cairo.entities if e.name == "Amos Hochstein")
    h2 = next(e for e in border.entities if e.name == "Amos Hochstein")
    assert h1.id == h2.id
    assert h1.titles == ["envoy"] and h2.titles == ["US envoy", "senior adviser"]
    from diurna.store.schema import entities

    with store.engine.connect() as conn:
        n = conn.execute(
            sa.select(sa.func.count()).select_from(entities).where(entities.c.id == h1.id)
        ).scalar()
    assert n == 1


def test_write_twice_adds_nothing(store: Store, rich: list[Extraction]) -> None:
    first = store.write(rich)
    counts = store.counts()
    second = store.write(rich)
    assert first.rows_added > 0
    assert second.rows_added == 0
    assert second.articles_skipped == len(rich)
    assert store.counts() == counts
    # a repeat inside one input, and across batch boundaries
    third = store.write([article_plain(1), article_plain(1), *rich, article_plain(1)], batch_size=2)
    assert third.articles == 1 and third.articles_skipped == 4


def test_write_stats_addition() -> None:
    total = WriteStats(articles=1, events=2) + WriteStats(articles=2, articles_skipped=1)
    assert total.articles == 3 and total.events == 2 and total.articles_skipped == 1
    assert total.rows_added == 5
    assert total.as_dict()["articles"] == 3


def test_batch_size_must_be_positive(store: Store) -> None:
    with pytest.raises(ValueError, match="batch_size"):
        store.write([article_plain(1)], batch_size=0)


def test_has_article_and_existing_ids(store: Store, rich: list[Extraction]) -> None:
    assert not store.has_article(rich[0].id)
    store.write(rich[:1])
    assert store.has_article(rich[0].id)
    assert not store.has_article(rich[1].id)
    ids = [rich[0].id, rich[1].id, "nope"]
    assert store.existing_article_ids(ids) == {rich[0].id}
    assert store.existing_article_ids([]) == set()
    many = [f"x{i}" for i in range(1200)] + [rich[0].id]
    assert store.existing_article_ids(many) == {rich[0].id}


def test_failed_batch_leaves_no_partial_rows(store: Store, rich: list[Extraction]) -> None:
    good = article_plain(1)
    # a valid article whose second quote violates NOT NULL: the error comes from the database, after
    # the batch's articles, entities and events have already been inserted in the same transaction
    bad = article_plain(2)
    bad = bad.model_copy(update={"quotes": [Quote.model_construct(id="q-bad", text=None, start=0, end=1)]})
    with pytest.raises(sa.exc.IntegrityError):
        store.write([good, rich[0], rich[1], bad], batch_size=2)
    # batch 1 (good, cairo) committed; batch 2 (border, bad) rolled back entirely
    assert store.existing_article_ids([good.id, rich[0].id, rich[1].id, bad.id]) == {good.id, rich[0].id}
    counts = store.counts()
    assert counts["articles"] == 2
    assert counts["events"] == len(good.events) + len(rich[0].events)
    assert counts["quotes"] == 0
    assert counts["posts"] == 0 and counts["segments"] == 1  # border's posts/segments rolled back
    assert counts["entities"] == len(good.entities) + len(rich[0].entities)
    # the store is still usable and the failed batch can be written once fixed
    stats = store.write([rich[1], article_plain(2)])
    assert stats.articles == 2
    assert store.get_extraction(rich[1].id) == rich[1]


def test_failure_in_input_iterator_keeps_earlier_batches(store: Store) -> None:
    def produce():  # type: ignore[no-untyped-def]
        yield article_plain(1)
        yield article_plain(2)
        yield article_plain(3)
        raise RuntimeError("reader broke")

    with pytest.raises(RuntimeError):
        store.write(produce(), batch_size=2)
    assert store.counts()["articles"] == 2


# ----------------------------------------------------------------------------------- queries


def _ids(rows) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.event.id for r in rows]


def test_query_all_ordered_and_rebuilt(store: Store, rich: list[Extraction]) -> None:
    store.write(rich)
    rows = store.query_events()
    by_id = {ev.id: (x.id, ev) for x in rich for ev in x.events}
    non_negated = [e for x in rich for e in x.events if "negation" not in e.aux]
    assert len(rows) == len(non_negated) == 4
    for row in rows:
        assert (row.article_id, row.event) == by_id[row.event.id]
    dates = [r.event.date for r in rows]
    assert dates == ["2024-03-04", "2024-03-05", "2024-03-07", None]  # by date, undated last


def test_query_orders_same_date_by_id(store: Store) -> None:
    xs = [article_plain(i, "2024-02-02") for i in range(5)]
    store.write(xs)
    rows = store.query_events()
    assert _ids(rows) == sorted(ev.id for x in xs for ev in x.events)
    assert len(store.query_events(limit=2)) == 2
    assert _ids(store.query_events(limit=2)) == _ids(rows)[:2]


def test_query_negated_excluded_unless_asked(store: Store, rich: list[Extraction]) -> None:
    store.write(rich)
    assert all("negation" not in r.event.aux for r in store.query_events())
    assert store.query_events(event_type="ASSAULT") == []
    rows = store.query_events(event_type="ASSAULT", include_negated=True)
    assert len(rows) == 1 and rows[0].event.aux == ["negation"]
    assert rows[0].event.claimed_by is not None and rows[0].event.claimed_by.sector_code == "MIL"
    assert len(store.query_events(include_negated=True)) == 5


def test_query_event_type(store: Store, rich: list[Extraction]) -> None:
    store.write(rich)
    assert {r.event.event_type for r in store.query_events(event_type="CONSULT")} == {"CONSULT"}
    assert len(store.query_events(event_type="CONSULT")) == 2
    assert len(store.query_events(event_type=["ACCUSE", "THREATEN"])) == 2
    assert store.query_events(event_type="SANCTION") == []


def test_query_actor_country(store: Store, rich: list[Extraction]) -> None:
    store.write(rich)
    egy = store.query_events(actor_country="EGY")
    assert {r.event.event_type for r in egy} == {"ACCUSE", "CONSULT"}
    # any actor matches: the CONSULT in the border article has LBN, ISR and USA actors
    usa = store.query_events(actor_country="USA")
    assert [r.article_id for r in usa] == [rich[1].id]
    assert store.query_events(actor_country="ISR") == _undated_consult(store)
    assert len(store.query_events(actor_country="ISR", include_negated=True)) == 2
    # the recipient's country is not an actor country
    assert store.query_events(actor_country="SDN") == []


def _undated_consult(store: Store):  # type: ignore[no-untyped-def]
    return [r for r in store.query_events(event_type="CONSULT") if r.event.date is None]


def test_query_recipient_country(store: Store, rich: list[Extraction]) -> None:
    store.write([*rich, article_plain(1)])
    assert [r.event.event_type for r in store.query_events(recipient_country="USA")] == ["CONSULT"]
    assert [r.event.event_type for r in store.query_events(recipient_country="SDN")] == ["AID"]
    assert [r.event.event_type for r in store.query_events(recipient_country="ISR")] == ["THREATEN"]
    both = store.query_events(actor_country="EGY", recipient_country="EGY")
    assert [r.event.event_type for r in both] == ["ACCUSE"]


def test_query_dates(store: Store, rich: list[Extraction]) -> None:
    store.write(rich)
    since = store.query_events(since="2024-03-05")
    assert [r.event.date for r in since] == ["2024-03-05", "2024-03-07"]
    until = store.query_events(until="2024-03-05")
    assert [r.event.date for r in until] == ["2024-03-04", "2024-03-05"]
    window = store.query_events(since="2024-03-05", until="2024-03-05")
    assert [r.event.event_type for r in window] == ["CONSULT"]
    import datetime as dt

    assert store.query_events(since=dt.date(2024, 3, 7)) == store.query_events(since="2024-03-07")
    assert store.query_events(since="2025-01-01") == []


# ----------------------------------------------------------------------------------- failures


def test_failures_recorded_counted_cleared(store: Store) -> None:
    assert store.failures() == []
    n = store.record_failures(
        [
            Failure(origin="in/a.jsonl:3", reason="invalid JSON", code="bad_json"),
            Failure(origin="in/b.html", reason="empty body", code="empty"),
            Failure(origin="in/a.jsonl:3", reason="invalid JSON again", code="bad_json"),
        ]
    )
    assert n == 3
    rows = store.failures()
    assert [(f.origin, f.count) for f in rows] == [("in/a.jsonl:3", 2), ("in/b.html", 1)]
    assert rows[0].reason == "invalid JSON again"
    assert rows[0].to_failure() == Failure(
        origin="in/a.jsonl:3", reason="invalid JSON again", code="bad_json"
    )
    first_seen = rows[0].first_seen

    store.record_failures([Failure(origin="in/a.jsonl:3", reason="truncated", code="truncated")])
    again = store.failures()[0]
    assert again.count == 3 and again.code == "truncated" and again.first_seen == first_seen
    assert again.last_seen >= first_seen
    assert [f.origin for f in store.failures(code="empty")] == ["in/b.html"]
    assert store.counts()["failures"] == 2
    assert store.record_failures([]) == 0

    assert store.clear_failure("in/a.jsonl:3") is True
    assert store.clear_failure("in/a.jsonl:3") is False
    assert [f.origin for f in store.failures()] == ["in/b.html"]


def test_successful_write_clears_failure_of_its_origin(store: Store) -> None:
    x = article_plain(7)
    store.record_failures([Failure(origin="feed.jsonl:7", reason="timeout", code="io")])
    store.record_failures([Failure(origin="feed.jsonl:8", reason="timeout", code="io")])
    store.write([x], origins={x.id: "feed.jsonl:7"})
    assert [f.origin for f in store.failures()] == ["feed.jsonl:8"]
    from diurna.store.schema import articles

    with store.engine.connect() as conn:
        assert (
            conn.execute(sa.select(articles.c.origin).where(articles.c.id == x.id)).scalar() == "feed.jsonl:7"
        )
    assert store.get_extraction(x.id) == x


# ----------------------------------------------------------------------------------- lifecycle


def test_context_manager_and_repr(store_url: str) -> None:
    with open_store(store_url) as store:
        assert "Store(" in repr(store)
        assert store.dialect in ("sqlite", "postgresql")
    # closing disposes the pool; a new store on the same database still works
    with open_store(store_url) as again:
        assert again.counts()["articles"] == 0

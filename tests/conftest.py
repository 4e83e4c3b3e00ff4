"""Shared pytest fixtures.

Keep each component's fixtures in its own clearly marked section.
"""

from __future__ import annotations

# =====================================================================================================
# store fixtures (diurna.store): a fresh, migrated Store per test, on SQLite and (opt-in) PostgreSQL
# =====================================================================================================
import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from diurna.store import Store, open_store, resolve_url

#: set to a PostgreSQL URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run the
#: store tests on PostgreSQL as well; each test then gets its own schema, dropped afterwards
STORE_POSTGRES_ENV = "DIURNA_TEST_POSTGRES_URL"


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                not os.environ.get(STORE_POSTGRES_ENV),
                reason=f"PostgreSQL store tests need {STORE_POSTGRES_ENV} set to a database URL",
            ),
        ),
    ]
)
def store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A URL for an empty database: a SQLite file under tmp_path, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    base = resolve_url(os.environ[STORE_POSTGRES_ENV])
    schema = f"diurna_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    try:
        with admin.begin() as conn:
            conn.execute(sa.schema.CreateSchema(schema))
        yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
    finally:
        with admin.begin() as conn:
            conn.execute(sa.schema.DropSchema(schema, cascade=True, if_exists=True))
        admin.dispose()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """An opened (migrated) store on an empty database, closed after the test."""
    with open_store(store_url) as opened:
        yield opened


# =====================================================================================================
# end of store fixtures
# =====================================================================================================


# =====================================================================================================
# pipeline fixtures: the real spaCy model and shipped tables, loaded once per test session
# =====================================================================================================
from pathlib import Path  # noqa: E402

from diurna.config import Settings  # noqa: E402
from diurna.ingest import iter_articles  # noqa: E402
from diurna.pipeline import Pipeline  # noqa: E402
from diurna.records import Article, Extraction  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "articles"
GOLD_ARTICLES = REPO / "tests" / "gold" / "articles"


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline(Settings())


@pytest.fixture(scope="session")
def code(pipeline: Pipeline):  # type: ignore[no-untyped-def]
    """code(text, date) -> Extraction of one hand-written article."""

    def run(text: str, date: str | None = "2025-04-25") -> Extraction:
        article = Article(id="test-article", date=date, title=None, text=text, origin="test")
        return next(pipeline.extract([article]))

    return run


@pytest.fixture(scope="session")
def sample_extractions(pipeline: Pipeline) -> dict[str, Extraction]:
    """Every sample article extracted, keyed by its path relative to the repository root."""
    articles = [a for a in iter_articles([str(EXAMPLES)]) if isinstance(a, Article)]
    origins = {a.id: Path(a.origin).resolve().relative_to(REPO).as_posix() for a in articles}
    return {origins[x.id]: x for x in pipeline.extract(articles)}


# =====================================================================================================
# api / dashboard / export fixtures (diurna.api, diurna.web, diurna.export): hand-built extractions
# written to a fresh store (SQLite, and PostgreSQL when DIURNA_TEST_POSTGRES_URL is set)
# =====================================================================================================
from diurna.records import (  # noqa: E402
    ActorRef,
    Entity,
    Event,
    Evidence,
    Mention,
    Place,
    Post,
    Quote,
    Segment,
    content_id,
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives headless chromium through playwright (slow)")


def _api_mention(text: str, needle: str, nth: int = 0, lang: str = "en") -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Mention(start=start, end=start + len(needle), text=needle, lang=lang)


def _api_entity(text: str, name: str, type_: str, country: str | None, sector: str | None, *needles: str,
                lang: str = "en") -> Entity:
    return Entity(id=content_id("entity", name, type_, country), name=name, type=type_, country_code=country,
                  sector_code=sector, mentions=[_api_mention(text, n, lang=lang) for n in needles])


def _api_ref(entity: Entity) -> ActorRef:
    return ActorRef(entity_id=entity.id, raw_text=entity.name, entity_name=entity.name,
                    country_code=entity.country_code, sector_code=entity.sector_code)


def _api_event(aid: str, text: str, event_type: str, sentence: str, trigger: str, **kw: object) -> Event:
    start = text.index(sentence)
    t = text.index(trigger, start)
    return Event(
        id=content_id(aid, event_type, sentence, trigger), event_type=event_type, trigger=trigger,
        evidence=Evidence(start=start, end=start + len(sentence), trigger_start=t, trigger_end=t + len(trigger),
                          sentence=sentence),
        coder="rules-0.1", **kw,
    )  # type: ignore[arg-type]


def api_article_cairo() -> Extraction:
    s1 = "Protesters in Cairo accused the Egyptian government of corruption on Monday."
    s2 = "Egypt's foreign minister Sameh Shoukry met US envoy Amos Hochstein in Cairo on Tuesday."
    text = f"{s1} {s2}"
    aid = content_id("article", text)
    protesters = _api_entity(text, "Protesters", "group", "EGY", "CVL", "Protesters")
    govt = _api_entity(text, "Egyptian government", "organization", "EGY", "GOV", "Egyptian government")
    shoukry = _api_entity(text, "Sameh Shoukry", "person", "EGY", "GOV", "Sameh Shoukry")
    hochstein = _api_entity(text, "Amos Hochstein", "person", "USA", "GOV", "Amos Hochstein")
    cairo = Place(id=content_id("place", "Cairo"), name="Cairo", geonameid=360630, country_code="EG", lat=30.06263,
                  lon=31.24967, feature="PPLC", confidence=0.93,
                  mentions=[_api_mention(text, "Cairo"), _api_mention(text, "Cairo", 1)])
    return Extraction(
        id=aid, date="2024-03-05", title="Protests and talks in Cairo", text=text, url="https://example.org/cairo",
        source="Example Wire", languages=["en"],
        segments=[Segment(start=0, end=len(text), script="latin", language="en")],
        entities=[protesters, govt, shoukry, hochstein],
        events=[
            _api_event(aid, text, "PROTEST", s1, "Protesters", actor=[_api_ref(protesters)],
                       recipient=[_api_ref(govt)], date="2024-03-04", location=cairo, cameo="141", goldstein=-6.5,
                       quad="material_conflict", mode=["demonstrate"], context=["corruption"]),
            _api_event(aid, text, "ACCUSE", s1, "accused", actor=[_api_ref(protesters)], recipient=[_api_ref(govt)],
                       date="2024-03-04", location=cairo, cameo="112", goldstein=-2.0, quad="verbal_conflict",
                       mode=["allege"], context=["corruption"]),
            _api_event(aid, text, "CONSULT", s2, "met", actor=[_api_ref(shoukry)], recipient=[_api_ref(hochstein)],
                       date="2024-03-05", location=cairo, cameo="040", goldstein=1.0, quad="verbal_cooperation",
                       context=["diplomatic"]),
        ],
        quotes=[],
        places=[cairo],
        coder="rules-0.1",
    )


API_ARABIC = "\u0627\u0644\u0645\u062a\u0638\u0627\u0647\u0631\u0648\u0646 \u0641\u064a \u0628\u064a\u0631\u0648\u062a"
API_ARABIC_NAME = "\u0628\u064a\u0631\u0648\u062a"  # Beirut


def api_article_border() -> Extraction:
    s1 = "Israel did not strike Lebanon on Wednesday, the army said."
    s2 = "\u00abWe will respond to any attack\u00bb, Hezbollah said in a statement."
    s3 = "Lebanese and US officials will meet again."
    tweet = "@IDF: we did not strike"
    text = f"{s1} {s2} {s3} {API_ARABIC} {tweet}"
    aid = content_id("article", text)
    israel = _api_entity(text, "Israel", "country", "ISR", "GOV", "Israel")
    lebanon = _api_entity(text, "Lebanon", "country", "LBN", None, "Lebanon")
    hezbollah = _api_entity(text, "Hezbollah", "group", "LBN", "REB", "Hezbollah")
    usa = _api_entity(text, "United States", "country", "USA", "GOV", "US")
    beirut_ar = _api_entity(text, API_ARABIC_NAME, "group", "LBN", None, API_ARABIC_NAME, lang="ar")
    a_start = text.index(API_ARABIC)
    t_start = text.index(tweet)
    quote_text = "We will respond to any attack"
    q_start = text.index(quote_text)
    lebanon_place = Place(id=content_id("place", "Lebanon"), name="Lebanon", geonameid=272103, country_code="LB",
                          lat=33.83, lon=35.83, feature="PCLI", mentions=[_api_mention(text, "Lebanon")])
    return Extraction(
        id=aid, date="2024-03-07", title=None, text=text, url="javascript:alert(1)", source="Example Wire",
        languages=["en", "ar"],
        segments=[
            Segment(start=0, end=a_start - 1, script="latin", language="en"),
            Segment(start=a_start, end=a_start + len(API_ARABIC), script="arabic", language="ar"),
            Segment(start=t_start, end=len(text), script="latin", language=None),
        ],
        posts=[Post(platform="twitter", handle="@IDF", text=tweet, start=t_start, end=len(text))],
        entities=[israel, lebanon, hezbollah, usa, beirut_ar],
        events=[
            _api_event(aid, text, "ASSAULT", s1, "strike", actor=[_api_ref(israel)], recipient=[_api_ref(lebanon)],
                       aux=["negation"], date="2024-03-06", location=lebanon_place, quad="material_conflict",
                       goldstein=-10.0, cameo="190"),
            _api_event(aid, text, "THREATEN", s2, "respond", actor=[_api_ref(hezbollah)],
                       recipient=[_api_ref(israel)], aux=["future"], date="2024-03-07", quad="verbal_conflict",
                       goldstein=-4.0, claimed_by=_api_ref(hezbollah)),
            _api_event(aid, text, "CONSULT", s3, "meet", actor=[_api_ref(lebanon), _api_ref(usa)], recipient=[],
                       aux=["future"], date=None),
        ],
        quotes=[Quote(id=content_id(aid, "quote", q_start), speaker_id=hezbollah.id, speaker_name="Hezbollah",
                      text=quote_text, start=q_start, end=q_start + len(quote_text), cue="said")],
        places=[lebanon_place],
        coder="rules-0.1",
    )


def api_article_aid(n: int, date: str) -> Extraction:
    """A small article with one AID event from Egypt to Sudan."""
    text = f"Egypt sent aid convoy number {n} to Sudan <script>alert('x')</script>."
    aid = content_id("article", text)
    egypt = _api_entity(text, "Egypt", "country", "EGY", "GOV", "Egypt")
    sudan = _api_entity(text, "Sudan", "country", "SDN", None, "Sudan")
    sentence = text
    return Extraction(
        id=aid, date=date, title=f"Aid convoy {n}", text=text, languages=["en"], entities=[egypt, sudan],
        events=[_api_event(aid, text, "AID", sentence, "sent", actor=[_api_ref(egypt)], recipient=[_api_ref(sudan)],
                           date=date, cameo="070", goldstein=7.0, quad="material_cooperation")],
        coder="rules-0.1",
    )


#: how many AID articles api_extractions holds (dated 2024-01-01 .. 2024-01-NN, one per day)
API_AID_ARTICLES = 7


def api_extractions() -> list[Extraction]:
    aids = [api_article_aid(n, f"2024-01-{n:02d}") for n in range(1, API_AID_ARTICLES + 1)]
    return [api_article_cairo(), api_article_border(), *aids]


@pytest.fixture
def api_store_url(store_url: str) -> str:
    """A store URL (SQLite or PostgreSQL) already holding api_extractions()."""
    with open_store(store_url) as opened:
        opened.write(api_extractions())
    return store_url


# =====================================================================================================
# end of api / dashboard / export fixtures
# =====================================================================================================


# =====================================================================================================
# a live HTTP server on loopback, for the browser and reliability tests
# =====================================================================================================
import contextlib  # noqa: E402
import socket  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402


@contextlib.contextmanager
def serve_app(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Serve an ASGI app with uvicorn in a thread on a free 127.0.0.1 port; yields its base URL."""
    uvicorn = pytest.importorskip("uvicorn")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)

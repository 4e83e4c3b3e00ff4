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

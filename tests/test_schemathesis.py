"""schemathesis against the app's own OpenAPI document, in process (ASGI, no network): no 5xx, and every
response conforms to its documented schema. Bounded: max_examples per operation."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402

from diurna.api import create_app  # noqa: E402
from diurna.config import Settings  # noqa: E402
from diurna.store import open_store  # noqa: E402

from .conftest import api_extractions  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

TOKEN = "schemathesis-token"
MAX_EXAMPLES = 20


class _StubPipeline:
    """Stands in for spaCy on the ingest route: codes nothing, so the run stays fast and offline."""

    def extract(self, articles: Any) -> Any:
        from diurna.records import Extraction

        for a in articles:
            yield Extraction(id=a.id, date=a.date, title=a.title, text=a.text, url=a.url, source=a.source,
                             coder="stub")


def _app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    db = tmp_path_factory.mktemp("schemathesis") / "store.db"
    with open_store(db) as store:
        store.write(api_extractions())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return create_app(str(db), Settings(api_token=TOKEN, max_article_chars=20_000), pipeline=_StubPipeline())


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", _app(tmp_path_factory))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
def test_api_conforms_to_its_openapi_document(case: Any) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    case.call_and_validate(headers=headers)

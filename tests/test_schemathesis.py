"""schemathesis against the app's own OpenAPI document, in process (ASGI, no network): no 5xx, and every
response conforms to its documented schema. Bounded: max_examples per operation."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

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


def test_api_conforms_to_its_openapi_document(api_schema: Any) -> None:
    """Every operation, MAX_EXAMPLES generated cases each, every schemathesis check.

    (schemathesis' own pytest plugin does not run under pytest 9, so each operation's strategy is
    driven by a plain hypothesis test here.)
    """
    headers = {"Authorization": f"Bearer {TOKEN}"}
    problems: dict[str, str] = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10, [op.label for op in operations]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: Any) -> None:
            # positive_data_acceptance is left out: a cursor is an opaque token the server made, so a random
            # string that fits its documented shape is still rightly refused (422); likewise NUL characters
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect all operations' failures
            problems[operation.label] = str(exc)[:2000]
    assert not problems, "\n\n".join(f"{label}:\n{text}" for label, text in problems.items())

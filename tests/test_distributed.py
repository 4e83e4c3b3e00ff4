"""`extract --engine ray`: Ray Data in local mode (2 CPUs) on a few sample articles; Parquet layout."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.dataset as pads
import pytest

from diurna.config import Settings
from diurna.distributed import RECORD_SCHEMAS, RECORD_TYPES, record_tables
from diurna.ingest import iter_articles
from diurna.pipeline import Pipeline
from diurna.records import Article
from diurna.store import open_store

REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted((REPO / "examples" / "articles").glob("*.txt"))[:4]


def test_parquet_layout_is_flat_and_typed(pipeline: Pipeline) -> None:
    articles = [a for a in iter_articles([str(p) for p in SAMPLES[:2]]) if isinstance(a, Article)]
    extractions = list(pipeline.extract(articles))
    tables = record_tables([(x, "o") for x in extractions])
    assert set(tables) == set(RECORD_TYPES)
    for kind, table in tables.items():
        assert table.schema == RECORD_SCHEMAS[kind]
    assert tables["events"].num_rows == sum(len(x.events) for x in extractions)
    row = tables["events"].to_pylist()[0]
    x = extractions[0]
    assert x.text[row["evidence_start"] : row["evidence_end"]] == row["evidence_sentence"]


def test_ray_engine_writes_parquet_and_store(tmp_path, pipeline: Pipeline) -> None:
    pytest.importorskip("ray")
    import ray

    from diurna.distributed import run_ray

    corpus = tmp_path / "in"
    corpus.mkdir()
    for p in SAMPLES:
        shutil.copy(p, corpus / p.name)
    articles = [a for a in iter_articles([str(corpus)]) if isinstance(a, Article)]
    expected = {x.id: x for x in pipeline.extract(articles)}
    out = tmp_path / "parquet"
    try:
        with open_store(tmp_path / "ray.db") as store:
            summary = run_ray([str(corpus)], Settings(batch_size=2), store=store, out_dir=out, workers=2)
            assert summary.articles_extracted == len(articles)
            for article_id, x in expected.items():
                stored = store.get_extraction(article_id)
                assert stored is not None and stored.text == x.text
                assert [e.id for e in stored.events] == [e.id for e in x.events]
                assert [q.id for q in stored.quotes] == [q.id for q in x.quotes]
            counts = store.counts()
            assert counts["event_clusters"] > 0
            # a second run finds everything stored: nothing reaches Ray
            again = run_ray([str(corpus)], Settings(batch_size=2), store=store, workers=2)
            assert again.articles_already_stored == len(articles) and again.articles_extracted == 0
    finally:
        ray.shutdown()
    tables = {kind: pads.dataset(out / kind).to_table() for kind in RECORD_TYPES}
    assert sorted(tables["articles"].column("id").to_pylist()) == sorted(expected)
    assert sorted(tables["events"].column("id").to_pylist()) == sorted(e.id for x in expected.values()
                                                                      for e in x.events)
    assert tables["quotes"].num_rows == sum(len(x.quotes) for x in expected.values())
    assert tables["posts"].num_rows == sum(len(x.posts) for x in expected.values())
    assert tables["places"].num_rows == counts["article_places"]
    assert tables["entities"].num_rows == counts["article_entities"]


def test_ray_engine_needs_an_output() -> None:
    from diurna.distributed import run_ray

    with pytest.raises(ValueError):
        run_ray(["x"], Settings())

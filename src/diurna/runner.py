"""`run_extraction`: inputs -> pipeline -> store and/or an output stream, with failures reported.

The CLI's `extract` command is a thin layer over this function."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import TextIO

from diurna.config import Settings
from diurna.ingest import iter_articles
from diurna.output import WRITERS
from diurna.pipeline import Pipeline
from diurna.records import Article, Extraction, Failure
from diurna.store import Store


@dataclass
class Summary:
    articles_read: int = 0
    articles_extracted: int = 0
    articles_already_stored: int = 0
    failures: list[Failure] = field(default_factory=list)
    events_by_type: Counter = field(default_factory=Counter)
    entities: int = 0
    quotes: int = 0
    places: int = 0
    posts: int = 0
    rows_added: int = 0
    seconds: float = 0.0

    @property
    def articles_per_second(self) -> float:
        return self.articles_extracted / self.seconds if self.seconds else 0.0

    def add(self, extraction: Extraction) -> None:
        self.articles_extracted += 1
        self.events_by_type.update(e.event_type for e in extraction.events if "negation" not in e.aux)
        self.entities += len(extraction.entities)
        self.quotes += len(extraction.quotes)
        self.places += len(extraction.places)
        self.posts += len(extraction.posts)


def _batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def run_extraction(
    paths: Sequence[str],
    settings: Settings,
    *,
    store: Store | None = None,
    out: TextIO | None = None,
    out_format: str | None = None,
    stdin: TextIO | None = None,
    reprocess: bool = False,
    on_failure: Callable[[Failure], None] | None = None,
    on_article: Callable[[Extraction], None] | None = None,
) -> Summary:
    """Extract every article under `paths`. Articles already in `store` are skipped before any NLP
    unless `reprocess`; failures are reported through `on_failure` and recorded in the store."""
    summary = Summary()
    started = time.perf_counter()
    pipeline = Pipeline(settings)

    def articles() -> Iterator[Article]:
        for batch in _batched(iter_articles(paths, stdin=stdin, max_chars=settings.max_article_chars),
                              settings.batch_size):
            good = [item for item in batch if isinstance(item, Article)]
            for failure in (item for item in batch if isinstance(item, Failure)):
                summary.failures.append(failure)
                if on_failure:
                    on_failure(failure)
            if store is not None:
                store.record_failures([item for item in batch if isinstance(item, Failure)])
            summary.articles_read += len(good)
            stored = set() if store is None or reprocess else store.existing_article_ids(a.id for a in good)
            summary.articles_already_stored += len(stored)
            yield from (a for a in good if a.id not in stored)

    origins: dict[str, str] = {}

    def tracked() -> Iterator[Article]:
        for article in articles():
            origins[article.id] = article.origin
            yield article

    extractions: Iterable[Extraction] = pipeline.extract(tracked())
    if out is not None:
        extractions = WRITERS[out_format or "jsonl"](extractions, out)

    def counted() -> Iterator[Extraction]:
        for extraction in extractions:
            summary.add(extraction)
            if on_article:
                on_article(extraction)
            yield extraction

    if store is not None:
        for batch in _batched(counted(), settings.batch_size):
            stats = store.write(batch, batch_size=len(batch), origins=origins)
            summary.rows_added += stats.rows_added
            for extraction in batch:
                origins.pop(extraction.id, None)
    else:
        for _ in counted():
            pass
    summary.seconds = time.perf_counter() - started
    return summary

"""`run_extraction`: inputs -> pipeline -> store and/or an output stream, with failures reported.

The CLI's `extract` command is a thin layer over this function.  Stages, in order:

1. ingest (`iter_articles`), failures reported and recorded;
2. articles already in the store (content-hash id, as coded or as a recorded duplicate) are skipped
   before any NLP, unless ``reprocess``;
3. near-duplicates of an earlier article (MinHash LSH, `diurna.dedup`) are linked, not coded;
4. the pipeline: in this process, or in ``workers`` processes (`diurna.workers`), output in input order;
5. the store is written by this process, one transaction per ``batch_size`` extractions, on a thread of its
   own while the next batch is coded, so a run that is killed keeps every finished batch and a rerun codes
   only the rest;
6. event clusters are recomputed over the whole store (``cluster_after_extract``).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from typing import TextIO

from diurna.config import Settings
from diurna.dedup import Deduplicator, Duplicate, compute_clusters, duplicate_row, seed_from_store
from diurna.ingest import iter_articles
from diurna.output import WRITERS
from diurna.records import Article, Extraction, Failure
from diurna.store import Store


@dataclass
class Summary:
    articles_read: int = 0
    articles_extracted: int = 0
    articles_already_stored: int = 0
    duplicates: int = 0
    clusters: int = 0
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


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def select_articles(
    paths: Sequence[str],
    settings: Settings,
    summary: Summary,
    *,
    store: Store | None = None,
    stdin: TextIO | None = None,
    reprocess: bool = False,
    on_failure: Callable[[Failure], None] | None = None,
    on_duplicate: Callable[[Duplicate], None] | None = None,
    dedup: bool | None = None,
) -> Iterator[Article]:
    """Stages 1-3: the articles still to code, in input order (lazy; counts go into ``summary``)."""
    use_dedup = settings.dedup if dedup is None else dedup
    finder: Deduplicator | None = None
    if use_dedup:
        finder = Deduplicator(settings.dedup_threshold, settings.dedup_num_perm, settings.dedup_shingle_words)
        if store is not None:
            seed_from_store(finder, store)
    for batch in _batched(iter_articles(paths, stdin=stdin, max_chars=settings.max_article_chars),
                          settings.batch_size):
        good = [item for item in batch if isinstance(item, Article)]
        failed = [item for item in batch if isinstance(item, Failure)]
        for failure in failed:
            summary.failures.append(failure)
            if on_failure:
                on_failure(failure)
        if store is not None and failed:
            store.record_failures(failed)
        summary.articles_read += len(good)
        stored: set[str] = set()
        if store is not None and not reprocess:
            ids = [a.id for a in good]
            stored = store.existing_article_ids(ids) | store.existing_duplicate_ids(ids)
        summary.articles_already_stored += len(stored)
        for article in good:
            if article.id in stored:
                continue
            duplicate = finder.check(article) if finder is not None else None
            if duplicate is not None:
                summary.duplicates += 1
                if on_duplicate:
                    on_duplicate(duplicate)
                continue
            yield article


class _DuplicateLinks:
    """Duplicate links wait until their original is stored (the link refers to it), then are written.

    Links are added by the thread reading the input and flushed by the thread writing the store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.pending: list[Duplicate] = []
        self._lock = threading.Lock()

    def add(self, duplicate: Duplicate) -> None:
        with self._lock:
            self.pending.append(duplicate)

    def flush(self, *, final: bool = False) -> None:
        with self._lock:
            waiting, self.pending = self.pending, []
        if not waiting:
            return
        originals = self.store.existing_article_ids({d.duplicate_of for d in waiting})
        ready = [d for d in waiting if d.duplicate_of in originals]
        if not final:
            with self._lock:
                self.pending[:0] = [d for d in waiting if d.duplicate_of not in originals]
        if ready:
            created_at = _now()
            self.store.write_duplicates([duplicate_row(d, created_at) for d in ready])


class _StoreWriter:
    """Writes each batch, then the duplicate links it makes ready, in input order.

    With ``background``, on one thread of its own: the database does its work without holding the GIL, so the
    writes of one batch overlap the parsing of the next.  At most ``MAX_WAITING_BATCHES`` wait; a failed write is
    raised in the caller at the next `submit` or at `close`, and the batches queued after it are not written, so
    the store holds the input up to the failed batch, as when writing in the caller; `close` waits for every
    submitted batch, so a run stopped by an error elsewhere keeps every batch it finished coding."""

    MAX_WAITING_BATCHES = 2

    def __init__(self, store: Store, links: _DuplicateLinks, summary: Summary, *, background: bool) -> None:
        self.store, self.links, self.summary = store, links, summary
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="diurna-store") if background else None
        self._waiting: deque[Future[None]] = deque()
        self._failed = False

    def submit(self, batch: list[Extraction], origins: dict[str, str]) -> None:
        if self._executor is None:
            self._write(batch, origins)
            return
        while len(self._waiting) >= self.MAX_WAITING_BATCHES:
            self._waiting.popleft().result()
        self._waiting.append(self._executor.submit(self._write, batch, origins))

    def _write(self, batch: list[Extraction], origins: dict[str, str]) -> None:
        if self._failed:
            return  # the store keeps the input's prefix up to the failed batch, as a run writing in order would
        try:
            stats = self.store.write(batch, batch_size=len(batch), origins=origins)
            self.links.flush()
        except BaseException:
            self._failed = True
            raise
        self.summary.rows_added += stats.rows_added

    def close(self) -> None:
        """Wait for every submitted batch; raise the first write that failed."""
        if self._executor is None:
            return
        try:
            while self._waiting:
                self._waiting.popleft().result()
        finally:
            self._executor.shutdown(wait=True)


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
    workers: int | None = None,
    dedup: bool | None = None,
    cluster: bool | None = None,
) -> Summary:
    """Extract every article under `paths`. Articles already in `store` are skipped before any NLP
    unless `reprocess`; failures are reported through `on_failure` and recorded in the store.

    ``workers`` (default: setting ``workers``) > 1 codes in that many processes, each loading the
    pipeline once; extractions still come out, and are written, in input order."""
    summary = Summary()
    started = time.perf_counter()
    n_workers = settings.workers if workers is None else workers
    links = _DuplicateLinks(store) if store is not None else None
    origins: dict[str, str] = {}

    def tracked() -> Iterator[Article]:
        for article in select_articles(paths, settings, summary, store=store, stdin=stdin, reprocess=reprocess,
                                       on_failure=on_failure, on_duplicate=links.add if links else None,
                                       dedup=dedup):
            origins[article.id] = article.origin
            yield article

    pool = None
    if n_workers > 1:
        from diurna.workers import ProcessExtractor

        pool = ProcessExtractor(settings, n_workers)
        results: Iterable[Extraction | Failure] = pool.extract_results(tracked())
    else:
        from diurna.pipeline import Pipeline

        pipeline = Pipeline(settings)
        pipeline.warm_up()
        results = pipeline.extract_results(tracked())

    def coded() -> Iterator[Extraction]:
        """Extractions; an article a stage failed on is reported and recorded, and the run goes on."""
        for result in results:
            if isinstance(result, Failure):
                summary.failures.append(result)
                origins.pop(next((k for k, v in origins.items() if v == result.origin), ""), None)
                if on_failure:
                    on_failure(result)
                if store is not None:
                    store.record_failures([result])
                continue
            yield result

    extractions: Iterable[Extraction] = coded()
    try:
        if out is not None:
            extractions = WRITERS[out_format or "jsonl"](extractions, out)

        def counted() -> Iterator[Extraction]:
            for extraction in extractions:
                summary.add(extraction)
                if on_article:
                    on_article(extraction)
                yield extraction

        if store is not None and links is not None:
            writer = _StoreWriter(store, links, summary, background=not store.single_connection)
            try:
                for batch in _batched(counted(), settings.batch_size):
                    writer.submit(batch, {x.id: origins.pop(x.id) for x in batch if x.id in origins})
            finally:
                writer.close()
            links.flush(final=True)
            if settings.cluster_after_extract if cluster is None else cluster:
                summary.clusters = compute_clusters(store, settings.cluster_window_days).clusters
        else:
            for _ in counted():
                pass
    finally:
        if pool is not None:
            pool.close()
    summary.seconds = time.perf_counter() - started
    return summary

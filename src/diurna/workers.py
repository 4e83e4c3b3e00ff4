"""Extraction in N worker processes on one machine, results in input order.

Each worker process builds one `Pipeline` (spaCy model, lexicons, gazetteer, actor dictionary) when it
starts and keeps it for the whole run; the parent only reads inputs, hands out chunks of articles and
collects the extractions.  At most ``2 x workers`` chunks are in flight, so memory stays flat however
long the input is, and the parent yields extractions in exactly the order the articles came in.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice

from diurna.config import Settings
from diurna.records import Article, Extraction, Failure

#: the pipeline of this worker process (set once by `_init_worker`)
_PIPELINE = None


def _init_worker(settings_json: str) -> None:
    global _PIPELINE
    # each worker parses on one core: keep numeric libraries from starting their own thread pools
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    from diurna.pipeline import Pipeline

    _PIPELINE = Pipeline(Settings.model_validate_json(settings_json))
    _PIPELINE.warm_up()


def _extract_chunk(articles: list[Article]) -> list[Extraction | Failure]:
    assert _PIPELINE is not None, "worker not initialised"
    return list(_PIPELINE.extract_results(articles))



class ProcessExtractor:
    """`extract(articles)` like `Pipeline.extract`, spread over ``workers`` processes.

    Chunks of ``chunk_size`` articles (default: the settings' batch size) go to the workers; each
    worker parses its chunk with ``nlp.pipe``.  Use as a context manager, or call `close()`.
    """

    def __init__(self, settings: Settings, workers: int, chunk_size: int | None = None,
                 start_method: str = "spawn") -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.settings = settings
        self.workers = workers
        self.chunk_size = chunk_size or settings.batch_size
        # spawn: a fresh interpreter per worker (no inherited threads or open database connections)
        self._pool = mp.get_context(start_method).Pool(
            workers, initializer=_init_worker, initargs=(settings.model_dump_json(),)
        )

    def extract_results(self, articles: Iterable[Article]) -> Iterator[Extraction | Failure]:
        """Extractions (or Failures) in input order; at most 2 x workers chunks are read ahead."""
        iterator = iter(articles)
        pending: deque = deque()
        window = 2 * self.workers

        def submit() -> bool:
            chunk = list(islice(iterator, self.chunk_size))
            if not chunk:
                return False
            pending.append(self._pool.apply_async(_extract_chunk, (chunk,)))
            return True

        more = True
        while more and len(pending) < window:
            more = submit()
        while pending:
            done = pending.popleft().get()
            if more:
                more = submit()
            yield from done

    def extract(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        """Like `extract_results`; raises `PipelineError` on an article a stage fails on."""
        from diurna.pipeline import raise_failures

        return raise_failures(self.extract_results(articles))

    def worker_pids(self) -> list[int]:
        """The worker processes' ids (for memory measurements)."""
        return [p.pid for p in self._pool._pool]  # type: ignore[attr-defined]

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()

    def __enter__(self) -> ProcessExtractor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

"""Extraction throughput, memory and scaling, all on the same texts in one run.

    python bench/make_corpus.py --n 200 --out /tmp/corpus.jsonl
    python bench/bench_extract.py /tmp/corpus.jsonl                 # spaCy vs diurna, 1 -> 2 workers, Ray
    python bench/bench_extract.py /tmp/corpus10k.jsonl --soak --workers 2   # RSS every 1,000 articles

Prints: bare spaCy ``nlp.pipe`` throughput (words/s, articles/s), diurna's (pipeline only, and end to end:
ingest, dedup, pipeline, SQLite store), their ratio, peak RSS per process, and the speed-up from 1 to 2
workers: processes (each count run end to end in a fresh interpreter, model loading included, as
`diurna extract --workers N` runs) and Ray actors.  Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import tempfile
import threading
import time
from pathlib import Path

import psutil

from diurna.config import Settings
from diurna.ingest import iter_articles
from diurna.records import Article

MB = 1024 * 1024


class RssSampler:
    """Peak RSS of this process and of every descendant (worker processes, Ray actors), sampled."""

    def __init__(self, interval: float = 0.25) -> None:
        self.interval = interval
        self.peak: dict[int, tuple[str, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        procs = [me]
        try:
            procs += me.children(recursive=True)
        except psutil.Error:
            pass
        for p in procs:
            try:
                rss = p.memory_info().rss
                name = " ".join(p.cmdline()[:3])[-60:] if p.pid != me.pid else "parent"
            except psutil.Error:
                continue
            if rss > self.peak.get(p.pid, ("", 0))[1]:
                self.peak[p.pid] = (name, rss)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def report(self, label: str, min_mb: int = 150) -> None:
        big = sorted((rss for _, rss in self.peak.values() if rss >= min_mb * MB), reverse=True)
        print(f"  peak RSS {label}: " + ", ".join(f"{rss / MB:.0f} MB" for rss in big))


def _words(articles: list[Article]) -> int:
    return sum(len(a.text.split()) for a in articles)


def _line(label: str, words: int, n: int, seconds: float) -> float:
    print(f"{label:<44} {words / seconds:>9.0f} words/s {n / seconds:>7.2f} articles/s  ({seconds:.1f} s)")
    return words / seconds


def _timed_run(corpus: str, settings_json: str, workers: int, db: str, out: mp.Queue) -> None:
    from diurna.runner import run_extraction
    from diurna.store import open_store

    with open_store(db) as store:
        t = time.perf_counter()
        summary = run_extraction([corpus], Settings.model_validate_json(settings_json), store=store,
                                 workers=workers)
        out.put((time.perf_counter() - t, summary.articles_extracted))


def _fresh_run(corpus: str, settings: Settings, workers: int, db: Path) -> tuple[float, int]:
    """Seconds and articles of one end-to-end run in a new interpreter (models loaded inside the timing)."""
    context = mp.get_context("spawn")
    out = context.Queue()
    process = context.Process(target=_timed_run, args=(corpus, settings.model_dump_json(), workers, str(db), out))
    process.start()
    result = out.get()
    process.join()
    return result


def bench(corpus: str, settings: Settings, skip_ray: bool) -> None:
    import spacy

    from diurna.pipeline import Pipeline
    from diurna.runner import run_extraction
    from diurna.store import open_store

    articles = [a for a in iter_articles([corpus]) if isinstance(a, Article)]
    n, words = len(articles), _words(articles)
    print(f"corpus: {n} articles, {words} words, batch_size {settings.batch_size}, {os.cpu_count()} CPUs")

    bare = {"nlp": spacy.load(settings.spacy_model)}
    list(bare["nlp"].pipe([articles[0].text]))

    def time_spacy() -> float:
        t = time.perf_counter()
        for _ in bare["nlp"].pipe((a.text for a in articles), batch_size=settings.batch_size):
            pass
        return time.perf_counter() - t

    # bare spaCy runs first and again after diurna's one-process runs: a shared machine's slow spells
    # then weigh on both sides of the ratio
    spacy_first = time_spacy()

    pipeline = Pipeline(settings)
    list(pipeline.extract(articles[:1]))
    t = time.perf_counter()
    for _ in pipeline.extract(articles):
        pass
    pipe_seconds = time.perf_counter() - t
    del pipeline

    tmp = Path(tempfile.mkdtemp(prefix="diurna-bench-"))
    results: dict[str, float] = {}
    with open_store(tmp / "w1.db") as store, RssSampler() as rss:
        t = time.perf_counter()
        summary = run_extraction([corpus], settings, store=store, workers=1)
        end_seconds = time.perf_counter() - t
    spacy_again = time_spacy()
    bare.clear()
    print(f"bare spaCy before / after diurna: {spacy_first:.1f} s / {spacy_again:.1f} s")
    spacy_rate = _line("bare spaCy nlp.pipe (mean of both)", words, n, (spacy_first + spacy_again) / 2)
    results["proc1"] = _line("diurna end to end, 1 process (+store)", words, summary.articles_extracted, end_seconds)
    rss.report("1 worker(s)")
    pipe_rate = _line("diurna Pipeline.extract (warm, no store)", words, n, pipe_seconds)
    print(f"ratio diurna/spaCy: pipeline {pipe_rate / spacy_rate:.2f}, end to end (1 process) "
          f"{results['proc1'] / spacy_rate:.2f}")
    # scaling compares like with like: each run starts in a fresh process, loads what it needs and codes the
    # whole corpus into its own store, as `diurna extract --workers N` does
    for workers in (1, 2):
        with RssSampler() as rss:
            seconds, extracted = _fresh_run(corpus, settings, workers, tmp / f"fresh{workers}.db")
        results[f"fresh{workers}"] = _line(f"diurna extract --workers {workers} (fresh process)", words, extracted,
                                           seconds)
        rss.report(f"{workers} worker(s)")
    print(f"scaling 1 -> 2 processes: {results['fresh2'] / results['fresh1']:.2f}x (each run loads its models; "
          "that fixed cost weighs less the longer the run)")

    if not skip_ray:
        import ray

        from diurna.distributed import run_ray

        for workers in (1, 2):
            with open_store(tmp / f"ray{workers}.db") as store, RssSampler() as rss:
                t = time.perf_counter()
                summary = run_ray([corpus], settings, store=store, workers=workers)
                seconds = time.perf_counter() - t
            results[f"ray{workers}"] = _line(f"diurna on Ray, {workers} actor(s) (+store)", words,
                                             summary.articles_extracted, seconds)
            rss.report(f"Ray {workers} actor(s)")
            ray.shutdown()
        print(f"scaling 1 -> 2 Ray actors: {results['ray2'] / results['ray1']:.2f}x (includes Ray start-up)")


def soak(corpus: str, settings: Settings, workers: int) -> None:
    from diurna.runner import run_extraction
    from diurna.store import open_store

    tmp = Path(tempfile.mkdtemp(prefix="diurna-soak-"))
    started = time.perf_counter()
    me = psutil.Process()

    def rss_line(done: int) -> None:
        procs = [me, *me.children(recursive=True)]
        sizes = []
        for p in procs:
            try:
                sizes.append(p.memory_info().rss / MB)
            except psutil.Error:
                pass
        print(f"{done:>7} articles {time.perf_counter() - started:>8.0f} s  RSS MB: "
              + " ".join(f"{s:.0f}" for s in sizes if s > 50), flush=True)

    count = 0

    def on_article(_x: object) -> None:
        nonlocal count
        count += 1
        if count % 1000 == 0:
            rss_line(count)

    with open_store(tmp / "soak.db") as store:
        summary = run_extraction([corpus], settings, store=store, workers=workers, on_article=on_article)
        counts = store.counts()
    print(f"done: {summary.articles_extracted} extracted, {summary.duplicates} duplicates, "
          f"{len(summary.failures)} failures, {summary.seconds:.0f} s; articles {counts['articles']}, "
          f"events {counts['events']}, clusters {counts['event_clusters']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="JSON Lines corpus (bench/make_corpus.py)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--soak", action="store_true", help="one long run, RSS every 1,000 articles")
    parser.add_argument("--workers", type=int, default=2, help="workers for --soak")
    parser.add_argument("--no-ray", action="store_true")
    args = parser.parse_args()
    settings = Settings(batch_size=args.batch_size)
    if args.soak:
        soak(args.corpus, settings, args.workers)
    else:
        bench(args.corpus, settings, args.no_ray)


if __name__ == "__main__":
    main()

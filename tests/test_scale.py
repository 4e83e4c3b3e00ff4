"""One-machine scale features: worker processes, skipping stored articles before NLP, kill-and-resume."""

from __future__ import annotations

import io
import itertools
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from diurna.config import Settings
from diurna.ingest import iter_articles
from diurna.pipeline import WARM_UP_ARTICLE, Pipeline
from diurna.records import Article, Extraction
from diurna.runner import run_extraction
from diurna.store import open_store
from diurna.workers import ProcessExtractor

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "articles"
SUBSET = sorted(EXAMPLES.glob("*.txt"))[:6]


def _articles(paths: list[Path]) -> list[Article]:
    return [a for a in iter_articles([str(p) for p in paths]) if isinstance(a, Article)]


def test_two_workers_give_the_same_output_in_the_same_order(pipeline: Pipeline) -> None:
    articles = _articles(SUBSET)
    expected = list(pipeline.extract(articles))
    out = io.StringIO()
    summary = run_extraction([str(p) for p in SUBSET], Settings(batch_size=3), out=out, workers=2)
    assert summary.articles_extracted == len(articles)
    assert [Extraction.model_validate_json(line) for line in out.getvalue().splitlines()] == expected


def test_worker_pool_reads_ahead_a_bounded_amount() -> None:
    """Memory stays flat: the pool pulls at most 2 x workers chunks ahead of what was consumed."""
    template = _articles(SUBSET[:1])[0]
    pulled = 0

    def endless():
        nonlocal pulled
        for n in itertools.count():
            pulled += 1
            yield template.model_copy(update={"id": f"a{n}"})

    with ProcessExtractor(Settings(batch_size=2), workers=2, chunk_size=2) as pool:
        got = list(itertools.islice(pool.extract(endless()), 3))
        assert [x.id for x in got] == ["a0", "a1", "a2"]
        assert len(pool.worker_pids()) == 2
    assert pulled <= (2 * 2 + 2) * 2 + 1


def test_stored_articles_are_skipped_before_any_nlp(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = [str(p) for p in SUBSET[:3]]
    with open_store(tmp_path / "s.db") as store:
        first = run_extraction(paths, Settings(), store=store)
        assert first.articles_extracted == 3
        seen: list[str] = []
        original = Pipeline._prepared

        def spy(self, articles, failed):  # type: ignore[no-untyped-def]
            for article in articles:
                seen.append(article.id)
                yield from original(self, [article], failed)

        monkeypatch.setattr(Pipeline, "_prepared", spy)
        before = store.counts()
        second = run_extraction(paths, Settings(), store=store)
        assert seen == [WARM_UP_ARTICLE.id]  # only the built-in article that loads the models; no input
        assert second.articles_already_stored == 3 and second.articles_extracted == 0
        assert store.counts() == before


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from diurna.cli import app; app()", "extract", *args]


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    try:
        out = {}
        for table in ("articles", "events", "event_actors", "entities", "article_entities", "quotes", "places",
                      "posts", "article_duplicates", "event_clusters", "event_cluster_members", "failures"):
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")
                    if r[1] not in {"created_at", "first_seen", "last_seen", "origin"}]
            quoted = ", ".join(f'"{c}"' for c in cols)
            out[table] = sorted(conn.execute(f"SELECT {quoted} FROM {table}").fetchall(), key=repr)
        return out
    finally:
        conn.close()


def test_a_killed_run_resumes_to_the_same_store(tmp_path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for p in sorted(EXAMPLES.glob("*.txt"))[:20]:
        shutil.copy(p, corpus / p.name)
    # a wire copy of the first article: linked as a near-duplicate, never coded
    first = sorted(corpus.glob("*.txt"))[0].read_text(encoding="utf-8")
    (corpus / "99-wire-copy.txt").write_text(first.replace("\n", "\n\n", 1) + "\n(Reporting by a wire desk.)\n",
                                             encoding="utf-8")
    env = {**os.environ, "DIURNA_BATCH_SIZE": "2"}

    whole = tmp_path / "whole.db"
    subprocess.run(_cli(str(corpus), "--db", str(whole)), check=True, env=env, capture_output=True)

    killed = tmp_path / "killed.db"
    proc = subprocess.Popen(_cli(str(corpus), "--db", str(killed), "--workers", "2"), env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    stored = 0
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
            if killed.exists():
                try:
                    conn = sqlite3.connect(killed, timeout=1)
                    stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
                    conn.close()
                except sqlite3.Error:
                    continue
                if stored >= 4:
                    break
        assert proc.poll() is None, "the run finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert 4 <= stored < 20
    rerun = subprocess.run(_cli(str(corpus), "--db", str(killed)), env=env, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert _snapshot(killed) == _snapshot(whole)
    snap = _snapshot(whole)
    assert len(snap["articles"]) == 20 and len(snap["article_duplicates"]) == 1
    assert len({row[0] for row in snap["events"]}) == len(snap["events"])

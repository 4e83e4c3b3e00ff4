"""Faults: atomic batches, SIGKILL mid-extract then rerun, two writers on one SQLite store, the API
answering during an extract, and failures recorded, listed (`diurna errors`) and cleared on rerun.

The subprocess tests run the real `diurna extract` on examples/articles (spaCy loads in each process).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from diurna.cli import app as cli_app
from diurna.store import Store, open_store, schema

from .conftest import EXAMPLES, REPO, api_extractions, serve_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

DIURNA = [sys.executable, "-m", "diurna.cli"] if not (Path(sys.executable).parent / "diurna").exists() else [
    str(Path(sys.executable).parent / "diurna")]
#: small batches, so an extract commits many times and a kill lands between or inside transactions
BATCH = ["--batch-size", "4"]
#: columns that differ between two correct runs (wall-clock stamps)
VOLATILE = {"created_at", "first_seen", "last_seen"}
EXAMPLE_FILES = sorted(p.relative_to(REPO).as_posix() for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".jsonl"))


def dump(url_or_path: str) -> dict[str, list[tuple]]:
    """Every row of every store table (volatile columns left out), sorted: two equal dumps mean equal stores."""
    with open_store(url_or_path) as store, store.engine.connect() as conn:
        out = {}
        for table in schema.TABLES:
            cols = [c for c in table.columns if c.name not in VOLATILE]
            rows = conn.execute(sa.select(*cols)).all()
            out[table.name] = sorted(tuple(json.dumps(v, sort_keys=True, default=str) for v in r) for r in rows)
        return out


#: shared rows whose attributes come from the first article written that names them (insert-or-ignore on
#: a content id): two writers in a different order may keep another article's attributes, so only their
#: ids are compared when the write order differs
SHARED = ("entities", "places")


def assert_same_store(got: dict[str, list[tuple]], want: dict[str, list[tuple]], *, same_order: bool = True) -> None:
    assert set(got) == set(want)
    for name in want:
        assert len(got[name]) == len(set(got[name])), f"duplicate rows in {name}"
        if not same_order and name in SHARED:
            assert [r[0] for r in got[name]] == [r[0] for r in want[name]], f"table {name} ids differ"
            continue
        assert got[name] == want[name], f"table {name} differs ({len(got[name])} rows vs {len(want[name])})"


def extract(db: Path, *paths: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([*DIURNA, "extract", *paths, "--db", str(db), *BATCH], cwd=REPO, capture_output=True,
                            text=True, timeout=600)
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


def article_count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        engine = sa.create_engine(f"sqlite:///{db}")
        try:
            with engine.connect() as conn:
                return int(conn.execute(sa.text("SELECT count(*) FROM articles")).scalar_one())
        finally:
            engine.dispose()
    except sa.exc.OperationalError:  # not created yet, or locked for a moment
        return 0


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple]]:
    """The store an uninterrupted `diurna extract examples/articles` makes."""
    db = tmp_path_factory.mktemp("baseline") / "store.db"
    extract(db, "examples/articles")
    got = dump(str(db))
    assert len(got["articles"]) == len(EXAMPLE_FILES) and got["events"]
    return got


# ------------------------------------------------------------------------------------------ transactions


def test_a_batch_is_written_in_one_transaction(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure inside a batch (here: while inserting its events) leaves none of that batch, and keeps
    the batches committed before it."""
    xs = api_extractions()
    calls = {"events": 0}
    original = Store._insert_new

    def failing(self, conn, table, rows):  # type: ignore[no-untyped-def]
        if table.name == "events":
            calls["events"] += 1
            if calls["events"] == 2:
                raise RuntimeError("disk on fire")
        return original(self, conn, table, rows)

    with open_store(store_url) as store:
        monkeypatch.setattr(Store, "_insert_new", failing)
        with pytest.raises(RuntimeError, match="disk on fire"):
            store.write(xs, batch_size=3)
        monkeypatch.setattr(Store, "_insert_new", original)
        counts = store.counts()
        assert counts["articles"] == 3  # batch 1 committed, batch 2 (whose articles went in first) rolled back
        assert store.existing_article_ids(x.id for x in xs) == {x.id for x in xs[:3]}
        assert counts["events"] == sum(len(x.events) for x in xs[:3])
        # writing everything again completes the store without duplicating batch 1
        stats = store.write(xs, batch_size=3)
        assert stats.articles_skipped == 3 and stats.articles == len(xs) - 3
        assert store.counts()["events"] == sum(len(x.events) for x in xs)


def test_a_failed_background_write_stops_the_run_and_a_rerun_completes_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store is written on a thread of its own: a write that fails there is raised by `run_extraction`,
    the batches written before it stay, and a rerun adds the rest exactly once."""
    from diurna.config import Settings
    from diurna.runner import run_extraction

    settings = Settings(batch_size=4, cluster_after_extract=False)
    paths = [str(EXAMPLES / name) for name in sorted(os.listdir(EXAMPLES))[:12]]
    calls = {"writes": 0}
    original = Store.write

    def failing(self, extractions, batch_size=50, *, origins=None):  # type: ignore[no-untyped-def]
        calls["writes"] += 1
        if calls["writes"] == 2:
            raise RuntimeError("disk on fire")
        return original(self, extractions, batch_size, origins=origins)

    with open_store(tmp_path / "store.db") as store:
        assert not store.single_connection
        monkeypatch.setattr(Store, "write", failing)
        with pytest.raises(RuntimeError, match="disk on fire"):
            run_extraction(paths, settings, store=store)
        monkeypatch.setattr(Store, "write", original)
        assert store.counts()["articles"] == 4
        summary = run_extraction(paths, settings, store=store)
        assert summary.articles_already_stored == 4 and summary.articles_extracted == len(paths) - 4
        assert store.counts()["articles"] == len(paths)


# ------------------------------------------------------------------------------------------ SIGKILL


def test_sigkill_mid_extract_then_rerun_equals_an_uninterrupted_run(
    tmp_path: Path, baseline: dict[str, list[tuple]]
) -> None:
    seed = int(os.environ.get("DIURNA_KILL_SEED", random.randrange(1_000_000)))
    rng = random.Random(seed)
    db = tmp_path / "killed.db"
    proc = subprocess.Popen([*DIURNA, "extract", "examples/articles", "--db", str(db), *BATCH], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # wait for the first committed batch, then kill at a random moment of the writing phase
        deadline = time.monotonic() + 300
        while article_count(db) == 0 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(rng.uniform(0.0, 10.0))
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    partial = article_count(db)
    print(f"seed {seed}: killed with {partial} of {len(EXAMPLE_FILES)} articles stored (rc {proc.returncode})")
    extract(db, "examples/articles")
    assert_same_store(dump(str(db)), baseline)


# ------------------------------------------------------------------------------------------ concurrency


def test_two_extract_processes_on_one_sqlite_store_lose_nothing(
    tmp_path: Path, baseline: dict[str, list[tuple]]
) -> None:
    db = tmp_path / "shared.db"
    open_store(db).close()  # created and migrated once, so the two writers race only on data
    halves = [EXAMPLE_FILES[0::2], EXAMPLE_FILES[1::2]]
    procs = [subprocess.Popen([*DIURNA, "extract", *half, "--db", str(db), "--batch-size", "2"], cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for half in halves]
    for proc in procs:
        _, stderr = proc.communicate(timeout=600)
        assert proc.returncode == 0, stderr[-3000:]
    assert_same_store(dump(str(db)), baseline, same_order=False)
    with open_store(db) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one().lower() == "wal"


@pytest.fixture
def live_api(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from diurna.api import create_app
    from diurna.config import Settings

    db = tmp_path / "live.db"
    with serve_app(create_app(str(db), Settings())) as base:
        yield base, db


def test_the_api_keeps_answering_during_an_extract(live_api: tuple[str, Path]) -> None:
    base, db = live_api
    proc = subprocess.Popen([*DIURNA, "extract", "examples/articles", "--db", str(db), *BATCH], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen: list[int] = []
    failures: list[str] = []
    slowest = 0.0
    with httpx.Client(base_url=base, timeout=30) as client:
        while proc.poll() is None:
            for path in ("/api/v1/overview", "/api/v1/events?limit=20", "/api/v1/articles?q=minister", "/events"):
                started = time.perf_counter()
                response = client.get(path)
                slowest = max(slowest, time.perf_counter() - started)
                if response.status_code != 200:
                    failures.append(f"{path}: {response.status_code} {response.text[:200]}")
                elif path == "/api/v1/overview":
                    seen.append(response.json()["articles"])
            time.sleep(0.05)
        final = client.get("/api/v1/overview").json()["articles"]
    assert proc.returncode == 0, proc.stderr.read()[-3000:] if proc.stderr else ""
    assert not failures, failures[:5]
    assert seen == sorted(seen), "the article count went backwards"
    assert len(set(seen)) > 2, f"too few distinct states observed during the extract: {sorted(set(seen))}"
    assert final == len(EXAMPLE_FILES)
    assert slowest < 10, f"a request took {slowest:.1f} s during the extract"


# ------------------------------------------------------------------------------------------ failures


def test_failures_are_recorded_listed_and_cleared_after_a_fix(tmp_path: Path, pipeline: object) -> None:
    # `pipeline` warms the cached spaCy model, so the in-process extracts below do not load it again
    folder = tmp_path / "in"
    folder.mkdir()
    good = "Egypt sent aid to Sudan on Monday, officials said."
    (folder / "a-good.txt").write_text(f"date 2024-05-01 Aid\n{good}\n", encoding="utf-8")
    (folder / "b-bad-date.txt").write_text(f"date 05/02/2024 Aid again\n{good} Again.\n", encoding="utf-8")
    (folder / "c-lines.jsonl").write_text(
        '{"text": "Turkey struck targets in northern Iraq.", "date": "2024-05-03"}\n{"text": \n',
        encoding="utf-8")
    db = tmp_path / "store.db"
    runner = CliRunner()

    first = runner.invoke(cli_app, ["extract", str(folder), "--db", str(db)])
    assert first.exit_code == 1, first.output

    listed = runner.invoke(cli_app, ["errors", "--db", str(db), "--format", "jsonl"])
    assert listed.exit_code == 0, listed.output
    rows = {r["origin"]: r for r in map(json.loads, listed.stdout.splitlines())}
    assert set(rows) == {str(folder / "b-bad-date.txt"), f"{folder / 'c-lines.jsonl'}:2"}
    assert rows[str(folder / "b-bad-date.txt")]["code"] == "E007"
    assert "05/02/2024" in rows[str(folder / "b-bad-date.txt")]["reason"]
    assert rows[f"{folder / 'c-lines.jsonl'}:2"]["code"] == "E005"
    assert all(r["count"] == 1 for r in rows.values())

    table = runner.invoke(cli_app, ["errors", "--db", str(db)])
    assert table.exit_code == 0 and "E007" in table.stdout and "2 failed inputs" in table.stdout
    csv_out = runner.invoke(cli_app, ["errors", "--db", str(db), "--format", "csv", "--code", "e005"])
    assert csv_out.stdout.splitlines()[0] == "origin,code,reason,count,first_seen,last_seen"
    assert len(csv_out.stdout.splitlines()) == 2 and ",E005," in csv_out.stdout

    # a rerun without a fix counts the failure again; nothing is stored twice
    runner.invoke(cli_app, ["extract", str(folder), "--db", str(db)])
    again = {r["origin"]: r for r in map(json.loads, runner.invoke(
        cli_app, ["errors", "--db", str(db), "--format", "jsonl"]).stdout.splitlines())}
    assert {r["count"] for r in again.values()} == {2}

    # fix both inputs, rerun: they are coded, stored, and their failures cleared
    (folder / "b-bad-date.txt").write_text(f"date 2024-05-02 Aid again\n{good} Again.\n", encoding="utf-8")
    (folder / "c-lines.jsonl").write_text(
        '{"text": "Turkey struck targets in northern Iraq.", "date": "2024-05-03"}\n'
        '{"text": "Iran condemned the resolution.", "date": "2024-05-04"}\n', encoding="utf-8")
    fixed = runner.invoke(cli_app, ["extract", str(folder), "--db", str(db)])
    assert fixed.exit_code == 0, fixed.output
    assert runner.invoke(cli_app, ["errors", "--db", str(db), "--format", "jsonl"]).stdout.strip() == ""
    with open_store(db) as store:
        assert store.counts()["articles"] == 4 and store.failures() == []

"""The `diurna` command line over real inputs: store idempotence, bad inputs, queries, formats."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from typer.testing import CliRunner

from diurna.cli import app
from diurna.store import open_store

from .conftest import EXAMPLES

runner = CliRunner()

GOOD_WIRE = """date 2025-03-02 Jordan hosts Egyptian foreign minister
Egyptian Foreign Minister Badr Abdelatty arrived in Amman on Sunday for talks with King Abdullah II.
"""


@pytest.fixture
def small_corpus(tmp_path):
    folder = tmp_path / "corpus"
    (folder / "nested").mkdir(parents=True)
    for name in sorted(p.name for p in EXAMPLES.glob("*.txt"))[:3]:
        shutil.copy(EXAMPLES / name, folder / name)
    (folder / "nested" / "jordan.txt").write_text(GOOD_WIRE, encoding="utf-8")
    return folder


def test_extracting_twice_into_one_store_adds_nothing(small_corpus, tmp_path):
    db = str(tmp_path / "diurna.db")
    first = runner.invoke(app, ["extract", str(small_corpus), "--db", db])
    assert first.exit_code == 0, first.output
    with open_store(db) as store:
        counts = store.counts()
    assert counts["articles"] == 4 and counts["events"] > 0 and counts["entities"] > 0
    second = runner.invoke(app, ["extract", str(small_corpus), "--db", db])
    assert second.exit_code == 0, second.output
    with open_store(db) as store:
        assert store.counts() == counts
    forced = runner.invoke(app, ["extract", str(small_corpus), "--db", db, "--reprocess"])
    assert forced.exit_code == 0
    with open_store(db) as store:
        assert store.counts() == counts


def test_bad_inputs_are_reported_and_the_rest_is_stored(small_corpus, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "latin1.txt").write_bytes("date 2025-01-01 Caf\xe9 talks\nBody text here.".encode("latin-1"))
    (bad / "empty.txt").write_text("", encoding="utf-8")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02date\x00")
    (bad / "nodate.txt").write_text("Just a headline\nand a body without a date line.\n", encoding="utf-8")
    (bad / "lines.jsonl").write_text(
        json.dumps({"id": "ok-1", "date": None, "title": None,
                    "text": "Kenya deployed police officers to Haiti on Tuesday."}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "ok-2", "date": "2025-02-01", "title": "t",
                      "text": "Protesters rallied in Nairobi against the finance bill."}) + "\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "diurna.db")
    result = runner.invoke(app, ["extract", str(small_corpus), str(bad), "--db", db])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 5, result.stderr
    joined = "\n".join(errors)
    for needle in ("latin1.txt: E001", "empty.txt: E002", "binary.txt: E003", "nodate.txt: E004",
                   "lines.jsonl:2: E005"):
        assert needle in joined
    assert "inputs failed" in result.stderr
    with open_store(db) as store:
        assert store.counts()["articles"] == 6
        assert {f.code for f in store.failures()} == {"E001", "E002", "E003", "E004", "E005"}
        assert store.get_extraction("ok-1") is not None


def test_stdin_and_formats(small_corpus):
    jsonl = runner.invoke(app, ["extract", "-", "--format", "jsonl"], input=GOOD_WIRE)
    assert jsonl.exit_code == 0, jsonl.output
    record = json.loads(jsonl.stdout)
    assert record["title"] == "Jordan hosts Egyptian foreign minister"
    consult = [e for e in record["events"] if e["event_type"] == "CONSULT"]
    assert consult and consult[0]["actor"][0]["country_code"] == "EGY"
    as_json = runner.invoke(app, ["extract", str(small_corpus), "--format", "json"])
    assert len(json.loads(as_json.stdout)) == 4
    tsv = runner.invoke(app, ["extract", str(small_corpus), "--format", "tsv"])
    rows = list(csv.DictReader(io.StringIO(tsv.stdout), delimiter="\t"))
    assert rows and {"event_type", "actor_country", "recipient_country", "cameo"} <= rows[0].keys()
    assert sum(len(json.loads(line)["events"]) for line in
               runner.invoke(app, ["extract", str(small_corpus)]).stdout.splitlines()) == len(rows)


def test_events_filters_and_show(small_corpus, tmp_path):
    db = str(tmp_path / "diurna.db")
    assert runner.invoke(app, ["extract", str(small_corpus), "--db", db]).exit_code == 0
    everything = runner.invoke(app, ["events", "--db", db, "--format", "jsonl"])
    events = [json.loads(line) for line in everything.stdout.splitlines()]
    assert events
    kind = events[0]["event_type"]
    only = runner.invoke(app, ["events", "--db", db, "--type", kind, "--format", "jsonl"])
    filtered = [json.loads(line) for line in only.stdout.splitlines()]
    assert filtered and all(e["event_type"] == kind for e in filtered)
    country = next(a["country_code"] for e in events for a in e["actor"] if a["country_code"])
    by_actor = runner.invoke(app, ["events", "--db", db, "--actor-country", country, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(by_actor.stdout)))
    assert rows and all(country in r["actor_country"].split(";") for r in rows)
    late = runner.invoke(app, ["events", "--db", db, "--since", "2100-01-01", "--format", "jsonl"])
    assert late.stdout.strip() == ""
    shown = runner.invoke(app, ["show", events[0]["article_id"], "--db", db])
    assert shown.exit_code == 0 and json.loads(shown.stdout)["id"] == events[0]["article_id"]
    missing = runner.invoke(app, ["show", "no-such-article", "--db", db])
    assert missing.exit_code == 1
    table = runner.invoke(app, ["events", "--db", db])
    assert table.exit_code == 0 and "events" in table.stdout
    unknown = runner.invoke(app, ["events", "--db", db, "--type", "HUG"])
    assert unknown.exit_code == 2


@pytest.mark.parametrize("command", [[], ["extract"], ["events"], ["show"]])
def test_help_everywhere(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.stdout


def test_an_article_a_stage_fails_on_is_reported_and_the_run_goes_on(small_corpus, tmp_path, monkeypatch):
    from diurna import pipeline as pipeline_module

    original = pipeline_module.STAGES["quotes"]

    def broken(work):
        if "Jordan hosts" in (work.article.title or ""):
            raise RuntimeError("simulated defect")
        original.func(work)

    monkeypatch.setitem(pipeline_module.STAGES, "quotes", original.__class__(
        original.name, broken, original.requires, original.assigns))
    db = str(tmp_path / "diurna.db")
    result = runner.invoke(app, ["extract", str(small_corpus), "--db", db])
    assert result.exit_code == 1
    assert "E901" in result.stderr and "jordan.txt" in result.stderr
    with open_store(db) as store:
        assert store.counts()["articles"] == 3
        assert [f.code for f in store.failures()] == ["E901"]

"""Exports (diurna.export and `diurna export`) on SQLite and, with DIURNA_TEST_POSTGRES_URL, PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diurna.cli import app
from diurna.export import ACLED_COLUMNS, GDELT_COLUMNS, export
from diurna.store import open_store
from diurna.store.queries import EventFilters

from .conftest import API_AID_ARTICLES, api_extractions

ALL = api_extractions()
CAIRO, BORDER = ALL[0], ALL[1]
NOT_NEGATED = [e for x in ALL for e in x.events if "negation" not in e.aux]


def _export(url: str, fmt: str, filters: EventFilters | None = None) -> str:
    out = io.StringIO()
    with open_store(url) as store:
        export(store, fmt, out, filters)
    return out.getvalue()


def test_plover_jsonl(api_store_url: str) -> None:
    records = [json.loads(line) for line in _export(api_store_url, "plover-jsonl").splitlines()]
    assert {r["id"] for r in records} == {e.id for e in NOT_NEGATED}
    consult = next(r for r in records if r["event_type"] == "CONSULT" and r["date"])
    assert consult["actor"][0]["name"] == "Sameh Shoukry" and consult["actor"][0]["country"] == "EGY"
    assert consult["recipient"][0]["sector"] == "GOV"
    assert consult["quad_class"] == "verbal_cooperation" and consult["cameo"] == "040"
    assert consult["source"] == {"article_id": CAIRO.id, "url": CAIRO.url, "name": "Example Wire", "date": CAIRO.date}
    assert CAIRO.text[consult["offsets"]["trigger_start"]:consult["offsets"]["trigger_end"]] == "met"
    assert consult["location"]["name"] == "Cairo"


def test_gdelt_tsv(api_store_url: str) -> None:
    text = _export(api_store_url, "gdelt-tsv", EventFilters(event_type=["PROTEST"]))
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    assert tuple(rows[0]) == GDELT_COLUMNS and len(GDELT_COLUMNS) == 61
    assert len(rows) == 2 and all(len(r) == 61 for r in rows)
    row = dict(zip(GDELT_COLUMNS, rows[1], strict=True))
    assert row["SQLDATE"] == "20240304" and row["MonthYear"] == "202403" and row["Year"] == "2024"
    assert row["Actor1Code"] == "EGYCVL" and row["Actor1CountryCode"] == "EGY" and row["Actor2Code"] == "EGYGOV"
    assert (row["EventCode"], row["EventBaseCode"], row["EventRootCode"]) == ("141", "141", "14")
    assert row["QuadClass"] == "4" and row["GoldsteinScale"] == "-6.5"
    assert row["ActionGeo_FullName"] == "Cairo" and row["ActionGeo_Type"] == "4" and row["ActionGeo_Lat"] == "30.06263"
    assert row["SOURCEURL"] == CAIRO.url and len(row["DATEADDED"]) == 14


def test_acled_csv(api_store_url: str) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(api_store_url, "acled-csv"))))
    assert tuple(rows[0]) == ACLED_COLUMNS
    assert len(rows) == len(NOT_NEGATED)
    protest = next(r for r in rows if r["event_type"] == "Protests")
    assert protest["actor1"] == "Protesters" and protest["inter1"] == "6" and protest["inter2"] == "1"
    assert protest["interaction"] == "61" and protest["country"] == "Egypt" and protest["iso"] == "818"
    assert protest["location"] == "Cairo" and protest["latitude"] == "30.06263"
    assert protest["event_date"] == "2024-03-04"
    assert protest["source"] == "Example Wire"
    aid = [r for r in rows if r["notes"].startswith("AID:")]
    assert len(aid) == API_AID_ARTICLES and aid[0]["event_type"] == "Strategic developments"


def test_negated_only_when_asked(api_store_url: str) -> None:
    negated = next(e for e in BORDER.events if "negation" in e.aux)
    assert negated.id not in _export(api_store_url, "plover-jsonl")
    assert negated.id in _export(api_store_url, "plover-jsonl", EventFilters(include_negated=True))


def test_parquet(api_store_url: str, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "events.parquet"
    with open_store(api_store_url) as store:
        assert export(store, "parquet", path, EventFilters(event_type=["AID"])) == API_AID_ARTICLES
    table = pq.read_table(path)
    assert table.num_rows == API_AID_ARTICLES
    assert set(table.column("event_type").to_pylist()) == {"AID"}
    assert table.column("goldstein").to_pylist() == [7.0] * API_AID_ARTICLES
    assert sorted(table.column("date").to_pylist())[0] == "2024-01-01"


def test_unknown_format(api_store_url: str) -> None:
    with open_store(api_store_url) as store, pytest.raises(ValueError):
        export(store, "xml", io.StringIO())


def test_cli_export(api_store_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "acled.csv"
    result = runner.invoke(app, ["export", "--db", api_store_url, "--format", "acled-csv", "--out", str(out),
                                 "--type", "aid", "--actor-country", "EGY", "--since", "2024-01-03"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == API_AID_ARTICLES - 2
    result = runner.invoke(app, ["export", "--db", api_store_url, "-f", "plover-jsonl", "-o", "-",
                                 "--entity", BORDER.entities[2].id])
    assert result.exit_code == 0
    assert [json.loads(line)["event_type"] for line in result.stdout.splitlines()] == ["THREATEN"]
    bad = runner.invoke(app, ["export", "--db", api_store_url, "-f", "gdelt-tsv", "-o", "-", "--since", "soon"])
    assert bad.exit_code == 2
    bad = runner.invoke(app, ["export", "--db", api_store_url, "-f", "parquet", "-o", "-"])
    assert bad.exit_code == 2

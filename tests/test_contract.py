"""The output contract: the shipped JSON Schema is current, real output validates, offsets are exact."""

from __future__ import annotations

import json

import jsonschema
import pytest
from typer.testing import CliRunner

from diurna.cli import app
from diurna.contract import extraction_schema, render, shipped_schema
from diurna.records import EVENT_TYPES

from .conftest import EXAMPLES, REPO

CONTRACT_FIELDS = {
    "top": {"id", "date", "title", "text", "languages", "events", "entities", "quotes", "places", "posts"},
    "event": {"id", "event_type", "mode", "context", "aux", "actor", "recipient", "date", "location", "cameo",
              "goldstein", "quad", "evidence"},
    "evidence": {"start", "end", "trigger_start", "trigger_end"},
    "entity": {"id", "name", "type", "country_code", "sector_code", "titles", "mentions"},
    "actor": {"entity_id", "raw_text", "entity_name", "country_code", "sector_code", "other_sector_codes"},
    "quote": {"speaker_id", "speaker_name", "text", "start", "end", "cue"},
    "place": {"name", "geonameid", "country_code", "admin1", "lat", "lon", "feature", "mentions"},
    "post": {"platform", "handle", "author", "date", "language", "text", "start", "end"},
    "mention": {"start", "end", "text", "lang"},
}


@pytest.fixture(scope="module")
def jsonl_records() -> list[dict]:
    result = CliRunner().invoke(app, ["extract", str(EXAMPLES), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_shipped_schema_is_generated_from_the_record_model():
    assert shipped_schema() == extraction_schema(), "run `make schema` after changing records.py"
    assert (REPO / "src/diurna/data/extraction.schema.json").read_text(encoding="utf-8") == render()


def test_cli_output_validates_against_the_schema(jsonl_records):
    assert len(jsonl_records) == len(list(EXAMPLES.glob("*.txt")))
    validator = jsonschema.Draft202012Validator(shipped_schema())
    for record in jsonl_records:
        errors = sorted(validator.iter_errors(record), key=str)
        assert not errors, f"{record['id']}: {errors[0]}"


def test_contract_field_names_are_present(jsonl_records):
    for record in jsonl_records:
        assert CONTRACT_FIELDS["top"] <= record.keys()
        for event in record["events"]:
            assert CONTRACT_FIELDS["event"] <= event.keys()
            assert CONTRACT_FIELDS["evidence"] <= event["evidence"].keys()
            for ref in event["actor"] + event["recipient"]:
                assert CONTRACT_FIELDS["actor"] <= ref.keys()
        for entity in record["entities"]:
            assert CONTRACT_FIELDS["entity"] <= entity.keys()
            for mention in entity["mentions"]:
                assert CONTRACT_FIELDS["mention"] <= mention.keys()
        for quote in record["quotes"]:
            assert CONTRACT_FIELDS["quote"] <= quote.keys()
        for place in record["places"]:
            assert CONTRACT_FIELDS["place"] <= place.keys()
        for post in record["posts"]:
            assert CONTRACT_FIELDS["post"] <= post.keys()


def test_every_offset_slices_the_text_to_its_span(jsonl_records):
    checked = 0
    for record in jsonl_records:
        text = record["text"]
        for entity in record["entities"]:
            for mention in entity["mentions"]:
                assert text[mention["start"] : mention["end"]] == mention["text"]
                checked += 1
        for place in record["places"]:
            for mention in place["mentions"]:
                assert text[mention["start"] : mention["end"]] == mention["text"]
        for item in record["quotes"] + record["posts"]:
            assert text[item["start"] : item["end"]] == item["text"]
            checked += 1
        for event in record["events"]:
            evidence = event["evidence"]
            assert text[evidence["start"] : evidence["end"]] == evidence["sentence"]
            assert text[evidence["trigger_start"] : evidence["trigger_end"]] == event["trigger"]
            assert evidence["start"] <= evidence["trigger_start"] < evidence["trigger_end"] <= evidence["end"]
            for ref in event["actor"] + event["recipient"]:
                assert ref["entity_id"] in {e["id"] for e in record["entities"]}
            checked += 1
        for segment in record["segments"]:
            assert text[segment["start"] : segment["end"]].strip()
    assert checked > 200


def test_every_plover_type_is_produced_on_the_examples(jsonl_records):
    produced = {e["event_type"] for r in jsonl_records for e in r["events"] if "negation" not in e["aux"]}
    assert set(EVENT_TYPES) - produced == set()


def test_every_event_carries_cameo_goldstein_and_quad(jsonl_records):
    for record in jsonl_records:
        for event in record["events"]:
            assert event["cameo"] and event["goldstein"] is not None and event["quad"], event
            assert -10 <= event["goldstein"] <= 10

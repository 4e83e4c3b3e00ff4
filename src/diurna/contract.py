"""The output contract as a JSON Schema, generated from the record model and shipped as package data.

`python -m diurna.contract` prints it; a test checks that the shipped file is current."""

from __future__ import annotations

import json
from importlib import resources

from diurna.records import Extraction

SCHEMA_FILE = "extraction.schema.json"


def extraction_schema() -> dict:
    schema = Extraction.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://diurna.invalid/schema/extraction.schema.json"
    return schema


def render() -> str:
    return json.dumps(extraction_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def shipped_schema() -> dict:
    return json.loads(resources.files("diurna.data").joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


if __name__ == "__main__":
    print(render(), end="")

"""The quality gate: the pipeline scored on the hand-written gold articles, with floors pinned in
tests/gold/floors.json (a drop below any floor fails CI; raise floors when the coder improves)."""

from __future__ import annotations

import json

import pytest

from diurna.evaluate import load_gold, score

from .conftest import GOLD_ARTICLES, REPO

FLOORS = json.loads((REPO / "tests/gold/floors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scores(sample_extractions):
    return {split: s.as_dict() for split, s in score(load_gold(GOLD_ARTICLES), sample_extractions).items()}


def test_gold_covers_every_sample_article(sample_extractions):
    gold_articles = {g.article for g in load_gold(GOLD_ARTICLES)}
    assert gold_articles == set(sample_extractions)


def _get(report: dict, dotted: str) -> float:
    value = report
    for part in dotted.split("."):
        value = value[part]
    return value


@pytest.mark.parametrize("split", sorted(FLOORS))
def test_scores_stay_above_their_floors(scores, split):
    failures = []
    for metric, floor in FLOORS[split].items():
        value = _get(scores[split], metric)
        if metric == "negated_reported_as_occurred":
            if value > floor:
                failures.append(f"{metric}: {value} > {floor}")
        elif value is None or value < floor:
            failures.append(f"{metric}: {value} < floor {floor}")
    assert not failures, f"{split}: " + "; ".join(failures)

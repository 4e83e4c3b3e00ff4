"""The learned event-type classifier: a small spaCy text categoriser (bag of words, CPU, no torch) trained by
`make train` on the project's own labelled sentences (training/events/) and shipped in the package.

It scores each sentence with a probability per PLOVER type and NONE. The coder combines it with the
lexicon (see `combine` in events/coder.py); the parse still picks actor and recipient."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path

import spacy
from spacy.language import Language

NONE_LABEL = "NONE"
MODEL_DIR = "models/event_type"


def model_path() -> Path:
    return Path(str(resources.files("diurna.data").joinpath(MODEL_DIR)))


@cache
def load_classifier() -> Language | None:
    """The shipped model, or None when it has not been built (then diurna codes with the lexicon only)."""
    path = model_path()
    if not (path / "config.cfg").exists():
        return None
    return spacy.load(path)


def classify(sentences: Iterable[str], batch_size: int = 256) -> list[dict[str, float]]:
    nlp = load_classifier()
    if nlp is None:
        return [{} for _ in sentences]
    return [doc.cats for doc in nlp.pipe(sentences, batch_size=batch_size)]

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
from spacy.tokens import Doc, Span

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


def event_sentences(doc: Doc) -> list[Span]:
    """The sentences the coder reads (blank ones, where the Arabic was, left out)."""
    return [sent for sent in doc.sents if sent.text.strip()]


_CATS_KEY = "diurna_sentence_cats"


def classify_docs(docs: list[Doc]) -> None:
    """Score the sentences of several documents in one call (the model's cost is mostly per call, so a
    parser batch at once costs half as much as article by article); `sentence_cats` reads them back."""
    sentences = [event_sentences(doc) for doc in docs]
    cats = iter(classify([s.text.strip() for group in sentences for s in group]))
    for doc, group in zip(docs, sentences, strict=True):
        doc.user_data[_CATS_KEY] = [next(cats) for _ in group]


def sentence_cats(doc: Doc, sentences: list[Span]) -> list[dict[str, float]]:
    cached = doc.user_data.get(_CATS_KEY)
    if cached is not None and len(cached) == len(sentences):
        return cached
    return classify([s.text.strip() for s in sentences])

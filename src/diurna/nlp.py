"""The English spaCy pipeline, loaded once per process from an installed package (never from a hub)."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from diurna.errors import ConfigError


@Language.component("diurna_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A paragraph break, or a blanked-out Arabic passage, always ends a sentence: evidence never spans two."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if previous.is_space and ("\n" in previous.text or len(previous.text) > 3):
            token.is_sent_start = True
    return doc


@cache
def load_nlp(model: str) -> Language:
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ConfigError("E201", model=model) from exc
    nlp.add_pipe("diurna_paragraph_breaks", before="parser")
    return nlp

"""The English spaCy pipeline, loaded once per process from an installed package (never from a hub)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import spacy
from spacy.attrs import IDX, IS_SPACE, LEMMA, ORTH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from diurna import attribute_table
from diurna.errors import ConfigError


@Language.component("diurna_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A paragraph break, or a blanked-out Arabic passage, always ends a sentence: evidence never spans two."""
    if len(doc) < 2:
        return doc
    for i in doc.to_array(IS_SPACE)[:-1].nonzero()[0].tolist():
        text = doc[i].text
        if "\n" in text or len(text) > 3:
            doc[i + 1].is_sent_start = True
    return doc


@cache
def load_nlp(model: str) -> Language:
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ConfigError("E201", model=model) from exc
    # the same annotations as the model's attribute ruler and lemmatizer, looked up instead of matched
    attribute_table.install(nlp)
    nlp.add_pipe("diurna_paragraph_breaks", before="parser")
    return nlp


# --- per-document caches: spaCy recomputes these on every access ------------------------------------------
def doc_text(doc: Doc) -> str:
    """`doc.text` rebuilds the string from its tokens on every access: read it once per document."""
    text = doc.user_data.get("diurna_text")
    if text is None:
        text = doc.user_data["diurna_text"] = doc.text
    return text


class TokensByOffset:
    """Token by the character offset it starts at; the offsets are read once per document, and a `Token` is
    built only for the offsets asked about."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.index = dict(zip(doc.to_array(IDX).tolist(), range(len(doc)), strict=True)) if len(doc) else {}

    def get(self, offset: int) -> Token | None:
        i = self.index.get(offset)
        return None if i is None else self.doc[i]


def token_at(doc: Doc) -> TokensByOffset:
    """Token by character offset, indexed once per document."""
    index = doc.user_data.get("diurna_token_at")
    if index is None:
        index = doc.user_data["diurna_token_at"] = TokensByOffset(doc)
    return index


def sentence_starts(doc: Doc) -> list[int]:
    """For each token, the index of its sentence's first token (computed once per document)."""
    cached = doc.user_data.get("diurna_sentence_starts")
    if cached is None:
        cached = [0] * len(doc)
        for sent in doc.sents:
            cached[sent.start : sent.end] = [sent.start] * (sent.end - sent.start)
        doc.user_data["diurna_sentence_starts"] = cached
    return cached


def sentence_of(token: Token) -> Span:
    """`token.sent` walks the document on every call: the sentence from a per-document list instead."""
    doc = token.doc
    sentences = doc.user_data.get("diurna_sentence_spans")
    if sentences is None:
        sentences = doc.user_data["diurna_sentence_spans"] = {sent.start: sent for sent in doc.sents}
    return sentences[sentence_starts(doc)[token.i]]


@dataclass(frozen=True)
class TokenTable:
    """Token attributes as plain lists, read once per document: every `doc[i]` and `token.pos_` builds Python
    objects, and the stages look at every token several times."""

    text: list[str]
    lemma: list[str]  # lower-cased
    pos: list[str]
    tag: list[str]


def token_table(doc: Doc) -> TokenTable:
    table = doc.user_data.get("diurna_token_table")
    if table is None:
        strings = doc.vocab.strings
        columns = doc.to_array([ORTH, LEMMA, POS, TAG]).tolist() if len(doc) else []
        table = doc.user_data["diurna_token_table"] = TokenTable(
            text=[strings[row[0]] for row in columns], lemma=[strings[row[1]].lower() for row in columns],
            pos=[strings[row[2]] for row in columns], tag=[strings[row[3]] for row in columns])
    return table

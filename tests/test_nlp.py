"""The English pipeline as diurna loads it: the attribute and lemma tables must annotate exactly as spaCy's
attribute ruler and lemmatizer."""

from __future__ import annotations

import numpy
import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

from diurna.attribute_table import AttributeTable, LemmaTable, install
from diurna.config import Settings

from .conftest import REPO

ODD_TEXTS = [
    "I'd say y'all gonna win, ain't it? Let's go. C'mon, gotta move.",
    "There is a man outside. It was done before you and I saw it. Me too, she told him.",
    "  Two  spaces,\n\nand a paragraph.\tA tab. Something happened; nobody knew that it would.",
    "Did they? He does, and she has. That is what those who do it want.",
]


@pytest.fixture(scope="module")
def models():
    model = Settings().spacy_model
    plain, tabled = spacy.load(model), spacy.load(model)
    assert install(tabled)
    assert isinstance(tabled.get_pipe("attribute_ruler"), AttributeTable)
    assert isinstance(tabled.get_pipe("lemmatizer"), LemmaTable)
    return plain, tabled


def test_the_tables_annotate_exactly_as_spacy(models):
    plain, tabled = models
    texts = ODD_TEXTS + [p.read_text(encoding="utf-8") for p in sorted((REPO / "examples/articles").glob("*.txt"))[:30]]
    attrs = [TAG, POS, MORPH, LEMMA, DEP, HEAD]
    for expected, got in zip(plain.pipe(texts), tabled.pipe(texts), strict=True):
        assert numpy.array_equal(expected.to_array(attrs), got.to_array(attrs)), expected.text[:80]


def test_a_ruler_the_table_cannot_express_is_kept():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "new"}, {"LOWER": "york", "OP": "?"}]], {"POS": "PROPN"})
    assert AttributeTable.compile(ruler) is None
    assert not install(nlp) and nlp.pipe_names == ["attribute_ruler"]


def test_later_rules_win_as_in_spacy():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "bank"}]], {"POS": "NOUN", "LEMMA": "bank"})
    ruler.add([[{"LOWER": "river"}, {"LOWER": "bank"}]], {"POS": "PROPN"}, index=1)
    expected = [t.pos_ for t in nlp("the river bank and the bank")]
    install(nlp)
    assert [t.pos_ for t in nlp("the river bank and the bank")] == expected == ["", "", "PROPN", "", "", "NOUN"]

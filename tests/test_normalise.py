import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from diurna.normalise import normalise_text


def test_mojibake_is_fixed():
    assert normalise_text("The caf\u00c3\u00a9 reopened") == "The café reopened"
    assert normalise_text("Président fran\u00c3\u00a7ais") == "Président français"


def test_nfc_composes_combining_marks():
    out = normalise_text("Cafe\u0301 de l'e\u0301cole")
    assert out == "Café de l'école"
    assert unicodedata.is_normalized("NFC", out)


def test_line_ends_spaces_and_blank_lines():
    raw = "  First\tline  with   spaces  \r\nsecond line\r\r\r\n\n\nthird\u00a0line \n\n\n\n"
    assert normalise_text(raw) == "First line with spaces\nsecond line\n\nthird line"


def test_invisible_characters_removed():
    assert normalise_text("\ufeffGaza\u200b City\u200f said") == "Gaza City said"


def test_curly_quotes_and_entities_kept():
    assert normalise_text("He said “no” &amp; left") == "He said “no” &amp; left"


def test_arabic_text_untouched():
    arabic = "قالت وزارة الخارجية إن المحادثات ستستأنف"
    assert normalise_text(arabic) == arabic


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_idempotent(text):
    once = normalise_text(text)
    assert normalise_text(once) == once


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab é\u0301\t\r\n\u200b\ufeffÃ©قال \u00a0"))))
def test_idempotent_on_tricky_alphabet(text):
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert once == once.strip()
    assert "\r" not in once and "\t" not in once and "\n\n\n" not in once and "  " not in once

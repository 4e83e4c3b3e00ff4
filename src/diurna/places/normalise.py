"""Matching keys for place names, Latin and Arabic script alike.

Latin: case-folded, diacritics and apostrophes/ayn/hamza marks dropped, hyphens and dots to spaces, and the
Arabic article in its transliterated forms ("al-", "el-", "ad-", "ash-", a standalone "al"/"el") removed, so
"Deir ez-Zor" ~ "deir zor", "Al Qa'im" ~ "al-Qaim" ~ "qaim". Arabic: diacritics (harakat) and tatweel
dropped, alef forms to bare alef, alef maqsura to yaa, taa marbuta to haa, hamza carriers to their letter,
Persian yeh/kaf to Arabic, and the article "ال" removed from each word."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ARTICLE_HYPHEN = re.compile(r"\b(?:al|el|il|ul|ad|ed|adh|as|es|ash|esh|ar|er|az|ez|at|et|ath|an|en)-(?=\w)")
_ARTICLE_WORD = re.compile(r"\b(?:al|el)\s+(?=\w)")
_ARTICLE_MID = re.compile(r"(?<=\w)\s(?:ad|ed|as|es|ash|ar|az|ez|at|an|en)\s(?=\w)")
_MARKS = re.compile(r"[\u2018\u2019\u02bb\u02bc\u02be\u02bf\u0027`\u00b4\u02b9\u02ca]")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015./,()]+")
_AR_DIACRITICS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_AR_MAP = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ئ": "ي", "ی": "ي", "ة": "ه", "ؤ": "و",
    "ک": "ك", "ڤ": "ف", "گ": "ك", "پ": "ب", "چ": "ج", "ء": "",
})


def is_arabic_text(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" for ch in text)


def normalise_arabic(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _AR_DIACRITICS.sub("", text).translate(_AR_MAP)
    words = []
    for word in re.split(r"[\s\-_.,]+", text):
        if word.startswith("ال") and len(word) > 4:
            word = word[2:]
        if word:
            words.append(word)
    return " ".join(words)


def normalise_latin(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("ı", "i").replace("ə", "e").replace("ø", "o").replace("ß", "ss").replace("đ", "d")
    text = _MARKS.sub("", text)
    text = text.replace("\u2011", "-").replace("\u2013", "-")
    text = _ARTICLE_HYPHEN.sub("", text)
    text = _SEPARATORS.sub(" ", text).strip()
    text = _ARTICLE_WORD.sub("", text)
    text = _ARTICLE_MID.sub(" ", text)
    return text.removeprefix("the ").strip()


@lru_cache(maxsize=65_536)
def normalise(text: str) -> str:
    """The matching key of a place name in any script ("" when nothing is left)."""
    if is_arabic_text(text):
        return normalise_arabic(text)
    return normalise_latin(text)

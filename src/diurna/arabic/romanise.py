"""Romanisation of Arabic personal names, for matching them to the English names of the same article.

`candidates` returns a few Latin spellings of an Arabic name: those of `arabic-name-romanizer` (an offline
dictionary of attested spellings with a small bundled ONNX model; used when it is installed) and always one
from the rule table below, so linking works without the package. `match_key` folds a Latin name for
comparison: lower case, no al-/el-/Al- article, no hyphens or apostrophes, and vowel variants unified."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from diurna.arabic.normalise import norm

# Consonants and long vowels; short vowels are not written, so the rules add none except where a name
# would otherwise be a bare consonant cluster (see `_vocalise`).
_LETTERS = {
    "ا": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r",
    "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f",
    "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "و": "w", "ي": "y", "ء": "", "ة": "a",
    "ى": "a", "پ": "p", "چ": "ch", "گ": "g", "ڤ": "v",
}
# Whole-word spellings of the commonest name parts (the rule output for them is far from usage).
_WORDS = {
    "محمد": "mohammed", "احمد": "ahmed", "محمود": "mahmoud", "عبد": "abd", "عبدالله": "abdullah",
    "علي": "ali", "حسن": "hassan", "حسين": "hussein", "عمر": "omar", "عثمان": "othman", "يوسف": "yousef",
    "ابراهيم": "ibrahim", "اسماعيل": "ismail", "خالد": "khaled", "سعيد": "said", "سعد": "saad",
    "فؤاد": "fuad", "فواد": "fuad", "جواد": "jawad", "مصطفي": "mustafa", "عيسي": "issa", "موسي": "musa",
    "بن": "bin", "ابن": "ibn", "ابو": "abu", "ال": "al", "امير": "amir", "عون": "aoun", "نبيه": "nabih",
    "جوزاف": "joseph", "جوزيف": "joseph", "قيس": "qais", "حمد": "hamad", "حميد": "hamid",
}
_ARTICLE = re.compile(r"\b(?:al|el|ul|as|ash|ad|an|ar|at|az|ath|adh)[\s-]+", re.IGNORECASE)
_SUN = set("تثدذرزسشصضطظلن")


def _vocalise(word: str) -> str:
    """A pronounceable guess for a rule-romanised word: an 'a' between initial consonant clusters."""
    out = []
    for i, ch in enumerate(word):
        out.append(ch)
        if i + 1 < len(word) and ch not in "aeiouwy" and word[i + 1] not in "aeiouwyh" and i == 0:
            out.append("a")
    return "".join(out)


def rule_romanise(name: str) -> str:
    """Letter-by-letter romanisation of a name (normalised first), with al- kept as a separate article."""
    parts = []
    for word in norm(name).split():
        if word in _WORDS:
            parts.append(_WORDS[word])
            continue
        article = ""
        if word.startswith("ال") and len(word) > 3:
            article, word = "al-", word[2:]
        if word in _WORDS:
            parts.append(article + _WORDS[word])
            continue
        latin = []
        for i, ch in enumerate(word):
            if ch == "ي" and 0 < i < len(word) - 1:
                latin.append("i")
            elif ch == "و" and 0 < i < len(word) - 1:
                latin.append("ou")
            elif ch == "ه" and i == len(word) - 1 and i > 0:
                latin.append("a")
            elif ch == "ي" and i == len(word) - 1:
                latin.append("i")
            else:
                latin.append(_LETTERS.get(ch, ""))
        parts.append(article + _vocalise("".join(latin)))
    return " ".join(p for p in parts if p)


@lru_cache(maxsize=1)
def _romanizer():
    try:
        from arabic_name_romanizer import Transliterator
    except ImportError:  # optional dependency: the rules alone then
        return None
    try:
        return Transliterator()
    except Exception:  # a broken model install must not stop the pipeline
        return None


def package_available() -> bool:
    return _romanizer() is not None


@lru_cache(maxsize=4096)
def candidates(name: str, use_package: bool = True, top_k: int = 5) -> tuple[str, ...]:
    """Latin spellings of an Arabic name, most likely first."""
    found: list[str] = []
    tool = _romanizer() if use_package else None
    if tool is not None:
        try:
            found += [c.text for c in tool.transliterate(name, top_k=top_k)]
        except Exception:  # the package failing on an odd input: rules only
            pass
    found.append(rule_romanise(name))
    return tuple(dict.fromkeys(c for c in found if c))


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=16_384)
def match_key(latin: str) -> str:
    """Fold a Latin name for fuzzy comparison: Hamid al-Shatri ~ hamid shatri ~ Hameed Al Shatry."""
    text = _ascii(latin).lower().replace("'", "").replace("’", "").replace("`", "")
    text = _ARTICLE.sub("", " " + text.replace("-", " ").replace("\u2010", " ")).strip()
    text = re.sub(r"[^a-z ]+", " ", text)
    for old, new in (("ou", "u"), ("oo", "u"), ("ee", "i"), ("ei", "i"), ("ie", "i"), ("ai", "ay"), ("ia", "iya"),
                     ("kh", "x"), ("dh", "z"), ("th", "t"), ("q", "k"), ("c", "k"), ("o", "u"), ("e", "i"),
                     ("y", "i"), ("w", "u"), ("p", "b"), ("v", "f")):
        text = text.replace(old, new)
    text = re.sub(r"([a-z])\1+", r"\1", text)  # doubled letters: Sharaa ~ Shara, Hassan ~ Hasan
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=16_384)
def skeleton(key: str) -> str:
    """The consonants of a match key: vowels are where spellings differ most."""
    return re.sub(r"[aiu]", "", key)


@lru_cache(maxsize=4096)
def known_name_part(word: str) -> bool | None:
    """Whether the romaniser's name dictionary knows `word` as a name part (None without the package)."""
    tool = _romanizer()
    if tool is None:
        return None
    try:
        found = tool.transliterate_many([word], top_k=2)[0]
    except Exception:  # the package failing on an odd input: unknown
        return None
    return bool(found) and found[0].source in {"dictionary", "user"}

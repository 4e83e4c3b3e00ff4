"""Cross-lingual person linking: an Arabic name to the English person entity of the same article."""

from __future__ import annotations

import re

from diurna.arabic.romanise import candidates, match_key, skeleton

try:
    from rapidfuzz import fuzz

    def _ratio(a: str, b: str) -> float:
        return float(fuzz.ratio(a, b))
except ImportError:  # rapidfuzz is optional: difflib gives the same 0-100 scale, more slowly
    from difflib import SequenceMatcher

    def _ratio(a: str, b: str) -> float:
        return 100.0 * SequenceMatcher(None, a, b).ratio()

LINK_THRESHOLD = 80.0
# honorifics that one script writes and the other leaves out: "Prince Faisal bin Farhan", الأمير فيصل بن فرحان
_LATIN_HONORIFIC = re.compile(r"^(?:(?:crown )?prince|princess|sheikh|sheikha|shaikh|king|queen|emir|sayyid|"
                              r"dr\.?|doctor)\s+", re.IGNORECASE)
_ARABIC_HONORIFIC = re.compile(r"^(?:ال)?(?:أمير|أميرة|شيخ|شيخة|ملك|سيد|سيدة|دكتور|د\.)\s+")


def _without_honorific(name: str, pattern: re.Pattern) -> str:
    stripped = pattern.sub("", name.strip(), count=1)
    return stripped if len(stripped.split()) >= 2 else name


def name_similarity(latin_a: str, latin_b: str) -> float:
    """0-100 similarity of two Latin names after folding (articles, vowels, doubled letters)."""
    a = match_key(_without_honorific(latin_a, _LATIN_HONORIFIC))
    b = match_key(_without_honorific(latin_b, _LATIN_HONORIFIC))
    if not a or not b:
        return 0.0
    score = max(_ratio(a, b), 0.9 * _ratio(skeleton(a), skeleton(b)))
    ta, tb = a.split(), b.split()
    if len(ta) >= 2 and len(tb) >= 2:
        # same first and last name, a middle name in one only: Mohammed Shia al-Sudani ~ Mohammed al-Sudani
        last = max(_ratio(ta[-1], tb[-1]), _ratio(skeleton(ta[-1]), skeleton(tb[-1])))
        first = _ratio(ta[0], tb[0])
        if last >= 85 and first >= 80:
            score = max(score, (last + first) / 2 - 5)
    elif len(ta) != len(tb) and min(len(ta), len(tb)) == 1:  # a surname only on one side: al-Sharaa, ترامب
        last = max(_ratio(ta[-1], tb[-1]), _ratio(skeleton(ta[-1]), skeleton(tb[-1])))
        score = max(score, min(last, 95) - 5)
    return score


def best_link(arabic_name: str, english_names: dict[str, str], use_package: bool = True,
              threshold: float = LINK_THRESHOLD) -> tuple[str | None, float]:
    """The id of the English name (`{entity_id: name}`) that best matches `arabic_name`, and its score;
    (None, score) below `LINK_THRESHOLD`."""
    best_id, best = None, 0.0
    romanised = candidates(_without_honorific(arabic_name, _ARABIC_HONORIFIC), use_package)
    for entity_id, name in english_names.items():
        for latin in romanised:
            score = name_similarity(latin, name)
            if score > best:
                best_id, best = entity_id, score
    return (best_id, best) if best >= threshold else (None, best)

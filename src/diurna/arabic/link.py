"""Cross-lingual person linking: an Arabic name to the English person entity of the same article."""

from __future__ import annotations

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


def name_similarity(latin_a: str, latin_b: str) -> float:
    """0-100 similarity of two Latin names after folding (articles, vowels, doubled letters)."""
    a, b = match_key(latin_a), match_key(latin_b)
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
    romanised = candidates(arabic_name, use_package)
    for entity_id, name in english_names.items():
        for latin in romanised:
            score = name_similarity(latin, name)
            if score > best:
                best_id, best = entity_id, score
    return (best_id, best) if best >= threshold else (None, best)

"""Arabic normalisation for matching only, with a map back to the original offsets.

The normalised text is never stored or shown: it is the key the gazetteers and trigger tables are matched
on. Every normalised character remembers the index of the original character it came from, so a match on
the normalised text maps back to an exact span of the original (`text[start:end]`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Harakat, tanwin, shadda, sukun, dagger alef, Quranic marks and the tatweel (kashida).
_MARKS = {chr(c) for c in range(0x064B, 0x0660)} | {"\u0670", "\u0640"} | {chr(c) for c in range(0x06D6, 0x06EE)}
_DROP = _MARKS | {"\u200c", "\u200d", "\u200e", "\u200f", "\u061c"}  # joiners and direction marks
_MAP = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ې": "ي",
    "ة": "ه", "ۀ": "ه", "ە": "ه",
    "ک": "ك", "ڪ": "ك",
    "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
    "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4", "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9",
}
_HAMZA_SEAT = {"ؤ": "و", "ئ": "ي"}


def fold_char(ch: str, hamza: bool = True) -> str:
    """The matching form of one character ('' when it is dropped)."""
    if ch in _DROP:
        return ""
    if hamza and ch in _HAMZA_SEAT:
        return _HAMZA_SEAT[ch]
    return _MAP.get(ch, ch)


@dataclass(frozen=True)
class Normalised:
    """`text` (the matching key) and `origin[i]`, the index in the original text of `text[i]`."""

    text: str
    origin: tuple[int, ...]
    source: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the normalised span [start, end): from the first character's origin to just
        after the last character's origin and the marks written on it."""
        if start >= end:
            pos = self.origin[start] if start < len(self.origin) else len(self.source)
            return pos, pos
        stop = self.origin[end - 1] + 1
        while stop < len(self.source) and self.source[stop] in _MARKS:
            stop += 1  # marks written after the last letter belong to it
        return self.origin[start], stop


def normalise(text: str, hamza: bool = True) -> Normalised:
    """Strip tashkeel and tatweel, unify alef forms (أإآٱ→ا), ى→ي, ة→ه, Persian kaf/yeh, Arabic-Indic digits,
    and (with `hamza`) ؤ→و, ئ→ي. Latin text passes through unchanged."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        folded = fold_char(ch, hamza)
        for part in folded:
            out.append(part)
            origin.append(i)
    return Normalised("".join(out), tuple(origin), text)


_FOLD_TABLES = {
    hamza: str.maketrans({**dict.fromkeys(_DROP), **_MAP, **(_HAMZA_SEAT if hamza else {})})
    for hamza in (True, False)
}
_SPACES = re.compile(r"\s+")


def norm(text: str, hamza: bool = True) -> str:
    """The matching key of a short string (a table entry, a token): `normalise` without the offset map."""
    return _SPACES.sub(" ", text.translate(_FOLD_TABLES[hamza])).strip()

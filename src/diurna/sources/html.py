"""HTML page -> Article: main text, title, date, author and canonical URL, with trafilatura, offline.

Navigation, headers, footers, sidebars and reader comments are left out. Embedded social-media posts
(X/Twitter, Facebook, Telegram blockquotes) are rewritten, before extraction, into one line in the shape
pasted posts have in wire text, so that `diurna.segment.find_posts` finds them:

    words pic.twitter.com/ID— Author (@handle) April 25, 2025
    words https://www.facebook.com/page/posts/123
    words https://t.me/channel/123

Nothing is fetched here: trafilatura and htmldate only read the page given.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from diurna.errors import InputError
from diurna.ingest import _article, _body, _single_line, parse_date
from diurna.records import Article
from diurna.segment import parse_post_date

log = logging.getLogger(__name__)

_SPACES = re.compile(r"\s+")
# Fewer words than this and the page holds no article (an index page, a stub, navigation only).
MIN_WORDS = 8
_X_STATUS = re.compile(r"(?:twitter|x)\.com/(?P<handle>[A-Za-z0-9_]{1,30})/status(?:es)?/(?P<id>\d+)", re.I)
_FB_POST = re.compile(r"(?:facebook|fb)\.com/[^\s?#]+/(?:posts|videos)/[^\s?#]+|facebook\.com/permalink\.php\?\S+",
                      re.I)
_TG_POST = re.compile(r"(?:t\.me|telegram\.me)/(?:s/)?(?P<path>[A-Za-z0-9_]{3,64}/\d+)", re.I)
_ATTRIBUTION_DASH = re.compile(r"\s*[—–]\s*(?=[^—–]*\(@[A-Za-z0-9_]{1,30}\))")


@dataclass(frozen=True)
class Page:
    """What was read from one HTML page; `article` is what diurna codes."""

    article: Article
    author: str | None
    canonical_url: str | None
    sitename: str | None
    description: str | None


def _flat(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _classes(element: Any) -> str:
    return (element.get("class") or "").lower()


def _twitter_line(quote: Any) -> str | None:
    """`words pic.twitter.com/ID— Author (@handle) Month D, YYYY`, or `words https://x.com/h/status/N`."""
    text = _flat(quote.text_content())
    if not text:
        return None
    status = None
    for link in quote.iter("a"):
        found = _X_STATUS.search(link.get("href") or "")
        if found is not None:
            status = (found, _flat(link.text_content()))
    # One dash, glued to what precedes it, before `Author (@handle)`.
    parts = _ATTRIBUTION_DASH.split(text)
    if len(parts) == 2 and status is not None and parse_post_date(status[1]):
        body, attribution = parts
        return f"{body}— {attribution}"
    if len(parts) == 2 and status is None:
        body, attribution = parts
        if re.search(r"pic\.twitter\.com/\w+\s*$", body) or parse_post_date(attribution.rsplit(")", 1)[-1]):
            return f"{body}— {attribution}"
    if status is not None:
        body = parts[0] if len(parts) == 2 else text
        match = status[0]
        return f"{body} https://x.com/{match.group('handle')}/status/{match.group('id')}"
    return text


def _facebook_line(quote: Any, href: str | None) -> str | None:
    paragraphs = [_flat(p.text_content()) for p in quote.iter("p")]
    body = " ".join(p for p in paragraphs if p) or _flat(quote.text_content())
    if not body:
        return None
    urls = [href or "", quote.get("cite") or ""] + [a.get("href") or "" for a in quote.iter("a")]
    for url in urls:
        found = _FB_POST.search(url)
        if found is not None:
            return f"{body} https://www.{found.group(0)}"
    return body


def _telegram_line(quote: Any, post: str | None) -> str | None:
    body = _flat(quote.text_content())
    candidates = [post or ""] + [a.get("href") or "" for a in quote.iter("a")]
    for candidate in candidates:
        found = _TG_POST.search(candidate) or re.fullmatch(r"(?P<path>[A-Za-z0-9_]{3,64}/\d+)", candidate)
        if found is not None:
            path = found.group("path")
            body = body.replace(f"t.me/{path}", "").strip() if body else body
            return f"{body} https://t.me/{path}" if body else None
    return body or None


def _replace(element: Any, line: str | None) -> None:
    from lxml import html as lxml_html

    parent = element.getparent()
    if parent is None:
        return
    if not line:
        parent.remove(element)
        return
    paragraph = lxml_html.Element("p")
    paragraph.text = line
    paragraph.tail = element.tail
    parent.replace(element, paragraph)


def flatten_embeds(tree: Any) -> int:
    """Rewrite embedded posts in `tree` (in place) as one-line paragraphs; returns how many."""
    done = 0
    for quote in list(tree.iter("blockquote")):
        classes = _classes(quote)
        parent = quote.getparent()
        parent_classes = _classes(parent) if parent is not None else ""
        if "twitter-tweet" in classes or "twitter-video" in classes:
            _replace(quote, _twitter_line(quote))
        elif "fb-xfbml-parse-ignore" in classes or "fb-post" in parent_classes or "facebook" in classes:
            href = parent.get("data-href") if parent is not None else None
            line = _facebook_line(quote, href)
            target = parent if parent is not None and "fb-post" in parent_classes else quote
            _replace(target, line)
        elif "telegram" in classes:
            _replace(quote, _telegram_line(quote, quote.get("data-telegram-post")))
        else:
            continue
        done += 1
    return done


def _load_tree(data: bytes | str, encoding: str | None) -> Any:
    from trafilatura.utils import load_html

    if isinstance(data, bytes) and encoding:
        try:
            data = data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            pass
    if isinstance(data, str):
        # lxml refuses str input with an encoding declaration.
        data = re.sub(r"^\s*<\?xml[^>]*\?>", "", data)
    return load_html(data)


def _drop_title_line(text: str, title: str | None) -> str:
    if not title:
        return text
    first, newline, rest = text.partition("\n")
    if newline and _flat(first).casefold() == _flat(title).casefold():
        return rest.lstrip("\n")
    return text


def read_html(
    data: bytes | str,
    origin: str,
    *,
    url: str | None = None,
    encoding: str | None = None,
    source: str | None = None,
    date: str | None = None,
    title: str | None = None,
    max_chars: int = 2_000_000,
) -> Page:
    """One HTML page -> Page; raises InputError (E305 no text, E008 too long).

    `url` is where the page came from (it helps trafilatura resolve the canonical URL and the date);
    `date` and `title` are fallbacks (a feed entry's) for a page that states none. `source` wins over the
    site name the page declares.
    """
    import trafilatura

    tree = _load_tree(data, encoding)
    if tree is None:
        raise InputError("E305", detail=f" {url}" if url else "")
    flatten_embeds(tree)
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
        date_extraction_params={"extensive_search": True, "original_date": True},
    )
    found: dict[str, Any] = {}
    if document is not None:
        found = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    raw_text = found.get("text") or ""
    page_title = _single_line(found.get("title")) or _single_line(title)
    text = _body(_drop_title_line(raw_text, page_title), max_chars)
    if len(text.split()) < MIN_WORDS:
        raise InputError("E305", detail=f" {url}" if url else "")
    day = None
    for candidate in (found.get("date"), date):
        if candidate:
            try:
                day = parse_date(str(candidate))
                break
            except InputError:
                continue
    canonical = found.get("url") or None
    if canonical and not canonical.lower().startswith(("http://", "https://")):
        canonical = None
    article = _article(
        origin,
        text,
        day,
        page_title,
        url=canonical or url,
        source=_single_line(source) or _single_line(found.get("sitename")) or found.get("hostname") or None,
        author=_single_line(found.get("author")),
    )
    return Page(
        article=article,
        author=_single_line(found.get("author")),
        canonical_url=canonical,
        sitename=_single_line(found.get("sitename")),
        description=_single_line(found.get("description")),
    )

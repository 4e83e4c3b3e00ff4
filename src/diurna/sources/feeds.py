"""RSS and Atom feeds (feedparser): entries with their link, title, date and id. Feeds are parsed from
bytes only; feedparser never fetches anything itself."""

from __future__ import annotations

import io
import time
from dataclasses import dataclass

from diurna.errors import InputError


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str | None
    date: str | None
    guid: str | None
    summary: str | None


@dataclass(frozen=True)
class Feed:
    title: str | None
    entries: list[FeedEntry]


def _entry_date(entry: dict) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return time.strftime("%Y-%m-%d", value)
            except (TypeError, ValueError):
                continue
    return None


def parse_feed(data: bytes, base_url: str | None = None) -> Feed:
    """An RSS (0.9x, 1.0, 2.0) or Atom feed -> Feed; raises InputError(E306) when it is none.

    Entries without an http(s) link are left out; relative links are resolved against `base_url`.
    """
    import feedparser

    headers = {"content-location": base_url} if base_url else None
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise InputError("E306", detail=str(problem) if problem else "no RSS or Atom root element")
    entries = []
    seen: set[str] = set()
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        if not link.lower().startswith(("http://", "https://")):
            links = [x.get("href", "") for x in entry.get("links", []) if x.get("rel", "alternate") == "alternate"]
            link = next((x for x in links if x.lower().startswith(("http://", "https://"))), "")
        if not link or link in seen:
            continue
        seen.add(link)
        entries.append(FeedEntry(url=link, title=entry.get("title") or None, date=_entry_date(entry),
                                 guid=entry.get("id") or None, summary=entry.get("summary") or None))
    return Feed(title=parsed.feed.get("title") or None, entries=entries)

"""Dispatch for web inputs: bytes sniffed into HTML, feed, WARC, JSON or wire text; URLs fetched."""

from __future__ import annotations

import io
from collections.abc import Iterator

from diurna.errors import InputError
from diurna.records import Article, Failure
from diurna.sources.fetch import Fetcher, FetchOptions, Response
from diurna.sources.sniff import sniff

_TEXT_TYPES = ("text/", "application/xml", "application/json", "application/xhtml", "application/rss",
               "application/atom", "application/rdf", "application/warc", "application/gzip",
               "application/x-gzip", "application/octet-stream")


def _failure(origin: str, err: InputError) -> Failure:
    return Failure(origin=origin, reason=err.reason, code=err.code)


def default_fetcher() -> Fetcher:
    """A Fetcher with the fetch_* settings from the environment (DIURNA_FETCH_*), or the defaults."""
    try:
        from diurna.config import Settings

        return Fetcher(FetchOptions.from_settings(Settings()))
    except Exception:  # a bad environment must not stop reading: fall back to the defaults
        return Fetcher(FetchOptions())


def page_article(response: Response, *, source: str | None = None, date: str | None = None,
                 title: str | None = None, max_chars: int = 2_000_000) -> Article:
    """The article of a fetched HTML page (origin = the URL asked for); raises InputError (E311, E305)."""
    from diurna.sources.html import read_html

    kind = sniff(response.content)
    if kind != "html" and "html" not in response.content_type:
        raise InputError("E311", url=response.url, content_type=response.content_type or f"{kind} content")
    page = read_html(response.content, response.url, url=response.final_url, encoding=response.encoding,
                     source=source, date=date, title=title, max_chars=max_chars)
    return page.article


def fetch_article(fetcher: Fetcher, url: str, *, source: str | None = None, date: str | None = None,
                  title: str | None = None, max_chars: int = 2_000_000,
                  conditional: bool = False) -> tuple[Article | None, Response]:
    """Fetch and read one page; (None, response) when a conditional request was answered 304."""
    response = fetcher.get(url, conditional=conditional)
    if response.not_modified:
        return None, response
    return page_article(response, source=source, date=date, title=title, max_chars=max_chars), response


def iter_feed(data: bytes, origin: str, fetcher: Fetcher, *, base_url: str | None = None,
              source: str | None = None, max_chars: int = 2_000_000) -> Iterator[Article | Failure]:
    """Each entry's page fetched and read (entry date and title as fallbacks); a failed page yields a
    Failure whose origin is the page URL."""
    from diurna.sources.feeds import parse_feed

    try:
        feed = parse_feed(data, base_url)
    except InputError as err:
        yield _failure(origin, err)
        return
    for entry in feed.entries:
        try:
            article, _ = fetch_article(fetcher, entry.url, source=source, date=entry.date, title=entry.title,
                                       max_chars=max_chars)
        except InputError as err:
            yield _failure(entry.url, err)
            continue
        if article is not None:
            yield article


def iter_bytes(data: bytes, origin: str, fetcher_factory, *, url: str | None = None,
               as_json: bool | None = None, max_chars: int = 2_000_000) -> Iterator[Article | Failure]:
    """Articles from one input's bytes, by content: HTML, feed (pages fetched), WARC, JSON or wire text."""
    from diurna import ingest

    kind = sniff(data)
    if kind == "warc":
        from diurna.sources.warc import iter_warc

        yield from iter_warc(io.BytesIO(data), origin, max_chars)
        return
    if kind == "html":
        from diurna.sources.html import read_html

        try:
            yield read_html(data, origin, url=url, max_chars=max_chars).article
        except InputError as err:
            yield _failure(origin, err)
        return
    if kind == "feed":
        yield from iter_feed(data, origin, fetcher_factory(), base_url=url, max_chars=max_chars)
        return
    try:
        text = ingest._decode(data)
    except InputError as err:
        yield _failure(origin, err)
        return
    yield from ingest._iter_text(text, origin, as_json, max_chars)


def iter_url(url: str, fetcher: Fetcher, max_chars: int = 2_000_000) -> Iterator[Article | Failure]:
    """Fetch `url` and read what it holds (a page, a feed whose entries are fetched, a WARC, JSONL, wire)."""
    try:
        response = fetcher.get(url, conditional=False)
    except InputError as err:
        yield _failure(url, err)
        return
    content_type = response.content_type
    if content_type and not content_type.startswith(_TEXT_TYPES) and sniff(response.content) == "text":
        yield _failure(url, InputError("E311", url=url, content_type=content_type))
        return
    if sniff(response.content) == "html":
        try:
            yield page_article(response, max_chars=max_chars)
        except InputError as err:
            yield _failure(url, err)
        return
    yield from iter_bytes(response.content, url, lambda: fetcher, url=response.final_url, max_chars=max_chars)

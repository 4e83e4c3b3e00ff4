"""WARC files (warcio): every HTML response (or resource) record read as an article.

A record's origin is `FILE#URL` (its WARC-Target-URI). Redirects, errors and non-HTML records are skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import IO

from diurna.errors import InputError
from diurna.records import Article, Failure
from diurna.sources.sniff import sniff

log = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


def iter_warc(stream: IO[bytes], name: str, max_chars: int = 2_000_000) -> Iterator[Article | Failure]:
    """Articles from the HTML records of the WARC `stream` (plain or gzipped); never raises on bad input."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    from diurna.sources.html import read_html

    read = 0
    try:
        for record in ArchiveIterator(stream, arc2warc=True):
            if record.rec_type not in ("response", "resource"):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            if record.rec_type == "response":
                if record.http_headers is None:
                    continue
                status = record.http_headers.get_statuscode()
                content_type = record.http_headers.get_header("Content-Type") or ""
                if not status or not status.startswith("2"):
                    continue
            else:
                content_type = record.rec_headers.get_header("Content-Type") or ""
            payload = record.content_stream().read()
            is_html = content_type.split(";")[0].strip().lower() in _HTML_TYPES
            if not is_html and not (not content_type and sniff(payload) == "html"):
                continue
            origin = f"{name}#{url}" if url else f"{name}#{read}"
            read += 1
            try:
                page = read_html(payload, origin, url=url or None, encoding=_charset(content_type),
                                 max_chars=max_chars)
            except InputError as err:
                yield Failure(origin=origin, reason=err.reason, code=err.code)
                continue
            yield page.article
    except (ArchiveLoadFailed, ValueError, OSError, EOFError, AttributeError, KeyError) as exc:  # warcio on junk
        err = InputError("E307", detail=str(exc).strip() or type(exc).__name__)
        yield Failure(origin=name, reason=err.reason, code=err.code)
        return
    if read == 0:
        err = InputError("E307", detail="no HTML response records in it")
        yield Failure(origin=name, reason=err.reason, code=err.code)

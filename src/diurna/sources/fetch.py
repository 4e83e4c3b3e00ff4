"""Polite HTTP fetching: timeouts, retries with backoff, a per-host rate limit, robots.txt, conditional
requests and a size limit. Every failure is an `InputError` (E301-E304, E308, E312) naming the URL.

`FetchState` remembers, per URL, the ETag / Last-Modified validators of the last good fetch, the article it
gave, and the URLs that failed (to retry them on the next run). It lives in a small JSON side file next to
the store (`<db>.fetch.json`, or the `fetch_state` setting); see docs/sources.md.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from diurna import __version__
from diurna.errors import InputError
from diurna.sources.sniff import is_url

log = logging.getLogger(__name__)

USER_AGENT = f"diurna/{__version__} (+https://github.com/diurna)"
ROBOTS_MAX_BYTES = 512 * 1024
_MAX_WAIT = 60.0


class FetchError(InputError):
    """A URL that could not be fetched (or may not be): its code says why."""


class _Transient(Exception):
    """A failure worth retrying: a 5xx or 429 answer, a timeout, a dropped connection."""

    def __init__(self, detail: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(detail)
        self.detail = detail
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class FetchOptions:
    user_agent: str = USER_AGENT
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 1.0
    min_interval: float = 1.0
    max_bytes: int = 10_000_000
    respect_robots: bool = True

    @classmethod
    def from_settings(cls, settings: Any) -> FetchOptions:
        return cls(
            user_agent=settings.fetch_user_agent or USER_AGENT,
            timeout=settings.fetch_timeout,
            retries=settings.fetch_retries,
            backoff=settings.fetch_backoff,
            min_interval=settings.fetch_min_interval,
            max_bytes=settings.fetch_max_bytes,
            respect_robots=settings.fetch_respect_robots,
        )


@dataclass
class Response:
    """A fetched URL. `not_modified` is True for a 304 answer to a conditional request (no content)."""

    url: str
    final_url: str
    status: int
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)
    not_modified: bool = False

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def encoding(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                return value.strip("\"' ")
        return None


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def state_path_for(db: str) -> Path:
    """The default fetch-state file for store `db`: `<sqlite file>.fetch.json`, else `diurna.fetch.json`."""
    if db.startswith("sqlite:///"):
        return Path(db[len("sqlite:///"):] + ".fetch.json")
    if "://" in db or db in (":memory:", ""):
        return Path("diurna.fetch.json")
    return Path(db + ".fetch.json")


class FetchState:
    """Per-URL memory between runs, saved as JSON (atomically) at `path`; `path=None` keeps it in memory."""

    VERSION = 1

    def __init__(self, path: str | os.PathLike[str] | None = None):
        self.path = Path(path) if path is not None else None
        self._lock = threading.Lock()
        self.data: dict[str, Any] = {"version": self.VERSION, "pages": {}, "failed": {}, "hashes": {}}
        if self.path is not None and self.path.exists():
            try:
                loaded = json.loads(self.path.read_text(encoding="utf-8"))
                if not isinstance(loaded, dict) or loaded.get("version") != self.VERSION:
                    raise ValueError("unknown layout")
                for key in ("pages", "failed", "hashes"):
                    self.data[key] = dict(loaded.get(key) or {})
            except (OSError, ValueError) as exc:
                aside = self.path.with_suffix(self.path.suffix + ".bad")
                log.warning("fetch state %s unreadable (%s); moved to %s, starting afresh", self.path, exc, aside)
                try:
                    os.replace(self.path, aside)
                except OSError:
                    pass

    # -- pages fetched well
    def page(self, url: str) -> dict[str, Any] | None:
        return self.data["pages"].get(url)

    def validators(self, url: str) -> dict[str, str]:
        page = self.page(url) or {}
        headers = {}
        if page.get("etag"):
            headers["If-None-Match"] = page["etag"]
        if page.get("last_modified"):
            headers["If-Modified-Since"] = page["last_modified"]
        return headers

    def remember(self, url: str, response: Response | None, *, article_id: str | None = None,
                 content_hash: str | None = None) -> None:
        """Record a good fetch of `url` (validators, article) and forget any failure of it."""
        with self._lock:
            page = self.data["pages"].setdefault(url, {})
            if response is not None and not response.not_modified:
                page["etag"] = response.headers.get("etag")
                page["last_modified"] = response.headers.get("last-modified")
            if article_id is not None:
                page["article_id"] = article_id
            if content_hash is not None:
                page["hash"] = content_hash
                self.data["hashes"][content_hash] = url
            page["fetched_at"] = _now_iso()
            self.data["failed"].pop(url, None)

    def seen_hash(self, content_hash: str) -> str | None:
        return self.data["hashes"].get(content_hash)

    # -- failures, retried on later runs
    def fail(self, url: str, code: str, reason: str, **context: Any) -> int:
        with self._lock:
            entry = self.data["failed"].setdefault(url, {"attempts": 0, "first_seen": _now_iso()})
            entry.update(code=code, reason=reason, last_seen=_now_iso(), **context)
            entry["attempts"] += 1
            return int(entry["attempts"])

    def failed(self) -> dict[str, dict[str, Any]]:
        return dict(self.data["failed"])

    def save(self) -> None:
        if self.path is None:
            return
        with self._lock:
            payload = json.dumps(self.data, ensure_ascii=False, indent=1, sort_keys=True)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + f".tmp{os.getpid()}")
            tmp.write_text(payload, encoding="utf-8")
            os.replace(tmp, self.path)


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


class Fetcher:
    """Fetches URLs politely. One per run; share it between feeds so the per-host limits hold.

    `sleep` and `clock` are injectable for tests. Use as a context manager or call `close()`.
    """

    def __init__(
        self,
        options: FetchOptions | None = None,
        *,
        state: FetchState | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.options = options or FetchOptions()
        self.state = state
        self._sleep = sleep
        self._clock = clock
        self._client = httpx.Client(
            headers={"User-Agent": self.options.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(self.options.timeout),
            follow_redirects=True,
            max_redirects=5,
            transport=transport,
        )
        self._lock = threading.Lock()
        self._next_slot: dict[str, float] = {}
        self._interval: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | InputError] = {}
        self.requests = 0

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ---------------------------------------------------------------- rate limit
    def _wait_turn(self, host: str) -> None:
        interval = max(self.options.min_interval, self._interval.get(host, 0.0))
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot.get(host, now))
            self._next_slot[host] = slot + interval
        if slot > now:
            self._sleep(slot - now)

    # ---------------------------------------------------------------- one request, with retries
    def _wait(self, state: RetryCallState) -> float:
        base = self.options.backoff * (2 ** (state.attempt_number - 1))
        exc = state.outcome.exception() if state.outcome else None
        after = getattr(exc, "retry_after", None)
        return min(_MAX_WAIT, max(base, after or 0.0))

    def _once(self, url: str, headers: dict[str, str], limit: int) -> Response:
        self._wait_turn(_host(url))
        self.requests += 1
        try:
            with self._client.stream("GET", url, headers=headers) as answer:
                status = answer.status_code
                if status >= 500 or status == 429:
                    raise _Transient(f"HTTP {status}", status, _retry_after(answer.headers.get("retry-after")))
                declared = answer.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > limit:
                    raise FetchError("E304", url=url, limit=limit)
                chunks, size = [], 0
                for chunk in answer.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise FetchError("E304", url=url, limit=limit)
                    chunks.append(chunk)
                return Response(url=url, final_url=str(answer.url), status=status, content=b"".join(chunks),
                                headers={k.lower(): v for k, v in answer.headers.items()},
                                not_modified=status == 304)
        except httpx.TimeoutException as exc:
            raise _Transient(f"timed out ({type(exc).__name__})") from exc
        except (httpx.TransportError, httpx.DecodingError) as exc:
            if isinstance(exc, httpx.UnsupportedProtocol):
                raise FetchError("E308", url=url) from exc
            raise _Transient(str(exc) or type(exc).__name__) from exc
        except httpx.TooManyRedirects as exc:
            raise FetchError("E301", url=url, detail="too many redirects") from exc

    def _request(self, url: str, headers: dict[str, str], limit: int) -> Response:
        retrying = Retrying(
            stop=stop_after_attempt(self.options.retries + 1),
            wait=self._wait,
            retry=retry_if_exception_type(_Transient),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            return retrying(self._once, url, headers, limit)
        except _Transient as exc:
            attempts = self.options.retries + 1
            if exc.status is not None:
                raise FetchError("E302", status=exc.status, url=url,
                                 detail=f" after {attempts} attempt(s)") from None
            raise FetchError("E301", url=url, detail=f"{exc.detail}, after {attempts} attempt(s)") from None

    # ---------------------------------------------------------------- robots.txt
    def robots(self, url: str) -> urllib.robotparser.RobotFileParser:
        """The parsed robots.txt of `url`'s host (fetched once per Fetcher); raises E312 if unreadable."""
        host = _host(url)
        cached = self._robots.get(host)
        if cached is None:
            cached = self._load_robots(host)
            self._robots[host] = cached
        if isinstance(cached, InputError):
            raise FetchError("E312", host=host, detail=cached.fields.get("detail") or cached.reason)
        return cached

    def _load_robots(self, host: str) -> urllib.robotparser.RobotFileParser | InputError:
        parser = urllib.robotparser.RobotFileParser(host + "/robots.txt")
        try:
            answer = self._request(host + "/robots.txt", {}, ROBOTS_MAX_BYTES)
        except FetchError as exc:
            if exc.code == "E304":  # an oversized robots.txt: read what the limit allows is not possible; allow
                parser.allow_all = True
                return parser
            detail = f"HTTP {exc.fields['status']}" if exc.code == "E302" else exc.fields.get("detail", exc.reason)
            return InputError("E301", url=host + "/robots.txt", detail=detail)
        if answer.status in (401, 403):
            parser.disallow_all = True
        elif answer.status >= 400:
            parser.allow_all = True
        else:
            parser.parse(answer.content.decode("utf-8", errors="replace").splitlines())
            delay = parser.crawl_delay(self.options.user_agent)
            if delay:
                self._interval[host] = min(float(delay), _MAX_WAIT)
        parser.modified()
        return parser

    def allowed(self, url: str) -> bool:
        if not self.options.respect_robots:
            return True
        return self.robots(url).can_fetch(self.options.user_agent, url)

    # ---------------------------------------------------------------- the public call
    def get(self, url: str, *, conditional: bool = True) -> Response:
        """Fetch `url`: robots.txt checked, rate-limited, retried; raises FetchError.

        With `conditional` and a FetchState that knows the URL, the request carries If-None-Match /
        If-Modified-Since and a 304 answer comes back as `Response(not_modified=True)`.
        """
        if not is_url(url) or not urlsplit(url).netloc:
            raise FetchError("E308", url=url)
        if not self.allowed(url):
            raise FetchError("E303", host=urlsplit(url).netloc, url=url)
        headers = self.state.validators(url) if conditional and self.state is not None else {}
        answer = self._request(url, headers, self.options.max_bytes)
        if answer.status >= 400:
            raise FetchError("E302", status=answer.status, url=url, detail="")
        return answer

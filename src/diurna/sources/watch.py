"""Watch mode: poll RSS/Atom feeds on their intervals and store the new articles.

A feeds file is YAML, a list of feeds::

    - url: https://example.org/world/rss.xml
      interval_minutes: 15
      source: Example World        # optional: Article.source (default: the feed's title)

Each poll asks for the feed with If-None-Match / If-Modified-Since (a 304 costs nothing), fetches the
page of every entry not seen before (by URL), skips pages whose text was stored before (by content hash
or article id), codes the rest with the pipeline and writes them to the store one by one. Pages that
fail are recorded as store failures (origin = the URL) and retried on later polls. `stop` (a
threading.Event, set by Ctrl-C in `diurna watch`) is checked between articles.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from diurna.errors import ConfigError, InputError
from diurna.records import Article, Failure
from diurna.sources.fetch import Fetcher, FetchOptions, FetchState, state_path_for
from diurna.sources.sniff import is_url, sniff


@dataclass(frozen=True)
class FeedSpec:
    url: str
    interval_minutes: float = 15.0
    source: str | None = None


def load_feeds(path: str | Path) -> list[FeedSpec]:
    """The feeds of a YAML feeds file; raises ConfigError (E309 unreadable, E310 a bad entry)."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError("E309", path=path, detail=exc) from exc
    if isinstance(raw, dict) and isinstance(raw.get("feeds"), list):
        raw = raw["feeds"]
    if not isinstance(raw, list) or not raw:
        raise ConfigError("E309", path=path, detail="it holds no list of feeds")
    feeds: list[FeedSpec] = []
    for position, item in enumerate(raw, start=1):
        if isinstance(item, str):
            item = {"url": item}
        if not isinstance(item, dict):
            raise ConfigError("E310", path=path, position=position, detail="not a mapping")
        unknown = sorted(set(item) - {"url", "interval_minutes", "source"})
        if unknown:
            raise ConfigError("E310", path=path, position=position, detail=f"unknown keys {unknown}")
        url = item.get("url")
        if not isinstance(url, str) or not is_url(url.strip()):
            raise ConfigError("E310", path=path, position=position, detail="url must be an http(s):// address")
        interval = item.get("interval_minutes", 15)
        if isinstance(interval, bool) or not isinstance(interval, int | float) or interval < 0:
            raise ConfigError("E310", path=path, position=position,
                              detail="interval_minutes must be a number of minutes, 0 or more")
        source = item.get("source")
        if source is not None and not isinstance(source, str):
            raise ConfigError("E310", path=path, position=position, detail="source must be a string")
        feeds.append(FeedSpec(url=url.strip(), interval_minutes=float(interval), source=source))
    return feeds


def text_hash(article: Article) -> str:
    """A hash of an article's text alone (whitespace-insensitive): the same story under two URLs."""
    flat = " ".join(article.text.split()).casefold()
    return hashlib.sha256(flat.encode("utf-8")).hexdigest()[:32]


@dataclass
class PollResult:
    feed: str
    entries: int = 0
    new: int = 0
    stored: int = 0
    duplicates: int = 0
    seen: int = 0
    failed: int = 0
    retried: int = 0
    not_modified: bool = False
    error: str | None = None
    seconds: float = 0.0
    stored_ids: list[str] = field(default_factory=list)

    def line(self) -> str:
        stamp = datetime.now().astimezone().isoformat(timespec="seconds")
        head = f"{stamp} poll {self.feed}:"
        if self.error:
            return f"{head} failed: {self.error} ({self.seconds:.1f}s)"
        if self.not_modified:
            body = "not modified (304)"
            if self.retried:
                body += f", {self.retried} retried, {self.stored} stored, {self.failed} failed"
            return f"{head} {body} ({self.seconds:.1f}s)"
        return (f"{head} {self.entries} entries, {self.seen} seen before, {self.new} new, {self.stored} stored, "
                f"{self.duplicates} duplicate, {self.failed} failed ({self.seconds:.1f}s)")


class Watcher:
    """Polls `feeds`, writing new articles to `store` through `pipeline` (a diurna.pipeline.Pipeline)."""

    def __init__(
        self,
        feeds: list[FeedSpec],
        store: Any,
        pipeline: Any,
        *,
        settings: Any = None,
        fetcher: Fetcher | None = None,
        state: FetchState | None = None,
        log: Callable[[str], None] = print,
        stop: threading.Event | None = None,
    ):
        self.feeds = feeds
        self.store = store
        self.pipeline = pipeline
        self.max_chars = getattr(settings, "max_article_chars", 2_000_000)
        self.max_attempts = getattr(settings, "fetch_max_attempts", 10)
        if state is None:
            state_file = getattr(settings, "fetch_state", None) or state_path_for(str(getattr(settings, "db", "")))
            state = FetchState(state_file)
        self.state = state
        self._own_fetcher = fetcher is None
        if fetcher is None:
            options = FetchOptions.from_settings(settings) if settings is not None else FetchOptions()
            fetcher = Fetcher(options, state=state)
        elif fetcher.state is None:
            fetcher.state = state
        self.fetcher = fetcher
        self.log = log
        self.stop = stop or threading.Event()

    def close(self) -> None:
        self.state.save()
        if self._own_fetcher:
            self.fetcher.close()

    # ---------------------------------------------------------------- one page
    def _fail(self, url: str, err: InputError, result: PollResult, **context: Any) -> None:
        result.failed += 1
        attempts = self.state.fail(url, err.code, err.reason, **context)
        self.store.record_failures([Failure(origin=url, reason=err.reason, code=err.code)])
        if attempts >= self.max_attempts:
            self.log(f"  giving up on {url} after {attempts} attempts: {err.code} {err.reason}")

    def _page(self, url: str, result: PollResult, *, source: str | None, date: str | None, title: str | None,
              feed: str) -> None:
        from diurna.sources.web import fetch_article

        context = {"feed": feed, "source": source, "date": date, "title": title}
        try:
            article, response = fetch_article(self.fetcher, url, source=source, date=date, title=title,
                                              max_chars=self.max_chars)
        except InputError as err:
            self._fail(url, err, result, **context)
            return
        if article is None:  # cannot happen without validators; kept safe
            return
        article = article.model_copy(update={"origin": url})
        digest = text_hash(article)
        earlier = self.state.seen_hash(digest)
        if (earlier and earlier != url) or self.store.existing_article_ids([article.id]):
            result.duplicates += 1
            self.state.remember(url, response, article_id=article.id, content_hash=digest)
            self.store.clear_failure(url)
            return
        result.new += 1
        extraction = next(iter(self.pipeline.extract([article])))
        self.store.write([extraction], batch_size=1, origins={extraction.id: url})
        result.stored += 1
        result.stored_ids.append(extraction.id)
        self.state.remember(url, response, article_id=article.id, content_hash=digest)
        self.state.save()

    # ---------------------------------------------------------------- one feed
    def poll(self, feed: FeedSpec) -> PollResult:
        from diurna.sources.feeds import parse_feed

        started = time.perf_counter()
        result = PollResult(feed=feed.url)
        try:
            response = self.fetcher.get(feed.url, conditional=True)
            feed_data = None
            if not response.not_modified:
                if sniff(response.content) != "feed":
                    raise InputError("E306", detail=f"{feed.url} answered {response.content_type or 'no feed'}")
                feed_data = parse_feed(response.content, response.final_url)
        except InputError as err:
            result.error = f"{err.code} {err.reason}"
            self.store.record_failures([Failure(origin=feed.url, reason=err.reason, code=err.code)])
            self._retry_failed(feed, result)
            result.seconds = time.perf_counter() - started
            return result
        listed: set[str] = set()
        if feed_data is None:
            result.not_modified = True
        else:
            result.entries = len(feed_data.entries)
            source = feed.source or feed_data.title
            for entry in feed_data.entries:
                if self.stop.is_set():
                    break
                listed.add(entry.url)
                page = self.state.page(entry.url)
                if page and page.get("article_id"):
                    result.seen += 1
                    continue
                failed = self.state.failed().get(entry.url)
                if failed and failed.get("attempts", 0) >= self.max_attempts:
                    continue
                self._page(entry.url, result, source=source, date=entry.date, title=entry.title, feed=feed.url)
        self._retry_failed(feed, result, skip=listed)
        if not self.stop.is_set() and not response.not_modified:
            self.state.remember(feed.url, response)
            self.store.clear_failure(feed.url)
        self.state.save()
        result.seconds = time.perf_counter() - started
        return result

    def _retry_failed(self, feed: FeedSpec, result: PollResult, skip: set[str] = frozenset()) -> None:
        """Pages of `feed` that failed on an earlier poll (and the feed no longer lists): tried again."""
        for url, entry in self.state.failed().items():
            if self.stop.is_set():
                return
            if url in skip or entry.get("feed") != feed.url or entry.get("attempts", 0) >= self.max_attempts:
                continue
            result.retried += 1
            self._page(url, result, source=entry.get("source"), date=entry.get("date"), title=entry.get("title"),
                       feed=feed.url)

    # ---------------------------------------------------------------- rounds
    def run_round(self) -> list[PollResult]:
        results = []
        for feed in self.feeds:
            if self.stop.is_set():
                break
            result = self.poll(feed)
            self.log(result.line())
            results.append(result)
        return results

    def run(self, once: bool = False, clock: Callable[[], float] = time.monotonic) -> list[PollResult]:
        """Poll each feed now and then every `interval_minutes` until `stop` is set (or one round, `once`)."""
        if once:
            return self.run_round()
        results: list[PollResult] = []
        due = {feed.url: clock() for feed in self.feeds}
        while not self.stop.is_set():
            now = clock()
            for feed in self.feeds:
                if self.stop.is_set():
                    break
                if due[feed.url] <= now:
                    result = self.poll(feed)
                    self.log(result.line())
                    results.append(result)
                    due[feed.url] = clock() + max(feed.interval_minutes * 60.0, 1.0)
            wait = min(due.values()) - clock()
            if wait > 0:
                self.stop.wait(wait)
        return results

"""Watch mode: feeds polled against a local server, new articles stored once, failures retried."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from diurna.config import Settings
from diurna.errors import ConfigError
from diurna.pipeline import Pipeline
from diurna.sources.watch import FeedSpec, Watcher, load_feeds
from diurna.store import open_store

from .test_sources import WEB, LocalServer, Route, rss, server  # noqa: F401  (server: the fixture)

DAY = "Fri, 25 Apr 2025 09:00:00 GMT"


@pytest.fixture(scope="module")
def pipeline():
    return Pipeline(Settings(stages=["segment"]))


def settings(tmp_path: Path, **extra) -> Settings:
    values = dict(db=str(tmp_path / "w.db"), stages=["segment"], fetch_min_interval=0.0, fetch_retries=0,
                  fetch_backoff=0.0, fetch_timeout=2.0)
    values.update(extra)
    return Settings(**values)


def run_once(srv: LocalServer, tmp_path: Path, pipeline, **extra) -> list:
    conf = settings(tmp_path, **extra)
    lines: list[str] = []
    with open_store(conf.db) as store:
        watcher = Watcher([FeedSpec(srv.url("/feed.xml"), 5, "Test Wire")], store, pipeline, settings=conf,
                          log=lines.append)
        try:
            results = watcher.run(once=True)
        finally:
            watcher.close()
    assert len(lines) == 1 and " poll " in lines[0]
    return results


def stored(tmp_path: Path) -> list[tuple[str, str]]:
    with open_store(str(tmp_path / "w.db")) as store:
        rows = store.engine.connect().exec_driver_sql("SELECT title, origin FROM articles ORDER BY title").all()
    return [tuple(r) for r in rows]


def test_load_feeds(tmp_path):
    good = tmp_path / "feeds.yaml"
    good.write_text("- url: https://a.example/rss\n  interval_minutes: 5\n  source: A\n"
                    "- url: https://b.example/atom\n", encoding="utf-8")
    assert load_feeds(good) == [FeedSpec("https://a.example/rss", 5.0, "A"), FeedSpec("https://b.example/atom")]
    for text, code in [("- url: ftp://x\n", "E310"), ("- url: https://x\n  interval_minutes: -1\n", "E310"),
                       ("- url: https://x\n  colour: red\n", "E310"), ("{a: [\n", "E309"), ("[]\n", "E309")]:
        good.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError) as caught:
            load_feeds(good)
        assert caught.value.code == code, text


def test_two_feed_updates_store_each_article_once(server, tmp_path, pipeline):  # noqa: F811
    a, b = server.page("/a", "council-vote.html"), server.page("/b", "harbour-strike.html")
    server.routes["/feed.xml"] = Route(body=rss([(a, "A", DAY), (b, "B", DAY)]), content_type="application/rss+xml",
                                       etag='"1"')
    (first,) = run_once(server, tmp_path, pipeline)
    assert (first.entries, first.stored) == (2, 2)
    # update: B again, C new, D the same story as A under another URL
    c, d = server.page("/c", "ceasefire-talks.html"), server.page("/d", "council-vote.html")
    server.routes["/feed.xml"] = Route(body=rss([(b, "B", DAY), (c, "C", DAY), (d, "D", DAY)]),
                                       content_type="application/rss+xml", etag='"2"')
    (second,) = run_once(server, tmp_path, pipeline)
    assert (second.entries, second.seen, second.stored, second.duplicates) == (3, 1, 1, 1)
    assert server.paths().count("/b") == 1  # a page seen before is not fetched again
    assert stored(tmp_path) == [
        ("Council votes to suspend water tariff rise", a),
        ("Dockworkers strike shuts Port Veloria for second day", b),
        ("Envoys open ceasefire talks in Montaval", c),
    ]
    # nothing changed: the feed answers 304 and nothing else is asked for
    before = len(server.hits)
    (third,) = run_once(server, tmp_path, pipeline)
    assert third.not_modified and third.stored == 0
    assert server.paths()[before:] == ["/robots.txt", "/feed.xml"]
    assert server.hits[-1].headers.get("if-none-match") == '"2"'
    assert len(stored(tmp_path)) == 3


def test_failed_page_is_recorded_and_retried_later(server, tmp_path, pipeline):  # noqa: F811
    a = server.page("/a", "council-vote.html", fail_first=1)
    missing = server.url("/later")
    server.routes["/feed.xml"] = Route(body=rss([(a, "A", DAY), (missing, "L", DAY)]),
                                       content_type="application/rss+xml")
    (first,) = run_once(server, tmp_path, pipeline)
    assert (first.stored, first.failed) == (0, 2)
    with open_store(str(tmp_path / "w.db")) as store:
        assert sorted((f.origin, f.code) for f in store.failures()) == [(a, "E302"), (missing, "E302")]
    # the feed drops the entries; the pages are retried all the same and now answer
    server.page("/later", "harbour-strike.html")
    server.routes["/feed.xml"] = Route(body=rss([]), content_type="application/rss+xml")
    (second,) = run_once(server, tmp_path, pipeline)
    assert (second.retried, second.stored, second.failed) == (2, 2, 0)
    with open_store(str(tmp_path / "w.db")) as store:
        assert store.failures() == []
    assert len(stored(tmp_path)) == 2


def test_stop_is_honoured_between_articles(server, tmp_path, pipeline):  # noqa: F811
    urls = [server.page(f"/p{i}", name) for i, name in enumerate(["council-vote.html", "harbour-strike.html"])]
    server.routes["/feed.xml"] = Route(body=rss([(u, "x", DAY) for u in urls]), content_type="application/rss+xml",
                                       etag='"1"')
    conf = settings(tmp_path)
    with open_store(conf.db) as store:
        watcher = Watcher([FeedSpec(server.url("/feed.xml"))], store, pipeline, settings=conf, log=lambda _: None)
        original = watcher.store.write

        def write_then_stop(*args, **kwargs):
            watcher.stop.set()  # as Ctrl-C would, during the first article
            return original(*args, **kwargs)

        watcher.store.write = write_then_stop
        (result,) = watcher.run(once=True)
        watcher.close()
    assert result.stored == 1 and len(stored(tmp_path)) == 1
    (again,) = run_once(server, tmp_path, pipeline)  # the feed was not marked done: the rest comes next time
    assert again.stored == 1 and len(stored(tmp_path)) == 2


def _feeds_file(tmp_path: Path, url: str, interval: float = 5) -> Path:
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(f"- url: {url}\n  interval_minutes: {interval}\n  source: Local\n", encoding="utf-8")
    (tmp_path / "cfg.yaml").write_text("stages: [segment]\nfetch_min_interval: 0\nfetch_retries: 0\n",
                                       encoding="utf-8")
    return feeds


def test_watch_command_once(server, tmp_path):  # noqa: F811
    from typer.testing import CliRunner

    from diurna.cli import app

    a = server.page("/a", "council-vote.html")
    server.routes["/feed.xml"] = Route(body=rss([(a, "A", DAY)]), content_type="application/rss+xml")
    feeds = _feeds_file(tmp_path, server.url("/feed.xml"))
    args = ["watch", str(feeds), "--db", str(tmp_path / "w.db"), "--once", "--config", str(tmp_path / "cfg.yaml")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert " poll " in result.output and "1 article(s) stored" in result.output
    assert (tmp_path / "w.db.fetch.json").exists()
    assert stored(tmp_path) == [("Council votes to suspend water tariff rise", a)]
    with open_store(str(tmp_path / "w.db")) as store:
        assert store.engine.connect().exec_driver_sql("SELECT source FROM articles").scalar() == "Local"


def test_watch_stops_cleanly_on_sigint(server, tmp_path):  # noqa: F811
    a = server.page("/a", "council-vote.html")
    server.routes["/feed.xml"] = Route(body=rss([(a, "A", DAY)]), content_type="application/rss+xml")
    feeds = _feeds_file(tmp_path, server.url("/feed.xml"), interval=60)
    diurna = Path(sys.executable).with_name("diurna")
    proc = subprocess.Popen([str(diurna), "watch", str(feeds), "--db", str(tmp_path / "w.db"), "--config",
                             str(tmp_path / "cfg.yaml")], stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "COLUMNS": "200"})
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "/feed.xml" not in server.paths():
            time.sleep(0.05)
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert " poll " in err and "(stopped)" in err
    assert len(stored(tmp_path)) == 1

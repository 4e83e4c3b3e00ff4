"""Web sources: HTML extraction, sniffing, feeds, WARC, and polite fetching against a local server."""

from __future__ import annotations

import gzip
import io
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from diurna.ingest import iter_articles
from diurna.records import Article, Failure
from diurna.segment import find_posts
from diurna.sources.fetch import USER_AGENT, Fetcher, FetchError, FetchOptions, FetchState, state_path_for
from diurna.sources.html import read_html
from diurna.sources.sniff import sniff

WEB = Path(__file__).parent / "fixtures" / "web"
FAST = FetchOptions(timeout=2.0, retries=2, backoff=0.01, min_interval=0.0)


# ---------------------------------------------------------------------------------------------- local server

@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    fail_first: int = 0  # answer 500 to the first N requests
    slow_first: int = 0  # answer the first N requests after `delay` seconds
    delay: float = 0.0


@dataclass
class Hit:
    at: float
    path: str
    headers: dict[str, str]


@dataclass
class LocalServer:
    """A threaded HTTP server on 127.0.0.1 serving `routes`; every request is logged in `hits`."""

    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def paths(self) -> list[str]:
        return [h.path for h in self.hits]

    def page(self, path: str, name: str, **kwargs) -> str:
        self.routes[path] = Route(body=(WEB / name).read_bytes(), **kwargs)
        return self.url(path)


def _handler(server: LocalServer):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802
            server.hits.append(Hit(time.monotonic(), self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = server.routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            if route.slow_first > 0:
                route.slow_first -= 1
                time.sleep(route.delay)
            if route.fail_first > 0:
                route.fail_first -= 1
                self.send_error(500)
                return
            fresh = (route.etag and self.headers.get("If-None-Match") == route.etag) or (
                route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified)
            if fresh:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            if route.etag:
                self.send_header("ETag", route.etag)
            if route.last_modified:
                self.send_header("Last-Modified", route.last_modified)
            self.end_headers()
            try:
                self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


@pytest.fixture
def server():
    state = LocalServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    state.routes["/robots.txt"] = Route(body=b"User-agent: *\nAllow: /\n", content_type="text/plain")
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


def rss(items: list[tuple[str, str, str]], title: str = "Test Wire") -> bytes:
    """An RSS 2.0 feed of (link, title, RFC 822 date) items."""
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid><pubDate>{d}</pubDate></item>"
        for link, t, d in items
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://127.0.0.1/</link><description>d</description>{body}</channel></rss>").encode()


# ---------------------------------------------------------------------------------------------- extraction

CHROME = ("NAV", "FOOTER", "COMMENT", "SIDEBAR", "COOKIE", "Subscribe", "Privacy policy", "RELATED", "SHARE", "MENU")

PAGES = {
    "harbour-strike.html": dict(
        title="Dockworkers strike shuts Port Veloria for second day", date="2025-04-25",
        url="https://meridian-ledger.example/world/2025/04/25/port-veloria-strike", author="Hana Okafor",
        source="The Meridian Ledger",
        has=["Thousands of dockworkers walked off the job", "Transport Minister Idris Malak",
             "perishable goods could spoil"]),
    "council-vote.html": dict(
        title="Council votes to suspend water tariff rise", date="2025-03-14",
        url="https://lakeside-courier.example/news/council-water-tariff", author="Tomas Brandvold",
        source="Lakeside Courier",
        has=["voted twenty-one to nine", "Mayor Ingrid Solheim", "declined to comment on the vote"]),
    "ceasefire-talks.html": dict(
        title="Envoys open ceasefire talks in Montaval", date="2025-02-03",
        url="https://northern-dispatch.example/2025/02/03/ceasefire-talks-montaval", author="Lucía Ferrán",
        source=None,
        has=["The café district", "mediators' statement", "rejected any disarmament"]),
    "arabic-protest.html": dict(
        title="آلاف المحتجين يتظاهرون أمام وزارة الزراعة", date="2025-05-02", url=None, author=None,
        source="صحيفة الوادي",
        has=["تظاهر آلاف المزارعين", "ستعقد اجتماعا طارئا"], hasnt=["NAV-AR", "COMMENT-AR", "FOOTER-AR"]),
    "facebook-embed.html": dict(
        title="Ministry denies fuel shortage as queues grow", date="2025-06-10", url=None, author="Staff reporter",
        source=None,
        has=["Queues stretched for several kilometres", "called for an inquiry"]),
    "page-as-text.txt": dict(
        title="Rail union calls weekend stoppage", date="2025-07-19", url=None, author=None, source=None,
        has=["forty-eight hour stoppage", "threatened further action in August"]),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_extraction_keeps_the_story_and_drops_the_chrome(name):
    expected = PAGES[name]
    page = read_html((WEB / name).read_bytes(), name)
    article = page.article
    assert article.title == expected["title"]
    assert article.date == expected["date"]
    assert page.canonical_url == expected["url"]
    assert page.author == article.author == expected["author"]
    if expected["source"]:
        assert article.source == expected["source"]
    for snippet in expected["has"]:
        assert snippet in article.text, snippet
    for snippet in expected.get("hasnt", CHROME):
        assert snippet not in article.text, snippet
    assert not article.text.startswith(expected["title"])  # the headline is the title, not the body


def test_windows_1252_page_is_decoded():
    text = read_html((WEB / "ceasefire-talks.html").read_bytes(), "x").article.text
    assert "café" in text and "\ufffd" not in text


@pytest.mark.parametrize(("name", "platform", "handle", "date", "words"), [
    ("harbour-strike.html", "twitter", "VTWUnion", "2025-04-24", "We will not return to the cranes"),
    ("ceasefire-talks.html", "twitter", "MediatorOffice", "2025-02-03", "Today in Montaval both delegations"),
    ("facebook-embed.html", "facebook", "EnergyMinistryCW", None, "There is no fuel shortage."),
])
def test_embedded_posts_become_one_line_the_post_finder_reads(name, platform, handle, date, words):
    text = read_html((WEB / name).read_bytes(), name).article.text
    posts = find_posts(text)
    assert len(posts) == 1
    post = posts[0]
    assert (post.platform, post.handle, post.date) == (platform, handle, date)
    assert post.text.startswith(words) and text[post.start:post.end] == post.text
    line = next(x for x in text.split("\n") if x.startswith(words))
    if platform == "twitter":  # text, attribution and date on one line, in the pasted-tweet shape
        assert f"(@{handle})" in line and line.index("—") > line.index(words)


def test_page_without_an_article_fails_with_e305():
    results = list(iter_articles([str(WEB / "nav-only.html")]))
    assert len(results) == 1 and isinstance(results[0], Failure) and results[0].code == "E305"


# ---------------------------------------------------------------------------------------------- sniffing

def test_sniff_by_content():
    assert sniff((WEB / "harbour-strike.html").read_bytes()) == "html"
    assert sniff((WEB / "page-as-text.txt").read_bytes()) == "html"
    assert sniff(b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- c --><rss version="2.0"><channel/></rss>') == "feed"
    assert sniff(b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>') == "feed"
    assert sniff(b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="x"></rdf:RDF>') == "feed"
    assert sniff(b'<?xml version="1.0"?><!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"></html>') == "html"
    assert sniff(b"WARC/1.0\r\nWARC-Type: warcinfo\r\n") == "warc"
    assert sniff(gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n")) == "warc"
    assert sniff(gzip.compress(b"hello")) == "text"
    assert sniff(b'{"text": "x"}') == "json"
    assert sniff(b"date 2025-04-25 Title\nBody <html>") == "text"


def test_iter_articles_chooses_the_reader_by_content(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.html").write_bytes((WEB / "council-vote.html").read_bytes())
    (folder / "b.txt").write_bytes((WEB / "page-as-text.txt").read_bytes())
    (folder / "c.txt").write_text("date 2025-01-02 Wire title\nThe wire body stays wire text.\n", encoding="utf-8")
    (folder / "d.jsonl").write_text(json.dumps({"text": "A JSON article.", "title": "J"}) + "\n", encoding="utf-8")
    (folder / "e.png").write_bytes(b"\x89PNG not an input")
    results = list(iter_articles([str(folder)]))
    assert all(isinstance(r, Article) for r in results), results
    assert [r.title for r in results] == ["Council votes to suspend water tariff rise",
                                          "Rail union calls weekend stoppage", "Wire title", "J"]


def test_html_on_stdin_is_read_as_html():
    stdin = io.StringIO((WEB / "council-vote.html").read_text(encoding="utf-8"))
    (article,) = iter_articles(["-"], stdin=stdin)
    assert article.title == "Council votes to suspend water tariff rise" and article.origin == "<stdin>"


# ---------------------------------------------------------------------------------------------- WARC

def build_warc(path: Path, records: list[tuple[str, int, str, bytes]]) -> None:
    """Write a gzipped WARC of (url, status, content type, body) HTTP responses."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "diurna tests"}))
        for url, status, content_type, body in records:
            headers = StatusAndHeaders(f"{status} X", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(record)


def _warc_records() -> list[tuple[str, int, str, bytes]]:
    return [
        ("https://meridian-ledger.example/strike", 200, "text/html; charset=utf-8",
         (WEB / "harbour-strike.html").read_bytes()),
        ("https://lakeside-courier.example/vote", 200, "text/html", (WEB / "council-vote.html").read_bytes()),
        ("https://northern-dispatch.example/talks", 200, "text/html; charset=windows-1252",
         (WEB / "ceasefire-talks.html").read_bytes()),
        ("https://lakeside-courier.example/gone", 404, "text/html", b"<html><body>Not found</body></html>"),
        ("https://lakeside-courier.example/logo.png", 200, "image/png", b"\x89PNG\r\n\x1a\n\x00\x00"),
    ]


def test_warc_file_every_html_response_is_an_article(tmp_path):
    warc = tmp_path / "crawl.warc.gz"
    build_warc(warc, _warc_records())
    results = list(iter_articles([str(warc)]))
    assert all(isinstance(r, Article) for r in results), results
    assert [r.origin for r in results] == [f"{warc}#https://meridian-ledger.example/strike",
                                           f"{warc}#https://lakeside-courier.example/vote",
                                           f"{warc}#https://northern-dispatch.example/talks"]
    assert results[0].date == "2025-04-25" and "café" in results[2].text
    assert find_posts(results[0].text)[0].handle == "VTWUnion"
    # a WARC in a folder, whatever its name ends with, is read too
    renamed = tmp_path / "folder" / "crawl.dat"
    renamed.parent.mkdir()
    renamed.write_bytes(warc.read_bytes())
    assert len([r for r in iter_articles([str(renamed)]) if isinstance(r, Article)]) == 3


def test_broken_warc_is_a_failure(tmp_path):
    bad = tmp_path / "bad.warc"
    bad.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999999\r\n\r\nshort")
    results = list(iter_articles([str(bad)]))
    assert results and all(isinstance(r, Failure) and r.code == "E307" for r in results)


def test_warc_served_over_http(server, tmp_path):
    warc = tmp_path / "crawl.warc.gz"
    build_warc(warc, _warc_records())
    server.routes["/crawl.warc.gz"] = Route(body=warc.read_bytes(), content_type="application/warc")
    with Fetcher(FAST) as fetcher:
        results = list(iter_articles([server.url("/crawl.warc.gz")], fetcher=fetcher))
    assert len(results) == 3 and all(isinstance(r, Article) for r in results)


# ---------------------------------------------------------------------------------------------- URLs and feeds

def test_url_argument_is_fetched_with_diurna_user_agent(server):
    url = server.page("/world/strike", "harbour-strike.html")
    with Fetcher(FAST) as fetcher:
        (article,) = iter_articles([url], fetcher=fetcher)
    assert isinstance(article, Article)
    assert article.origin == url
    assert article.url == "https://meridian-ledger.example/world/2025/04/25/port-veloria-strike"
    page_hit = next(h for h in server.hits if h.path == "/world/strike")
    assert page_hit.headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("diurna/") and "(+https://github.com/diurna)" in USER_AGENT


def test_feed_entries_are_fetched_and_failures_name_the_url(server, tmp_path):
    server.page("/a", "council-vote.html")
    server.page("/b", "page-as-text.txt", content_type="text/html")
    server.routes["/nodate"] = Route(body=(WEB / "facebook-embed.html").read_bytes().replace(
        b'<meta name="date" content="2025-06-10">', b""))
    feed = rss([(server.url("/a"), "A", "Fri, 14 Mar 2025 18:00:00 GMT"),
                (server.url("/b"), "B", "Sat, 19 Jul 2025 07:00:00 GMT"),
                (server.url("/nodate"), "Fuel", "Wed, 11 Jun 2025 09:00:00 GMT"),
                (server.url("/missing"), "Gone", "Wed, 11 Jun 2025 09:00:00 GMT")])
    server.routes["/feed.xml"] = Route(body=feed, content_type="application/rss+xml")
    feed_file = tmp_path / "feed.txt"  # a feed is a feed whatever its name
    feed_file.write_bytes(feed)
    for source in (server.url("/feed.xml"), str(feed_file)):
        with Fetcher(FAST) as fetcher:
            results = list(iter_articles([source], fetcher=fetcher))
        articles = [r for r in results if isinstance(r, Article)]
        failures = [r for r in results if isinstance(r, Failure)]
        assert [a.title for a in articles] == ["Council votes to suspend water tariff rise",
                                               "Rail union calls weekend stoppage",
                                               "Ministry denies fuel shortage as queues grow"]
        assert articles[2].date == "2025-06-11"  # the page states none: the entry's date
        assert [(f.origin, f.code) for f in failures] == [(server.url("/missing"), "E302")]


def test_atom_feed_entries(server):
    server.page("/x", "harbour-strike.html")
    atom = (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
            f'<id>urn:t</id><updated>2025-04-25T10:00:00Z</updated><entry><title>X</title><id>urn:x</id>'
            f'<link rel="alternate" href="{server.url("/x")}"/><updated>2025-04-25T10:00:00Z</updated>'
            f"</entry></feed>").encode()
    server.routes["/atom"] = Route(body=atom, content_type="application/atom+xml")
    with Fetcher(FAST) as fetcher:
        (article,) = iter_articles([server.url("/atom")], fetcher=fetcher)
    assert article.date == "2025-04-25" and article.origin == server.url("/x")


# ---------------------------------------------------------------------------------------------- politeness

def test_robots_txt_is_honoured_and_fetched_once(server):
    server.routes["/robots.txt"] = Route(body=b"User-agent: diurna\nDisallow: /private/\n\nUser-agent: *\nAllow: /\n",
                                         content_type="text/plain")
    allowed = server.page("/public/a", "council-vote.html")
    server.page("/private/b", "harbour-strike.html")
    with Fetcher(FAST) as fetcher:
        results = list(iter_articles([allowed, server.url("/private/b"), allowed], fetcher=fetcher))
    assert isinstance(results[0], Article) and isinstance(results[2], Article)
    assert isinstance(results[1], Failure) and results[1].code == "E303"
    assert results[1].origin == server.url("/private/b")
    assert "/private/b" not in server.paths()
    assert server.paths().count("/robots.txt") == 1


def test_robots_can_be_ignored_by_setting(server):
    server.routes["/robots.txt"] = Route(body=b"User-agent: *\nDisallow: /\n", content_type="text/plain")
    url = server.page("/a", "council-vote.html")
    with Fetcher(FAST) as fetcher:
        assert isinstance(next(iter_articles([url], fetcher=fetcher)), Failure)
    options = FetchOptions(timeout=2.0, retries=0, min_interval=0.0, respect_robots=False)
    with Fetcher(options) as fetcher:
        assert isinstance(next(iter_articles([url], fetcher=fetcher)), Article)


def test_unreachable_robots_txt_blocks_the_host(server):
    server.routes["/robots.txt"] = Route(fail_first=100)
    url = server.page("/a", "council-vote.html")
    with Fetcher(FAST) as fetcher:
        (failure,) = iter_articles([url], fetcher=fetcher)
    assert failure.code == "E312" and "/a" not in server.paths()


def test_missing_robots_txt_allows_everything(server):
    del server.routes["/robots.txt"]
    url = server.page("/a", "council-vote.html")
    with Fetcher(FAST) as fetcher:
        assert isinstance(next(iter_articles([url], fetcher=fetcher)), Article)


def test_per_host_rate_limit(server):
    urls = [server.page(f"/p{i}", "council-vote.html") for i in range(4)]
    options = FetchOptions(timeout=2.0, retries=0, min_interval=0.15)
    with Fetcher(options) as fetcher:
        for url in urls:
            fetcher.get(url)
    times = [h.at for h in server.hits]  # robots.txt and the four pages: one host
    assert len(times) == 5
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    # client-side slots are 0.15 s apart; the server's clock adds scheduling jitter
    assert min(gaps) >= 0.1 and times[-1] - times[0] >= 4 * 0.15 - 0.02, gaps


def test_crawl_delay_wins_over_a_shorter_interval(server):
    server.routes["/robots.txt"] = Route(body=b"User-agent: *\nCrawl-delay: 1\n", content_type="text/plain")
    urls = [server.page(f"/p{i}", "council-vote.html") for i in range(2)]
    with Fetcher(FAST) as fetcher:
        for url in urls:
            fetcher.get(url)
    pages = [h.at for h in server.hits if h.path.startswith("/p")]
    assert pages[1] - pages[0] >= 0.95


def test_retries_on_500_then_succeeds(server):
    url = server.page("/flaky", "council-vote.html", fail_first=2)
    with Fetcher(FAST) as fetcher:
        response = fetcher.get(url)
    assert response.status == 200 and server.paths().count("/flaky") == 3


def test_gives_up_after_the_retries_with_e302(server):
    url = server.page("/down", "council-vote.html", fail_first=100)
    waits: list[float] = []
    with Fetcher(FetchOptions(timeout=2.0, retries=3, backoff=0.5, min_interval=0.0), sleep=waits.append) as f:
        with pytest.raises(FetchError) as caught:
            f.get(url)
    assert caught.value.code == "E302" and "500" in caught.value.reason
    assert server.paths().count("/down") == 4
    assert [w for w in waits if w > 0] == [0.5, 1.0, 2.0]  # exponential backoff


def test_retries_on_timeout(server):
    url = server.page("/slow", "council-vote.html", slow_first=1, delay=0.8)
    options = FetchOptions(timeout=0.3, retries=2, backoff=0.01, min_interval=0.0)
    with Fetcher(options) as fetcher:
        response = fetcher.get(url)
    assert response.status == 200 and server.paths().count("/slow") == 2


def test_timeouts_exhausted_give_e301(server):
    url = server.page("/slower", "council-vote.html", slow_first=5, delay=0.5)
    options = FetchOptions(timeout=0.2, retries=1, backoff=0.01, min_interval=0.0)
    with Fetcher(options) as fetcher:
        (failure,) = iter_articles([url], fetcher=fetcher)
    assert failure.code == "E301" and failure.origin == url and "timed out" in failure.reason


def test_size_limit(server):
    url = server.page("/big", "council-vote.html")
    with Fetcher(FetchOptions(timeout=2.0, retries=0, min_interval=0.0, max_bytes=1000)) as fetcher:
        (failure,) = iter_articles([url], fetcher=fetcher)
    assert failure.code == "E304"


def test_not_a_web_page_is_e311(server):
    server.routes["/img"] = Route(body=b"\x89PNG\r\n\x1a\n\x00\x00\x00", content_type="image/png")
    with Fetcher(FAST) as fetcher:
        (failure,) = iter_articles([server.url("/img")], fetcher=fetcher)
    assert failure.code == "E311"


@pytest.mark.parametrize("validator", ["etag", "last_modified"])
def test_conditional_requests_answered_304(server, tmp_path, validator):
    kwargs = {"etag": '"v1"'} if validator == "etag" else {"last_modified": "Fri, 25 Apr 2025 08:00:00 GMT"}
    url = server.page("/cond", "council-vote.html", **kwargs)
    state = FetchState(tmp_path / "state.json")
    with Fetcher(FAST, state=state) as fetcher:
        first = fetcher.get(url)
        assert first.status == 200 and not first.not_modified
        state.remember(url, first, article_id="abc")
        state.save()
    reloaded = FetchState(tmp_path / "state.json")
    with Fetcher(FAST, state=reloaded) as fetcher:
        second = fetcher.get(url)
    assert second.not_modified and second.content == b""
    hit = [h for h in server.hits if h.path == "/cond"][-1]
    assert ("if-none-match" if validator == "etag" else "if-modified-since") in hit.headers


def test_fetch_state_file(tmp_path):
    assert state_path_for(str(tmp_path / "x.db")) == tmp_path / "x.db.fetch.json"
    assert state_path_for(f"sqlite:///{tmp_path}/y.db") == tmp_path / "y.db.fetch.json"
    assert state_path_for("postgresql://h/db").name == "diurna.fetch.json"
    path = tmp_path / "s.json"
    state = FetchState(path)
    assert state.fail("http://h/a", "E302", "HTTP 500") == 1
    assert state.fail("http://h/a", "E302", "HTTP 500") == 2
    state.save()
    assert FetchState(path).failed()["http://h/a"]["attempts"] == 2
    path.write_text("{not json", encoding="utf-8")
    assert FetchState(path).failed() == {}  # unreadable: set aside, started afresh
    assert (tmp_path / "s.json.bad").exists()


def test_unsupported_scheme_is_e308():
    with Fetcher(FAST) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get("ftp://example.org/x")
    assert caught.value.code == "E308"


def test_extract_command_reads_web_inputs(server, tmp_path):
    from typer.testing import CliRunner

    from diurna.cli import app

    url = server.page("/strike", "harbour-strike.html")
    config = tmp_path / "cfg.yaml"
    config.write_text("stages: [segment]\n", encoding="utf-8")
    env = {"DIURNA_FETCH_MIN_INTERVAL": "0", "DIURNA_FETCH_RETRIES": "0"}
    result = CliRunner().invoke(app, ["extract", url, str(WEB / "page-as-text.txt"), "--config", str(config)],
                                env=env)
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    assert [x["title"] for x in lines] == ["Dockworkers strike shuts Port Veloria for second day",
                                           "Rail union calls weekend stoppage"]
    assert lines[0]["posts"][0]["handle"] == "VTWUnion"

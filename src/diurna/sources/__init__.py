"""Web sources: HTML pages, RSS/Atom feeds and WARC files read into articles; polite fetching; watch mode.

- `sniff` tells what an input holds from its first bytes;
- `html.read_html` extracts a page's article (trafilatura, offline);
- `feeds.parse_feed` reads RSS/Atom entries (feedparser);
- `warc.iter_warc` reads every HTML response of a WARC file (warcio);
- `fetch.Fetcher` fetches with timeouts, retries, rate limits, robots.txt and conditional requests;
- `watch.Watcher` polls feeds and stores new articles (`diurna watch`).
"""

from diurna.sources.sniff import is_url, sniff

__all__ = ["is_url", "sniff"]

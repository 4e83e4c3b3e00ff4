"""Near-duplicate articles (MinHash LSH) and event clusters across articles.

Duplicates: wire copies and republished stories are found before any NLP.  An article's text is
normalised (case-folded words, punctuation and spacing dropped), cut into shingles of
``dedup_shingle_words`` consecutive words, and summarised by a MinHash of ``dedup_num_perm``
permutations; an LSH index proposes earlier articles whose estimated Jaccard similarity may reach
``dedup_threshold`` and the best one at or above it is the original.  The duplicate is not coded; a
``duplicate_of`` link is stored (table ``article_duplicates``).  Only originals enter the index, so a
copy of a copy links to the first article.

Event clusters: events of the same type and dyad (sorted actor countries, sorted recipient
countries), within ``cluster_window_days`` of the cluster's first date, at a compatible place (same
location country, or either unlocated), from any number of articles, form one cluster with GDELT's
counts: ``num_mentions`` (event records, a duplicate article repeating its original's mentions),
``num_articles`` (documents, duplicates included) and ``num_sources`` (distinct sources: the article's
``source``, else its URL host, else the document itself).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import sqlalchemy as sa
from datasketch import MinHash, MinHashLSH

from diurna.records import Article, content_id

_WORD = re.compile(r"\w+")

# ============================================================================================ duplicates


def shingles(text: str, size: int = 5) -> set[bytes]:
    """Shingles of ``size`` consecutive normalised words (the whole text when it is shorter)."""
    words = [w.casefold() for w in _WORD.findall(text)]
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


@dataclass(frozen=True)
class Duplicate:
    """An article found to repeat an earlier one (``duplicate_of``) with this estimated similarity."""

    article: Article
    duplicate_of: str
    similarity: float


class Deduplicator:
    """An in-memory MinHash LSH index of original articles.

    `check(article)` returns a `Duplicate` when an indexed article is similar enough, else indexes the
    article (it is an original) and returns None.  Memory: about 1 KB per indexed article.
    """

    def __init__(self, threshold: float = 0.8, num_perm: int = 128, shingle_words: int = 5) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle_words = shingle_words
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        template = MinHash(num_perm=num_perm)
        self._permutations = template.permutations
        self._scheme = template.scheme
        self._signatures: dict[str, np.ndarray] = {}
        self._order: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._signatures

    def minhash(self, text: str) -> MinHash:
        m = MinHash(num_perm=self.num_perm, permutations=self._permutations, scheme=self._scheme)
        m.update_batch(list(shingles(text, self.shingle_words)))
        return m

    def add(self, article_id: str, text: str) -> None:
        """Index an original (e.g. one already in the store)."""
        if article_id not in self._signatures:
            self._insert(article_id, self.minhash(text))

    def _insert(self, article_id: str, m: MinHash) -> None:
        self._lsh.insert(article_id, m, check_duplication=False)
        self._signatures[article_id] = m.hashvalues.copy()
        self._order[article_id] = len(self._order)

    def check(self, article: Article) -> Duplicate | None:
        if article.id in self._signatures:  # the very same article again: not a near-duplicate
            return None
        m = self.minhash(article.text)
        best: tuple[float, int, str] | None = None
        for candidate in self._lsh.query(m):
            similarity = float(np.mean(self._signatures[candidate] == m.hashvalues))
            if similarity >= self.threshold:
                key = (-similarity, self._order[candidate], candidate)
                if best is None or key < best:
                    best = key
        if best is not None:
            return Duplicate(article=article, duplicate_of=best[2], similarity=round(-best[0], 4))
        self._insert(article.id, m)
        return None


def seed_from_store(dedup: Deduplicator, store: Any, batch: int = 1000) -> int:
    """Index every article already stored (so a later run links copies to them); returns how many."""
    from diurna.store import schema

    ar = schema.articles
    n = 0
    with store.engine.connect() as conn:
        stmt = sa.select(ar.c.id, ar.c.text).order_by(ar.c.created_at, ar.c.id)
        for row in conn.execution_options(yield_per=batch).execute(stmt):
            dedup.add(row.id, row.text)
            n += 1
    return n


def duplicate_row(dup: Duplicate, created_at: str) -> dict[str, Any]:
    a = dup.article
    return {
        "article_id": a.id, "duplicate_of": dup.duplicate_of, "similarity": dup.similarity, "date": a.date,
        "title": a.title, "url": a.url, "source": a.source, "origin": a.origin, "created_at": created_at,
    }  # fmt: skip


# ============================================================================================ clusters


@dataclass
class _Member:
    event_id: str
    article_id: str
    date: str
    place_id: str | None
    country: str | None
    goldstein: float | None


@dataclass
class Cluster:
    event_type: str
    actor_country: str
    recipient_country: str
    start_date: str
    end_date: str
    country_code: str | None = None
    members: list[_Member] = field(default_factory=list)

    def accepts(self, member: _Member, window: int) -> bool:
        if _days(self.start_date, member.date) > window:
            return False
        return member.country is None or self.country_code is None or member.country == self.country_code


def _days(a: str, b: str) -> int:
    return abs((dt.date.fromisoformat(b[:10]) - dt.date.fromisoformat(a[:10])).days)


def _source_key(article_id: str, source: str | None, url: str | None) -> str:
    if source:
        return f"source:{source.strip().casefold()}"
    if url:
        host = urlsplit(url).hostname
        if host:
            return f"host:{host.removeprefix('www.')}"
    return f"article:{article_id}"


def group_events(rows: Iterable[dict[str, Any]], window_days: int = 2) -> list[Cluster]:
    """Clusters from event rows (event_id, article_id, event_type, date, actor_countries,
    recipient_countries, place_id, country, goldstein), deterministic for the same rows."""
    groups: dict[tuple[str, str, str], list[_Member]] = {}
    for r in rows:
        actors = ";".join(sorted({c for c in r["actor_countries"] if c}))
        recipients = ";".join(sorted({c for c in r["recipient_countries"] if c}))
        if not r["date"] or not (actors or recipients):
            continue
        groups.setdefault((r["event_type"], actors, recipients), []).append(
            _Member(r["event_id"], r["article_id"], r["date"][:10], r["place_id"], r["country"], r["goldstein"])
        )
    clusters: list[Cluster] = []
    for (event_type, actors, recipients), members in sorted(groups.items()):
        members.sort(key=lambda m: (m.date, m.country is None, m.event_id))
        open_clusters: list[Cluster] = []
        for m in members:
            open_clusters = [c for c in open_clusters if _days(c.start_date, m.date) <= window_days]
            home = next((c for c in open_clusters if m.country and c.country_code == m.country), None)
            home = home or next((c for c in open_clusters if c.accepts(m, window_days)), None)
            if home is None:
                home = Cluster(event_type, actors, recipients, m.date, m.date)
                open_clusters.append(home)
                clusters.append(home)
            home.members.append(m)
            home.end_date = max(home.end_date, m.date)
            if home.country_code is None and m.country:
                home.country_code = m.country
    return clusters


def _event_rows(conn: sa.Connection) -> Iterator[dict[str, Any]]:
    from diurna.store import schema as s

    ev, ea, ar, pl = s.events, s.event_actors, s.articles, s.places
    countries: dict[str, tuple[set[str], set[str]]] = {}
    for row in conn.execute(sa.select(ea.c.event_id, ea.c.role, ea.c.country_code).where(
            ea.c.role.in_(("actor", "recipient")), ea.c.country_code.is_not(None))):
        pair = countries.setdefault(row.event_id, (set(), set()))
        pair[0 if row.role == "actor" else 1].add(row.country_code)
    stmt = (
        sa.select(ev.c.id, ev.c.article_id, ev.c.event_type, ev.c.date, ev.c.aux, ev.c.location_place_id,
                  ev.c.goldstein, ar.c.date.label("article_date"), pl.c.country_code.label("place_country"))
        .join(ar, ar.c.id == ev.c.article_id)
        .outerjoin(pl, pl.c.id == ev.c.location_place_id)
        .where(ev.c.negated.is_(sa.false()))
    )
    for row in conn.execute(stmt):
        if "hypothetical" in (row.aux or []):
            continue
        actors, recipients = countries.get(row.id, (set(), set()))
        yield {
            "event_id": row.id, "article_id": row.article_id, "event_type": row.event_type,
            "date": row.date or row.article_date, "actor_countries": actors, "recipient_countries": recipients,
            "place_id": row.location_place_id, "country": row.place_country, "goldstein": row.goldstein,
        }  # fmt: skip


@dataclass
class ClusterStats:
    clusters: int = 0
    events: int = 0
    multi_article: int = 0


def compute_clusters(store: Any, window_days: int = 2) -> ClusterStats:
    """Recompute every event cluster of ``store`` and replace the stored ones (one transaction)."""
    from diurna.store import schema as s

    with store.engine.connect() as conn:
        clusters = group_events(list(_event_rows(conn)), window_days)
        documents: dict[str, list[tuple[str, str | None, str | None]]] = {}
        ar = s.articles
        for row in conn.execute(sa.select(ar.c.id, ar.c.source, ar.c.url)):
            documents[row.id] = [(row.id, row.source, row.url)]
        ad = s.article_duplicates
        for row in conn.execute(sa.select(ad.c.article_id, ad.c.duplicate_of, ad.c.source, ad.c.url)):
            documents.setdefault(row.duplicate_of, []).append((row.article_id, row.source, row.url))
    cluster_rows: list[dict[str, Any]] = []
    member_rows: list[dict[str, Any]] = []
    stats = ClusterStats()
    for c in clusters:
        ids = sorted(m.event_id for m in c.members)
        cluster_id = content_id("cluster", ids)
        docs = {d for m in c.members for d in documents.get(m.article_id, [(m.article_id, None, None)])}
        mentions = sum(len(documents.get(m.article_id, [None])) for m in c.members)
        scores = [m.goldstein for m in c.members if m.goldstein is not None]
        places = Counter(m.place_id for m in c.members if m.place_id)
        cluster_rows.append({
            "id": cluster_id, "event_type": c.event_type, "actor_country": c.actor_country or None,
            "recipient_country": c.recipient_country or None, "country_code": c.country_code,
            "place_id": places.most_common(1)[0][0] if places else None, "start_date": c.start_date,
            "end_date": c.end_date, "num_events": len(ids), "num_articles": len({d[0] for d in docs}),
            "num_sources": len({_source_key(*d) for d in docs}), "num_mentions": mentions,
            "goldstein": round(sum(scores) / len(scores), 3) if scores else None,
        })  # fmt: skip
        member_rows.extend({"event_id": e, "cluster_id": cluster_id} for e in ids)
        stats.clusters += 1
        stats.events += len(ids)
        stats.multi_article += cluster_rows[-1]["num_articles"] > 1
    store.replace_clusters(cluster_rows, member_rows)
    return stats

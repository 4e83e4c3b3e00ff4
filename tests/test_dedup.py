"""Near-duplicate articles (MinHash LSH) and event clusters."""

from __future__ import annotations

from pathlib import Path

import pytest

from diurna.config import Settings
from diurna.dedup import Deduplicator, compute_clusters, group_events, shingles
from diurna.records import Article, Extraction
from diurna.runner import run_extraction
from diurna.store import Store, open_store
from diurna.store import queries as qr

from .conftest import api_article_aid

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((REPO / "examples" / "articles").glob("*.txt"))


def _article(aid: str, text: str) -> Article:
    return Article(id=aid, text=text, origin=aid)


def _body(n: int) -> str:
    return EXAMPLES[n].read_text(encoding="utf-8").split("\n", 1)[1]


def test_shingles_ignore_case_punctuation_and_spacing() -> None:
    assert shingles("The  army, said: NO!", 2) == shingles("the army said no", 2)
    assert shingles("two words", 5) == {b"two words"}


def test_wire_copy_is_linked_to_the_original_and_others_are_not() -> None:
    dedup = Deduplicator(threshold=0.8)
    original = _body(0)
    copy = "BAGHDAD (Wire) - " + original.replace("on Friday", "on Friday,") + "\nEditing by a desk."
    assert dedup.check(_article("a", original)) is None
    assert dedup.check(_article("b", _body(1))) is None
    found = dedup.check(_article("c", copy))
    assert found is not None and found.duplicate_of == "a" and found.similarity >= 0.8
    assert "c" not in dedup  # duplicates are not indexed: a copy of a copy links to the original
    assert dedup.check(_article("a", original)) is None  # the very same article is not its own duplicate


def test_threshold_is_configurable() -> None:
    original = _body(2)
    sentences = original.split(". ")
    edited = ". ".join(sentences[: len(sentences) * 2 // 3]) + ". A new ending paragraph about other things."
    loose, strict = Deduplicator(threshold=0.3), Deduplicator(threshold=0.95)
    for d in (loose, strict):
        d.check(_article("orig", original))
    assert loose.check(_article("edit", edited)) is not None
    assert strict.check(_article("edit", edited)) is None


def test_duplicates_are_stored_as_links_and_not_coded(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    text = EXAMPLES[0].read_text(encoding="utf-8")
    (corpus / "a.txt").write_text(text, encoding="utf-8")
    head, body = text.split("\n", 1)
    (corpus / "b.txt").write_text(head + " (updated)\n" + body + "\nThis story has been updated.\n", encoding="utf-8")
    (corpus / "c.txt").write_text(EXAMPLES[1].read_text(encoding="utf-8"), encoding="utf-8")
    with open_store(tmp_path / "s.db") as store:
        summary = run_extraction([str(corpus)], Settings(), store=store)
        assert (summary.articles_extracted, summary.duplicates) == (2, 1)
        counts = store.counts()
        assert counts["articles"] == 2 and counts["article_duplicates"] == 1
        (original_id,) = [i for i in store.existing_article_ids(_ids(store)) if store.duplicates_of(i)]
        link = store.duplicates_of(original_id)[0]
        assert link["origin"].endswith("b.txt") and link["similarity"] >= 0.8
        # a rerun skips the coded articles and the recorded duplicate alike, before any NLP
        again = run_extraction([str(corpus)], Settings(), store=store)
        assert again.articles_already_stored == 3 and again.articles_extracted == 0 and again.duplicates == 0
        # a later run still finds copies of articles stored earlier (the index is seeded from the store)
        (corpus / "d.txt").write_text(head + "\n" + body.replace("Friday", "Friday afternoon"), encoding="utf-8")
        later = run_extraction([str(corpus)], Settings(), store=store)
        assert later.duplicates == 1 and store.counts()["article_duplicates"] == 2
        # dedup off: the copy is coded like any article
        off = run_extraction([str(corpus / "d.txt")], Settings(dedup=False), store=store, reprocess=True)
        assert off.articles_extracted == 1


def _ids(store: Store) -> list[str]:
    import sqlalchemy as sa

    from diurna.store import schema

    with store.engine.connect() as conn:
        return list(conn.scalars(sa.select(schema.articles.c.id)))


def _row(event_id: str, date: str, *, article: str = "a1", type_: str = "AID", actors=("EGY",),
         recipients=("SDN",), country: str | None = None) -> dict:
    return {"event_id": event_id, "article_id": article, "event_type": type_, "date": date,
            "actor_countries": set(actors), "recipient_countries": set(recipients), "place_id": None,
            "country": country, "goldstein": 7.0}


def test_grouping_by_type_dyad_window_and_place() -> None:
    rows = [
        _row("e1", "2024-01-01"), _row("e2", "2024-01-03", article="a2"), _row("e3", "2024-01-04"),
        _row("e4", "2024-01-01", type_="SANCTION"), _row("e5", "2024-01-01", recipients=("TCD",)),
        _row("e6", "2024-01-02", country="EG"), _row("e7", "2024-01-02", country="SD", article="a3"),
        _row("e8", "2024-01-02", actors=(), recipients=()),
    ]
    clusters = {tuple(sorted(m.event_id for m in c.members)) for c in group_events(rows, window_days=2)}
    # e3 (unlocated) is 3 days after e1's cluster began: it joins e7's cluster (begun 2024-01-02, in SD)
    assert clusters == {("e1", "e2", "e6"), ("e3", "e7"), ("e4",), ("e5",)}
    wide = {tuple(sorted(m.event_id for m in c.members)) for c in group_events(rows, window_days=5)}
    assert ("e1", "e2", "e3", "e6") in wide


def _aid(n: int, date: str, source: str | None) -> Extraction:
    x = api_article_aid(n, date)
    return x.model_copy(update={"source": source})


def test_clusters_are_stored_counted_and_listed(store: Store) -> None:
    extractions = [_aid(1, "2024-01-01", "Wire A"), _aid(2, "2024-01-02", "Wire B"), _aid(3, "2024-01-02", "Wire A"),
                   _aid(4, "2024-01-09", None)]
    store.write(extractions)
    store.write_duplicates([{"article_id": "dup1", "duplicate_of": extractions[0].id, "similarity": 0.9,
                             "date": "2024-01-01", "title": None, "url": "https://www.paper.example/x",
                             "source": None, "origin": "dup.txt", "created_at": "2024-01-01T00:00:00"}])
    stats = compute_clusters(store, window_days=2)
    assert stats.clusters == 2 and stats.events == 4 and stats.multi_article == 1
    rows, key = qr.clusters_page(store, limit=1)
    assert rows[0].start_date == "2024-01-09" and rows[0].num_articles == 1 and key is not None
    rows2, key2 = qr.clusters_page(store, limit=1, after=key)
    big = rows2[0]
    assert key2 is None
    assert (big.event_type, big.actor_country, big.recipient_country) == ("AID", "EGY", "SDN")
    assert (big.start_date, big.end_date, big.num_events) == ("2024-01-01", "2024-01-02", 3)
    assert big.num_articles == 4  # three coded articles and one linked duplicate
    assert big.num_sources == 3  # Wire A, Wire B, paper.example
    assert big.num_mentions == 4
    assert len(big.event_ids) == 3
    assert [r.id for r in qr.clusters_page(store, min_articles=2)[0]] == [big.id]
    assert qr.clusters_page(store, country="SDN", event_type="aid")[0]
    assert not qr.clusters_page(store, country="USA")[0]
    # recomputing replaces, it does not add
    compute_clusters(store, window_days=2)
    assert store.counts()["event_clusters"] == 2 and store.counts()["event_cluster_members"] == 4

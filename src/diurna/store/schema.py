"""Table definitions for the diurna store (SQLAlchemy Core).

This module is the *current* shape of the schema; the Alembic revisions under
``diurna/store/migrations/versions`` are what actually create it, and a test checks the two agree.

Conventions:
- primary keys are the content-hash ids carried by the records (``Extraction.id``, ``Entity.id``, ...);
  rows that have no id of their own (segments, posts, mentions, event roles) are keyed by their owner
  and their position in the owner's list, which also preserves order for the round trip;
- lists are stored as JSON; ISO dates (``YYYY-MM-DD``) and UTC timestamps are stored as strings, which
  sort and compare the same way on SQLite and PostgreSQL;
- entities and places are global (one row per id, first write wins); what an article said about them
  (name, codes, titles, coordinates as coded in *that* article) is kept in ``article_entities`` /
  ``article_places`` so ``get_extraction`` returns exactly what was written.
"""

from __future__ import annotations

import sqlalchemy as sa

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)

ID = sa.Text  # content-hash ids; Text so no length limit bites on PostgreSQL
DATE = sa.Text
STAMP = sa.Text


def _article_fk() -> sa.ForeignKey:
    return sa.ForeignKey("articles.id", ondelete="CASCADE")


articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("date", DATE, nullable=True),
    sa.Column("title", sa.Text, nullable=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("url", sa.Text, nullable=True),
    sa.Column("source", sa.Text, nullable=True),
    sa.Column("author", sa.Text, nullable=True),
    sa.Column("languages", sa.JSON, nullable=False),
    sa.Column("coder", sa.Text, nullable=False),
    sa.Column("origin", sa.Text, nullable=True),
    sa.Column("created_at", STAMP, nullable=False),
    sa.Index(None, "date"),
    sa.Index(None, "source"),
    sa.Index(None, "origin"),
)

segments = sa.Table(
    "segments",
    metadata,
    sa.Column("article_id", ID, _article_fk(), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("script", sa.Text, nullable=False),
    sa.Column("language", sa.Text, nullable=True),
)

posts = sa.Table(
    "posts",
    metadata,
    sa.Column("article_id", ID, _article_fk(), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("platform", sa.Text, nullable=False),
    sa.Column("handle", sa.Text, nullable=True),
    sa.Column("author", sa.Text, nullable=True),
    sa.Column("date", DATE, nullable=True),
    sa.Column("language", sa.Text, nullable=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("url", sa.Text, nullable=True),
)

entities = sa.Table(
    "entities",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("country_code", sa.Text, nullable=True),
    sa.Column("sector_code", sa.Text, nullable=True),
    sa.Column("other_sector_codes", sa.JSON, nullable=False),
    sa.Column("titles", sa.JSON, nullable=False),
    sa.Column("created_at", STAMP, nullable=False),
    sa.Index(None, "country_code"),
    sa.Index(None, "type"),
)

article_entities = sa.Table(
    "article_entities",
    metadata,
    sa.Column("article_id", ID, _article_fk(), primary_key=True),
    sa.Column("entity_id", ID, sa.ForeignKey("entities.id"), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("country_code", sa.Text, nullable=True),
    sa.Column("sector_code", sa.Text, nullable=True),
    sa.Column("other_sector_codes", sa.JSON, nullable=False),
    sa.Column("titles", sa.JSON, nullable=False),
    sa.Index(None, "entity_id"),
)

entity_mentions = sa.Table(
    "entity_mentions",
    metadata,
    sa.Column("article_id", ID, _article_fk(), primary_key=True),
    sa.Column("entity_id", ID, sa.ForeignKey("entities.id"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("lang", sa.Text, nullable=False),
    sa.Index(None, "entity_id"),
)

places = sa.Table(
    "places",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("geonameid", sa.BigInteger, nullable=True),
    sa.Column("country_code", sa.Text, nullable=True),
    sa.Column("admin1", sa.Text, nullable=True),
    sa.Column("lat", sa.Double, nullable=True),
    sa.Column("lon", sa.Double, nullable=True),
    sa.Column("feature", sa.Text, nullable=True),
    sa.Column("confidence", sa.Double, nullable=True),
    sa.Column("created_at", STAMP, nullable=False),
    sa.Index(None, "country_code"),
    sa.Index(None, "geonameid"),
)

article_places = sa.Table(
    "article_places",
    metadata,
    sa.Column("article_id", ID, _article_fk(), primary_key=True),
    sa.Column("place_id", ID, sa.ForeignKey("places.id"), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("geonameid", sa.BigInteger, nullable=True),
    sa.Column("country_code", sa.Text, nullable=True),
    sa.Column("admin1", sa.Text, nullable=True),
    sa.Column("lat", sa.Double, nullable=True),
    sa.Column("lon", sa.Double, nullable=True),
    sa.Column("feature", sa.Text, nullable=True),
    sa.Column("confidence", sa.Double, nullable=True),
    sa.Index(None, "place_id"),
)

place_mentions = sa.Table(
    "place_mentions",
    metadata,
    sa.Column("article_id", ID, _article_fk(), primary_key=True),
    sa.Column("place_id", ID, sa.ForeignKey("places.id"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("lang", sa.Text, nullable=False),
    sa.Index(None, "place_id"),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("article_id", ID, _article_fk(), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("event_type", sa.Text, nullable=False),
    sa.Column("mode", sa.JSON, nullable=False),
    sa.Column("context", sa.JSON, nullable=False),
    sa.Column("aux", sa.JSON, nullable=False),
    sa.Column("negated", sa.Boolean(create_constraint=False), nullable=False),
    sa.Column("date", DATE, nullable=True),
    sa.Column("date_inferred", sa.Boolean(create_constraint=False), nullable=False),
    sa.Column("location_place_id", ID, sa.ForeignKey("places.id"), nullable=True),
    # the Place exactly as the event carried it (incl. its mentions); the id above is for joins
    sa.Column("location", sa.JSON, nullable=True),
    sa.Column("location_inferred", sa.Boolean(create_constraint=False), nullable=False),
    sa.Column("cameo", sa.Text, nullable=True),
    sa.Column("goldstein", sa.Double, nullable=True),
    sa.Column("quad", sa.Text, nullable=True),
    sa.Column("plover_score", sa.Double, nullable=True),
    sa.Column("trigger", sa.Text, nullable=False),
    sa.Column("evidence_start", sa.Integer, nullable=False),
    sa.Column("evidence_end", sa.Integer, nullable=False),
    sa.Column("trigger_start", sa.Integer, nullable=False),
    sa.Column("trigger_end", sa.Integer, nullable=False),
    sa.Column("evidence_sentence", sa.Text, nullable=False),
    sa.Column("confidence", sa.Double, nullable=False),
    sa.Column("coder", sa.Text, nullable=False),
    sa.Index(None, "article_id"),
    sa.Index(None, "date", "id"),
    sa.Index(None, "event_type", "date", "id", "negated"),
    sa.Index(None, "negated"),
    sa.Index(None, "location_place_id"),
)

# role is "actor" | "recipient" | "claimed_by" (claimed_by has a single position 0)
event_actors = sa.Table(
    "event_actors",
    metadata,
    sa.Column("event_id", ID, sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("role", sa.Text, primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("entity_id", ID, nullable=False),
    sa.Column("raw_text", sa.Text, nullable=False),
    sa.Column("entity_name", sa.Text, nullable=False),
    sa.Column("country_code", sa.Text, nullable=True),
    sa.Column("sector_code", sa.Text, nullable=True),
    sa.Column("other_sector_codes", sa.JSON, nullable=False),
    sa.Index(None, "role", "country_code"),
    sa.Index(None, "entity_id"),
    sa.Index(None, "event_id", "role", "country_code"),
)

# derived, kept in sync by triggers (revision 0002_fulltext): one row per event and distinct
# (actor country, recipient country) pair, with what the dyad timeline aggregates, so a timeline is a
# range scan of one covering index instead of a three-way join
event_dyads = sa.Table(
    "event_dyads",
    metadata,
    sa.Column("event_id", ID, sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("actor_country", sa.Text, primary_key=True),
    sa.Column("recipient_country", sa.Text, primary_key=True),
    sa.Column("date", DATE, nullable=True),
    sa.Column("event_type", sa.Text, nullable=False),
    sa.Column("quad", sa.Text, nullable=True),
    sa.Column("goldstein", sa.Double, nullable=True),
    sa.Column("negated", sa.Boolean(create_constraint=False), nullable=False),
    sa.Index(
        "ix_event_dyads_pair_date",
        "actor_country", "recipient_country", "date", "negated", "event_type", "quad", "goldstein", "event_id",
    ),
)  # fmt: skip

#: full-text search objects outside this metadata (revision 0002_fulltext), by dialect: SQLite
#: contentless FTS5 tables and their rowid -> id maps (kept by triggers), PostgreSQL GIN expression indexes
FTS_TABLES_SQLITE: tuple[str, ...] = ("articles_fts", "quotes_fts")
FTS_ID_TABLES_SQLITE: tuple[str, ...] = ("articles_fts_ids", "quotes_fts_ids")
FTS_INDEXES_POSTGRESQL: tuple[str, ...] = ("ix_articles_fts", "ix_quotes_fts")
#: the tsvector expressions those PostgreSQL indexes are built on (queries must repeat them verbatim)
PG_ARTICLES_TSV = "to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || text)"
PG_QUOTES_TSV = "to_tsvector('simple'::regconfig, text)"

quotes = sa.Table(
    "quotes",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("article_id", ID, _article_fk(), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("speaker_id", ID, nullable=True),
    sa.Column("speaker_name", sa.Text, nullable=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("cue", sa.Text, nullable=True),
    sa.Index(None, "article_id"),
    sa.Index(None, "speaker_id"),
)

failures = sa.Table(
    "failures",
    metadata,
    sa.Column("origin", sa.Text, primary_key=True),
    sa.Column("code", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("first_seen", STAMP, nullable=False),
    sa.Column("last_seen", STAMP, nullable=False),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Index(None, "code"),
)

# near-duplicate articles (diurna.dedup): not coded, linked to the stored original they repeat
article_duplicates = sa.Table(
    "article_duplicates",
    metadata,
    sa.Column("article_id", ID, primary_key=True),
    sa.Column("duplicate_of", ID, _article_fk(), nullable=False),
    sa.Column("similarity", sa.Double, nullable=False),
    sa.Column("date", DATE, nullable=True),
    sa.Column("title", sa.Text, nullable=True),
    sa.Column("url", sa.Text, nullable=True),
    sa.Column("source", sa.Text, nullable=True),
    sa.Column("origin", sa.Text, nullable=True),
    sa.Column("created_at", STAMP, nullable=False),
    sa.Index(None, "duplicate_of"),
)

# event clusters (diurna.dedup.compute_clusters): recomputed as a whole after a run
event_clusters = sa.Table(
    "event_clusters",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("event_type", sa.Text, nullable=False),
    sa.Column("actor_country", sa.Text, nullable=True),
    sa.Column("recipient_country", sa.Text, nullable=True),
    sa.Column("country_code", sa.Text, nullable=True),
    sa.Column("place_id", ID, nullable=True),
    sa.Column("start_date", DATE, nullable=False),
    sa.Column("end_date", DATE, nullable=False),
    sa.Column("num_events", sa.Integer, nullable=False),
    sa.Column("num_articles", sa.Integer, nullable=False),
    sa.Column("num_sources", sa.Integer, nullable=False),
    sa.Column("num_mentions", sa.Integer, nullable=False),
    sa.Column("goldstein", sa.Double, nullable=True),
    sa.Column("created_at", STAMP, nullable=False),
    sa.Index(None, "start_date", "id"),
    sa.Index(None, "event_type", "start_date"),
)

event_cluster_members = sa.Table(
    "event_cluster_members",
    metadata,
    sa.Column("event_id", ID, sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("cluster_id", ID, sa.ForeignKey("event_clusters.id", ondelete="CASCADE"), nullable=False),
    sa.Index(None, "cluster_id"),
)

#: every table, parents before children (the order rows are inserted in)
TABLES: tuple[sa.Table, ...] = (
    articles,
    segments,
    posts,
    entities,
    article_entities,
    entity_mentions,
    places,
    article_places,
    place_mentions,
    events,
    event_actors,
    event_dyads,
    quotes,
    failures,
    article_duplicates,
    event_clusters,
    event_cluster_members,
)
TABLE_NAMES: tuple[str, ...] = tuple(t.name for t in TABLES)

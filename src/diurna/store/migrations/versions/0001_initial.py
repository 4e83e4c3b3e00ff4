"""Initial diurna store schema: articles and everything extracted from them, plus failures.

Revision ID: 0001_initial
Revises:
Create Date: 2026-05-09

Frozen on purpose: later changes go in new revisions, never here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

T = sa.Text  # ids, codes, dates (ISO strings) and timestamps are all text


def _col(name: str, type_: sa.types.TypeEngine | type = T, null: bool = False, **kw: object) -> sa.Column:
    return sa.Column(name, type_, nullable=null, **kw)


def _pos() -> sa.Column:
    """A list position that is part of the primary key (never auto-generated)."""
    return _col("position", sa.Integer, autoincrement=False)


def _article_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["article_id"], ["articles.id"], name=op.f(f"fk_{table}_article_id_articles"), ondelete="CASCADE"
    )


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"))


def _pk(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(*columns, name=op.f(f"pk_{table}"))


def _index(table: str, *columns: str) -> None:
    op.create_index(op.f(f"ix_{table}_{'_'.join(columns)}"), table, list(columns), unique=False)


def _span() -> list[sa.Column]:
    return [_col("start", sa.Integer), _col("end", sa.Integer)]


def _mention_cols() -> list[sa.Column]:
    return [_pos(), *_span(), _col("text"), _col("lang")]


def _entity_cols() -> list[sa.Column]:
    return [
        _col("name"),
        _col("type"),
        _col("country_code", null=True),
        _col("sector_code", null=True),
        _col("other_sector_codes", sa.JSON),
        _col("titles", sa.JSON),
    ]


def _place_cols() -> list[sa.Column]:
    return [
        _col("name"),
        _col("geonameid", sa.BigInteger, null=True),
        _col("country_code", null=True),
        _col("admin1", null=True),
        _col("lat", sa.Double, null=True),
        _col("lon", sa.Double, null=True),
        _col("feature", null=True),
        _col("confidence", sa.Double, null=True),
    ]


def upgrade() -> None:
    op.create_table(
        "articles",
        _col("id"),
        _col("date", null=True),
        _col("title", null=True),
        _col("text"),
        _col("url", null=True),
        _col("source", null=True),
        _col("author", null=True),
        _col("languages", sa.JSON),
        _col("coder"),
        _col("origin", null=True),
        _col("created_at"),
        _pk("articles", "id"),
    )
    for column in ("date", "origin", "source"):
        _index("articles", column)

    op.create_table(
        "entities",
        _col("id"),
        *_entity_cols(),
        _col("created_at"),
        _pk("entities", "id"),
    )
    _index("entities", "country_code")
    _index("entities", "type")

    op.create_table(
        "failures",
        _col("origin"),
        _col("code"),
        _col("reason"),
        _col("first_seen"),
        _col("last_seen"),
        _col("count", sa.Integer),
        _pk("failures", "origin"),
    )
    _index("failures", "code")

    op.create_table(
        "places",
        _col("id"),
        *_place_cols(),
        _col("created_at"),
        _pk("places", "id"),
    )
    _index("places", "country_code")
    _index("places", "geonameid")

    op.create_table(
        "article_entities",
        _col("article_id"),
        _col("entity_id"),
        _col("position", sa.Integer),
        *_entity_cols(),
        _article_fk("article_entities"),
        _fk("article_entities", "entity_id", "entities"),
        _pk("article_entities", "article_id", "entity_id"),
    )
    _index("article_entities", "entity_id")

    op.create_table(
        "article_places",
        _col("article_id"),
        _col("place_id"),
        _col("position", sa.Integer),
        *_place_cols(),
        _article_fk("article_places"),
        _fk("article_places", "place_id", "places"),
        _pk("article_places", "article_id", "place_id"),
    )
    _index("article_places", "place_id")

    op.create_table(
        "entity_mentions",
        _col("article_id"),
        _col("entity_id"),
        *_mention_cols(),
        _article_fk("entity_mentions"),
        _fk("entity_mentions", "entity_id", "entities"),
        _pk("entity_mentions", "article_id", "entity_id", "position"),
    )
    _index("entity_mentions", "entity_id")

    op.create_table(
        "events",
        _col("id"),
        _col("article_id"),
        _col("position", sa.Integer),
        _col("event_type"),
        _col("mode", sa.JSON),
        _col("context", sa.JSON),
        _col("aux", sa.JSON),
        _col("negated", sa.Boolean),
        _col("date", null=True),
        _col("date_inferred", sa.Boolean),
        _col("location_place_id", null=True),
        _col("location", sa.JSON, null=True),
        _col("location_inferred", sa.Boolean),
        _col("cameo", null=True),
        _col("goldstein", sa.Double, null=True),
        _col("quad", null=True),
        _col("plover_score", sa.Double, null=True),
        _col("trigger"),
        _col("evidence_start", sa.Integer),
        _col("evidence_end", sa.Integer),
        _col("trigger_start", sa.Integer),
        _col("trigger_end", sa.Integer),
        _col("evidence_sentence"),
        _col("confidence", sa.Double),
        _col("coder"),
        _article_fk("events"),
        _fk("events", "location_place_id", "places"),
        _pk("events", "id"),
    )
    _index("events", "article_id")
    _index("events", "date", "id")
    _index("events", "event_type", "date")
    _index("events", "location_place_id")
    _index("events", "negated")

    op.create_table(
        "place_mentions",
        _col("article_id"),
        _col("place_id"),
        *_mention_cols(),
        _article_fk("place_mentions"),
        _fk("place_mentions", "place_id", "places"),
        _pk("place_mentions", "article_id", "place_id", "position"),
    )
    _index("place_mentions", "place_id")

    op.create_table(
        "posts",
        _col("article_id"),
        _pos(),
        _col("platform"),
        _col("handle", null=True),
        _col("author", null=True),
        _col("date", null=True),
        _col("language", null=True),
        _col("text"),
        *_span(),
        _col("url", null=True),
        _article_fk("posts"),
        _pk("posts", "article_id", "position"),
    )

    op.create_table(
        "quotes",
        _col("id"),
        _col("article_id"),
        _col("position", sa.Integer),
        _col("speaker_id", null=True),
        _col("speaker_name", null=True),
        _col("text"),
        *_span(),
        _col("cue", null=True),
        _article_fk("quotes"),
        _pk("quotes", "id"),
    )
    _index("quotes", "article_id")
    _index("quotes", "speaker_id")

    op.create_table(
        "segments",
        _col("article_id"),
        _pos(),
        *_span(),
        _col("script"),
        _col("language", null=True),
        _article_fk("segments"),
        _pk("segments", "article_id", "position"),
    )

    op.create_table(
        "event_actors",
        _col("event_id"),
        _col("role"),
        _pos(),
        _col("entity_id"),
        _col("raw_text"),
        _col("entity_name"),
        _col("country_code", null=True),
        _col("sector_code", null=True),
        _col("other_sector_codes", sa.JSON),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_event_actors_event_id_events"), ondelete="CASCADE"
        ),
        _pk("event_actors", "event_id", "role", "position"),
    )
    _index("event_actors", "entity_id")
    _index("event_actors", "role", "country_code")


def downgrade() -> None:
    # children first; dropping a table drops its indexes
    for table in (
        "event_actors",
        "segments",
        "quotes",
        "posts",
        "place_mentions",
        "events",
        "entity_mentions",
        "article_places",
        "article_entities",
        "places",
        "failures",
        "entities",
        "articles",
    ):
        op.drop_table(table)

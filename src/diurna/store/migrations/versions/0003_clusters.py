"""Near-duplicate article links and event clusters.

Revision ID: 0003_clusters
Revises: 0002_fulltext
Create Date: 2026-05-10

- ``article_duplicates``: an article not coded because it repeats a stored one (``duplicate_of``);
- ``event_clusters``: events of one type and dyad, close in date and place, across articles, with
  GDELT-style counts (num_articles, num_sources, num_mentions);
- ``event_cluster_members``: each clustered event and its cluster.

Frozen on purpose: later changes go in new revisions, never here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_clusters"
down_revision = "0002_fulltext"
branch_labels = None
depends_on = None

T = sa.Text


def upgrade() -> None:
    op.create_table(
        "article_duplicates",
        sa.Column("article_id", T, nullable=False),
        sa.Column("duplicate_of", T, nullable=False),
        sa.Column("similarity", sa.Double, nullable=False),
        sa.Column("date", T, nullable=True),
        sa.Column("title", T, nullable=True),
        sa.Column("url", T, nullable=True),
        sa.Column("source", T, nullable=True),
        sa.Column("origin", T, nullable=True),
        sa.Column("created_at", T, nullable=False),
        sa.ForeignKeyConstraint(["duplicate_of"], ["articles.id"],
                                name=op.f("fk_article_duplicates_duplicate_of_articles"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_duplicates")),
    )
    op.create_index(op.f("ix_article_duplicates_duplicate_of"), "article_duplicates", ["duplicate_of"])
    op.create_table(
        "event_clusters",
        sa.Column("id", T, nullable=False),
        sa.Column("event_type", T, nullable=False),
        sa.Column("actor_country", T, nullable=True),
        sa.Column("recipient_country", T, nullable=True),
        sa.Column("country_code", T, nullable=True),
        sa.Column("place_id", T, nullable=True),
        sa.Column("start_date", T, nullable=False),
        sa.Column("end_date", T, nullable=False),
        sa.Column("num_events", sa.Integer, nullable=False),
        sa.Column("num_articles", sa.Integer, nullable=False),
        sa.Column("num_sources", sa.Integer, nullable=False),
        sa.Column("num_mentions", sa.Integer, nullable=False),
        sa.Column("goldstein", sa.Double, nullable=True),
        sa.Column("created_at", T, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_clusters")),
    )
    op.create_index(op.f("ix_event_clusters_start_date_id"), "event_clusters", ["start_date", "id"])
    op.create_index(op.f("ix_event_clusters_event_type_start_date"), "event_clusters", ["event_type", "start_date"])
    op.create_table(
        "event_cluster_members",
        sa.Column("event_id", T, nullable=False),
        sa.Column("cluster_id", T, nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_event_cluster_members_event_id_events"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["cluster_id"], ["event_clusters.id"],
                                name=op.f("fk_event_cluster_members_cluster_id_event_clusters"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_event_cluster_members")),
    )
    op.create_index(op.f("ix_event_cluster_members_cluster_id"), "event_cluster_members", ["cluster_id"])


def downgrade() -> None:
    op.drop_table("event_cluster_members")
    op.drop_table("event_clusters")
    op.drop_table("article_duplicates")

"""Full-text search over articles and quotes, and the event_dyads table for fast dyad queries.

Revision ID: 0002_fulltext
Revises: 0001_initial
Create Date: 2026-05-10

- SQLite: contentless FTS5 tables ``articles_fts(title, text)`` and ``quotes_fts(text)`` (tokenizer
  ``unicode61 remove_diacritics 2``) with id maps ``articles_fts_ids`` / ``quotes_fts_ids`` (FTS rowid
  -> article/quote id), kept in sync by triggers on ``articles`` / ``quotes``.
- PostgreSQL: GIN expression indexes on ``to_tsvector('simple', ...)`` (nothing to keep in sync).
- Both: indexes for filtered event listings: ``events(event_type, date, id, negated)`` (replacing
  ``events(event_type, date)``) and ``event_actors(event_id, role, country_code)``.
- Both: ``event_dyads`` (one row per event and distinct actor-country/recipient-country pair) with a
  covering index for the dyad timeline, kept in sync by triggers on ``event_actors`` and ``events``
  (so every writer, the bulk loaders included, keeps it right), filled here from existing rows.

Frozen on purpose: later changes go in new revisions, never here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_fulltext"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

_DYAD_COLS = "event_id, actor_country, recipient_country, date, event_type, quad, goldstein, negated"


def _dyad_select(where: str) -> str:
    """Every distinct actor-country/recipient-country pair of the events picked by ``where``."""
    return (
        "SELECT DISTINCT e.id, a.country_code, r.country_code, e.date, e.event_type, e.quad, e.goldstein, e.negated"
        " FROM events e"
        " JOIN event_actors a ON a.event_id = e.id AND a.role = 'actor' AND a.country_code IS NOT NULL"
        " JOIN event_actors r ON r.event_id = e.id AND r.role = 'recipient' AND r.country_code IS NOT NULL"
        f" WHERE {where}"
    )


_FTS = "tokenize = 'unicode61 remove_diacritics 2', content = ''"


def _fts_sqlite(table: str, key: str, columns: list[str], values: list[str]) -> list[str]:
    """A contentless FTS5 table over ``table`` plus its id map, filled and kept in sync by triggers.

    ``<table>_fts_ids(fts_rowid INTEGER PRIMARY KEY, <key> UNIQUE)`` maps FTS rowids to our text ids:
    an INTEGER PRIMARY KEY survives ``VACUUM`` (the implicit rowid of ``table`` may not), and reading
    it is cheap, unlike an id column stored in the FTS table next to the whole text.  Contentless, so
    the text is not stored twice; a delete hands FTS5 the old values, exactly as they were indexed.
    """
    fts, ids = f"{table}_fts", f"{table}_fts_ids"
    cols = ", ".join(columns)

    def vals(prefix: str) -> str:
        return ", ".join(v.format(r=prefix) for v in values)

    def delete(row: str) -> str:
        return (
            f"INSERT INTO {fts} ({fts}, rowid, {cols}) SELECT 'delete', fts_rowid, {vals(row)}"
            f" FROM {ids} WHERE {key} = {row}.id; DELETE FROM {ids} WHERE {key} = {row}.id;"
        )

    def insert(row: str) -> str:
        return (
            f"INSERT INTO {ids} ({key}) VALUES ({row}.id);"
            f" INSERT INTO {fts} (rowid, {cols}) SELECT fts_rowid, {vals(row)} FROM {ids} WHERE {key} = {row}.id;"
        )

    watched = ", ".join(["id", *columns])
    return [
        f"CREATE TABLE {ids} (fts_rowid INTEGER PRIMARY KEY, {key} TEXT NOT NULL UNIQUE)",
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, {_FTS})",
        f"INSERT INTO {ids} ({key}) SELECT id FROM {table} ORDER BY id",
        f"INSERT INTO {fts} (rowid, {cols}) SELECT i.fts_rowid, {vals('t')}"
        f" FROM {table} t JOIN {ids} i ON i.{key} = t.id",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {insert('new')} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {delete('old')} END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {watched} ON {table} BEGIN {delete('old')} {insert('new')} END",
    ]


_SQLITE_UP = [
    # ---- full text
    *_fts_sqlite("articles", "article_id", ["title", "text"], ["coalesce({r}.title, '')", "{r}.text"]),
    *_fts_sqlite("quotes", "quote_id", ["text"], ["{r}.text"]),
    # ---- dyads
    f"INSERT INTO event_dyads ({_DYAD_COLS}) {_dyad_select('1 = 1')}",
    "CREATE TRIGGER event_dyads_actor_insert AFTER INSERT ON event_actors"
    " WHEN new.country_code IS NOT NULL AND new.role IN ('actor', 'recipient') BEGIN"
    f" INSERT OR IGNORE INTO event_dyads ({_DYAD_COLS}) {_dyad_select('e.id = new.event_id')}; END",
    "CREATE TRIGGER event_dyads_actor_delete AFTER DELETE ON event_actors"
    " WHEN old.country_code IS NOT NULL AND old.role IN ('actor', 'recipient') BEGIN"
    " DELETE FROM event_dyads WHERE event_id = old.event_id;"
    f" INSERT OR IGNORE INTO event_dyads ({_DYAD_COLS}) {_dyad_select('e.id = old.event_id')}; END",
    "CREATE TRIGGER event_dyads_actor_update AFTER UPDATE OF event_id, role, country_code ON event_actors BEGIN"
    " DELETE FROM event_dyads WHERE event_id IN (old.event_id, new.event_id);"
    f" INSERT OR IGNORE INTO event_dyads ({_DYAD_COLS}) {_dyad_select('e.id IN (old.event_id, new.event_id)')}; END",
    "CREATE TRIGGER event_dyads_event_update AFTER UPDATE OF date, event_type, quad, goldstein, negated ON events"
    " BEGIN UPDATE event_dyads SET date = new.date, event_type = new.event_type, quad = new.quad,"
    " goldstein = new.goldstein, negated = new.negated WHERE event_id = new.id; END",
]

_SQLITE_DOWN = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "articles_fts_insert", "articles_fts_delete", "articles_fts_update",
        "quotes_fts_insert", "quotes_fts_delete", "quotes_fts_update",
        "event_dyads_actor_insert", "event_dyads_actor_delete", "event_dyads_actor_update",
        "event_dyads_event_update",
    )
] + [
    f"DROP TABLE IF EXISTS {name}" for name in ("articles_fts", "quotes_fts", "articles_fts_ids", "quotes_fts_ids")
]  # fmt: skip

_PG_UP = [
    # ---- full text: expression indexes, used by queries that repeat the same expression
    "CREATE INDEX ix_articles_fts ON articles USING gin "
    "(to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || text))",
    "CREATE INDEX ix_quotes_fts ON quotes USING gin (to_tsvector('simple'::regconfig, text))",
    # ---- dyads
    f"INSERT INTO event_dyads ({_DYAD_COLS}) {_dyad_select('true')}",
    f"""CREATE FUNCTION diurna_event_dyads_actors() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM event_dyads WHERE event_id = OLD.event_id;
        INSERT INTO event_dyads ({_DYAD_COLS}) {_dyad_select('e.id = OLD.event_id')}
            ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF TG_OP = 'UPDATE' THEN
            DELETE FROM event_dyads WHERE event_id = NEW.event_id;
        END IF;
        IF NEW.country_code IS NOT NULL AND NEW.role IN ('actor', 'recipient') OR TG_OP = 'UPDATE' THEN
            INSERT INTO event_dyads ({_DYAD_COLS}) {_dyad_select('e.id = NEW.event_id')}
                ON CONFLICT DO NOTHING;
        END IF;
    END IF;
    RETURN NULL;
END $$""",
    "CREATE TRIGGER event_dyads_actors AFTER INSERT OR DELETE OR UPDATE OF event_id, role, country_code"
    " ON event_actors FOR EACH ROW EXECUTE FUNCTION diurna_event_dyads_actors()",
    """CREATE FUNCTION diurna_event_dyads_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE event_dyads SET date = NEW.date, event_type = NEW.event_type, quad = NEW.quad,
        goldstein = NEW.goldstein, negated = NEW.negated WHERE event_id = NEW.id;
    RETURN NULL;
END $$""",
    "CREATE TRIGGER event_dyads_event AFTER UPDATE OF date, event_type, quad, goldstein, negated"
    " ON events FOR EACH ROW EXECUTE FUNCTION diurna_event_dyads_event()",
]

_PG_DOWN = [
    "DROP TRIGGER IF EXISTS event_dyads_event ON events",
    "DROP TRIGGER IF EXISTS event_dyads_actors ON event_actors",
    "DROP FUNCTION IF EXISTS diurna_event_dyads_event()",
    "DROP FUNCTION IF EXISTS diurna_event_dyads_actors()",
    "DROP INDEX IF EXISTS ix_quotes_fts",
    "DROP INDEX IF EXISTS ix_articles_fts",
]


def upgrade() -> None:
    op.create_table(
        "event_dyads",
        sa.Column("event_id", sa.Text, nullable=False),
        sa.Column("actor_country", sa.Text, nullable=False),
        sa.Column("recipient_country", sa.Text, nullable=False),
        sa.Column("date", sa.Text, nullable=True),
        sa.Column("event_type", sa.Text, nullable=False),
        sa.Column("quad", sa.Text, nullable=True),
        sa.Column("goldstein", sa.Double, nullable=True),
        sa.Column("negated", sa.Boolean(create_constraint=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_event_dyads_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", "actor_country", "recipient_country", name=op.f("pk_event_dyads")),
    )
    op.create_index(
        "ix_event_dyads_pair_date",
        "event_dyads",
        ["actor_country", "recipient_country", "date", "negated", "event_type", "quad", "goldstein", "event_id"],
    )
    # filtered event listings: (type, date, id, negated) answers type/date filters, the negated test and
    # the (date desc, id desc) order from the index alone (it replaces (event_type, date)), and
    # (event_id, role, country_code) answers the actor/recipient country EXISTS without the table
    op.create_index(op.f("ix_events_event_type_date_id_negated"), "events", ["event_type", "date", "id", "negated"])
    op.drop_index(op.f("ix_events_event_type_date"), table_name="events")
    op.create_index(
        op.f("ix_event_actors_event_id_role_country_code"), "event_actors", ["event_id", "role", "country_code"]
    )
    conn = op.get_bind()
    for statement in (_SQLITE_UP if conn.dialect.name == "sqlite" else _PG_UP):
        conn.exec_driver_sql(statement)


def downgrade() -> None:
    conn = op.get_bind()
    for statement in (_SQLITE_DOWN if conn.dialect.name == "sqlite" else _PG_DOWN):
        conn.exec_driver_sql(statement)
    op.drop_table("event_dyads")
    op.drop_index(op.f("ix_event_actors_event_id_role_country_code"), table_name="event_actors")
    op.create_index(op.f("ix_events_event_type_date"), "events", ["event_type", "date"])
    op.drop_index(op.f("ix_events_event_type_date_id_negated"), table_name="events")

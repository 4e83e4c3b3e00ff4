"""Run the store's Alembic migrations programmatically (no alembic.ini needed)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from .db import SQLITE_IMMEDIATE

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# any constant works; it only has to be the same for every diurna process sharing a database
_PG_LOCK_KEY = 0x64697572  # "diur"


def alembic_config(connection: sa.Connection | None = None) -> Config:
    """An Alembic ``Config`` pointing at the migrations shipped inside the package."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:  # pragma: no cover - guards against a branched history
        raise RuntimeError(f"expected one migration head, found {heads}")
    return heads[0]


def current_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (default head); a no-op when it is already there.

    Runs in one transaction that first takes the database's write lock (SQLite ``BEGIN IMMEDIATE``,
    a PostgreSQL advisory lock), so concurrent openers run it one after the other and the later ones
    find the schema already at head.
    """
    if revision == "head" and current_revision(engine) == head_revision():
        return
    with _locked(engine) as conn:
        command.upgrade(alembic_config(conn), revision)


def downgrade(engine: sa.Engine, revision: str) -> None:
    """Step the schema back to ``revision`` ("base" drops every store table)."""
    with _locked(engine) as conn:
        command.downgrade(alembic_config(conn), revision)


@contextmanager
def _locked(engine: sa.Engine) -> Iterator[sa.Connection]:
    with engine.connect() as conn:
        conn.execution_options(**{SQLITE_IMMEDIATE: True})
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_LOCK_KEY)))
            yield conn

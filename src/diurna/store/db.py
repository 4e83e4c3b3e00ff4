"""Turning what the user typed (a path or a URL) into a configured SQLAlchemy engine."""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.pool import StaticPool

SQLITE_BUSY_TIMEOUT_MS = 30_000

#: execution option asking for ``BEGIN IMMEDIATE`` on SQLite (take the write lock up front, so a
#: read-then-write transaction cannot fail half way with SQLITE_BUSY)
SQLITE_IMMEDIATE = "diurna_sqlite_immediate"


def resolve_url(url_or_path: str | os.PathLike[str]) -> sa.URL:
    """A plain path means a SQLite file; ``sqlite:///...`` and ``postgresql[+driver]://...`` are URLs.

    ``postgresql://`` and ``postgres://`` are mapped to the psycopg (3) driver; ``:memory:`` is an
    in-memory SQLite database.
    """
    text = os.fspath(url_or_path)
    if text == ":memory:":
        return sa.make_url("sqlite://")
    if "://" not in text:
        path = Path(text).expanduser().resolve()
        return sa.URL.create("sqlite", database=str(path))
    url = sa.make_url(text)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ValueError(
            f"unsupported database {url.get_backend_name()!r}: use a SQLite path or a PostgreSQL URL"
        )
    return url


def _is_memory(url: sa.URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def create_engine(url_or_path: str | os.PathLike[str], **kwargs: object) -> sa.Engine:
    """An engine for the store: SQLite gets WAL, foreign keys, a busy timeout and real transactions."""
    url = resolve_url(url_or_path)
    if url.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True, **kwargs)

    memory = _is_memory(url)
    if memory:
        kwargs.setdefault("poolclass", StaticPool)
        kwargs.setdefault("connect_args", {"check_same_thread": False})
    elif url.database and "mode=memory" not in str(url):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        # let SQLAlchemy, not the sqlite3 module, decide when transactions begin (see "begin" below),
        # so every statement of a batch, DDL included, is in one transaction
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS:d}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not memory:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        immediate = conn.get_execution_options().get(SQLITE_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine

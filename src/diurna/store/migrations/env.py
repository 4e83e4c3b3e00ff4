"""Alembic environment: runs against the connection handed over by :mod:`diurna.store.migrate`.

There is no alembic.ini; the ``Config`` is built in code.  Online mode only.
"""

from __future__ import annotations

from alembic import context

from diurna.store.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - misuse guard
    raise RuntimeError(
        "diurna migrations run programmatically: use diurna.store.migrate.upgrade(engine) or open_store()"
    )
if context.is_offline_mode():  # pragma: no cover - misuse guard
    raise RuntimeError("diurna migrations do not support offline (SQL script) mode")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    transaction_per_migration=False,
)

with context.begin_transaction():
    context.run_migrations()

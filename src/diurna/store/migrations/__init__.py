"""Alembic environment for the diurna store; run it through :func:`diurna.store.migrate.upgrade`."""

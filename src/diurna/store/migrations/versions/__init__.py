"""Alembic revisions of the diurna store schema (Alembic skips this file)."""

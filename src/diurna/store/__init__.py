"""Storage for diurna extractions: SQLite or PostgreSQL, schema managed by Alembic.

>>> with open_store("diurna.db") as store:          # doctest: +SKIP
...     stats = store.write(extractions)
...     rows = store.query_events(event_type="PROTEST", since="2024-01-01")
"""

from .db import resolve_url
from .migrate import current_revision, downgrade, head_revision, upgrade
from .store import EventRow, FailureRow, Store, WriteStats, open_store

__all__ = [
    "EventRow",
    "FailureRow",
    "Store",
    "WriteStats",
    "current_revision",
    "downgrade",
    "head_revision",
    "open_store",
    "resolve_url",
    "upgrade",
]

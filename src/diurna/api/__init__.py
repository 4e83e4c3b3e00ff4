"""HTTP API (FastAPI) over a diurna store; the dashboard is served by the same app."""

from .app import create_app

__all__ = ["create_app"]

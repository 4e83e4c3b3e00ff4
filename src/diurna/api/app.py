"""The FastAPI application: the /api/v1 routes and the dashboard, over one store."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response

from diurna import __version__
from diurna.config import Settings, load_settings
from diurna.store import open_store

from . import security
from .routes import router, write_router

log = logging.getLogger(__name__)

#: sent with every response; scripts only from this origin (no inline script), nothing framed or fetched elsewhere
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def create_app(store_url: str, settings: Settings | None = None, pipeline: object | None = None) -> FastAPI:
    """The API and dashboard for the store at ``store_url`` (a SQLite path or a database URL).

    ``settings`` (default: the DIURNA_* environment) give the token, body cap and CORS origins;
    ``pipeline`` (a loaded :class:`diurna.pipeline.Pipeline`) is used by the ingest route, else one
    is loaded on the first ingest.
    """
    settings = settings if settings is not None else load_settings()
    security.check_settings(settings)
    store = open_store(store_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="diurna",
        version=__version__,
        description="API over a diurna store: PLOVER events, articles, entities, quotes and places. Reads are "
        "public unless api_read_token_required; writes (ingest, delete) need the bearer token.",
        lifespan=lifespan,
        # the interactive docs pages load their scripts from a CDN: offline and CSP forbid it; /openapi.json stays
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.state.pipeline = pipeline
    # before the guard below, so its security headers also go on 401 / 413 answers
    security.install(app, settings)

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        # NUL cannot be stored in PostgreSQL text and is never meaningful here: refuse it up front
        raw = request.scope.get("query_string", b"").lower()
        if b"%00" in raw or b"\x00" in raw or "\x00" in request.url.path:
            response: Response = JSONResponse({"detail": "NUL characters are not allowed"}, status_code=422)
        else:
            try:
                response = await call_next(request)
            except Exception:  # pragma: no cover - a bug; never leak a traceback to the client
                log.exception("unhandled error on %s", request.url.path)
                response = JSONResponse({"detail": "internal error"}, status_code=500)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    # reads behind the token only when configured (so the OpenAPI document marks them secured only then)
    app.include_router(router, dependencies=[Depends(security.require_read)] if settings.api_read_token_required
                       else [])
    app.include_router(write_router)

    from diurna.web import mount_web

    mount_web(app)
    return app


def app_from_env() -> FastAPI:
    """App factory for ``uvicorn --factory diurna.api.app:app_from_env`` (e.g. with ``--workers N``):
    the store and every setting from the DIURNA_* environment."""
    settings = load_settings()
    return create_app(settings.db, settings)

"""API security: bearer-token checks (constant time), the request body cap, CORS and dashboard read guard.

- Write endpoints always need ``Authorization: Bearer <api_token>``; with no ``api_token`` configured
  they are refused (403), never open.
- Read endpoints are public unless ``api_read_token_required``; then every API route and dashboard page
  (static files excepted) needs the token too.
- Request bodies larger than ``api_max_body_bytes`` are answered 413 before any route runs.
- CORS is off unless ``api_cors_origins`` lists origins.
"""

from __future__ import annotations

import hmac
import json
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from diurna.config import Settings

#: the OpenAPI security scheme; ``auto_error=False`` so the checks below decide (and say why)
bearer_scheme = HTTPBearer(auto_error=False, description="`Authorization: Bearer <DIURNA_API_TOKEN>`")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]

#: paths served without a token even when reads need one (no data in them)
PUBLIC_PREFIXES = ("/static/", "/favicon.ico")
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="diurna"'}


def check_settings(settings: Settings) -> None:
    """Refuse settings that cannot work: reads behind a token without a token."""
    if settings.api_read_token_required and not settings.api_token:
        raise ValueError("api_read_token_required is set but api_token is empty: set DIURNA_API_TOKEN")


def token_matches(given: str | None, expected: str | None) -> bool:
    """True when ``given`` equals the configured token; constant time, and never for an empty token."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer TOKEN`` header value, else None."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def require_write(request: Request, credentials: Credentials) -> None:
    """Dependency of every write endpoint: the configured token, or 401/403."""
    settings = _settings(request)
    if not settings.api_token:
        raise HTTPException(403, "writes are disabled: the server has no api_token (set DIURNA_API_TOKEN)")
    given = credentials.credentials if credentials is not None else None
    if not token_matches(given, settings.api_token):
        raise HTTPException(401, "a valid bearer token is required", headers=_CHALLENGE)


def require_read(request: Request, credentials: Credentials) -> None:
    """Dependency of every read endpoint when ``api_read_token_required`` (see ``create_app``)."""
    settings = _settings(request)
    if not settings.api_read_token_required:
        return
    given = credentials.credentials if credentials is not None else None
    if not token_matches(given, settings.api_token):
        raise HTTPException(401, "a valid bearer token is required", headers=_CHALLENGE)


# ------------------------------------------------------------------------------------------ ASGI layers


async def _send_json(send: Send, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"detail": detail}).encode("utf-8")
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode("ascii"))]
    raw.extend((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items())
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Answer 413 to a request whose body is over ``limit`` bytes (declared or streamed), before routing."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        too_big = f"request body larger than {self.limit} bytes (api_max_body_bytes)"
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                await _send_json(send, 400, "invalid Content-Length")
                return
            if size > self.limit:
                await _send_json(send, 413, too_big)
                return
        # read the body here (at most limit + 1 bytes are kept), then replay it to the app
        chunks: list[bytes] = []
        received = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.limit:
                await _send_json(send, 413, too_big)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class DashboardReadGuard:
    """With ``api_read_token_required``, dashboard pages need the token too (the API checks it per route)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if (scope["type"] == "http" and self.settings.api_read_token_required and not path.startswith("/api/")
                and path != "/openapi.json" and not path.startswith(PUBLIC_PREFIXES)):
            header = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
            if not token_matches(bearer_token(header), self.settings.api_token):
                await _send_json(send, 401, "a valid bearer token is required", _CHALLENGE)
                return
        await self.app(scope, receive, send)


def install(app: FastAPI, settings: Settings) -> None:
    """Add the body cap, the dashboard read guard and (only when origins are configured) CORS to ``app``."""
    check_settings(settings)
    app.state.settings = settings
    if settings.api_cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(settings.api_cors_origins), allow_credentials=False,
                           allow_methods=["GET", "POST", "DELETE"], allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(DashboardReadGuard, settings=settings)
    app.add_middleware(BodyLimit, limit=settings.api_max_body_bytes)


def openapi_security(responses: dict[int | str, dict[str, Any]]) -> dict[int | str, dict[str, Any]]:
    """``responses`` plus the 401/403 answers of a token-protected route (for the OpenAPI document)."""
    from .models import ErrorOut

    return {
        **responses,
        401: {"model": ErrorOut, "description": "missing or wrong bearer token"},
        403: {"model": ErrorOut, "description": "writes are disabled (no api_token configured)"},
    }

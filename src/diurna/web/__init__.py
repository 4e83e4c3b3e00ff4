"""The dashboard: server-rendered pages (Jinja2, autoescaped) plus one small script of our own and plotly.js.

No inline script anywhere: pages hand data to ``diurna.js`` through ``data-*`` attributes, and the
script writes text with ``textContent`` only.  plotly.min.js is served straight from the installed
plotly package (no CDN).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import jinja2
from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from diurna.records import EVENT_TYPES
from diurna.store import Store
from diurna.store import queries as qr

from .highlight import highlight

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(
    env=jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True)
)


def http_url(value: str | None) -> str:
    """``value`` if it is an http(s) URL, else "" (never a javascript: or data: link)."""
    if value and urlsplit(value.strip()).scheme.lower() in ("http", "https"):
        return value.strip()
    return ""


templates.env.filters["http_url"] = http_url

#: the filters the events and map pages take, in the order the form shows them
FILTER_FIELDS = ("type", "actor_country", "actor_sector", "recipient_country", "recipient_sector", "country",
                 "entity", "since", "until", "include_negated")
PAGE_SIZE = 50
QUAD_LABELS = {
    "verbal_cooperation": "verbal cooperation",
    "material_cooperation": "material cooperation",
    "verbal_conflict": "verbal conflict",
    "material_conflict": "material conflict",
}


def plotly_js_path() -> Path | None:
    """Where the installed plotly package keeps its bundled plotly.min.js (None without plotly)."""
    try:
        path = resources.files("plotly") / "package_data" / "plotly.min.js"
    except ModuleNotFoundError:
        return None
    return Path(str(path)) if path.is_file() else None


def _store(request: Request) -> Store:
    return request.app.state.store


def _render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"event_types": EVENT_TYPES, "quads": QUAD_LABELS, **context},
                                      status_code=status_code)


def _filter_values(request: Request) -> dict[str, str]:
    """The filter form's values from the query string (first value of each, empty ones dropped)."""
    params = request.query_params
    values = {name: params.get(name, "").strip() for name in FILTER_FIELDS}
    return {k: v for k, v in values.items() if v}


def _filters(values: dict[str, str], located: bool = False) -> qr.EventFilters:
    def one(name: str) -> list[str] | None:
        return [values[name]] if name in values else None

    return qr.EventFilters(
        event_type=one("type"), actor_country=one("actor_country"), actor_sector=one("actor_sector"),
        recipient_country=one("recipient_country"), recipient_sector=one("recipient_sector"), country=one("country"),
        entity=one("entity"), since=values.get("since"), until=values.get("until"),
        include_negated=values.get("include_negated") in ("1", "true", "on"), located=located,
    )  # fmt: skip


def _not_found(request: Request, what: str) -> HTMLResponse:
    return _render(request, "error.html", status_code=404, title="Not found", message=f"No such {what}.")


router = APIRouter(include_in_schema=False)


@router.get("/static/vendor/plotly.min.js")
def plotly_js() -> Response:
    path = plotly_js_path()
    if path is None:
        raise HTTPException(404, "plotly is not installed")
    return FileResponse(path, media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})


@router.get("/favicon.ico")
def favicon() -> Response:
    return RedirectResponse("/static/favicon.svg", status_code=301)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    store = _store(request)
    recent, _ = qr.events_page(store, qr.EventFilters(), 15)
    return _render(request, "home.html", title="Overview", counts=qr.overview_counts(store), recent=recent,
                   countries=qr.actor_countries(store))


@router.get("/dyads")
def dyad_pick(a: str = "", b: str = "") -> Response:
    a, b = a.strip().upper(), b.strip().upper()
    if not (a.isalnum() and b.isalnum() and len(a) <= 20 and len(b) <= 20):
        return RedirectResponse("/", status_code=303)
    return RedirectResponse(f"/dyads/{a}/{b}", status_code=303)


@router.get("/dyads/{a}/{b}", response_class=HTMLResponse)
def dyad(request: Request, a: str, b: str) -> HTMLResponse:
    interval = request.query_params.get("interval", "month")
    if interval not in ("day", "week", "month"):
        interval = "month"
    return _render(request, "dyad.html", title=f"{a.upper()} – {b.upper()}", a=a.upper(), b=b.upper(),
                   interval=interval, countries=qr.actor_countries(_store(request)))


@router.get("/events", response_class=HTMLResponse)
def events(request: Request) -> HTMLResponse:
    values = _filter_values(request)
    cursor = request.query_params.get("cursor")
    try:
        filters = _filters(values)
        rows, key = qr.events_page(_store(request), filters, PAGE_SIZE, qr.decode_cursor("events", cursor))
    except ValueError as exc:  # bad date, unknown type or foreign cursor
        return _render(request, "events.html", status_code=422, title="Events", values=values, rows=[],
                       error=str(exc), next_url=None, csv_url=None)
    query = urlencode(values)
    next_url = f"/events?{urlencode({**values, 'cursor': qr.encode_cursor('events', key)})}" if key else None
    csv_url = f"/api/v1/events?{urlencode({**values, 'format': 'csv', 'limit': 500})}"
    return _render(request, "events.html", title="Events", values=values, rows=rows, error=None,
                   next_url=next_url, csv_url=csv_url, query=query)


@router.get("/map", response_class=HTMLResponse)
def event_map(request: Request) -> HTMLResponse:
    values = _filter_values(request)
    try:
        _filters(values)
    except ValueError as exc:
        return _render(request, "map.html", status_code=422, title="Map", values=values, error=str(exc),
                       data_url="")
    data_url = f"/api/v1/events?{urlencode({**values, 'format': 'geojson', 'limit': 500})}"
    return _render(request, "map.html", title="Map", values=values, error=None, data_url=data_url)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(request: Request, article_id: str) -> HTMLResponse:
    extraction = _store(request).get_extraction(article_id)
    if extraction is None:
        return _not_found(request, "article")
    rtl = any(s.script == "arabic" for s in extraction.segments) and not any(
        s.script == "latin" for s in extraction.segments
    )
    return _render(request, "article.html", title=extraction.title or extraction.id, x=extraction,
                   body=highlight(extraction), rtl=rtl)


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity(request: Request, entity_id: str) -> HTMLResponse:
    store = _store(request)
    detail = qr.entity_detail(store, entity_id)
    if detail is None:
        return _not_found(request, "entity")
    rows, key = qr.events_page(store, qr.EventFilters(entity=[entity_id]), PAGE_SIZE)
    quotes, _ = qr.quotes_page(store, speaker=entity_id, limit=PAGE_SIZE)
    more_url = f"/events?{urlencode({'entity': entity_id})}" if key else None
    return _render(request, "entity.html", title=detail.entity.name, d=detail, rows=rows, quotes=quotes,
                   more_url=more_url)


def mount_web(app: FastAPI) -> None:
    """Add the dashboard pages and static files to ``app``."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

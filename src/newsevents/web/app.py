"""The web app and JSON API: FastAPI over a read-only store.

Every page has a JSON twin under ``/api`` served by the same handler: the handler builds
one dict (``queries.py``) and renders it as HTML or returns it as JSON. All article text is
escaped by Jinja2 autoescaping (no ``|safe`` anywhere; only the chart's SVG, built from numbers and escaped labels, is marked safe) and every response carries a
Content-Security-Policy that forbids scripts, so text from the news cannot run in the page
(``/docs`` alone runs Swagger UI, from the fastapi-offline package and this server only).
There is no write endpoint.
"""

from __future__ import annotations

import logging
import threading
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsevents.settings import MIN_CONFIDENCE
from newsevents.storage import queries
from newsevents.storage.parquet import over_parquet
from newsevents.storage.store import Store, StoreError
from newsevents.web.chart import chart_svg
from newsevents.web.params import BadRequest, respond
from newsevents.web.routes import router
from newsevents.web.worldmap import LEGEND, map_svg

log = logging.getLogger("newsevents.web")
#: queries run at once; the other requests wait for one to end
MAX_CONCURRENT_QUERIES = 4
CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'"
#: the API docs page alone runs a script: Swagger UI, from the fastapi-offline package (never
#: a CDN), started by our own static/docs.js; it reads /openapi.json and sets inline styles
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'"
)
PKG = resources.files("newsevents") / "web"
SWAGGER = resources.files("fastapi_offline") / "static"


class ErrorBody(BaseModel):
    """Every API error's body."""

    error: str
    status: int


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in (
        (400, "A bad parameter"),
        (404, "Nothing there"),
        (422, "A parameter of the wrong type"),
    )
}


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(PKG / "templates")),
        autoescape=select_autoescape(["html"], default=True),
    )
    env.globals["chart_svg"] = chart_svg
    env.globals["map_svg"] = map_svg
    env.globals["quad_names"] = LEGEND
    env.globals["min_confidence"] = MIN_CONFIDENCE
    env.filters["link"] = link
    env.globals["page_link"] = page_link
    env.filters["named"] = named
    return env


def named(code: str | None, sector: str | None = None) -> str:
    """An actor code (and sector) with its name beside it, for pages: ``KOR (South Korea)``,
    ``KORGOV (South Korea)``."""
    name = queries.actor_name(code)
    label = f"{code or ''}{sector or ''}"
    return f"{label} ({name})" if name else label


def page_link(request: Request, page: int) -> str:
    """This page's URL at another page number, every other query parameter kept."""
    url = request.url.include_query_params(page=page)
    return f"{url.path}?{url.query}"


def _validation_message(exc: RequestValidationError) -> str:
    """FastAPI's validation errors as one sentence: ``page: must be >= 1; per_page: ...``."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(
            f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg", "invalid"))
        )
    return "; ".join(parts) or "invalid request"


def link(url: str | None) -> str | None:
    """``url`` if a browser may follow it from our pages (``http`` or ``https``), else None:
    a ``javascript:`` or ``data:`` URL from a crawled page is never a link."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


def create_app(db: str | Path | None = None, parquet: str | Path | None = None) -> FastAPI:
    """Build the app over a DuckDB store file (or a folder of Parquet from the Spark runner)."""
    if parquet is not None:
        root = over_parquet(parquet, serving=True)
    else:
        if db is None or not Path(db).exists():
            raise StoreError(f"no store at {db}: run `newsevents ingest` first")
        root = Store(db, read_only=True, serving=True)
    app = FastAPI(
        title="newsevents",
        version="0.1.0",
        docs_url=None,
        redoc_url=None,
        responses=ERRORS,
        description="Political events from news: stories, timelines, evidence.",
    )
    app.mount("/static/swagger", StaticFiles(directory=str(SWAGGER)), name="swagger")
    app.mount("/static", StaticFiles(directory=str(PKG / "static")), name="static")
    app.state.root, app.state.gate = root, threading.BoundedSemaphore(MAX_CONCURRENT_QUERIES)
    app.state.env = _env()

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        try:
            response: Response = await call_next(request)
        except duckdb.OutOfMemoryException:
            response = respond(
                request,
                "error.html",
                {"error": "the server is busy: try again", "status": 503},
                503,
            )
            response.headers["Retry-After"] = "1"
        except Exception:  # never a bare 500 without this page's headers
            log.exception("%s %s failed", request.method, request.url.path)
            response = respond(
                request, "error.html", {"error": "internal error", "status": 500}, 500
            )
        response.headers["Content-Security-Policy"] = (
            DOCS_CSP if request.url.path == "/docs" else CSP
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.exception_handler(BadRequest)
    async def bad_request(request: Request, exc: BadRequest) -> Response:
        return respond(request, "error.html", {"error": str(exc), "status": 400}, 400)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return respond(
            request, "error.html", {"error": _validation_message(exc), "status": 422}, 422
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = {
            404: f"no page at {request.url.path}",
            405: f"{request.method} is not allowed here",
        }
        data = {"error": message.get(exc.status_code, str(exc.detail)), "status": exc.status_code}
        response = respond(request, "error.html", data, exc.status_code)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(queries.NotFound)
    async def not_found(request: Request, exc: queries.NotFound) -> Response:
        return respond(request, "error.html", {"error": str(exc), "status": 404}, 404)

    app.include_router(router)
    return app

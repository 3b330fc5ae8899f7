"""The web app and JSON API: FastAPI over a read-only store.

Every page has a JSON twin under ``/api`` served by the same handler: the handler builds
one dict (``queries.py``) and renders it as HTML or returns it as JSON. All article text is
escaped by Jinja2 autoescaping (no ``|safe`` anywhere; only the chart's SVG, built from numbers and escaped labels, is marked safe) and every response carries a
Content-Security-Policy that forbids scripts, so text from the news cannot run in the page
(``/docs`` alone runs Swagger UI, from the fastapi-offline package and this server only).
There is no write endpoint.
"""

from __future__ import annotations

import csv
import io
import logging
import threading
from collections.abc import Iterator
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import duckdb
from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsevents.settings import MIN_CONFIDENCE
from newsevents.storage import queries
from newsevents.storage.store import Store, StoreError

from .chart import chart_svg
from .worldmap import LEGEND, map_svg

log = logging.getLogger("newsevents.web")
#: queries run at once; the other requests wait for one to end
MAX_CONCURRENT_QUERIES = 4
#: the last page number a list accepts (page x per_page stays a small offset)
MAX_PAGE = 100_000
CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'"
#: the API docs page alone runs a script: Swagger UI, from the fastapi-offline package (never
#: a CDN), started by our own static/docs.js; it reads /openapi.json and sets inline styles
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'"
)
PKG = resources.files("newsevents") / "web"
SWAGGER = resources.files("fastapi_offline") / "static"


class BadRequest(ValueError):
    pass


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


def _db(request: Request) -> Iterator[Store]:
    """The store for one request: a cursor of its own, closed after it; at most
    ``MAX_CONCURRENT_QUERIES`` at once (the other requests wait their turn), so memory stays
    bounded however many clients there are."""
    root: Store = request.app.state.root
    with request.app.state.gate:
        cur = root.con.cursor()
        try:
            yield Store.attach(cur, root.path)
        finally:
            cur.close()


Db = Annotated[Store, Depends(_db)]


def _date_param(value: str | None, name: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        if len(value) != 10 or value[4] != "-" or value[7] != "-":
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"{name}={value!r} is not a date (YYYY-MM-DD)") from None


def _root(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if not (len(value) == 2 and value.isdigit()):
        raise BadRequest(f"type={value!r} is not a CAMEO root (01..20)")
    return value


def _optional_code(value: str | None, name: str) -> str | None:
    return _code(value, name) if value else None


def _code(value: str, name: str) -> str:
    if not (2 <= len(value) <= 5 and value.isalpha()):
        raise BadRequest(f"{name}={value!r} is not an actor code (e.g. KOR)")
    return value.upper()


class EventFilters:
    """The filters of the events table, its JSON twin and its CSV file (one declaration)."""

    def __init__(
        self,
        a: str | None = Query(None, description="a dyad's first actor (with b; either direction)"),
        b: str | None = Query(None, description="a dyad's second actor"),
        country: str | None = Query(None, description="an actor on either side"),
        type: str | None = Query(None, description="CAMEO root, e.g. 04"),  # noqa: A002
        since: str | None = Query(None, description="event date from, YYYY-MM-DD"),
        until: str | None = Query(None, description="event date to, YYYY-MM-DD"),
        min_confidence: float = Query(
            MIN_CONFIDENCE,
            ge=0,
            le=1,
            description="the least confidence (the timelines' threshold by default)",
        ),
    ) -> None:
        self.a, self.b, self.country, self.type = a, b, country, type
        self.since, self.until, self.min_confidence = since, until, min_confidence

    def condition(self) -> tuple[str, list[Any]]:
        """The WHERE condition and its parameters; a bad value is a 400 that says which."""
        if bool(self.a) != bool(self.b):
            raise BadRequest("a dyad needs both a and b (or use country)")
        return queries.event_filter(
            _optional_code(self.a, "a"),
            _optional_code(self.b, "b"),
            _optional_code(self.country, "country"),
            _root(self.type),
            _date_param(self.since, "since"),
            _date_param(self.until, "until"),
            self.min_confidence,
        )


def create_app(db: str | Path | None = None, parquet: str | Path | None = None) -> FastAPI:
    """Build the app over a DuckDB store file (or a folder of Parquet from the Spark runner)."""
    if parquet is not None:
        root = Store.over_parquet(parquet, serving=True)
    else:
        if db is None or not Path(db).exists():
            raise StoreError(f"no store at {db}: run `newsevents ingest` first")
        root = Store(db, read_only=True, serving=True)
    env = _env()
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

    def respond(
        request: Request, template: str, data: dict[str, Any], status: int = 200
    ) -> Response:
        if request.url.path.startswith("/api"):
            return JSONResponse(data, status_code=status)
        html = env.get_template(template).render(request=request, **data)
        return HTMLResponse(html, status_code=status)

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

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs(request: Request) -> Response:
        """The API's OpenAPI documentation in Swagger UI, served from this server alone."""
        return respond(request, "docs.html", {})

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/api/summary", tags=["api"])
    def home(request: Request, db: Db) -> Response:
        """Countries and dyads with most stories, and store counts."""
        return respond(request, "index.html", queries.summary(db))

    @app.get("/dyad/{a}/{b}", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/api/dyads/{a}/{b}", tags=["api"])
    def dyad(
        request: Request,
        db: Db,
        a: str,
        b: str,
        type: str | None = Query(None, description="CAMEO root, e.g. 04"),  # noqa: A002
        since: str | None = Query(None, description="YYYY-MM-DD"),
        until: str | None = Query(None, description="YYYY-MM-DD"),
        page: int = Query(1, ge=1, le=MAX_PAGE),
        per_page: int = Query(50, ge=1, le=500),
    ) -> Response:
        """Stories between two actors over time, with cooperation/conflict by month."""
        data = queries.dyad_timeline(
            db,
            _code(a, "a"),
            _code(b, "b"),
            _root(type),
            _date_param(since, "since"),
            _date_param(until, "until"),
            page,
            per_page,
        )
        return respond(request, "dyad.html", data)

    @app.get("/map", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/api/map", tags=["api"])
    def world_map(
        request: Request,
        db: Db,
        country: str | None = Query(None, description="an actor on either side, e.g. KOR"),
        type: str | None = Query(None, description="CAMEO root, e.g. 04"),  # noqa: A002
        since: str | None = Query(None, description="YYYY-MM-DD"),
        until: str | None = Query(None, description="YYYY-MM-DD"),
    ) -> Response:
        """Placed stories as points (the place most of their mentions name), with how many
        stories have no place."""
        data = queries.world_map(
            db,
            _optional_code(country, "country"),
            _root(type),
            _date_param(since, "since"),
            _date_param(until, "until"),
        )
        return respond(request, "map.html", data)

    @app.get("/events", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/api/events", tags=["api"])
    def events(
        request: Request,
        db: Db,
        f: Annotated[EventFilters, Depends()],
        page: int = Query(1, ge=1, le=MAX_PAGE),
        per_page: int = Query(50, ge=1, le=500),
    ) -> Response:
        """Event mentions, one row each, with their sentence, article and story; as CSV at
        ``/events.csv`` with the same parameters."""
        cond, params = f.condition()
        data = queries.events(db, cond, params, page, per_page)
        data["filters"] = vars(f)
        data["csv"] = "/events.csv" + (f"?{request.url.query}" if request.url.query else "")
        return respond(request, "events.html", data)

    @app.get("/events.csv", tags=["api"], response_class=StreamingResponse)
    def events_csv(db: Db, f: Annotated[EventFilters, Depends()]) -> Response:
        """Every event mention matching the filters, as a CSV file (a header row, then one row
        each; the table's page and per_page are ignored: the file has every row)."""
        cond, params = f.condition()
        rows = queries.events_rows(db, cond, params)

        def lines() -> Iterator[str]:
            buf = io.StringIO()
            writer = csv.writer(buf)
            for row in [tuple(queries.EVENT_TABLE), *rows]:
                writer.writerow(row)
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()

        return StreamingResponse(
            lines(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="events.csv"'},
        )

    @app.get("/story/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/api/stories/{story_id}", tags=["api"])
    def story(request: Request, db: Db, story_id: str) -> Response:
        """A story with every member mention highlighted in its article's clean text."""
        return respond(request, "story.html", queries.story(db, story_id))

    @app.get("/article/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/api/articles/{article_id}", tags=["api"])
    def article(request: Request, db: Db, article_id: str) -> Response:
        """An article's clean text, its removed spans with their reasons, and its events."""
        return respond(request, "article.html", queries.article(db, article_id))

    @app.get("/actor/{code}", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/api/actors/{code}", tags=["api"])
    def actor(
        request: Request,
        db: Db,
        code: str,
        page: int = Query(1, ge=1, le=MAX_PAGE),
        per_page: int = Query(50, ge=1, le=500),
    ) -> Response:
        """An actor's stories and counterparts."""
        return respond(
            request, "actor.html", queries.actor(db, _code(code, "code"), page, per_page)
        )

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/api/search", tags=["api"])
    def search(
        request: Request,
        db: Db,
        q: str = Query("", max_length=200),
        page: int = Query(1, ge=1, le=MAX_PAGE),
        per_page: int = Query(50, ge=1, le=500),
    ) -> Response:
        """Stories whose summary, evidence sentences or actor names contain the text (``%``
        and ``_`` are plain characters)."""
        if not q.strip():
            if request.url.path.startswith("/api"):
                raise BadRequest("q is empty: give a word to search for")
            return respond(
                request,
                "search.html",
                {"q": "", "stories": [], "page": 1, "per_page": per_page, "more": False},
            )
        return respond(request, "search.html", queries.search(db, q.strip(), page, per_page))

    return app

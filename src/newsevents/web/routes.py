"""The pages and their JSON twins: each handler builds one dict (``storage.queries``) and
``respond`` renders it as HTML, or returns it as JSON under ``/api``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from newsevents.storage import event_queries, queries
from newsevents.web.params import (
    MAX_PAGE,
    BadRequest,
    Db,
    EventFilters,
    code_param,
    date_param,
    optional_code,
    respond,
    root_param,
)

router = APIRouter()


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def docs(request: Request) -> Response:
    """The API's OpenAPI documentation in Swagger UI, served from this server alone."""
    return respond(request, "docs.html", {})


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
@router.get("/api/summary", tags=["api"])
def home(request: Request, db: Db) -> Response:
    """Countries and dyads with most stories, and store counts."""
    return respond(request, "index.html", queries.summary(db))


@router.get("/dyad/{a}/{b}", response_class=HTMLResponse, include_in_schema=False)
@router.get("/api/dyads/{a}/{b}", tags=["api"])
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
        code_param(a, "a"),
        code_param(b, "b"),
        root_param(type),
        date_param(since, "since"),
        date_param(until, "until"),
        page,
        per_page,
    )
    return respond(request, "dyad.html", data)


@router.get("/map", response_class=HTMLResponse, include_in_schema=False)
@router.get("/api/map", tags=["api"])
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
        optional_code(country, "country"),
        root_param(type),
        date_param(since, "since"),
        date_param(until, "until"),
    )
    return respond(request, "map.html", data)


@router.get("/events", response_class=HTMLResponse, include_in_schema=False)
@router.get("/api/events", tags=["api"])
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
    data = event_queries.events(db, cond, params, page, per_page)
    data["filters"] = vars(f)
    data["csv"] = "/events.csv" + (f"?{request.url.query}" if request.url.query else "")
    return respond(request, "events.html", data)


@router.get("/events.csv", tags=["api"], response_class=StreamingResponse)
def events_csv(db: Db, f: Annotated[EventFilters, Depends()]) -> Response:
    """Every event mention matching the filters, as a CSV file (a header row, then one row
    each; the table's page and per_page are ignored: the file has every row)."""
    cond, params = f.condition()
    rows = event_queries.events_rows(db, cond, params)

    def lines() -> Iterator[str]:
        buf = io.StringIO()
        writer = csv.writer(buf)
        for row in [tuple(event_queries.EVENT_TABLE), *rows]:
            writer.writerow(row)
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()

    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="events.csv"'},
    )


@router.get("/story/{story_id}", response_class=HTMLResponse, include_in_schema=False)
@router.get("/api/stories/{story_id}", tags=["api"])
def story(request: Request, db: Db, story_id: str) -> Response:
    """A story with every member mention highlighted in its article's clean text."""
    return respond(request, "story.html", queries.story(db, story_id))


@router.get("/article/{article_id}", response_class=HTMLResponse, include_in_schema=False)
@router.get("/api/articles/{article_id}", tags=["api"])
def article(request: Request, db: Db, article_id: str) -> Response:
    """An article's clean text, its removed spans with their reasons, and its events."""
    return respond(request, "article.html", event_queries.article(db, article_id))


@router.get("/actor/{code}", response_class=HTMLResponse, include_in_schema=False)
@router.get("/api/actors/{code}", tags=["api"])
def actor(
    request: Request,
    db: Db,
    code: str,
    page: int = Query(1, ge=1, le=MAX_PAGE),
    per_page: int = Query(50, ge=1, le=500),
) -> Response:
    """An actor's stories and counterparts."""
    return respond(
        request, "actor.html", queries.actor(db, code_param(code, "code"), page, per_page)
    )


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
@router.get("/api/search", tags=["api"])
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

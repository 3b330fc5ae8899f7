"""What the web's handlers share: the store of a request, its parameters checked (a bad one
is a 400 that says which), the events' filters, and one response as HTML or JSON."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from newsevents.settings import MIN_CONFIDENCE
from newsevents.storage import event_queries
from newsevents.storage.store import Store

#: the last page number a list accepts (page x per_page stays a small offset)
MAX_PAGE = 100_000


class BadRequest(ValueError):
    pass


def respond(request: Request, template: str, data: dict[str, Any], status: int = 200) -> Response:
    """``data`` as JSON under ``/api``, else rendered by ``template`` (the app's templates)."""
    if request.url.path.startswith("/api"):
        return JSONResponse(data, status_code=status)
    html = request.app.state.env.get_template(template).render(request=request, **data)
    return HTMLResponse(html, status_code=status)


def request_store(request: Request) -> Iterator[Store]:
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


Db = Annotated[Store, Depends(request_store)]


def date_param(value: str | None, name: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        if len(value) != 10 or value[4] != "-" or value[7] != "-":
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"{name}={value!r} is not a date (YYYY-MM-DD)") from None


def root_param(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if not (len(value) == 2 and value.isdigit()):
        raise BadRequest(f"type={value!r} is not a CAMEO root (01..20)")
    return value


def optional_code(value: str | None, name: str) -> str | None:
    return code_param(value, name) if value else None


def code_param(value: str, name: str) -> str:
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
        return event_queries.event_filter(
            optional_code(self.a, "a"),
            optional_code(self.b, "b"),
            optional_code(self.country, "country"),
            root_param(self.type),
            date_param(self.since, "since"),
            date_param(self.until, "until"),
            self.min_confidence,
        )

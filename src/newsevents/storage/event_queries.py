"""Read-only queries of event mentions and articles: the events table, its JSON twin and
its CSV file (``EVENT_TABLE``), an article page, and the CLI's ``events`` and ``show``
listings. Stories, timelines, the map, actors and search are in ``storage.queries``."""

from __future__ import annotations

from datetime import date
from typing import Any

from newsevents.storage.queries import NotFound, clean_row, conditions, highlight, iso_value
from newsevents.storage.store import Store, add_date_range


def article(store: Store, article_id: str) -> dict[str, Any]:
    rows = store.query("SELECT * FROM articles WHERE article_id = ?", [article_id])
    if not rows:
        raise NotFound(f"no article {article_id}")
    a = clean_row(rows[0])
    spans = store.removed_spans(article_id)
    events = store.query(
        """SELECT e.event_id, e.event_date, e.date_how, e.cameo, e.cameo_name, e.quad_class,
                  e.source_country, e.source_sector, e.target_country, e.target_sector, e.sentence,
                  e.span_start, e.span_end, e.negated, e.hypothetical, e.confidence, e.place_name,
                  m.story_id
           FROM events e LEFT JOIN story_members m USING (event_id)
           WHERE e.article_id = ? ORDER BY e.span_start, e.event_id""",
        [article_id],
    )
    text = a.get("clean_text") or ""
    segments = highlight(
        text, [(e["span_start"], e["span_end"]) for e in events], [e["event_id"] for e in events]
    )
    return {
        "article": a,
        "removed": spans,
        "events": [clean_row(e) for e in events],
        "segments": segments,
    }


#: the events table's columns, in the page's and the CSV file's order
EVENT_TABLE = [
    "event_id",
    "event_date",
    "date_how",
    "cameo",
    "cameo_name",
    "quad_class",
    "goldstein",
    "source_country",
    "source_sector",
    "source_name",
    "target_country",
    "target_sector",
    "target_name",
    "place_name",
    "place_country",
    "place_lat",
    "place_lon",
    "confidence",
    "negated",
    "hypothetical",
    "sentence",
    "article_id",
    "url",
    "story_id",
]


def event_filter(
    a: str | None,
    b: str | None,
    country: str | None,
    root: str | None,
    since: date | None,
    until: date | None,
    min_confidence: float,
) -> tuple[str, list[Any]]:
    """A parameterized WHERE condition on events ``e``: a dyad in either direction, a country
    on either side, a CAMEO root, event dates, the least confidence; each one optional."""
    return conditions(
        ("e.source_country", "e.target_country"),
        a,
        b,
        country,
        "e.cameo_root",
        root,
        "e.event_date",
        since,
        until,
        ["e.confidence >= ?"],
        [min_confidence],
    )


def _events_sql(cond: str) -> str:
    cols = ", ".join(f"e.{c}" for c in EVENT_TABLE if c not in ("url", "story_id"))
    return f"""SELECT {cols}, a.url, m.story_id
               FROM events e JOIN articles a USING (article_id) LEFT JOIN story_members m USING (event_id)
               WHERE {cond} ORDER BY e.event_date NULLS LAST, e.article_id, e.span_start, e.event_id"""


def events(store: Store, cond: str, params: list[Any], page: int, per_page: int) -> dict[str, Any]:
    """A page of the events matching ``cond``, with how many match in all."""
    total = store.query(f"SELECT count(*) AS n FROM events e WHERE {cond}", params)[0]["n"]
    rows = store.query(
        _events_sql(cond) + " LIMIT ? OFFSET ?", params + [per_page, (page - 1) * per_page]
    )
    return {
        "total": total,
        "page": page,
        "per_page": per_page,
        "more": total > page * per_page,
        "events": [clean_row(r) for r in rows],
    }


def csv_cell(value: Any) -> Any:
    """A value safe in a spreadsheet: text that would start a formula (``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return) gets a leading apostrophe; numbers stay numbers.

    >>> csv_cell("=HYPERLINK(1)"), csv_cell("-2 killed"), csv_cell(-2.0), csv_cell("2020-09-21")
    ("'=HYPERLINK(1)", "'-2 killed", -2.0, '2020-09-21')
    """
    value = iso_value(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def events_rows(store: Store, cond: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Every event matching ``cond`` as rows of ``EVENT_TABLE`` values, for the CSV file."""
    return [tuple(csv_cell(v) for v in r.values()) for r in store.query(_events_sql(cond), params)]


def article_events(store: Store, article_id: str) -> list[dict[str, Any]]:
    """The events of one article, in the order of its text (``newsevents show``)."""
    return store.query(
        "SELECT event_date, cameo, cameo_name, source_country, source_sector, "
        "target_country, target_sector, negated, hypothetical, sentence, confidence, "
        "trigger, pattern FROM events WHERE article_id = ? ORDER BY span_start, event_id",
        [article_id],
    )


def event_rows(
    store: Store,
    *,
    actor: str | None = None,
    country: str | None = None,
    dyad: tuple[str, str] | None = None,
    cameo: str | None = None,
    since: date | None = None,
    until: date | None = None,
    include_unreal: bool = False,
) -> list[dict[str, Any]]:
    """Coded events (``newsevents events``): an actor's name part, a country on either side,
    a dyad either way round, a CAMEO code prefix, a date range; negated and hypothetical
    events only with ``include_unreal``."""
    where, params = ["TRUE"], []
    if not include_unreal:
        where.append("NOT negated AND NOT hypothetical")
    if actor:
        where.append("(source_name ILIKE ? OR target_name ILIKE ?)")
        params += [f"%{actor}%", f"%{actor}%"]
    if country:
        where.append("(source_country = ? OR target_country = ?)")
        params += [country.upper(), country.upper()]
    if dyad:
        where.append(
            "((source_country = ? AND target_country = ?) OR (source_country = ? AND target_country = ?))"
        )
        params += [dyad[0], dyad[1], dyad[1], dyad[0]]
    if cameo:
        where.append("cameo LIKE ?")
        params.append(cameo + "%")
    add_date_range(where, params, "event_date", since, until)
    sql = (
        "SELECT e.event_date AS date, e.cameo, e.cameo_name, "
        "e.source_country || coalesce(e.source_sector, '') AS source, "
        "e.target_country || coalesce(e.target_sector, '') AS target, "
        "e.location, a.source AS outlet, e.sentence, e.article_id, e.date_how, "
        "e.source_name, e.target_name, e.plover, e.quad_class, e.goldstein, e.confidence, "
        "e.negated, e.hypothetical "
        "FROM events e JOIN articles a USING (article_id) WHERE "
        + " AND ".join(where)
        + " ORDER BY e.event_date NULLS LAST, e.article_id, e.span_start, e.event_id"
    )
    return store.query(sql, params)

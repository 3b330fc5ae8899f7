"""Read-only queries behind the web pages, the JSON API and the CLI's listings (one code
path for all): stories, timelines, the map, actors and search here; event mentions and
articles in ``storage.event_queries``.

Every function takes a ``Store`` and plain parameters and returns JSON-ready dicts. All
SQL is parameterized; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from newsevents.coding.kb import actor_names
from newsevents.storage.store import Store, add_date_range
from newsevents.text.dates import SURENESS, date_sureness


class NotFound(LookupError):
    pass


def iso_value(v: Any) -> Any:
    return v.isoformat() if isinstance(v, date) else v


def clean_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: iso_value(v) for k, v in row.items()}


#: how a story's side the text does not place shows in a dyad ("FRA-?")
UNPLACED_LABEL = "?"


def dyad_label(a: str | None, b: str | None) -> str:
    """A story's dyad for a table: ``KOR-RUS``, or ``FRA-?`` for a story of one placed side."""
    return f"{a or UNPLACED_LABEL}-{b or UNPLACED_LABEL}"


def actor_name(code: str | None) -> str | None:
    """A country's or organization's name for its code (``KOR``: "South Korea"), else None."""
    return actor_names().get(code or "")


def summary(store: Store, limit: int = 12) -> dict[str, Any]:
    countries = store.query(
        """SELECT country, count(*) AS stories FROM (
             SELECT actor_a AS country FROM stories UNION ALL SELECT actor_b FROM stories)
           WHERE country IS NOT NULL GROUP BY country ORDER BY stories DESC, country LIMIT ?""",
        [limit],
    )
    dyads = store.query(
        """SELECT actor_a, actor_b, count(*) AS stories, max(story_date) AS latest
           FROM stories WHERE actor_b IS NOT NULL
           GROUP BY actor_a, actor_b ORDER BY stories DESC, actor_a, actor_b LIMIT ?""",
        [limit],
    )
    counts = store.query(
        """SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(*) FROM events) AS events,
                  (SELECT count(*) FROM stories) AS stories, (SELECT count(*) FROM discards) AS discards"""
    )[0]
    return {
        "counts": counts,
        "countries": [{**c, "name": actor_name(c["country"])} for c in countries],
        "dyads": [
            {**clean_row(d), "names": [actor_name(d["actor_a"]), actor_name(d["actor_b"])]}
            for d in dyads
        ],
    }


def dyad_timeline(
    store: Store,
    a: str,
    b: str,
    root: str | None,
    since: date | None,
    until: date | None,
    page: int,
    per_page: int,
) -> dict[str, Any]:
    x, y = sorted((a.upper(), b.upper()))
    cond, params = story_filter(x, y, None, root, since, until)
    counts = store.query(
        f"SELECT count(*) AS n, count(*) FILTER (WHERE story_date IS NULL) AS undated FROM stories WHERE {cond}",
        params,
    )[0]
    total = counts["n"]
    rows = store.query(
        f"""SELECT story_id, story_date, cameo_root, plover, quad_class, goldstein, location, summary,
                   n_articles, n_sources, outlets FROM stories WHERE {cond}
            ORDER BY story_date NULLS LAST, story_id LIMIT ? OFFSET ?""",
        params + [per_page, (page - 1) * per_page],
    )
    chart = store.query(
        f"""SELECT strftime(story_date, '%Y-%m') AS month,
                   count(*) FILTER (WHERE quad_class IN (1, 2)) AS cooperation,
                   count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict,
                   round(avg(goldstein), 2) AS goldstein
            FROM stories WHERE {cond} AND story_date IS NOT NULL GROUP BY month ORDER BY month""",
        params,
    )
    types = store.query(
        "SELECT cameo_root, plover, count(*) AS n FROM stories WHERE actor_a = ? AND actor_b = ? "
        "GROUP BY ALL ORDER BY cameo_root",
        [x, y],
    )
    dates = story_dates(store, [r["story_id"] for r in rows])
    return {
        "dyad": [x, y],
        "names": [actor_name(x), actor_name(y)],
        "filters": {"type": root, "since": iso_value(since), "until": iso_value(until)},
        "page": page,
        "per_page": per_page,
        "total": total,
        "stories": [{**clean_row(r), **_sureness(dates, r["story_id"])} for r in rows],
        "chart": chart,
        "undated": counts["undated"],
        "types": types,
        "map": map_points(store, cond, params),
    }


def conditions(
    sides: tuple[str, str],
    a: str | None,
    b: str | None,
    country: str | None,
    root_column: str,
    root: str | None,
    date_column: str,
    since: date | None,
    until: date | None,
    where: list[str],
    params: list[Any],
) -> tuple[str, list[Any]]:
    """Append the dyad (``a`` and ``b`` on the two ``sides`` columns, either way round), the
    country on either side, the CAMEO root and the date range to a WHERE clause; each optional."""
    x, y = sides
    if a and b:
        where.append(f"(({x} = ? AND {y} = ?) OR ({x} = ? AND {y} = ?))")
        params += [a, b, b, a]
    if country:
        where.append(f"({x} = ? OR {y} = ?)")
        params += [country, country]
    if root:
        where.append(f"{root_column} = ?")
        params.append(root)
    add_date_range(where, params, date_column, since, until)
    return " AND ".join(where), params


def story_filter(
    a: str | None,
    b: str | None,
    country: str | None,
    root: str | None,
    since: date | None,
    until: date | None,
) -> tuple[str, list[Any]]:
    """A parameterized WHERE condition on ``stories``: a dyad, a country on either side, a
    CAMEO root, a date range; each one optional."""
    return conditions(
        ("actor_a", "actor_b"),
        a,
        b,
        country,
        "cameo_root",
        root,
        "story_date",
        since,
        until,
        ["TRUE"],
        [],
    )


def story_dates(store: Store, story_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """How sure each story's date is, and what each member article says of it: its outlet,
    publication date (and how it was found) and the day it gives with its ``date_how`` (of
    its surest mention on the story's day, else of its first). A story's date is as sure as
    the surest mention that gives that day (``text.dates.date_sureness``); ``agree`` counts
    the articles that give it."""
    rows = store.query(
        """SELECT m.story_id, s.story_date, a.article_id, a.source AS outlet, a.published,
                  a.published_how, e.event_date, e.date_how
           FROM story_members m JOIN stories s USING (story_id) JOIN events e USING (event_id)
           JOIN articles a ON a.article_id = e.article_id
           WHERE list_contains(?, m.story_id)
           ORDER BY m.story_id, a.published NULLS LAST, a.article_id, e.span_start""",
        [list(story_ids)],
    )

    def rank(r: dict[str, Any]) -> tuple[bool, int]:
        on_day = r["story_date"] is not None and r["event_date"] == r["story_date"]
        return (not on_day, SURENESS.index(date_sureness(r["date_how"])))

    best: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:  # in each article, the mention that speaks for it
        key = (r["story_id"], r["article_id"])
        if key not in best or rank(r) < rank(best[key]):
            best[key] = r
    out: dict[str, dict[str, Any]] = {}
    for (story_id, _), r in best.items():
        st = out.setdefault(story_id, {"sure": "unknown", "agree": 0, "articles": []})
        st["articles"].append(
            {
                "article_id": r["article_id"],
                "outlet": r["outlet"],
                "published": iso_value(r["published"]),
                "published_how": r["published_how"],
                "date": iso_value(r["event_date"]),
                "date_how": r["date_how"],
            }
        )
        off_day, level = rank(r)
        if not off_day:
            st["agree"] += 1
            st["sure"] = min(st["sure"], SURENESS[level], key=SURENESS.index)
    return out


def _sureness(dates: dict[str, dict[str, Any]], story_id: str) -> dict[str, Any]:
    """How sure a story's date is and how many of its articles give that day."""
    d = dates.get(story_id) or {}
    return {"sure": d.get("sure", "unknown"), "agree": d.get("agree", 0)}


def story_list(store: Store, cond: str, params: list[Any], limit: int) -> list[dict[str, Any]]:
    """Stories matching ``cond`` (``story_filter``), in date order (undated last), each with
    how sure its date is and its member articles (``story_dates``)."""
    rows = store.query(
        f"""SELECT story_id, story_date, cameo_root, plover, actor_a, actor_b, location, summary,
                   n_articles, n_sources, outlets, quad_class, goldstein FROM stories WHERE {cond}
            ORDER BY story_date NULLS LAST, story_id LIMIT ?""",
        params + [limit],
    )
    dates = story_dates(store, [r["story_id"] for r in rows])
    return [
        {
            **clean_row(r),
            **_sureness(dates, r["story_id"]),
            "articles": dates.get(r["story_id"], {}).get("articles", []),
        }
        for r in rows
    ]


#: the most stories a map draws (the ones with most articles)
MAP_LIMIT = 1500


def map_points(
    store: Store, cond: str, params: list[Any], limit: int = MAP_LIMIT
) -> dict[str, Any]:
    """The stories matching ``cond`` at the place most of their placed mentions name (ties:
    the lowest GeoNames id), the ones with most articles first; and how many have no place."""
    rows = store.query(
        f"""WITH chosen AS (SELECT * FROM stories WHERE {cond}),
           placed AS (
             SELECT m.story_id, e.place_id, any_value(e.place_name) AS place_name,
                    any_value(e.place_country) AS place_country, any_value(e.place_lat) AS lat,
                    any_value(e.place_lon) AS lon, count(*) AS n
             FROM story_members m JOIN events e USING (event_id)
             WHERE m.story_id IN (SELECT story_id FROM chosen) AND e.place_lat IS NOT NULL
             GROUP BY m.story_id, e.place_id
             QUALIFY row_number() OVER (PARTITION BY m.story_id ORDER BY n DESC, e.place_id) = 1)
           SELECT s.story_id, s.story_date, s.actor_a, s.actor_b, s.cameo_root, s.quad_class,
                  s.n_articles, s.summary, p.place_name, p.place_country, p.lat, p.lon,
                  count(*) OVER () AS placed, (SELECT count(*) FROM chosen) AS total
           FROM placed p JOIN chosen s USING (story_id)
           ORDER BY s.n_articles DESC, s.story_date NULLS LAST, s.story_id LIMIT ?""",
        params + [limit],
    )
    if rows:
        placed, total = rows[0]["placed"], rows[0]["total"]
    else:
        placed, total = (
            0,
            store.query(f"SELECT count(*) AS n FROM stories WHERE {cond}", params)[0]["n"],
        )
    points = [clean_row({k: v for k, v in r.items() if k not in ("placed", "total")}) for r in rows]
    return {"points": points, "placed": placed, "unplaced": total - placed, "shown": len(rows)}


def world_map(
    store: Store, country: str | None, root: str | None, since: date | None, until: date | None
) -> dict[str, Any]:
    """Every story on the map, or a country's, narrowed by CAMEO root and dates."""
    cond, params = story_filter(None, None, country, root, since, until)
    types = store.query(
        "SELECT cameo_root, plover, count(*) AS n FROM stories GROUP BY ALL ORDER BY cameo_root"
    )
    return {
        "filters": {
            "country": country,
            "type": root,
            "since": iso_value(since),
            "until": iso_value(until),
        },
        "types": types,
        "map": map_points(store, cond, params),
    }


def story(store: Store, story_id: str) -> dict[str, Any]:
    rows = store.query("SELECT * FROM stories WHERE story_id = ?", [story_id])
    if not rows:
        raise NotFound(f"no story {story_id}")
    members = store.query(
        """SELECT e.event_id, e.article_id, e.sentence, e.span_start, e.span_end, e.event_date,
                  e.date_how, e.cameo, e.cameo_name, e.source_name, e.source_country, e.source_sector,
                  e.target_name, e.target_country, e.target_sector, e.location, e.confidence,
                  e.place_id, e.place_name, e.place_country, e.place_lat, e.place_lon, e.place_how,
                  a.source AS outlet, a.title, a.url, a.published, a.published_how, a.clean_text
           FROM story_members m JOIN events e USING (event_id) JOIN articles a ON a.article_id = e.article_id
           WHERE m.story_id = ? ORDER BY a.article_id, e.span_start, e.event_id""",
        [story_id],
    )
    articles: dict[str, dict[str, Any]] = {}
    for m in members:
        art = articles.setdefault(
            m["article_id"],
            {
                "article_id": m["article_id"],
                "outlet": m["outlet"],
                "title": m["title"],
                "url": m["url"],
                "published": iso_value(m["published"]),
                "published_how": m["published_how"],
                "text": m["clean_text"],
                "mentions": [],
            },
        )
        art["mentions"].append(
            {k: iso_value(v) for k, v in m.items() if k not in ("clean_text", "title", "url")}
        )
    for art in articles.values():
        art["segments"] = highlight(
            art["text"], [(x["span_start"], x["span_end"]) for x in art["mentions"]]
        )
    sure = _sureness(story_dates(store, [story_id]), story_id)
    return {"story": {**clean_row(rows[0]), **sure}, "articles": list(articles.values())}


def highlight(
    text: str, spans: list[tuple[int, int]], ids: list[str] | None = None
) -> list[dict[str, Any]]:
    """Split text into segments, marking the given spans (merged when they overlap); with
    ``ids`` (one per span), each marked segment lists the ids of the spans it holds.

    >>> highlight("abcdef", [(1, 3)])
    [{'text': 'a', 'hit': False}, {'text': 'bc', 'hit': True}, {'text': 'def', 'hit': False}]
    >>> [s.get("ids") for s in highlight("abcdef", [(1, 3), (2, 4), (5, 6)], ["x", "y", "z"])]
    [None, ['x', 'y'], None, ['z']]
    """
    merged: list[list[Any]] = []
    for (s, e), i in sorted(
        zip(spans, ids or [None] * len(spans), strict=True), key=lambda t: t[0]
    ):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
            merged[-1][2].append(i)
        else:
            merged.append([s, e, [i]])
    out: list[dict[str, Any]] = []
    pos = 0
    for s, e, held in merged:
        if s > pos:
            out.append({"text": text[pos:s], "hit": False})
        out.append({"text": text[s:e], "hit": True, **({"ids": held} if ids is not None else {})})
        pos = e
    if pos < len(text):
        out.append({"text": text[pos:], "hit": False})
    return out


def actor(store: Store, code: str, page: int, per_page: int) -> dict[str, Any]:
    code = code.upper()
    stories = store.query(
        """SELECT story_id, story_date, actor_a, actor_b, cameo_root, plover, summary, n_sources
           FROM stories WHERE actor_a = ? OR actor_b = ? ORDER BY story_date NULLS LAST, story_id
           LIMIT ? OFFSET ?""",
        [code, code, per_page + 1, (page - 1) * per_page],
    )
    counterparts = store.query(
        """SELECT CASE WHEN actor_a = ? THEN actor_b ELSE actor_a END AS counterpart, count(*) AS stories,
                  sum(CASE WHEN quad_class IN (1, 2) THEN 1 ELSE 0 END) AS cooperation,
                  sum(CASE WHEN quad_class IN (3, 4) THEN 1 ELSE 0 END) AS conflict
           FROM stories WHERE actor_a = ? OR actor_b = ? GROUP BY counterpart ORDER BY stories DESC""",
        [code, code, code],
    )
    if not stories and not counterparts and page == 1:
        raise NotFound(f"no stories for actor {code}")
    counterparts = [{**c, "name": actor_name(c["counterpart"])} for c in counterparts]
    return {
        "actor": code,
        "name": actor_name(code),
        "page": page,
        "per_page": per_page,
        "more": len(stories) > per_page,
        "stories": [clean_row(s) for s in stories[:per_page]],
        "counterparts": counterparts,
    }


def contains_pattern(text: str) -> str:
    r"""An ``ILIKE ... ESCAPE '\'`` pattern matching ``text`` anywhere, its ``%`` and ``_``
    taken literally.

    >>> contains_pattern("50%_off")
    '%50\\%\\_off%'
    """
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search(store: Store, q: str, page: int, per_page: int) -> dict[str, Any]:
    like = contains_pattern(q)
    rows = store.query(
        r"""SELECT DISTINCT s.story_id, s.story_date, s.actor_a, s.actor_b, s.cameo_root, s.summary
           FROM stories s LEFT JOIN story_members m USING (story_id) LEFT JOIN events e USING (event_id)
           WHERE s.summary ILIKE ? ESCAPE '\' OR e.sentence ILIKE ? ESCAPE '\'
              OR e.source_name ILIKE ? ESCAPE '\' OR e.target_name ILIKE ? ESCAPE '\'
           ORDER BY s.story_date NULLS LAST, s.story_id LIMIT ? OFFSET ?""",
        [like, like, like, like, per_page + 1, (page - 1) * per_page],
    )
    return {
        "q": q,
        "page": page,
        "per_page": per_page,
        "more": len(rows) > per_page,
        "stories": [clean_row(r) for r in rows[:per_page]],
    }


# -- the CLI's story listings --------------------------------------------------------------


def is_story_actor(store: Store, x: str) -> bool:
    """Whether ``x`` is, in any case, an actor code of a stored story ("kor" is KOR)."""
    return (
        2 <= len(x) <= 5
        and x.isalnum()
        and bool(
            store.query(
                "SELECT 1 FROM stories WHERE actor_a = ? OR actor_b = ? LIMIT 1",
                [x.upper(), x.upper()],
            )
        )
    )


def known_actor(store: Store, x: str) -> bool:
    """Whether ``x`` is an actor code of a story or part of a coded actor's name."""
    return is_story_actor(store, x) or bool(
        store.query(
            "SELECT 1 FROM events WHERE source_name ILIKE ? OR target_name ILIKE ? LIMIT 1",
            [f"%{x}%", f"%{x}%"],
        )
    )


def story_rows(
    store: Store, a: str, b: str, since: date | None, until: date | None
) -> list[dict[str, Any]]:
    """Stories between two actors: country codes (in any case) match the dyad, other text
    matches the names of the actors of the member events."""
    if is_story_actor(store, a):
        a = a.upper()
    if is_story_actor(store, b):
        b = b.upper()

    def side(x: str) -> tuple[str, list[Any]]:
        if len(x) == 3 and x.isalpha() and x.isupper():
            return "(s.actor_a = ? OR s.actor_b = ?)", [x, x]
        return (
            "EXISTS (SELECT 1 FROM story_members m JOIN events e USING (event_id) "
            "WHERE m.story_id = s.story_id AND (e.source_name ILIKE ? OR e.target_name ILIKE ?))",
            [f"%{x}%", f"%{x}%"],
        )

    wa, pa = side(a)
    wb, pb = side(b)
    where, params = [wa, wb], pa + pb
    if len(a) == 3 and a.isupper() and len(b) == 3 and b.isupper():
        where, params = (
            ["((s.actor_a = ? AND s.actor_b = ?) OR (s.actor_a = ? AND s.actor_b = ?))"],
            [a, b, b, a],
        )
    add_date_range(where, params, "s.story_date", since, until)
    return store.query(
        "SELECT s.story_date AS date, s.cameo_root, s.plover, "
        f"s.actor_a || '-' || coalesce(s.actor_b, '{UNPLACED_LABEL}') AS dyad, "
        "s.location, s.summary, s.n_sources, s.n_articles, s.outlets, s.story_id, s.date_how, "
        "s.quad_class, s.goldstein, s.first_seen FROM stories s WHERE "
        + " AND ".join(where)
        + " ORDER BY s.story_date NULLS LAST, s.story_id",
        params,
    )

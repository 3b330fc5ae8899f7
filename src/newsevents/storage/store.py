"""Store stage: records in a DuckDB file.

Tables (their columns and types: ``storage.schema``):

- ``articles``: one row per distinct clean text (``article_id`` = hash of it), raw and
  clean text, metadata, publication date and how it was found, language;
- ``removed_spans``: what cleaning cut from each article and why;
- ``discards``: inputs that did not become articles, with the reason;
- ``events``: coded event mentions, each with its sentence and span (see ``coding/record.py``).

Writes go through ``Store.write`` in one transaction each: a crash leaves only whole
articles with all their spans and events. Every query is parameterized.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from newsevents import settings
from newsevents.records import Article, Discard, Event
from newsevents.storage.schema import (
    ARTICLES,
    EVENTS,
    PLACE_COLS,
    PLACE_TYPES,
    REMOVED_SPANS,
    STORE_TABLES,
    STORIES,
)

SCHEMA_VERSION = 3

#: the store's tables, created where missing; stores of schema 2 gain the place columns
#: (their events have none until re-coded)
SCHEMA = [
    *(t.ddl() for t in STORE_TABLES),
    *(f"ALTER TABLE events ADD COLUMN IF NOT EXISTS {c} {t}" for c, t in PLACE_TYPES.items()),
]


ARTICLE_COLS = list(ARTICLES.columns)
STORY_COLS = list(STORIES.columns)
SPAN_COLS = list(REMOVED_SPANS.columns)
EVENT_COLS = list(EVENTS.columns)


def add_date_range(
    where: list[str], params: list[Any], column: str, since: date | None, until: date | None
) -> None:
    """Append parameterized ``column`` bounds to a WHERE clause under construction."""
    if since:
        where.append(f"{column} >= ?")
        params.append(since)
    if until:
        where.append(f"{column} <= ?")
        params.append(until)


def reported_by_text(e: Event) -> str | None:
    """The actor an event is reported by, as the ``reported_by`` column keeps it (JSON)."""
    return json.dumps(e.reported_by.__dict__) if e.reported_by else None


def default_db_path() -> str:
    """The store when --db names none (the ``db`` setting, $NEWSEVENTS_DB)."""
    return str(settings.value("db"))


def duckdb_config() -> dict[str, str]:
    """Connection settings of every DuckDB database newsevents opens: a bounded buffer pool
    (the ``duckdb_memory`` setting, 64MB), so memory stays flat however large the data
    grows: its page cache fills up to the limit as a store grows; at 256MB the ingest of
    15,578 articles grew by 60 MB, at 64MB it stayed flat and ran as fast."""
    return {"memory_limit": str(settings.value("duckdb_memory"))}


def serve_reads(con: duckdb.DuckDBPyConnection) -> None:
    """Give a database opened to serve reads its own memory limit (the ``serve_memory``
    setting, 1GB: queries of concurrent requests share it, and ingest's 64MB made one in
    three searches fail at 8 concurrent clients); set on the open database, so another
    connection of this process may still open the file with the common settings."""
    limit = str(settings.value("serve_memory"))
    con.execute(f"SET memory_limit = '{_size(limit)}'")


def _size(value: str) -> str:
    """A memory size as DuckDB reads it ("1GB", "512MB"), checked: it is spliced into SQL."""
    v = value.strip().upper().replace(" ", "")
    if not re.fullmatch(r"\d+(\.\d+)?(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)", v):
        raise StoreError(f"memory size {value!r} is not like 512MB or 1GB")
    return v


class StoreError(RuntimeError):
    """The store cannot be opened or used; the message says what to do."""


class Store:
    """A newsevents DuckDB file."""

    def __init__(self, path: str | Path, read_only: bool = False, serving: bool = False) -> None:
        self.path = str(path)
        if read_only and not Path(self.path).exists():
            raise StoreError(f"no store at {self.path}: run `newsevents ingest` first")
        try:
            self.con = duckdb.connect(self.path, read_only=read_only, config=duckdb_config())
            if serving:
                serve_reads(self.con)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc
        if not read_only:
            for stmt in SCHEMA:
                self.con.execute(stmt)
            self.con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
            )

    @classmethod
    def attach(cls, con: duckdb.DuckDBPyConnection, path: str = "") -> Store:
        """A Store over an existing connection or cursor (one per web request)."""
        store = cls.__new__(cls)
        store.path = path
        store.con = con
        return store

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ----------------------------------------------------------------------

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        if not ids:
            return set()
        rows = self.con.execute(
            "SELECT article_id FROM articles WHERE article_id IN (SELECT unnest(?))", [ids]
        ).fetchall()
        return {r[0] for r in rows}

    def signatures(self) -> list[tuple[str, str | None, str | None, bytes]]:
        """Every stored article's (id, outlet, URL, MinHash signature)."""
        rows = self.con.execute(
            "SELECT a.article_id, a.source, a.url, s.sig FROM articles a JOIN signatures s USING (article_id)"
        ).fetchall()
        return [(r[0], r[1], r[2], bytes(r[3])) for r in rows]

    def unsigned(self) -> list[tuple[str, str | None, str | None, str]]:
        """Stored articles with no signature yet (stored before signatures were kept, or by
        a run stopped between writing them and their signatures): id, outlet, URL, text."""
        return self.con.execute(
            "SELECT article_id, source, url, clean_text FROM articles "
            "WHERE article_id NOT IN (SELECT article_id FROM signatures)"
        ).fetchall()

    def add_signatures(self, rows: Sequence[tuple[str, bytes]]) -> None:
        self._bulk_insert(
            "signatures", ["article_id", "sig"], [list(r) for r in rows], key="article_id"
        )

    def uncoded_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are stored articles never coded (stored by ``ingest --no-code``)."""
        ids = list(ids)
        if not ids:
            return set()
        rows = self.con.execute(
            "SELECT article_id FROM uncoded WHERE article_id IN (SELECT unnest(?))", [ids]
        ).fetchall()
        return {r[0] for r in rows}

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """One transaction: everything written inside it is kept, or nothing (an error or a
        crash inside rolls it all back)."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def write(
        self,
        articles: Sequence[Article],
        discards: Sequence[Discard] = (),
        events: Sequence[Event] = (),
        coded: bool = True,
        unit: str = "",
    ) -> None:
        """Write articles with their spans and events, and discards, in one transaction.
        ``coded``: the articles were coded (an article stored before uncoded is coded now:
        its events are added); False records them as ``uncoded``, for a later run to code.
        ``unit``, the input file (``storage.sink.Sink``), is in each discard's origin."""
        now = datetime.now(UTC).replace(tzinfo=None)
        con = self.con
        art_rows = [
            [
                a.article_id,
                a.origin,
                a.fmt,
                a.source,
                a.url,
                a.title,
                a.published,
                a.published_how,
                a.published_evidence,
                a.language,
                a.raw_text,
                a.clean_text,
                list(a.repairs),
                now,
            ]
            for a in articles
        ]
        with self.atomic():
            stored = self.known_ids(
                a.article_id for a in articles
            )  # coded late: spans kept already
            span_rows = [
                [a.article_id, s.start, s.end, s.reason, s.text]
                for a in articles
                if a.article_id not in stored
                for s in a.removed
            ]
            self._bulk_insert("articles", ARTICLE_COLS, art_rows, key="article_id")
            self._bulk_insert("removed_spans", SPAN_COLS, span_rows)
            self._bulk_insert(
                "discards",
                ["origin", "reason", "detail", "discarded_at"],
                [[d.origin, d.reason, d.detail, now] for d in discards],
                key=("origin", "reason"),
            )
            self._bulk_insert("events", EVENT_COLS, [event_row(e) for e in events], key="event_id")
            ids = [a.article_id for a in articles]
            if ids and coded:
                con.execute("DELETE FROM uncoded WHERE article_id IN (SELECT unnest(?))", [ids])
            elif ids:
                con.execute(
                    "INSERT INTO uncoded SELECT DISTINCT unnest(?) ON CONFLICT DO NOTHING", [ids]
                )

    def _bulk_insert(
        self,
        table: str,
        cols: list[str],
        rows: list[list[Any]],
        key: str | tuple[str, ...] | None = None,
    ) -> None:
        """Insert many rows at once through an Arrow table (much faster than row by row);
        with ``key`` (a column or several), rows whose key is stored or repeated are skipped."""
        if not rows:
            return
        with self._batch(cols, rows):
            sel = ", ".join(cols)
            if key:
                keys = (key,) if isinstance(key, str) else key
                same = " AND ".join(f"t.{k} = b.{k}" for k in keys)
                self.con.execute(
                    f"INSERT INTO {table} ({sel}) SELECT {sel} FROM _batch b "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {same}) "
                    f"QUALIFY row_number() OVER (PARTITION BY {', '.join(f'b.{k}' for k in keys)}) = 1"
                )
            else:
                self.con.execute(f"INSERT INTO {table} ({sel}) SELECT {sel} FROM _batch")

    @contextmanager
    def _batch(self, cols: list[str], rows: list[list[Any]]) -> Iterator[None]:
        """``rows`` as the table ``_batch`` (an Arrow table) for the statements inside."""
        import pyarrow as pa

        self.con.register("_batch", pa.table({c: [r[i] for r in rows] for i, c in enumerate(cols)}))
        try:
            yield
        finally:
            self.con.unregister("_batch")

    # -- reading ----------------------------------------------------------------------

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, list(params))
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    def articles(
        self,
        source: str | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        where, params = ["TRUE"], []
        if source:
            where.append("source ILIKE ?")
            params.append(f"%{source}%")
        add_date_range(where, params, "published", since, until)
        sql = (
            "SELECT article_id, published, published_how, source, language, title, origin, "
            "length(clean_text) AS chars FROM articles WHERE "
            + " AND ".join(where)
            + " ORDER BY published NULLS LAST, origin"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        return self.query(sql, params)

    def article(self, article_id: str) -> dict[str, Any] | None:
        rows = self.query("SELECT * FROM articles WHERE article_id = ?", [article_id])
        if not rows:
            rows = self.query(
                "SELECT * FROM articles WHERE article_id LIKE ? ORDER BY article_id",
                [article_id + "%"],
            )
            if len(rows) != 1:
                return None
        return rows[0]

    def removed_spans(self, article_id: str) -> list[dict[str, Any]]:
        return self.query(
            "SELECT start_char, end_char, reason, text FROM removed_spans WHERE article_id = ? "
            "ORDER BY start_char",
            [article_id],
        )

    def discards(self) -> list[dict[str, Any]]:
        return self.query("SELECT * FROM discards ORDER BY discarded_at, origin")

    def count(self, table: str) -> int:
        if table not in {
            "articles",
            "removed_spans",
            "discards",
            "events",
            "stories",
            "story_members",
            "coverage",
            "signatures",
        }:
            raise ValueError(f"unknown table {table}")
        row = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(row[0]) if row else 0

    def replace_stories(
        self,
        stories: Sequence[Any],
        inferred: dict[str, tuple[date, str]],
        quad: dict[str, tuple[str | None, int, float]],
    ) -> None:
        """Replace all stories and re-infer undated articles' dates, in one transaction."""
        con = self.con
        with self.atomic():
            con.execute("DELETE FROM story_members")
            con.execute("DELETE FROM stories")
            con.execute(
                "UPDATE articles SET published = NULL, published_how = 'none', "
                "published_evidence = '' WHERE published_how = 'inferred'"
            )
            rows, members = [], []
            for s in stories:
                plover, qc, gs = quad.get(s.story_id, (None, 0, 0.0))
                rows.append(
                    [
                        s.story_id,
                        *s.actors,  # a story of one placed side: actor_b NULL
                        s.cameo_root,
                        plover,
                        s.date,
                        s.date_how,
                        s.location,
                        s.summary,
                        s.n_articles,
                        s.n_sources,
                        s.first_seen,
                        list(s.outlets),
                        qc,
                        gs,
                    ]
                )
                members += [[s.story_id, e] for e in s.event_ids]
            self._bulk_insert("stories", STORY_COLS, rows)
            if members:
                with self._batch(["story_id", "event_id"], members):
                    con.execute(
                        "INSERT INTO story_members SELECT b.story_id, b.event_id, e.article_id "
                        "FROM _batch b LEFT JOIN events e USING (event_id)"
                    )
            if inferred:
                with self._batch(
                    ["article_id", "day", "evidence"],
                    [[a, d, f"story {s}"] for a, (d, s) in inferred.items()],
                ):
                    con.execute(
                        "UPDATE articles SET published = b.day, published_how = 'inferred', "
                        "published_evidence = b.evidence FROM _batch b "
                        "WHERE articles.article_id = b.article_id AND articles.published_how = 'none'"
                    )

    def replace_coverage(self, groups: dict[str, str]) -> None:
        """Replace the coverage groups and mark the stories as merged from the events stored
        now (``stories_current``), in one transaction: the last step of the stories stage."""
        with self.atomic():
            self.con.execute("DELETE FROM coverage")
            self._bulk_insert(
                "coverage", ["article_id", "group_id"], [[a, g] for a, g in groups.items()]
            )
            self.con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('stories_of', ?)", [self._events_fingerprint()]
            )

    def _events_fingerprint(self) -> str:
        n, h = self.con.execute(
            "SELECT count(*), coalesce(bit_xor(hash(event_id)), 0) FROM events"
        ).fetchall()[0]
        return f"{n}:{h}"

    def stories_current(self) -> bool:
        """Whether the stories were merged from exactly the events stored now: False after a
        run stopped in the stories step, so that the next run rebuilds them."""
        rows = self.con.execute("SELECT value FROM meta WHERE key = 'stories_of'").fetchall()
        now = self._events_fingerprint()
        return (
            rows[0][0] == now if rows else now.startswith("0:")
        )  # none built: current if no events


def event_row(e: Event) -> list[Any]:
    return [
        e.event_id,
        e.article_id,
        e.sentence,
        e.span[0],
        e.span[1],
        e.date,
        e.date_how,
        e.source.name,
        e.source.country,
        e.source.sector,
        e.target.name if e.target else None,
        e.target.country if e.target else None,
        e.target.sector if e.target else None,
        e.cameo,
        e.cameo[:2],
        e.cameo_name,
        e.plover,
        e.plover_mode,
        e.quad_class,
        e.goldstein,
        e.location,
        list(e.topics),
        e.negated,
        e.hypothetical,
        reported_by_text(e),
        e.confidence,
        e.trigger,
        e.pattern,
        e.source.person,
        e.target.person if e.target else None,
        *place_values(e),
    ]


def place_values(e: Event) -> list[Any]:
    """The ``PLACE_COLS`` of an event, in their order."""
    p = e.place
    if p is None:
        return [None] * len(PLACE_COLS)
    return [p.geonameid, p.name, p.country, p.adm1, p.lat, p.lon, p.feature, e.place_how]

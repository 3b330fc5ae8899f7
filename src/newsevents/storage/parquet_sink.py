"""A batch run's Parquet folder as a ``Sink`` of the ingest loop (``newsevents run``).

Each chunk the loop writes becomes one new Parquet file per folder (``RUN_APPENDS``:
articles, events partitioned by year, discards, removed spans, signatures); nothing is
rewritten. The rows are the store's records flattened (``article_row``, ``event_row``,
``discard_row``); an event row carries its article's outlet and publication date, so the
story pass reads events alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from newsevents.records import Article, Discard, Event
from newsevents.storage.parquet import parquet_source, write_parquet
from newsevents.storage.schema import PLACE_COLS, RUN_APPENDS, RUN_ARTICLES
from newsevents.storage.store import place_values, reported_by_text


def article_row(a: Article) -> dict[str, Any]:
    return {k: getattr(a, k) for k in RUN_ARTICLES.columns}


def event_row(e: Event, outlet: str | None, published: date | None) -> dict[str, Any]:
    return {
        "event_id": e.event_id,
        "article_id": e.article_id,
        "sentence": e.sentence,
        "span_start": e.span[0],
        "span_end": e.span[1],
        "event_date": e.date,
        "date_how": e.date_how,
        "source_name": e.source.name,
        "source_country": e.source.country,
        "source_sector": e.source.sector,
        "source_person": e.source.person,
        "target_name": e.target.name if e.target else None,
        "target_country": e.target.country if e.target else None,
        "target_sector": e.target.sector if e.target else None,
        "target_person": e.target.person if e.target else None,
        "cameo": e.cameo,
        "cameo_name": e.cameo_name,
        "plover": e.plover,
        "plover_mode": e.plover_mode,
        "quad_class": e.quad_class,
        "goldstein": e.goldstein,
        "location": e.location,
        "topics": list(e.topics),
        "negated": e.negated,
        "hypothetical": e.hypothetical,
        "reported_by": reported_by_text(e),
        "confidence": e.confidence,
        "trigger": e.trigger,
        "pattern": e.pattern,
        "outlet": outlet,
        "published": published,
        "event_year": e.date.year if e.date else 0,
        **dict(zip(PLACE_COLS, place_values(e), strict=True)),
    }


def discard_row(d: Discard, input_file: str, when: datetime) -> dict[str, Any]:
    """A discarded input as a row: ``discard_id`` is the same for the same input, origin and
    reason, so an input read again (after a crash) is recorded once."""
    key = f"{d.origin}\x00{d.reason}\x00{d.detail}"
    return {
        "discard_id": hashlib.sha256(key.encode()).hexdigest()[:16],
        "origin": d.origin,
        "input_file": input_file,
        "reason": d.reason,
        "detail": d.detail,
        "discarded_at": when,
    }


def span_rows(articles: Iterable[Article]) -> list[dict[str, Any]]:
    """What cleaning cut from each article, one row a span."""
    return [
        {
            "article_id": a.article_id,
            "start_char": r.start,
            "end_char": r.end,
            "reason": r.reason,
            "text": r.text,
        }
        for a in articles
        for r in a.removed
    ]


def _has_parquet(folder: Path) -> bool:
    return folder.exists() and any(folder.rglob("*.parquet"))


def existing(output: Path, table: str, column: str) -> set[str]:
    """The values of ``column`` in the Parquet folder ``table`` of ``output``."""
    import duckdb

    folder = output / table
    if not _has_parquet(folder):
        return set()
    rows = duckdb.sql(f"SELECT DISTINCT {column} FROM {parquet_source(folder)}").fetchall()
    return {r[0] for r in rows}


#: where a chunk's files are written before they join the output (``ParquetSink._append``)
STAGING = "_staging"
#: the file that says a staged chunk is whole and may be moved into place
COMMITTED = "_COMMITTED"


def finish_staged(output: Path) -> int:
    """Settle what a run that stopped left in ``OUTPUT/_staging``: a chunk whose files were
    all written (its ``_COMMITTED`` file is there) is moved into place, the rest of one
    half-written is dropped, so the output holds whole chunks only (an article with all its
    events, spans and discards, or none of them). The number of chunks moved into place."""
    root = output / STAGING
    moved = 0
    for chunk in sorted(root.iterdir()) if root.is_dir() else ():
        if (chunk / COMMITTED).exists():
            _move_into_place(chunk, output)
            moved += 1
        shutil.rmtree(chunk)
    if root.is_dir() and not any(root.iterdir()):
        root.rmdir()
    return moved


def staged_chunk(output: Path, name: str) -> Path:
    """The folder a chunk named ``name`` is written to before it joins ``output``."""
    return output / STAGING / name


def commit_staged(chunk: Path, output: Path) -> None:
    """Mark the staged ``chunk`` whole, move its files into place under ``output`` and remove
    it (a stop after the mark is finished by the next run: ``finish_staged``)."""
    (chunk / COMMITTED).touch()
    _move_into_place(chunk, output)
    shutil.rmtree(chunk)
    with contextlib.suppress(OSError):  # another chunk's files still there
        chunk.parent.rmdir()


def _move_into_place(chunk: Path, output: Path) -> None:
    """Each Parquet file of a staged chunk to the same place under ``output`` (a file moved
    before a stop is there already)."""
    for f in sorted(chunk.rglob("*.parquet")):
        dest = output / f.relative_to(chunk)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(f, dest)


class ParquetSink:
    """The ``Sink`` over a batch run's output folder: what it holds is read once, when the
    run starts; every chunk written is new files only, whole or not at all: its files are
    written to ``OUTPUT/_staging``, marked whole, then moved into place (a run that stops
    midway leaves a chunk the next run finishes or drops: ``finish_staged``)."""

    def __init__(self, output: Path, holds: bool = True) -> None:
        """``holds``: ``output`` may hold articles already (a run's output folder); False for
        a sink that starts empty and writes no files (``RowsSink``)."""
        self.output = output
        if holds:
            finish_staged(output)
        self.known = existing(output, "articles", "article_id") if holds else set()
        self.known_discards = existing(output, "discards", "discard_id") if holds else set()
        self.run = os.urandom(4).hex()  # file names never collide with an earlier run's
        self.parts = 0
        self.written = {"articles": 0, "events": 0, "discards": 0}

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        return {i for i in ids if i in self.known}

    def uncoded_ids(self, ids: Iterable[str]) -> set[str]:
        return set()  # a run codes every article it writes

    def _read(self, sql: str) -> list[tuple[Any, ...]]:
        import duckdb

        if not _has_parquet(self.output / "articles"):
            return []
        sigs = self.output / "signatures"
        sig_src = (
            parquet_source(sigs, hive=False)
            if _has_parquet(sigs)
            else "(SELECT NULL::VARCHAR AS article_id, NULL::BLOB AS sig WHERE false)"
        )
        arts = parquet_source(self.output / "articles", hive=False)
        return duckdb.sql(sql.format(articles=arts, signatures=sig_src)).fetchall()

    def signatures(self) -> list[tuple[str, str | None, str | None, bytes]]:
        rows = self._read(
            "SELECT a.article_id, a.source, a.url, s.sig FROM {articles} a "
            "JOIN (SELECT DISTINCT ON (article_id) * FROM {signatures}) s USING (article_id)"
        )
        return [(r[0], r[1], r[2], bytes(r[3])) for r in rows]

    def unsigned(self) -> list[tuple[str, str | None, str | None, str]]:
        return [
            (r[0], r[1], r[2], r[3])
            for r in self._read(
                "SELECT article_id, source, url, clean_text FROM {articles} "
                "WHERE article_id NOT IN (SELECT article_id FROM {signatures})"
            )
        ]

    def add_signatures(self, rows: Sequence[tuple[str, bytes]]) -> None:
        self._append({"signatures": [{"article_id": a, "sig": s} for a, s in rows]}, "sigs")

    def write(
        self,
        articles: Sequence[Article],
        discards: Sequence[Discard] = (),
        events: Sequence[Event] = (),
        coded: bool = True,
        unit: str = "",
    ) -> None:
        fresh = [a for a in articles if a.article_id not in self.known]
        by_id = {a.article_id: a for a in fresh}
        now = datetime.now(UTC).replace(tzinfo=None)
        new_discards = []
        for d in discards:
            row = discard_row(d, unit, now)
            if row["discard_id"] not in self.known_discards:
                self.known_discards.add(row["discard_id"])
                new_discards.append(row)
        tables = {
            "articles": [article_row(a) for a in fresh],
            "events": [
                event_row(e, by_id[e.article_id].source, by_id[e.article_id].published)
                for e in events
                if e.article_id in by_id
            ],
            "discards": new_discards,
            "removed_spans": span_rows(fresh),
        }
        self._append(tables, unit)
        self.known |= set(by_id)
        for table in self.written:
            self.written[table] += len(tables[table])

    def _append(self, tables: dict[str, list[dict[str, Any]]], unit: str) -> None:
        """One new file per folder with rows (a unit's files named after it), all written to
        the staging folder, marked whole, then moved into place."""
        self.parts += 1
        name = f"part-{hashlib.sha256(unit.encode()).hexdigest()[:10]}-{self.run}-{self.parts}"
        chunk = staged_chunk(self.output, name)
        for table, rows in tables.items():
            layout, partition = RUN_APPENDS[table]
            write_parquet(rows, layout, chunk / table, name, partition)
        if chunk.exists():  # else no rows at all
            commit_staged(chunk, self.output)


class RowsSink(ParquetSink):
    """A sink that keeps the rows it is given, by folder, instead of writing them: what one
    Spark worker's ingest loop makes of its files (``jobs.spark``), to be written by Spark."""

    def __init__(self) -> None:
        super().__init__(Path(), holds=False)
        self.rows: dict[str, list[dict[str, Any]]] = {t: [] for t in RUN_APPENDS}

    def signatures(self) -> list[tuple[str, str | None, str | None, bytes]]:
        return []

    def unsigned(self) -> list[tuple[str, str | None, str | None, str]]:
        return []

    def _append(self, tables: dict[str, list[dict[str, Any]]], unit: str) -> None:
        for table, rows in tables.items():
            self.rows[table] += rows

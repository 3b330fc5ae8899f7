"""Build and store stories from the events in a store (the merge stage over DuckDB).

``update_stories`` reads the event mentions that happened between two placed actors, one
dyad at a time (so memory follows the largest dyad, not the corpus), merges them into
stories (``merge.py``), replaces the ``stories`` and ``story_members``
tables and infers the publication date of undated articles that joined a dated story.
It is order-independent, so ingesting A then B gives the same stories as A and B together.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterator
from datetime import date
from typing import Any

from newsevents.coding.cameo import Lexicon, default_lexicon
from newsevents.records import NOT_DATING
from newsevents.speed.memory import frozen_heap
from newsevents.storage.store import Store
from newsevents.stories.coverage import ArticleInfo, Groups, coverage_groups
from newsevents.stories.merge import (
    DYAD_ORDER_SQL,
    JOINABLE_SQL,
    Mention,
    Story,
    inferred_dates,
    merge_into_stories,
)

#: an article's publication date as stories read it: none when it dates nothing (NOT_DATING)
PUBLISHED_SQL = (
    f"CASE WHEN {{a}}published_how IN {tuple(NOT_DATING)!r} THEN NULL ELSE {{a}}published END"
)

MENTIONS_SQL = (
    """
SELECT e.event_id, e.article_id, a.source AS outlet,
       """
    + PUBLISHED_SQL.format(a="a.")
    + """ AS published,
       e.event_date, e.source_country, e.target_country, e.source_name, e.target_name,
       e.cameo, e.location, e.sentence, e.confidence, e.date_how,
       a.published_how
FROM events e JOIN articles a USING (article_id)
WHERE """
    + JOINABLE_SQL
    + """
"""
)


def _mention(r: dict) -> Mention:
    return Mention(
        event_id=r["event_id"],
        article_id=r["article_id"],
        outlet=r["outlet"],
        published=r["published"],
        date=r["event_date"],
        source=r["source_country"],
        target=r["target_country"],
        cameo=r["cameo"],
        location=r["location"],
        sentence=r["sentence"],
        confidence=r["confidence"] or 0.0,
    )


def mention_blocks(
    store: Store, chunk: int = 2000
) -> Iterator[tuple[list[Mention], dict[str, str], set[str]]]:
    """The mentions of one dyad at a time, with their articles' texts and the undated ones
    among them: the merge never holds more than one dyad's mentions and texts."""
    cur = store.con.cursor()
    try:
        cur.execute(MENTIONS_SQL + f" ORDER BY {DYAD_ORDER_SQL.format(e='e.')}, e.event_id")
        names = [d[0] for d in cur.description]
        block: list[Mention] = []
        undated: set[str] = set()
        while rows := cur.fetchmany(chunk):
            for row in rows:
                r = dict(zip(names, row, strict=True))
                m = _mention(r)
                if block and m.dyad != block[-1].dyad:
                    yield block, _texts(store, block), undated
                    block, undated = [], set()
                block.append(m)
                if r["published_how"] in ("none", *NOT_DATING):
                    undated.add(m.article_id)
        if block:
            yield block, _texts(store, block), undated
    finally:
        cur.close()


def _texts(store: Store, mentions: list[Mention]) -> dict[str, str]:
    ids = sorted({m.article_id for m in mentions})
    rows = store.query(
        "SELECT article_id, clean_text FROM articles WHERE article_id IN (SELECT unnest(?))", [ids]
    )
    return {r["article_id"]: r["clean_text"] for r in rows}


@frozen_heap()
def update_stories(store: Store, lexicon: Lexicon | None = None) -> list[Story]:
    """Merge every mention into stories, one dyad at a time, and store them; then group
    the articles into coverage groups (computed meanwhile in another process, when there
    are many articles and more than one CPU: ``CoverageJob``)."""
    coverage = CoverageJob.start(store)
    stories: list[Story] = []
    undated: set[str] = set()
    for block, texts, block_undated in mention_blocks(store):
        stories += merge_into_stories(block, texts)
        undated |= block_undated
    stories.sort(key=lambda s: (s.date or date.max, s.dyad, s.story_id))
    lex = lexicon or default_lexicon()
    quad = {}
    for s in stories:
        info = lex.code(s.cameo_root)
        quad[s.story_id] = (info.plover, info.quad_class, info.goldstein)
    store.replace_stories(stories, inferred_dates(stories, undated), quad)
    store.replace_coverage(article_coverage(coverage.groups(), stories))
    return stories


def _coverage_rows(store: Store, chunk: int = 1000) -> Iterator[list[ArticleInfo]]:
    """Articles streamed from the store a chunk at a time (never the whole corpus's text),
    undated first, then by date and id. Only the keys are sorted; the texts are fetched by
    id a chunk at a time (sorting the texts too made DuckDB hold the corpus's text). Reads
    through two connections of its own, made in this call, so that another thread may
    iterate while this one uses the store."""
    keys_cur, texts_cur = store.con.cursor(), store.con.cursor()
    return _chunks_of(keys_cur, texts_cur, chunk)


def _chunks_of(keys_cur: Any, texts_cur: Any, chunk: int) -> Iterator[list[ArticleInfo]]:
    try:
        keys_cur.execute(
            f"SELECT article_id, {PUBLISHED_SQL.format(a='')} AS day "
            "FROM articles WHERE language IN ('en', 'und') "
            "ORDER BY day NULLS FIRST, article_id"  # the order coverage_groups streams in
        )
        while keys := keys_cur.fetchmany(chunk):
            texts = dict(
                texts_cur.execute(
                    "SELECT article_id, clean_text FROM articles WHERE article_id IN (SELECT unnest(?))",
                    [[k[0] for k in keys]],
                ).fetchall()
            )
            yield [
                ArticleInfo(article_id, published, texts[article_id])
                for article_id, published in keys
            ]
    finally:
        keys_cur.close()
        texts_cur.close()


#: Fewer articles than this are grouped in the calling process (a process costs more).
BACKGROUND_MIN = 2_000


class CoverageJob:
    """The coverage groups of the store's articles (``coverage.coverage_groups``), computed in
    a forked process while the caller merges stories, or in the caller when there is one
    CPU or few articles.

    A thread of the caller reads the articles through its own connections and sends them,
    a chunk at a time, to the process, which never touches the store; the groups come back
    at the end. On the benchmark's whole corpus this takes the coverage pass (about 10 s)
    out of the stories step's time. The groups are the same either way
    (``tests/test_stories.py``); should the process fail, the caller computes them itself.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.process: Any = None
        self.conn: Any = None
        self.feeder: threading.Thread | None = None

    @classmethod
    def start(cls, store: Store, min_articles: int | None = None) -> CoverageJob:
        job = cls(store)
        if (os.cpu_count() or 1) < 2 or store.con.execute(
            "SELECT count(*) FROM articles"
        ).fetchall()[0][0] < (min_articles or BACKGROUND_MIN):
            return job
        ctx = multiprocessing.get_context("fork")
        job.conn, child = ctx.Pipe()
        job.process = ctx.Process(target=_coverage_process, args=(child,), daemon=True)
        with frozen_heap():
            job.process.start()  # forked before the reading thread starts
        child.close()
        rows = _coverage_rows(job.store)  # its connections made here, not in the thread
        job.feeder = threading.Thread(target=job._feed, args=(rows,), daemon=True)
        job.feeder.start()
        return job

    def _feed(self, rows: Iterator[list[ArticleInfo]]) -> None:
        try:
            for chunk in rows:
                self.conn.send(chunk)
            self.conn.send(None)
        except (OSError, EOFError, ValueError):  # the process is gone: groups() falls back
            pass

    def groups(self) -> dict[str, str]:
        if self.process is not None:
            try:
                found = self.conn.recv()
                if isinstance(found, dict):
                    return found
            except (OSError, EOFError):
                pass
            finally:
                self._stop()
        return coverage_groups(a for chunk in _coverage_rows(self.store) for a in chunk)

    def _stop(self) -> None:
        # the process first: once it is gone the feeder's sends fail (a broken pipe) and it
        # ends; closing the connection under a feeder still sending raised in its thread
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        if self.feeder is not None:
            self.feeder.join()
        self.conn.close()
        self.process = None


def _coverage_process(conn: Any) -> None:
    """In the forked process: group the articles received, send the groups back."""

    def articles() -> Iterator[ArticleInfo]:
        while (chunk := conn.recv()) is not None:
            yield from chunk

    try:
        conn.send(coverage_groups(articles()))
    except Exception as exc:  # the caller computes the groups itself
        conn.send(repr(exc))
    finally:
        conn.close()


def article_coverage(groups: dict[str, str], stories: list[Story]) -> dict[str, str]:
    """Article → coverage group: articles linked by a shared story (``stories``) or by
    content and date (``groups``, from ``coverage_groups``)."""
    linked = Groups(dict(groups))
    for s in stories:
        ids = [a for a in s.article_ids if a in linked.parent]
        for a in ids[1:]:
            linked.union(ids[0], a)
    return linked.as_dict()

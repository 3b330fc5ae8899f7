"""The batch runner's story pass: every event under OUTPUT merged into stories, one dyad's
mentions at a time, OUTPUT/stories and OUTPUT/inferred_dates rewritten whole, and the
marker (``_stories.json``) that says which event and article files they were merged from,
so that a run with nothing new merges nothing. ``jobs.run`` (local) and ``jobs.spark`` share
it; Spark merges per dyad and window itself and hands its rows to ``rebuild_stories``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import date
from itertools import groupby
from pathlib import Path
from typing import Any, NamedTuple

from newsevents.storage.parquet import parquet_source, write_parquet
from newsevents.storage.schema import RUN_INFERRED, RUN_STORIES, Table
from newsevents.stories.merge import (
    DYAD_ORDER_SQL,
    Mention,
    Story,
    can_join_story,
    merge_into_stories,
)

#: What the stories under OUTPUT were merged from (``fresh_stories``).
STORIES_MARKER = "_stories.json"


def story_row(s: Story) -> dict[str, Any]:
    from newsevents.coding.cameo import default_lexicon

    d = asdict(s)
    d["actor_a"], d["actor_b"] = s.actors
    info = default_lexicon().code(s.cameo_root)  # as ``stories.update_stories`` stores them
    d["plover"], d["quad_class"], d["goldstein"] = info.plover, info.quad_class, info.goldstein
    d["story_date"] = d.pop("date")
    d["event_ids"] = list(s.event_ids)
    d["article_ids"] = list(s.article_ids)
    d["outlets"] = list(s.outlets)
    d.pop("dyad")
    return {k: d[k] for k in RUN_STORIES.columns}


def mention_of(row: dict[str, Any]) -> Mention | None:
    """An event row as a merge mention, or None when it cannot join a story."""
    if not can_join_story(
        row["negated"],
        row["hypothetical"],
        row["date_how"],
        row["confidence"],
        row["source_country"],
        row["target_country"],
    ):
        return None
    s, t = row["source_country"], row["target_country"]
    return Mention(
        event_id=row["event_id"],
        article_id=row["article_id"],
        outlet=row["outlet"],
        published=_as_date(row["published"]),
        date=_as_date(row["event_date"]),
        source=s,
        target=t,
        cameo=row["cameo"],
        location=row["location"],
        sentence=row["sentence"],
        confidence=float(row["confidence"] or 0),
    )


def _as_date(v: Any) -> date | None:
    if v is None:
        return None
    if hasattr(v, "date") and not isinstance(v, date):
        return v.date()
    if isinstance(v, date):
        return v
    try:
        import pandas as pd

        if pd.isna(v):
            return None
    except (ImportError, TypeError, ValueError):
        pass
    return date.fromisoformat(str(v)[:10])


def rebuild_stories(output: Path, merge: Callable[[Path], int] | None = None) -> int:
    """Merge all events under OUTPUT into stories and rewrite OUTPUT/stories (and the dates
    inferred from them, OUTPUT/inferred_dates).

    Locally the events are read through DuckDB in dyad order and merged one dyad at a time
    (inside it, one date window at a time: ``merge.window_sessions``) with the texts of that
    dyad's articles only, so memory follows the busiest dyad, not the corpus. The texts are
    copied once into a scratch DuckDB file under OUTPUT, removed afterwards. ``merge`` merges
    elsewhere (``jobs.spark.spark_stories``) and returns the number of stories."""

    events_dir = output / "events"
    n_stories = (merge or _local_stories)(output) if events_dir.exists() else 0
    _replace_inferred_dates(output)
    _mark_stories(output)
    return n_stories


def _local_stories(output: Path) -> int:
    import tempfile

    import duckdb

    from newsevents.storage.store import duckdb_config

    events_dir, articles_dir = output / "events", output / "articles"
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(dir=output, prefix=".merge-") as scratch:
        con = duckdb.connect(str(Path(scratch) / "merge.duckdb"), config=duckdb_config())
        try:
            con.execute(
                "CREATE TABLE texts AS SELECT article_id, clean_text "
                f"FROM {parquet_source(articles_dir, '*.parquet', hive=False)}"
            )
            for block in _dyad_blocks(con, events_dir):
                texts = dict(
                    con.execute(
                        "SELECT article_id, clean_text FROM texts WHERE article_id IN (SELECT unnest(?))",
                        [sorted({m.article_id for m in block})],
                    ).fetchall()
                )
                rows += [story_row(s) for s in merge_into_stories(block, texts)]
        finally:
            con.close()
    _replace_stories(output, rows)
    return len(rows)


class _StoryDates(NamedTuple):
    story_id: str
    date: date | None
    article_ids: list[str]


def _replace_inferred_dates(output: Path) -> None:
    """Rewrite OUTPUT/inferred_dates: the publication date of each undated article, taken
    from the first dated story it joined, in the order the store takes them
    (``merge.inferred_dates``; ``storage.parquet.over_parquet`` shows them as the articles' dates).
    Article files are never rewritten."""
    import duckdb

    from newsevents.storage.store import duckdb_config
    from newsevents.stories.merge import inferred_dates

    found: dict[str, tuple[date, str]] = {}
    arts, stories = output / "articles", output / "stories"
    if any(arts.glob("*.parquet")) and any(stories.rglob("*.parquet")):
        con = duckdb.connect(":memory:", config=duckdb_config())
        try:
            undated = {
                r[0]
                for r in con.execute(
                    f"SELECT article_id FROM {parquet_source(arts, '*.parquet', hive=False)} WHERE published IS NULL"
                ).fetchall()
            }
            dated = con.execute(
                f"SELECT story_id, story_date, article_ids FROM {parquet_source(stories, hive=False)} "
                "WHERE story_date IS NOT NULL ORDER BY story_date, actor_a, actor_b, story_id"
            )
            found = (
                inferred_dates((_StoryDates(*r) for r in dated.fetchall()), undated)
                if undated
                else {}
            )
        finally:
            con.close()
    rows = [
        {"article_id": a, "published": d, "published_evidence": f"story {s}"}
        for a, (d, s) in sorted(found.items())
    ]
    _replace_folder(output, RUN_INFERRED, rows)


def _parts_fingerprint(output: Path) -> str:
    """Names, sizes and times of every article and event file under ``output``: what the
    stories are merged from."""
    h = hashlib.sha256()
    for table in ("articles", "events"):
        for f in sorted((output / table).rglob("*.parquet")):
            st = f.stat()
            h.update(f"{f.relative_to(output)}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _mark_stories(output: Path) -> None:
    """Record what the stories now under ``output`` were merged from (after they are written,
    so a run that stops before this merges again next time)."""
    count = count_rows(output / "stories")
    marker = output / STORIES_MARKER
    tmp = marker.with_suffix(".tmp")
    tmp.write_text(json.dumps({"parts": _parts_fingerprint(output), "stories": count}))
    tmp.replace(marker)


def fresh_stories(output: Path) -> int | None:
    """The number of stories under ``output`` if they were merged from exactly the article
    and event files there now, else None (merge again)."""
    marker = output / STORIES_MARKER
    try:
        seen = json.loads(marker.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(seen, dict) or seen.get("parts") != _parts_fingerprint(output):
        return None
    count = seen.get("stories")
    return count if isinstance(count, int) else None


def count_rows(folder: Path) -> int:
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(f).metadata.num_rows for f in folder.rglob("*.parquet"))


def _dyad_blocks(con: Any, events_dir: Path, chunk: int = 2000) -> Iterator[list[Mention]]:
    """The mentions under ``events_dir``, one dyad at a time."""
    cur = con.cursor()
    try:
        cur.execute(
            f"SELECT * FROM {parquet_source(events_dir)} "
            f"ORDER BY {DYAD_ORDER_SQL.format(e='')}, event_id"
        )
        names = [d[0] for d in cur.description]
        rows = (row for batch in iter(lambda: cur.fetchmany(chunk), []) for row in batch)
        mentions = (m for row in rows if (m := mention_of(dict(zip(names, row, strict=True)))))
        for _dyad, block in groupby(mentions, key=lambda m: m.dyad):
            yield list(block)
    finally:
        cur.close()


def _replace_stories(output: Path, rows: list[dict]) -> None:
    _replace_folder(output, RUN_STORIES, rows)


def _replace_folder(output: Path, layout: Table, rows: list[dict]) -> None:
    """Rewrite OUTPUT/<the table's name> as one Parquet file of ``rows`` (no folder if there
    are none)."""
    import shutil

    tmp = output / f"{layout.name}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    write_parquet(rows, layout, tmp, "part-0")
    final = output / layout.name
    shutil.rmtree(final, ignore_errors=True)
    if tmp.exists():
        tmp.rename(final)

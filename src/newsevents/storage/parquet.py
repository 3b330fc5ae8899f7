"""The batch runner's Parquet output as a store: the one place a path meets SQL
(``parquet_source``), and ``over_parquet``, a read-only ``Store`` whose tables are views
over the Parquet folders, so that every query of the web app and the CLI runs on it
unchanged (``newsevents serve --parquet OUT``).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from newsevents.storage.schema import Table
from newsevents.storage.store import SCHEMA, Store, StoreError, duckdb_config, serve_reads

#: The tables a batch runner writes as Parquet folders (``Store.over_parquet``), and how a
#: store column the runner does not write is derived from those it does.
PARQUET_TABLES = ("articles", "events", "stories", "discards", "removed_spans")
PARQUET_DERIVED = {
    ("events", "cameo_root"): "left(cameo, 2)",
}


def glob_literal(path: str) -> str:
    """``path`` as a DuckDB glob matching itself alone: each glob character in brackets
    ("out*x" would also read a sibling "outAx", "o[1]" read "o1").

    >>> glob_literal("/data/out*x/o[1]")
    '/data/out[*]x/o[[]1]'
    """
    return "".join(f"[{c}]" if c in "*?[{}" else c for c in path)


def parquet_source(folder: Path, pattern: str = "**/*.parquet", hive: bool = True) -> str:
    """SQL reading the Parquet files of ``folder`` that ``pattern`` matches, the path quoted
    into the text (DDL such as ``CREATE VIEW`` takes no parameters) and its glob characters
    taken literally: the one place a path meets SQL."""
    glob = f"{glob_literal(str(folder))}/{pattern}".replace("'", "''")
    return f"read_parquet('{glob}'{', hive_partitioning = true' if hive else ''})"


def _with_inferred_dates(con: duckdb.DuckDBPyConnection, articles: str, inferred: str) -> str:
    """SQL of the articles where an undated one shows the date inferred from its story, as a
    store shows it (``published_how`` 'inferred', the story as evidence)."""
    have = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {articles}").fetchall()}
    dated = "a.published IS NULL AND i.published IS NOT NULL"
    evidence = "a.published_evidence" if "published_evidence" in have else "NULL"
    replaced = ", ".join(
        c for c in ("published", "published_how", "published_evidence") if c in have
    )
    return (
        f"(SELECT a.* EXCLUDE ({replaced}), coalesce(a.published, i.published) AS published, "
        f"CASE WHEN {dated} THEN 'inferred' ELSE a.published_how END AS published_how, "
        f"CASE WHEN {dated} THEN i.published_evidence ELSE {evidence} END AS published_evidence "
        f"FROM {articles} a LEFT JOIN {inferred} i USING (article_id))"
    )


def over_parquet(folder: str | Path, serving: bool = False) -> Store:
    """A read-only Store over a batch runner's Parquet output (``jobs.run``), in an
    in-memory DuckDB: each table the runner writes becomes a view with the store's
    columns (one the runner does not write is derived where it can be, else NULL), each
    other table is empty, and ``story_members`` is unnested from the stories' event
    ids. Every query of the web app and the CLI runs on it unchanged."""
    root = Path(folder)
    if not root.is_dir() or not any(root.rglob("*.parquet")):
        raise StoreError(f"no Parquet output at {root}: run `newsevents run` first")
    con = duckdb.connect(":memory:", config=duckdb_config())
    if serving:
        serve_reads(con)
    for stmt in SCHEMA:
        con.execute(stmt)
    members: str | None = None  # the stories' source, if they list their events
    for table in PARQUET_TABLES:
        if not any((root / table).rglob("*.parquet")):
            continue
        src = parquet_source(root / table)
        if table == "articles" and any((root / "inferred_dates").rglob("*.parquet")):
            src = _with_inferred_dates(con, src, parquet_source(root / "inferred_dates"))
        have = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()}
        columns = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = ? ORDER BY ordinal_position",
            [table],
        ).fetchall()
        select = ", ".join(
            name
            if name in have
            else f"CAST({PARQUET_DERIVED.get((table, name), 'NULL')} AS {kind}) AS {name}"
            for name, kind in columns
        )
        if table == "stories" and "event_ids" in have:
            members = src
        con.execute(f"DROP TABLE {table}")
        con.execute(f"CREATE VIEW {table} AS SELECT {select} FROM {src}")
    if members is not None:
        con.execute("DROP TABLE story_members")
        con.execute(
            "CREATE VIEW story_members AS SELECT m.story_id, m.event_id, e.article_id FROM "
            f"(SELECT story_id, unnest(event_ids) AS event_id FROM {members}) m "
            "JOIN events e USING (event_id)"
        )
    return Store.attach(con, str(root))


def write_parquet(
    rows: list[dict], layout: Table, folder: Path, name: str, partition: str | None = None
) -> None:
    """``rows`` as one Parquet file ``name`` under ``folder`` with ``layout``'s columns and
    types (Hive-partitioned by ``partition`` when given); nothing when there are none."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not rows:
        return
    columns = layout.columns
    table = pa.Table.from_pylist(
        [{c: r.get(c) for c in columns} for r in rows], schema=layout.arrow()
    )
    if partition:
        pq.write_to_dataset(
            table, str(folder), partition_cols=[partition], basename_template=name + "-{i}.parquet"
        )
    else:
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, str(folder / f"{name}.parquet"))

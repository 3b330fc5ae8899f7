"""Every table's layout is written once (``newsevents.storage.schema``): the store's DuckDB
tables, the Parquet files a batch run writes and the rows Spark reads agree on each column's
type."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from newsevents.storage import schema
from newsevents.storage.store import Store

RUN_TABLES = (*(t for t, _ in schema.RUN_APPENDS.values()), schema.RUN_STORIES, schema.RUN_INFERRED)


def test_a_new_store_has_each_table_as_the_schema_writes_it(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        for table in schema.STORE_TABLES:
            got = store.con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = ? ORDER BY ordinal_position",
                [table.name],
            ).fetchall()
            assert got == [(c, schema.type_of(c)) for c in table.columns], table.name
        keys = dict(
            store.con.execute(
                "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
                "WHERE constraint_type = 'PRIMARY KEY'"
            ).fetchall()
        )
    assert keys == {t.name: list(t.key) for t in schema.STORE_TABLES if t.key}


def test_parquet_and_spark_read_each_column_with_its_one_type(tmp_path: Path) -> None:
    con = duckdb.connect()
    for table in RUN_TABLES:
        arrow = table.arrow()
        assert arrow.names == list(table.columns)
        # a Parquet file written with the table's Arrow schema reads back as the store's types
        empty = pa.Table.from_pylist([], schema=arrow)
        path = tmp_path / f"{table.name}.parquet"
        pq.write_table(empty, path)
        read = {c: t for c, t, *_ in con.execute(f"DESCRIBE SELECT * FROM '{path}'").fetchall()}
        assert read == {c: schema.type_of(c) for c in table.columns}, table.name
        spark = dict(part.split(" ", 1) for part in table.spark().split(", "))
        assert list(spark) == list(table.columns)
    events = dict(p.split(" ", 1) for p in schema.RUN_EVENTS.spark().split(", "))
    assert (events["event_date"], events["topics"], events["place_lat"]) == (
        "date",
        "array<string>",
        "double",
    )
    discards = dict(
        p.split(" ", 1) for p in schema.RUN_DISCARDS.spark(("discarded_at",)).split(", ")
    )
    assert discards["discarded_at"] == "string"  # json.dumps wrote it as text; cast after


def test_a_column_has_one_type_in_every_table_that_holds_it() -> None:
    """What the store derives from a runner's Parquet folder is what the store holds: the
    runner's tables share the store's columns, and name no column the schema cannot type."""
    store_cols = {c for t in schema.STORE_TABLES for c in t.columns}
    run_only = {c for t in RUN_TABLES for c in t.columns} - store_cols
    assert run_only == {
        "discard_id",
        "input_file",
        "outlet",
        "event_year",
        "event_ids",
        "article_ids",
    }
    assert set(schema.TYPES) <= store_cols | run_only
    assert set(schema.RUN_ARTICLES.columns) <= set(schema.ARTICLES.columns)
    # an event row of a run carries its article's publication day
    assert set(schema.RUN_EVENTS.columns) - run_only <= {*schema.EVENTS.columns, "published"}

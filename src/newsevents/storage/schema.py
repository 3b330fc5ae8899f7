"""Every table's layout, once: the DuckDB store's tables and the batch runner's Parquet folders.

A column has one type wherever it appears (``TYPES``, in DuckDB's spelling); a table is its
columns in order and its key (``Table``). From them come the store's ``CREATE TABLE``
statements (``Table.ddl``), the Arrow schema the runner writes Parquet with
(``Table.arrow``) and the schema Spark reads the runner's rows with (``Table.spark``).
An event's columns are the fields of the ``code`` interface (README.md), flattened.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

#: where an event happened (``Event.place``, ``newsevents.places``): column → DuckDB type
PLACE_TYPES = {
    "place_id": "BIGINT",
    "place_name": "VARCHAR",
    "place_country": "VARCHAR",
    "place_adm1": "VARCHAR",
    "place_lat": "DOUBLE",
    "place_lon": "DOUBLE",
    "place_feature": "VARCHAR",
    "place_how": "VARCHAR",
}
PLACE_COLS = list(PLACE_TYPES)

_TEXT = "VARCHAR"
#: each column's type, where it is not text (``VARCHAR``)
TYPES: dict[str, str] = {
    "published": "DATE",
    "event_date": "DATE",
    "story_date": "DATE",
    "first_seen": "DATE",
    "ingested_at": "TIMESTAMP",
    "discarded_at": "TIMESTAMP",
    "repairs": "VARCHAR[]",
    "topics": "VARCHAR[]",
    "outlets": "VARCHAR[]",
    "event_ids": "VARCHAR[]",
    "article_ids": "VARCHAR[]",
    "span_start": "INTEGER",
    "span_end": "INTEGER",
    "start_char": "INTEGER",
    "end_char": "INTEGER",
    "quad_class": "INTEGER",
    "n_articles": "INTEGER",
    "n_sources": "INTEGER",
    "event_year": "INTEGER",
    "goldstein": "DOUBLE",
    "confidence": "DOUBLE",
    "negated": "BOOLEAN",
    "hypothetical": "BOOLEAN",
    "sig": "BLOB",
    **{c: t for c, t in PLACE_TYPES.items() if t != _TEXT},
}

_SPARK = {
    "VARCHAR": "string",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "INTEGER": "int",
    "BIGINT": "bigint",
    "DOUBLE": "double",
    "BOOLEAN": "boolean",
    "VARCHAR[]": "array<string>",
    "BLOB": "binary",
}


def type_of(column: str) -> str:
    """The DuckDB type of ``column``."""
    return TYPES.get(column, _TEXT)


@cache
def _arrow_types() -> dict[str, Any]:
    """Each DuckDB type as Arrow's (pyarrow is imported when a runner first writes)."""
    import pyarrow as pa

    return {
        "VARCHAR": pa.string(),
        "DATE": pa.date32(),
        "TIMESTAMP": pa.timestamp("us"),
        "INTEGER": pa.int32(),
        "BIGINT": pa.int64(),
        "DOUBLE": pa.float64(),
        "BOOLEAN": pa.bool_(),
        "VARCHAR[]": pa.list_(pa.string()),
        "BLOB": pa.binary(),
    }


def arrow_type(column: str) -> Any:
    """The Arrow type of ``column``."""
    return _arrow_types()[type_of(column)]


@dataclass(frozen=True)
class Table:
    """A table's name, its columns in order and its key."""

    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...] = ()

    def ddl(self) -> str:
        """The ``CREATE TABLE IF NOT EXISTS`` statement of this table."""
        parts = [f"{c} {type_of(c)}" for c in self.columns]
        if self.key:
            parts.append(f"PRIMARY KEY ({', '.join(self.key)})")
        return f"CREATE TABLE IF NOT EXISTS {self.name} ({', '.join(parts)})"

    def arrow(self) -> Any:
        """The Arrow schema of this table's Parquet files."""
        import pyarrow as pa

        return pa.schema([(c, arrow_type(c)) for c in self.columns])

    def spark(self, as_text: tuple[str, ...] = ()) -> str:
        """The DDL-style schema Spark reads this table's JSON rows with (``as_text``: columns
        read as text, to be cast after)."""
        return ", ".join(
            f"{c} {'string' if c in as_text else _SPARK[type_of(c)]}" for c in self.columns
        )


# The DuckDB store's tables (``storage.store``)
META = Table("meta", ("key", "value"), ("key",))
ARTICLES = Table(
    "articles",
    (
        "article_id", "origin", "fmt", "source", "url", "title", "published", "published_how",
        "published_evidence", "language", "raw_text", "clean_text", "repairs", "ingested_at",
    ),
    ("article_id",),
)  # fmt: skip
REMOVED_SPANS = Table("removed_spans", ("article_id", "start_char", "end_char", "reason", "text"))
DISCARDS = Table("discards", ("origin", "reason", "detail", "discarded_at"), ("origin", "reason"))
EVENTS = Table(
    "events",
    (
        "event_id", "article_id", "sentence", "span_start", "span_end", "event_date", "date_how",
        "source_name", "source_country", "source_sector",
        "target_name", "target_country", "target_sector",
        "cameo", "cameo_root", "cameo_name", "plover", "plover_mode", "quad_class", "goldstein",
        "location", "topics", "negated", "hypothetical", "reported_by", "confidence",
        "trigger", "pattern", "source_person", "target_person", *PLACE_COLS,
    ),
    ("event_id",),
)  # fmt: skip
STORIES = Table(
    "stories",
    (
        "story_id", "actor_a", "actor_b", "cameo_root", "plover", "story_date", "date_how",
        "location", "summary", "n_articles", "n_sources", "first_seen", "outlets", "quad_class",
        "goldstein",
    ),
    ("story_id",),
)  # fmt: skip
STORY_MEMBERS = Table("story_members", ("story_id", "event_id", "article_id"))
COVERAGE = Table("coverage", ("article_id", "group_id"), ("article_id",))
#: articles stored without coding (`ingest --no-code`): a later run with coding codes them
UNCODED = Table("uncoded", ("article_id",), ("article_id",))
#: each article's MinHash signature (``jobs.near``): a second copy of a stored article in
#: another form is a duplicate
SIGNATURES = Table("signatures", ("article_id", "sig"), ("article_id",))

STORE_TABLES = (
    META, ARTICLES, REMOVED_SPANS, DISCARDS, EVENTS, STORIES, STORY_MEMBERS, COVERAGE, UNCODED,
    SIGNATURES,
)  # fmt: skip

# The batch runner's Parquet folders (``jobs.run``, ``jobs.spark``): what a run appends, with
# the column each folder is partitioned by, and what it rewrites whole
RUN_ARTICLES = Table(
    "articles",
    (
        "article_id", "origin", "fmt", "source", "url", "title", "published", "published_how",
        "published_evidence", "language", "clean_text", "repairs",
    ),
)  # fmt: skip
RUN_EVENTS = Table(
    "events",
    (
        "event_id", "article_id", "sentence", "span_start", "span_end", "event_date", "date_how",
        "source_name", "source_country", "source_sector", "source_person",
        "target_name", "target_country", "target_sector", "target_person",
        "cameo", "cameo_name", "plover", "plover_mode", "quad_class", "goldstein", "location",
        "topics", "negated", "hypothetical", "reported_by", "confidence", "trigger", "pattern",
        "outlet", "published", "event_year", *PLACE_COLS,
    ),
)  # fmt: skip
RUN_DISCARDS = Table(
    "discards", ("discard_id", "origin", "input_file", "reason", "detail", "discarded_at")
)
RUN_STORIES = Table(
    "stories",
    (
        "story_id", "actor_a", "actor_b", "cameo_root", "plover", "quad_class", "goldstein",
        "story_date", "date_how", "location", "summary", "n_articles", "n_sources",
        "first_seen", "outlets", "event_ids", "article_ids",
    ),
)  # fmt: skip
#: publication dates the stories inferred for undated articles
RUN_INFERRED = Table("inferred_dates", ("article_id", "published", "published_evidence"))
#: each folder a run appends to, and the column it is partitioned by
RUN_APPENDS: dict[str, tuple[Table, str | None]] = {
    "articles": (RUN_ARTICLES, None),
    "events": (RUN_EVENTS, "event_year"),
    "discards": (RUN_DISCARDS, None),
    "removed_spans": (REMOVED_SPANS, None),
    "signatures": (SIGNATURES, None),
}

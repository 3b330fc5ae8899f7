"""The Spark engine of the batch runner (``run --engine spark``): the local engine's loop
(``jobs.ingest``) per partition, the same Parquet layout.

Each worker reads and codes its files with the ingest loop into a ``RowsSink``
(``mapInPandas``); of an article read twice the
first file's copy is kept, and copies in another form are found on the driver from the
workers' MinHash signatures, in reading order, by the ingest loop's index (``jobs.near``),
so both engines and ``ingest`` keep the same articles; the merge as a
``groupBy(dyad, window).applyInPandas`` job, keyed by dyad and date window (consecutive event
dates more than ``merge.WINDOW_DAYS`` apart start a new window, computed with Spark window
functions), so a busy dyad's history is merged in many small groups, with the same stories
as merging the whole dyad at once (``merge.window_sessions``).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from newsevents.jobs.near import NearIndex, long_enough, unpack
from newsevents.jobs.run import Manifest, input_files, output_lock, summary
from newsevents.jobs.run_stories import (
    count_rows,
    fresh_stories,
    mention_of,
    rebuild_stories,
    story_row,
)
from newsevents.storage.parquet_sink import ParquetSink, RowsSink, commit_staged, staged_chunk
from newsevents.storage.schema import (
    REMOVED_SPANS,
    RUN_ARTICLES,
    RUN_DISCARDS,
    RUN_EVENTS,
    RUN_STORIES,
)
from newsevents.stories.merge import WINDOW_DAYS, merge_into_stories


def spark_session(master: str) -> Any:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master).appName("newsevents")
    local = re.fullmatch(r"local(?:\[(\d+|\*)(?:,\d+)?\])?", master)
    if local:
        # Spark's default of 200 shuffle partitions is 200 Python tasks for the merge on a
        # laptop; on one machine, two per core (a cluster keeps its own setting)
        cores = local.group(1)
        n = (os.cpu_count() or 1) if cores in (None, "*") else int(cores)
        builder = builder.config("spark.sql.shuffle.partitions", str(2 * max(1, n)))
    return (
        builder.config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")  # no progress bars in a job's log
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )


def _code_partition(batches: Iterator[Any]) -> Iterator[Any]:
    """mapInPandas: file paths in, one JSON row per article, event, discard, removed span and
    signature out (``kind`` names its output folder), each file read by the ingest loop
    (``jobs.ingest``) into a ``RowsSink``."""
    import pandas as pd

    from newsevents.coding.coder import ArticleCoder
    from newsevents.jobs.ingest import ingest

    coder = ArticleCoder()
    for pdf in batches:
        out = []
        for path in pdf["path"]:
            sink = RowsSink()
            ingest([path], sink, coder=coder)
            sigs = {r["article_id"]: r["sig"] for r in sink.rows.pop("signatures")}
            for kind, rows in sink.rows.items():
                out += [
                    {"kind": kind, "path": path, "row": json.dumps(r, default=str)} for r in rows
                ]
            # for the driver's near-duplicate pass: the articles in reading order
            for n, r in enumerate(sink.rows["articles"]):
                row = {
                    "article_id": r["article_id"],
                    "source": r["source"],
                    "url": r["url"],
                    "sig": sigs[r["article_id"]].hex(),
                    "long": long_enough(r["clean_text"]),
                    "n": n,
                }
                out.append({"kind": "signatures", "path": path, "row": json.dumps(row)})
        yield pd.DataFrame(out, columns=["kind", "path", "row"])


def near_copies(held: ParquetSink, signatures: list[tuple[str, str]]) -> tuple[set[str], NearIndex]:
    """The new articles that are copies of a held or earlier one in another form, as the
    ingest loop finds them (``jobs.near``): ``signatures`` are the workers' (path, row)
    signature rows, taken in reading order (files in order, each file's articles in
    order) and ``held`` the output's sink. Also the index, holding the kept articles'
    signatures to write."""
    near = NearIndex.of(held)
    rows = [(path, json.loads(row)) for path, row in signatures]
    seen: set[str] = set()  # the new articles read so far
    copies: set[str] = set()
    for _path, r in sorted(rows, key=lambda pr: (pr[0], pr[1]["n"])):
        if r["article_id"] in seen or r["article_id"] in held.known:
            continue  # a repeat of a held or earlier article: one article
        seen.add(r["article_id"])
        outlet = (r["source"], r["url"])
        if near.copy_of(r["article_id"], outlet, unpack(bytes.fromhex(r["sig"])), r["long"]):
            copies.add(r["article_id"])
    return copies, near


def _mentions_only(batches: Iterator[Any]) -> Iterator[Any]:
    """mapInPandas: keep the event rows that can join a story (``mention_of``)."""
    for pdf in batches:
        yield pdf[[mention_of(r) is not None for r in pdf.to_dict("records")]]


def _merge_group(pdf: Any) -> Any:
    """applyInPandas over one dyad and date window: the mentions and their articles' texts
    → stories."""
    import pandas as pd

    mentions = [m for r in pdf.to_dict("records") if (m := mention_of(r))]
    texts = dict(zip(pdf["article_id"], pdf["clean_text"], strict=True))
    rows = [story_row(s) for s in merge_into_stories(mentions, texts)]
    return pd.DataFrame([{"row": json.dumps(r, default=str)} for r in rows], columns=["row"])


ARTICLE_SCHEMA = RUN_ARTICLES.spark()
SPAN_SCHEMA = REMOVED_SPANS.spark()
EVENT_SCHEMA = RUN_EVENTS.spark()
STORY_SCHEMA = RUN_STORIES.spark()
#: discarded_at is read as text and cast (``F.to_timestamp``), as ``json.dumps`` wrote it
DISCARD_SCHEMA = RUN_DISCARDS.spark(as_text=("discarded_at",))


def spark_stories(spark: Any, output: Path) -> int:
    from pyspark.sql import Window
    from pyspark.sql import functions as F  # noqa: N812

    ev = spark.read.option("basePath", str(output / "events")).parquet(str(output / "events"))
    arts = spark.read.parquet(str(output / "articles")).select("article_id", "clean_text")
    # only the events that can join a story (mention_of, the local engine's own test)
    # an unplaced side as merge.UNPLACED, as merge.DYAD_ORDER_SQL orders them
    sides = [F.coalesce(c, F.lit("")) for c in ("source_country", "target_country")]
    mentions = ev.mapInPandas(_mentions_only, schema=ev.schema).withColumn(
        "dyad",
        F.concat_ws(
            "-",
            F.least(*sides),
            F.greatest(*sides),
        ),
    )
    # the date window below the dyad (merge.window_sessions): consecutive dates more than
    # WINDOW_DAYS apart start a new window; a dyad with an undated mention is one window
    by_date = Window.partitionBy("dyad").orderBy("event_date")
    gap = F.datediff("event_date", F.lag("event_date").over(by_date)) > WINDOW_DAYS
    undated = F.max(F.col("event_date").isNull().cast("int")).over(Window.partitionBy("dyad"))
    mentions = mentions.withColumn("_cut", F.coalesce(gap.cast("int"), F.lit(0))).withColumn(
        "window",
        F.when(undated == 1, F.lit(-1)).otherwise(
            F.sum("_cut").over(by_date.rowsBetween(Window.unboundedPreceding, Window.currentRow))
        ),
    )
    joined = mentions.join(arts, "article_id", "left")
    cols = [c for c in joined.columns if c not in ("event_year", "_cut")]
    stories = (
        joined.select(*cols)
        .groupBy("dyad", "window")
        .applyInPandas(_merge_group, schema="row string")
        .select(F.from_json("row", STORY_SCHEMA).alias("s"))
        .select("s.*")
    )
    tmp = output / "stories.tmp"
    stories.coalesce(1).write.mode("overwrite").parquet(str(tmp))
    import shutil

    shutil.rmtree(output / "stories", ignore_errors=True)
    tmp.rename(output / "stories")
    return count_rows(output / "stories")


def run_spark(inputs: list[str], output: Path, master: str = "local[2]") -> dict[str, int]:
    """Read and code the new input files per Spark partition, append Parquet, re-merge
    stories. ``RunnerBusy`` if another run is writing ``output``."""
    with output_lock(output):
        return _run_spark(inputs, output, master)


def _run_spark(inputs: list[str], output: Path, master: str) -> dict[str, int]:
    manifest = Manifest(output)
    files = manifest.new_files(input_files(inputs))
    if not files and (n_stories := fresh_stories(output)) is not None:
        return summary(0, 0, 0, 0, n_stories)
    spark = spark_session(master)
    try:
        n_art = n_ev = n_disc = 0
        if files:
            n_art, n_ev, n_disc = _code_files(spark, files, output)
            manifest.mark(files)
        n_stories = rebuild_stories(output, merge=partial(spark_stories, spark))
    finally:
        spark.stop()
    return summary(len(files), n_art, n_ev, n_disc, n_stories)


def _code_files(spark: Any, files: list[str], output: Path) -> tuple[int, int, int]:
    """Code ``files`` in Spark's workers and add what is new to ``output``, staged and
    committed whole; the numbers of new articles, events and discards."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F  # noqa: N812

    paths = spark.createDataFrame([(f,) for f in files], "path string").repartition(
        max(1, min(len(files), spark.sparkContext.defaultParallelism))
    )
    coded = paths.mapInPandas(_code_partition, schema="kind string, path string, row string")
    coded = coded.cache()

    def rows(kind: str, schema: str, key: str, table: str | None) -> Any:
        """The rows of one kind: parsed, one per key (the first file's, as the ingest loop
        keeps the first it reads), none already in ``table``."""
        first = Window.partitionBy(F.col(f"r.{key}")).orderBy("path")
        df = (
            coded.filter(F.col("kind") == kind)
            .select("path", F.from_json("row", schema).alias("r"))
            .withColumn("_first", F.row_number().over(first))
            .filter(F.col("_first") == 1)
            .select("r.*")
        )
        if table is not None and any((output / table).rglob("*.parquet")):
            df = df.join(spark.read.parquet(str(output / table)).select(key), key, "left_anti")
        return df

    signatures = coded.filter(F.col("kind") == "signatures").select("path", "row")
    held = ParquetSink(output)
    copies, near = near_copies(held, [(r[0], r[1]) for r in signatures.collect()])
    arts = rows("articles", ARTICLE_SCHEMA, "article_id", "articles")
    if copies:
        arts = arts.join(
            spark.createDataFrame([(c,) for c in sorted(copies)], "article_id string"),
            "article_id",
            "left_anti",
        )
    arts = arts.cache()
    # an event is new with its article
    events = rows("events", EVENT_SCHEMA, "event_id", None).join(
        arts.select("article_id"), "article_id", "left_semi"
    )
    # an article's spans are those of the file it was kept from (two forms of one text may
    # have had different parts cut)
    kept_from = (
        coded.filter(F.col("kind") == "articles")
        .select("path", F.get_json_object("row", "$.article_id").alias("article_id"))
        .groupBy("article_id")
        .agg(F.min("path").alias("path"))
        .join(arts.select("article_id"), "article_id", "left_semi")
    )
    spans = (
        coded.filter(F.col("kind") == "removed_spans")
        .select("path", F.from_json("row", SPAN_SCHEMA).alias("r"))
        .select("path", "r.*")
        .join(kept_from, ["article_id", "path"], "left_semi")
        .drop("path")
        .dropDuplicates()
    )
    discards = rows("discards", DISCARD_SCHEMA, "discard_id", "discards").withColumn(
        "discarded_at", F.to_timestamp("discarded_at")
    )
    counts = arts.count(), events.count(), discards.count()
    # written whole or not at all: staged, marked whole, moved into place
    chunk = staged_chunk(output, f"spark-{os.urandom(4).hex()}")
    arts.write.parquet(str(chunk / "articles"))
    events.write.partitionBy("event_year").parquet(str(chunk / "events"))
    spans.write.parquet(str(chunk / "removed_spans"))
    if counts[2]:
        discards.write.parquet(str(chunk / "discards"))
    commit_staged(chunk, output)
    held.add_signatures(near.unsaved({r[0] for r in arts.select("article_id").collect()}))
    return counts

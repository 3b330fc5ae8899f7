"""Batch runners that write Parquet: the local engine and Apache Spark.

Both run the ingest loop (``jobs.ingest``: read, clean, date, deduplicate, code) and the
same merge (``merge_into_stories``) and write the same partitioned Parquet layout:

    OUTPUT/articles/part-*.parquet
    OUTPUT/events/event_year=YYYY/part-*.parquet
    OUTPUT/stories/part-*.parquet   (rewritten on each run: stories change as articles arrive)
    OUTPUT/discards/part-*.parquet  (inputs that did not become articles, with the reason)
    OUTPUT/removed_spans/part-*.parquet (what cleaning cut from each article, and why)
    OUTPUT/signatures/part-*.parquet (each article's MinHash signature: copies in another form)
    OUTPUT/inferred_dates/part-0.parquet (undated articles dated by their story; rewritten)
    OUTPUT/_manifest.json           (input files already processed, with size and mtime)
    OUTPUT/_stories.json            (the article and event files the stories were merged from)
    OUTPUT/_lock                    (held while a run writes: a second run at once is refused)
    OUTPUT/_staging/                (a chunk's files before they join the folders above, whole:
                                     one a run that stopped left is finished or dropped by
                                     the next, ``parquet_sink.finish_staged``)

This module is the local engine, which is the ingest loop (``jobs.ingest``) writing to a
``ParquetSink``, and what both engines share (input files, manifest, lock); the story pass
both run is ``jobs.run_stories``, the Spark engine ``jobs.spark`` (each worker runs the same
loop into a ``RowsSink``).
A second run over the same input adds nothing; a run over new files adds only them. A run
with no new file and stories merged from the files now under OUTPUT returns at once: it loads
no model, starts no Spark session and merges nothing (a run that stopped between writing
events and merging stories merges them at the next run). Two runs into one OUTPUT at once
(a nightly job that overran into the next) would code the same files twice: the second is
refused with ``RunnerBusy`` while the first holds ``OUTPUT/_lock``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from newsevents.jobs.run_stories import fresh_stories, rebuild_stories
from newsevents.storage.parquet_sink import (
    ParquetSink,
)
from newsevents.text.formats import origin_of
from newsevents.text.read import iter_files, kind_of


class RunnerBusy(RuntimeError):
    """Another run is writing the same output folder."""


@contextlib.contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold ``OUTPUT/_lock`` (an exclusive ``flock``, released by the system if the process
    dies) while a run writes ``output``; ``RunnerBusy`` if another process holds it."""
    output.mkdir(parents=True, exist_ok=True)
    with open(output / "_lock", "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise RunnerBusy(
                f"{output} is being written by another run ({holder}); wait for it to end"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        try:
            yield
        finally:
            fh.truncate(0)
            fcntl.flock(fh, fcntl.LOCK_UN)


def input_files(inputs: Iterable[str]) -> list[str]:
    files: list[str] = []
    for p in inputs:
        path = Path(p)
        candidates = iter_files(path) if path.is_dir() else [path]
        files += [str(f) for f in candidates if kind_of(f) is not None]
    return sorted(files)


def _fingerprint(path: str) -> str:
    st = os.stat(path)
    return hashlib.sha256(
        f"{os.path.abspath(path)}|{st.st_size}|{st.st_mtime_ns}".encode()
    ).hexdigest()[:16]


class Manifest:
    def __init__(self, output: Path) -> None:
        self.path = output / "_manifest.json"
        self.done: dict[str, str] = json.loads(self.path.read_text()) if self.path.exists() else {}

    def new_files(self, files: list[str]) -> list[str]:
        return [f for f in files if self.done.get(f) != _fingerprint(f)]

    def mark(self, files: list[str]) -> None:
        for f in files:
            self.done[f] = _fingerprint(f)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.done, indent=1, sort_keys=True))
        tmp.replace(self.path)  # atomic: a crash leaves the old manifest


def run_local(
    inputs: list[str], output: Path, coder: Any = None, workers: int = 1
) -> dict[str, int]:
    """Read and code the new input files, append Parquet, re-merge stories.

    ``coder`` is an ``ArticleCoder`` to use; without one, a coder with ``workers``
    processes is made (and closed) only if there is a new file to code. ``RunnerBusy`` if
    another run is writing ``output``."""
    with output_lock(output):
        return _run_local(inputs, output, coder, workers)


def _run_local(inputs: list[str], output: Path, coder: Any, workers: int) -> dict[str, int]:
    manifest = Manifest(output)
    files = manifest.new_files(input_files(inputs))
    if not files and (n_stories := fresh_stories(output)) is not None:
        return summary(0, 0, 0, 0, n_stories)
    counts = (0, 0, 0)
    if files and coder is not None:
        counts = _code_files(files, output, manifest, coder)
    elif files:
        from newsevents.coding.coder import ArticleCoder

        own = ArticleCoder(n_process=workers)
        try:
            counts = _code_files(files, output, manifest, own)
        finally:
            own.close()
    return summary(len(files), *counts, rebuild_stories(output))


def summary(files: int, articles: int, events: int, discarded: int, stories: int) -> dict[str, int]:
    """What a run did: input files read, new articles, events and discards, and the stories
    now under the output."""
    return {
        "files": files,
        "articles": articles,
        "discarded": discarded,
        "events": events,
        "stories": stories,
    }


def _code_files(
    files: list[str], output: Path, manifest: Manifest, coder: Any
) -> tuple[int, int, int]:
    """Code ``files`` into new Parquet files under ``output`` by the ingest loop
    (``jobs.ingest``, the ``ParquetSink``), marking each file done in the manifest once all
    its chunks are written; the numbers of new articles, events and discards."""
    from newsevents.jobs.ingest import ingest

    sink = ParquetSink(output)
    by_unit = {origin_of(f): f for f in files}
    ingest(files, sink, coder=coder, on_written=lambda unit: manifest.mark([by_unit[unit]]))
    return sink.written["articles"], sink.written["events"], sink.written["discards"]

"""Where the ingest loop (``jobs.ingest``) writes: a ``Sink``.

Two sinks take the same articles, discards and events: the DuckDB store
(``storage.store.Store``, written by ``newsevents ingest``) and a batch run's Parquet folder
(``storage.parquet_sink.ParquetSink``, written by ``newsevents run``). The loop asks a sink
which articles it holds already (a repeat is a duplicate), which it holds uncoded (coded
now), and the MinHash signatures of what it holds (``jobs.near``: a copy of a held article
in another form is a duplicate), then writes each chunk in one call. So both commands read,
clean, date, deduplicate and code in one place and store the same records.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from newsevents.records import Article, Discard, Event


class Sink(Protocol):
    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are articles held already."""
        ...

    def uncoded_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are held articles never coded (to code now)."""
        ...

    def signatures(self) -> list[tuple[str, str | None, str | None, bytes]]:
        """Every held article's (id, outlet, URL, packed MinHash signature)."""
        ...

    def unsigned(self) -> list[tuple[str, str | None, str | None, str]]:
        """Held articles with no signature yet: (id, outlet, URL, clean text)."""
        ...

    def add_signatures(self, rows: Sequence[tuple[str, bytes]]) -> None:
        """Keep the signatures (article id, packed signature) of held articles."""
        ...

    def write(
        self,
        articles: Sequence[Article],
        discards: Sequence[Discard] = (),
        events: Sequence[Event] = (),
        coded: bool = True,
        unit: str = "",
    ) -> None:
        """Write one chunk of input ``unit`` (a file): its new articles with their removed
        spans and events, and its discards, as one step."""
        ...

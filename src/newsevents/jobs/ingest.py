"""The ingest loop: read → clean → date → language (``text.article``) → duplicates → code →
a sink (``storage.sink``: the DuckDB store for ``newsevents ingest``, a Parquet folder for
``newsevents run``).

``ingest`` runs the whole chain over paths and writes each file (or chunk) in one step.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from newsevents.jobs.near import NearIndex
from newsevents.records import Article, Discard, Event
from newsevents.speed.memory import PeriodicRelease, frozen_heap, release_free_memory
from newsevents.storage.sink import Sink
from newsevents.text.article import build_article
from newsevents.text.formats import DEFAULT_MAX_BYTES, Item
from newsevents.text.read import read_paths

#: Articles per transaction inside one large file (each article is always whole); also
#: the unit the coder works on, so it bounds the memory a run needs.
CHUNK = 200
#: Chunks stored between two hand-backs of free memory to the system (``PeriodicRelease``).
RELEASE_EVERY_CHUNKS = 5

Coder = Callable[[Sequence[Article]], list[Event]]


@dataclass
class IngestSummary:
    read: int = 0
    new: int = 0
    duplicate: int = 0
    #: of the duplicates, copies of a stored or earlier article in another form (``jobs.near``)
    near_duplicate: int = 0
    #: articles stored before without coding (``--no-code``), coded by this run
    coded_late: int = 0
    events: int = 0
    discarded: Counter[str] = field(default_factory=Counter)

    @property
    def n_discarded(self) -> int:
        return sum(self.discarded.values())

    def lines(self, coded: bool = True, stories: int | None = None) -> list[str]:
        """What an ingest did, as ``newsevents ingest`` prints it ("read 16, new 16, ...",
        then a line per discard reason); ``coded``: events were coded, ``stories``: the
        stories after merging, if merged."""
        near = f" ({self.near_duplicate} a stored article in another form)"
        parts = [
            f"read {self.read}",
            f"new {self.new}",
            f"duplicate {self.duplicate}" + (near if self.near_duplicate else ""),
            *([f"coded {self.coded_late} stored before uncoded"] if self.coded_late else []),
            f"discarded {self.n_discarded}",
            *([f"events {self.events}"] if coded else []),
            *([f"stories {stories}"] if stories is not None else []),
        ]
        return [
            ", ".join(parts),
            *(f"  discarded {n} as {reason}" for reason, n in sorted(self.discarded.items())),
        ]

    def as_dict(self) -> dict[str, object]:
        return {
            "read": self.read,
            "new": self.new,
            "duplicate": self.duplicate,
            "near_duplicate": self.near_duplicate,
            "coded_late": self.coded_late,
            "events": self.events,
            "discarded": dict(self.discarded),
        }


@frozen_heap()  # the model and the knowledge base: no garbage to look for there
def ingest(
    paths: Iterable[str],
    sink: Sink,
    coder: Coder | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_item: Callable[[str], None] | None = None,
    on_written: Callable[[str], None] | None = None,
) -> IngestSummary:
    """Read, clean, date, code and write every document under ``paths`` to ``sink`` (the
    DuckDB store, or a batch run's Parquet folder: ``storage.sink``).

    Each input file (or each ``CHUNK`` articles of a large feed) is written in one step. An
    article whose id is already held counts as a duplicate, as does a copy of a held or
    earlier article in another form (``jobs.near``). ``on_written(unit)`` is called once
    every item of the input file ``unit`` has been written.
    """
    run = _Run(sink, coder, on_written)
    current_unit: str | None = None
    for unit, item in read_paths(paths, max_bytes=max_bytes):
        if unit != current_unit:
            run.flush()
            if current_unit is not None:
                run.end(current_unit)
            current_unit = run.unit = unit
        if on_item is not None:
            on_item(unit)
        run.take(item)
    run.flush()
    if current_unit is not None:
        run.end(current_unit)
    run.land()
    release_free_memory()
    return run.summary


@dataclass
class _Chunk:
    """A chunk on its way to the sink: its new articles, its discards, how to get its events
    (they may still be coded in the workers), how many of its articles were stored before
    without coding, its input file, and the files it is the last chunk of."""

    fresh: list[Article]
    dropped: list[Discard]
    wait: Callable[[], list[Event]]
    late: int
    unit: str
    ends: list[str] = field(default_factory=list)


class _Run:
    """One ingest's state: the chunk being read, the chunks being coded, what was seen."""

    def __init__(
        self, sink: Sink, coder: Coder | None, on_written: Callable[[str], None] | None
    ) -> None:
        self.sink = sink
        self.coder = coder
        self.on_written = on_written
        self.summary = IngestSummary()
        self.unit = ""
        self.pending: list[Article] = []
        self.discards: list[Discard] = []
        # ids read and not stored yet (pending or in flight): a repeat of a stored article is
        # found by ``sink.known_ids``, so the set stays as small as two chunks
        self.seen: set[str] = set()
        # a coder with ``submit`` (ArticleCoder) codes a chunk in its worker processes while
        # the next chunk is read and cleaned here; chunks are still written one at a time, in
        # order, each in its own transaction
        self.submit = getattr(coder, "submit", None)
        self.in_flight: list[_Chunk] = []
        self.release = PeriodicRelease(RELEASE_EVERY_CHUNKS)
        self.near: NearIndex | None = None  # loaded when the first new article needs it

    def take(self, item: Item) -> None:
        """One read item: a discard, or a document that becomes an article or a discard."""
        if isinstance(item, Discard):
            self.summary.discarded[item.reason] += 1
            self.discards.append(item)
            return
        self.summary.read += 1
        built = build_article(item)
        if isinstance(built, Discard):
            self.summary.discarded[built.reason] += 1
            self.discards.append(built)
            return
        if built.article_id in self.seen:
            self.summary.duplicate += 1
            return
        self.seen.add(built.article_id)
        self.pending.append(built)
        if len(self.pending) >= CHUNK:
            self.flush()

    def end(self, unit: str) -> None:
        """Every item of ``unit`` is read: tell ``on_written`` once its last chunk is written."""
        if self.on_written is None:
            return
        if self.in_flight:
            self.in_flight[-1].ends.append(unit)
        else:
            self.on_written(unit)

    def land(self) -> None:
        """Write the chunks in flight, in order, each in its own transaction."""
        for chunk in self.in_flight:
            events = chunk.wait()
            fresh = chunk.fresh
            self.sink.write(
                fresh, chunk.dropped, events, coded=self.coder is not None, unit=chunk.unit
            )
            if self.near is not None:
                self.sink.add_signatures(self.near.unsaved({a.article_id for a in fresh}))
            self.seen.difference_update(a.article_id for a in fresh)
            self.summary.new += len(fresh) - chunk.late
            self.summary.coded_late += chunk.late
            self.summary.events += len(events)
            for unit in chunk.ends:
                if self.on_written is not None:
                    self.on_written(unit)
        self.in_flight.clear()
        self.release()

    def flush(self) -> None:
        """Send the chunk read so far to be coded (and land the one before it)."""
        if not self.pending and not self.discards:
            return
        fresh, late = self._fresh()
        wait: Callable[[], list[Event]] = list
        if self.submit is not None and fresh:
            wait = self.submit(fresh)
            self.land()  # the previous chunk, coded meanwhile
        else:
            self.land()
            if self.coder is not None and fresh:
                coded = self.coder(fresh)
                wait = lambda: coded  # noqa: E731
        self.in_flight.append(_Chunk(list(fresh), list(self.discards), wait, len(late), self.unit))
        self.pending.clear()
        self.discards.clear()

    def _fresh(self) -> tuple[list[Article], set[str]]:
        """The pending articles to store (not stored before, no copy of a stored article in
        another form; or stored before without coding: coded now, as if new, their events
        added) and the ids of the latter."""
        known = self.sink.known_ids(a.article_id for a in self.pending)
        late = self.sink.uncoded_ids(known) if self.coder is not None else set()
        fresh = [a for a in self.pending if a.article_id not in known or a.article_id in late]
        self.seen.difference_update(known - late)
        self.summary.duplicate += len(self.pending) - len(fresh)
        if fresh and self.near is None:
            self.near = NearIndex.of(self.sink)
        near = self.near
        copies = {
            a.article_id
            for a in fresh
            if a.article_id not in late and near and near.duplicate_of(a)
        }
        if copies:
            fresh = [a for a in fresh if a.article_id not in copies]
            self.seen.difference_update(copies)
            self.summary.duplicate += len(copies)
            self.summary.near_duplicate += len(copies)
        return fresh, late

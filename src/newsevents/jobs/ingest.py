"""The ingest job: read → clean → date → language (``text.article``) → code → store.

``ingest`` runs the whole chain over paths and writes each file in its own transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from newsevents.jobs.near import NearIndex
from newsevents.records import Article, Discard, Event
from newsevents.speed.memory import PeriodicRelease, frozen_heap, release_free_memory
from newsevents.storage.store import Store
from newsevents.text.article import build_article
from newsevents.text.read import DEFAULT_MAX_BYTES, read_paths

#: Articles per transaction inside one large file (each article is always whole); also
#: the unit the coder works on, so it bounds the memory a run needs.
CHUNK = 200
#: Chunks stored between two hand-backs of free memory to the system (``PeriodicRelease``).
RELEASE_EVERY = 5

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
    store: Store,
    coder: Coder | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_item: Callable[[str], None] | None = None,
) -> IngestSummary:
    """Read, clean, date, code and store every document under ``paths``.

    Each input file (or each ``CHUNK`` articles of a large feed) is written in one
    transaction. An article whose id is already stored counts as a duplicate.
    """
    summary = IngestSummary()
    pending: list[Article] = []
    discards: list[Discard] = []
    # ids read and not stored yet (pending or in flight): a repeat of a stored article is
    # found by ``store.known_ids``, so the set stays as small as two chunks
    seen: set[str] = set()
    current_unit: str | None = None
    # a coder with ``submit`` (ArticleCoder) codes a chunk in its worker processes while
    # the next chunk is read and cleaned here; chunks are still written one at a time, in
    # order, each in its own transaction
    submit = getattr(coder, "submit", None)
    in_flight: list[tuple[list[Article], list[Discard], Callable[[], list[Event]], int]] = []
    release = PeriodicRelease(RELEASE_EVERY)
    near: NearIndex | None = None  # loaded when the first new article needs it

    def land() -> None:
        for fresh, dropped, wait, late in in_flight:
            events = wait()
            store.write(fresh, dropped, events, coded=coder is not None)
            if near is not None:
                store.add_signatures(near.unsaved({a.article_id for a in fresh}))
            seen.difference_update(a.article_id for a in fresh)
            summary.new += len(fresh) - late
            summary.coded_late += late
            summary.events += len(events)
        in_flight.clear()
        release()

    def flush() -> None:
        nonlocal near
        if not pending and not discards:
            return
        known = store.known_ids(a.article_id for a in pending)
        # stored before without coding: coded now, as if new (their events are added)
        late = store.uncoded_ids(known) if coder is not None else set()
        fresh = [a for a in pending if a.article_id not in known or a.article_id in late]
        seen.difference_update(known - late)
        summary.duplicate += len(pending) - len(fresh)
        if fresh and near is None:
            near = NearIndex.of(store)
        copies = {
            a.article_id
            for a in fresh
            if a.article_id not in late and near and near.duplicate_of(a)
        }
        if copies:
            fresh = [a for a in fresh if a.article_id not in copies]
            seen.difference_update(copies)
            summary.duplicate += len(copies)
            summary.near_duplicate += len(copies)
        wait: Callable[[], list[Event]] = list
        if submit is not None and fresh:
            wait = submit(fresh)
            land()  # the previous chunk, coded meanwhile
        else:
            land()
            if coder is not None and fresh:
                coded = coder(fresh)
                wait = lambda: coded  # noqa: E731
        in_flight.append((list(fresh), list(discards), wait, len(late)))
        pending.clear()
        discards.clear()

    for unit, item in read_paths(paths, max_bytes=max_bytes):
        if unit != current_unit:
            flush()
            current_unit = unit
        if on_item is not None:
            on_item(unit)
        if isinstance(item, Discard):
            summary.discarded[item.reason] += 1
            discards.append(item)
            continue
        summary.read += 1
        built = build_article(item)
        if isinstance(built, Discard):
            summary.discarded[built.reason] += 1
            discards.append(built)
            continue
        if built.article_id in seen:
            summary.duplicate += 1
            continue
        seen.add(built.article_id)
        pending.append(built)
        if len(pending) >= CHUNK:
            flush()
    flush()
    land()
    release_free_memory()
    return summary

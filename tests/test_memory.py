"""``release_free_memory`` hands scattered free pages back to the system."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from newsevents.speed.memory import PeriodicRelease, release_free_memory


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _fragmented_heap() -> list[bytearray]:
    blocks = [bytearray(4000) for _ in range(60_000)]  # ~240 MB from malloc's heap
    return blocks[::50]  # survivors pin the heap: nothing can be trimmed from its top


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc and /proc only")
def test_release_returns_fragmented_free_memory() -> None:
    keep = _fragmented_heap()
    before = _rss_mb()
    release_free_memory()
    after = _rss_mb()
    assert before - after > 100, (before, after)
    assert len(keep) == 1200


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc and /proc only")
def test_periodic_release_hands_back_at_every_nth_call_only() -> None:
    release = PeriodicRelease(3)
    keep = _fragmented_heap()
    start = _rss_mb()
    release()
    release()
    assert _rss_mb() > start - 20  # two calls: nothing handed back yet
    release()
    assert _rss_mb() < start - 100  # the third does
    keep += _fragmented_heap()
    again = _rss_mb()
    release()
    assert _rss_mb() > again - 20
    assert release.calls == 4 and len(keep) == 2400


def _child_dirty_after_collect(conn: object) -> None:
    import gc

    gc.collect()  # a full pass over every object the child can see
    dirty = 0
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        if line.startswith(("Private_Dirty:", "Private_Clean:")):
            dirty += int(line.split()[1])
    conn.send((gc.get_freeze_count(), dirty / 1024))  # type: ignore[attr-defined]
    conn.close()  # type: ignore[attr-defined]


def _fork_and_measure(frozen: bool) -> tuple[int, float]:
    import contextlib
    import multiprocessing

    from newsevents.speed.memory import frozen_heap

    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()
    with frozen_heap() if frozen else contextlib.nullcontext():
        p = ctx.Process(target=_child_dirty_after_collect, args=(child,))
        p.start()
    result = parent.recv()
    p.join()
    return result  # type: ignore[no-any-return]


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="Linux /proc only")
def test_forked_workers_leave_the_inherited_heap_shared() -> None:
    """A child's garbage collector writes to every object it walks: without ``frozen_heap`` a
    full pass copies the pages of the whole inherited heap (the model, the knowledge base)
    into the child."""
    import gc

    heap = [{"word": i, "next": [i]} for i in range(400_000)]  # ~100 MB of tracked objects
    frozen_count, frozen_mb = _fork_and_measure(frozen=True)
    assert gc.get_freeze_count() == 0  # the parent is thawed again
    plain_count, plain_mb = _fork_and_measure(frozen=False)
    assert frozen_count >= len(heap) and plain_count == 0
    assert plain_mb - frozen_mb > 30, (plain_mb, frozen_mb)


def test_nested_frozen_heaps_thaw_at_the_outermost() -> None:
    """``ingest`` freezes the heap and forks its workers inside: the inner block must not
    thaw what the outer one froze."""
    import gc

    from newsevents.speed.memory import frozen_heap

    with frozen_heap():
        outer = gc.get_freeze_count()
        assert outer > 0
        with frozen_heap():
            pass
        assert gc.get_freeze_count() >= outer
    assert gc.get_freeze_count() == 0

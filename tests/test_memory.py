"""``release_free_memory`` hands scattered free pages back to the system."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from newsevents.memory import release_free_memory


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc and /proc only")
def test_release_returns_fragmented_free_memory() -> None:
    blocks = [bytearray(4000) for _ in range(60_000)]  # ~240 MB from malloc's heap
    keep = blocks[::50]  # survivors pin the heap: nothing can be trimmed from its top
    del blocks
    before = _rss_mb()
    release_free_memory()
    after = _rss_mb()
    assert before - after > 100, (before, after)
    assert len(keep) == 1200

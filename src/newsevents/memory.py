"""Keeping a long run's resident memory flat."""

from __future__ import annotations

from collections.abc import Callable


def _libc_trim() -> Callable[[], None]:
    try:
        import ctypes

        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to do
        return lambda: None
    return lambda: None if trim(0) else None


#: Hand the allocator's free pages back to the system (glibc ``malloc_trim``). A parse
#: batch allocates and frees many small objects; without this the freed memory stays
#: with the process, scattered, and its resident size creeps up over a long run.
release_free_memory = _libc_trim()

"""Keeping a long run's resident memory flat."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


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


@contextmanager
def forking() -> Iterator[None]:
    """Fork worker processes inside this block: they share the parent's objects (the
    model, the knowledge base) without copying them, and collect garbage faster.

    The collector's full passes write to every object they look at, so a child's first
    pass over the inherited heap copies every page of it: a private copy of the model and
    the knowledge base in each worker, and time spent walking objects that live as long
    as the process. Here the heap is frozen (``gc.freeze``) before the fork, so the
    children's collector leaves it alone; the parent thaws it again after.
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()

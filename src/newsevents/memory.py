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
def frozen_heap() -> Iterator[None]:
    """Run a long step, or fork worker processes, with the objects that exist now (the
    model, the knowledge base) left out of garbage collection, then put them back. A
    ``with`` block, or a decorator (``@frozen_heap()``: the objects at each call).

    The collector's full passes walk every object: in a run that holds a model and a
    knowledge base, each such pass costs a quarter of a second and finds nothing there to
    free. In a forked child it is worse: a pass writes to every object it walks, so it
    copies every page of the inherited heap into the child, a private copy of the model
    and the knowledge base in each worker. Frozen (``gc.freeze``), they are skipped; the
    children forked meanwhile keep them frozen for their whole life.

    No collection is made first: with the model and the knowledge base loaded one takes
    0.1 s and found nothing to free after loading (a run calls this up to four times).
    Garbage already there is collected once the outermost block thaws.
    """
    gc.freeze()
    _frozen[0] += 1
    try:
        yield
    finally:
        _frozen[0] -= 1
        if not _frozen[0]:  # the outermost block thaws
            gc.unfreeze()


_frozen = [0]  # depth of nested ``frozen_heap`` blocks

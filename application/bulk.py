"""Bulk commands (import) tune the garbage collector: what they build is acyclic and lives to the end."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def bulk_collection() -> Iterator[None]:
    """Within the block, the cyclic garbage collector does not run and the objects made before it (modules,
    schemas) are frozen out of its generations; both are restored when the block ends, however it ends.

    A bulk import keeps hundreds of thousands of validated statements alive until its commit, so each
    collection would walk them all again for nothing; reference counting still frees everything acyclic.
    """
    enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.unfreeze()

"""Opening the queries: straight from the read-model tables when they are current, else via the Ledger."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Callable

from stratlog.application.ports import QUIET, Progress
from stratlog.application.queries import Queries
from stratlog.infrastructure.config import Settings
from stratlog.infrastructure.damage import notify_damage
from stratlog.infrastructure.read_access import ReadAccess
from stratlog.infrastructure.sqlite_guard import check_existing_database, unwritable


def open_queries(settings: Settings, progress: Progress = QUIET) -> tuple[Queries, Callable[[], None]]:
    """Queries and the function that closes what they opened.

    A current SQLite read model is read with sqlite3 alone (no pydantic, no eventsourcing, a quick
    start; read-only media are read without writing); a read model that is behind its log, or team
    mode, goes through the Runtime, which catches it up first when it can (and refolds, showing
    `progress`, a read model built by an older fold).
    """
    if not settings.team_mode:
        check_existing_database(settings.db, settings.lock_timeout)
        access = ReadAccess.open(settings.db, read_only=unwritable(settings.db) is not None)
        if access.is_current():
            return Queries(access), lambda: _close(access)
        access.close()
    from stratlog.infrastructure.runtime import Runtime
    runtime = Runtime(settings, writing=False, progress=progress)
    return runtime.queries(), runtime.close


def _close(access: ReadAccess) -> None:
    notify_damage(access)
    access.close()


def open_snapshot_queries(path: str) -> tuple[Queries, Callable[[], None]]:
    """Queries on a caught-up snapshot that nothing writes any more (what `serve` answers from).

    The same Queries over the same ReadAccess as the quick path of open_queries, on a connection
    opened immutable: it can neither write nor see a change, and needs no catching up.
    """
    uri = f"{Path(path).resolve().as_uri()}?immutable=1"
    access = ReadAccess(sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False))
    return Queries(access), access.close

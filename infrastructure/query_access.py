"""Opening the queries: straight from the read-model tables when they are current, else via the Ledger."""

from __future__ import annotations

from typing import Callable

from stratlog.application.queries import Queries
from stratlog.infrastructure.config import Settings
from stratlog.infrastructure.damage import notify_damage
from stratlog.infrastructure.read_access import ReadAccess
from stratlog.infrastructure.sqlite_guard import check_existing_database, unwritable


def open_queries(settings: Settings) -> tuple[Queries, Callable[[], None]]:
    """Queries and the function that closes what they opened.

    A current SQLite read model is read with sqlite3 alone (no pydantic, no eventsourcing, a quick
    start; read-only media are read without writing); a read model that is behind its log, or team
    mode, goes through the Runtime, which catches it up first when it can.
    """
    if not settings.team_mode:
        check_existing_database(settings.db)
        access = ReadAccess.open(settings.db, read_only=unwritable(settings.db) is not None)
        if access.is_current():
            return Queries(access), lambda: _close(access)
        access.close()
    from stratlog.infrastructure.runtime import Runtime
    runtime = Runtime(settings, writing=False)
    return runtime.queries(), runtime.close


def _close(access: ReadAccess) -> None:
    notify_damage(access)
    access.close()

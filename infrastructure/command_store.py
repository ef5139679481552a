"""The Store port of the Stratlog application: one command's event store and read model, opened on first use."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Callable, Iterator

from stratlog.application.ports import QUIET, Progress
from stratlog.infrastructure.config import Settings, shown
from stratlog.infrastructure.query_access import open_queries


class CommandStore:
    """Opens the Runtime (Ledger and read model) only when a use case needs it; a query on a current
    SQLite read model goes through the quick path (sqlite3 alone)."""

    def __init__(self, settings: Settings, writing: bool, progress: Progress = QUIET):
        self.settings, self.writing, self.label = settings, writing, shown(settings.db)
        self.progress = progress
        self._runtime: Any = None
        self._quick: tuple[Any, Callable[[], None]] | None = None
        self._name_damage = True

    def runtime(self) -> Any:
        """The Runtime of this command (opened writing when the command writes)."""
        if self._runtime is None:
            from stratlog.infrastructure.runtime import Runtime
            self._runtime = Runtime(self.settings, writing=self.writing, progress=self.progress)
        return self._runtime

    def queries(self) -> Any:
        if self._runtime is not None or self.writing:
            return self.runtime().queries()
        if self._quick is None:
            self._quick = open_queries(self.settings, self.progress)
        return self._quick[0]

    def record(self, records, restored, progress: Progress) -> Any:
        return self.runtime().record(records, restored, progress)

    def settle(self, recorded: list, progress: Progress) -> bool:
        return self.runtime().settle(recorded, progress)

    def records(self, brand=None, kind=None, since=None) -> Iterator[tuple[int, dict]]:
        from stratlog.infrastructure.log_records import statement_records
        runtime = self.runtime()
        return statement_records(runtime.fresh_read_model(), runtime.log, brand, kind, since)

    def record_of(self, statement_id: str) -> dict | None:
        from stratlog.infrastructure.log_records import statement_record
        return statement_record(self.runtime().read_model, self.runtime().log, statement_id)

    def find_statements(self, prefix: str, limit: int = 20) -> list:
        return self.runtime().fresh_read_model().find_statements(prefix, limit)

    def statement_and_fixes(self, statement_id: str) -> list:
        from stratlog.infrastructure.log_records import statement_and_fixes
        runtime = self.runtime()
        return statement_and_fixes(runtime.fresh_read_model(), runtime.log, statement_id)

    def status(self) -> tuple[int, int, int]:
        runtime = self.runtime()
        rows = runtime.read_model.conn.execute("SELECT COUNT(*) FROM rm_items").fetchone()[0]
        return runtime._log_position(), runtime.read_model.position(), rows

    def facts(self) -> dict:
        from stratlog.infrastructure.read_model_facts import read_model_facts
        runtime = self.runtime()
        settings = runtime.settings
        return {"database": self.label, "mode": "team" if settings.team_mode else "sqlite",
                "read_model": settings.read_model if settings.team_mode else None,
                "events": runtime._log_position(), **read_model_facts(runtime.read_model.conn)}

    def rebuild(self, progress: Progress) -> int:
        from stratlog.infrastructure.event_source import EventSource
        from stratlog.infrastructure.sqlite_guard import refuse_unwritable
        runtime = self.runtime()
        if runtime.read_only:
            refuse_unwritable(runtime.settings.db)
        return runtime.read_model.rebuild(EventSource(runtime.ledger), progress)

    def verify(self, max_dates: int) -> Any:
        from stratlog.application.verification import verify_read_model
        from stratlog.domain.errors import StratlogError
        from stratlog.infrastructure.read_access import ReadAccess
        runtime = self.runtime()
        self._name_damage = False  # verify lists every damaged event itself
        runtime.fresh_read_model()
        if (behind := runtime.behind()) > 0:
            raise StratlogError(f"the read model is {behind} events behind the log and could not catch up (see the "
                                f"warning above), so it cannot be compared with the log")
        path, timeout = runtime.settings.read_model, runtime.settings.lock_timeout
        return verify_read_model(runtime.ledger, runtime.read_model, max_dates,
                                 reopen=lambda: ReadAccess.open(path, timeout, read_only=True))

    def backup(self, output: Any) -> None:
        from stratlog.infrastructure.outputs import sqlite_output
        runtime = self.runtime()
        runtime.fresh_read_model()
        with sqlite_output(output) as temporary:
            copy = sqlite3.connect(temporary)
            try:
                runtime.read_model.conn.backup(copy)
            finally:
                copy.close()

    def remove(self) -> None:
        from stratlog.infrastructure.sqlite_guard import check_database_file
        target = self.settings.db
        if Path(target).exists():
            check_database_file(target, self.settings.lock_timeout)  # refuses to delete a file that is not a stratlog database
            for suffix in ("", "-wal", "-shm"):
                Path(target + suffix).unlink(missing_ok=True)

    def serve(self, host: str, port: int, ready: Callable[[str, Any], None]) -> None:
        from stratlog.infrastructure.datasette_server import serve_database
        serve_database(self.settings, host, port, ready)

    def close(self, name_damage: bool = True) -> None:
        if self._quick is not None:
            self._quick[1]()
            self._quick = None
        if self._runtime is not None:
            self._runtime.close(name_damage=name_damage and self._name_damage)
            self._runtime = None

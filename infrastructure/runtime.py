"""Wires one command's pieces: the Ledger, the read model that indexes it, and the queries."""

from __future__ import annotations

import sqlite3
from functools import cached_property
from pathlib import Path

from application.ledger import Ledger
from application.queries import Queries
from domain.errors import StratlogError
from infrastructure.config import Settings
from infrastructure.event_source import EventSource
from infrastructure.read_model import ReadModel
from infrastructure.sqlite_store import check_database_file


class NoDatabase(StratlogError):
    """Raised when a query names a database file that does not exist."""


class Runtime:
    """The ledger and its read model for one command; writers catch the read model up after saving."""

    def __init__(self, settings: Settings, writing: bool):
        self.settings = settings
        if not settings.team_mode:
            if not writing and not Path(settings.db).exists():
                raise NoDatabase(f"no stratlog database at {settings.db!r} (create one with 'stratlog demo' "
                                 f"or 'stratlog import FILE', or point --db at one)")
            check_database_file(settings.db)
        if not Path(settings.read_model).parent.exists():
            Path(settings.read_model).parent.mkdir(parents=True, exist_ok=True)
        self.read_model = ReadModel(settings.read_model)
        if writing:
            self.catch_up()

    @cached_property
    def ledger(self) -> Ledger:
        return Ledger(self.settings.eventsourcing_env(), index=self.read_model)

    def catch_up(self) -> int:
        return self.read_model.catch_up(EventSource(self.ledger))

    def fresh_read_model(self) -> ReadModel:
        """The read model, caught up only when the log has moved on (a cheap check first)."""
        if self._log_position() > self.read_model.position():
            self.catch_up()
        return self.read_model

    def queries(self) -> Queries:
        return Queries(self.fresh_read_model())

    def _log_position(self) -> int:
        if self.settings.team_mode:
            return EventSource(self.ledger).max_position()
        try:
            row = self.read_model.conn.execute("SELECT MAX(rowid) FROM stored_events").fetchone()
        except sqlite3.OperationalError:
            return 0
        return row[0] or 0

    def close(self) -> None:
        self.read_model.close()
        if "ledger" in self.__dict__:
            self.ledger.close()

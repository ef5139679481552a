"""Wires one command's pieces: the Ledger, the read model that indexes it, and the queries."""

from __future__ import annotations

import sqlite3
from functools import cached_property
from pathlib import Path

from stratlog.application.ledger import Ledger
from stratlog.application.ports import QUIET, Progress
from stratlog.application.queries import Queries
from stratlog.domain.errors import StratlogError
from stratlog.infrastructure.config import Settings
from stratlog.infrastructure.event_source import EventSource
from stratlog.infrastructure.read_model import ReadModel
from stratlog.infrastructure.sqlite_guard import check_database_file, check_existing_database


class ReadModelOfAnotherDatabase(StratlogError):
    """Raised when a read-model file already indexes another event store than the one --db names."""


class Runtime:
    """The ledger and its read model for one command; writers catch the read model up after saving."""

    def __init__(self, settings: Settings, writing: bool):
        self.settings = settings
        if not settings.team_mode:
            (check_database_file if writing else check_existing_database)(settings.db)
        events_url = self._events_url()
        if not Path(settings.read_model).parent.exists():
            Path(settings.read_model).parent.mkdir(parents=True, exist_ok=True)
        if settings.team_mode:
            check_database_file(settings.read_model)
        self.read_model = ReadModel(settings.read_model, timeout=settings.lock_timeout,
                                    holds_log=not settings.team_mode)
        self._check_events_url(events_url)
        if writing:
            self.catch_up()

    @cached_property
    def ledger(self) -> Ledger:
        if not self.settings.team_mode:
            return Ledger(self.settings.eventsourcing_env(), index=self.read_model, refresh_index=self.catch_up)
        from eventsourcing.persistence import PersistenceError

        from stratlog.infrastructure.postgres_store import connection_failure
        env = self.settings.eventsourcing_env()
        try:
            return Ledger(env, index=self.read_model, refresh_index=self.catch_up)
        except PersistenceError as error:
            raise connection_failure(error, self.settings.db) from None

    def catch_up(self, recorded: list = (), progress: Progress = QUIET) -> int:
        """Bring the read model up to the log; `recorded` are events this process just saved."""
        return self.read_model.catch_up(EventSource(self.ledger), recorded, progress)

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

    # -- team mode: a read model indexes one event store only ----------------------------------
    def _check_events_url(self, expected: str | None) -> None:
        """Refuse a read model that indexes another event store; an empty one is (re)claimed in team mode."""
        found = self.read_model.events_url()
        if found == expected:
            return
        if expected is not None and self.read_model.position() == 0 and not self._has_sqlite_events():
            self.read_model.remember_events_url(expected)
            return
        self.read_model.close()
        path = self.settings.read_model
        if expected is None:
            raise ReadModelOfAnotherDatabase(f"{path!r} is the local read model of {found}, not an event store; "
                                             f"use --db {found} --read-model {path}")
        owner = found or f"the SQLite event store in {path}"
        raise ReadModelOfAnotherDatabase(f"the read model {path!r} indexes {owner}, not {expected}; give another "
                                         f"--read-model file (or delete this one: it is rebuilt from the events)")

    def _events_url(self) -> str | None:
        if not self.settings.team_mode:
            return None
        from stratlog.infrastructure.postgres_store import parse_url
        return parse_url(self.settings.db).url

    def _has_sqlite_events(self) -> bool:
        return self.read_model.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='stored_events'").fetchone() is not None

    def close(self) -> None:
        self.read_model.close()
        if "ledger" in self.__dict__:
            self.ledger.close()

"""Wires one command's pieces: the Ledger, the read model that indexes it, and the queries."""

from __future__ import annotations

import sqlite3
from functools import cached_property
from pathlib import Path
from typing import Sequence

from eventsourcing.persistence import MapperDeserialisationError, PersistenceError

from stratlog.application.clock import Clock, system_clock
from stratlog.application.ledger import Ledger, Recorded
from stratlog.application.ports import QUIET, Progress
from stratlog.application.queries import Queries
from stratlog.domain.aggregate import BrokenHistory
from stratlog.domain.errors import StratlogError
from stratlog.infrastructure.compact_schema import SUBJECT_NUMBER
from stratlog.infrastructure.config import Settings
from stratlog.infrastructure.damage import notify_damage, shown
from stratlog.infrastructure.event_source import EventSource
from stratlog.infrastructure.failures import DISK_FULL, PLAIN, READ_ONLY, failure_kind, plain_cause
from stratlog.infrastructure.new_database import open_for_writing
from stratlog.infrastructure.notices import notify
from stratlog.infrastructure.read_model import ReadModel
from stratlog.infrastructure.sqlite_guard import (MIN_ROOM, check_database_file, check_existing_database,
                                                  refuse_unwritable, unwritable)

READER_WAIT = 1.0  # seconds a query waits for another writer's lock before answering from the read model as it is


class ReadModelOfAnotherDatabase(StratlogError):
    """Raised when a read-model file already indexes another event store than the one --db names."""


class DamagedSubject(StratlogError):
    """Raised when a command would record on a subject whose stored history cannot be read."""


class Runtime:
    """The ledger and its read model for one command; writers catch the read model up after saving."""

    def __init__(self, settings: Settings, writing: bool, clock: Clock = system_clock, progress: Progress = QUIET):
        self.settings, self.clock, self.claim, self.progress = settings, clock, None, progress
        self.cannot_write = None if settings.team_mode or writing else unwritable(settings.db)
        self.read_only = self.cannot_write is not None  # opened without writing: read-only media or a full disk
        if not settings.team_mode:
            new = (check_database_file if writing else check_existing_database)(settings.db, settings.lock_timeout)
            if writing:
                refuse_unwritable(settings.db)
                self.claim = open_for_writing(settings.db, settings.lock_timeout)
                if new and self.claim is None:  # made meanwhile by another process: checked before we write
                    check_database_file(settings.db, settings.lock_timeout)
        try:
            self._open(writing)
        except BaseException:
            self.close(name_damage=False)
            raise

    def _open(self, writing: bool) -> None:
        settings = self.settings
        if settings.team_mode:
            settings.eventsourcing_env()  # without the PostgreSQL libraries: refused before any file is made
        events_url = self._events_url()
        if not Path(settings.read_model).parent.exists():
            Path(settings.read_model).parent.mkdir(parents=True, exist_ok=True)
        if settings.team_mode:
            check_database_file(settings.read_model, settings.lock_timeout)
        self.read_model = ReadModel(settings.read_model, timeout=settings.lock_timeout, read_only=self.read_only,
                                    holds_log=not settings.team_mode)
        self._check_events_url(events_url)
        if writing:
            self.catch_up((), self.progress)

    @cached_property
    def ledger(self) -> Ledger:
        if not self.settings.team_mode:
            from stratlog.infrastructure.bulk_fold import FoldAsWritten
            from stratlog.infrastructure.unit_history import ReadModelUnits
            self.units = ReadModelUnits(self.read_model, lambda: EventSource(self.ledger))
            return Ledger(self.settings.eventsourcing_env(self.read_only), index=self.read_model,
                          refresh_index=self.catch_up, clock=self.clock, fold_written=FoldAsWritten.start,
                          units=self.units)
        from stratlog.infrastructure.postgres_store import connection_failure
        env = self.settings.eventsourcing_env()
        try:
            return Ledger(env, index=self.read_model, refresh_index=self.catch_up, clock=self.clock)
        except PersistenceError as error:
            raise connection_failure(error, self.settings.db) from None

    @cached_property
    def log(self) -> EventSource:
        """The event log as this command reads it; what it finds damaged is named when the command ends."""
        return EventSource(self.ledger)

    def catch_up(self, recorded: list = (), progress: Progress = QUIET) -> int:
        """Bring the read model up to the log; `recorded` are events this process just saved."""
        units = getattr(self, "units", None)
        known = None
        if units is not None:  # what the last command decoded is folded once, then forgotten
            known, units.loaded = units.loaded, {}
        return self.read_model.catch_up(EventSource(self.ledger), recorded, progress, known)

    # -- writing ---------------------------------------------------------------------------
    def record(self, records: Sequence, restored: Sequence | None = None, progress: Progress = QUIET) -> Recorded:
        """Record in one transaction; a subject whose stored history cannot be read is refused, naming
        the stored event (position, version, why); other subjects are not affected."""
        try:
            recorded = self.ledger.record(records, restored, progress)
        except (MapperDeserialisationError, BrokenHistory) as error:
            raise DamagedSubject(self._damage_message(error)) from None
        if self.claim is not None and recorded.new:  # committed: other processes need not wait for the end
            self.claim.keep()
        return recorded

    def settle(self, recorded: list = (), progress: Progress = QUIET) -> bool:
        """Catch the read model up after a commit. The statements are recorded whatever happens here,
        so a failure is a warning (the next command catches up), never an error; True when caught up."""
        try:
            self.catch_up(recorded, progress)
            return True
        except Exception as error:  # after the commit no failure may read as "nothing was written"
            notify(f"the statements are recorded, but the read model could not catch up: {plain_cause(error)}; "
                   f"the next command catches it up")
            return False

    def _damage_message(self, error: Exception) -> str:
        subject = getattr(error.subject_id, "hex", str(error.subject_id))
        label, position = self.read_model.subject_label(subject), self._position_of(subject, error.version)
        if isinstance(error, BrokenHistory):
            why = (f"its stored history is broken: {error.missing} missing (the next stored event, version "
                   f"{error.version}, is at position {position or 'unknown'})")
        else:
            where = f"position {position}, " if position else ""
            why = (f"its stored event at {where}version {error.version} ({shown(error.topic, 70)}) cannot be read: "
                   f"{getattr(error, 'reason', None) or shown(error, 200)}")
        return f"cannot record on {label}: {why}; nothing was written; run 'stratlog projections verify'"

    def _position_of(self, subject: str, version: int) -> int | None:
        """Where a subject's version is in the log: as the read model saw it, or in this SQLite file's log."""
        for sql in ("SELECT position FROM rm_damage WHERE subject_id=? AND version=?",
                    f"SELECT position FROM rm_statements WHERE subject={SUBJECT_NUMBER} AND version=?",
                    "SELECT rowid FROM stored_events WHERE originator_id=? AND originator_version=?"):
            try:
                row = self.read_model.conn.execute(sql, (subject, version)).fetchone()
            except sqlite3.OperationalError:  # no such table: an older read model, or team mode's local file
                continue
            if row:
                return row[0]
        return None

    # -- reading ---------------------------------------------------------------------------
    def fresh_read_model(self) -> ReadModel:
        """The read model, caught up when the log has moved on (a cheap check first).

        When it cannot catch up (another writer holds the lock beyond READER_WAIT, read-only media, a
        full disk) it answers from what it has committed, with a warning saying how far behind it is.
        """
        behind = self.behind()
        if behind <= 0 and (self.read_only or self.read_model.folded_by_this_code()):
            return self.read_model
        if behind <= 0:  # rows of an older fold: refolded once, with a progress bar
            self.catch_up((), self.progress)
            return self.read_model
        events = f"{behind} event{'s' * (behind > 1)}"
        if self.cannot_write == READ_ONLY:
            notify(f"the read model is {events} behind the log and {self.settings.db!r} is read-only, so it cannot "
                   f"catch up: answers leave out the newest {behind}; open the database where it can be written "
                   f"to bring it up to date")
            return self.read_model
        if self.cannot_write == DISK_FULL:
            return self._behind(events, f"{PLAIN[DISK_FULL]} (less than {MIN_ROOM // 1024} KiB free)")
        try:
            with self.read_model.waiting(READER_WAIT):
                self.catch_up()
        except (sqlite3.Error, PersistenceError, OSError) as error:
            if failure_kind(error) is None:
                raise
            return self._behind(events, plain_cause(error))
        return self.read_model

    def _behind(self, events: str, cause: str) -> ReadModel:
        """The read model as it is, with the warning that it is behind and why."""
        notify(f"the read model is {events} behind the log and could not catch up: {cause}; answers leave out "
               f"the newest {events.split()[0]} (the next command catches up)")
        return self.read_model

    def behind(self) -> int:
        """How many events of the log the read model has not folded yet."""
        return self._log_position() - self.read_model.position()

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
        has_events = self._has_sqlite_events()
        self.read_model.close()
        path = self.settings.read_model
        if expected is None:
            raise ReadModelOfAnotherDatabase(f"{path!r} is the local read model of {found}, not an event store; "
                                             f"use --db {found} --read-model {path}")
        if has_events:
            raise ReadModelOfAnotherDatabase(f"{path!r} is a stratlog database with its own events (SQLite mode), "
                                             f"not a read model; give another --read-model file (never this one: "
                                             f"deleting it would delete its statements)")
        raise ReadModelOfAnotherDatabase(f"the read model {path!r} indexes {found or 'another event store'}, not "
                                         f"{expected}; give another "
                                         f"--read-model file (or delete this one: it holds no statements of its "
                                         f"own and is rebuilt from the events)")

    def _events_url(self) -> str | None:
        if not self.settings.team_mode:
            return None
        return self.settings.address.url

    def _has_sqlite_events(self) -> bool:
        return self.read_model.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='stored_events'").fetchone() is not None

    def close(self, name_damage: bool = True) -> None:
        """Close what this command opened: first warn when the read model left stored events out; a
        database it created and recorded nothing in is removed."""
        read_model = self.__dict__.get("read_model")
        empty = self.claim is not None and (read_model is None or not _has_events(read_model.conn))
        if read_model is not None:
            if name_damage:
                notify_damage(read_model, self.__dict__["log"].damaged if "log" in self.__dict__ else ())
            read_model.close()
        if "ledger" in self.__dict__:
            self.ledger.close()
        if self.claim is not None:
            self.claim.release(remove=empty)
            self.claim = None


def _has_events(conn: sqlite3.Connection) -> bool:
    """Whether the log holds an event (True when that cannot be read: then nothing is removed)."""
    try:
        return conn.execute("SELECT 1 FROM stored_events LIMIT 1").fetchone() is not None
    except sqlite3.OperationalError as error:
        return "no such table" not in str(error)
    except sqlite3.Error:
        return True

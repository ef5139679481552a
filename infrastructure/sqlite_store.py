"""The SQLite event store: a recorder that takes the write lock before a command chooses its instant."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import datetime
from typing import Iterator, Sequence

from eventsourcing.persistence import IntegrityError, OperationalError, StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder

from stratlog.domain.dates import instant_text
from stratlog.domain.errors import StratlogError
from stratlog.infrastructure.recorded_at import HIGH_WATER_KEY, latest_of, parse_instant
from stratlog.infrastructure.sqlite_guard import mark_database
from stratlog.infrastructure.transactions import JoinsRecordingSession, roll_back


class DatabaseBusy(StratlogError):
    """Raised when another writer holds the database longer than the lock timeout."""


class SQLiteSession:
    """One command's transaction (BEGIN IMMEDIATE taken): what the log holds, and where its events go.

    The latest recorded_at is the later of the high-water mark kept in stratlog_meta (written in the
    same transaction as the events; found once by a scan of the log in a database that has none) and
    the recorded_at of the log's last row (which an older stratlog may have written after the mark).
    """

    def __init__(self, recorder: LockingRecorder, raw: sqlite3.Connection):
        self.recorder, self.raw = recorder, raw
        self.high_water: datetime | None = None
        self.mark_stale = False
        self.next_position: int | None = None  # the notification id the next row gets (known after a write)

    def latest_recorded_at(self) -> datetime | None:
        table = self.recorder.events_table_name
        last = self.raw.execute(f"SELECT state FROM {table} ORDER BY rowid DESC LIMIT 1").fetchone()
        mark = self._mark()
        if mark is None and last is not None:
            mark = latest_of(state for (state,) in self.raw.execute(f"SELECT state FROM {table}"))
        self.high_water = latest_of([last[0]] if last else [], floor=mark)
        self.mark_stale = self.high_water is not None and self.high_water != mark
        return self.high_water

    def server_clock(self) -> datetime | None:
        return None  # a local file: the writer's clock

    def write(self, stored_events: Sequence[StoredEvent]) -> list[int]:
        """Insert rows; holding the write lock, only this session adds rows, so after its first write
        it knows the next notification id without asking the log again (a large import writes once per subject)."""
        positions = self.recorder.insert_rows(self.raw, stored_events, self.next_position)
        if positions:
            self.next_position = positions[-1] + 1
        return positions

    def last_position(self) -> int:
        """The log's last notification id, read under the write lock (0: an empty log)."""
        return self.raw.execute(f"SELECT MAX(rowid) FROM {self.recorder.events_table_name}").fetchone()[0] or 0

    def recorded_up_to(self, instant: datetime) -> None:
        if self.high_water is None or instant > self.high_water:
            self.high_water, self.mark_stale = instant, True

    def keep_mark(self) -> None:
        """Write the high-water mark, in the transaction, when this command moved it."""
        if self.mark_stale:
            mark_database(self.raw)
            self.raw.execute("INSERT OR REPLACE INTO stratlog_meta (key, value) VALUES (?, ?)",
                             (HIGH_WATER_KEY, instant_text(self.high_water)))

    def _mark(self) -> datetime | None:
        try:
            row = self.raw.execute("SELECT value FROM stratlog_meta WHERE key=?", (HIGH_WATER_KEY,)).fetchone()
        except sqlite3.OperationalError:  # no stratlog_meta yet: a database this command creates
            return None
        return parse_instant(row[0]) if row else None


class LockingRecorder(JoinsRecordingSession, SQLiteApplicationRecorder):
    """eventsourcing's SQLite recorder, taking the write lock up front (BEGIN IMMEDIATE).

    Rows are inserted with one executemany; holding the lock, their notification ids are the
    contiguous rowids after the current maximum.
    """

    @contextmanager
    def recording(self) -> Iterator[SQLiteSession]:
        """One transaction, the write lock taken first and held until it commits (or rolls back: nothing written)."""
        with self.datastore.get_connection(commit=True) as connection:
            raw = connection._sqlite_conn
            try:
                raw.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                raise DatabaseBusy(f"the database is busy (another stratlog is writing): {error}; try again") from None
            session = self._held.session = SQLiteSession(self, raw)
            try:
                yield session
                session.keep_mark()
                raw.commit()
            except sqlite3.IntegrityError as error:
                roll_back(raw, error)
                raise IntegrityError(error) from error
            except sqlite3.OperationalError as error:
                roll_back(raw, error)
                raise OperationalError(error) from error
            except BaseException as error:
                roll_back(raw, error)
                raise
            finally:
                self._held.session = None

    def insert_rows(self, raw: sqlite3.Connection, stored_events: Sequence[StoredEvent],
                    first: int | None = None) -> list[int]:
        """Insert rows in the open transaction; their notification ids follow the current maximum (`first`:
        the id the first row gets, when the caller knows it)."""
        if first is None:
            first = (raw.execute(self.select_max_notification_id_statement).fetchone()[0] or 0) + 1
        raw.executemany(self.insert_events_statement, [
            (s.originator_id.hex, s.originator_version, s.topic, s.state) for s in stored_events])
        return list(range(first, first + len(stored_events)))


__all__ = ["DatabaseBusy", "LockingRecorder", "SQLiteSession"]

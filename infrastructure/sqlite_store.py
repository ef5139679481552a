"""The SQLite event store: a recorder that takes the write lock before it writes."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence

from eventsourcing.persistence import IntegrityError, OperationalError, StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder

from stratlog.domain.errors import StratlogError
from stratlog.infrastructure.transactions import roll_back


class DatabaseBusy(StratlogError):
    """Raised when another writer holds the database longer than the lock timeout."""


class LockingRecorder(SQLiteApplicationRecorder):
    """eventsourcing's SQLite recorder, taking the write lock up front (BEGIN IMMEDIATE).

    Rows are inserted with one executemany; holding the lock, their notification ids are the
    contiguous rowids after the current maximum.
    """

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        with self.locked() as write:
            return write(stored_events)

    @contextmanager
    def locked(self) -> Iterator[Callable[[Sequence[StoredEvent]], list[int]]]:
        """One transaction, the write lock taken first; yields the function that inserts events.

        Committed when the block ends; rolled back (nothing written) when it raises. A large
        command streams its events into it subject by subject (see Ledger.record).
        """
        with self.datastore.get_connection(commit=True) as connection:
            raw = connection._sqlite_conn
            try:
                raw.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                raise DatabaseBusy(f"the database is busy (another stratlog is writing): {error}; try again") from None
            try:
                yield lambda events: self._insert_rows(raw, events)
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

    def _insert_rows(self, raw: sqlite3.Connection, stored_events: Sequence[StoredEvent]) -> list[int]:
        first = (raw.execute(self.select_max_notification_id_statement).fetchone()[0] or 0) + 1
        raw.executemany(self.insert_events_statement, [
            (s.originator_id.hex, s.originator_version, s.topic, s.state) for s in stored_events])
        return list(range(first, first + len(stored_events)))

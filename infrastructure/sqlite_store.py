"""The SQLite event store: a guard for foreign files and a recorder that locks before it writes."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Sequence

from eventsourcing.persistence import IntegrityError, OperationalError, StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder

from domain.errors import StratlogError

FORMAT_VERSION = 1
SQLITE_HEADER = b"SQLite format 3\x00"
LIBRARY_TABLES = {"stored_events", "stored_snapshots", "tracking"}


class NotAStratlogDatabase(StratlogError):
    """Raised when --db names a file that is not a stratlog database (it is left untouched)."""


class WrittenByNewerStratlog(StratlogError):
    """Raised when the database was written by a newer stratlog than this one."""


class DatabaseBusy(StratlogError):
    """Raised when another writer holds the database longer than the lock timeout."""


def check_database_file(path: str) -> bool:
    """Refuse a file that is not a stratlog database before anything opens it for writing.

    Returns True when the file is new (absent or empty) and will be created.
    """
    file = Path(path)
    if not file.exists() or file.stat().st_size == 0:
        if file.is_dir():
            raise NotAStratlogDatabase(f"--db {path!r} is a folder, not a database file")
        return True
    if file.is_dir():
        raise NotAStratlogDatabase(f"--db {path!r} is a folder, not a database file")
    with file.open("rb") as handle:
        if handle.read(16) != SQLITE_HEADER:
            raise NotAStratlogDatabase(f"{path!r} is not a stratlog database (not an SQLite file); it was not touched")
    version = _format_version(path)
    if version > FORMAT_VERSION:
        raise WrittenByNewerStratlog(f"{path!r} was written by a newer stratlog (format {version}, this one reads "
                                     f"up to {FORMAT_VERSION}); upgrade stratlog")
    return False


def _format_version(path: str) -> int:
    uri = f"{Path(path).resolve().as_uri()}?mode=ro"
    try:
        with sqlite3.connect(uri, uri=True) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "stratlog_meta" not in tables:
                if tables:
                    raise NotAStratlogDatabase(f"{path!r} is an SQLite database but not a stratlog one "
                                               f"(tables: {', '.join(sorted(tables)[:5])}); it was not touched")
                return 0
            row = conn.execute("SELECT value FROM stratlog_meta WHERE key='format_version'").fetchone()
    except sqlite3.DatabaseError as error:
        raise NotAStratlogDatabase(f"{path!r} is not a readable stratlog database ({error})") from None
    finally:
        conn.close()
    return int(row[0]) if row else 0


def mark_database(conn: sqlite3.Connection) -> None:
    """Write the stratlog marker (format version) into a database file."""
    conn.execute("CREATE TABLE IF NOT EXISTS stratlog_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("INSERT OR IGNORE INTO stratlog_meta (key, value) VALUES ('format_version', ?)", (str(FORMAT_VERSION),))


class LockingRecorder(SQLiteApplicationRecorder):
    """eventsourcing's SQLite recorder, taking the write lock up front (BEGIN IMMEDIATE).

    Rows are inserted with one executemany; holding the lock, their notification ids are the
    contiguous rowids after the current maximum.
    """

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        with self.datastore.get_connection(commit=True) as connection:
            raw = connection._sqlite_conn
            try:
                raw.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                raise DatabaseBusy(f"the database is busy (another stratlog is writing): {error}; try again") from None
            try:
                ids = self._insert_rows(raw, stored_events)
                raw.commit()
            except sqlite3.IntegrityError as error:
                raw.rollback()
                raise IntegrityError(error) from error
            except sqlite3.OperationalError as error:
                raw.rollback()
                raise OperationalError(error) from error
            except BaseException:
                raw.rollback()
                raise
        return ids

    def _insert_rows(self, raw: sqlite3.Connection, stored_events: Sequence[StoredEvent]) -> list[int]:
        first = (raw.execute(self.select_max_notification_id_statement).fetchone()[0] or 0) + 1
        raw.executemany(self.insert_events_statement, [
            (s.originator_id.hex, s.originator_version, s.topic, s.state) for s in stored_events])
        return list(range(first, first + len(stored_events)))

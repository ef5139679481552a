"""Is this file a stratlog database? Checked with the standard sqlite3 module before anything writes."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from stratlog.domain.errors import StratlogError
from stratlog.infrastructure.failures import DISK_FULL, READ_ONLY
from stratlog.infrastructure.new_database import settled

FORMAT_VERSION = 1
SQLITE_HEADER = b"SQLite format 3\x00"


class NotAStratlogDatabase(StratlogError):
    """Raised when --db names a file that is not a stratlog database (it is left untouched)."""


class WrittenByNewerStratlog(StratlogError):
    """Raised when the database was written by a newer stratlog than this one."""


class ReadOnlyDatabase(StratlogError):
    """Raised when a command must write to a database on read-only media or in a folder it cannot write."""


class DiskFull(StratlogError):
    """Raised when a command must write to a database whose disk has no room left."""


CREATION_WAIT = 10.0  # seconds a check waits at most while another stratlog is creating the file
MIN_ROOM = 64 * 1024  # bytes a writer needs at least: SQLite's -shm index alone takes 32 KiB


def writable(path: str) -> bool:
    """Whether this process may write the database: its folder and the file (if any) accept writes.

    The folder matters because SQLite creates the -wal and -shm files beside the database; a
    read-only mount refuses writes even to root.
    """
    file = Path(path)
    return os.access(_nearest_folder(file), os.W_OK) and (not file.exists() or os.access(file, os.W_OK))


def _nearest_folder(file: Path) -> Path:
    """The folder that holds the file, or for a database in folders yet to be made, the nearest that exists."""
    folder = file.resolve().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def unwritable(path: str) -> str | None:
    """Why nothing can be written to this database now (READ_ONLY or DISK_FULL), or None."""
    if not writable(path):
        return READ_ONLY
    stats = os.statvfs(_nearest_folder(Path(path)))
    return DISK_FULL if stats.f_bavail * stats.f_frsize < MIN_ROOM else None


def read_only_uri(path: str) -> str:
    """A URI that reads the database without writing to it.

    `mode=ro` while a write-ahead log is there to read or SQLite can create its index (-shm);
    on read-only media or a full disk without a log, `immutable=1` reads the file as it is.
    """
    uri = Path(path).resolve().as_uri()
    wal = Path(path + "-wal")
    if unwritable(path) and not (wal.exists() and wal.stat().st_size > 0):
        return f"{uri}?immutable=1"
    return f"{uri}?mode=ro"


def refuse_unwritable(path: str) -> None:
    """Refuse, before anything is written, a write to a database that cannot be written now."""
    why = unwritable(path)
    if why == READ_ONLY:
        raise ReadOnlyDatabase(f"{path!r} is read-only (a read-only mount, or a file or folder this user cannot "
                               f"write): nothing was written; queries still answer from it")
    if why == DISK_FULL:
        raise DiskFull(f"the disk holding {path!r} is full: nothing was written; free some space and try again")


def check_database_file(path: str, timeout: float = CREATION_WAIT) -> bool:
    """Refuse a file that is not a stratlog database before anything opens it for writing.

    Returns True when the file is new (absent or empty) and will be created. A file another stratlog is
    creating is read once that one has finished (see `settled`: at most `timeout` seconds, then
    DatabaseBeingCreated); if that one removed it, the file is new.
    """
    with settled(path, timeout):
        return _check_file(path)


def _check_file(path: str) -> bool:
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
    """The stratlog format of a file, read without writing to it.

    A read-only connection cannot recover the WAL index a killed writer left behind (SQLite says
    "attempt to write a readonly database"); then a normal connection reads it, which rebuilds that
    index in the -shm file and changes nothing in the database itself.
    """
    try:
        return _read_format(read_only_uri(path), path)
    except sqlite3.OperationalError as error:
        if "readonly" not in str(error):
            raise NotAStratlogDatabase(f"{path!r} is not a readable stratlog database ({error})") from None
        if unwritable(path):
            raise ReadOnlyDatabase(f"{path!r} cannot be read here: a stratlog that stopped while writing left its "
                                   f"write-ahead log to recover, which needs write access; open it once where it "
                                   f"can be written") from None
        return _read_format(Path(path).resolve().as_uri(), path)


def _read_format(uri: str, path: str) -> int:
    conn = sqlite3.connect(uri, uri=True)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "stratlog_meta" not in tables:
            if tables:
                raise NotAStratlogDatabase(f"{path!r} is an SQLite database but not a stratlog one "
                                           f"(tables: {', '.join(sorted(tables)[:5])}); it was not touched")
            return 0
        row = conn.execute("SELECT value FROM stratlog_meta WHERE key='format_version'").fetchone()
    except sqlite3.OperationalError as error:
        if "readonly" in str(error):
            raise
        raise NotAStratlogDatabase(f"{path!r} is not a readable stratlog database ({error})") from None
    except sqlite3.DatabaseError as error:
        raise NotAStratlogDatabase(f"{path!r} is not a readable stratlog database ({error})") from None
    finally:
        conn.close()
    return int(row[0]) if row else 0


def mark_database(conn: sqlite3.Connection) -> None:
    """Write the stratlog marker (format version) into a database file."""
    conn.execute("CREATE TABLE IF NOT EXISTS stratlog_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("INSERT OR IGNORE INTO stratlog_meta (key, value) VALUES ('format_version', ?)", (str(FORMAT_VERSION),))


class NoDatabase(StratlogError):
    """Raised when a query names a database file that does not exist."""


def check_existing_database(path: str, timeout: float = CREATION_WAIT) -> None:
    """For commands that only read: the file must exist (nothing is created) and be a stratlog database.

    A file another stratlog is creating is checked once that one has finished (at most `timeout` seconds,
    then DatabaseBeingCreated); NoDatabase if it removed the file (its first command was refused).
    """
    with settled(path, timeout):
        if not Path(path).exists():
            raise NoDatabase(f"no stratlog database at {path!r} (create one with 'stratlog demo' "
                             f"or 'stratlog import FILE', or point --db at one)")
        _check_file(path)

"""Is this file a stratlog database? Checked with the standard sqlite3 module before anything writes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from stratlog.domain.errors import StratlogError

FORMAT_VERSION = 1
SQLITE_HEADER = b"SQLite format 3\x00"


class NotAStratlogDatabase(StratlogError):
    """Raised when --db names a file that is not a stratlog database (it is left untouched)."""


class WrittenByNewerStratlog(StratlogError):
    """Raised when the database was written by a newer stratlog than this one."""


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
    """The stratlog format of a file, read without writing to it.

    A read-only connection cannot recover the WAL index a killed writer left behind (SQLite says
    "attempt to write a readonly database"); then a normal connection reads it, which rebuilds that
    index in the -shm file and changes nothing in the database itself.
    """
    try:
        return _read_format(f"{Path(path).resolve().as_uri()}?mode=ro", path)
    except sqlite3.OperationalError as error:
        if "readonly" not in str(error):
            raise NotAStratlogDatabase(f"{path!r} is not a readable stratlog database ({error})") from None
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


def check_existing_database(path: str) -> None:
    """For commands that only read: the file must exist (nothing is created) and be a stratlog database."""
    if not Path(path).exists():
        raise NoDatabase(f"no stratlog database at {path!r} (create one with 'stratlog demo' "
                         f"or 'stratlog import FILE', or point --db at one)")
    check_database_file(path)

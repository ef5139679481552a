"""The snapshot `serve` answers from: a caught-up copy of the database that nothing writes any more."""

from __future__ import annotations

from dataclasses import replace

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from stratlog.domain.errors import StratlogError
from stratlog.infrastructure.config import Settings, shown
from stratlog.infrastructure.runtime import Runtime
from stratlog.infrastructure.sqlite_guard import check_database_file, check_existing_database

SNAPSHOT_NAME = "stratlog.db"  # Datasette names the database after the file: /stratlog/statements


class SnapshotFailed(StratlogError):
    """Raised when the copy `serve` answers from cannot be made (disk full, unreadable database)."""


@dataclass(frozen=True)
class Snapshot:
    """A caught-up copy of a stratlog database, in one file, opened immutable by whoever reads it."""

    path: Path
    source: str
    taken_at: datetime
    statements: int


def snapshot_source(settings: Settings) -> str | None:
    """The file a snapshot copies, checked before anything else happens: the database itself, or in
    team mode the local read model (None when there is none yet: the snapshot then starts empty)."""
    if not settings.team_mode:
        check_existing_database(settings.db, settings.lock_timeout)
        return settings.db
    if Path(settings.read_model).exists():
        check_database_file(settings.read_model, settings.lock_timeout)
        return settings.read_model
    return None


def take_snapshot(settings: Settings, folder: Path, source: str | None) -> Snapshot:
    """Copy `source` (see snapshot_source) into `folder` and catch the copy up with the log.

    The database named by --db is only read: migrations and catching up happen in the copy, which
    ends as one file (no -wal) so that it can be opened immutable.
    """
    target = folder / SNAPSHOT_NAME
    try:
        if source is not None:
            _copy(source, target)
        runtime = Runtime(_settings_of_copy(settings, target), writing=False)
        try:
            runtime.fresh_read_model()
            statements = runtime.read_model.conn.execute("SELECT COUNT(*) FROM rm_statements").fetchone()[0]
        finally:
            runtime.close()
        _single_file(target)
    except (sqlite3.Error, OSError) as error:
        raise SnapshotFailed(f"could not make the snapshot of {shown(settings.db)} that serve reads, in {folder}: "
                             f"{error}; nothing was written to {shown(settings.db)}") from None
    return Snapshot(target, shown(settings.db), datetime.now(timezone.utc), statements)


def _settings_of_copy(settings: Settings, copy: Path) -> Settings:
    if settings.team_mode:
        return replace(settings, read_model=str(copy))
    return replace(settings, db=str(copy), read_model=str(copy))


def _copy(source: str, target: Path) -> None:
    """A consistent copy with SQLite's backup API, reading the source without writing to it."""
    origin = _read_only(source)
    copy = sqlite3.connect(target)
    try:
        origin.backup(copy)
    finally:
        copy.close()
        origin.close()


def _read_only(path: str) -> sqlite3.Connection:
    """A read-only connection; a WAL a killed writer left behind needs a normal one to be read (as in
    sqlite_guard), which rebuilds its index and changes nothing in the database itself."""
    uri = Path(path).resolve().as_uri()
    connection = sqlite3.connect(f"{uri}?mode=ro", uri=True)
    try:
        connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return connection
    except sqlite3.OperationalError as error:
        connection.close()
        if "readonly" not in str(error):
            raise
        return sqlite3.connect(uri, uri=True)


def _single_file(path: Path) -> None:
    """Fold the WAL into the file and leave rollback-journal mode, so an immutable reader sees it all."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=DELETE").fetchone()
    finally:
        connection.close()

"""Bulk import through `stratlog import` against raw `executemany` of the same rows into a bare event table."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.figures import MB_PER_GB, Figure, Target
from benchmarks.timing import Series, console_script, run_process

EVENT_TABLE = ("CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, topic TEXT, state BLOB, "
               "PRIMARY KEY (originator_id, originator_version))")
IMPORT_TARGET = Target("ratio", at_least=True, goal=0.20, stretch=0.4, unit="×")  # DESIGN 8b r2
BEATS_DEFAULT_TARGET = Target("ratio", at_least=True, goal=1.0, unit="×")  # r2: import beats the plain library
SIZE_TARGET = Target("value", at_least=False, goal=1024, stretch=700, unit="B")
IMPORT_MEMORY_TARGET = Target("value", at_least=False, goal=MB_PER_GB, stretch=300, unit="MB")


@dataclass
class Imported:
    """The figures of the import, and the database of the last import (kept for the other measurements)."""

    figures: list[Figure]
    db: str
    events: int
    seconds: list[float]


def remove_database(path: str) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(path + suffix).unlink(missing_ok=True)


def stored_rows(db: str) -> list[tuple]:
    """Every row of the event store, in the order it was written."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT originator_id, originator_version, topic, state FROM stored_events "
                            "ORDER BY rowid").fetchall()
    finally:
        conn.close()


def raw_executemany_seconds(rows: list[tuple], path: str) -> float:
    """Seconds to insert `rows` with one `executemany` in one transaction into a fresh WAL file."""
    remove_database(path)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(EVENT_TABLE)
        started = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO stored_events VALUES (?, ?, ?, ?)", rows)
        conn.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        conn.close()
        remove_database(path)


def measure_import(jsonl: str, statements: int, workdir: str, repeat: int) -> Imported:
    """`repeat` imports of the file, each into a fresh database, each followed by its two baselines: raw
    `executemany` of the rows it stored, and eventsourcing's default path storing the same statements."""
    from benchmarks.es_default import es_default_rate
    stratlog = console_script()
    rates, raw_rates, default_rates, peaks, seconds = [], [], [], [], []
    db = ""
    for attempt in range(repeat):
        if db:
            remove_database(db)
        db = str(Path(workdir) / f"import-{attempt}.db")
        remove_database(db)
        run = run_process([stratlog, "--db", db, "import", jsonl], cwd=workdir, log_dir=workdir, peak_memory=True)
        rates.append(statements / run.seconds)
        seconds.append(run.seconds)
        peaks.append(run.peak_mb)
        rows = stored_rows(db)
        raw_rates.append(len(rows) / raw_executemany_seconds(rows, str(Path(workdir) / "raw-executemany.db")))
        events = len(rows)
        del rows
        default_rates.append(es_default_rate(jsonl, str(Path(workdir) / "eventsourcing-default.db")))
    figures = [
        Figure(Series("bulk import (`stratlog import`, whole process)", "statements/s", rates),
               Series("raw `executemany` of the same rows, one transaction", "rows/s", raw_rates),
               "share", "× raw", IMPORT_TARGET),
        Figure(Series("bulk import against eventsourcing's default path", "statements/s", rates),
               Series("eventsourcing's default path (aggregate command methods, one `save` per 1,000)", "statements/s",
                      default_rates), "share", "× default path", BEATS_DEFAULT_TARGET),
        Figure(Series("database size per statement (events + read model)", "B", [database_bytes(db) / statements]),
               Series("JSON Lines input per statement", "B", [Path(jsonl).stat().st_size / statements]),
               "times", "× input", SIZE_TARGET),
        Figure(Series("peak memory of `stratlog import`", "MB", peaks), target=IMPORT_MEMORY_TARGET),
    ]
    return Imported(figures, db, events, seconds)


def database_bytes(db: str) -> int:
    """The size of the database as stored: the file and its write-ahead log."""
    return sum(Path(db + suffix).stat().st_size for suffix in ("", "-wal") if Path(db + suffix).exists())


def bytes_by_part(db: str) -> tuple[int, int]:
    """(event store, read model and the rest) bytes, from SQLite's dbstat table of pages."""
    conn = sqlite3.connect(db)
    try:
        sizes = conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
    except sqlite3.OperationalError:  # an SQLite built without dbstat
        return 0, 0
    finally:
        conn.close()
    events = sum(size for name, size in sizes if "stored_events" in name)
    return events, sum(size for _, size in sizes) - events

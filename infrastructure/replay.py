"""`replay`: the answers as of a date written to a standalone SQLite file."""

from __future__ import annotations

import json
from datetime import date, datetime

import sqlite_utils

from stratlog.application.flat_rows import shown
from stratlog.application.ports import QUIET, Progress


def _flat(row: dict) -> dict:
    """An answer row as a table row, its dates shown as written (a fiscal year stored FY2026/03 reads FY2026)."""
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v for k, v in shown(row).items()}


def write_replay(queries, out: str, as_of: date, known_at: datetime, progress: Progress = QUIET) -> dict[str, int]:
    """Write the answers as of a date into the SQLite file `out` (a temporary the caller renames into place)."""
    db = sqlite_utils.Database(out)
    try:
        counts = _write_tables(db, queries, as_of, known_at, progress)
    finally:
        db.close()
    return counts


def _write_tables(db: sqlite_utils.Database, queries, as_of: date, known_at: datetime, progress: Progress) -> dict:
    counts = {}
    brands = queries.brands(None)
    progress.start("replaying brands", len(brands))
    with db.conn:
        for brand in brands:
            tables = {
                "timeline": queries.timeline(brand, as_of, known_at),
                "kpis": queries.kpis(brand, as_of, known_at),
                "audit": queries.audit(brand, None, None, as_of, known_at),
                "state": [{"brand": brand, "state": queries.state(brand, as_of, known_at)}],
            }
            for table, rows in tables.items():
                if rows:
                    db[table].insert_all([_flat(r) for r in rows], alter=True)
                counts[table] = counts.get(table, 0) + len(rows)
            progress.advance()
        db["replay"].insert({"as_of": as_of.isoformat(), "known_at": known_at.isoformat()})
    progress.finish()
    return counts

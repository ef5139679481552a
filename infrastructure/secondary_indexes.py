"""The read model's secondary indexes, dropped while a bulk command fills empty tables and built after."""

from __future__ import annotations

import sqlite3

from stratlog.infrastructure.migrations import READ_MODEL_TABLES


def drop_secondary_indexes(conn: sqlite3.Connection) -> list[str]:
    """Drop the read model's secondary indexes (not its keys); returns their SQL, to build them again
    exactly as the migrations made them once the rows are in (one sort per index, not one update per row)."""
    secondary = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND tbl_name IN "
        f"({','.join('?' * len(READ_MODEL_TABLES))}) ORDER BY name", READ_MODEL_TABLES).fetchall()
    for name, _ in secondary:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in secondary]

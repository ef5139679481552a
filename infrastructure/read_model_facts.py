"""Facts about a read model read without changing it: its position, the fold that built it, what it holds."""

from __future__ import annotations

import sqlite3

from stratlog.infrastructure.read_access import POSITION


def read_model_facts(conn: sqlite3.Connection) -> dict:
    """{position, projection_version (None before any fold), statements, brands} of a read model's tables;
    tables not made yet count as empty."""
    return {"position": _one(conn, f"SELECT position FROM rm_position WHERE name='{POSITION}'") or 0,
            "projection_version": _version(_one(conn, "SELECT value FROM stratlog_meta WHERE key='projection_version'")),
            "statements": _one(conn, "SELECT COUNT(*) FROM rm_statements") or 0,
            "brands": _one(conn, "SELECT COUNT(DISTINCT brand) FROM rm_subjects") or 0}


def _one(conn: sqlite3.Connection, sql: str):
    try:
        row = conn.execute(sql).fetchone()
    except sqlite3.OperationalError:  # no such table: nothing folded yet
        return None
    return row[0] if row else None


def _version(text: str | None) -> int | None:
    return int(text) if text is not None and str(text).isdigit() else None

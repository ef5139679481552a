"""Ending a failed SQLite transaction without hiding why it failed."""

from __future__ import annotations

import sqlite3


def roll_back(conn: sqlite3.Connection, cause: BaseException) -> None:
    """Roll back the open transaction, if SQLite still has one.

    A full disk or an I/O error may already have ended it (a ROLLBACK then fails with "no
    transaction is active"); a rollback that fails is noted on `cause`, never raised instead of it.
    """
    if not conn.in_transaction:
        return
    try:
        conn.rollback()
    except sqlite3.Error as error:  # the cause is what the user must see; SQLite rolls back on close anyway
        cause.add_note(f"rolling back also failed: {error}")

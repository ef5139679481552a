"""Transactions of the event store: a command's recording session, and ending a failed one without hiding why."""

from __future__ import annotations

import sqlite3
import threading
from typing import Any, Sequence


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


class JoinsRecordingSession:
    """Mixin of a recorder whose `recording()` opens a session (in `self._held.session`) that holds the
    write lock: an insert made while one is open joins it, any other runs in a session of its own."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._held = threading.local()

    def insert_events(self, stored_events: Sequence[Any], **kwargs: Any) -> Sequence[int] | None:
        """Insert in the command's open transaction (Application.save inside `recording`), else in a new one."""
        session = getattr(self._held, "session", None)
        if session is not None:
            return session.write(stored_events)
        with self.recording() as session:
            return session.write(stored_events)

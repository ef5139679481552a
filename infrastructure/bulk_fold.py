"""A first import into an empty SQLite database folds each subject's events from memory, on its own transaction."""

from __future__ import annotations

import sqlite3
from typing import Any

from stratlog.infrastructure.event_source import LoggedEvent, subject_type_of
from stratlog.infrastructure.migrations import READ_MODEL_TABLES
from stratlog.infrastructure.read_access import ReadAccess
from stratlog.infrastructure.read_model import CommandIds, Pending, ReadModel
from stratlog.infrastructure.secondary_indexes import drop_secondary_indexes


class _NoLog:
    """Stands in for the log while folding events just written: every event a subject's fold needs is in
    memory (the subject is new in this command), so reading the log would be a fault."""

    def events_of(self, subject_id: Any, versions: Any) -> list:
        raise LookupError(f"subject {subject_id}: an event folded on the import's transaction is not in memory")


class FoldAsWritten(ReadModel):
    """The read model on the recorder's connection, inside the command's transaction (the write lock held):
    each subject's events are folded as soon as they are written, with the read model's own fold
    (`fold_subject`), never read back from the log and decoded again.

    Made by `start` only when the log and the read model are both empty: then every subject is new,
    and the read model's secondary indexes are dropped and built once, after the last row (`finish`).
    The statements (and their sources) of many subjects are gathered and written together, as a rebuild
    writes them (read_model.STATEMENT_BATCH): a history of many short subjects costs no more per statement.
    """

    def __init__(self, conn: sqlite3.Connection):
        ReadAccess.__init__(self, conn)
        self.top = 0
        self.ids = CommandIds()  # the import's own: made with its transaction
        self.pending = Pending(self.ids)  # rows gathered over subjects; the last of them written by `finish`
        self.indexes = drop_secondary_indexes(conn)  # built again, exactly as the migrations made them

    @classmethod
    def start(cls, session: Any) -> FoldAsWritten | None:
        """A fold on the session's transaction, or None when the read model must catch up after the commit
        instead (not a SQLite session, events already in the log, or rows already in the read model)."""
        conn = getattr(session, "raw", None)
        if not isinstance(conn, sqlite3.Connection):
            return None
        try:
            if conn.execute("SELECT 1 FROM stored_events LIMIT 1").fetchone() is not None:
                return None
            if any(conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() for table in READ_MODEL_TABLES):
                return None
        except sqlite3.OperationalError:  # no read-model tables in this file: nothing to fold into
            return None
        return cls(conn)

    def fold(self, written: list[tuple[int, Any]]) -> None:
        """Fold one new subject's events (notification id, event), every event it has, in version order."""
        if not written:
            return
        logged = [LoggedEvent(position, subject_type_of(f"x:{type(event).__qualname__}"), event.originator_id, event)
                  for position, event in written]
        self.fold_subject(logged[0].subject_id.hex, logged, _NoLog(), self.pending)
        self.top = max(self.top, logged[-1].position)

    def finish(self) -> None:
        """The statements still gathered written, the position folded up to and the fold that folded it;
        the secondary indexes built again."""
        self.pending.flush(self.conn)
        self._set_position(self.top, self.top > 0)
        for sql in self.indexes:
            self.conn.execute(sql)

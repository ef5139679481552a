"""Answering from the read model with the standard sqlite3 module alone (fast to start)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from uuid import UUID

from stratlog.domain.dates import instant_text
from stratlog.domain.items import regroup

POSITION = "stratlog"


class ReadAccess:
    """Read-only questions to the read-model tables: group views at a date, brands, positions."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    @classmethod
    def open(cls, path: str, timeout: float = 10.0) -> ReadAccess:
        return cls(sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False))

    def close(self) -> None:
        self.conn.close()

    def position(self) -> int:
        row = self.conn.execute("SELECT position FROM rm_position WHERE name=?", (POSITION,)).fetchone()
        return row[0] if row else 0

    def is_current(self) -> bool:
        """Whether the read model exists and has folded every event of the SQLite log in this file."""
        try:
            log = self.conn.execute("SELECT MAX(rowid) FROM stored_events").fetchone()[0] or 0
            return self.position() == log
        except sqlite3.OperationalError:
            return False

    # -- answering ---------------------------------------------------------------------------
    def views(self, brand: str, as_of: date, known_at: datetime, kinds: tuple[str, ...] = ()) -> list[dict]:
        """Every group view of a brand as of `as_of`, as known at `known_at` (only `kinds` if given)."""
        d, t = as_of.isoformat(), instant_text(known_at)
        sql = ("SELECT subject_id, grp, data FROM rm_items WHERE brand=? AND known_to>? AND valid_to>? "
               "AND known_from<=? AND valid_from<=?")
        args: list = [brand, t, d, t, d]
        if kinds:
            sql += f" AND kind IN ({','.join('?' * len(kinds))})"
            args += kinds
        return regroup(((subject + group, json.loads(data)) for subject, group, data in self.conn.execute(sql, args)))

    def brands(self) -> list[str]:
        return [b for (b,) in self.conn.execute(
            "SELECT DISTINCT brand FROM rm_statements WHERE kind='brand-registered' ORDER BY brand")]

    def brand_registered(self, brand: str, known_at: datetime | None = None) -> bool:
        return self.conn.execute("SELECT 1 FROM rm_statements WHERE brand=? AND kind='brand-registered' LIMIT 1",
                                 (brand,)).fetchone() is not None

    def positions(self, brand: str | None = None, kind: str | None = None, since: datetime | None = None) -> list[int]:
        """Positions of the statements matching the filters, in recording order."""
        sql, args = "SELECT position FROM rm_statements WHERE 1=1", []
        for column, value in (("brand", brand), ("kind", kind)):
            if value is not None:
                sql += f" AND {column}=?"
                args.append(value)
        if since is not None:
            sql += " AND recorded_at>=?"
            args.append(instant_text(since))
        return [p for (p,) in self.conn.execute(sql + " ORDER BY position", args)]

    def location(self, statement_id: str) -> tuple[UUID, int] | None:
        row = self.conn.execute("SELECT subject_id, version FROM rm_statements WHERE statement_id=?",
                                (statement_id,)).fetchone()
        return (UUID(hex=row[0]), row[1]) if row else None

    def subjects_of(self, brand: str) -> list[UUID]:
        return [UUID(hex=s) for (s,) in self.conn.execute(
            "SELECT DISTINCT subject_id FROM rm_statements WHERE brand=?", (brand,))]

    def valid_dates(self, brand: str) -> list[str]:
        return [d for (d,) in self.conn.execute(
            "SELECT DISTINCT valid_from FROM rm_items WHERE brand=? ORDER BY valid_from", (brand,))]

"""The read model: SQLite tables of folded views, caught up from the notification log."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from datetime import date, datetime
from typing import Iterable
from uuid import UUID

import sqlite_utils

from application.clock import instant_text
from application.ports import StatementRef
from application.projection import group_rows
from domain.fixes import Fix, StatementCorrected
from domain.groups import group_of
from domain.history import Entry
from domain.kinds import RECORD_ADAPTER
from domain.subject_statements import ModelRenamed, ModelStatement
from domain.values import normalise_key
from infrastructure.event_source import EventSource, LoggedEvent
from infrastructure.migrations import READ_MODEL_TABLES, migrate

POSITION = "stratlog"


def parse_instant(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z")


class ReadModel:
    """Folded views per brand and group, valid over announced dates and known instants."""

    def __init__(self, path: str, timeout: float = 10.0):
        self.conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        migrate(sqlite_utils.Database(self.conn))

    def close(self) -> None:
        self.conn.close()

    # -- catching up -------------------------------------------------------------------------
    def position(self) -> int:
        row = self.conn.execute("SELECT position FROM rm_position WHERE name=?", (POSITION,)).fetchone()
        return row[0] if row else 0

    def catch_up(self, source: EventSource) -> int:
        """Apply every event after our position; rows and position are written in one transaction."""
        count = 0
        while True:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                chunk = source.read_chunk(self.position(), limit=5000)
                if chunk:
                    self._refresh_groups(self._store_statements(chunk))
                    self.conn.execute("INSERT OR REPLACE INTO rm_position (name, position) VALUES (?, ?)",
                                      (POSITION, chunk[-1].position))
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            if not chunk:
                return count
            count += len(chunk)

    def rebuild(self, source: EventSource) -> int:
        """Empty the read model and fold the whole log again."""
        self.conn.execute("BEGIN IMMEDIATE")
        for table in READ_MODEL_TABLES:
            self.conn.execute(f"DELETE FROM {table}")
        self.conn.execute("COMMIT")
        return self.catch_up(source)

    def _store_statements(self, chunk: list[LoggedEvent]) -> dict[tuple[str, str, str], datetime]:
        touched: dict[tuple[str, str, str], datetime] = {}
        for logged in chunk:
            event, statement = logged.event, logged.event.statement
            subject = logged.subject_id.hex
            if isinstance(statement, Fix):
                brand, groups = self._fix_groups(subject, statement)
            else:
                brand, groups = statement.brand, [group_of(statement)]
                self._remember_names(subject, statement)
            self.conn.execute(
                "INSERT OR IGNORE INTO rm_statements VALUES (?,?,?,?,?,?,?,?,?,?)",
                (event.statement_id, logged.position, logged.subject_type, subject, brand, statement.KIND,
                 statement.target if isinstance(statement, Fix) else None,
                 str(getattr(statement, "announced_on", None) or "") or None, instant_text(event.recorded_at),
                 statement.model_dump_json(exclude_none=True)))
            for group in groups:
                self.conn.execute("INSERT OR IGNORE INTO rm_members VALUES (?,?,?)", (subject, group, event.statement_id))
                key = (brand, subject, group)
                touched[key] = min(touched.get(key, event.recorded_at), event.recorded_at)
        return touched

    def _fix_groups(self, subject: str, fix: Fix) -> tuple[str, list[str]]:
        brand, body = self.conn.execute("SELECT brand, body FROM rm_statements WHERE statement_id=?",
                                        (fix.target,)).fetchone()
        groups = [g for (g,) in self.conn.execute(
            "SELECT grp FROM rm_members WHERE subject_id=? AND statement_id=?", (subject, fix.target))]
        if isinstance(fix, StatementCorrected):
            moved = group_of(RECORD_ADAPTER.validate_json(body).corrected(fix.fields))
            if moved not in groups:
                self.conn.execute("INSERT OR IGNORE INTO rm_members VALUES (?,?,?)", (subject, moved, fix.target))
                groups.append(moved)
        return brand, groups

    def _remember_names(self, subject: str, statement) -> None:
        if isinstance(statement, ModelStatement):
            names = [statement.model] + ([statement.new_name] if isinstance(statement, ModelRenamed) else [])
            for name in names:
                self.conn.execute("INSERT OR IGNORE INTO rm_names VALUES ('model', ?, ?)",
                                  (normalise_key(statement.brand, name), subject))

    def _refresh_groups(self, touched: dict[tuple[str, str, str], datetime]) -> None:
        for (brand, subject, group), since in touched.items():
            entries = self._group_entries(subject, group)
            since_text = instant_text(since)
            self.conn.execute("DELETE FROM rm_views WHERE subject_id=? AND grp=? AND known_from>=?",
                              (subject, group, since_text))
            self.conn.execute("UPDATE rm_views SET known_to=? WHERE subject_id=? AND grp=? AND known_to>?",
                              (since_text, subject, group, since_text))
            self.conn.executemany("INSERT INTO rm_views VALUES (?,?,?,?,?,?,?,?)", [
                (brand, subject, group, r.valid_from, r.valid_to, r.known_from, r.known_to, r.view)
                for r in group_rows(group, entries, since)])

    def _group_entries(self, subject: str, group: str) -> list[Entry]:
        rows = self.conn.execute(
            "SELECT s.statement_id, s.position, s.recorded_at, s.body FROM rm_statements s "
            "WHERE s.statement_id IN (SELECT statement_id FROM rm_members WHERE subject_id=? AND grp=?) "
            "OR s.fixes IN (SELECT statement_id FROM rm_members WHERE subject_id=? AND grp=?)",
            (subject, group, subject, group))
        return [Entry(sid, pos, parse_instant(at), RECORD_ADAPTER.validate_json(body)) for sid, pos, at, body in rows]

    # -- answering ---------------------------------------------------------------------------
    def views(self, brand: str, as_of: date, known_at: datetime) -> list[dict]:
        """Every group view of a brand as of `as_of`, as known at `known_at`."""
        d, t = as_of.isoformat(), instant_text(known_at)
        rows = self.conn.execute(
            "SELECT view FROM rm_views WHERE brand=? AND known_to>? AND known_from<=? AND valid_to>? AND valid_from<=?",
            (brand, t, t, d, d))
        return [json.loads(view) for (view,) in rows]

    def brands(self) -> list[str]:
        return [b for (b,) in self.conn.execute(
            "SELECT DISTINCT brand FROM rm_statements WHERE kind='brand-registered' ORDER BY brand")]

    def brand_registered(self, brand: str, known_at: datetime | None = None) -> bool:
        sql = "SELECT 1 FROM rm_statements WHERE brand=? AND kind='brand-registered'"
        args: tuple = (brand,)
        if known_at is not None:
            sql, args = sql + " AND recorded_at<=?", (brand, instant_text(known_at))
        return self.conn.execute(sql + " LIMIT 1", args).fetchone() is not None

    def statements(self, brand: str | None = None, kind: str | None = None, since: datetime | None = None) -> Iterable[tuple]:
        """Raw statement rows in recording order (statement_id, position, subject_type, brand, kind, recorded_at, body)."""
        sql, args = "SELECT statement_id, position, subject_type, brand, kind, recorded_at, body FROM rm_statements WHERE 1=1", []
        for column, value in (("brand", brand), ("kind", kind)):
            if value is not None:
                sql += f" AND {column}=?"
                args.append(value)
        if since is not None:
            sql += " AND recorded_at>=?"
            args.append(instant_text(since))
        return self.conn.execute(sql + " ORDER BY position", args)

    def valid_dates(self, brand: str) -> list[str]:
        return [d for (d,) in self.conn.execute(
            "SELECT DISTINCT valid_from FROM rm_views WHERE brand=? ORDER BY valid_from", (brand,))]

    # -- StatementIndex ----------------------------------------------------------------------
    def find_statements(self, prefix: str) -> list[StatementRef]:
        rows = self.conn.execute(
            "SELECT statement_id, kind, subject_type, subject_id, brand FROM rm_statements "
            "WHERE statement_id >= ? AND statement_id < ? LIMIT 20", (prefix, prefix + "\uffff"))
        return [StatementRef(sid, kind, st, UUID(hex=subject), brand) for sid, kind, st, subject, brand in rows]

    def subject_named(self, subject_type: str, key: tuple[str, ...]) -> UUID | None:
        row = self.conn.execute("SELECT subject_id FROM rm_names WHERE subject_type=? AND name_key=?",
                                (subject_type, normalise_key(*key))).fetchone()
        return UUID(hex=row[0]) if row else None

    def statements_by_id(self, statement_id: str) -> list[str]:
        return [body for (body,) in self.conn.execute("SELECT body FROM rm_statements WHERE statement_id=?", (statement_id,))]

"""The read model: SQLite tables of folded items, caught up from the notification log."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from datetime import date, datetime
from typing import Iterable
from uuid import UUID

import sqlite_utils

from application.ports import StatementRef
from application.projection import OPEN_INSTANT, item_rows
from domain.dates import instant_text
from domain.fixes import Fix, StatementCorrected
from domain.groups import group_of
from domain.history import Entry
from domain.items import regroup
from domain.subject_statements import ModelRenamed, ModelStatement
from domain.values import normalise_key
from infrastructure.event_source import EventSource, LoggedEvent
from infrastructure.migrations import READ_MODEL_TABLES, migrate

POSITION = "stratlog"
CHUNK = 20000


class ReadModel:
    """Folded items per brand and group, valid over announced dates and known instants."""

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
        """Fold every event after our position; rows and position are written in one transaction."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            count = self._catch_up(source)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return count

    def rebuild(self, source: EventSource) -> int:
        """Empty the read model and fold the whole log again (one transaction)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            for table in READ_MODEL_TABLES:
                self.conn.execute(f"DELETE FROM {table}")
            count = self._catch_up(source)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return count

    def _catch_up(self, source: EventSource) -> int:
        touched: dict[tuple[str, str], tuple[str, str]] = {}
        cache: dict[tuple[str, int], LoggedEvent] = {}
        position, count = self.position(), 0
        while chunk := source.read_chunk(position, limit=CHUNK):
            for logged in chunk:
                if len(cache) < CHUNK:
                    cache[(logged.subject_id.hex, logged.event.originator_version)] = logged
                self._store_statement(logged, touched, source, cache)
            position, count = chunk[-1].position, count + len(chunk)
        for (subject, group), (brand, earliest) in touched.items():
            self._refresh_group(subject, group, brand, earliest, source, cache)
        if count:
            self.conn.execute("INSERT OR REPLACE INTO rm_position (name, position) VALUES (?, ?)", (POSITION, position))
        return count

    def _store_statement(self, logged: LoggedEvent, touched: dict, source: EventSource, cache: dict) -> None:
        event, statement, subject = logged.event, logged.event.statement, logged.subject_id.hex
        version = event.originator_version
        if isinstance(statement, Fix):
            brand, groups = self._fix_groups(subject, statement, source, cache)
        else:
            brand, groups = statement.brand, [group_of(statement)]
            self._remember_names(subject, statement)
        recorded_at = instant_text(event.recorded_at)
        self.conn.execute("INSERT OR IGNORE INTO rm_statements VALUES (?,?,?,?,?,?,?,?,?,?)", (
            event.statement_id, logged.position, logged.subject_type, subject, version, brand, statement.KIND,
            statement.target if isinstance(statement, Fix) else None,
            str(getattr(statement, "announced_on", None) or "") or None, recorded_at))
        for group in groups:
            self.conn.execute("INSERT OR IGNORE INTO rm_members VALUES (?,?,?)", (subject, group, version))
            earlier = touched.get((subject, group), (brand, recorded_at))[1]
            touched[(subject, group)] = (brand, min(earlier, recorded_at))

    def _fix_groups(self, subject: str, fix: Fix, source: EventSource, cache: dict) -> tuple[str, list[str]]:
        brand, version = self.conn.execute(
            "SELECT brand, version FROM rm_statements WHERE statement_id=?", (fix.target,)).fetchone()
        groups = [g for (g,) in self.conn.execute(
            "SELECT grp FROM rm_members WHERE subject_id=? AND version=?", (subject, version))]
        if isinstance(fix, StatementCorrected):
            original = self._events(subject, [version], source, cache)[0].event.statement
            moved = group_of(original.corrected(fix.fields))
            if moved not in groups:
                self.conn.execute("INSERT OR IGNORE INTO rm_members VALUES (?,?,?)", (subject, moved, version))
                groups.append(moved)
        return brand, groups

    def _remember_names(self, subject: str, statement) -> None:
        if isinstance(statement, ModelStatement):
            names = [statement.model] + ([statement.new_name] if isinstance(statement, ModelRenamed) else [])
            for name in names:
                self.conn.execute("INSERT OR IGNORE INTO rm_names VALUES ('model', ?, ?)",
                                  (normalise_key(statement.brand, name), subject))

    def _events(self, subject: str, versions: list[int], source: EventSource, cache: dict) -> list[LoggedEvent]:
        missing = [v for v in versions if (subject, v) not in cache]
        loaded = {e.event.originator_version: e for e in source.events_of(UUID(hex=subject), missing)} if missing else {}
        return [cache.get((subject, v)) or loaded[v] for v in versions]

    def _refresh_group(self, subject: str, group: str, brand: str, earliest: str, source, cache) -> None:
        versions = [v for (v,) in self.conn.execute(
            "SELECT version FROM rm_members WHERE subject_id=? AND grp=? ORDER BY version", (subject, group))]
        entries = [Entry(e.event.statement_id, e.event.originator_version, e.event.recorded_at, e.event.statement)
                   for e in self._events(subject, versions, source, cache)]
        latest = self.conn.execute("SELECT latest_known FROM rm_groups WHERE subject_id=? AND grp=?",
                                   (subject, group)).fetchone()
        incremental = latest is not None and earliest > latest[0]
        where = "subject_id=? AND grp=?" + (" AND known_to=?" if incremental else "")
        args = (subject, group) + ((OPEN_INSTANT,) if incremental else ())
        open_rows = self._open_rows(where, args) if incremental else []
        self.conn.execute(f"DELETE FROM rm_items WHERE {where}", args)
        rows = item_rows(group, entries, open_rows)
        kind = group.split(":", 1)[0]
        self.conn.executemany("INSERT INTO rm_items VALUES (?,?,?,?,?,?,?,?,?,?)", [
            (brand, subject, group, kind, r.item, r.valid_from, r.valid_to, r.known_from, r.known_to, r.data)
            for r in rows])
        newest = max((instant_text(e.recorded_at) for e in entries), default="")
        self.conn.execute("INSERT OR REPLACE INTO rm_groups VALUES (?,?,?,?,?)", (subject, group, brand, kind, newest))

    def _open_rows(self, where: str, args: tuple) -> list:
        from application.projection import ItemRow
        return [ItemRow(*row) for row in self.conn.execute(
            f"SELECT item, valid_from, valid_to, known_from, known_to, data FROM rm_items WHERE {where}", args)]

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

    # -- which event store this read model indexes (team mode) -------------------------------
    def events_url(self) -> str | None:
        row = self.conn.execute("SELECT value FROM stratlog_meta WHERE key='events_url'").fetchone()
        return row[0] if row else None

    def remember_events_url(self, url: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO stratlog_meta (key, value) VALUES ('events_url', ?)", (url,))

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

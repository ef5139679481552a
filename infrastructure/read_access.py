"""Answering from the read model with the standard sqlite3 module alone (fast to start)."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from uuid import UUID

from stratlog.domain.dates import instant_text
from stratlog.domain.items import regroup
from stratlog.infrastructure.compact_schema import SUBJECT_NUMBER
from stratlog.infrastructure.statement_keys import KIND_CODES, kind_code, stored_id
from stratlog.infrastructure.item_codec import (ShapeKeys, StatedFields, canonical, day_text, instant_from_number,
                                                instant_number, unpacked)

POSITION = "stratlog"
KIND = "CASE WHEN i.item GLOB 'a:*' THEN 'audit' ELSE g.kind END"  # an item's kind: its group's, audit rows apart


class ReadAccess:
    """Read-only questions to the read-model tables: group views at a date, brands, positions."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.shape_keys, self.stated = ShapeKeys(conn), StatedFields(conn)

    @classmethod
    def open(cls, path: str, timeout: float = 10.0, read_only: bool = False) -> ReadAccess:
        """The read model in this file; `read_only` opens it without writing anything (read-only media)."""
        if read_only:
            from stratlog.infrastructure.sqlite_guard import read_only_uri
            return cls(sqlite3.connect(read_only_uri(path), uri=True, timeout=timeout, isolation_level=None,
                                       check_same_thread=False))
        return cls(sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False))

    def forget_read_rows(self) -> None:
        """Read shapes and stated fields afresh (after a rolled-back transaction that may have added some)."""
        self.shape_keys.forget()
        self.stated.known = {}

    def close(self) -> None:
        self.conn.close()

    def position(self) -> int:
        row = self.conn.execute("SELECT position FROM rm_position WHERE name=?", (POSITION,)).fetchone()
        return row[0] if row else 0

    def is_current(self) -> bool:
        """Whether the read model exists, has every migration, was built by this code's fold and has folded
        every event of the SQLite log in this file."""
        from stratlog.infrastructure.migrations import up_to_date
        return self.behind() == 0 and up_to_date(self.conn) and self.folded_by_this_code()

    def folded_by_this_code(self) -> bool:
        """Whether the rows were folded by this code's fold (PROJECTION_VERSION); an empty read model was."""
        from stratlog.application.fold_version import PROJECTION_VERSION
        try:
            row = self.conn.execute("SELECT value FROM stratlog_meta WHERE key='projection_version'").fetchone()
        except sqlite3.OperationalError:  # no stratlog_meta: nothing folded by any stratlog yet
            row = None
        return (row is not None and row[0] == str(PROJECTION_VERSION)) or self.position() == 0

    def behind(self) -> int | None:
        """How many events of the SQLite log in this file the read model has not folded (None: no read model)."""
        try:
            log = self.conn.execute("SELECT MAX(rowid) FROM stored_events").fetchone()[0] or 0
            return log - self.position()
        except sqlite3.OperationalError:
            return None

    # -- stored events left out (damage) -----------------------------------------------------
    def damage_summary(self) -> tuple[int, list[int]]:
        """How many stored events the read model left out, and the first positions."""
        try:
            count = self.conn.execute("SELECT COUNT(*) FROM rm_damage").fetchone()[0]
            positions = [p for (p,) in self.conn.execute("SELECT position FROM rm_damage ORDER BY position LIMIT 20")]
        except sqlite3.OperationalError:  # a read model older than the damage table has recorded none
            return 0, []
        return count, positions

    def damage_at(self, position: int) -> bool:
        """Whether the read model left out the stored event at this position."""
        try:
            return self.conn.execute("SELECT 1 FROM rm_damage WHERE position=?", (position,)).fetchone() is not None
        except sqlite3.OperationalError:
            return False

    def subject_label(self, subject_id: str) -> str:
        """'brand cf644cbf… of alpine': a subject named by what the read model knows of it."""
        row = self.conn.execute("SELECT subject_type, brand FROM rm_subjects WHERE subject_id=?",
                                (subject_id,)).fetchone()
        if row:
            return f"{row[0]} {subject_id[:8]}… of {row[1]}"
        from stratlog.infrastructure.damage import subject_kind
        try:
            topic = self.conn.execute("SELECT topic FROM rm_damage WHERE subject_id=? LIMIT 1", (subject_id,)).fetchone()
        except sqlite3.OperationalError:
            topic = None
        return f"{subject_kind(topic[0]) if topic else 'subject'} {subject_id[:8]}…"

    # -- answering ---------------------------------------------------------------------------
    def views(self, brand: str, as_of: date, known_at: datetime, kinds: tuple[str, ...] = ()) -> list[dict]:
        """Every group view of a brand as of `as_of`, as known at `known_at` (only `kinds` if given)."""
        d, t = as_of.toordinal(), instant_number(instant_text(known_at))
        sql = ("SELECT g.unit, g.grp, i.data, i.stated, i.item FROM rm_groups g "
               "JOIN rm_items i ON i.unit = g.unit WHERE g.brand=? AND i.known_to>? AND i.valid_to>? "
               "AND i.known_from<=? AND i.valid_from<=?")
        args: list = [brand, t, d, t, d]
        if "audit" in kinds:
            sql += f" AND {KIND} IN ({','.join('?' * len(kinds))})"
            args += kinds
        elif kinds:  # the groups of those kinds, found by index, without their audit rows
            sql += f" AND g.kind IN ({','.join('?' * len(kinds))}) AND i.item NOT GLOB 'a:*'"
            args += kinds
        sql += f" ORDER BY {KIND}, i.valid_to, i.valid_from, i.known_to, i.known_from, i.rowid"  # the order of old
        rows = self.conn.execute(sql, args).fetchall()
        stated = self.stated.of(row[3] for row in rows)
        return regroup((unit, unpacked(data, stated.get(position), self.shape_keys, item))  # a unit: one subject's group
                       for unit, group, data, position, item in rows)

    def brands(self) -> list[str]:
        """Registered brands, and those with a subject whose events were left out (its registration may be)."""
        registered = {b for (b,) in self.conn.execute(
            "SELECT DISTINCT su.brand FROM rm_statements st JOIN rm_subjects su ON su.id = st.subject "
            f"WHERE st.kind={KIND_CODES['brand-registered']}")}
        if self.damage_summary()[0]:
            registered |= {b for (b,) in self.conn.execute(
                "SELECT DISTINCT brand FROM rm_subjects WHERE subject_id IN (SELECT subject_id FROM rm_damage)")}
        return sorted(registered)

    def brand_registered(self, brand: str) -> bool:
        """Whether the log holds statements about the brand (every one needs the brand registered first,
        so this answers even when the registration itself could not be read)."""
        return self.conn.execute("SELECT 1 FROM rm_subjects WHERE brand=? LIMIT 1", (brand,)).fetchone() is not None

    def positions(self, brand: str | None = None, kind: str | None = None, since: datetime | None = None) -> list[int]:
        """Positions of the statements matching the filters, in recording order."""
        sql, args = "SELECT position FROM rm_statements WHERE 1=1", []
        kind = None if kind is None else kind_code(kind)  # stored as its number
        for column, value in (("subject IN (SELECT id FROM rm_subjects WHERE brand=?)", brand), ("kind=?", kind)):
            if value is not None:
                sql += f" AND {column}"
                args.append(value)
        if since is not None:
            sql += " AND recorded_at>=?"
            args.append(instant_number(instant_text(since)))
        return [p for (p,) in self.conn.execute(sql + " ORDER BY position", args)]

    def location(self, statement_id: str) -> tuple[UUID, int] | None:
        row = self.conn.execute("SELECT su.subject_id, st.version FROM rm_statements st JOIN rm_subjects su "
                                "ON su.id = st.subject WHERE st.statement_id=?", (stored_id(statement_id),)).fetchone()
        return (UUID(hex=row[0]), row[1]) if row else None

    def subjects_of(self, brand: str) -> list[UUID]:
        return [UUID(hex=s) for (s,) in self.conn.execute(
            "SELECT subject_id FROM rm_subjects WHERE brand=?", (brand,))]

    def valid_dates(self, brand: str) -> list[str]:
        return [day_text(d) for (d,) in self.conn.execute(
            "SELECT DISTINCT i.valid_from FROM rm_groups g JOIN rm_items i ON i.unit = g.unit WHERE g.brand=? "
            "ORDER BY i.valid_from", (brand,))]

    # -- the stored rows, unit by unit (verify) ----------------------------------------------
    def item_subjects(self) -> set[str]:
        """The subjects (hex ids) that have stored item rows."""
        return {s for (s,) in self.conn.execute(
            "SELECT su.subject_id FROM rm_subjects su WHERE su.id IN (SELECT g.subject FROM rm_groups g "
            "WHERE EXISTS (SELECT 1 FROM rm_items i WHERE i.unit = g.unit))")}

    def subject_checkpoints(self, subject_id: str) -> dict[str, Any]:
        """The fold checkpoints that count of one subject's units, by group (infrastructure/fold_checkpoints.py)."""
        from stratlog.infrastructure.fold_checkpoints import subject_checkpoints
        return subject_checkpoints(self.conn, subject_id)

    def subject_items(self, subject_id: str) -> list[tuple[str, str, str, str, str, str, str, str, str]]:
        """Every stored item row of one subject: (group, brand, kind, item, valid_from, valid_to, known_from,
        known_to, data), dates and instants as the fixed-width texts they are stored as."""
        rows = self.conn.execute(
            f"SELECT g.grp, g.brand, {KIND}, i.item, i.valid_from, i.valid_to, i.known_from, i.known_to, i.data, "
            f"i.stated FROM rm_groups g JOIN rm_items i ON i.unit = g.unit WHERE g.subject={SUBJECT_NUMBER}",
            (subject_id,)).fetchall()
        stated = self.stated.of(row[9] for row in rows)
        return [(*row[:4], *_texts(row[4:8]), canonical(row[8], stated.get(row[9]), self.shape_keys, row[3])) for row in rows]

    def stored_rows(self, where: str, args: tuple) -> list[tuple[str, str, str, str, str, str]]:
        """(item, valid_from, valid_to, known_from, known_to, data) of the rm_items rows `i` matching `where`,
        as the fold wrote them: texts and canonical JSON."""
        rows = self.conn.execute(
            f"SELECT i.item, i.valid_from, i.valid_to, i.known_from, i.known_to, i.data, i.stated "
            f"FROM rm_items i WHERE {where}", args).fetchall()
        stated = self.stated.of(row[6] for row in rows)
        return [(row[0], *_texts(row[1:5]), canonical(row[5], stated.get(row[6]), self.shape_keys, row[0])) for row in rows]


def _texts(numbers: tuple) -> tuple[str, str, str, str]:
    """valid_from, valid_to, known_from, known_to as the fold's texts."""
    valid_from, valid_to, known_from, known_to = numbers
    return day_text(valid_from), day_text(valid_to), instant_from_number(known_from), instant_from_number(known_to)

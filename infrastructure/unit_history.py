"""The read model as the ledger's UnitHistory: a subject's version, ids and fold units, without a replay."""

from __future__ import annotations

from typing import Any, Callable
from uuid import UUID

from stratlog.domain.date_fold import FoldCheckpoint
from stratlog.domain.fixes import FIX_KINDS
from stratlog.domain.history import Entry
from stratlog.infrastructure.compact_schema import SUBJECT_NUMBER
from stratlog.infrastructure.event_source import EventSource, LoggedEvent
from stratlog.infrastructure.fold_checkpoints import unit_checkpoint
from stratlog.infrastructure.statement_keys import id_text, kind_name, stored_id
from stratlog.infrastructure.statement_rows import member_groups



class ReadModelUnits:
    """Answers application/unit_load.UnitHistory from a read model's tables and the events of just the
    members asked for. The events it decodes are kept (`loaded`, by (subject hex, version)) so that the
    catch-up after the command folds them without decoding them again."""

    def __init__(self, read_model: Any, source: Callable[[], EventSource]):
        self.read_model, self.source = read_model, source
        self.loaded: dict[tuple[str, int], LoggedEvent] = {}

    def current(self, last_position: int) -> bool:
        return self.read_model.folded_by_this_code() and self.read_model.position() == last_position

    def subject_version(self, subject: UUID) -> int | None:
        conn = self.read_model.conn
        if conn.execute("SELECT 1 FROM rm_damage WHERE subject_id=? LIMIT 1", (subject.hex,)).fetchone():
            return None
        top, count = conn.execute(f"SELECT MAX(version), COUNT(*) FROM rm_statements WHERE subject={SUBJECT_NUMBER}",
                                  (subject.hex,)).fetchone()
        return top if top and top == count else None

    def recorded(self, subject: UUID, statement_ids: set[str]) -> set[str]:
        found, ids = set(), sorted(statement_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            found |= {id_text(sid) for (sid,) in self.read_model.conn.execute(
                f"SELECT statement_id FROM rm_statements WHERE subject={SUBJECT_NUMBER} AND statement_id IN "
                f"({','.join('?' * len(chunk))})", [subject.hex, *map(stored_id, chunk)])}
        return found

    def units_of(self, subject: UUID, statement_ids: set[str]) -> dict[str, tuple[bool, list[str]]]:
        found = {}
        for statement_id in statement_ids:
            row = self.read_model.conn.execute("SELECT kind, version FROM rm_statements WHERE statement_id=? "
                                               f"AND subject={SUBJECT_NUMBER}", (stored_id(statement_id), subject.hex)).fetchone()
            if row is not None:
                units = member_groups(self.read_model.conn, subject.hex, row[1])
                found[statement_id] = (kind_name(row[0]) in FIX_KINDS, units)
        return found

    def unit_entries(self, subject: UUID, units: set[str]) -> list[Entry] | None:
        exact = sorted(u for u in units if "%" not in u)
        like = sorted(u for u in units if "%" in u)
        where = " OR ".join(["grp IN (" + ",".join("?" * len(exact)) + ")"] * bool(exact) + ["grp LIKE ?"] * len(like))
        versions = [v for (v,) in self.read_model.conn.execute(
            f"SELECT DISTINCT version FROM rm_members WHERE subject={SUBJECT_NUMBER} AND ({where}) ORDER BY version",
            [subject.hex, *exact, *like])]
        missing = [v for v in versions if (subject.hex, v) not in self.loaded]
        source = self.source()
        for logged in source.events_of(subject, missing) if missing else []:
            self.loaded[(subject.hex, logged.event.originator_version)] = logged
        found = [self.loaded.get((subject.hex, v)) for v in versions]
        if any(e is None for e in found):
            return None  # an event that no longer decodes: the whole aggregate is replayed (and named)
        return [e.event.entry() for e in found]

    def holds(self, subject: UUID, unit: str) -> bool:
        return self.read_model.conn.execute(f"SELECT 1 FROM rm_members WHERE subject={SUBJECT_NUMBER} AND grp=? LIMIT 1",
                                            (subject.hex, unit)).fetchone() is not None

    def unit_checkpoint(self, subject: UUID, unit: str) -> FoldCheckpoint | None:
        return unit_checkpoint(self.read_model.conn, subject.hex, unit)

"""The read model: SQLite tables of folded items, caught up from the notification log."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Any, Iterator
from uuid import UUID

from stratlog.application.ports import QUIET, Progress, StatementRef
from stratlog.application.projection import OPEN_DATE, OPEN_INSTANT, KnownFold, item_rows, resumed_rows
from stratlog.domain.date_fold import NotResumable
from stratlog.domain.dates import instant_text
from stratlog.domain.fixes import Fix, StatementCorrected
from stratlog.domain.groups import group_of
from stratlog.domain.guidance import BRAND_TARGETS
from stratlog.domain.values import normalise_key
from stratlog.infrastructure.appended_unit import caught_up_by_appending
from stratlog.infrastructure.damage import Damage
from stratlog.infrastructure.event_source import EventSource, LoggedEvent, subject_type_of
from stratlog.infrastructure import fold_checkpoints
from stratlog.infrastructure.fold_checkpoints import save_checkpoint, unit_checkpoint
from stratlog.infrastructure.compact_schema import SUBJECT_NUMBER
from stratlog.infrastructure.migrations import READ_MODEL_TABLES, migrate
from stratlog.infrastructure.item_codec import (DELETE_OPEN_ROW, INSERT_ITEMS, day_number, instant_number, item_values, latest_known,
                                                open_row_key, unit_id)
from stratlog.infrastructure.read_access import POSITION, ReadAccess
from stratlog.infrastructure.secondary_indexes import drop_secondary_indexes
from stratlog.infrastructure.statement_keys import id_text, kind_name, prefix_range, stored_id
from stratlog.infrastructure.statement_rows import (INSERT_MEMBERS, INSERT_STATEMENTS, add_subjects, member_groups,
                                                    stated_by_id, stated_columns, statement_values)
from stratlog.infrastructure.transactions import roll_back

CHUNK = 20000
STATEMENT_BATCH = 2000  # statements a rebuild (or a first import, bulk_fold) gathers over subjects before writing them
REFOLD_FROM = 50_000  # events behind from which catching up folds everything afresh, subject by subject


class CommandIds:
    """The ids of rm_sources and rm_shapes rows one command found or added (looked up once each, not per
    statement or item); forgotten when its transaction ends, as another process may empty those tables."""

    def __init__(self) -> None:
        self.sources: dict[tuple, int] = {}
        self.shapes: dict[tuple, int] = {}


class Pending:
    """Rows gathered while reading events, written with one executemany per table."""

    def __init__(self, ids: CommandIds) -> None:
        self.ids = ids
        self.statements: list[tuple] = []
        self.members: list[tuple] = []
        self.names: list[tuple] = []
        self.subjects: dict[str, tuple[str, str]] = {}  # hex id -> (subject type, brand), numbered first
        self.damage: list[Damage] = []

    def flush(self, conn: sqlite3.Connection, statements: bool = True) -> None:
        """Write what was gathered (a table with nothing gathered is not asked: a rebuild flushes per subject).
        `statements` False keeps the statements for a later flush (a fresh fold never reads them back, and
        their sources are numbered in large batches); subjects are numbered at every flush (members use them)."""
        if self.subjects:
            add_subjects(conn, self.subjects)
            self.subjects = {}
        if self.statements and statements:
            conn.executemany(INSERT_STATEMENTS, statement_values(conn, self.statements, self.ids.sources))
            self.statements = []
        if self.members:
            conn.executemany(INSERT_MEMBERS, self.members)
        if self.names:
            conn.executemany(f"INSERT OR IGNORE INTO rm_names VALUES ('model', ?, {SUBJECT_NUMBER})", self.names)
        if self.damage:
            conn.executemany("INSERT OR REPLACE INTO rm_damage VALUES (?,?,?,?,?)", [
                (d.position, d.subject_id, d.version, d.topic, d.reason) for d in self.damage])
        self.members, self.names, self.damage = [], [], []


def _follows(recorded: list[tuple[int, Any]], position: int) -> list[LoggedEvent]:
    """Events just saved by this process, as a chunk, if they are exactly the next ones."""
    positions = [p for p, _ in recorded]
    if not positions or positions != list(range(position + 1, position + 1 + len(positions))):
        return []
    return [LoggedEvent(p, subject_type_of(f"x:{type(e).__qualname__}"), e.originator_id, e) for p, e in recorded]


def _unfixable(logged: LoggedEvent) -> Damage:
    """A fix whose statement was left out of the read model cannot be folded either."""
    event, fix = logged.event, logged.event.statement
    return Damage(logged.position, logged.subject_id.hex, event.originator_version,
                  f"{type(event).__module__}:{type(event).__qualname__}",
                  f"it fixes statement {fix.target[:8]}, which could not be read")


def _names(subject: str, statement) -> list[tuple[str, str]]:
    """The name keys a model statement makes known (a rename keeps the old one as an alias)."""
    if getattr(statement, "SUBJECT", None) != "model":  # by name: other subjects' commands never import domain.model
        return []
    names = [statement.model] + ([statement.new_name] if statement.KIND == "model-renamed" else [])
    return [(normalise_key(statement.brand, name), subject) for name in names]


class ReadModel(ReadAccess):
    """Folded items per brand and group, valid over announced dates and known instants; kept caught up."""

    def __init__(self, path: str, timeout: float = 10.0, read_only: bool = False,
                 holds_log: bool = True):
        """Open (and migrate) the read model in this file; `read_only` opens it as it is, writing nothing."""
        if read_only:
            super().__init__(ReadAccess.open(path, timeout, read_only=True).conn)
            self.ids = CommandIds()
            return
        super().__init__(sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False))
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        migrate(self.conn, holds_log)
        self.conn.execute("CREATE TABLE IF NOT EXISTS stratlog_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self.ids = CommandIds()

    def forget_read_rows(self) -> None:
        """Also the ids this command looked up: its transaction ended (see CommandIds)."""
        super().forget_read_rows()
        self.ids = CommandIds()

    @contextmanager
    def waiting(self, seconds: float) -> Iterator[None]:
        """Within the block, wait at most `seconds` for another writer's lock (a reader's catch-up)."""
        before = self.conn.execute("PRAGMA busy_timeout").fetchone()[0]
        self.conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(before)}")

    def catch_up(self, source: EventSource, recorded: list[tuple[int, Any]] = (), progress: Progress = QUIET,
                 known: dict[tuple[str, int], LoggedEvent] | None = None) -> int:
        """Fold every event after our position; rows and position are written in one transaction.

        `recorded` are (position, event) pairs this process just saved: when they follow our
        position they are used as they are instead of being read and decoded again. `known` are
        events this process already decoded, by (subject hex, version): a unit folds them as they are.
        """
        self.conn.execute("BEGIN IMMEDIATE")
        self.ids = CommandIds()
        try:
            behind = source.max_position() - self.position() if source.by_subject else 0
            if not self.folded_by_this_code():
                count = self._refold(source, progress)  # rows of an older fold: fold them afresh
            elif behind >= REFOLD_FROM and behind >= self.position():
                count = self._refold(source, progress)  # a log that more than doubled: fold it afresh
            else:
                count = self._catch_up(source, recorded, progress, known)
            self.conn.execute("COMMIT")
        except BaseException as error:
            self.forget_read_rows()  # shapes and statements this transaction added are gone
            roll_back(self.conn, error)
            raise
        return count

    def rebuild(self, source: EventSource, progress: Progress = QUIET) -> int:
        """Empty the read model and fold the whole log again (one transaction)."""
        self.conn.execute("BEGIN IMMEDIATE")
        self.ids = CommandIds()
        try:
            count = self._refold(source, progress)
            self.conn.execute("COMMIT")
        except BaseException as error:
            self.forget_read_rows()
            roll_back(self.conn, error)
            raise
        return count

    def _refold(self, source: EventSource, progress: Progress) -> int:
        """Empty the read model and fold the whole log. Subject by subject (SQLite store) the secondary
        indexes are dropped first (emptying and filling indexed tables costs an update per row and index)
        and built again after the last row; the fold reads the tables by their keys only."""
        from stratlog.application.fold_version import PROJECTION_VERSION
        indexes = drop_secondary_indexes(self.conn) if source.by_subject else []
        for table in READ_MODEL_TABLES:
            self.conn.execute(f"DELETE FROM {table}")
        self.ids = CommandIds()
        self.conn.execute("INSERT OR REPLACE INTO stratlog_meta (key, value) VALUES ('projection_version', ?)",
                          (str(PROJECTION_VERSION),))
        if not source.by_subject:
            return self._catch_up(source, (), progress)
        count = self._rebuild_by_subject(source, progress)
        for sql in indexes:
            self.conn.execute(sql)
        return count

    def _catch_up(self, source: EventSource, recorded: list[tuple[int, Any]], progress: Progress,
                  known: dict[tuple[str, int], LoggedEvent] | None = None) -> int:
        """Fold the events after our position; those that do not decode are recorded in rm_damage."""
        touched: dict[tuple[str, str], tuple[str, str]] = {}
        cache: dict[tuple[str, int], LoggedEvent] = dict(known or {})
        pending = Pending(self.ids)
        start = position = self.position()
        count, first = 0, _follows(recorded, position)
        while True:
            chunk, last = (first, first[-1].position) if first else source.read_chunk(position, limit=CHUNK)
            if last == position:
                break
            if first:
                cache.update(((e.subject_id.hex, e.event.originator_version), e) for e in first)
                first = []
            for logged in chunk:
                if len(cache) < CHUNK:
                    cache[(logged.subject_id.hex, logged.event.originator_version)] = logged
                self._store_statement(logged, touched, source, cache, pending)
            position, count = last, count + len(chunk)
        pending.damage += source.damaged.values()
        pending.flush(self.conn)
        if touched:
            progress.start("folding the read model", len(touched))
        for (subject, group), (brand, earliest) in touched.items():
            self._refresh_group(subject, group, brand, earliest, source, cache)
            progress.advance()
        if touched:
            progress.finish()
        self._set_position(position, position != start)
        return count

    def fold_subject(self, subject: str, logged: list[LoggedEvent], source, pending: Pending | None = None) -> None:
        """Store and fold one subject from scratch: `logged` is every event it has (hex id `subject`),
        in version order, each decoded once; its statements, members and item rows are written.

        `pending`: rows gathered for several subjects; its statements are written once STATEMENT_BATCH
        have gathered (the caller flushes the rest), all else before the subject is folded."""
        cache = {(subject, e.event.originator_version): e for e in logged}
        touched: dict[tuple[str, str], tuple[str, str]] = {}
        own = pending is None
        pending = Pending(self.ids) if own else pending
        for event in logged:
            self._store_statement(event, touched, source, cache, pending)
        pending.flush(self.conn, statements=own or len(pending.statements) >= STATEMENT_BATCH)
        for (subject_hex, group), (brand, earliest) in touched.items():
            self._refresh_group(subject_hex, group, brand, earliest, source, cache, fresh=True)

    def _rebuild_by_subject(self, source: EventSource, progress: Progress) -> int:
        """Fold subject by subject: each event is decoded once and memory holds one subject at a time."""
        from stratlog.application.bulk import bulk_collection
        count, top = 0, 0
        progress.start("rebuilding the read model", source.max_position())
        pending = Pending(self.ids)
        with bulk_collection():
            for subject, logged in source.subject_logs():
                self.fold_subject(subject, logged, source, pending)
                count, top = count + len(logged), max([top] + [e.position for e in logged])
                progress.advance(len(logged))
        progress.finish()
        pending.damage += source.damaged.values()
        pending.flush(self.conn)
        self._set_position(max([top, *source.damaged]), bool(count or source.damaged))
        return count

    def _set_position(self, position: int, moved: bool) -> None:
        """The position folded up to, and the fold that folded it (only this code's fold ever moves it)."""
        from stratlog.application.fold_version import PROJECTION_VERSION
        if moved:
            self.conn.execute("INSERT OR REPLACE INTO rm_position (name, position) VALUES (?, ?)", (POSITION, position))
            self.conn.execute("INSERT OR REPLACE INTO stratlog_meta (key, value) VALUES ('projection_version', ?)",
                              (str(PROJECTION_VERSION),))

    def _store_statement(self, logged: LoggedEvent, touched: dict, source: EventSource, cache: dict,
                         pending: Pending) -> None:
        event, statement, subject = logged.event, logged.event.statement, logged.subject_id.hex
        version = event.originator_version
        if isinstance(statement, Fix):
            pending.flush(self.conn)
            fixed = self._fix_groups(subject, statement, source, cache)
            if fixed is None:
                pending.damage.append(_unfixable(logged))
                return
            brand, groups = fixed
        else:
            brand, groups = statement.brand, [group_of(statement)]
            pending.names += _names(subject, statement)
            pending.subjects[subject] = (logged.subject_type, brand)
        if BRAND_TARGETS in groups:
            pending.members.append((subject, BRAND_TARGETS, version))
            pending.flush(self.conn)
            groups = self._targets_groups(subject, groups)
        announced_on, recorded_at, source = stated_columns(logged)
        pending.statements.append((
            logged.position, event.statement_id, subject, version, statement.KIND,
            statement.target if isinstance(statement, Fix) else None, announced_on, recorded_at, source))
        for group in groups:
            pending.members.append((subject, group, version))
            earlier = touched.get((subject, group), (brand, recorded_at))[1]
            touched[(subject, group)] = (brand, min(earlier, recorded_at))

    def _targets_groups(self, subject: str, groups: list[str]) -> list[str]:
        """Every targets group of the subject: a brand-wide target statement (member of `targets:*`) is
        folded by each of them, and by those created later (see _refresh_group)."""
        return sorted({g for (g,) in self.conn.execute(
            f"SELECT DISTINCT grp FROM rm_members WHERE subject={SUBJECT_NUMBER} AND grp LIKE 'targets:%' AND grp != ?",
            (subject, BRAND_TARGETS))} | {g for g in groups if g != BRAND_TARGETS})

    def _fix_groups(self, subject: str, fix: Fix, source: EventSource, cache: dict) -> tuple[str, list[str]] | None:
        """The brand and groups a fix changes; None when the statement it fixes was left out (damaged)."""
        found = self.conn.execute("SELECT su.brand, st.version FROM rm_statements st JOIN rm_subjects su "
                                  "ON su.id = st.subject WHERE st.statement_id=?", (stored_id(fix.target),)).fetchone()
        if found is None:
            return None
        brand, version = found
        groups = member_groups(self.conn, subject, version)
        if isinstance(fix, StatementCorrected):
            original = self._events(subject, [version], source, cache)[0].event.statement
            moved = group_of(original.corrected(fix.fields))
            if moved not in groups:
                self.conn.execute(INSERT_MEMBERS, (subject, moved, version))
                groups.append(moved)
        return brand, groups

    def _events(self, subject: str, versions: list[int], source: EventSource, cache: dict) -> list[LoggedEvent]:
        missing = [v for v in versions if (subject, v) not in cache]
        loaded = {e.event.originator_version: e for e in source.events_of(UUID(hex=subject), missing)} if missing else {}
        found = [cache.get((subject, v)) or loaded.get(v) for v in versions]
        return [e for e in found if e is not None]  # a version gone from the log (damage) folds without it

    def _refresh_group(self, subject: str, group: str, brand: str, earliest: str, source, cache,
                       fresh: bool = False) -> None:
        if not fresh and caught_up_by_appending(self, subject, group, brand,
                                                lambda versions: self._events(subject, versions, source, cache)):
            return  # a last-word unit that new statements only append to: their items alone are written
        if not fresh and self._caught_up_from_checkpoint(subject, group, brand, earliest, source, cache):
            return  # folded on from the unit's checkpoint: only what was recorded since
        logged = self._events(subject, self._member_versions(subject, group), source, cache)
        entries = [e.event.entry() for e in logged]
        open_rows, after = [], None
        if not fresh:
            latest = self._latest(subject, group)
            incremental = latest is not None and earliest > latest[1]
            open_rows = self._open_rows(latest[0]) if incremental else []
            after = latest[1] if incremental else None  # the last instant these rows were materialised at
            if latest is not None and not incremental:
                self.conn.execute("DELETE FROM rm_items WHERE unit=?", (latest[0],))
        values: dict[str, Any] = {}
        fold = KnownFold(group, entries)
        rows = item_rows(group, entries, open_rows, after, values, fold)
        self._write_rows(subject, group, brand, logged, open_rows, rows, values, fold)

    def _member_versions(self, subject: str, group: str, recorded_after: str | None = None) -> list[int]:
        """The versions of the group's members, in order (a targets group folds targets:* too); only those
        recorded after the instant text `recorded_after` when it is given (read from rm_statements, which a
        rebuild fills in batches: a fold from the first entry reads the members alone)."""
        wide = BRAND_TARGETS if group.startswith("targets:") else group
        where = f"m.subject={SUBJECT_NUMBER} AND m.grp IN (?, ?)"
        if recorded_after is None:
            rows = self.conn.execute(f"SELECT DISTINCT m.version FROM rm_members m WHERE {where} ORDER BY m.version",
                                     (subject, group, wide))
        else:
            rows = self.conn.execute(
                "SELECT DISTINCT m.version FROM rm_members m JOIN rm_statements s ON s.subject = m.subject AND "
                f"s.version = m.version WHERE {where} AND s.recorded_at > ? ORDER BY m.version",
                (subject, group, wide, instant_number(recorded_after)))
        return [version for (version,) in rows]

    def _latest(self, subject: str, group: str) -> tuple[int, str] | None:
        """(unit id, the last instant its rows were materialised at, kept as microseconds) of a folded group."""
        latest = self.conn.execute(f"SELECT unit, latest_known FROM rm_groups WHERE subject={SUBJECT_NUMBER} AND grp=?",
                                   (subject, group)).fetchone()
        return None if latest is None else (latest[0], latest_known(latest[1]))

    def _write_rows(self, subject: str, group: str, brand: str, logged: list[LoggedEvent], open_rows: list,
                    rows: list, values: dict[str, Any], fold: Any) -> None:
        """Write a group's rows (only those that changed, when `open_rows` were read) and keep the checkpoint
        of its fold (date_fold.FoldCheckpoint) as of the group's newest instant."""
        kind = group.split(":", 1)[0]
        newest = max((instant_text(e.event.recorded_at) for e in logged), default="")
        unit = unit_id(self.conn, subject, group, brand, kind, newest)
        if open_rows:  # only the rows that changed are written: an open row still open stays as it is
            kept = set(open_rows)
            rows, ended = [r for r in rows if r not in kept], kept - set(rows)
            self.conn.executemany(DELETE_OPEN_ROW, [open_row_key(unit, r) for r in ended])
        self.conn.executemany(INSERT_ITEMS, item_values(unit, rows, stated_by_id(self.conn, logged), self.conn, values,
                                                         self.ids.shapes))
        if newest:  # a unit folded from its first entry (all its events in `logged`) keeps one once it is long
            kept = fold.fold is not None and (fold.fold.resumed or len(logged) >= fold_checkpoints.CHECKPOINT_FROM)
            save_checkpoint(self.conn, unit, subject, group, newest, fold.fold.checkpoint() if kept else None)

    def _caught_up_from_checkpoint(self, subject: str, group: str, brand: str, earliest: str, source, cache) -> bool:
        """Fold a unit on from its checkpoint when everything recorded since only follows it (the usual
        record: announced after all the unit holds): the new statements are decoded and folded, and only
        the rows of the items the checkpoint may change are read. False: fold the unit from its first entry."""
        latest = self._latest(subject, group)
        if latest is None or not latest[1] or earliest <= latest[1]:
            return False
        checkpoint = unit_checkpoint(self.conn, subject, group)
        if checkpoint is None:
            return False
        versions = self._member_versions(subject, group, recorded_after=latest[1])
        logged = self._events(subject, versions, source, cache)
        if len(logged) != len(versions):
            return False
        open_rows = self._open_rows(latest[0], sorted(checkpoint.shown))
        values: dict[str, Any] = {}
        try:
            rows, fold = resumed_rows(group, checkpoint, [e.event.entry() for e in logged], open_rows, latest[1], values)
        except NotResumable:
            return False
        self._write_rows(subject, group, brand, logged, open_rows, rows, values, fold)
        return True

    def _open_rows(self, unit: int, items: list[str] | None = None) -> list:
        """The unit's rows still known now, as the fold wrote them (texts and canonical JSON); when `items`
        are given, only theirs that are still valid too (valid_to open: what a later date step may end)."""
        from stratlog.application.projection import ItemRow
        if items is None:
            return [ItemRow(*row) for row in self.stored_rows(
                "i.unit=? AND i.known_to=?", (unit, instant_number(OPEN_INSTANT)))]
        found = []
        for start in range(0, len(items), 500):
            chunk = items[start:start + 500]
            found += self.stored_rows(
                f"i.unit=? AND i.known_to=? AND i.valid_to=? AND i.item IN ({','.join('?' * len(chunk))})",
                (unit, instant_number(OPEN_INSTANT), day_number(OPEN_DATE), *chunk))
        return [ItemRow(*row) for row in found]

    # -- which event store this read model indexes (team mode) -------------------------------
    def events_url(self) -> str | None:
        row = self.conn.execute("SELECT value FROM stratlog_meta WHERE key='events_url'").fetchone()
        return row[0] if row else None

    def remember_events_url(self, url: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO stratlog_meta (key, value) VALUES ('events_url', ?)", (url,))

    # -- StatementIndex ----------------------------------------------------------------------
    def find_statements(self, prefix: str, limit: int = 20) -> list[StatementRef]:
        bounds = prefix_range(prefix)  # stored ids are 16 bytes: a prefix is a range of them (statement_keys)
        if bounds is None:
            return []
        rows = self.conn.execute(
            "SELECT st.statement_id, st.kind, su.subject_type, su.subject_id, su.brand FROM rm_statements st "
            "JOIN rm_subjects su ON su.id = st.subject WHERE st.statement_id BETWEEN ? AND ? "
            "ORDER BY st.statement_id LIMIT ?", (*bounds, limit))
        return [StatementRef(id_text(sid), kind_name(kind), st, UUID(hex=subject), brand)
                for sid, kind, st, subject, brand in rows]

    def known_subjects(self, subject_ids: set[UUID]) -> set[UUID]:
        found, ids = set(), [s.hex for s in subject_ids]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            found |= {UUID(hex=s) for (s,) in self.conn.execute(
                f"SELECT subject_id FROM rm_subjects WHERE subject_id IN ({','.join('?' * len(chunk))})", chunk)}
        return found

    def subject_named(self, subject_type: str, key: tuple[str, ...]) -> UUID | None:
        row = self.conn.execute("SELECT su.subject_id FROM rm_names n JOIN rm_subjects su ON su.id = n.subject "
                                "WHERE n.subject_type=? AND n.name_key=?", (subject_type, normalise_key(*key))).fetchone()
        return UUID(hex=row[0]) if row else None

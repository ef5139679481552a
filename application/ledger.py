"""The stratlog Application: record statements and fixes, one command = one atomic save."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterator, Sequence
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import Environment

from stratlog.application.clock import Clock, recording_instant, require_after_latest, system_clock
from stratlog.application.compact import Compact
from stratlog.application.fiscal_input import FiscalYearInput
from stratlog.application.ports import QUIET, Progress, StatementIndex, WrittenFold
from stratlog.application.statement_json import dumped
from stratlog.application.unit_load import UnitHistory, resume
from stratlog.domain.aggregate import Subject
from stratlog.domain.catalogue import AGGREGATES
from stratlog.domain.errors import (AmbiguousStatementId, InvalidInput, ModelNameTaken, RuleViolation, RulesBroken,
                                    StatementNotFound, StratlogError)
from stratlog.domain.fixes import Fix
from stratlog.domain.quoting import quoted
from stratlog.domain.rules import require_registered_brand
from stratlog.domain.statement import Statement, subject_id

MAX_ATTEMPTS = 8
MAX_ERRORS = 20  # rule errors one command collects before it stops checking
CANDIDATES = 20  # statements an ambiguous id prefix lists (the index looks no further)
STREAM_AT = 20_000  # statements from which a command streams its events instead of one save
WRITTEN = object()  # stands in for a subject whose events a streaming command has already written


class WriteConflict(StratlogError):
    """Raised when other writers kept changing the same subjects through every retry."""


@dataclass(frozen=True)
class Restored:
    """The identity and clock a statement had in the database it was exported from."""

    statement_id: str
    recorded_at: datetime


@dataclass
class Recorded:
    """What one command recorded: new statement ids, and those already present."""

    recorded_at: datetime
    new: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)
    events: list[tuple[int, Any]] = field(default_factory=list)


class Ledger(Application):
    """The event-sourced ledger; its methods are the use cases."""

    name = "stratlog"

    def __init__(self, env: dict[str, str], index: StatementIndex | None = None,
                 refresh_index: Callable[[], object] = lambda: None, clock: Clock = system_clock,
                 fold_written: Callable[[Any], WrittenFold | None] | None = None, units: UnitHistory | None = None):
        """`fold_written(session)`: a fold of a streaming command's events on its own transaction, as they
        are written (None: the read model catches up after the commit, reading the log). `units`: a read
        model that, when it has folded the whole log, gives a subject's touched fold units so that a
        command need not replay the subject (application/unit_load.py)."""
        self.index, self.refresh_index, self.clock = index, refresh_index, clock
        self.fold_written, self.units = fold_written, units
        super().__init__(env)

    def construct_env(self, name: str, env: Any = None) -> Environment:
        """Configuration comes only from the configuration module, never from os.environ."""
        return Environment(name, dict(env or {}))

    def record(self, records: Sequence[Statement | Fix], restored: Sequence[Restored | None] | None = None,
               progress: Progress = QUIET) -> Recorded:
        """Record statements and fixes atomically; a conflicting writer makes us re-check on fresh state."""
        restoring = restored is not None and any(restored)
        streaming = len(records) >= STREAM_AT and not restoring
        for attempt in range(MAX_ATTEMPTS):
            if attempt:
                self.refresh_index()  # see what the writer we clashed with recorded (names, ids)
            batch = _Batch(self, restoring, progress, trust_index=attempt == 0)
            try:
                return self._attempt(batch, records, restored or [None] * len(records), streaming)
            except IntegrityError:
                continue
        raise WriteConflict("other writers kept changing the same subjects; nothing was recorded, try again")

    def _attempt(self, batch: _Batch, records: Sequence[Any], restored: Sequence[Restored | None],
                 streaming: bool) -> Recorded:
        """One transaction holding the write lock from before recorded_at is chosen until the commit:
        the instant is later than every statement in the log, then the events are checked, built and written.

        A large command (`streaming`) writes each subject's events as soon as they are checked, so
        memory holds one subject at a time.
        """
        with self.recorder.recording() as session, _forgetting(self.mapper):
            latest = session.latest_recorded_at()
            batch.result.recorded_at = recording_instant(latest, session.server_clock() or self.clock())
            folding = self.fold_written(session) if streaming and self.fold_written is not None else None
            batch.units = None if streaming else self._current_units(session, batch)
            if streaming:
                batch.flush = lambda aggregate: self._write(session, aggregate, folding)
            batch.apply_all(records, restored)
            require_after_latest(batch.restored_new, latest)
            if not streaming:
                recordings = self.save(*batch.in_order())
                batch.result.events = [(r.notification.id, r.domain_event) for r in recordings]
            if batch.newest is not None:
                session.recorded_up_to(batch.newest)
            if folding is not None:
                folding.finish()
        return batch.result

    def _current_units(self, session: Any, batch: _Batch) -> UnitHistory | None:
        """The read model's fold units, when it folded every event of the log (read under the write lock,
        so no other writer adds one meanwhile); never on a retry, which replays the subjects it loads."""
        last = getattr(session, "last_position", None)
        if self.units is None or not batch.trust_index or batch.restoring or last is None:
            return None
        return self.units if self.units.current(last()) else None

    def _write(self, session: Any, aggregate: Subject, folding: WrittenFold | None) -> None:
        """Write one subject's new events in the open transaction; `folding` folds them from memory."""
        events = aggregate.collect_events()
        positions = session.write([self.mapper.to_stored_event(e) for e in events])
        if folding is not None:
            folding.fold(list(zip(positions, events)))

    def load(self, aggregate_id: UUID) -> Subject | None:
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None


class _Batch:
    """The aggregates one command loads and changes, and the ids it has seen."""

    def __init__(self, ledger: Ledger, restoring: bool, progress: Progress, trust_index: bool):
        self.ledger, self.restoring, self.progress = ledger, restoring, progress
        self.trust_index = trust_index and ledger.index is not None
        self.units: UnitHistory | None = None  # set under the write lock when the read model is current
        self.absent: set[UUID] = set()
        self.named: dict[tuple[str, str], UUID | None] = {}
        self.order: list[str] = []
        self.flush: Callable[[Subject], None] | None = None
        self.result = Recorded(system_clock())  # the instant is chosen under the write lock (Ledger._attempt)
        self.restored_ids: set[str] = set()
        self.restored_new: list[tuple[str, datetime]] = []  # restored statements new to this log
        self.newest: datetime | None = None  # the latest recorded_at this command adds
        self.aggregates: dict[UUID, Subject | None] = {}
        self.seen: dict[UUID, int] = {}  # the order subjects were first met in: the order they are saved in
        self.statement_subjects: dict[str, tuple[str, UUID]] = {}
        self.names: dict[tuple[str, str], UUID] = {}
        self.registering: set[str] = set()
        self.errors: list[StratlogError] = []
        self.fiscal = FiscalYearInput(self._get)  # a restore keeps the dates as they were stored
        self.bodies: dict[str, str] | None = getattr(ledger.mapper, "bodies", None)  # statement id -> JSON text
        self.read_statement: Callable[[str], Any] | None = getattr(ledger.mapper, "read_statement", None)

    def apply_all(self, records: Sequence[Any], restored: Sequence[Restored | None]) -> None:
        """Place every record on its subject (in announced order), then check and record subject by subject.

        The plan keeps positions in `records`, not copies, so a million compact statements stay small.
        """
        positions = range(len(records)) if self.restoring else sorted(range(len(records)), key=lambda i: _order(records[i], i))
        with_fixes = any(isinstance(record, Fix) for record in records)
        if self.restoring:  # an export keeps the log's order, where a brand's registration may follow its statements
            self.registering |= {r.brand for r in records if not isinstance(r, Fix) and r.KIND == "brand-registered"}
        plan: dict[UUID, tuple[str, list]] = {}
        for i in positions:
            placed = self._checked(self._place, records[i])
            if placed is None:
                continue
            subject_type, aggregate_id, record = placed
            if with_fixes or self.restoring:
                statement_id = self._identity(record, restored[i])
                self.statement_subjects.setdefault(statement_id, (subject_type, aggregate_id))
                self.order.append(statement_id)
            plan.setdefault(aggregate_id, (subject_type, []))[1].append(i if record is records[i] else (record, i))
        self.progress.start("checking and recording", len(records))
        if self.trust_index:
            unloaded = set(plan) - self.aggregates.keys()
            self.absent = unloaded - self.ledger.index.known_subjects(unloaded)
        for aggregate_id, (subject_type, placed) in plan.items():
            items = []
            for entry in placed:
                record, i = (records[entry], entry) if isinstance(entry, int) else entry
                items.append((record, self._identified(record, restored[i]), self._recorded_at(restored[i])))
            self._checked(self._record_on, subject_type, aggregate_id, items)
            self.progress.advance(len(items))
        self.progress.finish()
        self._raise_errors()
        kept = [k for k, v in self.aggregates.items() if v is not None and v is not WRITTEN]
        self.aggregates = {k: self.aggregates[k] for k in sorted(kept, key=lambda k: self.seen.get(k, len(self.seen)))}

    def _checked(self, step: Callable[..., Any], *args: Any) -> Any:
        """Run one planning or recording step; a broken rule is kept (up to MAX_ERRORS) and the command
        goes on with the other subjects, so that it can name every refused statement at once."""
        try:
            return step(*args)
        except (RuleViolation, InvalidInput) as error:
            self.errors.extend(getattr(error, "errors", None) or [error])
            if len(self.errors) >= MAX_ERRORS:
                self._raise_errors()
            return None

    def _raise_errors(self) -> None:
        if self.errors:
            error = self.errors[0] if len(self.errors) == 1 else RulesBroken(self.errors[:MAX_ERRORS])
            error.written_as = self.fiscal.written_as
            raise error

    @staticmethod
    def _identity(record: Any, restore: Restored | None) -> str:
        return restore.statement_id if restore else record.statement_id()

    def _identified(self, record: Any, restore: Restored | None) -> str:
        """The statement id of a record about to be recorded; a statement is dumped once, and the JSON
        text of that dump is left for the mapper to store (keyed by the id it gave)."""
        if self.bodies is None or not isinstance(record, (Statement, Compact)):
            return self._identity(record, restore)
        statement_id, body = record.dumped() if isinstance(record, Compact) else dumped(record)
        # Two statements differing only in their note share an id (a note never changes what was said): the
        # first is recorded, the later one is already recorded, so the text kept is the first one's.
        self.bodies.setdefault(statement_id, body)
        return restore.statement_id if restore else statement_id

    def _statement(self, record: Any, statement_id: str) -> Any:
        """The statement itself. A compact one is read from its JSON text by the mapper, as the stored
        event that holds it will be read back: one validation serves the rules and the read-back."""
        if not isinstance(record, Compact):
            return record
        if self.read_statement is None or self.bodies is None or self.bodies.get(statement_id) is not record.json:
            return record.expand()
        return self.read_statement(statement_id)

    def _recorded_at(self, restore: Restored | None) -> datetime:
        if restore:
            self.restored_ids.add(restore.statement_id)
            return restore.recorded_at
        return self.result.recorded_at

    def in_order(self) -> list[Any]:
        """The new events to save: a restore keeps the order of the export, across subjects."""
        if not self.restoring:
            return list(self.aggregates.values())
        events = [e for aggregate in self.aggregates.values() for e in aggregate.collect_events()]
        order = {statement_id: i for i, statement_id in enumerate(self.order)}
        return sorted(events, key=lambda e: order[e.statement_id])

    def _place(self, record: Any) -> tuple[str, UUID, Any]:
        """Which subject a record belongs to (fixes: the subject of the statement they name)."""
        if isinstance(record, Fix):
            record, (subject_type, aggregate_id) = self._resolve_fix(record)
            return subject_type, aggregate_id, record if self.restoring else self.fiscal.fix(record, aggregate_id)
        if record.KIND == "brand-registered":
            self.registering.add(record.brand)
            self.fiscal.registered(record)
        elif record.brand not in self.registering:
            require_registered_brand(self._registered_brand(record), record)
            self.registering.add(record.brand)  # checked once per brand and command
        if not self.restoring:
            record = self.fiscal.statement(record)
        return record.SUBJECT, self._subject_of(record), record

    def _registered_brand(self, record: Any) -> object | None:
        """The brand, or a token of it: brands are never removed, so the index knowing one is enough
        (a statement then need not load the brand's whole history)."""
        if self.ledger.index is not None and self.ledger.index.known_subjects({record.brand_id}):
            if record.SUBJECT == "brand":
                self.seen.setdefault(record.brand_id, len(self.seen))  # saved in the order it was first met
            return WRITTEN
        return self._get(record.brand_id)

    def _record_on(self, subject_type: str, aggregate_id: UUID, items: list) -> None:
        items = [(self._statement(record, statement_id), statement_id, at) for record, statement_id, at in items]
        aggregate = self._resumed(subject_type, aggregate_id, items) or self._get(aggregate_id)
        if aggregate is None:
            aggregate = self.aggregates[aggregate_id] = AGGREGATES[subject_type].start(aggregate_id, items)
            new = [sid for _, sid, _ in items]
        else:
            new = aggregate.record(items)
        if self.flush is not None:
            self.flush(aggregate)
            self.aggregates[aggregate_id] = WRITTEN
        fresh = set(new)
        for record, statement_id, at in items:
            if statement_id in fresh:
                fresh.discard(statement_id)
                self.newest = at if self.newest is None else max(self.newest, at)
                if statement_id in self.restored_ids:
                    self.restored_new.append((statement_id, at))
                self.result.new.append(statement_id)
                self.result.kinds[record.KIND] = self.result.kinds.get(record.KIND, 0) + 1
            else:
                self.result.existing.append(statement_id)

    def _resumed(self, subject_type: str, aggregate_id: UUID, items: list) -> Subject | None:
        """The subject with just the fold units `items` touch (see application/unit_load.py), when the
        read model is current and this command has not loaded it yet; None: load it whole."""
        if self.units is None or aggregate_id in self.aggregates or aggregate_id in self.absent:
            return None
        subject = resume(self.units, subject_type, aggregate_id, items)
        if subject is not None:
            self.seen.setdefault(aggregate_id, len(self.seen))
            self.aggregates[aggregate_id] = subject
        return subject

    def _get(self, aggregate_id: UUID) -> Subject | None:
        """The subject, loaded once per command; one the index has never seen is not looked for.

        Trusting the index is safe: a subject another writer creates meanwhile makes our save
        clash, and the retry loads every subject from the store.
        """
        if aggregate_id not in self.aggregates:
            self.seen.setdefault(aggregate_id, len(self.seen))
            self.aggregates[aggregate_id] = None if aggregate_id in self.absent else self.ledger.load(aggregate_id)
        return self.aggregates[aggregate_id]

    def _subject_of(self, statement: Statement) -> UUID:
        if statement.SUBJECT != "model":
            return statement.subject_id
        known = self.names.get((statement.brand, statement.model.casefold())) or self._named(statement.key)
        own = known or statement.subject_id
        if statement.KIND == "model-renamed":
            self._check_free_name(statement, own)
            self.names[(statement.brand, statement.new_name.casefold())] = own
        return own

    def _named(self, key: tuple[str, str]) -> UUID | None:
        cache_key = (key[0], key[1].casefold())
        if cache_key not in self.named:
            self.named[cache_key] = self.ledger.index.subject_named("model", key) if self.ledger.index else None
        return self.named[cache_key]

    def _check_free_name(self, statement: Any, own_id: UUID) -> None:
        key = (statement.brand, statement.new_name)
        holder = (self.names.get((statement.brand, statement.new_name.casefold()))
                  or (self.ledger.index and self.ledger.index.subject_named("model", key))
                  or (subject_id("model", *key) if self._get(subject_id("model", *key)) else None))
        if holder and holder != own_id:
            raise ModelNameTaken(f"model {quoted(statement.model)} cannot be renamed {quoted(statement.new_name)}: "
                                 f"another model of {statement.brand} has that name",
                                 statement_ids=(statement.statement_id(),))

    def _resolve_fix(self, fix: Fix) -> tuple[Fix, tuple[str, UUID]]:
        prefix = fix.target.strip().lower()
        if len(prefix) < 8:
            raise AmbiguousStatementId(f"{fix.target_field}: {quoted(fix.target)} is too short; give at least 8 characters",
                                       statement_ids=(fix.statement_id(),))
        found = {sid: where for sid, where in self.statement_subjects.items() if sid.startswith(prefix)}
        refs = self.ledger.index.find_statements(prefix, limit=CANDIDATES) if self.ledger.index else []
        for ref in refs:
            found.setdefault(ref.statement_id, (ref.subject_type, ref.subject_id))
        if not found:
            raise StatementNotFound(f"{fix.target_field}: no statement has an id starting with {quoted(fix.target)}",
                                    statement_ids=(fix.statement_id(),))
        if len(found) > 1:
            more = len(refs) >= CANDIDATES  # the index stopped at its limit: there may be more
            listed = sorted(found)[:CANDIDATES]
            raise AmbiguousStatementId(f"{fix.target_field}: {quoted(fix.target)} matches {'at least ' if more else ''}"
                                       f"{len(found)} statements: {', '.join(listed)}"
                                       f"{', …' if more or len(found) > len(listed) else ''}",
                                       statement_ids=(fix.statement_id(),))
        (full, where), = found.items()
        return fix.model_copy(update={fix.target_field: full}), where


@contextmanager
def _forgetting(mapper: Any) -> Iterator[None]:
    """The statement texts a command left for the mapper (and what it read from them) are forgotten when
    the command ends, stored or not."""
    try:
        yield
    finally:
        forget = getattr(mapper, "forget", None)
        if forget is not None:
            forget()


def _order(record: Any, index: int) -> int:
    """Announced order, stable: registrations first, then by announced start, our fixes last.

    One integer per record (rank, day, position), cheaper to sort a million of than tuples.
    """
    if isinstance(record, Fix):
        rank, day = 2, 0
    elif record.KIND == "brand-registered":
        rank, day = 0, 0
    else:
        rank, day = 1, record.announced_on.start.toordinal()
    return (rank * 10**7 + day) * 10**8 + index

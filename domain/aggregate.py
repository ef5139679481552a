"""The event-sourced base of every subject: statements recorded as pydantic events, checked first.

A subject module declares its aggregate with its event classes, one per statement kind:

    class Model(Subject):
        class ModelPlanned(StatementRecorded):
            statement: ModelPlanned
        class StatementCorrected(CorrectionRecorded): ...
"""

from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import BaseAggregate, CanInitAggregate, CanMutateAggregate
from pydantic import BaseModel, ConfigDict, field_validator

from stratlog.domain.errors import StratlogError
from stratlog.domain.fixes import StatementCorrected, StatementRetracted
from stratlog.domain.history import Entry


class DomainEvent(BaseModel):
    """A frozen pydantic domain event: validated when recorded and when read back."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    # Fields a stored state leaves out because they always equal another field: field -> that field
    # (the mapper writes the state without them and sets them again when it reads one).
    DERIVED: ClassVar[dict[str, str]] = {}
    originator_id: UUID
    originator_version: int
    timestamp: datetime


class BrokenHistory(StratlogError):
    """Raised when a subject's stored versions do not run 1, 2, … n (a stored event is missing)."""

    def __init__(self, subject_id: UUID, version: int, expected: int):
        self.subject_id, self.version, self.expected = subject_id, version, expected
        self.missing = f"version {expected}" if version == expected + 1 else f"versions {expected}–{version - 1}"
        super().__init__(f"the stored history of subject {subject_id} is broken: {self.missing} missing "
                         f"(the next stored event is version {version})")


# Every topic a stored stratlog event may carry, current and legacy, and the class it names (the
# catalogue fills them). Nothing else is ever resolved: a stored topic naming any other module is
# damage, not code to import.
EVENT_TOPICS: dict[str, type] = {}
AGGREGATE_TOPICS: dict[str, type] = {}


def register_topics(aggregate: "type[Subject]", modules: tuple[str, ...]) -> None:
    """Let the aggregate and its event classes be found by their topic in each of `modules` (the
    module they live in today, and those they were stored under before)."""
    for module in modules:
        AGGREGATE_TOPICS[f"{module}:{aggregate.__qualname__}"] = aggregate
        for cls in aggregate.EVENTS.values():
            EVENT_TOPICS[f"{module}:{cls.__qualname__}"] = cls


def timestamp_stored_once(state: dict) -> None:
    """The upcast to the version that stores the recording instant once: earlier states held `timestamp`
    beside recorded_at, always the same instant (the timestamp is derived from recorded_at when read)."""
    state.pop("timestamp", None)


class StatementRecorded(DomainEvent, CanInitAggregate[UUID]):
    """A statement (or one of our fixes) recorded on a subject; the first one creates the subject."""

    class_version: ClassVar[int] = 3
    DERIVED: ClassVar[dict[str, str]] = {"timestamp": "recorded_at"}  # the recording instant, stored once
    originator_topic: str | None = None
    statement_id: str
    recorded_at: datetime

    @field_validator("originator_topic")
    @classmethod
    def _one_of_our_aggregates(cls, topic: str | None) -> str | None:
        if topic is not None and topic not in AGGREGATE_TOPICS:
            raise ValueError(f"{topic[:80]!r} is not a stratlog subject")
        return topic

    @staticmethod
    def upcast_v1_v2(state: dict) -> None:
        """Version 1 stored no recorded_at: the event's timestamp was the recording instant."""
        state.setdefault("recorded_at", state["timestamp"])

    upcast_v2_v3 = staticmethod(timestamp_stored_once)

    def mutate(self, aggregate: Any) -> Any:
        expected = 1 if aggregate is None else aggregate.version + 1
        if self.originator_version != expected or (aggregate is None and self.originator_topic is None):
            raise BrokenHistory(self.originator_id, self.originator_version, expected)
        if aggregate is None:
            return CanInitAggregate.mutate(self, aggregate)
        return CanMutateAggregate.mutate(self, aggregate)

    def entry(self) -> Entry:
        """This statement as an entry of its subject's history: (statement id, version, recorded_at, statement)."""
        return Entry(self.statement_id, self.originator_version, self.recorded_at, self.statement)

    def apply(self, aggregate: Any) -> None:
        aggregate.remember(self.entry())


def end_date_upcast(field: str) -> staticmethod:
    """The upcast of an end statement stored before revision 2, whose end date was the field `on`."""

    def upcast_v2_v3(state: dict) -> None:
        statement = state["statement"]
        if "on" in statement:
            statement[field] = statement.pop("on")

    upcast_v2_v3.__doc__ = f"Version 2 stored the end date as `on`; version 3 names it {field}."
    return staticmethod(upcast_v2_v3)


class CorrectionRecorded(StatementRecorded):
    """Our correction of a statement, recorded on the subject of the statement it corrects."""

    statement: StatementCorrected


class RetractionRecorded(StatementRecorded):
    """Our retraction of a statement, recorded on the subject of the statement it retracts."""

    statement: StatementRetracted


ToRecord = tuple[Any, str, datetime]  # (statement or fix, statement_id, recorded_at)


def _unique(items: list[ToRecord], known: set[str]) -> list[ToRecord]:
    seen = set(known)
    fresh = []
    for item in items:
        if item[1] not in seen:
            seen.add(item[1])
            fresh.append(item)
    return fresh


def _check_history(history: list[Entry], new: list[Entry], checkpoints: dict[str, Any] | None = None) -> None:
    # The rules fold through the catalogue, which imports the subject modules, which import this one.
    from stratlog.domain.rules import check_history
    check_history(history, new, checkpoints)


def _kind_of(event: type[StatementRecorded]) -> str:
    """The kind an event class records: that of the statement class its `statement` field holds."""
    statement = event.model_fields["statement"].annotation
    if not isinstance(getattr(statement, "KIND", None), str):
        raise TypeError(f"{event.__qualname__}.statement names {statement!r}, not a statement class (a nested "
                        f"event class named like its statement needs annotations evaluated at once: no "
                        f"`from __future__ import annotations` in a subject module)")
    return statement.KIND


class Subject(BaseAggregate[UUID]):
    """A brand, model, market, dealer agreement or plant: the history of statements about it.

    Its declared event classes give EVENTS, the event class of each kind it records.
    """

    EVENTS: ClassVar[dict[str, type[StatementRecorded]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        cls.Event = StatementRecorded  # every event of a subject is a statement recorded: no other base
        cls.EVENTS = {_kind_of(event): event for event in vars(cls).values() if isinstance(event, type)
                      and issubclass(event, StatementRecorded) and event is not StatementRecorded}
        super().__init_subclass__(**kwargs)

    @property
    def entries(self) -> list[Entry]:
        return self.__dict__.setdefault("_entries", [])

    @property
    def statement_ids(self) -> set[str]:
        return self.__dict__.setdefault("_statement_ids", set())

    def remember(self, entry: Entry) -> None:
        self.entries.append(entry)
        self.statement_ids.add(entry.statement_id)

    @classmethod
    def resumed(cls, aggregate_id: UUID, version: int, entries: list[Entry], recorded_ids: set[str],
                checkpoints: dict[str, Any] | None = None) -> "Subject":
        """The subject at `version` without replaying its history: `entries` are only those of the fold
        units a command touches (every member of them, with their fixes), `recorded_ids` those of the
        ids about to be recorded that the subject already holds. Enough to check and record new
        statements on those units (domain/rules.check_history folds only the units it touches); a
        wrong version is refused by the event store as a conflict, never written. `checkpoints`: units
        (by group) given as their fold after every member (date_fold.FoldCheckpoint) instead of members:
        new statements of them are checked from there (they sort after all of it)."""
        subject = object.__new__(cls)
        subject.__base_init__(aggregate_id, version, entries[-1].recorded_at if entries else datetime.min)
        subject.__dict__["_entries"] = sorted(entries, key=lambda e: e.position)
        subject.__dict__["_statement_ids"] = set(recorded_ids)
        subject.__dict__["_checkpoints"] = dict(checkpoints or {})
        return subject

    @classmethod
    def start(cls, aggregate_id: UUID, items: list[ToRecord]) -> "Subject":
        """Create the subject with its first statements, checked together like any others."""
        items = _unique(items, set())
        _check_history([], [Entry(sid, n, at, st) for n, (st, sid, at) in enumerate(items, 1)])
        (statement, statement_id, recorded_at), rest = items[0], items[1:]
        subject = cls._create(cls.EVENTS[statement.KIND], id=aggregate_id, statement=statement,
                              statement_id=statement_id, recorded_at=recorded_at, timestamp=recorded_at)
        subject._trigger_all(rest)
        return subject

    def record(self, items: list[ToRecord]) -> list[str]:
        """Record statements and fixes once the whole history with them stays valid.

        Returns the ids that were new; statements already recorded are skipped.
        """
        items = _unique(items, self.statement_ids)
        _check_history(self.entries, [Entry(sid, self.version + n, at, st) for n, (st, sid, at) in enumerate(items, 1)],
                       self.__dict__.get("_checkpoints"))
        self._trigger_all(items)
        return [sid for _, sid, _ in items]

    def _trigger_all(self, items: list[ToRecord]) -> None:
        for statement, statement_id, recorded_at in items:
            self.trigger_event(self.EVENTS[statement.KIND], statement=statement, statement_id=statement_id,
                               recorded_at=recorded_at, timestamp=recorded_at)

"""The event-sourced base of every subject: statements recorded as pydantic events, checked first."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, CanInitAggregate, CanMutateAggregate
from pydantic import BaseModel, ConfigDict, create_model, field_validator

from stratlog.domain.errors import StratlogError
from stratlog.domain.fixes import StatementCorrected, StatementRetracted
from stratlog.domain.history import Entry
from stratlog.domain.rules import check_history


class DomainEvent(BaseModel):
    """A frozen pydantic domain event: validated when recorded and when read back."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
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


LEGACY_MODULE = "domain.subjects_aggregates"  # where the aggregates lived before stratlog was one package

# Every topic a stored stratlog event may carry, current and legacy, and the class it names.
# Nothing else is ever resolved: a stored topic naming any other module is damage, not code to import.
EVENT_TOPICS: dict[str, type] = {}
AGGREGATE_TOPICS: dict[str, type] = {}


def own_topics(cls: type) -> list[str]:
    """The current topic of one of our classes and the legacy one it was stored under before."""
    current = f"{cls.__module__}:{cls.__qualname__}"
    return [current, f"{LEGACY_MODULE}:{cls.__qualname__}"]


class StatementRecorded(DomainEvent, CanInitAggregate[UUID]):
    """A statement (or one of our fixes) recorded on a subject; the first one creates the subject."""

    class_version: ClassVar[int] = 2
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

    def mutate(self, aggregate: Any) -> Any:
        expected = 1 if aggregate is None else aggregate.version + 1
        if self.originator_version != expected or (aggregate is None and self.originator_topic is None):
            raise BrokenHistory(self.originator_id, self.originator_version, expected)
        if aggregate is None:
            return CanInitAggregate.mutate(self, aggregate)
        return CanMutateAggregate.mutate(self, aggregate)

    def apply(self, aggregate: Any) -> None:
        aggregate.remember(Entry(self.statement_id, self.originator_version, self.recorded_at, self.statement))


def event_classes(aggregate: type, statement_classes: tuple[type, ...]) -> dict[str, type]:
    """One event class per statement kind, named like it and nested in the aggregate (its topic)."""
    classes = {}
    for statement_cls in (*statement_classes, StatementCorrected, StatementRetracted):
        cls = create_model(statement_cls.__name__, __base__=StatementRecorded,
                           __module__=aggregate.__module__, statement=(statement_cls, ...))
        cls.__qualname__ = f"{aggregate.__qualname__}.{statement_cls.__name__}"
        setattr(aggregate, statement_cls.__name__, cls)
        classes[statement_cls.KIND] = cls
        for topic in own_topics(cls):
            EVENT_TOPICS[topic] = cls
    for topic in own_topics(aggregate):
        AGGREGATE_TOPICS[topic] = aggregate
    return classes


Item = tuple[Any, str, datetime]  # (statement or fix, statement_id, recorded_at)


def _unique(items: list[Item], known: set[str]) -> list[Item]:
    seen = set(known)
    fresh = []
    for item in items:
        if item[1] not in seen:
            seen.add(item[1])
            fresh.append(item)
    return fresh


class Subject(Aggregate):
    """A brand, model, market or dealer agreement: the history of statements about it."""

    EVENTS: ClassVar[dict[str, type]] = {}

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
    def start(cls, aggregate_id: UUID, items: list[Item]) -> Subject:
        """Create the subject with its first statements, checked together like any others."""
        items = _unique(items, set())
        check_history([], [Entry(sid, n, at, st) for n, (st, sid, at) in enumerate(items, 1)])
        (statement, statement_id, recorded_at), rest = items[0], items[1:]
        subject = cls._create(cls.EVENTS[statement.KIND], id=aggregate_id, statement=statement,
                              statement_id=statement_id, recorded_at=recorded_at, timestamp=recorded_at)
        subject._trigger_all(rest)
        return subject

    def record(self, items: list[Item]) -> list[str]:
        """Record statements and fixes once the whole history with them stays valid.

        Returns the ids that were new; statements already recorded are skipped.
        """
        items = _unique(items, self.statement_ids)
        check_history(self.entries, [Entry(sid, self.version + n, at, st) for n, (st, sid, at) in enumerate(items, 1)])
        self._trigger_all(items)
        return [sid for _, sid, _ in items]

    def _trigger_all(self, items: list[Item]) -> None:
        for statement, statement_id, recorded_at in items:
            self.trigger_event(self.EVENTS[statement.KIND], statement=statement, statement_id=statement_id,
                               recorded_at=recorded_at, timestamp=recorded_at)

"""The event-sourced base of every subject: statements recorded as pydantic events, checked first."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, CanInitAggregate, CanMutateAggregate
from pydantic import BaseModel, ConfigDict, create_model

from domain.fixes import Fix, StatementCorrected, StatementRetracted
from domain.history import Entry
from domain.rules import check_history


class DomainEvent(BaseModel):
    """A frozen pydantic domain event: validated when recorded and when read back."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    originator_id: UUID
    originator_version: int
    timestamp: datetime


class StatementRecorded(DomainEvent, CanInitAggregate[UUID]):
    """A statement (or one of our fixes) recorded on a subject; the first one creates the subject."""

    class_version: ClassVar[int] = 2
    originator_topic: str | None = None
    statement_id: str
    recorded_at: datetime

    @staticmethod
    def upcast_v1_v2(state: dict) -> None:
        """Version 1 stored no recorded_at: the event's timestamp was the recording instant."""
        state.setdefault("recorded_at", state["timestamp"])

    def mutate(self, aggregate: Any) -> Any:
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
    return classes


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
    def start(cls, statement: Any, statement_id: str, recorded_at: datetime, aggregate_id: UUID) -> Subject:
        """Create the subject with its first statement (checked like any other)."""
        check_history([], [Entry(statement_id, 1, recorded_at, statement)])
        return cls._create(cls.EVENTS[statement.KIND], id=aggregate_id, statement=statement,
                           statement_id=statement_id, recorded_at=recorded_at, timestamp=recorded_at)

    def record(self, statement: Any, statement_id: str, recorded_at: datetime) -> bool:
        """Record a statement or fix after checking the rules; False when it is already recorded."""
        if statement_id in self.statement_ids:
            return False
        check_history(self.entries, [Entry(statement_id, self.version + 1, recorded_at, statement)])
        self.trigger_event(self.EVENTS[statement.KIND], statement=statement, statement_id=statement_id,
                           recorded_at=recorded_at, timestamp=recorded_at)
        return True

    def holds(self, statement_id: str) -> bool:
        return statement_id in self.statement_ids

    @staticmethod
    def is_fix(statement: Any) -> bool:
        return isinstance(statement, Fix)

"""What the application needs from the outside: an index of recorded statements and subject names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, Sequence
from uuid import UUID


@dataclass(frozen=True)
class StatementRef:
    """Where a recorded statement lives."""

    statement_id: str
    kind: str
    subject_type: str
    subject_id: UUID
    brand: str


class StatementIndex(Protocol):
    """Looks recorded statements and subject names up (the read model provides it)."""

    def find_statements(self, prefix: str, limit: int = 20) -> list[StatementRef]:
        """Statements whose id starts with `prefix` (at most `limit` of them)."""

    def subject_named(self, subject_type: str, key: tuple[str, ...]) -> UUID | None:
        """The subject currently or formerly known by this key (a renamed model keeps its old name)."""

    def known_subjects(self, subject_ids: set[UUID]) -> set[UUID]:
        """Which of these subjects have statements (a hint: a concurrent writer may have added one)."""


class RecordingSession(Protocol):
    """One command's transaction on the event store, holding the write lock from before its recorded_at
    is chosen until it commits (the event store's recorder opens it: `recorder.recording()`)."""

    def latest_recorded_at(self) -> datetime | None:
        """The latest recorded_at in the log (None for an empty log)."""

    def server_clock(self) -> datetime | None:
        """The event store's own clock, when it is the authority (team mode); None to use the writer's."""

    def write(self, stored_events: Sequence[Any]) -> list[int]:
        """Insert stored events in this transaction; returns their notification ids."""

    def recorded_up_to(self, instant: datetime) -> None:
        """Remember, in this transaction, that the log now holds statements recorded up to `instant`."""


class WrittenFold(Protocol):
    """The read model folding a command's events on the command's own transaction, as they are written."""

    def fold(self, written: list[tuple[int, Any]]) -> None:
        """Fold one subject's events just written (notification id, event), all of that subject's events."""

    def finish(self) -> None:
        """Record the position folded up to (and finish the tables), still before the commit."""


class Progress(Protocol):
    """Told how far a long command has come (import, rebuild, replay)."""

    def start(self, label: str, total: int) -> None:
        """A new phase of `total` steps begins."""

    def advance(self, steps: int = 1) -> None:
        """`steps` more steps are done."""

    def finish(self) -> None:
        """The phase is over."""


class Quiet:
    """The progress of a command nobody watches."""

    def start(self, label: str, total: int) -> None:
        """Nothing to show."""

    def advance(self, steps: int = 1) -> None:
        """Nothing to show."""

    def finish(self) -> None:
        """Nothing to show."""


QUIET = Quiet()

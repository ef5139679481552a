"""What the application needs from the outside: an index of recorded statements and subject names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
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

    def find_statements(self, prefix: str) -> list[StatementRef]:
        """Statements whose id starts with `prefix`."""

    def subject_named(self, subject_type: str, key: tuple[str, ...]) -> UUID | None:
        """The subject currently or formerly known by this key (a renamed model keeps its old name)."""

    def known_subjects(self, subject_ids: set[UUID]) -> set[UUID]:
        """Which of these subjects have statements (a hint: a concurrent writer may have added one)."""


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

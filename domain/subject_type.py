"""What a subject module declares for the catalogue: its aggregate, folds, status words and views."""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Callable, Mapping

from stratlog.domain.folders import SubjectFolder, SubjectState

TONES = ("done", "late", "ended")  # report colours: green, amber, red; an `ended` status also ends a chart row
MARKS = ("diamond", "square")      # how the report chart draws a milestone date


@dataclass(frozen=True)
class StateList:
    """How `state` lists the subjects of one type: under `key`, one typed row each (NotRequired
    columns only when known), and the columns of the terminal table."""

    key: str
    row: type
    table: tuple[str, ...]


@dataclass(frozen=True)
class SubjectType:
    """One subject type, as its module declares it; the catalogue derives everything else from it.

    `aggregate` declares one event class per statement kind; `statuses` is the Literal of its status
    words and `tones` colours some of them; a subject with a life of its own gives the `fold_state` its
    statements advance (one group, named after the subject type), the brand gives its `groups`' folders.
    """

    aggregate: type
    statuses: Any
    tones: Mapping[str, str] = field(default_factory=dict)
    fold_state: type[SubjectState] | None = None
    groups: Mapping[str, Callable[[bool], Any]] = field(default_factory=dict)
    state: StateList | None = None
    milestones: Mapping[str, str] = field(default_factory=dict)

    @property
    def statements(self) -> tuple[type, ...]:
        """Its statement kinds, in the order its aggregate declares their events (fixes left out)."""
        classes = (event.model_fields["statement"].annotation for event in self.aggregate.EVENTS.values())
        return tuple(cls for cls in classes if hasattr(cls, "KEY_FIELDS"))

    @property
    def name(self) -> str:
        """The subject type: 'model', 'dealer-agreement'…"""
        return self.statements[0].SUBJECT

    @property
    def words(self) -> tuple[str, ...]:
        """Its status words."""
        return typing.get_args(self.statuses)

    @property
    def folders(self) -> dict[str, Callable[[bool], Any]]:
        """The folder of each of its groups, by group type."""
        if self.fold_state is not None:
            return {self.name: partial(SubjectFolder, self.fold_state, self.name)}
        return dict(self.groups)

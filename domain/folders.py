"""Folders: a fold unit's state advanced one statement at a time, and the items it answers with.

A folder's items are the exploded form of its group view (see domain/items.py); each item is
built once and kept until the statement that changes it, so materialising a group over many
as-of dates costs what changes, not what is. The steps are dispatched on the statement's class:
each subject module registers the steps of its own kinds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import singledispatch
from typing import Any, Callable

from stratlog.domain.dates import instant_text
from stratlog.domain.history import Entry, fold_key
from stratlog.domain.values import json_value


def stated(entry: Entry) -> dict:
    """When and where a subject was last stated (computed once per entry)."""
    cached = entry.__dict__.get("_stated")
    if cached is None:
        st = entry.statement
        cached = {
            "announced_on": str(st.announced_on) if st.announced_on else None,
            "statement_id": entry.statement_id,
            "recorded_at": instant_text(entry.recorded_at),
            "source": st.source.label() if st.source else None,
            "source_url": st.source.url if st.source else None,
            "publisher": st.source.publisher if st.source else None,
        }
        object.__setattr__(entry, "_stated", cached)
    return cached


class NoFoldStep(NotImplementedError):
    """Raised when a statement kind was declared without the fold step that applies it."""


@dataclass
class SubjectState:
    """What the fold knows of one subject with a life of its own (a model, market, agreement, plant).

    Each subject module subclasses it and says which of its dates is the subject's `date`.
    """

    subject_type: str
    name: str
    strict: bool = False
    status: str | None = None
    dates: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    last: Entry | None = None
    planned_history: list[tuple[Entry, Any]] = field(default_factory=list)

    @property
    def date(self) -> Any:
        """The effective date that matters for the timeline."""
        raise NotImplementedError

    def plan(self, entry: Entry, planned_for: Any) -> None:
        """A planned date, as announced (None: no date any more)."""
        self.dates["planned_for"] = planned_for
        self.planned_history.append((entry, planned_for))


@singledispatch
def advance(statement: Any, state: SubjectState, entry: Entry) -> None:
    """Advance a subject's state by one statement (each subject module registers its kinds)."""
    raise NoFoldStep(f"no fold step is registered for {type(statement).__name__}")


class SubjectFolder:
    """A subject with a life of its own: one item, rebuilt after each statement."""

    def __init__(self, state_class: type[SubjectState], subject_type: str, strict: bool):
        self.state_class, self.subject_type, self.strict = state_class, subject_type, strict
        self.state: SubjectState | None = None
        self.item: dict | None = None
        self.scheduled: list[Entry] = []

    def schedule(self, scheduled: list[Entry]) -> None:
        """The statements announced but not in effect yet (their effective date has not ended)."""
        if scheduled != self.scheduled:
            self.scheduled, self.item = list(scheduled), None

    def apply(self, entry: Entry) -> None:
        st = entry.statement
        if self.state is None:
            self.state = self.state_class(self.subject_type, st.subject_name, self.strict)
        advance(st, self.state, entry)
        self.state.last, self.item = entry, None

    def finish(self) -> None:
        """Nothing waits in a subject's fold."""

    def retracted_items(self, entries: list[Entry]) -> dict[str, dict]:
        """A subject's answer shows nothing of its retracted statements."""
        return {}

    def folds(self, statement_class: type) -> bool:
        """Whether a fold step is registered for the kind."""
        return advance.dispatch(statement_class) is not advance.dispatch(object)

    def items(self) -> dict[str, dict]:
        if self.state is None and not self.scheduled:
            return {}
        if self.item is None:
            self.item = self._item()
        return {"s": self.item}

    def _item(self) -> dict:
        """The subject's answer: its state, with the next scheduled event (if any) as its date."""
        first = self.scheduled[0].statement if self.scheduled else None
        state = self.state or self.state_class(self.subject_type, first.subject_name, self.strict)
        last = max([e for e in (state.last, *self.scheduled) if e is not None], key=fold_key)
        # No statement gave it a status yet (only scheduled ends, or a rename): what its first statement implies.
        opening = first if first is not None else last.statement
        item = {
            "type": state.subject_type, "subject": state.name, "status": state.status or opening.IMPLIES,
            "date": json_value(state.date), "dates": json_value(state.dates),
            "details": json_value(state.details), "aliases": list(state.aliases), **stated(last),
            "planned_history": [{"announced_on": str(e.statement.announced_on), "planned_for": json_value(d)}
                                for e, d in state.planned_history],
        }
        if self.scheduled:
            upcoming = min(self.scheduled, key=lambda e: (e.takes_effect, fold_key(e))).statement
            when = str(upcoming.effective_date)
            item.update(date=when, scheduled={"event": upcoming.EFFECTIVE[1], "on": when})
        return item


@singledispatch
def latest_key(statement: Any) -> str:
    """Which of a last-word group's items a statement replaces: the valued_on, the period, or the only one."""
    raise NoFoldStep(f"no fold step is registered for {type(statement).__name__}")


@singledispatch
def latest_item(statement: Any, entry: Entry, header: dict | None) -> tuple[str, dict]:
    """The item (its key and data) a last-word statement answers with."""
    raise NoFoldStep(f"no fold step is registered for {type(statement).__name__}")


class LatestFolder:
    """Valuations (by valued_on), actuals (by period), the IPO stance and the registration: last word wins."""

    REFUSES = False  # a last word refuses nothing: its strict fold is its plain fold (see groups.refuses)

    def __init__(self, kind: str, strict: bool = False, header: Callable[[Any], dict] | None = None):
        self.kind, self.make_header = kind, header
        self.latest: dict[Any, Entry] = {}
        self.built: dict[Any, tuple[Entry, str, dict]] = {}
        self.header: dict | None = None
        self.changed: set[Any] = set()

    def apply(self, entry: Entry) -> None:
        if self.header is None and self.make_header is not None:
            self.header = self.make_header(entry.statement)  # a list group's header: its first statement's
        key = latest_key(entry.statement)
        self.latest[key] = entry
        self.changed.add(key)

    def finish(self) -> None:
        """Nothing waits in a last-word fold."""

    def retracted_items(self, entries: list[Entry]) -> dict[str, dict]:
        """A last word retracted is simply no longer said."""
        return {}

    def folds(self, statement_class: type) -> bool:
        """Whether its key and item are registered for the kind."""
        return all(step.dispatch(statement_class) is not step.dispatch(object) for step in (latest_key, latest_item))

    def items(self) -> dict[str, dict]:
        return dict(self._built(key) for key in self.latest)

    def touched(self) -> dict[str, dict]:
        """The items whose statement changed since the last call (key -> item): a fold over dates asks
        for these instead of every item at every date."""
        found = dict(self._built(key) for key in self.changed)
        self.changed = set()
        return found

    def _built(self, key: Any) -> tuple[str, dict]:
        """(item key, item) of the last word under `key`, built once per entry."""
        entry = self.latest[key]
        cached = self.built.get(key)
        if cached is None or cached[0] is not entry:
            cached = self.built[key] = (entry, *latest_item(entry.statement, entry, self.header))
        return cached[1], cached[2]

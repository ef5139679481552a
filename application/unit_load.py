"""A subject resumed for a command from the fold units it touches, not replayed from its whole history.

The rules (domain/rules.check_history) fold only the units that new statements touch, so a command
needs the subject's version, which of its ids the subject already holds, and every member of those
units. A current read model says all three (its members index) and the log gives just those events.
"""

from __future__ import annotations

from typing import Any, Protocol
from uuid import UUID

from stratlog.domain.aggregate import Subject
from stratlog.domain.catalogue import AGGREGATES
from stratlog.domain.date_fold import FoldCheckpoint
from stratlog.domain.errors import StratlogError
from stratlog.domain.fixes import Fix, StatementCorrected
from stratlog.domain.groups import group_of, refuses
from stratlog.domain.guidance import BRAND_TARGETS
from stratlog.domain.history import FAR_PAST, Entry, apply_fixes


class UnitHistory(Protocol):
    """What a read model knows of a subject's fold units (the read model provides it)."""

    def current(self, last_position: int) -> bool:
        """Whether it folded the log up to `last_position` (the log's last one) with this code's fold."""

    def subject_version(self, subject: UUID) -> int | None:
        """The subject's version when every event of it is folded (None: unknown, or some damaged)."""

    def recorded(self, subject: UUID, statement_ids: set[str]) -> set[str]:
        """Which of these ids the subject holds."""

    def units_of(self, subject: UUID, statement_ids: set[str]) -> dict[str, tuple[bool, list[str]]]:
        """Of these statements of the subject: whether each is a fix, and the units it is a member of."""

    def unit_entries(self, subject: UUID, units: set[str]) -> list[Entry] | None:
        """Every entry that is a member of these units, decoded from the log (None: some did not decode)."""

    def holds(self, subject: UUID, unit: str) -> bool:
        """Whether the unit has members (a statement or a fix of one)."""

    def unit_checkpoint(self, subject: UUID, unit: str) -> FoldCheckpoint | None:
        """The unit's fold after every member, when the read model keeps one (None: fold its members)."""


def _touched(items: list[tuple[Any, str, Any]], located: dict[str, tuple[bool, list[str]]]) -> set[str] | None:
    """The units new statements and fixes touch (None: a fix names something this cannot place)."""
    own = {statement_id: record for record, statement_id, _ in items if not isinstance(record, Fix)}
    units: set[str] = set()
    for record, _, _ in items:
        if not isinstance(record, Fix):
            units.add(group_of(record))
        elif record.target in own:
            units.add(group_of(own[record.target]))
        elif record.target in located and not located[record.target][0]:
            units |= set(located[record.target][1])
        else:
            return None  # a fix of a fix, or of a statement not on this subject: the full check names it
    return units


def resume(history: UnitHistory, subject_type: str, aggregate_id: UUID, items: list[tuple[Any, str, Any]]) -> Subject | None:
    """The subject with the entries of the units `items` touch, or None when the read model cannot
    tell (the caller then replays the whole aggregate). `items` are (statement or fix, id, recorded_at)."""
    version = history.subject_version(aggregate_id)
    if version is None:
        return None
    ids = {statement_id for _, statement_id, _ in items}
    targets = {record.target for record, _, _ in items if isinstance(record, Fix)}
    located = history.units_of(aggregate_id, targets) if targets else {}
    units = _touched(items, located)
    if units is None:
        return None
    if not targets:  # statements alone, on units that refuse nothing, are checked without their members
        units = {u for u in units if u == BRAND_TARGETS or refuses(u)}
    targeted = any(u == BRAND_TARGETS or u.startswith("targets:") for u in units)
    wide = targeted and (BRAND_TARGETS in units or history.holds(aggregate_id, BRAND_TARGETS))
    checkpoints = {} if targets or wide else _checkpoints(history, aggregate_id, items, units)
    units -= checkpoints.keys()
    entries: list[Entry] = []
    loaded: set[str] = set()
    while units - loaded:
        if wide:
            units.add("targets:%")  # a brand-wide target statement folds with every targets unit
        more = history.unit_entries(aggregate_id, units - loaded)
        if more is None:
            return None
        loaded |= units
        entries = _merged(entries, more)
        units |= _moved(items, entries)
    return AGGREGATES[subject_type].resumed(aggregate_id, version, entries, history.recorded(aggregate_id, ids),
                                            checkpoints)


def _checkpoints(history: UnitHistory, aggregate_id: UUID, items: list[tuple[Any, str, Any]],
                 units: set[str]) -> dict[str, FoldCheckpoint]:
    """The checkpoints of touched targets units that every new statement of theirs sorts after (announced
    no earlier than the unit's last entry): those units are checked from there, without their members."""
    found = {}
    for unit in sorted(u for u in units if u.startswith("targets:")):
        checkpoint = history.unit_checkpoint(aggregate_id, unit)
        if checkpoint is not None and all(_start(record) >= checkpoint.last_key[0] for record, _, _ in items
                                          if group_of(record) == unit):
            found[unit] = checkpoint
    return found


def _start(record: Any) -> Any:
    announced = getattr(record, "announced_on", None)
    return announced.start if announced else FAR_PAST


def _merged(entries: list[Entry], more: list[Entry]) -> list[Entry]:
    by_position = {e.position: e for e in entries}
    by_position.update((e.position, e) for e in more)
    return [by_position[p] for p in sorted(by_position)]


def _moved(items: list[tuple[Any, str, Any]], entries: list[Entry]) -> set[str]:
    """The units the fixed statements of `items` now belong to, found as the check finds them (with
    every fix applied): a correction may move its statement to a unit whose members are checked too."""
    if not any(isinstance(record, StatementCorrected) for record, _, _ in items):
        return set()
    top = max((e.position for e in entries), default=0)
    new = [Entry(sid, top + n, at, record) for n, (record, sid, at) in enumerate(items, 1)]
    try:
        fixed = {e.statement_id: e for e in apply_fixes([*entries, *new])}
    except (StratlogError, ValueError):
        return set()  # the check refuses these fixes, naming why
    return {group_of(fixed[record.target].statement) for record, _, _ in items
            if isinstance(record, StatementCorrected) and record.target in fixed}

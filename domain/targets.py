"""The fold of one KPI and scope's target statements: live targets, revisions, rules and audit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain.brand_statements import TargetRevised, TargetSet, TargetWithdrawn
from domain.errors import DeadlineTaken, DependencyAnnouncedLater, TargetNotFound
from domain.history import Entry
from domain.values import kpi_number


@dataclass
class Target:
    """One target as the fold leaves it: its first statement's identity and its current terms."""

    identity: str
    setting: TargetSet
    deadline: Any
    value: Any
    low: Any
    high: Any
    withdrawn: bool = False
    last: Entry | None = None
    keyed_by: Entry | None = None
    deadlines: list = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.deadline.text


@dataclass
class TargetBook:
    targets: list[Target] = field(default_factory=list)
    audit: list[dict] = field(default_factory=list)

    def live(self, deadline_text: str) -> Target | None:
        return next((t for t in self.targets if not t.withdrawn and t.key == deadline_text), None)


def fold_targets(entries: list[Entry], strict: bool) -> TargetBook:
    """Fold target statements given in fold order; a dependent statement waits for its target.

    In strict mode every rule raises its named error; otherwise a statement whose target is not
    counted yet is left out (it waits for a later --as-of).
    """
    book, waiting = TargetBook(), {}
    for entry in entries:
        _apply_or_wait(book, entry, waiting, strict)
    leftovers = [e for queue in waiting.values() for e in queue]
    if strict and leftovers:
        first = leftovers[0]
        raise TargetNotFound(f"{first.describe()} names no live target {_label(first.statement)}")
    return book


def _apply_or_wait(book: TargetBook, entry: Entry, waiting: dict, strict: bool) -> None:
    statement = entry.statement
    if isinstance(statement, TargetSet):
        target = _set(book, entry)
    else:
        target = book.live(statement.deadline.text)
        if target is None:
            waiting.setdefault(statement.deadline.text, []).append(entry)
            return
        _check_dependency(target, entry, strict)
        _change(book, target, entry, strict)
    for released in waiting.pop(target.key, []) if not target.withdrawn else []:
        _apply_or_wait(book, released, waiting, strict)


def _check_dependency(target: Target, entry: Entry, strict: bool) -> None:
    """A statement depends on the one that gave its target the deadline it names."""
    if strict and entry.end < target.keyed_by.start:
        raise DependencyAnnouncedLater(
            f"{entry.describe()} depends on {target.keyed_by.describe()}, which was announced after it")


def _set(book: TargetBook, entry: Entry) -> Target:
    statement = entry.statement
    existing = book.live(statement.deadline.text)
    if existing is None:
        target = Target(f"{statement.kpi}|{statement.scope or ''}|{statement.deadline}|{entry.statement_id}", statement,
                        statement.deadline, statement.value, statement.low, statement.high,
                        last=entry, keyed_by=entry, deadlines=[statement.deadline.text])
        book.targets.append(target)
        book.audit.append(_audit_row(target, entry, "set", None, None))
        return target
    old = (existing.value, existing.low, existing.high)
    existing.setting = statement
    existing.value, existing.low, existing.high = statement.value, statement.low, statement.high
    change = "reaffirmed" if old == (statement.value, statement.low, statement.high) else _value_change(old[0], statement.value)
    existing.last = entry
    book.audit.append(_audit_row(existing, entry, change, old, existing.deadline))
    return existing


def _change(book: TargetBook, target: Target, entry: Entry, strict: bool) -> None:
    statement = entry.statement
    old_values, old_deadline = (target.value, target.low, target.high), target.deadline
    if isinstance(statement, TargetWithdrawn):
        target.withdrawn, change = True, "withdrawn"
    elif isinstance(statement, TargetRevised):
        change = _revise(book, target, entry, strict)
    else:
        change = "reaffirmed"
    target.last = entry
    book.audit.append(_audit_row(target, entry, change, old_values, old_deadline))


def _revise(book: TargetBook, target: Target, entry: Entry, strict: bool) -> str:
    statement, change = entry.statement, "revised"
    if statement.value is not None:
        change = _value_change(target.value, statement.value)
        target.value, target.low, target.high = statement.value, None, None
    if statement.new_deadline is not None and statement.new_deadline != target.deadline:
        holder = book.live(statement.new_deadline.text)
        if holder is not None and strict:
            raise DeadlineTaken(f"{entry.describe()} cannot move {_label(statement)} to {statement.new_deadline}: "
                                f"{holder.keyed_by.describe()} holds that deadline for another live target")
        target.deadline, target.keyed_by = statement.new_deadline, entry
        target.deadlines.append(statement.new_deadline.text)
        change = "deadline-moved"
    return change


def _value_change(old: Any, new: Any) -> str:
    before, after = kpi_number(old), kpi_number(new)
    if before is None or after is None or before == after:
        return "revised" if old != new else "reaffirmed"
    return "raised" if after > before else "lowered"


def _label(statement: Any) -> str:
    scope = f" {statement.scope}" if statement.scope else ""
    return f"{statement.kpi}{scope} {statement.deadline}"


def _audit_row(target: Target, entry: Entry, change: str, old_values, old_deadline) -> dict:
    return {
        "target": target.identity, "change": change, "entry": entry,
        "old_value": None if old_values is None else _range_or_value(*old_values),
        "new_value": None if change == "withdrawn" else _range_or_value(target.value, target.low, target.high),
        "old_deadline": old_deadline, "new_deadline": target.deadline,
    }


def _range_or_value(value, low, high):
    return value if value is not None else {"low": low, "high": high}

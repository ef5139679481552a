"""The fold of one KPI and scope's target statements: live targets, revisions, rules and audit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stratlog.domain.brand_statements import TargetRevised, TargetSet, TargetWithdrawn
from stratlog.domain.dates import instant_text
from stratlog.domain.errors import DeadlineTaken, DependencyAnnouncedLater, TargetNotFound
from stratlog.domain.folders import stated
from stratlog.domain.history import Entry
from stratlog.domain.values import json_value
from stratlog.domain.values import kpi_number

HEADER = {"type": "targets"}
RETRACTED_SEQ = 1_000_000


@dataclass
class Target:
    """One target as the fold leaves it: its first statement's identity and its current terms."""

    identity: str
    setting: TargetSet
    deadline: Any
    value: Any
    low: Any
    high: Any
    seq: int
    withdrawn: bool = False
    last: Entry | None = None
    keyed_by: Entry | None = None
    deadlines: list = field(default_factory=list)
    item: dict | None = None

    @property
    def key(self) -> str:
        return self.deadline.text

    def terms(self) -> tuple:
        return (self.value, self.low, self.high)

    def as_item(self) -> dict:
        if self.item is None:
            self.item = {
                "_group": HEADER, "_list": "targets", "_seq": self.seq,
                "identity": self.identity, "kpi": self.setting.kpi, "scope": self.setting.scope,
                "deadline": str(self.deadline), "deadlines": list(self.deadlines), "horizon": self.setting.horizon,
                "value": json_value(self.value), "low": json_value(self.low), "high": json_value(self.high),
                "unit": self.setting.effective_unit, "comparator": self.setting.comparator,
                "withdrawn": self.withdrawn, **stated(self.last)}
        return self.item


class TargetsFolder:
    """Targets of one KPI and scope; a statement about a target not yet set waits for it.

    In strict mode every rule raises its named error; otherwise a statement whose target is not
    counted yet is left out (it waits for a later --as-of).
    """

    def __init__(self, strict: bool):
        self.strict = strict
        self.targets: list[Target] = []
        self.audit: dict[str, dict] = {}
        self.waiting: dict[str, list[Entry]] = {}

    def live(self, deadline_text: str) -> Target | None:
        return next((t for t in self.targets if not t.withdrawn and t.key == deadline_text), None)

    def apply(self, entry: Entry) -> None:
        statement = entry.statement
        if isinstance(statement, TargetSet):
            target = self._set(entry)
        else:
            target = self.live(statement.deadline.text)
            if target is None:
                self.waiting.setdefault(statement.deadline.text, []).append(entry)
                return
            self._check_dependency(target, entry)
            self._change(target, entry)
        for released in self.waiting.pop(target.key, []) if not target.withdrawn else []:
            self.apply(released)

    def finish(self) -> None:
        leftovers = [e for queue in self.waiting.values() for e in queue]
        if self.strict and leftovers:
            first = leftovers[0]
            raise TargetNotFound(f"{first.describe()} names no live target {_label(first.statement)}",
                                 statement_ids=(first.statement_id,))

    def items(self) -> dict[str, dict]:
        found = {f"t:{t.identity}": t.as_item() for t in self.targets}
        found.update(self.audit)
        return found

    def _check_dependency(self, target: Target, entry: Entry) -> None:
        """A statement depends on the one that gave its target the deadline it names."""
        if self.strict and entry.end < target.keyed_by.start:
            raise DependencyAnnouncedLater(
                f"{entry.describe()} depends on {target.keyed_by.describe()}, which was announced after it",
                statement_ids=(entry.statement_id, target.keyed_by.statement_id))

    def _set(self, entry: Entry) -> Target:
        statement = entry.statement
        existing = self.live(statement.deadline.text)
        if existing is None:
            target = Target(f"{statement.kpi}|{statement.scope or ''}|{statement.deadline}|{entry.statement_id}",
                            statement, statement.deadline, statement.value, statement.low, statement.high,
                            seq=len(self.targets), last=entry, keyed_by=entry, deadlines=[statement.deadline.text])
            self.targets.append(target)
            self._record(target, entry, "set", None, None)
            return target
        old = existing.terms()
        existing.setting = statement
        existing.value, existing.low, existing.high = statement.value, statement.low, statement.high
        change = "reaffirmed" if old == existing.terms() else _value_change(old[0], statement.value)
        existing.last, existing.item = entry, None
        self._record(existing, entry, change, old, existing.deadline)
        return existing

    def _change(self, target: Target, entry: Entry) -> None:
        statement = entry.statement
        old_terms, old_deadline = target.terms(), target.deadline
        if isinstance(statement, TargetWithdrawn):
            target.withdrawn, change = True, "withdrawn"
        elif isinstance(statement, TargetRevised):
            change = self._revise(target, entry)
        else:
            change = "reaffirmed"
        target.last, target.item = entry, None
        self._record(target, entry, change, old_terms, old_deadline)

    def _revise(self, target: Target, entry: Entry) -> str:
        statement, change = entry.statement, "revised"
        if statement.value is not None:
            change = _value_change(target.value, statement.value)
            target.value, target.low, target.high = statement.value, None, None
        if statement.new_deadline is not None and statement.new_deadline != target.deadline:
            holder = self.live(statement.new_deadline.text)
            if holder is not None and self.strict:
                raise DeadlineTaken(f"{entry.describe()} cannot move {_label(statement)} to {statement.new_deadline}: "
                                    f"{holder.keyed_by.describe()} holds that deadline for another live target",
                                    statement_ids=(entry.statement_id, holder.keyed_by.statement_id))
            target.deadline, target.keyed_by = statement.new_deadline, entry
            target.deadlines.append(statement.new_deadline.text)
            change = "deadline-moved"
        return change

    def _record(self, target: Target, entry: Entry, change: str, old_terms, old_deadline) -> None:
        statement = entry.statement
        row = {"_group": HEADER, "_list": "audit", "_seq": len(self.audit),
               "identity": target.identity, "kpi": statement.kpi, "scope": statement.scope, "change": change,
               "old_value": None if old_terms is None else json_value(_range_or_value(*old_terms)),
               "new_value": None if change == "withdrawn" else json_value(_range_or_value(*target.terms())),
               "old_deadline": json_value(old_deadline), "new_deadline": json_value(target.deadline),
               "flagged": False, **stated(entry)}
        self.audit[f"a:{entry.statement_id}"] = row
        versions = [entry.original]
        for fix in entry.corrections:
            versions.append(versions[-1].corrected(fix.statement.fields))
            change_row = {"old_value": _said_value(versions[-2]), "new_value": _said_value(versions[-1]),
                          "old_deadline": _said_deadline(versions[-2]), "new_deadline": _said_deadline(versions[-1])}
            self.audit[f"a:{fix.statement_id}"] = _fix_row({**row, **change_row, "_seq": len(self.audit)},
                                                           fix, "corrected")


def retracted_items(entries: list[Entry]) -> dict[str, dict]:
    """Audit rows of retracted target statements (given in fold order): flagged, after every revision."""
    found = {}
    for i, entry in enumerate(entries):
        st = entry.statement
        base = {"_group": HEADER, "_list": "audit", "_seq": RETRACTED_SEQ + i, "identity": None, "kpi": st.kpi,
                "scope": st.scope, "old_value": _said_value(st), "new_value": None, "old_deadline": str(st.deadline),
                "new_deadline": None, **stated(entry)}
        found[f"a:{entry.retracted_by.statement_id}"] = _fix_row(base, entry.retracted_by, "retracted")
    return found


def _said_value(statement) -> object:
    return json_value(getattr(statement, "value", None))


def _said_deadline(statement) -> str | None:
    deadline = getattr(statement, "new_deadline", None) or getattr(statement, "deadline", None)
    return str(deadline) if deadline else None


def _fix_row(row: dict, fix: Entry, change: str) -> dict:
    return {**row, "change": change, "flagged": True, "statement_id": fix.statement_id,
            "recorded_at": instant_text(fix.recorded_at), "fixes": row["statement_id"],
            "note": getattr(fix.statement, "note", None) or getattr(fix.statement, "reason", None)}


def _value_change(old: Any, new: Any) -> str:
    before, after = kpi_number(old), kpi_number(new)
    if before is None or after is None or before == after:
        return "revised" if old != new else "reaffirmed"
    return "raised" if after > before else "lowered"


def _label(statement: Any) -> str:
    scope = f" {statement.scope}" if statement.scope else ""
    return f"{statement.kpi}{scope} {statement.deadline}"


def _range_or_value(value, low, high):
    return value if value is not None else {"low": low, "high": high}

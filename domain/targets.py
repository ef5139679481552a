"""A brand's targets: the statements about them and the fold of one KPI and scope's targets, with its rules.

Targets and actuals belong to the brand subject (domain/brand.py declares their events and groups).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import singledispatchmethod
from typing import Any, Literal

from pydantic import model_validator

from stratlog.domain.dates import PartialDate
from stratlog.domain.errors import DeadlineTaken, DependencyAnnouncedLater, TargetNotFound
from stratlog.domain.folders import NoFoldStep, stated
from stratlog.domain.history import Entry
from stratlog.domain.statement import Statement
from stratlog.domain.target_audit import HEADER, fix_row, range_or_value, retracted_items, said_deadline, said_value
from stratlog.domain.target_changes import Terms, change_label
from stratlog.domain.values import KpiValue, Name, RegionCode, Slug, Text, json_value, kpi_number, kpi_unit

Comparator = Literal["at-least", "at-most", "about", "exactly"]
TargetStatus = Literal["pending", "on-track", "at-risk", "off-track", "achieved", "missed", "overdue", "withdrawn"]


class TargetStatement(Statement):
    """Base of the statements about one target, addressed by KPI, scope and current deadline."""

    kpi: Slug
    deadline: PartialDate
    scope: RegionCode | Name | None = None

    @property
    def group(self) -> str:
        return f"targets:{self.kpi}:{(self.scope or '').casefold()}"


class TargetSet(TargetStatement):
    """A new target: a KPI's value by or in a deadline.

    Example: target-set alpine --kpi annual-sales --value 100000 --unit vehicles --comparator at-least
        --deadline 2030 --announced-on 2023-06 --source-title 'ANE congress'
    """

    kind: Literal["target-set"]
    horizon: Literal["by", "in"] = "by"
    value: KpiValue | None = None
    low: KpiValue | None = None
    high: KpiValue | None = None
    unit: Name | None = None
    comparator: Comparator

    @model_validator(mode="after")
    def _value_or_range(self) -> TargetSet:
        if (self.value is None) == (self.low is None and self.high is None):
            raise ValueError("give either value, or low and high")
        if self.value is None and (self.low is None or self.high is None):
            raise ValueError("a range needs both low and high")
        values = [v for v in (self.value, self.low, self.high) if v is not None]
        if isinstance(self.low, bool) or isinstance(self.high, bool):
            raise ValueError("a range (low, high) needs numbers or money, not yes/no")
        if len({kpi_unit(v, "n") for v in values}) > 1:
            raise ValueError("low and high must be of the same kind and currency")
        if self.value is None and kpi_number(self.low) > kpi_number(self.high):
            raise ValueError(f"low {self.low} is above high {self.high}")
        if kpi_unit(values[0], self.unit) is None:
            raise ValueError("unit is required for a number (e.g. vehicles, percent, models)")
        return self

    @property
    def effective_unit(self) -> str:
        return kpi_unit(self.value if self.value is not None else self.low, self.unit)


class TargetRevised(TargetStatement):
    """The brand changed a target's value or deadline.

    Example: target-revised alpine --kpi annual-sales --deadline 2030 --new-deadline 2031
        --announced-on 2024-02 --source-url https://example.org/a
    """

    kind: Literal["target-revised"]
    value: KpiValue | None = None
    new_deadline: PartialDate | None = None
    reason: Text | None = None

    @model_validator(mode="after")
    def _changes_something(self) -> TargetRevised:
        if self.value is None and self.new_deadline is None:
            raise ValueError("a revision needs a new value or a new_deadline")
        return self


class TargetReaffirmed(TargetStatement):
    """The brand repeated a target unchanged.

    Example: target-reaffirmed alpine --kpi annual-sales --deadline 2030 --announced-on 2024-03
        --source-title 'Capital markets day'
    """

    kind: Literal["target-reaffirmed"]


class TargetWithdrawn(TargetStatement):
    """The brand dropped a target.

    Example: target-withdrawn alpine --kpi annual-sales --deadline 2030 --reason 'new plan'
        --announced-on 2025-01 --source-title 'Strategy update'
    """

    kind: Literal["target-withdrawn"]
    reason: Text | None = None


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

    def full_terms(self) -> Terms:
        """Every term the change labels compare (value or range, comparator, horizon, unit)."""
        setting = self.setting
        return Terms(self.value, self.low, self.high, setting.comparator, setting.horizon, setting.effective_unit)

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
        target = self._apply(entry.statement, entry)
        for released in self.waiting.pop(target.key, []) if target and not target.withdrawn else []:
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

    def retracted_items(self, entries: list[Entry]) -> dict[str, dict]:
        """Audit rows of the retracted statements among `entries` (in fold order)."""
        return retracted_items(entries)

    @singledispatchmethod
    def _apply(self, statement: Any, entry: Entry) -> Target | None:
        raise NoFoldStep(f"no fold step is registered for {type(statement).__name__}")

    @_apply.register
    def _(self, statement: TargetSet, entry: Entry) -> Target:
        existing = self.live(statement.deadline.text)
        if existing is None:
            target = Target(f"{statement.kpi}|{statement.scope or ''}|{statement.deadline}|{entry.statement_id}",
                            statement, statement.deadline, statement.value, statement.low, statement.high,
                            seq=len(self.targets), last=entry, keyed_by=entry, deadlines=[statement.deadline.text])
            self.targets.append(target)
            self._record(target, entry, "set", None, None)
            return target
        old, before = existing.terms(), existing.full_terms()
        existing.setting = statement
        existing.value, existing.low, existing.high = statement.value, statement.low, statement.high
        change = change_label(before, existing.full_terms())
        existing.last, existing.item = entry, None
        self._record(existing, entry, change, old, existing.deadline)
        return existing

    @_apply.register
    def _(self, statement: TargetStatement, entry: Entry) -> Target | None:
        """A revision, reaffirmation or withdrawal of the live target holding the deadline it names."""
        target = self.live(statement.deadline.text)
        if target is None:
            self.waiting.setdefault(statement.deadline.text, []).append(entry)
            return None
        if self.strict and entry.end < target.keyed_by.start:
            raise DependencyAnnouncedLater(
                f"{entry.describe()} depends on {target.keyed_by.describe()}, which was announced after it",
                statement_ids=(entry.statement_id, target.keyed_by.statement_id))
        old_terms, old_deadline = target.terms(), target.deadline
        change = self._change(statement, target, entry)
        target.last, target.item = entry, None
        self._record(target, entry, change, old_terms, old_deadline)
        return target

    @singledispatchmethod
    def _change(self, statement: Any, target: Target, entry: Entry) -> str:
        raise NoFoldStep(f"no fold step is registered for {type(statement).__name__}")

    @_change.register
    def _(self, statement: TargetReaffirmed, target: Target, entry: Entry) -> str:
        return "reaffirmed"

    @_change.register
    def _(self, statement: TargetWithdrawn, target: Target, entry: Entry) -> str:
        target.withdrawn = True
        return "withdrawn"

    @_change.register
    def _(self, statement: TargetRevised, target: Target, entry: Entry) -> str:
        change = "revised"
        if statement.value is not None:
            before = target.full_terms()
            target.value, target.low, target.high = statement.value, None, None
            change = change_label(before, target.full_terms())
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

    def folds(self, statement_class: type) -> bool:
        """Whether this folder has a step for the kind."""
        change = vars(TargetsFolder)["_change"].dispatcher
        return statement_class is TargetSet or change.dispatch(statement_class) is not change.dispatch(object)

    def _record(self, target: Target, entry: Entry, change: str, old_terms, old_deadline) -> None:
        statement = entry.statement
        row = {"_group": HEADER, "_list": "audit", "_seq": len(self.audit),
               "identity": target.identity, "kpi": statement.kpi, "scope": statement.scope, "change": change,
               "old_value": None if old_terms is None else json_value(range_or_value(*old_terms)),
               "new_value": None if change == "withdrawn" else json_value(range_or_value(*target.terms())),
               "old_deadline": json_value(old_deadline), "new_deadline": json_value(target.deadline),
               "flagged": False, **stated(entry)}
        self.audit[f"a:{entry.statement_id}"] = row
        versions = [entry.original]
        for fix in entry.corrections:
            versions.append(versions[-1].corrected(fix.statement.fields))
            change_row = {"old_value": said_value(versions[-2]), "new_value": said_value(versions[-1]),
                          "old_deadline": said_deadline(versions[-2]), "new_deadline": said_deadline(versions[-1])}
            self.audit[f"a:{fix.statement_id}"] = fix_row({**row, **change_row, "_seq": len(self.audit)},
                                                          fix, "corrected")


def _label(statement: Any) -> str:
    scope = f" {statement.scope}" if statement.scope else ""
    return f"{statement.kpi}{scope} {statement.deadline}"

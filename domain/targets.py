"""A brand's targets: the statements about them and the fold of one KPI and scope's targets, with its rules.

Targets and actuals belong to the brand subject (domain/brand.py declares their events and groups).
"""

import copy
from dataclasses import dataclass, field
from functools import singledispatchmethod
from typing import Any, Literal

from pydantic import field_validator, model_validator

from stratlog.domain.dates import PartialDate
from stratlog.domain.errors import DeadlineTaken, DependencyAnnouncedLater, TargetNotFound
from stratlog.domain.folders import NoFoldStep, stated
from stratlog.domain.history import Entry
from stratlog.domain.statement import Statement
from stratlog.domain.target_audit import HEADER, audit_rows, retracted_items
from stratlog.domain.guidance import GuidanceWithdrawn
from stratlog.domain.target_changes import Terms, change_label
from stratlog.domain.target_terms import OPEN, REVISED_TERMS, Comparator, Deadline, Horizon, check_terms, \
    deadline_text
from stratlog.domain.values import KpiValue, Name, RegionCode, Slug, Text, json_value, kpi_unit

TargetStatus = Literal["pending", "on-track", "at-risk", "off-track", "achieved", "missed", "overdue", "withdrawn"]


class TargetStatement(Statement):
    """Base of the statements about one target, addressed by KPI, scope and current deadline."""

    kpi: Slug
    deadline: Deadline
    scope: RegionCode | Name | None = None

    @property
    def group(self) -> str:
        return f"targets:{self.kpi}:{(self.scope or '').casefold()}"


class TargetSet(TargetStatement):
    """A new target: a KPI's value or range by or in a deadline (none: an open target).

    Example: target-set alpine --kpi annual-sales --value 100000 --unit vehicles --comparator at-least
        --deadline 2030 --announced-on 2023-06 --source-title 'ANE congress'
    """

    kind: Literal["target-set"]
    deadline: Deadline | None = None
    horizon: Horizon = "by"
    value: KpiValue | None = None
    low: KpiValue | None = None
    high: KpiValue | None = None
    unit: Name | None = None
    comparator: Comparator
    baseline: PartialDate | None = None
    condition: Text | None = None

    @field_validator("deadline", mode="after")
    @classmethod
    def _open_is_none(cls, deadline: PartialDate | str | None) -> PartialDate | None:
        return None if deadline == OPEN else deadline

    @model_validator(mode="after")
    def _value_or_range(self) -> "TargetSet":
        check_terms(self.value, self.low, self.high, self.unit, needed=True)
        return self

    @property
    def effective_unit(self) -> str:
        return kpi_unit(self.value if self.value is not None else self.low, self.unit)

    def terms(self) -> Terms:
        """The terms this statement sets (value or range, comparator, horizon, unit, baseline, condition)."""
        return Terms(self.value, self.low, self.high, self.comparator, self.horizon, self.effective_unit,
                     self.baseline, self.condition)


class TargetRevised(TargetStatement):
    """The brand changed a target: any of its terms or its deadline, or (with a reason only) its wording.

    Example: target-revised alpine --kpi annual-sales --deadline 2030 --new-deadline 2031
        --announced-on 2024-02 --source-url https://example.org/a
    """

    kind: Literal["target-revised"]
    value: KpiValue | None = None
    low: KpiValue | None = None
    high: KpiValue | None = None
    unit: Name | None = None
    comparator: Comparator | None = None
    horizon: Horizon | None = None
    baseline: PartialDate | None = None
    condition: Text | None = None
    new_deadline: PartialDate | None = None
    reason: Text | None = None

    @model_validator(mode="after")
    def _changes_something(self) -> "TargetRevised":
        check_terms(self.value, self.low, self.high, self.unit, needed=False)
        if self.new_deadline is None and self.reason is None and all(
                getattr(self, name) is None for name in REVISED_TERMS):
            raise ValueError("a revision needs a new term (value or low/high, unit, comparator, horizon, baseline, "
                             "condition), a new_deadline, or a reason")
        return self

    def revise(self, old: Terms) -> Terms:
        """The terms after this revision: the old ones with those it names replaced."""
        value, low, high = old.value, old.low, old.high
        if self.value is not None:
            value, low, high = self.value, None, None
        elif self.low is not None:
            value, low, high = None, self.low, self.high
        unit = kpi_unit(value if value is not None else low, self.unit or old.unit)
        return Terms(value, low, high, self.comparator or old.comparator, self.horizon or old.horizon, unit,
                     self.baseline or old.baseline, self.condition or old.condition)


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
    deadline: PartialDate | None
    terms: Terms
    seq: int
    withdrawn: bool = False
    last: Entry | None = None
    keyed_by: Entry | None = None
    deadlines: list = field(default_factory=list)
    item: dict | None = None

    @property
    def key(self) -> str:
        return deadline_text(self.deadline)

    @property
    def item_key(self) -> str:
        """The key of its item in the unit's view (`t:` and its identity)."""
        return f"t:{self.identity}"

    def as_item(self) -> dict:
        if self.item is None:
            terms = self.terms
            self.item = {
                "_group": HEADER, "_list": "targets", "_seq": self.seq,
                "identity": self.identity, "kpi": self.setting.kpi, "scope": self.setting.scope,
                "deadline": json_value(self.deadline), "deadlines": list(self.deadlines), "horizon": terms.horizon,
                "value": json_value(terms.value), "low": json_value(terms.low), "high": json_value(terms.high),
                "unit": terms.unit, "comparator": terms.comparator, "baseline": json_value(terms.baseline),
                "condition": terms.condition, "withdrawn": self.withdrawn, **stated(self.last)}
        return self.item


class TargetsFolder:
    """Targets of one KPI and scope; a statement about a target not yet set waits for it.

    In strict mode every rule raises its named error; otherwise a statement whose target is not
    counted yet is left out (it waits for a later --as-of). A guidance withdrawal (a statement about
    every target of the brand) is folded by every targets group of its brand: it withdraws the live
    targets of this group that it matches.
    """

    def __init__(self, strict: bool):
        self.strict = strict
        self.targets: list[Target] = []
        self.audit: dict[str, dict] = {}
        self.waiting: dict[str, list[Entry]] = {}
        self.new_audit: list[str] = []
        self.keeps_audit = True
        self.audit_before = 0  # audit rows folded before a checkpoint this folder was resumed from (not kept)

    def checkpoint(self) -> tuple["TargetsFolder", list[str]] | None:
        """A compact copy to resume the fold from (date_fold.FoldCheckpoint): the targets, and the number of
        audit rows instead of the rows, which never change once written; with the items a later statement
        may change (its targets). None while a statement waits for its target: such a fold is not resumed."""
        if self.waiting or self.new_audit:
            return None
        compact = copy.copy(self)
        compact.audit, compact.audit_before = {}, self.audit_before + len(self.audit)
        return compact, [t.item_key for t in self.targets]

    def without_view(self) -> None:
        """Fold for the rules alone: no audit rows are built (a rule check reads no view; rules.check_history)."""
        self.keeps_audit = False

    def live(self, deadline_key: str) -> Target | None:
        return next((t for t in self.targets if not t.withdrawn and t.key == deadline_key), None)

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
        found = {t.item_key: t.as_item() for t in self.targets}
        found.update(self.audit)
        return found

    def touched(self) -> dict[str, dict]:
        """The items changed since the last call: targets whose item was reset, and new audit rows."""
        found = {t.item_key: t.as_item() for t in self.targets if t.item is None}
        found.update((key, self.audit[key]) for key in self.new_audit)
        self.new_audit = []
        return found

    def retracted_items(self, entries: list[Entry]) -> dict[str, dict]:
        """Audit rows of the retracted statements among `entries` (in fold order)."""
        return retracted_items(entries)

    @singledispatchmethod
    def _apply(self, statement: Any, entry: Entry) -> Target | None:
        raise NoFoldStep(f"no fold step is registered for {type(statement).__name__}")

    @_apply.register
    def _(self, statement: TargetSet, entry: Entry) -> Target:
        existing = self.live(deadline_text(statement.deadline))
        if existing is None:
            target = Target(f"{statement.kpi}|{statement.scope or ''}|{statement.deadline or OPEN}|"
                            f"{entry.statement_id}", statement, statement.deadline, statement.terms(),
                            seq=len(self.targets), last=entry, keyed_by=entry,
                            deadlines=[deadline_text(statement.deadline)])
            self.targets.append(target)
            self._record(target, entry, "set", None, None)
            return target
        before = existing.terms
        existing.setting, existing.terms = statement, statement.terms()
        existing.last, existing.item = entry, None
        self._record(existing, entry, change_label(before, existing.terms), before, existing.deadline)
        return existing

    @_apply.register
    def _(self, statement: GuidanceWithdrawn, entry: Entry) -> None:
        """Withdraw every live target of this group that the guidance withdrawal matches."""
        for target in [t for t in self.targets if not t.withdrawn and statement.matches(t.setting.kpi,
                                                                                        t.setting.scope, t.deadline)]:
            old_terms = target.terms
            target.withdrawn, target.last, target.item = True, entry, None
            self._record(target, entry, "withdrawn", old_terms, target.deadline, f":{target.identity}")
        return None

    @_apply.register
    def _(self, statement: TargetStatement, entry: Entry) -> Target | None:
        """A revision, reaffirmation or withdrawal of the live target holding the deadline it names."""
        target = self.live(deadline_text(statement.deadline))
        if target is None:
            self.waiting.setdefault(deadline_text(statement.deadline), []).append(entry)
            return None
        if self.strict and entry.end < target.keyed_by.start:
            raise DependencyAnnouncedLater(
                f"{entry.describe()} depends on {target.keyed_by.describe()}, which was announced after it",
                statement_ids=(entry.statement_id, target.keyed_by.statement_id))
        old_terms, old_deadline = target.terms, target.deadline
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
        before = target.terms
        target.terms = statement.revise(before)
        change = change_label(before, target.terms)
        if change == "reaffirmed":  # a reason alone: the wording changed, not the terms
            change = "revised"
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
        return statement_class in (TargetSet, GuidanceWithdrawn) or \
            change.dispatch(statement_class) is not change.dispatch(object)

    def _record(self, target: Target, entry: Entry, change: str, old_terms: Terms | None, old_deadline,
                suffix: str = "") -> None:
        if not self.keeps_audit:
            return
        rows = audit_rows(target, entry, change, old_terms, old_deadline, self.audit_before + len(self.audit), suffix)
        self.audit.update(rows)
        self.new_audit += rows


def _label(statement: Any) -> str:
    scope = f" {statement.scope}" if statement.scope else ""
    return f"{statement.kpi}{scope} {deadline_text(statement.deadline)}"

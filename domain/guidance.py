"""A brand's guidance withdrawn as a whole or in part: the statement and which targets it matches."""

from typing import Literal

from pydantic import Field

from stratlog.domain.dates import PartialDate
from stratlog.domain.statement import Statement
from stratlog.domain.values import Name, RegionCode, Slug, Text

BRAND_TARGETS = "targets:*"
"""The group of a statement about every target of its brand: every targets group of the brand folds it."""


class GuidanceWithdrawn(Statement):
    """The brand withdrew its guidance: every live target of the KPIs, scope and deadlines it names.

    Example: guidance-withdrawn alpine --kpis annual-sales --kpis revenue --deadline 2030 --reason 'market turmoil'
        --announced-on 2025-04 --source-title 'Quarterly results'
    """

    kind: Literal["guidance-withdrawn"]
    kpis: list[Slug] | None = Field(None, description="KPI slugs, repeated or comma-separated (none: every KPI).")
    scope: RegionCode | Name | None = Field(None, description="Only the targets of this scope (none: every scope).")
    deadline: PartialDate | None = Field(None, description="Withdraw the targets whose deadline lies within this "
                                                           "date or span (2025, 2025..2026; none: every deadline).")
    reason: Text | None = None

    @property
    def group(self) -> str:
        return BRAND_TARGETS

    def matches(self, kpi: str, scope: str | None, deadline: PartialDate | None) -> bool:
        """Whether a target of `kpi`, `scope` and `deadline` is one this withdrawal names: no kpis means
        every KPI, no scope every scope, and a deadline withdraws the targets whose deadline lies within it."""
        if self.kpis and kpi.casefold() not in {k.casefold() for k in self.kpis}:
            return False
        if self.scope is not None and (scope or "").casefold() != self.scope.casefold():
            return False
        if self.deadline is None:
            return True
        return deadline is not None and self.deadline.start <= deadline.start and deadline.end <= self.deadline.end

    def describe_match(self) -> str:
        """What it names, in words: "annual-sales, revenue 2025"."""
        kpis = ", ".join(self.kpis) if self.kpis else "every KPI"
        scope = f" {self.scope}" if self.scope else ""
        deadline = f" {self.deadline}" if self.deadline else ""
        return f"{kpis}{scope}{deadline}"

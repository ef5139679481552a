"""Statement kinds about a brand itself: registration, valuations, IPO talk, targets and actuals."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import model_validator

from stratlog.domain.dates import PartialDate
from stratlog.domain.statement import Statement
from stratlog.domain.values import KpiValue, Money, Name, RegionCode, Slug, Text, kpi_number, kpi_unit

Comparator = Literal["at-least", "at-most", "about", "exactly"]
Stance = Literal["considered", "potential", "planned", "filed", "listed", "abandoned"]


class BrandRegistered(Statement):
    KIND: ClassVar[str] = "brand-registered"
    NEEDS_ANNOUNCEMENT: ClassVar[bool] = False
    kind: Literal["brand-registered"] = "brand-registered"
    name: Name
    parent: Name | None = None
    country: RegionCode | None = None


class ValuationUpdated(Statement):
    KIND: ClassVar[str] = "valuation-updated"
    kind: Literal["valuation-updated"] = "valuation-updated"
    value: Money
    valued_on: PartialDate | None = None
    basis: Text | None = None

    @property
    def effective_valued_on(self) -> PartialDate:
        return self.valued_on or self.announced_on


class IPOConsidered(Statement):
    KIND: ClassVar[str] = "ipo-considered"
    kind: Literal["ipo-considered"] = "ipo-considered"
    stance: Stance
    venue: Text | None = None
    by: Name | None = None


class TargetStatement(Statement):
    """Base of the statements about one target, addressed by KPI, scope and current deadline."""

    kpi: Slug
    deadline: PartialDate
    scope: RegionCode | Name | None = None

    @property
    def target_key(self) -> tuple[str, str, str]:
        return (self.kpi, (self.scope or "").casefold(), self.deadline.text)


class TargetSet(TargetStatement):
    KIND: ClassVar[str] = "target-set"
    kind: Literal["target-set"] = "target-set"
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
    KIND: ClassVar[str] = "target-revised"
    kind: Literal["target-revised"] = "target-revised"
    value: KpiValue | None = None
    new_deadline: PartialDate | None = None
    reason: Text | None = None

    @model_validator(mode="after")
    def _changes_something(self) -> TargetRevised:
        if self.value is None and self.new_deadline is None:
            raise ValueError("a revision needs a new value or a new_deadline")
        return self


class TargetReaffirmed(TargetStatement):
    KIND: ClassVar[str] = "target-reaffirmed"
    kind: Literal["target-reaffirmed"] = "target-reaffirmed"


class TargetWithdrawn(TargetStatement):
    KIND: ClassVar[str] = "target-withdrawn"
    kind: Literal["target-withdrawn"] = "target-withdrawn"
    reason: Text | None = None


class ActualReported(Statement):
    KIND: ClassVar[str] = "actual-reported"
    kind: Literal["actual-reported"] = "actual-reported"
    kpi: Slug
    period: PartialDate
    value: KpiValue
    unit: Name | None = None
    scope: RegionCode | Name | None = None

    @model_validator(mode="after")
    def _has_unit(self) -> ActualReported:
        if kpi_unit(self.value, self.unit) is None:
            raise ValueError("unit is required for a number (e.g. vehicles, percent)")
        return self

    @property
    def effective_unit(self) -> str:
        return kpi_unit(self.value, self.unit)

"""The brand subject: registration, valuations, IPO stance, targets and actuals — statements, folds, aggregate.

The statements about targets and their fold live in domain/targets.py; the Brand aggregate records them.
"""

from functools import partial
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from stratlog.domain.aggregate import CorrectionRecorded, RetractionRecorded, StatementRecorded, Subject
from stratlog.domain.dates import PartialDate
from stratlog.domain.folders import LatestFolder, latest_item, latest_key, stated
from stratlog.domain.guidance import GuidanceWithdrawn
from stratlog.domain.history import Entry
from stratlog.domain.statement import Statement
from stratlog.domain.subject_type import SubjectType
from stratlog.domain.target_terms import Comparator, check_terms
from stratlog.domain.targets import TargetReaffirmed, TargetRevised, TargetSet, TargetsFolder, TargetStatus, \
    TargetWithdrawn
from stratlog.domain.values import KpiValue, Money, Name, RegionCode, Slug, Text, json_value, kpi_number, kpi_unit, \
    whole_number

Stance = Literal["considered", "potential", "planned", "filed", "listed", "abandoned"]
Month = whole_number(1, 12)
BrandStatus = Literal["reported", Stance, TargetStatus]  # a valuation is reported; the IPO row shows the stance


class BrandRegistered(Statement):
    """Register a brand (its name, parent group, country, fiscal year); with an announced_on, restate them from then.

    Example: brand-registered alpine --name Alpine --parent 'Renault Group' --country FR --fiscal-year-end 12
    """

    NEEDS_ANNOUNCEMENT: ClassVar[bool] = False
    kind: Literal["brand-registered"]
    name: Name
    parent: Name | None = None
    country: RegionCode | None = None
    fiscal_year_end: Month | None = Field(
        None, description="Last month of its fiscal year (1–12).")


class ValuationUpdated(Statement):
    """A valuation of the brand (an amount, the date it refers to).

    Example: valuation-updated alpine --value '500000000 EUR' --valued-on 2023 --announced-on 2023-06
        --source-title 'ANE congress'
    """

    kind: Literal["valuation-updated"]
    value: Money
    valued_on: PartialDate | None = None
    basis: Text | None = None

    @property
    def effective_valued_on(self) -> PartialDate:
        return self.valued_on or self.announced_on

    @property
    def group(self) -> str:
        return "valuations"


class IPOConsidered(Statement):
    """The brand's stance on a stock-market listing.

    Example: ipo-considered alpine --stance potential --by 'Luca de Meo' --announced-on 2023-04
        --source-title 'Renault Group results'
    """

    kind: Literal["ipo-considered"]
    stance: Stance
    venue: Text | None = None
    by: Name | None = None

    @property
    def group(self) -> str:
        return "ipo"


class ActualReported(Statement):
    """A reported figure for a KPI and a period: a value or a range, exact or approximate ("over 37,000").

    Example: actual-reported alpine --kpi annual-sales --period 2024 --value 4585 --unit vehicles
        --announced-on 2025-01 --source-title 'Annual sales release'
    """

    kind: Literal["actual-reported"]
    kpi: Slug
    period: PartialDate
    value: KpiValue | None = None
    low: KpiValue | None = None
    high: KpiValue | None = None
    unit: Name | None = None
    scope: RegionCode | Name | None = None
    comparator: Comparator | None = None

    @model_validator(mode="after")
    def _has_unit(self) -> "ActualReported":
        check_terms(self.value, self.low, self.high, self.unit, needed=True)
        return self

    @property
    def effective_unit(self) -> str:
        return kpi_unit(self.value if self.value is not None else self.low, self.unit)

    @property
    def judged_value(self) -> object:
        """The number the actual is judged by: its value, or a range's midpoint (in its currency for money)."""
        if self.value is not None:
            return self.value
        if isinstance(self.low, Money):
            return Money(amount=(self.low.amount + self.high.amount) / 2, currency=self.low.currency)
        return (kpi_number(self.low) + kpi_number(self.high)) / 2

    @property
    def group(self) -> str:
        return f"actuals:{self.kpi}:{(self.scope or '').casefold()}"


class RegistrationFolder:
    """A brand's registration as of a date: each restatement (in fold order) states its name and parent
    anew; its country and fiscal year carry over unless restated."""

    CARRIED = ("country", "fiscal_year_end")

    def __init__(self, strict: bool = False):
        self.item: dict | None = None

    def apply(self, entry: Entry) -> None:
        st = entry.statement
        carried = {k: (self.item or {}).get(k) for k in self.CARRIED}
        self.item = {"type": "brand", "brand": st.brand, "name": st.name, "parent": st.parent,
                     **{k: getattr(st, k) if getattr(st, k) is not None else carried[k] for k in self.CARRIED}}

    def finish(self) -> None:
        """Nothing waits in a registration's fold."""

    def retracted_items(self, entries: list[Entry]) -> dict[str, dict]:
        """A retracted registration is simply no longer said."""
        return {}

    def folds(self, statement_class: type) -> bool:
        """It folds registrations only."""
        return issubclass(statement_class, BrandRegistered)

    def items(self) -> dict[str, dict]:
        return {"s": self.item} if self.item is not None else {}


@latest_key.register
def _valuation_key(st: ValuationUpdated) -> str:
    return st.effective_valued_on.text


@latest_item.register
def _valuation_item(st: ValuationUpdated, entry: Entry, header: dict | None) -> tuple[str, dict]:
    on = st.effective_valued_on
    return f"v:{on.text}", {"_group": {"type": "valuations"}, "_list": "valuations", "_seq": f"{on.start}|{on.end}",
                            "valued_on": str(on), "value": json_value(st.value), "basis": st.basis, **stated(entry)}


@latest_key.register
def _ipo_key(st: IPOConsidered) -> str:
    return "s"


@latest_item.register
def _ipo_item(st: IPOConsidered, entry: Entry, header: dict | None) -> tuple[str, dict]:
    return "s", {"type": "ipo", "stance": st.stance, "venue": st.venue, "by": st.by, **stated(entry)}


@latest_key.register
def _actual_key(st: ActualReported) -> str:
    return st.period.text


@latest_item.register
def _actual_item(st: ActualReported, entry: Entry, header: dict | None) -> tuple[str, dict]:
    return f"p:{st.period.text}", {
        "_group": header, "_list": "actuals", "_seq": f"{st.period.start}|{st.period.end}", "period": str(st.period),
        "value": json_value(st.judged_value), "unit": st.effective_unit, "annual": st.period.is_annual,
        "reported": _reported(st), **stated(entry)}


def _reported(st: ActualReported) -> dict:
    """What was reported: the value or low/high, and the comparator (exactly when none was given)."""
    return {"value": json_value(st.value), "low": json_value(st.low), "high": json_value(st.high),
            "comparator": st.comparator or "exactly"}


def _actuals_header(st: ActualReported) -> dict:
    return {"type": "actuals", "kpi": st.kpi, "scope": st.scope}


class Brand(Subject):
    """A car brand: registration, valuations, IPO stance, targets and actuals."""

    class BrandRegistered(StatementRecorded):
        """A brand-registered statement, recorded."""

        statement: BrandRegistered

    class ValuationUpdated(StatementRecorded):
        """A valuation-updated statement, recorded."""

        statement: ValuationUpdated

    class IPOConsidered(StatementRecorded):
        """An ipo-considered statement, recorded."""

        statement: IPOConsidered

    class TargetSet(StatementRecorded):
        """A target-set statement, recorded."""

        statement: TargetSet

    class TargetRevised(StatementRecorded):
        """A target-revised statement, recorded."""

        statement: TargetRevised

    class TargetReaffirmed(StatementRecorded):
        """A target-reaffirmed statement, recorded."""

        statement: TargetReaffirmed

    class TargetWithdrawn(StatementRecorded):
        """A target-withdrawn statement, recorded."""

        statement: TargetWithdrawn

    class GuidanceWithdrawn(StatementRecorded):
        """A guidance-withdrawn statement, recorded."""

        statement: GuidanceWithdrawn

    class ActualReported(StatementRecorded):
        """An actual-reported statement, recorded."""

        statement: ActualReported

    class StatementCorrected(CorrectionRecorded):
        """Our correction of a brand statement, recorded."""

    class StatementRetracted(RetractionRecorded):
        """Our retraction of a brand statement, recorded."""


SUBJECT = SubjectType(
    aggregate=Brand, statuses=BrandStatus,
    tones={"on-track": "done", "achieved": "done", "at-risk": "late", "overdue": "late", "off-track": "ended",
           "missed": "ended", "withdrawn": "ended"},
    groups={"brand": RegistrationFolder, "valuations": partial(LatestFolder, "valuations"),
            "ipo": partial(LatestFolder, "ipo"), "actuals": partial(LatestFolder, "actuals", header=_actuals_header),
            "targets": TargetsFolder},
)

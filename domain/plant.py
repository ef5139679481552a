"""The plant subject: a brand's production site, from plan to closure — statements, fold, status, aggregate."""

from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal, NotRequired, TypedDict

from pydantic import Field, model_validator

from stratlog.domain.aggregate import CorrectionRecorded, RetractionRecorded, StatementRecorded, Subject
from stratlog.domain.dates import PartialDate
from stratlog.domain.folders import SubjectState, advance
from stratlog.domain.history import Entry
from stratlog.domain.statement import Statement
from stratlog.domain.subject_type import StateList, SubjectType
from stratlog.domain.values import Name, Number, RegionCode, Text

PlantStatus = Literal["planned", "postponed", "opened", "cancelled", "closed"]
DEFAULT_CAPACITY_UNIT = "vehicles/year"
Capacity = Annotated[Number, Field(ge=0, description="Yearly output, a number (150000).")]
CapacityUnit = Annotated[Name, Field(description=f"Unit of the capacity (default {DEFAULT_CAPACITY_UNIT}).")]
Reason = Annotated[Text, Field(description="Why, in the source's words.")]


class PlantStatement(Statement):
    """Base of the statements about one production site of a brand, keyed by brand and name."""

    SUBJECT: ClassVar[str] = "plant"
    KEY_FIELDS: ClassVar[tuple[str, ...]] = ("brand", "plant")
    plant: Name

    @model_validator(mode="after")
    def _unit_of_a_capacity(self) -> "PlantStatement":
        if getattr(self, "capacity_unit", None) is not None and getattr(self, "capacity", None) is None:
            raise ValueError("capacity_unit needs a capacity")
        return self


class PlantPlanned(PlantStatement):
    """A production site announced: where, for when, how large, for which models.

    Example: plant-planned polestar Chengdu --planned-for 2026 --location 'Chengdu, Sichuan' --country CN
        --capacity 150000 --products 'Polestar 4,Polestar 7' --announced-on 2024-03 --source-title 'Press release'
    """

    kind: Literal["plant-planned"]
    planned_for: PartialDate | None = Field(None, description="When production is to start (none: no date given).")
    location: Text | None = Field(None, description="Where the plant is (a city, a region).")
    country: RegionCode | None = Field(None, description="Country of the plant (ISO code).")
    capacity: Capacity | None = None
    capacity_unit: CapacityUnit | None = None
    products: list[Name] | None = Field(None, description="Models built there, comma-separated.")


class PlantOpened(PlantStatement):
    """A plant started production.

    Example: plant-opened polestar Chengdu --opened-on 2025-09 --capacity 120000 --announced-on 2025-09
        --source-title 'Press release'
    """

    EFFECTIVE: ClassVar[tuple[str, str]] = ("opened_on", "opening")
    IMPLIES: ClassVar[str] = "planned"
    kind: Literal["plant-opened"]
    opened_on: PartialDate = Field(description="When production started.")
    capacity: Capacity | None = None
    capacity_unit: CapacityUnit | None = None


class PlantCapacityChanged(PlantStatement):
    """A plant's capacity changed.

    Example: plant-capacity-changed polestar Chengdu --capacity 180000 --effective-on 2026-02
        --announced-on 2026-02 --source-title 'Earnings call'
    """

    EFFECTIVE: ClassVar[tuple[str, str]] = ("effective_on", "capacity-change")
    IMPLIES: ClassVar[str] = "opened"
    kind: Literal["plant-capacity-changed"]
    capacity: Capacity
    capacity_unit: CapacityUnit | None = None
    effective_on: PartialDate | None = Field(None, description="When the new capacity applies.")


class PlantPostponed(PlantStatement):
    """A plant's start delayed (to a new date, or to none).

    Example: plant-postponed polestar Chengdu --planned-for 2027 --reason 'slower demand'
        --announced-on 2025-02 --source-title 'Earnings call'
    """

    kind: Literal["plant-postponed"]
    planned_for: PartialDate | None = Field(None, description="The new date (none: no date any more).")
    reason: Reason | None = None


class PlantCancelled(PlantStatement):
    """A planned plant dropped.

    Example: plant-cancelled polestar Chengdu --cancelled-on 2025-06 --reason tariffs --announced-on 2025-06
        --source-title 'Press release'
    """

    EFFECTIVE: ClassVar[tuple[str, str]] = ("cancelled_on", "cancellation")
    IMPLIES: ClassVar[str] = "planned"
    kind: Literal["plant-cancelled"]
    cancelled_on: PartialDate | None = Field(None, description="When it was cancelled.")
    reason: Reason | None = None


class PlantClosed(PlantStatement):
    """A plant stopped production for good.

    Example: plant-closed polestar Chengdu --closed-on 2026-06 --reason consolidation --announced-on 2026-05
        --source-title 'Press release'
    """

    EFFECTIVE: ClassVar[tuple[str, str]] = ("closed_on", "closure")
    IMPLIES: ClassVar[str] = "opened"
    kind: Literal["plant-closed"]
    closed_on: PartialDate | None = Field(None, description="When production ended.")
    reason: Reason | None = None


@dataclass
class PlantState(SubjectState):
    """A plant as the fold leaves it: its dates, and its capacity, location and products in its details."""

    @property
    def date(self) -> Any:
        """The end date once cancelled or closed (when given), the opening date once opened, else the plan's."""
        ended = self.dates.get(f"{self.status}_on") if self.status in ("cancelled", "closed") else None
        opened = self.dates.get("opened_on") if self.status in ("opened", "closed") else None
        return ended or opened or self.dates.get("planned_for")

    def capacity(self, capacity: Any, unit: str | None) -> None:
        """A capacity stated (none: nothing said of it)."""
        if capacity is not None:
            self.details.update(capacity=capacity, capacity_unit=unit or DEFAULT_CAPACITY_UNIT)


@advance.register
def _planned(st: PlantPlanned, state: PlantState, entry: Entry) -> None:
    """A plan restates the plant; without a date it keeps the date already planned."""
    if st.planned_for is not None or "planned_for" not in state.dates:
        state.plan(entry, st.planned_for)
    state.details.update(st.model_dump(include={"location", "country", "products"}, exclude_none=True))
    state.capacity(st.capacity, st.capacity_unit)
    state.status = "opened" if state.status == "opened" else "planned"


@advance.register
def _opened(st: PlantOpened, state: PlantState, entry: Entry) -> None:
    state.dates["opened_on"] = st.opened_on
    state.capacity(st.capacity, st.capacity_unit)
    state.status = "opened"


@advance.register
def _capacity_changed(st: PlantCapacityChanged, state: PlantState, entry: Entry) -> None:
    """A new capacity; a plant first heard of through it is producing (opened, no date)."""
    state.capacity(st.capacity, st.capacity_unit)
    state.status = state.status or "opened"


@advance.register
def _postponed(st: PlantPostponed, state: PlantState, entry: Entry) -> None:
    state.plan(entry, st.planned_for)
    state.status = "postponed"


@advance.register
def _cancelled(st: PlantCancelled, state: PlantState, entry: Entry) -> None:
    state.dates["cancelled_on"] = st.cancelled_on
    state.status = "cancelled"


@advance.register
def _closed(st: PlantClosed, state: PlantState, entry: Entry) -> None:
    state.dates["closed_on"] = st.closed_on
    state.status = "closed"


class Plant(Subject):
    """A production site of a brand, keyed by brand and name (`polestar/Chengdu`)."""

    class PlantPlanned(StatementRecorded):
        """A plant-planned statement, recorded."""

        statement: PlantPlanned

    class PlantOpened(StatementRecorded):
        """A plant-opened statement, recorded."""

        statement: PlantOpened

    class PlantCapacityChanged(StatementRecorded):
        """A plant-capacity-changed statement, recorded."""

        statement: PlantCapacityChanged

    class PlantPostponed(StatementRecorded):
        """A plant-postponed statement, recorded."""

        statement: PlantPostponed

    class PlantCancelled(StatementRecorded):
        """A plant-cancelled statement, recorded."""

        statement: PlantCancelled

    class PlantClosed(StatementRecorded):
        """A plant-closed statement, recorded."""

        statement: PlantClosed

    class StatementCorrected(CorrectionRecorded):
        """Our correction of a plant statement, recorded."""

    class StatementRetracted(RetractionRecorded):
        """Our retraction of a plant statement, recorded."""


class PlantRow(TypedDict):
    """A plant in `state`: its status, dates, capacity, place and products (None when not stated)."""

    plant: str
    status: PlantStatus
    planned_for: str | None
    opened_on: str | None
    cancelled_on: NotRequired[str]
    closed_on: NotRequired[str]
    scheduled: NotRequired[dict]
    capacity: int | float | None
    capacity_unit: str | None
    location: str | None
    country: str | None
    products: list[str] | None


SUBJECT = SubjectType(
    aggregate=Plant, statuses=PlantStatus, fold_state=PlantState,
    tones={"opened": "done", "postponed": "late", "cancelled": "ended", "closed": "ended"},
    state=StateList("plants", PlantRow, ("plant", "status", "planned_for", "opened_on", "capacity", "capacity_unit",
                                         "location")),
    milestones={"opened_on": "square"},
)

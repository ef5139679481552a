"""The model subject: a vehicle model of a brand, from plan to launch — statements, fold, status, aggregate."""

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, NotRequired, TypedDict

from stratlog.domain.aggregate import (CorrectionRecorded, RetractionRecorded, StatementRecorded, Subject,
                                       end_date_upcast, timestamp_stored_once)
from stratlog.domain.dates import PartialDate
from stratlog.domain.errors import ModelLaunchedTwice
from stratlog.domain.folders import SubjectState, advance
from stratlog.domain.history import Entry
from stratlog.domain.statement import Statement
from stratlog.domain.subject_type import StateList, SubjectType
from stratlog.domain.values import Name, RegionCode, Text

ModelStatus = Literal["planned", "rescheduled", "revealed", "launched", "cancelled", "discontinued"]
PROGRESSED = ("revealed", "launched")  # a plan stated later does not undo these


class ModelStatement(Statement):
    """Base of the statements about one model of a brand, keyed by brand and name."""

    SUBJECT: ClassVar[str] = "model"
    KEY_FIELDS: ClassVar[tuple[str, ...]] = ("brand", "model")
    model: Name


class ModelPlanned(ModelStatement):
    """A model announced for a date.

    Example: model-planned alpine A390 --planned-for 2025 --segment 'GT crossover'
        --announced-on 2023-06 --source-title 'Automotive News Europe congress'
    """

    kind: Literal["model-planned"]
    planned_for: PartialDate | None = None
    segment: Text | None = None
    body: Text | None = None
    powertrain: Text | None = None
    markets: list[RegionCode] | None = None


class ModelRevealed(ModelStatement):
    """A model shown to the public.

    Example: model-revealed alpine A290 --revealed-on 2024-06-13 --announced-on 2024-06-13
        --source-title 'Press release'
    """

    EFFECTIVE: ClassVar[tuple[str, str]] = ("revealed_on", "reveal")
    IMPLIES: ClassVar[str] = "planned"
    kind: Literal["model-revealed"]
    revealed_on: PartialDate


class ModelLaunched(ModelStatement):
    """A model on sale (in some markets, or overall).

    Example: model-launched alpine A290 --launched-on 2024-06 --announced-on 2024-06
        --source-title 'Press release'
    """

    EFFECTIVE: ClassVar[tuple[str, str]] = ("launched_on", "launch")
    IMPLIES: ClassVar[str] = "planned"
    kind: Literal["model-launched"]
    launched_on: PartialDate | None = None
    markets: list[RegionCode] | None = None


class ModelRescheduled(ModelStatement):
    """A model's planned date moved.

    Example: model-rescheduled alpine A390 --planned-for 2026 --reason 'battery supply'
        --announced-on 2024-09 --source-title 'Earnings call'
    """

    kind: Literal["model-rescheduled"]
    planned_for: PartialDate | None = None
    reason: Text | None = None


class ModelRenamed(ModelStatement):
    """A model given a new name (the old one stays an alias).

    Example: model-renamed alpine A390 --new-name 'A390 GT' --announced-on 2024-10 --source-title 'Press release'
    """

    IMPLIES: ClassVar[str] = "planned"  # a model first heard of through its new name is one the brand plans

    kind: Literal["model-renamed"]
    new_name: Name


class ModelCancelled(ModelStatement):
    """A planned model dropped.

    Example: model-cancelled alpine A390 --reason 'market conditions' --cancelled-on 2025-01 --announced-on 2025-01
        --source-title 'Strategy update'
    """

    EFFECTIVE: ClassVar[tuple[str, str]] = ("cancelled_on", "cancellation")
    IMPLIES: ClassVar[str] = "planned"
    OLD_ON: ClassVar[bool] = True
    kind: Literal["model-cancelled"]
    reason: Text | None = None
    cancelled_on: PartialDate | None = None


class ModelDiscontinued(ModelStatement):
    """A model taken off sale.

    Example: model-discontinued alpine A290 --discontinued-on 2026-06 --announced-on 2025-11 --source-title 'Press release'
    """

    EFFECTIVE: ClassVar[tuple[str, str]] = ("discontinued_on", "discontinuation")
    IMPLIES: ClassVar[str] = "launched"
    OLD_ON: ClassVar[bool] = True
    kind: Literal["model-discontinued"]
    reason: Text | None = None
    discontinued_on: PartialDate | None = None


@dataclass
class ModelState(SubjectState):
    """A model as the fold leaves it; `launches` holds the statement that launched it in each market."""

    launches: dict[str | None, Entry] = field(default_factory=dict)

    @property
    def date(self) -> Any:
        """The end date once cancelled or discontinued (when given), the launch date once launched (the
        earliest dated one), the reveal date once revealed, else the planned date."""
        ended = self.dates.get(f"{self.status}_on") if self.status in ("cancelled", "discontinued") else None
        launched = self.dates.get("launched_on") if self.launches else None
        if ended or self.status in ("launched", "discontinued"):
            return ended or launched
        return self.dates.get("revealed_on") if self.status == "revealed" else self.dates.get("planned_for")


@advance.register
def _planned(st: ModelPlanned, state: ModelState, entry: Entry) -> None:
    """A plan with the date already known (or with none) restates it; with another date it reschedules.

    Once launched, the launch markets stand: a later plan's markets do not replace them."""
    same = st.planned_for is None or state.dates.get("planned_for") in (None, st.planned_for)
    status = ("planned" if state.status in (None, "planned") else state.status) if same else "rescheduled"
    fields = {"segment", "body", "powertrain"} | (set() if state.launches else {"markets"})
    state.details.update(st.model_dump(include=fields, exclude_none=True))
    if st.planned_for is not None or "planned_for" not in state.dates:
        state.plan(entry, st.planned_for)
    state.status = state.status if state.status in PROGRESSED else status


@advance.register
def _rescheduled(st: ModelRescheduled, state: ModelState, entry: Entry) -> None:
    state.plan(entry, st.planned_for)
    state.status = state.status if state.status in PROGRESSED else "rescheduled"


@advance.register
def _revealed(st: ModelRevealed, state: ModelState, entry: Entry) -> None:
    state.dates["revealed_on"] = st.revealed_on
    state.status = "launched" if state.status == "launched" else "revealed"


@advance.register
def _launched(st: ModelLaunched, state: ModelState, entry: Entry) -> None:
    """A launch in more markets keeps the earliest dated launch as the model's launch date."""
    check_launch(state.launches, entry, state.strict)
    dated = [e.statement.launched_on for e in state.launches.values() if e.statement.launched_on is not None]
    state.dates["launched_on"] = min(dated, key=lambda d: (d.start, d.end)) if dated else None
    state.dates.setdefault("on_sale_by", st.announced_on)
    state.details["launches"] = [{"market": market, "launched_on": e.statement.launched_on}
                                 for market, e in state.launches.items()]
    state.status = "discontinued" if state.status == "discontinued" else "launched"


@advance.register
def _renamed(st: ModelRenamed, state: ModelState, entry: Entry) -> None:
    state.aliases.append(state.name)
    state.name = st.new_name


@advance.register
def _cancelled(st: ModelCancelled, state: ModelState, entry: Entry) -> None:
    state.dates["cancelled_on"] = st.cancelled_on
    state.status = "cancelled"


@advance.register
def _discontinued(st: ModelDiscontinued, state: ModelState, entry: Entry) -> None:
    state.dates["discontinued_on"] = st.discontinued_on
    state.status = "discontinued"


def check_launch(launches: dict, entry: Entry, strict: bool) -> None:
    """A model is launched at most once per market (once overall when no market is named)."""
    for market in entry.statement.markets or [None]:
        earlier = launches.get(market)
        if earlier is not None and strict:
            where = f"in {market}" if market else "overall"
            raise ModelLaunchedTwice(f"{entry.statement.model} is launched {where} by both {earlier.describe()} "
                                     f"and {entry.describe()}",
                                     statement_ids=(entry.statement_id, earlier.statement_id))
        launches[market] = entry


class Model(Subject):
    """A vehicle model of a brand, from plan to launch (renames keep its identity)."""

    class ModelPlanned(StatementRecorded):
        """A model-planned statement, recorded."""

        statement: ModelPlanned

    class ModelRevealed(StatementRecorded):
        """A model-revealed statement, recorded."""

        statement: ModelRevealed

    class ModelLaunched(StatementRecorded):
        """A model-launched statement, recorded."""

        statement: ModelLaunched

    class ModelRescheduled(StatementRecorded):
        """A model-rescheduled statement, recorded."""

        statement: ModelRescheduled

    class ModelRenamed(StatementRecorded):
        """A model-renamed statement, recorded."""

        statement: ModelRenamed

    class ModelCancelled(StatementRecorded):
        """A model-cancelled statement, recorded."""

        class_version = 4
        upcast_v2_v3 = end_date_upcast("cancelled_on")
        upcast_v3_v4 = staticmethod(timestamp_stored_once)
        statement: ModelCancelled

    class ModelDiscontinued(StatementRecorded):
        """A model-discontinued statement, recorded."""

        class_version = 4
        upcast_v2_v3 = end_date_upcast("discontinued_on")
        upcast_v3_v4 = staticmethod(timestamp_stored_once)
        statement: ModelDiscontinued

    class StatementCorrected(CorrectionRecorded):
        """Our correction of a model statement, recorded."""

    class StatementRetracted(RetractionRecorded):
        """Our retraction of a model statement, recorded."""


class ModelRow(TypedDict):
    """A model in `state`: its status and dates, its former names and what was said of it."""

    model: str
    status: ModelStatus
    planned_for: str | None
    revealed_on: str | None
    launched_on: str | None
    launches: NotRequired[list[dict]]
    cancelled_on: NotRequired[str]
    discontinued_on: NotRequired[str]
    scheduled: NotRequired[dict]
    aliases: NotRequired[list[str]]
    segment: NotRequired[str]
    body: NotRequired[str]
    powertrain: NotRequired[str]
    markets: NotRequired[list[str]]


SUBJECT = SubjectType(
    aggregate=Model, statuses=ModelStatus, fold_state=ModelState,
    tones={"launched": "done", "rescheduled": "late", "cancelled": "ended", "discontinued": "ended"},
    state=StateList("models", ModelRow, ("model", "status", "planned_for", "revealed_on", "launched_on", "segment")),
    milestones={"revealed_on": "diamond", "launched_on": "square"},
)

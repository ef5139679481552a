"""The market subject: a brand's presence in a country or region — statements, fold, status, aggregate."""

from dataclasses import dataclass
from typing import Any, ClassVar, Literal, NotRequired, TypedDict

from stratlog.domain.aggregate import (CorrectionRecorded, RetractionRecorded, StatementRecorded, Subject,
                                       end_date_upcast, timestamp_stored_once)
from stratlog.domain.dates import PartialDate
from stratlog.domain.folders import SubjectState, advance
from stratlog.domain.history import Entry
from stratlog.domain.statement import Statement
from stratlog.domain.subject_type import StateList, SubjectType
from stratlog.domain.values import RegionCode, Text

MarketStatus = Literal["planned", "postponed", "entered", "cancelled", "exited"]


class MarketStatement(Statement):
    """Base of the statements about a brand's presence in one market, keyed by brand and code."""

    SUBJECT: ClassVar[str] = "market"
    KEY_FIELDS: ClassVar[tuple[str, ...]] = ("brand", "market")
    market: RegionCode


class MarketEntryPlanned(MarketStatement):
    """A planned entry into a country or region.

    Example: market-entry-planned alpine US --planned-for 2027 --rationale 'the largest sports-car market'
        --announced-on 2023-06 --source-title 'Automotive News Europe congress'
    """

    kind: Literal["market-entry-planned"]
    planned_for: PartialDate | None = None
    rationale: Text | None = None


class MarketEntered(MarketStatement):
    """The brand now sells in a market.

    Example: market-entered alpine US --entered-on 2026-03 --announced-on 2026-03 --source-title 'Press release'
    """

    EFFECTIVE: ClassVar[tuple[str, str]] = ("entered_on", "entry")
    IMPLIES: ClassVar[str] = "planned"
    kind: Literal["market-entered"]
    entered_on: PartialDate


class MarketEntryPostponed(MarketStatement):
    """A market entry delayed (to a new date, or to none).

    Example: market-entry-postponed alpine US --planned-for 2028 --reason tariffs --announced-on 2025-04
        --source-title 'Earnings call'
    """

    kind: Literal["market-entry-postponed"]
    planned_for: PartialDate | None = None
    reason: Text | None = None


class MarketEntryCancelled(MarketStatement):
    """A planned market entry dropped.

    Example: market-entry-cancelled alpine US --reason tariffs --cancelled-on 2025-10 --announced-on 2025-10
        --source-title 'Strategy update'
    """

    EFFECTIVE: ClassVar[tuple[str, str]] = ("cancelled_on", "cancellation")
    IMPLIES: ClassVar[str] = "planned"
    OLD_ON: ClassVar[bool] = True
    kind: Literal["market-entry-cancelled"]
    reason: Text | None = None
    cancelled_on: PartialDate | None = None


class MarketExited(MarketStatement):
    """The brand left a market.

    Example: market-exited alpine US --exited-on 2026-09 --announced-on 2026-06 --source-title 'Press release'
    """

    EFFECTIVE: ClassVar[tuple[str, str]] = ("exited_on", "exit")
    IMPLIES: ClassVar[str] = "entered"
    OLD_ON: ClassVar[bool] = True
    kind: Literal["market-exited"]
    reason: Text | None = None
    exited_on: PartialDate | None = None


@dataclass
class MarketState(SubjectState):
    """A market as the fold leaves it."""

    @property
    def date(self) -> Any:
        """The end date once cancelled or exited (when given), the entry date once entered, else the planned date."""
        ended = self.dates.get(f"{self.status}_on") if self.status in ("cancelled", "exited") else None
        if ended or self.status in ("entered", "exited"):
            return ended or self.dates.get("entered_on")
        return self.dates.get("planned_for")


@advance.register
def _planned(st: MarketEntryPlanned, state: MarketState, entry: Entry) -> None:
    state.plan(entry, st.planned_for)
    if st.rationale:
        state.details["rationale"] = st.rationale
    state.status = "planned"


@advance.register
def _postponed(st: MarketEntryPostponed, state: MarketState, entry: Entry) -> None:
    state.plan(entry, st.planned_for)
    state.status = "postponed"


@advance.register
def _entered(st: MarketEntered, state: MarketState, entry: Entry) -> None:
    state.dates["entered_on"] = st.entered_on
    state.status = "entered"


@advance.register
def _cancelled(st: MarketEntryCancelled, state: MarketState, entry: Entry) -> None:
    state.dates["cancelled_on"] = st.cancelled_on
    state.status = "cancelled"


@advance.register
def _exited(st: MarketExited, state: MarketState, entry: Entry) -> None:
    state.dates["exited_on"] = st.exited_on
    state.status = "exited"


class Market(Subject):
    """A brand's presence in a country or region."""

    class MarketEntryPlanned(StatementRecorded):
        """A market-entry-planned statement, recorded."""

        statement: MarketEntryPlanned

    class MarketEntered(StatementRecorded):
        """A market-entered statement, recorded."""

        statement: MarketEntered

    class MarketEntryPostponed(StatementRecorded):
        """A market-entry-postponed statement, recorded."""

        statement: MarketEntryPostponed

    class MarketEntryCancelled(StatementRecorded):
        """A market-entry-cancelled statement, recorded."""

        class_version = 4
        upcast_v2_v3 = end_date_upcast("cancelled_on")
        upcast_v3_v4 = staticmethod(timestamp_stored_once)
        statement: MarketEntryCancelled

    class MarketExited(StatementRecorded):
        """A market-exited statement, recorded."""

        class_version = 4
        upcast_v2_v3 = end_date_upcast("exited_on")
        upcast_v3_v4 = staticmethod(timestamp_stored_once)
        statement: MarketExited

    class StatementCorrected(CorrectionRecorded):
        """Our correction of a market statement, recorded."""

    class StatementRetracted(RetractionRecorded):
        """Our retraction of a market statement, recorded."""


class MarketRow(TypedDict):
    """A market in `state`: its status, planned and entry dates, and why it matters."""

    market: str
    status: MarketStatus
    planned_for: str | None
    entered_on: str | None
    cancelled_on: NotRequired[str]
    exited_on: NotRequired[str]
    scheduled: NotRequired[dict]
    rationale: NotRequired[str]


SUBJECT = SubjectType(
    aggregate=Market, statuses=MarketStatus, fold_state=MarketState,
    tones={"entered": "done", "postponed": "late", "cancelled": "ended", "exited": "ended"},
    state=StateList("markets", MarketRow, ("market", "status", "planned_for", "entered_on")),
    milestones={"entered_on": "square"},
)

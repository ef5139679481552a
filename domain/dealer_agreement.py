"""The dealer-agreement subject: a brand's distribution deal with a dealer group in a market."""

from dataclasses import dataclass
from typing import Any, ClassVar, Literal, NotRequired, TypedDict

from stratlog.domain.aggregate import CorrectionRecorded, RetractionRecorded, StatementRecorded, Subject
from stratlog.domain.dates import PartialDate
from stratlog.domain.folders import SubjectState, advance
from stratlog.domain.history import Entry
from stratlog.domain.statement import Statement
from stratlog.domain.subject_type import StateList, SubjectType
from stratlog.domain.values import Name, RegionCode, Text

DealerStatus = Literal["talks", "signed", "ended", "terminated"]


class DealerStatement(Statement):
    """Base of the statements about one deal, keyed by brand, dealer group and market."""

    SUBJECT: ClassVar[str] = "dealer-agreement"
    KEY_FIELDS: ClassVar[tuple[str, ...]] = ("brand", "dealer", "market")
    dealer: Name
    market: RegionCode


class DealerTalksStarted(DealerStatement):
    """Talks with a dealer group in a market.

    Example: dealer-talks-started alpine AutoNation US --announced-on 2023-06 --source-title 'ANE congress'
    """

    kind: Literal["dealer-talks-started"]


class DealerAgreementSigned(DealerStatement):
    """A distribution deal signed.

    Example: dealer-agreement-signed alpine AutoNation US --signed-on 2024-02 --scope 'sales and service'
        --announced-on 2024-02 --source-title 'Press release'
    """

    EFFECTIVE: ClassVar[tuple[str, str]] = ("signed_on", "signing")
    IMPLIES: ClassVar[str] = "talks"
    kind: Literal["dealer-agreement-signed"]
    signed_on: PartialDate
    scope: Text | None = None


class DealerTalksEnded(DealerStatement):
    """Talks with a dealer group ended without a deal.

    Example: dealer-talks-ended alpine AutoNation US --ended-on 2024-05 --reason 'no agreement on margins'
        --announced-on 2024-05 --source-title 'Trade press'
    """

    EFFECTIVE: ClassVar[tuple[str, str]] = ("ended_on", "end")
    IMPLIES: ClassVar[str] = "talks"
    kind: Literal["dealer-talks-ended"]
    reason: Text | None = None
    ended_on: PartialDate | None = None


class DealerAgreementTerminated(DealerStatement):
    """A signed distribution deal ended.

    Example: dealer-agreement-terminated alpine AutoNation US --terminated-on 2026-01 --reason 'brand withdrawal'
        --announced-on 2026-01 --source-title 'Press release'
    """

    EFFECTIVE: ClassVar[tuple[str, str]] = ("terminated_on", "termination")
    IMPLIES: ClassVar[str] = "signed"
    kind: Literal["dealer-agreement-terminated"]
    reason: Text | None = None
    terminated_on: PartialDate | None = None


@dataclass
class DealerState(SubjectState):
    """A dealer agreement as the fold leaves it."""

    @property
    def date(self) -> Any:
        """The end date once ended or terminated (when given), the signing date once signed, else the day
        talks were announced."""
        ended = self.dates.get(f"{self.status}_on") if self.status in ("ended", "terminated") else None
        if ended or self.status in ("signed", "terminated"):
            return ended or self.dates.get("signed_on")
        return self.dates.get("talks_on")


def _deal(st: DealerStatement, state: DealerState, status: str) -> None:
    state.details.update(dealer=st.dealer, market=st.market)
    state.status = status


@advance.register
def _talks(st: DealerTalksStarted, state: DealerState, entry: Entry) -> None:
    state.dates["talks_on"] = st.announced_on
    _deal(st, state, "talks")


@advance.register
def _signed(st: DealerAgreementSigned, state: DealerState, entry: Entry) -> None:
    state.dates["signed_on"] = st.signed_on
    _deal(st, state, "signed")


@advance.register
def _talks_ended(st: DealerTalksEnded, state: DealerState, entry: Entry) -> None:
    state.dates["ended_on"] = st.ended_on
    _deal(st, state, "ended")


@advance.register
def _terminated(st: DealerAgreementTerminated, state: DealerState, entry: Entry) -> None:
    state.dates["terminated_on"] = st.terminated_on
    _deal(st, state, "terminated")


class DealerAgreement(Subject):
    """A distribution deal of a brand with a dealer group in a market."""

    class DealerTalksStarted(StatementRecorded):
        """A dealer-talks-started statement, recorded."""

        statement: DealerTalksStarted

    class DealerAgreementSigned(StatementRecorded):
        """A dealer-agreement-signed statement, recorded."""

        statement: DealerAgreementSigned

    class DealerTalksEnded(StatementRecorded):
        """A dealer-talks-ended statement, recorded."""

        statement: DealerTalksEnded

    class DealerAgreementTerminated(StatementRecorded):
        """A dealer-agreement-terminated statement, recorded."""

        statement: DealerAgreementTerminated

    class StatementCorrected(CorrectionRecorded):
        """Our correction of a dealer-agreement statement, recorded."""

    class StatementRetracted(RetractionRecorded):
        """Our retraction of a dealer-agreement statement, recorded."""


class DealerAgreementRow(TypedDict):
    """A dealer agreement in `state`: the dealer group, the market, its status and date."""

    dealer: str
    market: str
    status: DealerStatus
    date: str | None
    signed_on: NotRequired[str]
    ended_on: NotRequired[str]
    terminated_on: NotRequired[str]
    scheduled: NotRequired[dict]


SUBJECT = SubjectType(
    aggregate=DealerAgreement, statuses=DealerStatus, fold_state=DealerState,
    tones={"signed": "done", "ended": "ended", "terminated": "ended"},
    state=StateList("dealer_agreements", DealerAgreementRow, ("dealer", "market", "status", "date")),
)

"""Statement kinds about a brand's models, markets and dealer agreements."""

from __future__ import annotations

from typing import ClassVar, Literal

from stratlog.domain.dates import PartialDate
from stratlog.domain.statement import Statement
from stratlog.domain.values import Name, RegionCode, Text


class ModelStatement(Statement):
    SUBJECT: ClassVar[str] = "model"
    KEY_FIELDS: ClassVar[tuple[str, ...]] = ("brand", "model")
    model: Name


class ModelPlanned(ModelStatement):
    KIND: ClassVar[str] = "model-planned"
    kind: Literal["model-planned"] = "model-planned"
    planned_for: PartialDate
    segment: Text | None = None
    body: Text | None = None
    powertrain: Text | None = None
    markets: list[RegionCode] | None = None


class ModelRevealed(ModelStatement):
    KIND: ClassVar[str] = "model-revealed"
    kind: Literal["model-revealed"] = "model-revealed"
    revealed_on: PartialDate


class ModelLaunched(ModelStatement):
    KIND: ClassVar[str] = "model-launched"
    kind: Literal["model-launched"] = "model-launched"
    launched_on: PartialDate | None = None
    markets: list[RegionCode] | None = None


class ModelRescheduled(ModelStatement):
    KIND: ClassVar[str] = "model-rescheduled"
    kind: Literal["model-rescheduled"] = "model-rescheduled"
    planned_for: PartialDate
    reason: Text | None = None


class ModelRenamed(ModelStatement):
    KIND: ClassVar[str] = "model-renamed"
    kind: Literal["model-renamed"] = "model-renamed"
    new_name: Name


class ModelCancelled(ModelStatement):
    KIND: ClassVar[str] = "model-cancelled"
    kind: Literal["model-cancelled"] = "model-cancelled"
    reason: Text | None = None
    on: PartialDate | None = None


class ModelDiscontinued(ModelStatement):
    KIND: ClassVar[str] = "model-discontinued"
    kind: Literal["model-discontinued"] = "model-discontinued"
    reason: Text | None = None
    on: PartialDate | None = None


class MarketStatement(Statement):
    SUBJECT: ClassVar[str] = "market"
    KEY_FIELDS: ClassVar[tuple[str, ...]] = ("brand", "market")
    market: RegionCode


class MarketEntryPlanned(MarketStatement):
    KIND: ClassVar[str] = "market-entry-planned"
    kind: Literal["market-entry-planned"] = "market-entry-planned"
    planned_for: PartialDate | None = None
    rationale: Text | None = None


class MarketEntered(MarketStatement):
    KIND: ClassVar[str] = "market-entered"
    kind: Literal["market-entered"] = "market-entered"
    entered_on: PartialDate


class MarketEntryPostponed(MarketStatement):
    KIND: ClassVar[str] = "market-entry-postponed"
    kind: Literal["market-entry-postponed"] = "market-entry-postponed"
    planned_for: PartialDate | None = None
    reason: Text | None = None


class MarketEntryCancelled(MarketStatement):
    KIND: ClassVar[str] = "market-entry-cancelled"
    kind: Literal["market-entry-cancelled"] = "market-entry-cancelled"
    reason: Text | None = None
    on: PartialDate | None = None


class MarketExited(MarketStatement):
    KIND: ClassVar[str] = "market-exited"
    kind: Literal["market-exited"] = "market-exited"
    reason: Text | None = None
    on: PartialDate | None = None


class DealerStatement(Statement):
    SUBJECT: ClassVar[str] = "dealer-agreement"
    KEY_FIELDS: ClassVar[tuple[str, ...]] = ("brand", "dealer", "market")
    dealer: Name
    market: RegionCode


class DealerTalksStarted(DealerStatement):
    KIND: ClassVar[str] = "dealer-talks-started"
    kind: Literal["dealer-talks-started"] = "dealer-talks-started"


class DealerAgreementSigned(DealerStatement):
    KIND: ClassVar[str] = "dealer-agreement-signed"
    kind: Literal["dealer-agreement-signed"] = "dealer-agreement-signed"
    signed_on: PartialDate
    scope: Text | None = None


class DealerTalksEnded(DealerStatement):
    KIND: ClassVar[str] = "dealer-talks-ended"
    kind: Literal["dealer-talks-ended"] = "dealer-talks-ended"
    reason: Text | None = None


class DealerAgreementTerminated(DealerStatement):
    KIND: ClassVar[str] = "dealer-agreement-terminated"
    kind: Literal["dealer-agreement-terminated"] = "dealer-agreement-terminated"
    reason: Text | None = None

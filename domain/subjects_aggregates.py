"""The four aggregates: Brand, Model, Market and DealerAgreement, with their event classes."""

from __future__ import annotations

from stratlog.domain import brand_statements as b
from stratlog.domain import subject_statements as s
from stratlog.domain.aggregate import Subject, event_classes


class Brand(Subject):
    """A car brand: registration, valuations, IPO stance, targets and actuals."""


class Model(Subject):
    """A vehicle model of a brand, from plan to launch (renames keep its identity)."""


class Market(Subject):
    """A brand's presence in a country or region."""


class DealerAgreement(Subject):
    """A distribution deal of a brand with a dealer group in a market."""


Brand.EVENTS = event_classes(Brand, (b.BrandRegistered, b.ValuationUpdated, b.IPOConsidered, b.TargetSet,
                                     b.TargetRevised, b.TargetReaffirmed, b.TargetWithdrawn, b.ActualReported))
Model.EVENTS = event_classes(Model, (s.ModelPlanned, s.ModelRevealed, s.ModelLaunched, s.ModelRescheduled,
                                     s.ModelRenamed, s.ModelCancelled, s.ModelDiscontinued))
Market.EVENTS = event_classes(Market, (s.MarketEntryPlanned, s.MarketEntered, s.MarketEntryPostponed,
                                       s.MarketEntryCancelled, s.MarketExited))
DealerAgreement.EVENTS = event_classes(DealerAgreement, (s.DealerTalksStarted, s.DealerAgreementSigned,
                                                         s.DealerTalksEnded, s.DealerAgreementTerminated))

AGGREGATES = {"brand": Brand, "model": Model, "market": Market, "dealer-agreement": DealerAgreement}

"""The catalogue of statement kinds: kebab-case names, classes and the import union."""

from __future__ import annotations

import functools
from typing import Annotated, Union

from pydantic import Field, TypeAdapter

from stratlog.domain import brand_statements as b
from stratlog.domain import subject_statements as s
from stratlog.domain.fixes import StatementCorrected, StatementRetracted

STATEMENT_CLASSES = (
    b.BrandRegistered, b.ValuationUpdated, b.IPOConsidered, b.TargetSet, b.TargetRevised,
    b.TargetReaffirmed, b.TargetWithdrawn, b.ActualReported,
    s.ModelPlanned, s.ModelRevealed, s.ModelLaunched, s.ModelRescheduled, s.ModelRenamed,
    s.ModelCancelled, s.ModelDiscontinued,
    s.MarketEntryPlanned, s.MarketEntered, s.MarketEntryPostponed, s.MarketEntryCancelled,
    s.MarketExited,
    s.DealerTalksStarted, s.DealerAgreementSigned, s.DealerTalksEnded, s.DealerAgreementTerminated,
)
FIX_CLASSES = (StatementCorrected, StatementRetracted)
ALL_CLASSES = STATEMENT_CLASSES + FIX_CLASSES
BY_KIND = {cls.KIND: cls for cls in ALL_CLASSES}
KINDS = tuple(BY_KIND)

AnyRecord = Annotated[Union[ALL_CLASSES], Field(discriminator="kind")]  # type: ignore[valid-type]


class _LazyAdapter:
    """The TypeAdapter of any record, built on first use (building every schema costs start-up time)."""

    @functools.cached_property
    def adapter(self) -> TypeAdapter:
        return TypeAdapter(AnyRecord)

    def __getattr__(self, name: str):
        return getattr(self.adapter, name)


RECORD_ADAPTER = _LazyAdapter()

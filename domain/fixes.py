"""Our own fixes of the record: corrections and retractions (never the brand's revisions)."""

from __future__ import annotations

import json
import uuid
from typing import Any, ClassVar, Literal

from pydantic import StrictStr, field_validator

from stratlog.domain.statement import NAMESPACE, Kinded, Statement
from stratlog.domain.values import Text

NEVER_CORRECTED = frozenset({"kind", "statement_id", "recorded_at"})  # and every subject's key fields


def uncorrectable() -> frozenset[str]:
    """The fields a correction may not change: the kind, the ids and clocks, and every key field."""
    return NEVER_CORRECTED | Statement.ALL_KEY_FIELDS


class Fix(Kinded):
    """Base of corrections and retractions: they name a statement and carry no announced_on."""

    target_field: ClassVar[str]

    @property
    def target(self) -> str:
        return getattr(self, self.target_field)

    def statement_id(self) -> str:
        content = self.model_dump(mode="json", exclude_none=True)
        return str(uuid.uuid5(NAMESPACE, json.dumps(content, sort_keys=True, ensure_ascii=False)))


class StatementCorrected(Fix):
    """Our correction of a statement we recorded wrongly (never shown as the brand's revision)."""

    target_field: ClassVar[str] = "corrects"
    kind: Literal["statement-corrected"]
    corrects: StrictStr
    fields: dict[str, Any]
    note: Text | None = None

    @field_validator("fields")
    @classmethod
    def _only_correctable_fields(cls, fields: dict[str, Any]) -> dict[str, Any]:
        if not fields:
            raise ValueError("name at least one field to correct")
        wrong = sorted(set(fields) & uncorrectable())
        if wrong:
            raise ValueError(f"{', '.join(wrong)} cannot be corrected (retract the statement and record a new one)")
        return fields


class StatementRetracted(Fix):
    """Our retraction of a statement that should not be in the record."""

    target_field: ClassVar[str] = "retracts"
    kind: Literal["statement-retracted"]
    retracts: StrictStr
    reason: Text

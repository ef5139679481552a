"""Our own fixes of the record: corrections and retractions (never the brand's revisions)."""

import json
import math
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, Literal

from pydantic import StrictStr, field_validator

from stratlog.domain.quoting import quoted
from stratlog.domain.statement import NAMESPACE, Kinded, Statement
from stratlog.domain.values import Text

NEVER_CORRECTED = frozenset({"kind", "statement_id", "recorded_at"})  # and every subject's key fields


def uncorrectable() -> frozenset[str]:
    """The fields a correction may not change: the kind, the ids and clocks, and every key field (of every
    subject, whether or not its module was imported)."""
    from stratlog.domain.catalogue import key_fields  # it imports this module
    return NEVER_CORRECTED | Statement.ALL_KEY_FIELDS | key_fields()


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
        return {name: _stored_form(value, name) for name, value in fields.items()}


def _stored_form(value: Any, where: str) -> Any:
    """A corrected value as it will be stored and read back: JSON's own types, numbers exact.

    A Decimal (how files give numbers) becomes an int, a float when that float reads back as the
    same number, else its canonical text (the corrected statement reads it as a Decimal again).
    """
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, Decimal) and value.is_finite():
        return _decimal_form(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return {key: _stored_form(item, f"{where}.{key}") for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_stored_form(item, f"{where}.{i}") for i, item in enumerate(value)]
    given = quoted(value) if isinstance(value, (float, Decimal)) else f"a value of type {type(value).__name__}"
    raise ValueError(f"{where}: {given} cannot be stored as a corrected value")


def _decimal_form(value: Decimal) -> int | float | str:
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else format(value.normalize(), "f")


class StatementRetracted(Fix):
    """Our retraction of a statement that should not be in the record."""

    target_field: ClassVar[str] = "retracts"
    kind: Literal["statement-retracted"]
    retracts: StrictStr
    reason: Text


FIX_KINDS = (StatementCorrected.KIND, StatementRetracted.KIND)  # the kinds of our fixes, as rm_statements stores them

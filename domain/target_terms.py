"""The words of a target's terms: comparators, horizons, open deadlines, and the check of a value or range."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import PlainSerializer, PlainValidator

from stratlog.domain.dates import PartialDate, _validate
from stratlog.domain.values import kpi_number, kpi_unit

Comparator = Literal["at-least", "at-most", "about", "exactly"]
Horizon = Literal["by", "in"]
OPEN = "open"


def _deadline(value: Any) -> PartialDate | str:
    if isinstance(value, str) and value.strip().casefold() == OPEN:
        return OPEN
    return _validate(value)


Deadline = Annotated[PartialDate | str, PlainValidator(_deadline, json_schema_input_type=str | int),
                     PlainSerializer(str, return_type=str)]
"""The deadline that addresses a target: a partial date, or `open` for a target set without one."""


def deadline_text(deadline: PartialDate | str | None) -> str:
    """How a deadline addresses its target: its partial-date text, or `open` (none or `open`)."""
    return OPEN if deadline is None or deadline == OPEN else deadline.text


def deadline_json(deadline: PartialDate | str | None) -> str | None:
    """A deadline in JSON answers: its text, or null for an open target."""
    return None if deadline is None or deadline == OPEN else str(deadline)


def check_terms(value: Any, low: Any, high: Any, unit: str | None, needed: bool) -> None:
    """A value, or low and high of one kind with low <= high (`needed`: one of them must be given)."""
    if value is not None and (low is not None or high is not None):
        raise ValueError("give either value, or low and high")
    if value is None and (low is None) != (high is None):
        raise ValueError("a range needs both low and high")
    if value is None and low is None:
        if needed:
            raise ValueError("give either value, or low and high")
        return
    if isinstance(low, bool) or isinstance(high, bool):
        raise ValueError("a range (low, high) needs numbers or money, not yes/no")
    if value is None:
        if kpi_unit(low, "n") != kpi_unit(high, "n"):
            raise ValueError("low and high must be of the same kind and currency")
        if kpi_number(low) > kpi_number(high):
            raise ValueError(f"low {low} is above high {high}")
    if needed and kpi_unit(value if value is not None else low, unit) is None:
        raise ValueError("unit is required for a number (e.g. vehicles, percent, models)")


REVISED_TERMS = ("value", "low", "high", "unit", "comparator", "horizon", "baseline", "condition")

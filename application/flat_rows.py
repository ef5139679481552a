"""Answers as flat rows for spreadsheets and DataFrames: one column per value, dates with their span.

The JSON rows of the queries nest money (`{"amount": "…", "currency": "EUR"}`), ranges
(`{"low": …, "high": …}`) and a scheduled event (`{"event": "reveal", "on": "2024-06-13"}`). A flat
row spells each as columns (`value_amount`, `value_currency`, `value_low`, `scheduled_on`…), keeps
every partial date as written and adds its first and last day (`date`, `date_start`, `date_end`),
and holds numbers as numbers, so `pandas.DataFrame(rows)` or a spreadsheet reads typed columns.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Iterable

from stratlog.domain.dates import PartialDate

# Keys whose values are partial dates ("2030", "2024-Q3", "2023-06-14", "2025-04..2026-03").
DATE_KEYS = frozenset({
    "date", "deadline", "old_deadline", "new_deadline", "actual_period", "period", "announced_on", "valued_on",
    "planned_for", "revealed_on", "launched_on", "entered_on", "signed_on", "opened_on", "closed_on",
    "cancelled_on", "discontinued_on", "exited_on", "ended_on", "terminated_on", "effective_on", "on", "as_of",
    "published_on",
})


def flat_rows(rows: Iterable[dict]) -> list[dict]:
    """Each answer row as a flat row (see the module docstring); the order of columns follows the row."""
    return [flat_row(row) for row in rows]


def flat_row(row: dict, prefix: str = "") -> dict:
    """One row flattened; nested mappings become `prefix_key` columns."""
    flat: dict[str, Any] = {}
    for key, value in row.items():
        _put(flat, f"{prefix}{key}", key, value)
    return flat


def _put(flat: dict, name: str, key: str, value: Any) -> None:
    if isinstance(value, dict):
        flat.update(flat_row(value, f"{name}_"))
    elif isinstance(value, list):
        flat[name] = json.dumps(value, ensure_ascii=False, default=str)
    elif key in DATE_KEYS and (value is None or isinstance(value, str)):
        flat[name] = value  # an undated row still has the columns, empty: every row has the same shape
        flat[f"{name}_start"], flat[f"{name}_end"] = _span(value) if value else (None, None)
    elif key == "amount" or (isinstance(value, str) and key in ("low", "high")):
        flat[name] = number(value)
    else:
        flat[name] = value


def _span(text: str) -> tuple[str | None, str | None]:
    try:
        period = PartialDate.parse(text)
    except ValueError:
        return None, None
    return period.start.isoformat(), period.end.isoformat()


def number(value: Any) -> Any:
    """An amount written as text ("500000000", "0.5") as an int or a float; anything else unchanged."""
    if not isinstance(value, str):
        return value
    try:
        amount = Decimal(value)
    except ArithmeticError:
        return value
    return int(amount) if amount == amount.to_integral_value() else float(amount)

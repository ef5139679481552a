"""Answers as shown (dates as written) and as flat rows for spreadsheets and DataFrames, dates with their span.

The JSON rows of the queries nest money (`{"amount": "…", "currency": "EUR"}`), ranges
(`{"low": …, "high": …}`) and a scheduled event (`{"event": "reveal", "on": "2024-06-13"}`). A flat
row spells each as columns (`value_amount`, `value_currency`, `value_low`, `scheduled_on`…), keeps
every partial date as written and adds its first and last day (`date`, `date_start`, `date_end`),
and holds numbers as numbers, so `pandas.DataFrame(rows)` or a spreadsheet reads typed columns.

Rows come from the queries with dates as stored (a brand's fiscal year as `FY2026/03`, its span in
its text); both shapes show them as written (`FY2026`), the flat one with the stored span.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Iterable

from stratlog.domain.dates import PartialDate, shown_text

# Keys whose values are partial dates ("2030", "2024-Q3", "2023-06-14", "2025-04..2026-03").
DATE_KEYS = frozenset({
    "date", "deadline", "old_deadline", "new_deadline", "actual_period", "period", "announced_on", "valued_on",
    "planned_for", "revealed_on", "launched_on", "entered_on", "signed_on", "opened_on", "closed_on",
    "cancelled_on", "discontinued_on", "exited_on", "ended_on", "terminated_on", "effective_on", "on", "as_of",
    "published_on",
})
NAMING_DATES = frozenset({"subject", "message", "identity", "details"})  # texts that may name a deadline ("deliveries FY2026/03")
SHOWN = DATE_KEYS | NAMING_DATES


def answer(rows: Any, flat: bool = False) -> Any:
    """Query rows (a list, or one object for `state`) as answers show them, or as flat rows."""
    if flat:
        return flat_row(rows) if isinstance(rows, dict) else flat_rows(rows)
    return shown(rows)


def shown(value: Any, key: str = "") -> Any:
    """Rows with every date (and every subject or message naming one) as written: `FY2026/03` → `FY2026`."""
    if isinstance(value, dict):
        return {k: shown(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [shown(v, key) for v in value]
    return shown_text(value) if key in SHOWN else value


def flat_rows(rows: Iterable[dict]) -> list[dict]:
    """Each answer row as a flat row (see the module docstring); the order of columns follows the row."""
    return [flat_row(row) for row in rows]


def flat_columns(keys: Iterable[str]) -> list[str]:
    """The flat column names of rows with these answer keys (a date key adds `key_start`, `key_end`)."""
    return list(flat_row(dict.fromkeys(keys)))


def flat_row(row: dict, prefix: str = "") -> dict:
    """One row flattened; nested mappings become `prefix_key` columns. A flat row flattens to itself
    (its `key_start`/`key_end`, from the stored date, follow `key` and win)."""
    flat: dict[str, Any] = {}
    for key, value in row.items():
        _put(flat, f"{prefix}{key}", key, value)
    return flat


def _put(flat: dict, name: str, key: str, value: Any) -> None:
    if isinstance(value, dict):
        flat.update(flat_row(value, f"{name}_"))
    elif isinstance(value, list):
        flat[name] = json.dumps(shown(value, key), ensure_ascii=False, default=str)
    elif key in DATE_KEYS and (value is None or isinstance(value, str)):
        flat[name] = shown_text(value)  # an undated row still has the columns, empty: every row has the same shape
        flat[f"{name}_start"], flat[f"{name}_end"] = _span(value) if value else (None, None)
    elif key in NAMING_DATES:
        flat[name] = shown_text(value)
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

"""Plain JSON forms of dates, money and KPI values, as stored in the read model and printed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain.values import Money


def json_value(value: Any) -> Any:
    """Money as {"amount": "…", "currency": "…"}, numbers as JSON numbers, dates as their text."""
    if value is None or isinstance(value, (bool, str, int, float)):
        return value
    if isinstance(value, Money):
        return {"amount": _plain(value.amount), "currency": value.currency}
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    return str(value)


def _plain(amount: Decimal) -> str:
    text = format(amount, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def number_of(value: Any) -> Decimal | None:
    """The numeric size of a JSON KPI value; None for yes/no and missing values."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dict):
        return Decimal(value["amount"]) if "amount" in value else None
    return Decimal(str(value))


def unit_of(value: Any, unit: str | None) -> str | None:
    if isinstance(value, dict) and "currency" in value:
        return value["currency"]
    if isinstance(value, bool):
        return "yes/no"
    return unit


def display(value: Any) -> str:
    """A value as an analyst reads it: 2,000,000,000 EUR · 100,000 · yes · 40–45."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict) and "currency" in value:
        return f"{Decimal(value['amount']):,f} {value['currency']}".replace(".000000", "")
    if isinstance(value, dict) and "low" in value:
        return f"{display(value['low'])}–{display(value['high'])}"
    if isinstance(value, (int, float, Decimal)):
        return f"{value:,}"
    return str(value)

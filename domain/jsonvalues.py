"""Reading the plain JSON forms of money and KPI values (query side: no pydantic needed)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


def item_text(item: dict) -> str:
    """An item as the read model stores and compares it: canonical JSON (keys sorted, compact, UTF-8 as is).
    The fold writes it and the compact rows give it back byte for byte."""
    return _CANONICAL.encode(item)


_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))  # json.dumps builds one per call


def number_of(value: Any) -> Decimal | None:
    """The numeric size of a JSON KPI value; None for yes/no and missing values."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dict):
        return Decimal(value["amount"]) if "amount" in value else None
    return Decimal(str(value))


def unit_of(value: Any, unit: str | None) -> str | None:
    """The unit a value is counted in: its currency for money, `yes/no` for a boolean, else `unit` as given."""
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

"""What a row of `events` says in a few words: its subject as the timeline names it, and its value, period or dates."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

NOT_DETAILS = {"statement_id", "recorded_at", "kind", "announced_on", "source", "note", "corrects", "retracts",
               "brand", "model", "market", "dealer", "plant", "value", "low", "high", "unit", "comparator", "kpi",
               "scope", "deadline", "period", "valued_on", "position", "subject"}


def event_subject(record: dict, keys: list[str]) -> str:
    """A target as `annual-sales 2030`, an actual as `annual-sales 2024`, a valuation as `valuation 2023`, a fix as
    `fixes 842b50d8`, anything else by its keys after the brand (`A290`, `AutoNation / US`), or the brand."""
    fixed = record.get("corrects") or record.get("retracts")
    if fixed:
        return f"fixes {fixed[:8]}"
    scope = f" {record['scope']}" if record.get("scope") else ""
    if record["kind"].startswith("target-") and record.get("kpi"):
        return f"{record['kpi']}{scope} {record.get('deadline') or 'open'}"
    if record["kind"] == "actual-reported":
        return f"{record['kpi']}{scope} {record['period']}"
    if record["kind"] == "valuation-updated":
        return f"valuation {record.get('valued_on') or record.get('announced_on') or ''}".strip()
    return " / ".join(keys[1:]) or (keys[0] if keys else "")


def event_details(record: dict) -> str:
    """The value (with comparator and unit) and the other payload fields: `at-least 100,000 vehicles`,
    `12,000–14,000 vehicles`, `500,000,000 EUR · basis brand value`, `planned_for 2024 · segment city car`;
    a correction lists the fields it sets, a retraction its reason."""
    parts = []
    value = _value(record)
    if value:
        parts.append(value)
    if record.get("fields"):
        return "sets " + ", ".join(f"{k} {_shown(v)}" for k, v in record["fields"].items())
    parts += [f"{name} {_shown(v, number=name == 'capacity')}" for name, v in record.items()
              if name not in NOT_DETAILS and v not in (None, [], "") and (name, v) != ("horizon", "by")]
    return " · ".join(parts)


def _value(record: dict) -> str:
    if record.get("value") is not None:
        amount = _shown(record["value"], number=True)
    elif record.get("low") is not None or record.get("high") is not None:
        amount = f"{_shown(record.get('low'), number=True)}–{_shown(record.get('high'), number=True)}"
    else:
        return ""
    unit = None if isinstance(record.get("value"), (dict, bool)) else record.get("unit")
    words = [record.get("comparator"), amount, unit]
    return " ".join(w for w in words if w)


def _shown(value: Any, number: bool = False) -> str:
    """A `number` with thousands separators (stored as exact text), money as `AMOUNT CUR`, lists joined;
    anything else (dates included: 2030 stays 2030) as written."""
    from stratlog.domain.jsonvalues import display
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    if isinstance(value, dict) and "amount" in value:
        return display({"amount": value["amount"], "currency": value.get("currency", "")})
    if number and isinstance(value, str):
        try:
            return display(Decimal(value))
        except InvalidOperation:
            return value
    return display(value) if number or not isinstance(value, (int, float)) else str(value)

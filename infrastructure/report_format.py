"""The report's text: one compact number format (4,585 · 125k · 1.2 bn EUR · 40 % · +25.7 %/yr) and escaping."""

from __future__ import annotations

import html
import re
from decimal import Decimal
from typing import Any

from stratlog.domain.dates import shown_text

_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
PERCENT_UNITS = {"percent", "%", "pct"}
SCALES = ((Decimal("1e9"), " bn"), (Decimal("1e6"), " M"), (Decimal("1e3"), "k"))


def compact_number(number: Any) -> str:
    """A number an analyst reads at a glance: below 10,000 in full with thousands grouped (4,585; 2.5;
    0.125), from 10,000 on scaled to three significant digits (125k, 12.5k, 1.23 M, 2 bn)."""
    n = Decimal(str(number))
    size = abs(n)
    if size >= 10_000:
        n = n.quantize(Decimal(1).scaleb(n.adjusted() - 2))  # three significant digits, before choosing k/M/bn
        scale, suffix = next((s, x) for s, x in SCALES if abs(n) >= s)
        return f"{_significant(n / scale, 3)}{suffix}"
    if size >= 1000:
        return f"{n.quantize(Decimal(1)):,}"
    return _significant(n, 3)


def _significant(n: Decimal, digits: int) -> str:
    """`n` rounded to `digits` significant digits (at most 3 decimals), trailing zeros dropped, no exponent."""
    if n == 0:
        return "0"
    places = min(max(digits - n.adjusted() - 1, 0), 3)
    text = f"{round(n, places):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def compact(value: Any, unit: str | None = None) -> str:
    """A KPI value (number, money, range or yes/no) in the compact format, with its unit when it is money
    or percent: `2 bn EUR`, `40 %`, `150k–200k`, `yes`; None gives ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict) and "currency" in value:
        return f"{compact_number(value['amount'])} {value['currency']}"
    if isinstance(value, dict) and "low" in value:
        low, high = compact(value["low"]), compact(value["high"])
        return f"{low}–{high} %" if unit in PERCENT_UNITS else f"{low}–{high}"
    if isinstance(value, (int, float, Decimal)) or _numeric(value):
        text = compact_number(value)
        return f"{text} %" if unit in PERCENT_UNITS else text
    return str(value)


def _numeric(value: Any) -> bool:
    try:
        Decimal(str(value))
    except ArithmeticError:
        return False
    return isinstance(value, str) and value.strip() != "" and Decimal(str(value)).is_finite()


def per_year(rate: float | None) -> str:
    """A growth rate in percent per year, signed: `+25.7 %/yr`, `-3 %/yr`; None gives ''."""
    if rate is None:
        return ""
    return f"{'+' if rate > 0 else ''}{compact_number(round(Decimal(str(rate)), 1))} %/yr"


def visible(text) -> str:
    """Data text as it is shown: a stored fiscal year as written (`FY2026/03` → `FY2026`, also inside a
    label; chart positions read the stored span, not this text), control and bidi characters written as
    escapes (\\u202e)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", "" if text is None else shown_text(str(text)))


def esc(text) -> str:
    """Data text made safe for HTML and SVG: markup escaped, control and bidi characters shown as escapes."""
    return html.escape(visible(text), quote=True)

"""A brand's state as a short terminal report."""

from __future__ import annotations

from stratlog.cli.render import as_table, cell


def state_text(picture: dict) -> str:
    lines = [f"{cell(picture['name'] or picture['brand'])} ({picture['brand']})"
             + (f", part of {cell(picture['parent'])}" if picture.get("parent") else "") + f" — as of {picture['as_of']}"]
    valuation = picture.get("valuation")
    if valuation:
        lines.append(f"Valuation: {cell({'amount': valuation['amount'], 'currency': valuation['currency']})} "
                     f"(valued {valuation['valued_on']})")
    if picture.get("ipo"):
        ipo = picture["ipo"]
        lines.append(f"IPO: {ipo['stance']}" + (f" (said by {cell(ipo['by'])}, {ipo['announced_on']})" if ipo.get("by") else ""))
    for title, key, columns in (
        ("Models", "models", ["model", "status", "planned_for", "revealed_on", "launched_on", "segment"]),
        ("Markets", "markets", ["market", "status", "planned_for", "entered_on"]),
        ("Dealer agreements", "dealer_agreements", ["dealer", "market", "status", "date"]),
        ("Targets", "targets", ["kpi", "scope", "deadline", "comparator", "value", "unit", "actual", "required_cagr", "status"]),
    ):
        rows = picture.get(key) or []
        lines.append(f"\n{title}:")
        lines.append(as_table(rows, columns) if rows else "  (none)")
    return "\n".join(lines)

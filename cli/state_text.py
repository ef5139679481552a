"""A brand's state as a short terminal report."""

from __future__ import annotations

from stratlog.cli.render import as_table, cell, deadline_cell, term, with_schedule
from stratlog.domain.picture import SUBJECTS


def state_text(picture: dict) -> str:
    """The `state` answer as text lines (name, valuation, IPO stance, models, markets, agreements, plants, targets)."""
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
        *((subject["list"].replace("_", " ").capitalize(), subject["list"], list(subject["table"])) for subject in SUBJECTS),
        ("Targets", "targets", ["kpi", "scope", "deadline", "comparator", "value", "unit", "actual", "required_cagr", "status"]),
    ):
        rows = [with_schedule(row) for row in picture.get(key) or []]
        if key == "targets":
            rows = [dict(r, value=term(r), deadline=deadline_cell(r)) for r in rows]
        lines.append(f"\n{title}:")
        lines.append(as_table(rows, columns) if rows else "  (none)")
    return "\n".join(lines)

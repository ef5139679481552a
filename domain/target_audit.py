"""Audit rows of a KPI's target statements: what each change and each of our fixes did."""

from __future__ import annotations

from stratlog.domain.dates import instant_text
from stratlog.domain.folders import stated
from stratlog.domain.history import Entry
from stratlog.domain.values import json_value

HEADER = {"type": "targets"}
RETRACTED_SEQ = 1_000_000


def retracted_items(entries: list[Entry]) -> dict[str, dict]:
    """Audit rows of retracted target statements (given in fold order): flagged, after every revision."""
    found = {}
    for i, entry in enumerate(entries):
        st = entry.statement
        base = {"_group": HEADER, "_list": "audit", "_seq": RETRACTED_SEQ + i, "identity": None, "kpi": st.kpi,
                "scope": st.scope, "old_value": said_value(st), "new_value": None, "old_deadline": str(st.deadline),
                "new_deadline": None, **stated(entry)}
        found[f"a:{entry.retracted_by.statement_id}"] = fix_row(base, entry.retracted_by, "retracted")
    return found


def said_value(statement) -> object:
    return json_value(getattr(statement, "value", None))


def said_deadline(statement) -> str | None:
    deadline = getattr(statement, "new_deadline", None) or getattr(statement, "deadline", None)
    return str(deadline) if deadline else None


def fix_row(row: dict, fix: Entry, change: str) -> dict:
    """An audit row turned into the row of our fix: flagged, with the fix's id, instant and note."""
    return {**row, "change": change, "flagged": True, "statement_id": fix.statement_id,
            "recorded_at": instant_text(fix.recorded_at), "fixes": row["statement_id"],
            "note": getattr(fix.statement, "note", None) or getattr(fix.statement, "reason", None)}


def range_or_value(value, low, high):
    return value if value is not None else {"low": low, "high": high}

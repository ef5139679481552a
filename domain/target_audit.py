"""Audit rows of a KPI's target statements: what each change and each of our fixes did."""

from __future__ import annotations

from stratlog.domain.dates import instant_text
from stratlog.domain.folders import stated
from stratlog.domain.target_terms import deadline_json
from stratlog.domain.history import Entry
from stratlog.domain.values import json_value

HEADER = {"type": "targets"}
RETRACTED_SEQ = 1_000_000


def audit_rows(target, entry: Entry, change: str, old_terms, old_deadline, seq: int, suffix: str = "") -> dict:
    """The audit row of one change of a target (keyed `a:` + the statement id + `suffix`), then a row per
    correction of that statement, each showing what the correction changed."""
    row = {"_group": HEADER, "_list": "audit", "_seq": seq,
           "identity": target.identity, "kpi": target.setting.kpi, "scope": target.setting.scope,
           "change": change, **value_columns("old", old_terms),
           **value_columns("new", None if change == "withdrawn" else target.terms),
           "old_deadline": json_value(old_deadline), "new_deadline": json_value(target.deadline),
           "flagged": False, **stated(entry)}
    rows = {f"a:{entry.statement_id}{suffix}": row}
    versions = [entry.original]
    for fix in entry.corrections:
        versions.append(versions[-1].corrected(fix.statement.fields))
        rows[f"a:{fix.statement_id}{suffix}"] = fix_row(
            {**row, **correction_columns(versions[-2], versions[-1]), "_seq": seq + len(rows)}, fix, "corrected")
    return rows


def retracted_items(entries: list[Entry]) -> dict[str, dict]:
    """Audit rows of retracted target statements (given in fold order): flagged, after every revision.

    A retracted guidance withdrawal names no single target: its row's kpi is the KPIs it named (or `*`)."""
    found = {}
    for i, entry in enumerate(entries):
        st = entry.statement
        kpis = getattr(st, "kpis", ())
        kpi = st.kpi if hasattr(st, "kpi") else ", ".join(kpis) if kpis else "*"
        deadline = deadline_json(getattr(st, "deadline", None))
        base = {"_group": HEADER, "_list": "audit", "_seq": RETRACTED_SEQ + i, "identity": None, "kpi": kpi,
                "scope": st.scope, **said_columns("old", st), **value_columns("new", None),
                "old_deadline": json_value(deadline), "new_deadline": None, **stated(entry)}
        found[f"a:{entry.retracted_by.statement_id}"] = fix_row(base, entry.retracted_by, "retracted")
    return found


def value_columns(prefix: str, terms) -> dict:
    """`old_value`, `old_low`, `old_high` (for prefix old) of a target's terms: a single value, or a range
    whose value column is null."""
    value, low, high = (None, None, None) if terms is None else (terms.value, terms.low, terms.high)
    return {f"{prefix}_value": json_value(value), f"{prefix}_low": json_value(low), f"{prefix}_high": json_value(high)}


def said_columns(prefix: str, statement) -> dict:
    """The value columns of what one statement said (nothing for one that names no value)."""
    return {f"{prefix}_{name}": json_value(getattr(statement, name, None)) for name in ("value", "low", "high")}


def said_deadline(statement) -> str | None:
    """The deadline a target statement names (its new deadline when it moves one) as JSON text; None for an open target."""
    return deadline_json(getattr(statement, "new_deadline", None) or getattr(statement, "deadline", None))


CORRECTED_HIDDEN = {"kind", "brand", "source", "note"}


def correction_columns(before, after) -> dict:
    """What a correction changed: the value columns and deadlines before and after it, and `changes`,
    every field it changed as {"old": …, "new": …} (ranges, comparators, dates and words included)."""
    old, new = ({name: json_value(getattr(s, name)) for name in type(s).model_fields} for s in (before, after))
    changes = {name: {"old": old.get(name), "new": new.get(name)} for name in sorted(old.keys() | new.keys())
               if old.get(name) != new.get(name) and name not in CORRECTED_HIDDEN}
    return {**said_columns("old", before), **said_columns("new", after), "old_deadline": said_deadline(before),
            "new_deadline": said_deadline(after), "changes": changes}


def fix_row(row: dict, fix: Entry, change: str) -> dict:
    """An audit row turned into the row of our fix: flagged, with the fix's id, instant and note."""
    return {**row, "change": change, "flagged": True, "statement_id": fix.statement_id,
            "recorded_at": instant_text(fix.recorded_at), "fixes": row["statement_id"],
            "note": getattr(fix.statement, "note", None) or getattr(fix.statement, "reason", None)}

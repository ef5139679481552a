"""Statements grouped into fold units (a model, a KPI's targets, …) and each unit's folded view."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain import brand_statements as b
from domain import subject_statements as s
from domain.dates import instant_text
from domain.history import Entry, counted
from domain.jsonvalues import json_value
from domain.subjects import SubjectState, fold_dealer, fold_latest, fold_market, fold_model
from domain.targets import fold_targets


def group_of(statement: Any) -> str:
    """The fold unit a statement belongs to, within its brand."""
    if isinstance(statement, (s.ModelStatement, s.MarketStatement, s.DealerStatement)):
        return statement.SUBJECT
    if isinstance(statement, b.TargetStatement):
        return f"targets:{statement.kpi}:{(statement.scope or '').casefold()}"
    if isinstance(statement, b.ActualReported):
        return f"actuals:{statement.kpi}:{(statement.scope or '').casefold()}"
    return {"brand-registered": "brand", "valuation-updated": "valuations", "ipo-considered": "ipo"}[statement.KIND]


def stated(entry: Entry) -> dict:
    """When and where a subject was last stated."""
    st = entry.statement
    return {
        "announced_on": str(st.announced_on) if st.announced_on else None,
        "statement_id": entry.statement_id,
        "recorded_at": instant_text(entry.recorded_at),
        "source": st.source.label() if st.source else None,
        "source_url": st.source.url if st.source else None,
        "publisher": st.source.publisher if st.source else None,
    }


def fold_group(group: str, entries: list[Entry], as_of: date | None, strict: bool = False) -> dict | None:
    """The view of one fold unit from its fixed entries, counting those announced by `as_of`."""
    ordered = counted(entries, None if group == "brand" else as_of)
    kind = group.split(":", 1)[0]
    if kind == "targets":
        retracted = [e for e in entries if e.retracted_by is not None and (as_of is None or e.end <= as_of)]
        return _targets_view(ordered, strict, retracted) if ordered or retracted else None
    if not ordered:
        return None
    if kind == "actuals":
        return _actuals_view(ordered)
    if kind in ("model", "market", "dealer-agreement"):
        state = {"model": lambda e: fold_model(e, strict), "market": fold_market,
                 "dealer-agreement": fold_dealer}[kind](ordered)
        return _subject_view(state)
    return {"brand": _brand_view, "valuations": _valuations_view, "ipo": _ipo_view}[kind](ordered)


def _subject_view(state: SubjectState) -> dict:
    return {
        "type": state.subject_type, "subject": state.name, "status": state.status,
        "date": json_value(state.date), "dates": json_value(state.dates), "details": json_value(state.details),
        "aliases": state.aliases, **stated(state.last),
        "planned_history": [{"announced_on": str(e.statement.announced_on), "planned_for": json_value(d)}
                            for e, d in state.planned_history],
    }


def _brand_view(ordered: list[Entry]) -> dict:
    last = ordered[-1].statement
    return {"type": "brand", "brand": last.brand, "name": last.name, "parent": last.parent, "country": last.country}


def _valuations_view(ordered: list[Entry]) -> dict:
    latest = fold_latest(ordered, lambda st: st.effective_valued_on)
    rows = [{"valued_on": str(on), "value": json_value(e.statement.value), "basis": e.statement.basis, **stated(e)}
            for on, e in sorted(latest.items())]
    return {"type": "valuations", "valuations": rows}


def _ipo_view(ordered: list[Entry]) -> dict:
    last = ordered[-1]
    return {"type": "ipo", "stance": last.statement.stance, "venue": last.statement.venue,
            "by": last.statement.by, **stated(last)}


def _actuals_view(ordered: list[Entry]) -> dict:
    latest = fold_latest(ordered, lambda st: st.period)
    first = ordered[0].statement
    rows = [{"period": str(p), "value": json_value(e.statement.value), "unit": e.statement.effective_unit,
             "annual": p.is_year, **stated(e)} for p, e in sorted(latest.items())]
    return {"type": "actuals", "kpi": first.kpi, "scope": first.scope, "actuals": rows}


def _targets_view(ordered: list[Entry], strict: bool, retracted: list[Entry]) -> dict:
    book = fold_targets(ordered, strict)
    targets = [{
        "identity": t.identity, "kpi": t.setting.kpi, "scope": t.setting.scope, "deadline": str(t.deadline),
        "deadlines": t.deadlines, "horizon": t.setting.horizon, "value": json_value(t.value),
        "low": json_value(t.low), "high": json_value(t.high), "unit": t.setting.effective_unit,
        "comparator": t.setting.comparator, "withdrawn": t.withdrawn, **stated(t.last),
    } for t in book.targets]
    audit = [{
        "identity": row["target"], "kpi": row["entry"].statement.kpi, "scope": row["entry"].statement.scope,
        "change": row["change"], "old_value": json_value(row["old_value"]), "new_value": json_value(row["new_value"]),
        "old_deadline": json_value(row["old_deadline"]), "new_deadline": json_value(row["new_deadline"]),
        "flagged": False, **stated(row["entry"]),
    } for row in book.audit]
    return {"type": "targets", "targets": targets, "audit": _with_fixes(audit, book.audit, retracted)}


def _with_fixes(audit: list[dict], book_rows: list[dict], retracted: list[Entry]) -> list[dict]:
    """Our corrections after the statement they fix, retractions in fold order: flagged, not revisions."""
    rows: list[tuple[tuple, dict]] = []
    for row, source in zip(audit, book_rows):
        entry = source["entry"]
        rows.append(((entry.start, entry.position, 0), row))
        versions = [entry.original]
        for i, fix in enumerate(entry.corrections, 1):
            versions.append(versions[-1].corrected(fix.statement.fields))
            change = {"old_value": _said_value(versions[-2]), "new_value": _said_value(versions[-1]),
                      "old_deadline": _said_deadline(versions[-2]), "new_deadline": _said_deadline(versions[-1])}
            rows.append(((entry.start, entry.position, i), _fix_row({**row, **change}, fix, "corrected")))
    for entry in retracted:
        st = entry.statement
        base = {"identity": None, "kpi": st.kpi, "scope": st.scope, "old_value": json_value(getattr(st, "value", None)),
                "new_value": None, "old_deadline": str(st.deadline), "new_deadline": None, **stated(entry)}
        rows.append(((entry.start, entry.position, 1), _fix_row(base, entry.retracted_by, "retracted")))
    if retracted:
        rows.sort(key=lambda pair: pair[0])
    return [row for _, row in rows]


def _said_value(statement) -> object:
    return json_value(getattr(statement, "value", None))


def _said_deadline(statement) -> str | None:
    deadline = getattr(statement, "new_deadline", None) or getattr(statement, "deadline", None)
    return str(deadline) if deadline else None


def _fix_row(row: dict, fix: Entry, change: str) -> dict:
    return {**row, "change": change, "flagged": True, "statement_id": fix.statement_id,
            "recorded_at": instant_text(fix.recorded_at), "fixes": row["statement_id"],
            "note": getattr(fix.statement, "note", None) or getattr(fix.statement, "reason", None)}

"""Statements grouped into fold units (a model, a KPI's targets, …), folded into views and items."""

from __future__ import annotations

from datetime import date
from typing import Any, Iterator

from stratlog.domain import brand_statements as b
from stratlog.domain import subject_statements as s
from stratlog.domain.folders import LatestFolder, SubjectFolder, stated
from stratlog.domain.history import Entry, counted, fold_key
from stratlog.domain.items import regroup
from stratlog.domain.targets import TargetsFolder, retracted_items

__all__ = ["group_of", "fold_group", "items_over_dates", "stated"]


def group_of(statement: Any) -> str:
    """The fold unit a statement belongs to, within its subject."""
    if isinstance(statement, (s.ModelStatement, s.MarketStatement, s.DealerStatement)):
        return statement.SUBJECT
    if isinstance(statement, b.TargetStatement):
        return f"targets:{statement.kpi}:{(statement.scope or '').casefold()}"
    if isinstance(statement, b.ActualReported):
        return f"actuals:{statement.kpi}:{(statement.scope or '').casefold()}"
    return {"brand-registered": "brand", "valuation-updated": "valuations", "ipo-considered": "ipo"}[statement.KIND]


def make_folder(group: str, strict: bool = False):
    kind = group.split(":", 1)[0]
    if kind == "targets":
        return TargetsFolder(strict)
    if kind in SubjectFolder.STEPS:
        return SubjectFolder(kind, strict)
    return LatestFolder(kind)


def fold_group(group: str, entries: list[Entry], as_of: date | None, strict: bool = False) -> dict | None:
    """The view of one fold unit from its fixed entries, counting those announced by `as_of`."""
    folder = make_folder(group, strict)
    for entry in counted(entries, None if group == "brand" else as_of):
        folder.apply(entry)
    folder.finish()
    items = folder.items()
    if group.startswith("targets:"):
        items.update(retracted_items(_retracted(entries, as_of)))
    views = regroup((group, item) for item in items.values())
    return views[0] if views else None


def _retracted(entries: list[Entry], as_of: date | None) -> list[Entry]:
    return sorted((e for e in entries if e.retracted_by is not None and (as_of is None or e.end <= as_of)), key=fold_key)


def items_over_dates(group: str, members: list[Entry]) -> Iterator[tuple[date, dict[str, dict]]]:
    """The group's items at each date its answer may change (each announced end), folded incrementally.

    Statements counted at a later date usually come after those already folded, and the fold
    simply goes on; when one sorts before them (a `2023` statement counted after a `2023-06` one),
    the unit is folded again from the start.
    """
    if group == "brand":
        folder = make_folder(group)
        for entry in counted(members, None):
            folder.apply(entry)
        yield date.min, folder.items()
        return
    live = sorted((e for e in members if e.retracted_by is None), key=fold_key)
    folder, applied = make_folder(group), []
    for step in sorted({e.end for e in members}):
        now = [e for e in live if e.end <= step]
        if now[:len(applied)] != applied:
            folder, applied = make_folder(group), []
        for entry in now[len(applied):]:
            folder.apply(entry)
        applied = now
        items = folder.items()
        if group.startswith("targets:"):
            items.update(retracted_items(_retracted(members, step)))
        yield step, items

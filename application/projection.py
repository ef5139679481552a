"""How a fold unit's answers are materialised: one row per (announced period, known period)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable

from application.clock import instant_text
from domain.groups import fold_group, group_of
from domain.history import Entry, apply_fixes

OPEN_DATE = "9999-12-31"
OPEN_INSTANT = "9999-12-31T23:59:59.999999Z"
FIRST_DATE = "0001-01-01"


@dataclass(frozen=True)
class ViewRow:
    """A group's view, valid for as-of dates [valid_from, valid_to) and known-at [known_from, known_to)."""

    valid_from: str
    valid_to: str
    known_from: str
    known_to: str
    view: str


def group_rows(group: str, entries: list[Entry], since: datetime | None = None) -> list[ViewRow]:
    """The rows of a group for every recording instant from `since` on (all of them when None)."""
    instants = sorted({e.recorded_at for e in entries if since is None or e.recorded_at >= since})
    rows: list[ViewRow] = []
    for i, instant in enumerate(instants):
        known_to = instant_text(instants[i + 1]) if i + 1 < len(instants) else OPEN_INSTANT
        for valid_from, valid_to, view in views_at(group, entries, instant):
            rows.append(ViewRow(valid_from, valid_to, instant_text(instant), known_to, view))
    return rows


def views_at(group: str, entries: list[Entry], known_at: datetime) -> Iterable[tuple[str, str, str]]:
    """The group's distinct views over as-of dates, as this database knew them at `known_at`."""
    fixed = apply_fixes(entries, known_at)
    members = [e for e in fixed if not e.is_fix and group_of(e.statement) == group]
    steps = [date.min] if group == "brand" else sorted({e.end for e in members})
    previous, start = None, None
    for step in steps:
        view = fold_group(group, members, step)
        text = None if view is None else json.dumps(view, sort_keys=True, ensure_ascii=False)
        if text != previous:
            if previous is not None:
                yield start, step.isoformat(), previous
            previous, start = text, (FIRST_DATE if step == date.min else step.isoformat())
    if previous is not None:
        yield start, OPEN_DATE, previous

"""How a fold unit is materialised: items valid over announced dates and over known instants."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterator

from stratlog.application.fold_version import PROJECTION_VERSION  # noqa: F401 - bump it when this fold changes
from stratlog.domain.dates import instant_text
from stratlog.domain.groups import belongs, items_over_dates
from stratlog.domain.history import Entry, apply_fixes

OPEN_DATE = "9999-12-31"
OPEN_INSTANT = "9999-12-31T23:59:59.999999Z"
FIRST_DATE = "0001-01-01"


@dataclass(frozen=True)
class ItemRow:
    """One item of a group, valid for as-of dates [valid_from, valid_to) and known-at [known_from, known_to)."""

    item: str
    valid_from: str
    valid_to: str
    known_from: str
    known_to: str
    data: str

    @property
    def answer(self) -> tuple[str, str, str, str]:
        """What the row says, whatever the instants it was known at."""
        return (self.item, self.valid_from, self.valid_to, self.data)


def dated_items(group: str, entries: list[Entry], known_at: datetime | None) -> Iterator[tuple[str, str, str, str]]:
    """(item, valid_from, valid_to, data) of a group as this database knew it at `known_at`."""
    fixed = apply_fixes(entries, known_at)
    members = [e for e in fixed if not e.is_fix and belongs(e.statement, group)]
    opened: dict[str, tuple[str, dict]] = {}
    for step, changes in items_over_dates(group, members):
        since = FIRST_DATE if step == date.min else step.isoformat()
        for key, data in changes.items():
            if key in opened:
                start, before = opened.pop(key)
                yield key, start, since, _text(before)
            if data is not None:
                opened[key] = (since, data)
    for key, (start, data) in opened.items():
        yield key, start, OPEN_DATE, _text(data)


def _text(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def item_rows(group: str, entries: list[Entry], open_rows: list[ItemRow] = ()) -> list[ItemRow]:
    """All rows of a group from the open rows on: those whose known period ended, and those still open.

    `open_rows` are the group's rows still known now (known_to open); the instants after their
    latest known_from are folded in order, and a row whose answer does not change stays open.
    Called with no open rows, it materialises the group's whole history.
    """
    latest = max((r.known_from for r in open_rows), default="")
    instants = sorted({e.recorded_at for e in entries if instant_text(e.recorded_at) > latest})
    current = {r.answer: r.known_from for r in open_rows}
    rows: list[ItemRow] = []
    for instant in instants:
        at = instant_text(instant)
        answers = set(dated_items(group, entries, instant))
        for answer in [a for a in current if a not in answers]:
            rows.append(_row(answer, current.pop(answer), at))
        for answer in answers - current.keys():
            current[answer] = at
    return rows + [_row(answer, since, OPEN_INSTANT) for answer, since in current.items()]


def _row(answer: tuple[str, str, str, str], known_from: str, known_to: str) -> ItemRow:
    item, valid_from, valid_to, data = answer
    return ItemRow(item, valid_from, valid_to, known_from, known_to, data)

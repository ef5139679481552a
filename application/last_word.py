"""A last-word unit (valuations, IPO stance) caught up from what a new instant appends, not refolded.

In such a unit an item's answer is the last word said under its key (domain/folders.LatestFolder), so
when new statements sort after every member (a later announced start, a later announced end, no fix)
only the items they name change, from the end of each one's announcement on. The rows are those that
application/projection.item_rows makes for that instant, without folding the members again.
"""

from __future__ import annotations

from datetime import date
from typing import Callable

from stratlog.application.projection import OPEN_DATE, OPEN_INSTANT, ItemRow
from stratlog.domain.folders import latest_item
from stratlog.domain.history import Entry, fold_key
from stratlog.domain.jsonvalues import item_text


def appends(new: list[Entry], latest_start: date | None, latest_end: date | None) -> bool:
    """Whether `new` sort after every member (whose latest announced start and end are given; None: no
    member) and are plain statements, so that they only append to the unit's fold."""
    if any(e.is_fix or e.takes_effect != e.end for e in new):
        return False
    return latest_end is None or all(e.start >= latest_start and e.end > latest_end for e in new)


def appended_rows(new: list[Entry], known_at: str, open_dated: Callable[[str], ItemRow | None],
                  header: dict | None = None) -> tuple[list[ItemRow], list[ItemRow]]:
    """(open rows that end, rows to add) when `new` (see `appends`) are known from instant `known_at`.

    `open_dated(item)` is the item's row still known and valid to the open date (None: a new item);
    `header` the list header the unit's items carry (that of its first statement, which `new` sort after).
    """
    steps: dict[str, list[tuple[date, str]]] = {}  # item -> (step, data text) in date order
    by_step: dict[date, dict[str, str]] = {}
    for entry in sorted(new, key=fold_key):
        key, item = latest_item(entry.statement, entry, header)
        by_step.setdefault(entry.end, {})[key] = item_text(item)  # the last word at a step wins
    for step in sorted(by_step):
        for key, text in by_step[step].items():
            steps.setdefault(key, []).append((step, text))
    ended, added = [], []
    for key, changes in steps.items():
        before = open_dated(key)
        since, text = (before.valid_from, before.data) if before is not None else (None, None)
        answers = []
        for step, new_text in changes:
            if new_text == text:
                continue
            if since is not None:
                answers.append((since, step.isoformat(), text))
            since, text = step.isoformat(), new_text
        if not answers and before is not None and text == before.data:
            continue
        if before is not None:
            ended.append(before)
            added.append(ItemRow(key, before.valid_from, before.valid_to, before.known_from, known_at, before.data))
        added += [ItemRow(key, start, end, known_at, OPEN_INSTANT, data) for start, end, data in answers
                  if before is None or (start, end, data) != (before.valid_from, before.valid_to, before.data)]
        added.append(ItemRow(key, since, OPEN_DATE, known_at, OPEN_INSTANT, text))
    return ended, added

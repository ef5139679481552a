"""A long unit's stored rows compared item by item with its fold over dates, in time linear in its length.

A unit with many change points (a brand's 10,000 valuations) cannot be folded from scratch at each of
them: that costs the square of its length. Instead its members (as the reference fold fixed them)
are folded over dates once, change by change (domain/date_fold.py, through `items_over_dates`), into
each item's values over announced dates; the stored rows known at the instant must give the same
values (adjacent intervals with equal values count as one). The first date where they differ is
returned, to be named with the from-scratch fold's reason.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from typing import Any

from stratlog.application.projection import item_intervals
from stratlog.domain.history import Entry
Intervals = list[tuple[str, str, str]]  # (valid_from, valid_to, the value as canonical JSON), by valid_from


def canonical(value: Any) -> str:
    """A value as JSON text that does not depend on key order or on tuples against lists."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def folded_items(group: str, members: list[Entry]) -> dict[str, Intervals]:
    """Each item of the unit with its values over announced dates, from its fold over dates."""
    found: dict[str, Intervals] = defaultdict(list)
    for key, start, end, value in item_intervals(group, members, canonical):
        found[key].append((start, end, value))
    return found


def stored_items(rows: list[tuple], item: int, valid_from: int, valid_to: int, parsed: int) -> dict[str, Intervals]:
    """The stored rows (tuples; the given indexes of their item, dates and parsed data) as item intervals."""
    found: dict[str, Intervals] = defaultdict(list)
    for row in rows:
        found[row[item]].append((row[valid_from], row[valid_to], canonical(row[parsed])))
    for intervals in found.values():
        intervals.sort()
    return found


def first_difference(expected: dict[str, Intervals], stored: dict[str, Intervals]) -> date | None:
    """The earliest as-of date at which some item's stored value differs from the fold's (overlapping
    stored rows of one item differ), None when every item agrees at every date."""
    earliest: str | None = None
    for key in expected.keys() | stored.keys():
        want, have = _merged(expected.get(key, [])), _merged(stored.get(key, []))
        if want == have:
            continue
        at = _first_apart(want, have)
        earliest = at if earliest is None or at < earliest else earliest
    return None if earliest is None else date.fromisoformat(earliest)


def _merged(intervals: Intervals) -> Intervals:
    """Adjacent intervals with the same value as one (overlapping ones left as they are)."""
    merged: Intervals = []
    for start, end, value in intervals:
        if merged and merged[-1][1] == start and merged[-1][2] == value:
            merged[-1] = (merged[-1][0], end, value)
        else:
            merged.append((start, end, value))
    return merged


def _first_apart(want: Intervals, have: Intervals) -> str:
    """The first date at which two lists of merged intervals (sorted, the fold's never overlapping) give
    different values: where the first interval that is not the same on both sides starts or ends first."""
    for mine, theirs in zip(want, have):
        if mine == theirs:
            continue
        if mine[0] != theirs[0] or mine[2] != theirs[2]:
            return min(mine[0], theirs[0])
        return min(mine[1], theirs[1])
    longer = want if len(want) > len(have) else have
    return longer[min(len(want), len(have))][0]

"""Group views put back together from their items (a target, an audit row, an actual…).

Folders (domain/folders.py) answer with items; the read model stores each valid over its own
dates, so a change rewrites only what changed; queries regroup the items valid at a date into the
group views the answers are built from.
"""

from __future__ import annotations

from typing import Iterable

LISTS = {"targets": (("targets", "identity", "t:"), ("audit", "statement_id", "a:")),
         "actuals": (("actuals", "period", "p:"),), "valuations": (("valuations", "valued_on", "v:"),)}


def regroup(items: Iterable[tuple[str, dict]]) -> list[dict]:
    """Group views from (group key, item) pairs; list items carry their group's header and place."""
    views: dict[str, dict] = {}
    for group, item in items:
        if "_list" not in item:
            views[group] = item
            continue
        view = views.get(group)
        if view is None:
            view = views[group] = {**item["_group"], **{name: [] for name, _, _ in LISTS[item["_group"]["type"]]}}
        view[item["_list"]].append(item)
    for view in views.values():
        for name, field, _ in LISTS.get(view["type"], ()):
            # Items of one place (two actuals of the same span written differently, `2024` and
            # `2024-01..2024-12`) keep the order of their key, not the order they were stored in.
            view[name] = [_plain(i) for i in sorted(view[name], key=lambda i: (i["_seq"], str(i.get(field))))]
    return list(views.values())


def _plain(item: dict) -> dict:
    """A copy of a list item without the keys that placed it (the item itself may be a folder's: kept as it is)."""
    plain = item.copy()
    for key in _PLACING:
        plain.pop(key, None)
    return plain


_PLACING = ("_group", "_list", "_seq")

"""A group view split into items (a target, an audit row, an actual…) and put back together.

The read model stores items, each valid over its own dates, so a change rewrites only what
changed; queries regroup the items valid at a date into the group views the answers are built from.
"""

from __future__ import annotations

from typing import Iterable

LISTS = {"targets": (("targets", "identity", "t:"), ("audit", "statement_id", "a:")),
         "actuals": (("actuals", "period", "p:"),), "valuations": (("valuations", "valued_on", "v:"),)}


def explode(view: dict) -> dict[str, dict]:
    """Items of a group view, keyed; list items remember their place and their group's header."""
    kind = view["type"]
    if kind not in LISTS:
        return {"s": view}
    header = {k: v for k, v in view.items() if k not in {name for name, _, _ in LISTS[kind]}}
    items = {}
    for name, key_field, prefix in LISTS[kind]:
        for seq, row in enumerate(view[name]):
            items[f"{prefix}{row[key_field]}"] = {"_group": header, "_list": name, "_seq": seq, **row}
    return items


def regroup(items: Iterable[tuple[str, dict]]) -> list[dict]:
    """Group views from (group key, item) pairs: the inverse of explode."""
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
        for name, _, _ in LISTS.get(view["type"], ()):
            view[name] = [_plain(i) for i in sorted(view[name], key=lambda i: i["_seq"])]
    return list(views.values())


def _plain(item: dict) -> dict:
    return {k: v for k, v in item.items() if k not in ("_group", "_list", "_seq")}

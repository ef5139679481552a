"""How the read model's rows are stored: dates as day numbers, instants as microseconds, the stated
fields of an item joined from the statements table instead of repeated in its JSON.

The fold (application/projection.py) speaks fixed-width texts ("2024-01-31", "2024-01-31T09:15:00.000000Z")
and canonical JSON; these functions turn them into the compact, order-keeping integers and the
shortened JSON the tables hold, and back, so every answer reads exactly as the fold wrote it.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Callable, Iterable

# The fields folders.stated() gives an item: when and where its subject was last stated. When every one
# of them is what the statements table says of `statement_id`, the item keeps only that statement's
# log position (column `stated`) and the reader restores them.
STATED = ("announced_on", "publisher", "recorded_at", "source", "source_url", "statement_id")
FIXED = ("_group", "_list")  # keys of a list item whose values are its group's: kept once, in its shape
_DAY_SECONDS = 86_400
_MICRO = 1_000_000


def day_number(text: str) -> int:
    """A valid date's text ("2024-01-31") as its proleptic ordinal (0001-01-01 is 1); sorts like the date."""
    return date.fromisoformat(text).toordinal()


def day_text(number: int) -> str:
    """The date text of a day number (inverse of day_number)."""
    return date.fromordinal(number).isoformat()


def instant_number(text: str) -> int:
    """A known instant's fixed-width text ("2024-01-31T09:15:00.000000Z") as microseconds since
    0001-01-01T00:00:00Z; sorts like the instant, and 9999-12-31T23:59:59.999999Z fits in 63 bits."""
    days = date(int(text[0:4]), int(text[5:7]), int(text[8:10])).toordinal()
    seconds = int(text[11:13]) * 3600 + int(text[14:16]) * 60 + int(text[17:19])
    return (days * _DAY_SECONDS + seconds) * _MICRO + int(text[20:26])


def instant_from_number(number: int) -> str:
    """The fixed-width instant text of a microsecond number (inverse of instant_number)."""
    seconds, micro = divmod(number, _MICRO)
    days, seconds = divmod(seconds, _DAY_SECONDS)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    return f"{date.fromordinal(days).isoformat()}T{hours:02d}:{minutes:02d}:{seconds:02d}.{micro:06d}Z"


def stated_values(statement_id: str, announced_on: str | None, recorded_at: str,
                  source: str | None, source_url: str | None, publisher: str | None) -> dict[str, Any]:
    """The stated fields as the statements table restores them (the columns of rm_statements and rm_sources)."""
    return {"announced_on": announced_on, "publisher": publisher, "recorded_at": recorded_at,
            "source": source, "source_url": source_url, "statement_id": statement_id}


def packed(data: str, statements: dict[str, tuple[int, dict]], shape_id: Callable[[str], int]) -> tuple[int | None, str]:
    """(stated position, stored JSON) of an item's canonical JSON text.

    `statements` maps a statement id to (log position, stated_values of it). When the item's stated
    fields are exactly those of its statement they are left out and the position is kept; otherwise
    (a corrected statement, an item without them) they stay and the position is None. The rest is
    stored as a JSON array: the id of its shape in rm_shapes (`shape_id` of the shape's JSON text: its
    keys, and the values of its FIXED keys, the same for every item of a group), then the values of
    the other keys in key order.
    """
    item = json.loads(data)
    if not isinstance(item, dict):
        return None, data
    known = statements.get(item.get("statement_id"))
    position = None
    if known is not None and all(item.get(k, _ABSENT) == v for k, v in known[1].items()):
        position = known[0]
        for key in STATED:
            del item[key]
    fixed = {key: item.pop(key) for key in FIXED if key in item}
    return position, _text([shape_id(_text({"fixed": fixed, "keys": list(item)})), *item.values()])


def unpacked(data: str, stated: dict[str, Any] | None, shape_of: Callable[[int], tuple[list, dict]]) -> dict:
    """The item as the fold wrote it, keys sorted: the stored values under their shape's keys
    (`shape_of` a shape id: its keys and fixed values), with its statement's stated fields put back."""
    values = json.loads(data)
    if not isinstance(values, list):
        return values
    keys, fixed = shape_of(values[0])
    item = dict(zip(keys, values[1:]))
    if stated is None and not fixed:
        return item
    item.update(fixed)
    if stated is not None:
        item.update(stated)
    return dict(sorted(item.items()))


def canonical(data: str, stated: dict[str, Any] | None, shape_of: Callable[[int], tuple[list, dict]]) -> str:
    """The fold's canonical JSON text of a stored item (what ItemRow.data holds)."""
    return _text(unpacked(data, stated, shape_of))


def item_values(unit: int, rows: Iterable, statements: dict[str, tuple[int, dict]], conn: Any) -> list[tuple]:
    """INSERT values (ITEM_COLUMNS order) of a unit's ItemRows; new key sets are added to rm_shapes."""
    shapes: dict[str, int] = {}

    def shape_id(keys: str) -> int:
        if keys not in shapes:
            found = conn.execute("SELECT id FROM rm_shapes WHERE keys=?", (keys,)).fetchone()
            shapes[keys] = found[0] if found else conn.execute(
                "INSERT INTO rm_shapes (keys) VALUES (?)", (keys,)).lastrowid
        return shapes[keys]

    values = []
    for r in rows:
        position, data = packed(r.data, statements, shape_id)
        values.append((unit, r.item, day_number(r.valid_from), day_number(r.valid_to),
                       instant_number(r.known_from), instant_number(r.known_to), position, data))
    return values


class ShapeKeys:
    """(keys, fixed values) of rm_shapes by id, read once per connection (a shape is never changed or reused)."""

    def __init__(self, conn: Any):
        self.conn, self.keys = conn, {}

    def __call__(self, shape: int) -> list[str]:
        found = self.keys.get(shape)
        if found is None:
            self.keys = {i: _shape(k) for i, k in self.conn.execute("SELECT id, keys FROM rm_shapes")}
            found = self.keys[shape]
        return found

    def forget(self) -> None:
        """Read the shapes afresh on next use (after a rolled-back transaction that may have added some)."""
        self.keys = {}


def _shape(text: str) -> tuple[list[str], dict]:
    shape = json.loads(text)
    return shape["keys"], shape["fixed"]


class _Absent:
    """A value no JSON field holds: a stated field missing from an item never matches its statement."""


_ABSENT = _Absent()


def _text(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


ITEM_COLUMNS = "unit, item, valid_from, valid_to, known_from, known_to, stated, data"
INSERT_ITEMS = f"INSERT INTO rm_items ({ITEM_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)"
# The stated fields of a row's statement, joined (NULLs when the row keeps them in its own JSON).
STATED_JOIN = ("LEFT JOIN rm_statements st ON st.position = i.stated "
               "LEFT JOIN rm_sources so ON so.id = st.source_id")
STATED_SELECT = "st.statement_id, st.announced_on, st.recorded_at, so.label, so.url, so.publisher"


def joined(statement_id: str | None, announced_on, recorded_at, label, url, publisher) -> dict | None:
    """The stated fields of a row from its STATED_SELECT columns (None: the row keeps its own)."""
    if statement_id is None:
        return None
    return stated_values(statement_id, announced_on, recorded_at, label, url, publisher)

"""How the read model's rows are stored: dates as day numbers, instants as microseconds, the stated
fields of an item joined from the statements table instead of repeated in its JSON.

The fold (application/projection.py) speaks fixed-width texts ("2024-01-31", "2024-01-31T09:15:00.000000Z")
and canonical JSON; these functions turn them into the compact, order-keeping integers and the
shortened JSON the tables hold, and back, so every answer reads exactly as the fold wrote it.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from typing import Any, Callable, Iterable

from stratlog.domain.jsonvalues import item_text
from stratlog.infrastructure.statement_keys import id_text

# The fields folders.stated() gives an item: when and where its subject was last stated. When every one
# of them is what the statements table says of `statement_id`, the item keeps only that statement's
# log position (column `stated`) and the reader restores them.
STATED = ("announced_on", "publisher", "recorded_at", "source", "source_url", "statement_id")
FIXED = ("_group", "_list")  # keys of a list item whose values are its group's: kept once, in its shape
# A key whose value an item of a list repeats from its item key ("t:<identity>"): when the value is the
# item key after its first ':', it is left out and its shape names it (shape "item_key"), to read it back.
FROM_ITEM_KEY = "identity"
_DAY_SECONDS = 86_400
_MICRO = 1_000_000


@lru_cache(maxsize=8192)  # a unit's rows share a few dates and instants
def day_number(text: str) -> int:
    """A valid date's text ("2024-01-31") as its proleptic ordinal (0001-01-01 is 1); sorts like the date."""
    return date.fromisoformat(text).toordinal()


def day_text(number: int) -> str:
    """The date text of a day number (inverse of day_number)."""
    return date.fromordinal(number).isoformat()


@lru_cache(maxsize=8192)
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


def packed(data: str, statements: dict[str, tuple[int, dict]],
           shape_id: Callable[..., int], item: Any = None, item_key: str | None = None) -> tuple[int | None, str]:
    """(stated position, stored JSON) of an item's canonical JSON text.

    `statements` maps a statement id to (log position, stated_values of it). When the item's stated
    fields are exactly those of its statement they are left out and the position is kept; otherwise
    (a corrected statement, an item without them) they stay and the position is None. The rest is
    stored as a JSON array: the id of its shape in rm_shapes (`shape_id` of the item without its FIXED
    keys, and of their values, the same for every item of a group), then the values of the other keys
    in key order.

    `item`: the value `data` was written from (data == item_text(item)), when the fold hands it over;
    it is then packed as it is, never parsed from the text again, into the same stored text.
    `item_key`: the row's item key; a FROM_ITEM_KEY value that only repeats it is left out (its shape says so).
    """
    if item is None:
        item, encoder = json.loads(data), _VALUES
    else:
        encoder = _SORTED_VALUES
    if not isinstance(item, dict):
        return None, data
    item = {key: item[key] for key in sorted(item)}  # a copy in key order (read-back JSON is in it already)
    known = statements.get(item.get("statement_id"))
    position = None
    if known is not None and all(item.get(k, _ABSENT) == v for k, v in known[1].items()):
        position = known[0]
        for key in STATED:
            del item[key]
    fixed = {name: item.pop(name) for name in FIXED if name in item}
    if item_key is not None and ":" in item_key and item.get(FROM_ITEM_KEY, _ABSENT) == item_key.partition(":")[2]:
        del item[FROM_ITEM_KEY]
        return position, encoder.encode([shape_id(item, fixed, FROM_ITEM_KEY), *item.values()])
    return position, encoder.encode([shape_id(item, fixed), *item.values()])


_read_json = json.JSONDecoder().raw_decode  # stored texts are our own compact JSON: no whitespace to skip


def unpacked(data: str, stated: tuple | None, shape_of: Callable[[int], Shape], key: str | None = None) -> dict:
    """The item as the fold wrote it, keys sorted: the stored values under their shape's keys
    (`shape_of` a shape id), with its statement's stated fields (values in STATED order) put back,
    and the value its item `key` stands for when its shape left it out."""
    values = _read_json(data)[0]
    if type(values) is not list:
        return values
    shape = shape_of(values[0])
    given = shape.fixed_values if shape.item_key is None else [*shape.fixed_values, key.partition(":")[2]]
    if stated is None:
        order, pick = shape.plain
        values = values + given
    else:
        order, pick = shape.stated
        values = values + given + list(stated)
    return dict(zip(order, map(values.__getitem__, pick)))


class Shape:
    """A stored key set: `keys` whose values an item stores in order (after the shape id), `fixed`
    values the same for every item of it, `item_key` the key whose value is its item key's (or None);
    `plain` and `stated` are (sorted keys, where each key's value is in [shape id, *values, *fixed
    values, item key's value if any, *stated values]) without and with the stated fields."""

    def __init__(self, text: str):
        shape = json.loads(text)
        self.keys, fixed, self.item_key = shape["keys"], shape["fixed"], shape.get("item_key")
        self.fixed_values = list(fixed.values())
        from_key = [self.item_key] if self.item_key is not None else []
        places = {key: number for number, key in enumerate([None, *self.keys, *fixed, *from_key]) if number}
        self.plain = self._plan(places)
        self.stated = self._plan({**places, **{k: len(places) + 1 + n for n, k in enumerate(STATED)}})

    @staticmethod
    def _plan(places: dict[str, int]) -> tuple[list[str], list[int]]:
        order = sorted(places)
        return order, [places[key] for key in order]


def canonical(data: str, stated: tuple | None, shape_of: Callable[[int], Shape], key: str | None = None) -> str:
    """The fold's canonical JSON text of a stored item (what ItemRow.data holds); `key` its item key."""
    return item_text(unpacked(data, stated, shape_of, key))


def unit_id(conn: Any, subject: str, group: str, brand: str, kind: str, newest: str) -> int:
    """The unit id of a subject's group (its rm_groups row, written or updated), kept when it is folded again;
    `newest`, the latest recorded_at of its statements, is kept as microseconds (see latest_known)."""
    return conn.execute(
        "INSERT INTO rm_groups (subject, grp, brand, kind, latest_known) "
        "VALUES ((SELECT id FROM rm_subjects WHERE subject_id=?),?,?,?,?) ON CONFLICT (subject, grp) DO UPDATE SET brand=excluded.brand, kind=excluded.kind, "
        "latest_known=excluded.latest_known RETURNING unit",
        (subject, group, brand, kind, instant_number(newest) if newest else newest)).fetchone()[0]


def latest_known(stored: int | str | None) -> str | None:
    """The instant text of a group's stored latest_known (microseconds; an empty text or NULL as they are)."""
    return instant_from_number(stored) if type(stored) is int else stored


def item_values(unit: int, rows: Iterable, statements: dict[str, tuple[int, dict]], conn: Any,
                made_from: dict[str, Any] | None = None, shapes: dict[tuple, int] | None = None) -> list[tuple]:
    """INSERT values (ITEM_COLUMNS order) of a unit's ItemRows; new key sets are added to rm_shapes.
    `made_from`: data text -> the item the fold wrote it from (see projection.item_rows), packed without
    parsing the text again; a row whose text is not among them is parsed. `shapes`: the shape ids this
    command found or added already (kept by the caller for the whole command)."""
    shapes = {} if shapes is None else shapes
    made_from = made_from or {}

    def shape_id(item: dict, fixed: dict, item_key: str | None = None) -> int:
        known = (tuple(item), item_text(fixed) if fixed else "", item_key)  # as JSON: a tuple and a list are the same
        if known not in shapes:
            keys = shape_text(item, fixed, item_key)
            found = conn.execute("SELECT id FROM rm_shapes WHERE keys=?", (keys,)).fetchone()
            shapes[known] = found[0] if found else conn.execute(
                "INSERT INTO rm_shapes (keys) VALUES (?)", (keys,)).lastrowid
        return shapes[known]

    values = []
    for r in rows:
        position, data = packed(r.data, statements, shape_id, made_from.get(r.data), r.item)
        values.append((unit, r.item, day_number(r.valid_from), day_number(r.valid_to),
                       instant_number(r.known_from), instant_number(r.known_to), position, data))
    return values


class ShapeKeys:
    """The Shapes of rm_shapes by id, read once per connection (a shape is never changed or reused)."""

    def __init__(self, conn: Any):
        self.conn, self.keys = conn, {}

    def __call__(self, shape: int) -> Shape:
        found = self.keys.get(shape)
        if found is None:
            self.keys = {i: Shape(k) for i, k in self.conn.execute("SELECT id, keys FROM rm_shapes")}
            found = self.keys[shape]
        return found

    def forget(self) -> None:
        """Read the shapes afresh on next use (after a rolled-back transaction that may have added some)."""
        self.keys = {}


class _Absent:
    """A value no JSON field holds: a stated field missing from an item never matches its statement."""


_ABSENT = _Absent()


def shape_text(item: dict, fixed: dict, item_key: str | None = None) -> str:
    """The JSON text that stands for a shape in rm_shapes: the keys of `item`, the `fixed` values and
    the key whose value is the item key's, when there is one."""
    if item_key is None:
        return item_text({"fixed": fixed, "keys": list(item)})
    return item_text({"fixed": fixed, "item_key": item_key, "keys": list(item)})


# Values read back from canonical JSON keep its sorted keys: encoding them again needs no sorting. The
# fold's own values are encoded with sorted keys, as item_text wrote them: the same text either way.
_VALUES = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_SORTED_VALUES = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


ITEM_COLUMNS = "unit, item, valid_from, valid_to, known_from, known_to, stated, data"
INSERT_ITEMS = f"INSERT INTO rm_items ({ITEM_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)"
DELETE_OPEN_ROW = ("DELETE FROM rm_items WHERE unit=? AND known_to=? AND item=? AND valid_from=? AND valid_to=? "
                   "AND known_from=?")


def open_row_key(unit: int, row: Any) -> tuple:
    """DELETE_OPEN_ROW's values for an ItemRow of `unit` still known now (texts as the fold writes them):
    a unit's open rows of one item never share their valid and known starts."""
    return (unit, instant_number(row.known_to), row.item, day_number(row.valid_from), day_number(row.valid_to),
            instant_number(row.known_from))


class StatedFields:
    """The stated fields of statements by log position, read from rm_statements and rm_sources and kept
    (a position always names the same statement, so what was read stays true; at most LIMIT kept)."""

    LIMIT = 100_000

    def __init__(self, conn: Any):
        self.conn, self.known = conn, {}

    def of(self, positions: Iterable[int | None]) -> dict[int, tuple]:
        """position -> stated field values (STATED order), for every position given (None ones skipped)."""
        known = self.known  # asked of each position: `set - known.keys()` would copy every key kept, each query
        missing = sorted({p for p in positions if p is not None and p not in known})
        if len(self.known) + len(missing) > self.LIMIT:
            self.known = {}
        for start in range(0, len(missing), 500):
            batch = missing[start:start + 500]
            for row in self.conn.execute(  # the columns of each STATED field, in its order
                    "SELECT st.position, st.announced_on, so.publisher, st.recorded_at, so.label, so.url, "
                    "st.statement_id FROM rm_statements st LEFT JOIN rm_sources so ON so.id = st.source_id "
                    f"WHERE st.position IN ({','.join('?' * len(batch))})", batch):
                self.known[row[0]] = (row[1], row[2], instant_from_number(row[3]), row[4], row[5],
                                      id_text(row[6]))  # recorded_at: µs, statement id: 16 bytes
        return self.known

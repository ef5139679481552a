"""How the read model's rows are stored: dates as day numbers, instants as microseconds, the stated
fields of an item joined from the statements table instead of repeated in its JSON.

The fold (application/projection.py) speaks fixed-width texts ("2024-01-31", "2024-01-31T09:15:00.000000Z")
and canonical JSON; these functions turn them into the compact, order-keeping integers and the
shortened JSON the tables hold, and back, so every answer reads exactly as the fold wrote it.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Iterable

# The fields folders.stated() gives an item: when and where its subject was last stated. When every one
# of them is what the statements table says of `statement_id`, the item keeps only that statement's
# log position (column `stated`) and the reader restores them.
STATED = ("announced_on", "publisher", "recorded_at", "source", "source_url", "statement_id")
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


def packed(data: str, statements: dict[str, tuple[int, dict]]) -> tuple[int | None, str]:
    """(stated position, stored JSON) of an item's canonical JSON text.

    `statements` maps a statement id to (log position, stated_values of it). When the item's stated
    fields are exactly those of its statement they are left out and the position is kept; otherwise
    (a corrected statement, an item without them) the JSON is stored whole and the position is None.
    """
    item = json.loads(data)
    known = statements.get(item.get("statement_id")) if isinstance(item, dict) else None
    if known is None or any(item.get(k, _ABSENT) != v for k, v in known[1].items()):
        return None, data
    for key in STATED:
        del item[key]
    return known[0], _text(item)


def unpacked(data: str, stated: dict[str, Any] | None) -> dict:
    """The item as the fold wrote it: stored JSON with its statement's stated fields put back (keys sorted)."""
    item = json.loads(data)
    if stated is None:
        return item
    item.update(stated)
    return dict(sorted(item.items()))


def canonical(data: str, stated: dict[str, Any] | None) -> str:
    """The fold's canonical JSON text of a stored item (what ItemRow.data holds)."""
    return data if stated is None else _text(unpacked(data, stated))


def item_values(unit: int, rows: Iterable, statements: dict[str, tuple[int, dict]]) -> list[tuple]:
    """INSERT values (ITEM_COLUMNS order) of a unit's ItemRows."""
    values = []
    for r in rows:
        position, data = packed(r.data, statements)
        values.append((unit, r.item, day_number(r.valid_from), day_number(r.valid_to),
                       instant_number(r.known_from), instant_number(r.known_to), position, data))
    return values


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

"""Catching a last-word unit up from the statements a new instant appends (application/last_word.py):
only the new statements are read and only the rows of the items they name are written."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Callable

from stratlog.application.last_word import appended_rows, appends
from stratlog.application.projection import OPEN_DATE, OPEN_INSTANT, ItemRow
from stratlog.domain.dates import PartialDate, instant_text
from stratlog.domain.fixes import FIX_KINDS
from stratlog.domain.groups import last_word
from stratlog.infrastructure.compact_schema import SUBJECT_NUMBER
from stratlog.infrastructure.item_codec import (DELETE_OPEN_ROW, INSERT_ITEMS, day_number, instant_from_number, latest_known,
                                                instant_number, item_values, open_row_key, unit_id)
from stratlog.infrastructure.statement_keys import kind_name
from stratlog.infrastructure.statement_rows import stated_by_id


def _latest(announced: list[str | None]) -> tuple[date, date] | None:
    """The latest announced start and end among members (None: one has no announced date)."""
    texts = set(announced)
    if not all(texts):
        return None
    bounds = [(parsed.start, parsed.end) for parsed in map(PartialDate.parse, texts)]
    return max(start for start, _ in bounds), max(end for _, end in bounds)


def caught_up_by_appending(store: Any, subject: str, group: str, brand: str,
                           logged_of: Callable[[list[int]], list[Any]]) -> bool:
    """Catch the unit up if what was recorded since its rows were made only appends to it; False when the
    unit must be folded again (not a last-word unit, a fix, new statements that sort earlier, …).

    `store` is the read model (its connection and `stored_rows`); `logged_of(versions)` the subject's
    logged events of those versions."""
    conn = store.conn
    row = conn.execute(f"SELECT unit, latest_known FROM rm_groups WHERE subject={SUBJECT_NUMBER} AND grp=?",
                       (subject, group)).fetchone()
    plain, headed = last_word(group)
    if not plain or row is None:
        return False
    unit, latest = row[0], latest_known(row[1])
    header = None
    if headed:  # the header every item carries, as the unit's first statement (still first) made it
        found = store.stored_rows("i.unit=? AND i.known_to=? AND i.valid_to=? LIMIT 1",
                                  (unit, instant_number(OPEN_INSTANT), day_number(OPEN_DATE)))
        header = json.loads(found[0][5]).get("_group") if found else None
        if header is None:
            return False
    members = [(version, kind_name(kind), announced, instant_from_number(at))  # kind: stored as its number
               for version, kind, announced, at in conn.execute(
        "SELECT s.version, s.kind, s.announced_on, s.recorded_at FROM rm_members m JOIN rm_statements s "
        f"ON s.subject = m.subject AND s.version = m.version WHERE m.subject={SUBJECT_NUMBER} AND m.grp=?",
        (subject, group))]
    if any(kind in FIX_KINDS for _, kind, _, _ in members):
        return False
    old = [announced for _, _, announced, at in members if at <= latest]
    new_versions = sorted(version for version, _, _, at in members if at > latest)
    instants = {at for _, _, _, at in members if at > latest}
    if len(instants) != 1:
        return False
    try:
        bounds = _latest(old) if old else (None, None)
    except ValueError:
        return False
    logged = logged_of(new_versions)
    new = [e.event.entry() for e in logged]
    if bounds is None or len(new) != len(new_versions) or not appends(new, *bounds):
        return False
    known_at = instant_text(new[0].recorded_at)
    if known_at != next(iter(instants)):
        return False
    ended, added = appended_rows(new, known_at, lambda item: _open_dated(store, unit, item), header)
    conn.executemany(DELETE_OPEN_ROW, [open_row_key(unit, r) for r in ended])
    unit_id(conn, subject, group, brand, group.split(":", 1)[0], known_at)
    conn.executemany(INSERT_ITEMS, item_values(unit, added, stated_by_id(conn, logged), conn))
    return True


def _open_dated(store: Any, unit: int, item: str) -> ItemRow | None:
    found = store.stored_rows("i.unit=? AND i.known_to=? AND i.item=? AND i.valid_to=?",
                              (unit, instant_number(OPEN_INSTANT), item, day_number(OPEN_DATE)))
    return ItemRow(*found[0]) if found else None

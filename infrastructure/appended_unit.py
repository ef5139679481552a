"""Catching a last-word unit up from the statements a new instant appends (application/last_word.py):
only the new statements are read and only the rows of the items they name are written."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import Callable

from stratlog.application.last_word import appended_rows, appends
from stratlog.application.projection import OPEN_DATE, OPEN_INSTANT, ItemRow
from stratlog.domain.dates import PartialDate, instant_text
from stratlog.domain.groups import last_word
from stratlog.domain.history import Entry

FIX_KINDS = ("statement-corrected", "statement-retracted")


def _bounds(text: str) -> tuple[date, date]:
    """(start, end) of an announced date as stored: a day (most of them) read directly, the rest parsed."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit():
        day = date.fromisoformat(text)
        return day, day
    parsed = PartialDate.parse(text)
    return parsed.start, parsed.end


def _latest(announced: list[str | None]) -> tuple[date, date] | None:
    """The latest announced start and end among members (None: one has no announced date)."""
    texts = set(announced)
    if not all(texts):
        return None
    bounds = [_bounds(text) for text in texts]
    return max(start for start, _ in bounds), max(end for _, end in bounds)


def caught_up_by_appending(conn: sqlite3.Connection, subject: str, group: str, brand: str,
                           entries_of: Callable[[list[int]], list[Entry]]) -> bool:
    """Catch the unit up if what was recorded since its rows were made only appends to it; False when the
    unit must be folded again (not a last-word unit, a fix, new statements that sort earlier, …)."""
    row = conn.execute("SELECT latest_known FROM rm_groups WHERE subject_id=? AND grp=?", (subject, group)).fetchone()
    plain, headed = last_word(group)
    if not plain or row is None:
        return False
    header = None
    if headed:  # the header every item carries, as the unit's first statement (still first) made it
        data = conn.execute("SELECT data FROM rm_items WHERE subject_id=? AND grp=? AND known_to=? AND valid_to=? "
                            "LIMIT 1", (subject, group, OPEN_INSTANT, OPEN_DATE)).fetchone()
        header = json.loads(data[0]).get("_group") if data else None
        if header is None:
            return False
    latest = row[0]
    members = conn.execute(
        "SELECT s.version, s.kind, s.announced_on, s.recorded_at FROM rm_members m JOIN rm_statements s "
        "ON s.subject_id = m.subject_id AND s.version = m.version WHERE m.subject_id=? AND m.grp=?",
        (subject, group)).fetchall()
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
    new = entries_of(new_versions)
    if bounds is None or len(new) != len(new_versions) or not appends(new, *bounds):
        return False
    known_at = instant_text(new[0].recorded_at)
    if known_at != next(iter(instants)):
        return False
    ended, added = appended_rows(new, known_at, lambda item: _open_dated(conn, subject, group, item), header)
    conn.executemany("DELETE FROM rm_items WHERE subject_id=? AND grp=? AND known_to=? AND item=? AND valid_from=? "
                     "AND valid_to=? AND known_from=? AND data=?",
                     [(subject, group, OPEN_INSTANT, r.item, r.valid_from, r.valid_to, r.known_from, r.data)
                      for r in ended])
    kind = group.split(":", 1)[0]
    conn.executemany("INSERT INTO rm_items VALUES (?,?,?,?,?,?,?,?,?,?)", [
        (brand, subject, group, "audit" if r.item.startswith("a:") else kind, r.item, r.valid_from, r.valid_to,
         r.known_from, r.known_to, r.data) for r in added])
    conn.execute("INSERT OR REPLACE INTO rm_groups VALUES (?,?,?,?,?)", (subject, group, brand, kind, known_at))
    return True


def _open_dated(conn: sqlite3.Connection, subject: str, group: str, item: str) -> ItemRow | None:
    found = conn.execute("SELECT item, valid_from, valid_to, known_from, known_to, data FROM rm_items WHERE "
                         "subject_id=? AND grp=? AND known_to=? AND item=? AND valid_to=?",
                         (subject, group, OPEN_INSTANT, item, OPEN_DATE)).fetchone()
    return ItemRow(*found) if found else None

"""Fold checkpoints kept with the read model: a unit's fold after its last step, so that the catch-up after a
`record` folds only what the record adds (issue 13: a record costs O(change), not O(history)).

One row per unit of at least CHECKPOINT_FROM members in `rm_checkpoints` (a shorter unit is folded
whole: that costs less than the bytes of a checkpoint are worth): the unit id, the unit's subject (hex id) and group, its latest_known
when the checkpoint was taken, and the state. A checkpoint counts only while all of these are the unit's
own: any fold that writes the unit's rows again moves its latest_known, and a read model whose units were
renumbered (a rebuild by an older stratlog, which does not know this table) no longer matches subject and
group. The state is a zlib-compressed pickle of domain objects (date_fold.FoldCheckpoint), read back by an unpickler that
accepts only classes defined in stratlog's domain and a few plain value types, and only as a
FoldCheckpoint: a database file from elsewhere can make a checkpoint useless (it is then ignored and the
unit folded from its first entry), never run code.
"""

from __future__ import annotations

import io
import pickle
import sqlite3
import zlib
from datetime import date
from typing import Any

from stratlog.infrastructure.compact_schema import SUBJECT_NUMBER
from stratlog.infrastructure.item_codec import instant_number, latest_known

CHECKPOINT_FROM = 32  # members from which a unit keeps a checkpoint: a shorter one folds in a few milliseconds
CREATE_TABLE = ("CREATE TABLE IF NOT EXISTS rm_checkpoints (unit INTEGER PRIMARY KEY, subject_id TEXT NOT NULL, "
                "grp TEXT NOT NULL, latest_known INTEGER NOT NULL, state BLOB NOT NULL)")
_PLAIN = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "timezone"), ("datetime", "timedelta"),
          ("decimal", "Decimal"), ("uuid", "UUID"), ("builtins", "set"), ("builtins", "frozenset"),
          ("pydantic_core._pydantic_core", "TzInfo")}


class _DomainUnpickler(pickle.Unpickler):
    """Loads instances of stratlog's domain classes and plain values; anything else (a function, a class
    from elsewhere, a dotted name reaching into a module's imports) is refused with UnpicklingError."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _PLAIN:
            return super().find_class(module, name)
        if module.startswith("stratlog.domain.") and name.isidentifier() and not name.startswith("_"):
            found = super().find_class(module, name)
            if isinstance(found, type) and found.__module__ == module:  # a class defined there, not imported
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a fold state")


def save_checkpoint(conn: sqlite3.Connection, unit: int, subject: str, group: str, latest: str,
                    checkpoint: Any | None) -> None:
    """Keep `checkpoint` (a date_fold.FoldCheckpoint, or None: forget the unit's) of the unit `unit` (the
    group `group` of the subject with hex id `subject`) as of the instant text `latest`."""
    try:
        state = None if checkpoint is None else zlib.compress(pickle.dumps(checkpoint, protocol=pickle.HIGHEST_PROTOCOL))
    except (pickle.PicklingError, TypeError, AttributeError):
        state = None
    if state is None:
        conn.execute("DELETE FROM rm_checkpoints WHERE unit=?", (unit,))
        return
    conn.execute("INSERT OR REPLACE INTO rm_checkpoints (unit, subject_id, grp, latest_known, state) "
                 "VALUES (?, ?, ?, ?, ?)", (unit, subject, group, instant_number(latest), state))


def unit_checkpoint(conn: sqlite3.Connection, subject: str, group: str) -> Any | None:
    """The checkpoint of the subject's (hex id) unit `group` that counts: taken for that very unit at its
    latest_known. None when there is none, it is another's or older, or it does not load as a fold state
    (then it is only ignored: the unit is folded from its first entry)."""
    row = conn.execute(f"SELECT c.subject_id, c.grp, c.latest_known, g.latest_known, c.state FROM rm_groups g "
                       f"JOIN rm_checkpoints c ON c.unit = g.unit WHERE g.subject={SUBJECT_NUMBER} AND g.grp=?",
                       (subject, group)).fetchone()
    return _counted(row, subject, group)


def subject_checkpoints(conn: sqlite3.Connection, subject: str) -> dict[str, Any]:
    """The checkpoints that count of a subject's (hex id) units, by group."""
    rows = conn.execute(f"SELECT c.subject_id, c.grp, c.latest_known, g.latest_known, c.state, g.grp FROM rm_groups g "
                        f"JOIN rm_checkpoints c ON c.unit = g.unit WHERE g.subject={SUBJECT_NUMBER}", (subject,))
    found = {row[5]: _counted(row[:5], subject, row[5]) for row in rows.fetchall()}
    return {group: checkpoint for group, checkpoint in found.items() if checkpoint is not None}


def _counted(row: tuple | None, subject: str, group: str) -> Any | None:
    if row is None or row[:2] != (subject, group) or row[3] is None or row[2] != instant_number(latest_known(row[3])):
        return None
    return _loaded(row[4])


def _loaded(state: bytes) -> Any | None:
    from stratlog.domain.date_fold import FoldCheckpoint
    try:
        found = _DomainUnpickler(io.BytesIO(zlib.decompress(state))).load()
    except Exception:  # a damaged or foreign state: folding from the first entry is always right
        return None
    if not (isinstance(found, FoldCheckpoint) and isinstance(found.last_step, date) and isinstance(found.shown, dict)
            and isinstance(found.shown_retracted, dict) and isinstance(found.last_key, tuple) and len(found.last_key) == 2
            and isinstance(found.last_key[0], date) and isinstance(found.last_key[1], int)
            and callable(getattr(found.folder, "apply", None)) and callable(getattr(found.folder, "checkpoint", None))):
        return None
    return found

"""Fold checkpoints kept with the read model: a unit's fold after its last step, so that the catch-up after a
`record` folds only what the record adds (issue 13: a record costs O(change), not O(history)).

One row per unit in `rm_checkpoints` (unit id, the unit's latest_known when it was taken, the state). A
checkpoint counts only while its latest_known is the unit's own (rm_groups.latest_known): any fold that
writes the unit's rows again moves that instant, so a checkpoint never outlives the rows it was taken
with. The state is a pickle of domain objects (date_fold.FoldCheckpoint), read back by an unpickler that
accepts stratlog's domain classes and a few plain value types only: a database file from elsewhere can
make a checkpoint useless (it is then ignored and the unit folded from its first entry), never run code.
"""

from __future__ import annotations

import io
import pickle
import sqlite3
from typing import Any

from stratlog.infrastructure.item_codec import instant_number

CREATE_TABLE = ("CREATE TABLE IF NOT EXISTS rm_checkpoints (unit INTEGER PRIMARY KEY, latest_known INTEGER NOT NULL, "
                "state BLOB NOT NULL)")
_PLAIN = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "timezone"), ("datetime", "timedelta"),
          ("decimal", "Decimal"), ("uuid", "UUID"), ("builtins", "set"), ("builtins", "frozenset"),
          ("copyreg", "_reconstructor"), ("builtins", "object"), ("pydantic_core._pydantic_core", "TzInfo")}


class _DomainUnpickler(pickle.Unpickler):
    """Loads stratlog's domain objects and plain values; any other global is refused (UnpicklingError)."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _PLAIN or (module.startswith("stratlog.domain.") and not name.startswith("_")):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a fold state")


def save_checkpoint(conn: sqlite3.Connection, unit: int, latest_known: str, checkpoint: Any | None) -> None:
    """Keep `checkpoint` (a date_fold.FoldCheckpoint, or None: forget the unit's) as of `latest_known`."""
    if checkpoint is None:
        conn.execute("DELETE FROM rm_checkpoints WHERE unit=?", (unit,))
        return
    try:
        state = pickle.dumps(checkpoint, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        conn.execute("DELETE FROM rm_checkpoints WHERE unit=?", (unit,))
        return
    conn.execute("INSERT OR REPLACE INTO rm_checkpoints (unit, latest_known, state) VALUES (?, ?, ?)",
                 (unit, instant_number(latest_known), state))


def load_checkpoint(conn: sqlite3.Connection, unit: int, latest_known: str) -> Any | None:
    """The unit's checkpoint taken as of `latest_known`; None when there is none, it was taken at another
    instant, or it does not load (then it is only ignored: the unit is folded from its first entry)."""
    row = conn.execute("SELECT latest_known, state FROM rm_checkpoints WHERE unit=?", (unit,)).fetchone()
    if row is None or row[0] != instant_number(latest_known):
        return None
    try:
        return _DomainUnpickler(io.BytesIO(row[1])).load()
    except Exception:  # a damaged or foreign state: folding from the first entry is always right
        return None


def subject_checkpoints(conn: sqlite3.Connection, subject_hex: str) -> dict[str, Any]:
    """The checkpoints of a subject's units that count (taken at their unit's latest_known), by group."""
    from stratlog.infrastructure.compact_schema import SUBJECT_NUMBER
    from stratlog.infrastructure.item_codec import latest_known
    found = {}
    for unit, group, latest in conn.execute(
            f"SELECT g.unit, g.grp, g.latest_known FROM rm_groups g JOIN rm_checkpoints c ON c.unit = g.unit "
            f"WHERE g.subject={SUBJECT_NUMBER}", (subject_hex,)).fetchall():
        checkpoint = load_checkpoint(conn, unit, latest_known(latest)) if latest is not None else None
        if checkpoint is not None:
            found[group] = checkpoint
    return found

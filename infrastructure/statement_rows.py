"""How a recorded statement is stored in rm_statements: keyed by its log position, its source kept once in rm_sources."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any

from stratlog.domain.dates import instant_text
from stratlog.infrastructure.compact_schema import SUBJECT_NUMBER
from stratlog.infrastructure.item_codec import instant_number, stated_values
from stratlog.infrastructure.statement_keys import id_text, kind_code, stored_id

SourceKey = tuple  # (label, url, publisher) of a statement's source
STATEMENT_COLUMNS = "position, statement_id, subject, version, kind, fixes, announced_on, recorded_at, source_id"
# The values of a row: the subject's hex id where its number goes (numbered first: add_subjects).
INSERT_STATEMENTS = (f"INSERT OR IGNORE INTO rm_statements ({STATEMENT_COLUMNS}) "
                     f"VALUES (?,?,{SUBJECT_NUMBER},?,?,?,?,?,?)")
INSERT_MEMBERS = f"INSERT OR IGNORE INTO rm_members VALUES ({SUBJECT_NUMBER},?,?)"  # (subject hex, group, version)


def add_subjects(conn: sqlite3.Connection, subjects: dict[str, tuple[str, str]]) -> None:
    """Number the subjects (hex id -> subject type, brand) that rm_subjects does not know yet."""
    conn.executemany("INSERT OR IGNORE INTO rm_subjects (subject_id, subject_type, brand) VALUES (?,?,?)",
                     [(s, *known) for s, known in subjects.items()])


def member_groups(conn: sqlite3.Connection, subject: str, version: int) -> list[str]:
    """The fold units (rm_members groups) the statement at `version` of a subject (hex id) belongs to."""
    return [group for (group,) in conn.execute(
        f"SELECT grp FROM rm_members WHERE subject={SUBJECT_NUMBER} AND version=?", (subject, version))]


def stated_columns(logged: Any) -> tuple[str | None, str, SourceKey | None]:
    """(announced_on, recorded_at, source key) of a logged statement, as the fold states them (folders.stated)."""
    statement = logged.event.statement
    announced_on = str(getattr(statement, "announced_on", None) or "") or None
    found = getattr(statement, "source", None)
    source = (found.label(), found.url, found.publisher) if found else None
    return announced_on, instant_text(logged.event.recorded_at), source


def stated_by_id(conn: sqlite3.Connection, logged: list[Any]) -> dict[str, tuple[int, dict]]:
    """statement id -> (log position, stated fields as rm_statements restores them) of logged statements.

    An event read by subject does not know its position (0): it is taken from rm_statements, where
    every folded statement was stored first.
    """
    unplaced = [e.event.statement_id for e in logged if not e.position]
    placed = {}
    for start in range(0, len(unplaced), 500):
        batch = unplaced[start:start + 500]
        placed.update((id_text(sid), position) for sid, position in conn.execute(
            f"SELECT statement_id, position FROM rm_statements WHERE statement_id IN ({','.join('?' * len(batch))})",
            [stored_id(s) for s in batch]))
    found = {}
    for event in logged:
        position = event.position or placed.get(event.event.statement_id)
        if not position:
            continue
        announced_on, recorded_at, source = stated_columns(event)
        label, url, publisher = source or (None, None, None)
        found[event.event.statement_id] = (position, stated_values(
            event.event.statement_id, announced_on, recorded_at, label, url, publisher))
    return found


def statement_values(conn: sqlite3.Connection, rows: list[tuple], ids: dict[SourceKey, int] | None = None) -> list[tuple]:
    """INSERT values (STATEMENT_COLUMNS order) of rows whose last field is a source key: that key
    becomes the id of its rm_sources row, added when the source is new; recorded_at (a text) its
    microseconds (item_codec.instant_number); the statement id and the id it fixes their 16 bytes, the kind its
    number (statement_keys). `ids`: source key -> id, the sources this command has
    written or found already (kept by the caller for the whole command)."""
    ids = {} if ids is None else ids
    source_ids(conn, [row[-1] for row in rows if row[-1] is not None], ids)
    return [(row[0], stored_id(row[1]), row[2], row[3], kind_code(row[4]), stored_id(row[5]), row[6],
             instant_number(row[7]), ids[row[-1]] if row[-1] is not None else None) for row in rows]


def source_ids(conn: sqlite3.Connection, keys: list[SourceKey], ids: dict[SourceKey, int]) -> None:
    """Put the rm_sources id of every key in `ids` (a row added when the source is new): the new keys in
    one INSERT per batch, in the order given (so they are numbered as one INSERT each would number them)."""
    if len(ids) > KEPT_SOURCES:
        ids.clear()  # a long command forgets the oldest ones: memory stays bounded
    new = [key for key in dict.fromkeys(keys) if key not in ids]
    for start in range(0, len(new), _BATCH):
        batch, digests = [], {}
        for key in new[start:start + _BATCH]:
            digest = _digest(key)
            if digest not in digests:  # a second key of the same digest is added on its own, after
                digests[digest] = key
                batch.append((digest, *key))
        if batch:
            added = dict(conn.execute(
                f"INSERT INTO rm_sources (digest, label, url, publisher) VALUES {','.join(['(?,?,?,?)'] * len(batch))} "
                "ON CONFLICT (digest) DO NOTHING RETURNING digest, id", [v for row in batch for v in row]).fetchall())
            ids.update((digests[digest], number) for digest, number in added.items())
        for key in new[start:start + _BATCH]:
            if key not in ids:  # stored before, or sharing its digest with another source
                ids[key] = _source_id(conn, key)


KEPT_SOURCES = 10_000  # source ids a command keeps (a source is usually cited by statements close together)
_BATCH = 200  # sources per INSERT (4 parameters each, far below SQLite's limit)


def _digest(key: SourceKey) -> int:
    """A 48-bit digest of a source's fields, the key of its rm_sources row: SQLite keeps it in 6 bytes (not
    8), in the row and in its unique index; two of a million sources share one about once in 500 times."""
    return int.from_bytes(hashlib.blake2b(json.dumps(key).encode(), digest_size=6).digest(), "big", signed=True)


def _source_id(conn: sqlite3.Connection, key: SourceKey) -> int:
    """The id of the source's rm_sources row, found by a 48-bit digest of its fields (added when new).

    The digest is unique (a constraint's index, which a bulk fold keeps): the rare source whose digest
    another already has is stored without one, a row of its own each time.
    """
    digest = _digest(key)
    added = conn.execute("INSERT INTO rm_sources (digest, label, url, publisher) VALUES (?,?,?,?) "
                         "ON CONFLICT (digest) DO NOTHING RETURNING id", (digest, *key)).fetchone()
    if added is not None:
        return added[0]
    found = conn.execute("SELECT id, label, url, publisher FROM rm_sources WHERE digest=?", (digest,)).fetchone()
    if tuple(found[1:]) == key:
        return found[0]
    return conn.execute("INSERT INTO rm_sources (digest, label, url, publisher) VALUES (NULL,?,?,?)", key).lastrowid

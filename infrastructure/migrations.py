"""Numbered, recorded migrations of the read-model tables (sqlite-utils)."""

from __future__ import annotations

from functools import partial
from typing import Any, Callable

import sqlite3

from stratlog.infrastructure.sqlite_guard import mark_database
from stratlog.infrastructure.transactions import roll_back
from stratlog.infrastructure.statements_view import statements_view_sql


def _m001_read_model(db) -> None:
    db["rm_position"].create({"name": str, "position": int}, pk="name")
    db["rm_statements"].create({
        "statement_id": str, "position": int, "subject_type": str, "subject_id": str, "version": int,
        "brand": str, "kind": str, "fixes": str, "announced_on": str, "recorded_at": str,
    }, pk="statement_id", not_null={"position", "kind", "recorded_at"})
    db["rm_statements"].create_index(["position"], unique=True)
    db["rm_statements"].create_index(["fixes"])
    db["rm_members"].create({"subject_id": str, "grp": str, "version": int}, pk=("subject_id", "grp", "version"))
    db["rm_groups"].create({"subject_id": str, "grp": str, "brand": str, "kind": str, "latest_known": str},
                           pk=("subject_id", "grp"))
    db["rm_names"].create({"subject_type": str, "name_key": str, "subject_id": str}, pk=("subject_type", "name_key"))
    db["rm_items"].create({
        "brand": str, "subject_id": str, "grp": str, "kind": str, "item": str, "valid_from": str, "valid_to": str,
        "known_from": str, "known_to": str, "data": str,
    })
    db["rm_items"].create_index(["brand", "known_to", "valid_to"])
    db["rm_items"].create_index(["subject_id", "grp", "known_to"])


def _m002_answering_index(db) -> None:
    """Queries filter on brand, kind and the two validity ranges: index them all, so only the rows
    that answer are read from the table."""
    db.conn.execute("DROP INDEX IF EXISTS idx_rm_items_brand_known_to_valid_to")
    db["rm_items"].create_index(["brand", "kind", "valid_to", "valid_from", "known_to", "known_from"],
                                index_name="idx_rm_items_answer")
    db["rm_statements"].create_index(["kind", "brand"])
    db["rm_statements"].create_index(["brand", "position"])


def _m003_statements_by_subject(db) -> None:
    """Writers ask which subjects exist; without this index that is a scan of every statement."""
    db["rm_statements"].create_index(["subject_id", "version"])


def _m004_damage(db) -> None:
    """Stored events the read model could not fold (undecodable, or fixing one that is): named, not fatal."""
    db["rm_damage"].create({"position": int, "subject_id": str, "version": int, "topic": str, "reason": str},
                           pk="position", not_null={"subject_id", "version", "topic", "reason"})
    db["rm_damage"].create_index(["subject_id", "version"])


def _m005_statements_view(db, holds_log: bool = True) -> None:
    """A readable view of the log for Datasette and sqlite-utils: text and JSON, never blobs or hex ids.

    A team-mode read model does not hold the log (it lives on PostgreSQL): its view lists the same
    statements with the columns read from the log left empty, and never names a missing table.
    """
    db.conn.execute(statements_view_sql(holds_log))


def _m006_compact_read_model(db) -> None:
    """Compact rows (issue 13): see infrastructure/compact_schema.py. The read model is folded again
    (its rows are derived), so the old tables are dropped and recreated empty."""
    from stratlog.infrastructure.compact_schema import create_compact_tables
    create_compact_tables(db.conn)


def _m007_packed_states_view(db, holds_log: bool = True) -> None:
    """Stored states are packed (infrastructure/stored_state.py): the statements view reads them through
    the SQL function stratlog_state instead of as text."""
    db.conn.execute("DROP VIEW IF EXISTS statements")
    db.conn.execute(statements_view_sql(holds_log))


def _m008_numbered_subjects(db) -> None:
    """Subjects numbered once in rm_subjects (infrastructure/compact_schema.py): the compact tables are
    made again in their latest form, empty, and the read model is folded again on first use."""
    from stratlog.infrastructure.compact_schema import create_compact_tables
    create_compact_tables(db.conn)


def _m009_statement_ids_and_kinds(db, holds_log: bool = True) -> None:
    """Statement ids (and the ids fixes name) kept as their 16 bytes and kinds as numbers in
    rm_statements (infrastructure/statement_keys.py): the compact tables are made again, empty, and folded again on
    first use; the statements view shows ids and kinds as text again."""
    from stratlog.infrastructure.compact_schema import create_compact_tables
    db.conn.execute("DROP VIEW IF EXISTS statements")
    create_compact_tables(db.conn)
    db.conn.execute(statements_view_sql(holds_log))


def _m010_fold_checkpoints(db) -> None:
    """Each unit's fold after its last step (infrastructure/fold_checkpoints.py), so that the catch-up after
    a record folds only what it adds. Empty at first: a unit gains its checkpoint the next time it is folded."""
    db.conn.execute("CREATE TABLE IF NOT EXISTS rm_checkpoints (unit INTEGER PRIMARY KEY, latest_known INTEGER NOT NULL, "
                    "state BLOB NOT NULL)")


def _m011_checkpoints_name_their_unit(db) -> None:
    """A checkpoint names its unit's subject and group: unit ids are renumbered by a rebuild, and one by an
    older stratlog (which does not know the table) would leave checkpoints on other units. Recreated empty."""
    from stratlog.infrastructure.fold_checkpoints import CREATE_TABLE
    db.conn.execute("DROP TABLE IF EXISTS rm_checkpoints")
    db.conn.execute(CREATE_TABLE)


MIGRATIONS: list[tuple[int, str, Callable]] = [
    (1, "read model tables", _m001_read_model),
    (2, "an index that answers as-of queries", _m002_answering_index),
    (3, "statements indexed by subject", _m003_statements_by_subject),
    (4, "stored events left out of the read model", _m004_damage),
    (5, "a readable statements view", _m005_statements_view),
    (6, "compact rows: unit ids, day numbers, stated fields joined, sources once", _m006_compact_read_model),
    (7, "the statements view reads packed states", _m007_packed_states_view),
    (8, "subjects numbered once: statements, members and groups hold the number", _m008_numbered_subjects),
    (9, "statement ids kept as 16 bytes, kinds as numbers", _m009_statement_ids_and_kinds),
    (10, "fold checkpoints: a unit's fold after its last step", _m010_fold_checkpoints),
    (11, "a fold checkpoint names its unit's subject and group", _m011_checkpoints_name_their_unit),
]
TOLD_WHERE_THE_LOG_IS = {_m005_statements_view, _m007_packed_states_view, _m009_statement_ids_and_kinds}  # migrations called with holds_log
READ_MODEL_TABLES = ("rm_position", "rm_subjects", "rm_statements", "rm_sources", "rm_members", "rm_groups",
                     "rm_names", "rm_items", "rm_damage", "rm_checkpoints")
MIGRATION_SET = "stratlog"
APPLIED_TABLE = "_sqlite_migrations"  # sqlite-utils' own record of applied migrations (sqlite_utils.Migrations)
NUMBERED_TABLE = "stratlog_migrations"  # where stratlog recorded them before it used sqlite-utils' Migrations
NAMES = {number: apply.__name__.lstrip("_") for number, _, apply in MIGRATIONS}  # m001_read_model, …


def migration_set(holds_log: bool = True) -> Any:
    """The read model's migrations as one sqlite-utils migration set named `stratlog`, in number order."""
    from sqlite_utils import Migrations
    migrations = Migrations(MIGRATION_SET)
    for number, _, apply in MIGRATIONS:
        step = partial(apply, holds_log=holds_log) if apply in TOLD_WHERE_THE_LOG_IS else apply
        migrations(name=NAMES[number])(step)
    return migrations


def up_to_date(conn: sqlite3.Connection) -> bool:
    """Whether every migration is applied (checked with plain sqlite3, so sqlite-utils need not load)."""
    try:
        applied = {name for (name,) in conn.execute(
            f"SELECT name FROM {APPLIED_TABLE} WHERE migration_set = ?", (MIGRATION_SET,))}
    except sqlite3.OperationalError:
        return False
    return applied >= set(NAMES.values())


def migrate(conn: sqlite3.Connection, holds_log: bool = True) -> list[int]:
    """Apply the migrations this database has not seen yet with sqlite-utils' Migrations; returns their numbers.

    They run in one transaction that takes the write lock first and only then asks which are pending
    (each migration a savepoint inside it), so two processes creating the same new database at once
    apply each migration once. `holds_log` says whether the event log lives in this file (False for a
    team-mode read model).
    """
    if up_to_date(conn):
        return []
    import sqlite_utils
    db, migrations = sqlite_utils.Database(conn), migration_set(holds_log)
    conn.execute("BEGIN IMMEDIATE")
    try:
        mark_database(conn)
        migrations.ensure_migrations_table(db)
        _adopt_numbered(conn)
        pending = {m.name for m in migrations.pending(db)}
        migrations.apply(db)
        conn.execute("COMMIT")
    except BaseException as error:
        roll_back(conn, error)
        raise
    return [number for number, name in NAMES.items() if name in pending]


def _adopt_numbered(conn: sqlite3.Connection) -> None:
    """A database migrated before sqlite-utils' Migrations: its numbered record is moved to sqlite-utils' table."""
    try:
        numbered = conn.execute(f"SELECT id, applied_at FROM {NUMBERED_TABLE} ORDER BY id").fetchall()
    except sqlite3.OperationalError:
        return
    conn.executemany(f"INSERT OR IGNORE INTO {APPLIED_TABLE} (migration_set, name, applied_at) VALUES (?, ?, ?)",
                     [(MIGRATION_SET, NAMES[number], applied_at) for number, applied_at in numbered if number in NAMES])
    conn.execute(f"DROP TABLE {NUMBERED_TABLE}")


def applied_numbers(conn: sqlite3.Connection) -> list[int]:
    """The numbers of the migrations recorded as applied to this database, in order (plain sqlite3)."""
    try:
        names = {name for (name,) in conn.execute(
            f"SELECT name FROM {APPLIED_TABLE} WHERE migration_set = ?", (MIGRATION_SET,))}
    except sqlite3.OperationalError:
        return []
    return [number for number, name in NAMES.items() if name in names]

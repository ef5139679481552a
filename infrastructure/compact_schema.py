"""The compact read-model tables (migration 6) and the views that show their rows as readable text.

rm_items rows are keyed by the integer unit id of their group (rm_groups.unit), hold valid dates as day
numbers and known instants as microseconds (infrastructure/item_codec.py), and leave the stated fields
(announced_on, statement id, recorded_at, source) to a join on the statement's log position. Statements
are keyed by log position; sources are stored once in rm_sources.

Subjects are numbered once in rm_subjects (id -> the subject's hex uuid, 32 characters, with its type
and brand, which every statement of a subject shares): statements, members, groups and names hold that small
integer (column `subject`), not the hex text, and a query that is given a hex id looks its number up
with SUBJECT_NUMBER (migration 8). A statement's recorded_at is kept as microseconds, like known instants.
"""

from __future__ import annotations

import sqlite3

from stratlog.infrastructure.statement_keys import ID_TEXT

_TABLES = """
DROP VIEW IF EXISTS items;
DROP TABLE IF EXISTS rm_items;
DROP TABLE IF EXISTS rm_groups;
DROP TABLE IF EXISTS rm_statements;
DROP TABLE IF EXISTS rm_sources;
DROP TABLE IF EXISTS rm_shapes;
DROP TABLE IF EXISTS rm_subjects;
CREATE TABLE rm_subjects (id INTEGER PRIMARY KEY, subject_id TEXT NOT NULL UNIQUE, subject_type TEXT, brand TEXT);
CREATE INDEX idx_rm_subjects_brand ON rm_subjects (brand);
CREATE TABLE rm_shapes (id INTEGER PRIMARY KEY, keys TEXT NOT NULL UNIQUE);
CREATE TABLE rm_sources (id INTEGER PRIMARY KEY, digest INTEGER UNIQUE, label TEXT, url TEXT, publisher TEXT);
CREATE TABLE rm_statements (
    position INTEGER PRIMARY KEY, statement_id BLOB NOT NULL UNIQUE, subject INTEGER REFERENCES rm_subjects (id),
    version INTEGER, kind INTEGER NOT NULL, fixes BLOB, announced_on TEXT, recorded_at INTEGER NOT NULL,
    source_id INTEGER REFERENCES rm_sources (id));
CREATE INDEX idx_rm_statements_fixes ON rm_statements (fixes) WHERE fixes IS NOT NULL;
CREATE INDEX idx_rm_statements_subject_version ON rm_statements (subject, version);
CREATE INDEX idx_rm_statements_registered ON rm_statements (subject) WHERE kind = 1;
CREATE TABLE rm_groups (
    unit INTEGER PRIMARY KEY, subject INTEGER NOT NULL REFERENCES rm_subjects (id), grp TEXT NOT NULL,
    brand TEXT, kind TEXT, latest_known INTEGER, UNIQUE (subject, grp));
CREATE INDEX idx_rm_groups_brand_kind ON rm_groups (brand, kind);
CREATE TABLE rm_items (
    unit INTEGER NOT NULL, item TEXT NOT NULL, valid_from INTEGER NOT NULL, valid_to INTEGER NOT NULL,
    known_from INTEGER NOT NULL, known_to INTEGER NOT NULL, stated INTEGER, data TEXT NOT NULL);
CREATE INDEX idx_rm_items_unit ON rm_items (unit, known_to, valid_to, valid_from, known_from);
"""

# Day numbers and microseconds back to the texts the fold speaks (0001-01-01 is day 1, julian day 1721425.5).
_DAY = "date(1721424.5 + {0})"
INSTANT_TEXT = ("date(1721424.5 + {0} / 86400000000) || 'T' || time(({0} / 1000000) % 86400, 'unixepoch') || '.' "
            "|| printf('%06d', {0} % 1000000) || 'Z'")

# A stored item [shape, value…] as the JSON object it stands for (its shape's keys with the values).
_STORED = ("json_patch((SELECT json_group_object(k.value, i.data -> ('$[' || (k.key + 1) || ']')) "
           "FROM json_each(sh.keys, '$.keys') k), sh.keys -> '$.fixed')")
# … with the value it repeats from its item key put back, when its shape left it out (item_codec.FROM_ITEM_KEY).
_OBJECT = (f"CASE WHEN sh.keys ->> '$.item_key' IS NULL THEN {_STORED} ELSE json_set({_STORED}, "
           "'$.' || (sh.keys ->> '$.item_key'), substr(i.item, instr(i.item, ':') + 1)) END")

ITEMS_VIEW = f"""
CREATE VIEW items AS
SELECT g.brand, su.subject_id, g.grp, CASE WHEN i.item GLOB 'a:*' THEN 'audit' ELSE g.kind END AS kind, i.item,
    {_DAY.format('i.valid_from')} AS valid_from, {_DAY.format('i.valid_to')} AS valid_to,
    {INSTANT_TEXT.format('i.known_from')} AS known_from, {INSTANT_TEXT.format('i.known_to')} AS known_to,
    CASE WHEN st.position IS NULL THEN {_OBJECT} ELSE json_set({_OBJECT},
        '$.announced_on', st.announced_on, '$.publisher', so.publisher,
        '$.recorded_at', {INSTANT_TEXT.format('st.recorded_at')},
        '$.source', so.label, '$.source_url', so.url, '$.statement_id', {ID_TEXT.format('st.statement_id')}) END AS data
FROM rm_items i JOIN rm_groups g ON g.unit = i.unit JOIN rm_subjects su ON su.id = g.subject
LEFT JOIN rm_shapes sh ON sh.id = i.data ->> '$[0]'
LEFT JOIN rm_statements st ON st.position = i.stated LEFT JOIN rm_sources so ON so.id = st.source_id
"""


# The number of the subject whose hex id is the parameter (NULL when no statement of it is stored).
SUBJECT_NUMBER = "(SELECT id FROM rm_subjects WHERE subject_id=?)"


def create_compact_tables(conn: sqlite3.Connection) -> None:
    """Replace the read model's statements, groups and items tables by their compact form, with the
    `items` view; the rows are folded again on first use (the stored projection version is cleared)."""
    for statement in [*_TABLES.split(";"), ITEMS_VIEW]:
        if statement.strip():
            conn.execute(statement)
    conn.execute("DROP TABLE IF EXISTS rm_members")
    conn.execute("CREATE TABLE rm_members (subject INTEGER NOT NULL, grp TEXT NOT NULL, version INTEGER NOT NULL, "
                 "PRIMARY KEY (subject, grp, version)) WITHOUT ROWID")
    conn.execute("DROP TABLE IF EXISTS rm_names")  # a model's normalised name -> its subject's number
    conn.execute("CREATE TABLE rm_names (subject_type TEXT NOT NULL, name_key TEXT NOT NULL, subject INTEGER NOT NULL, "
                 "PRIMARY KEY (subject_type, name_key)) WITHOUT ROWID")
    for table in ("rm_damage",):
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name=?", (table,)).fetchone():
            conn.execute(f"DELETE FROM {table}")
    conn.execute("CREATE TABLE IF NOT EXISTS stratlog_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("INSERT OR REPLACE INTO stratlog_meta (key, value) VALUES ('projection_version', 'compacted')")

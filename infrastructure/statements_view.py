"""The `statements` SQL view: the log as readable text and JSON, for Datasette's table browser."""

from __future__ import annotations

from stratlog.infrastructure.compact_schema import INSTANT_TEXT
from stratlog.infrastructure.statement_keys import ID_TEXT, KIND_CODES, KIND_TEXT

# Each stored event's state is UTF-8 JSON, packed (infrastructure/stored_state.py); `statement` holds its
# fields. The view reads it with the SQL function stratlog_state, which the connection must have
# (stored_state.add_sql_function; stratlog's Datasette plugin adds it to every connection).
_STATEMENT = "json_extract(stratlog_state(ev.state), '$.statement')"

_SUBJECT = f"""CASE WHEN r.fixes IS NOT NULL THEN 'fixes ' || lower(hex(substr(r.fixes, 1, 4))) ELSE COALESCE(
        json_extract(r.s, '$.model'),
        json_extract(r.s, '$.dealer') || '/' || json_extract(r.s, '$.market'),
        json_extract(r.s, '$.market'),
        json_extract(r.s, '$.plant'),
        json_extract(r.s, '$.kpi') || COALESCE(' ' || json_extract(r.s, '$.scope'), '') || ' '
            || COALESCE(json_extract(r.s, '$.deadline'), json_extract(r.s, '$.period'), 'open'),
        CASE r.kind WHEN {KIND_CODES['valuation-updated']}
            THEN 'valuation ' || COALESCE(json_extract(r.s, '$.valued_on'), r.announced_on)
            WHEN {KIND_CODES['ipo-considered']} THEN 'ipo' END,
        r.brand) END"""

_STATUS = f"""CASE
        WHEN EXISTS (SELECT 1 FROM rm_statements f WHERE f.fixes = r.statement_id
                     AND f.kind = {KIND_CODES['statement-retracted']}) THEN 'retracted'
        WHEN EXISTS (SELECT 1 FROM rm_statements f WHERE f.fixes = r.statement_id
                     AND f.kind = {KIND_CODES['statement-corrected']}) THEN 'corrected'
        ELSE 'recorded' END"""

# name -> (expression when the log is in this file, expression when it is not)
COLUMNS: dict[str, tuple[str, str]] = {
    "position": ("r.position", "r.position"),
    "statement_id": (ID_TEXT.format("r.statement_id"),) * 2,  # stored as 16 bytes (statement_keys)
    "kind": (KIND_TEXT.format("r.kind"),) * 2,  # stored as its number (statement_keys)
    "brand": ("r.brand", "r.brand"),
    "subject_type": ("r.subject_type", "r.subject_type"),
    "subject": (_SUBJECT, "CASE WHEN r.fixes IS NOT NULL THEN 'fixes ' || lower(hex(substr(r.fixes, 1, 4))) END"),
    "announced_on": ("r.announced_on", "r.announced_on"),
    "recorded_at": (INSTANT_TEXT.format("r.recorded_at"), INSTANT_TEXT.format("r.recorded_at")),  # stored as µs
    "status": (_STATUS, _STATUS),
    "source": ("json_extract(r.s, '$.source.title')", "NULL"),
    "source_url": ("json_extract(r.s, '$.source.url')", "NULL"),
    "payload": ("json_remove(r.s, '$.brand', '$.kind', '$.announced_on', '$.source', '$.note')", "NULL"),
    "note": ("json_extract(r.s, '$.note')", "NULL"),
    "fixes": (ID_TEXT.format("r.fixes"),) * 2,
}


def statements_view_sql(holds_log: bool = True) -> str:
    """CREATE VIEW statements: one row per recorded statement, in recording order.

    With the log in this file, subject, source, payload (JSON text) and note come from the stored
    event; otherwise (a team-mode read model) those columns are empty and no missing table is named,
    so later migrations that rename tables keep working.
    """
    pick = 0 if holds_log else 1
    columns = ",\n    ".join(f"{expressions[pick]} AS {name}" for name, expressions in COLUMNS.items())
    subjects = "LEFT JOIN rm_subjects su ON su.id = rm.subject"  # each statement's subject type and brand
    source = (f"(SELECT rm.*, su.subject_type, su.brand, {_STATEMENT} AS s FROM rm_statements rm {subjects}\n"
              "      LEFT JOIN stored_events ev ON ev.rowid = rm.position) r" if holds_log else
              f"(SELECT rm.*, su.subject_type, su.brand FROM rm_statements rm {subjects}) r")
    return f"CREATE VIEW IF NOT EXISTS statements AS\nSELECT\n    {columns}\nFROM {source}\nORDER BY r.position"

"""The `statements` view (migration 5): the log as text for Datasette and sqlite-utils, never blobs."""

from __future__ import annotations

import json
import sqlite3

from stratlog.infrastructure.read_model import ReadModel
from tests.conftest import write
from tests.stored_states import with_state_function

A290_ID = "f2696dde-4d2d-5323-81c4-ea77d8359417"        # model-planned A290 2024 in the Alpine example
SUV_2027_ID = "594a5d67-aa25-54f5-a11b-d99d6e7b78a4"    # model-planned SUV 2027
HOSTILE = """
statements:
  - {kind: actual-reported, brand: alpine, kpi: annual-sales, period: 2023, value: 4328, unit: vehicles,
     announced_on: 2024-01, source: {title: "Bilan <b>2023</b> — ventes", url: "https://example.com/bilan"}}
"""


def rows(db: str) -> list[dict]:
    conn = with_state_function(sqlite3.connect(db))
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute("SELECT * FROM statements")]
    finally:
        conn.close()


def test_every_statement_of_the_log_is_a_row_of_text_in_recording_order(alpine_db, stratlog):
    found = rows(alpine_db)
    assert [r["position"] for r in found] == list(range(1, 19))
    assert all(not isinstance(value, bytes) for r in found for value in r.values())
    launched = next(r for r in found if r["kind"] == "model-launched")
    assert (launched["brand"], launched["subject"], launched["announced_on"]) == ("alpine", "A110", "2023-06")
    assert launched["source"] == "Alpine. Laurent Rossi mise gros sur le marché américain"
    assert launched["recorded_at"].endswith("Z") and launched["status"] == "recorded"


def test_the_payload_is_the_statements_own_fields_as_json_text(alpine_db):
    a290 = next(r for r in rows(alpine_db) if r["statement_id"] == A290_ID)
    assert json.loads(a290["payload"]) == {"model": "A290", "planned_for": "2024", "segment": "city sports car"}
    assert a290["note"].startswith('"La citadine sportive A290"')


def test_subjects_read_as_the_timeline_names_them(alpine_db):
    subjects = {r["subject"] for r in rows(alpine_db)}
    assert {"AutoNation/US", "US", "annual-sales 2030", "valuation 2021", "ipo", "alpine", "SUV 2027"} <= subjects


def test_an_actual_is_named_by_its_kpi_and_period_and_its_source_text_is_kept_intact(alpine_db, stratlog, tmp_path):
    assert stratlog("--db", alpine_db, "import", write(tmp_path, "hostile.yaml", HOSTILE)).code == 0
    actual = rows(alpine_db)[-1]
    assert (actual["subject"], actual["source"]) == ("annual-sales 2023", "Bilan <b>2023</b> — ventes")
    assert actual["source_url"] == "https://example.com/bilan"


def test_a_corrected_and_a_retracted_statement_say_so_and_the_fixes_name_them(alpine_db, stratlog):
    assert stratlog("--db", alpine_db, "correct", A290_ID[:8], "--planned-for", "2025").code == 0
    assert stratlog("--db", alpine_db, "retract", SUV_2027_ID[:8], "--reason", "not in the article").code == 0
    by_id = {r["statement_id"]: r for r in rows(alpine_db)}
    assert by_id[A290_ID]["status"] == "corrected" and by_id[SUV_2027_ID]["status"] == "retracted"
    correction, retraction = rows(alpine_db)[-2:]
    assert (correction["kind"], correction["subject"], correction["fixes"]) == (
        "statement-corrected", f"fixes {A290_ID[:8]}", A290_ID)
    assert json.loads(correction["payload"])["fields"] == {"planned_for": "2025"}
    assert json.loads(retraction["payload"])["reason"] == "not in the article"


def test_the_view_is_migration_5_recorded_once(alpine_db):
    conn = sqlite3.connect(alpine_db)
    assert conn.execute("SELECT COUNT(*) FROM _sqlite_migrations WHERE name='m005_statements_view'").fetchone() == (1,)
    assert conn.execute("SELECT type FROM sqlite_master WHERE name='statements'").fetchone() == ("view",)


def test_a_team_mode_read_model_lists_statements_without_naming_a_log_it_does_not_hold(tmp_path):
    path = str(tmp_path / "team-read-model.db")
    ReadModel(path, holds_log=False).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO rm_subjects (id, subject_id, subject_type, brand) VALUES (1, 'ab', 'brand', 'alpine')")
    conn.execute("INSERT INTO rm_statements (statement_id, position, subject, version, kind, recorded_at) "
                 "VALUES (?, 1, 1, 1, 'brand-registered', '2024-01-01T00:00:00Z')", (bytes(range(16)),))
    assert conn.execute("SELECT statement_id, brand, status, payload FROM statements").fetchall() == [
        ("00010203-0405-0607-0809-0a0b0c0d0e0f", "alpine", "recorded", None)]  # kept as 16 bytes
    conn.execute("ALTER TABLE rm_names RENAME TO rm_names_renamed")   # a later migration may rename tables
    assert conn.execute("SELECT COUNT(*) FROM statements").fetchone() == (1,)

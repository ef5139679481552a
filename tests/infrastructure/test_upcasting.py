"""Events stored by older versions of the code keep loading (checked-in database of event version 1)."""

from __future__ import annotations

import json
import sqlite3

from stratlog.infrastructure.config import settings
from stratlog.infrastructure.runtime import Runtime
from tests.conftest import copy_fixture


def test_the_fixture_really_holds_version_1_events_without_recorded_at(tmp_path):
    path = copy_fixture("v1-alpine.db", tmp_path)
    states = [json.loads(s) for (s,) in sqlite3.connect(path).execute("SELECT state FROM stored_events")]
    assert len(states) == 18
    assert all("recorded_at" not in s and "class_version" not in s for s in states)


def test_version_1_events_are_upcast_and_their_recorded_at_is_their_timestamp(tmp_path):
    path = copy_fixture("v1-alpine.db", tmp_path)
    runtime = Runtime(settings(path), writing=False)
    try:
        notifications = runtime.ledger.recorder.select_notifications(start=1, limit=100)
        events = [runtime.ledger.mapper.to_domain_event(n) for n in notifications]
        assert len(events) == 18
        assert all(e.recorded_at == e.timestamp for e in events)
        assert {type(e).__name__ for e in events} >= {"ModelLaunched", "ValuationUpdated", "IPOConsidered"}
    finally:
        runtime.close()


def test_a_version_1_database_answers_queries_like_a_new_one(tmp_path, stratlog, alpine_db):
    old = copy_fixture("v1-alpine.db", tmp_path)
    for db in (old, alpine_db):
        result = stratlog("--db", db, "kpis", "--brand", "alpine", "--as-of", "2023-06-30", "--json")
        assert result.code == 0, result.err
    answers = [json.loads(stratlog("--db", db, "kpis", "--brand", "alpine", "--as-of", "2023-06-30", "--json").out)
               for db in (old, alpine_db)]
    strip = lambda rows: [{k: v for k, v in r.items() if k != "recorded_at"} for r in rows]  # noqa: E731
    assert strip(answers[0]) == strip(answers[1])
    assert len(answers[0]) == 6


def test_migrations_are_numbered_recorded_by_sqlite_utils_and_applied_once(tmp_path):
    from stratlog.infrastructure.migrations import MIGRATIONS, applied_numbers
    path = copy_fixture("v1-alpine.db", tmp_path)
    Runtime(settings(path), writing=False).close()
    conn = sqlite3.connect(path)
    indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert applied_numbers(conn) == [number for number, _, _ in MIGRATIONS] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert "idx_rm_items_unit" in indexes and "idx_rm_items_answer" not in indexes  # compact rows (6)
    Runtime(settings(path), writing=False).close()
    recorded = conn.execute("SELECT migration_set, name FROM _sqlite_migrations ORDER BY rowid").fetchall()
    assert recorded == [("stratlog", f"m{n:03d}_{name}") for n, name in enumerate(
        ("read_model", "answering_index", "statements_by_subject", "damage", "statements_view",
         "compact_read_model", "packed_states_view", "numbered_subjects", "statement_ids_and_kinds",
         "fold_checkpoints", "checkpoints_name_their_unit"), 1)]


def test_a_database_migrated_before_sqlite_utils_migrations_keeps_its_record_and_reapplies_nothing(tmp_path):
    from stratlog.infrastructure.migrations import applied_numbers
    path = copy_fixture("r1-alpine.db", tmp_path)
    old = sqlite3.connect(path).execute("SELECT id, applied_at FROM stratlog_migrations ORDER BY id").fetchall()
    Runtime(settings(path), writing=False).close()
    conn = sqlite3.connect(path)
    tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "stratlog_migrations" not in tables and applied_numbers(conn) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
    adopted = dict(conn.execute("SELECT name, applied_at FROM _sqlite_migrations").fetchall())
    assert [n for n, _ in old] == [1, 2, 3]  # the release-1 database had three; 4 to 11 are applied now
    assert [adopted[name] for name in ("m001_read_model", "m002_answering_index", "m003_statements_by_subject")] == [
        applied_at for _, applied_at in old]


def test_the_release_1_fixture_holds_the_topics_of_the_single_aggregates_module(tmp_path):
    path = copy_fixture("r1-alpine.db", tmp_path)
    topics = {topic for (topic,) in sqlite3.connect(path).execute("SELECT DISTINCT topic FROM stored_events")}
    assert all(topic.startswith("stratlog.domain.subjects_aggregates:") for topic in topics)
    assert {"stratlog.domain.subjects_aggregates:Brand.StatementCorrected",
            "stratlog.domain.subjects_aggregates:Model.StatementCorrected",
            "stratlog.domain.subjects_aggregates:Brand.StatementRetracted"} <= topics


def test_a_release_1_database_loads_and_its_read_model_equals_todays_fold(tmp_path, stratlog):
    path = copy_fixture("r1-alpine.db", tmp_path)

    verified = stratlog("--db", path, "projections", "verify")

    assert verified.code == 0, verified.err
    assert "decoded and validated 21 stored events" in verified.out and "OK: the read model equals the fold" in verified.out
    ask = ("state", "alpine", "--as-of", "2023-06-30", "--json")
    before = json.loads(stratlog("--db", path, *ask).out)
    assert stratlog("--db", path, "projections", "rebuild").code == 0
    assert json.loads(stratlog("--db", path, *ask).out) == before
    assert [m["planned_for"] for m in before["models"] if m["model"] == "A390"] == ["2025-Q4"]  # its correction
    assert before["ipo"] is None  # its retraction


def test_a_release_1_database_takes_new_statements_on_its_old_subjects(tmp_path, stratlog):
    path = copy_fixture("r1-alpine.db", tmp_path)

    recorded = stratlog("--db", path, "record", "model-revealed", "alpine", "A390", "--revealed-on", "2025-03",
                        "--announced-on", "2025-03", "--source-title", "Press release")

    assert recorded.code == 0, recorded.err
    topic = sqlite3.connect(path).execute("SELECT topic FROM stored_events ORDER BY rowid DESC LIMIT 1").fetchone()[0]
    assert topic == "stratlog.domain.model:Model.ModelRevealed"
    models = json.loads(stratlog("--db", path, "state", "alpine", "--json").out)["models"]
    assert [(m["status"], m["revealed_on"]) for m in models if m["model"] == "A390"] == [("revealed", "2025-03")]
    assert stratlog("--db", path, "projections", "verify").code == 0

"""A large first import folds each subject's events on its own transaction, from memory: the same read model."""

from __future__ import annotations

import sqlite3
from functools import partial

import pytest

import stratlog.application.ledger as ledger_module
from stratlog.domain.errors import StratlogError
from stratlog.infrastructure.config import settings as stratlog_settings
from stratlog.infrastructure.event_source import EventSource
from stratlog.infrastructure.fold_checkpoints import unit_checkpoint
from stratlog.infrastructure.migrations import READ_MODEL_TABLES
from stratlog.infrastructure.runtime import Runtime
from tests import builders

statement = partial(builders.statement, brand="acme", source={"title": "T"})
REGISTERED = builders.statement("brand-registered", brand="acme", source=None, name="Acme")
HISTORY = [REGISTERED,
           statement(kind="target-set", kpi="annual-sales", deadline="2030", value=5000, unit="cars",
                     comparator="at-least", announced_on="2023"),
           statement(kind="target-revised", kpi="annual-sales", deadline="2030", value=4000, announced_on="2024-05"),
           statement(kind="actual-reported", kpi="annual-sales", period="2023", value=900, unit="cars",
                     announced_on="2024-02"),
           *[statement(kind="model-planned", model=f"M{i}", planned_for="2027", announced_on="2024") for i in range(5)],
           statement(kind="model-launched", model="M1", launched_on="2027-03", announced_on="2027-03")]


def record(db: str, records: list, monkeypatch, stream: bool = True) -> None:
    monkeypatch.setattr(ledger_module, "STREAM_AT", 1 if stream else 10**9)
    runtime = Runtime(stratlog_settings(db), writing=True, clock=lambda: builders.RECORDED)
    try:
        runtime.settle(runtime.record(records).events)
    finally:
        runtime.close()


def tables(db: str) -> dict[str, list[tuple]]:
    """Every row of the read model, sorted, and its indexes."""
    conn = sqlite3.connect(db)
    try:
        rows = {table: sorted(conn.execute(BY_CONTENT.get(table, f"SELECT * FROM {table}")).fetchall(), key=repr)
                for table in READ_MODEL_TABLES}
        rows["checkpoint states"] = sorted(_checkpoint_states(conn), key=repr)
        rows["indexes"] = sorted(conn.execute("SELECT name, sql FROM sqlite_master WHERE type='index'").fetchall(),
                                 key=repr)
        return rows
    finally:
        conn.close()


def _checkpoint_states(conn: sqlite3.Connection) -> list[tuple]:
    """What each unit's fold checkpoint says (its pickle's bytes may differ: a recorded_at's time zone object)."""
    found = []
    for subject, group in conn.execute("SELECT su.subject_id, g.grp FROM rm_checkpoints c JOIN rm_groups g "
                                       "ON g.unit = c.unit JOIN rm_subjects su ON su.id = g.subject"):
        state = unit_checkpoint(conn, subject, group)
        found.append((subject, group, state.last_key, state.last_step, state.shown, state.shown_retracted,
                      state.folder.audit_before, [t.as_item() for t in state.folder.targets]))
    return found


# Unit, shape, source and subject ids are numbered in folding order: rows are compared by what they say.
BY_CONTENT = {
    "rm_checkpoints": "SELECT c.subject_id, c.grp, c.latest_known FROM rm_checkpoints c",
    "rm_items": "SELECT * FROM items",
    "rm_subjects": "SELECT subject_id, subject_type, brand FROM rm_subjects",
    "rm_groups": "SELECT su.subject_id, grp, g.brand, kind, latest_known FROM rm_groups g JOIN rm_subjects su "
                 "ON su.id = g.subject",
    "rm_members": "SELECT su.subject_id, grp, version FROM rm_members JOIN rm_subjects su ON su.id = subject",
    "rm_sources": "SELECT label, url, publisher FROM rm_sources",
    "rm_names": "SELECT n.subject_type, n.name_key, su.subject_id FROM rm_names n JOIN rm_subjects su ON su.id = n.subject",
    "rm_statements": "SELECT position, statement_id, su.subject_id, version, kind, fixes, "
                     "announced_on, recorded_at, so.label, so.url, so.publisher FROM rm_statements "
                     "JOIN rm_subjects su ON su.id = subject LEFT JOIN rm_sources so ON so.id = source_id",
}


def rebuilt(db: str) -> dict[str, list[tuple]]:
    runtime = Runtime(stratlog_settings(db), writing=True)
    try:
        runtime.read_model.rebuild(EventSource(runtime.ledger))
    finally:
        runtime.close()
    return tables(db)


def test_a_streamed_first_import_folds_the_read_model_a_rebuild_would_build(tmp_path, monkeypatch):
    db = str(tmp_path / "s.db")
    record(db, HISTORY, monkeypatch)
    folded = tables(db)
    assert len(folded["rm_statements"]) == len(HISTORY) and folded["rm_items"]
    assert folded["rm_position"] == [("stratlog", len(HISTORY))]
    assert folded == rebuilt(db)  # same rows, same position, every secondary index built again


def test_a_streamed_first_import_folds_as_the_saved_path_does(tmp_path, monkeypatch):
    streamed, saved = str(tmp_path / "streamed.db"), str(tmp_path / "saved.db")
    record(streamed, HISTORY, monkeypatch, stream=True)
    record(saved, HISTORY, monkeypatch, stream=False)
    assert tables(streamed) == tables(saved)


def test_events_folded_on_the_import_transaction_are_never_read_back_from_the_log(tmp_path, monkeypatch):
    def no_reading(*args, **kwargs):
        raise AssertionError("a stored event was read back and decoded")
    db = str(tmp_path / "s.db")
    record(db, [REGISTERED], monkeypatch)  # the database exists; its log and read model are then emptied
    conn = sqlite3.connect(db)
    conn.executescript("DELETE FROM stored_events; " + "; ".join(f"DELETE FROM {t}" for t in READ_MODEL_TABLES))
    conn.close()
    for name in ("_decoded", "subject_logs", "events_of"):
        monkeypatch.setattr(EventSource, name, no_reading)
    record(db, HISTORY, monkeypatch)
    assert len(tables(db)["rm_statements"]) == len(HISTORY)


def test_a_streamed_import_into_a_database_with_statements_catches_up_after_the_commit(tmp_path, monkeypatch):
    db = str(tmp_path / "s.db")
    record(db, HISTORY[:4], monkeypatch)
    record(db, HISTORY[4:], monkeypatch)
    folded = tables(db)
    assert folded["rm_position"] == [("stratlog", len(HISTORY))]
    assert folded == rebuilt(db)


def test_a_refused_streamed_import_leaves_no_rows_and_every_index(tmp_path, monkeypatch):
    db = str(tmp_path / "s.db")
    record(db, [REGISTERED], monkeypatch)
    conn = sqlite3.connect(db)
    conn.executescript("DELETE FROM stored_events; " + "; ".join(f"DELETE FROM {t}" for t in READ_MODEL_TABLES))
    conn.close()
    before = tables(db)
    bad = statement(kind="target-revised", kpi="ev-share", deadline="2030", value=1, announced_on="2024")
    with pytest.raises(StratlogError, match="ev-share"):
        record(db, [*HISTORY, bad], monkeypatch)
    assert tables(db) == before  # nothing folded, the dropped indexes back (the transaction rolled back)
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM stored_events").fetchone()[0] == 0


def test_a_streamed_first_import_writes_the_statements_of_many_subjects_together(tmp_path, monkeypatch):
    import stratlog.infrastructure.read_model as read_model_module
    written: list[int] = []
    values = read_model_module.statement_values

    def counting(conn, rows, ids=None):
        written.append(len(rows))
        return values(conn, rows, ids)
    monkeypatch.setattr(read_model_module, "statement_values", counting)
    db = str(tmp_path / "s.db")
    record(db, HISTORY, monkeypatch)
    assert written == [len(HISTORY)]  # the eight subjects in one batch, not a write per subject
    assert tables(db) == rebuilt(db)


def test_a_streamed_first_import_with_fixes_folds_the_read_model_a_rebuild_would_build(tmp_path, monkeypatch):
    revised, launched = HISTORY[2], HISTORY[-1]
    fixes = [builders.fix("statement-corrected", corrects=revised.statement_id(), fields={"value": 4500}),
             builders.fix("statement-retracted", retracts=launched.statement_id(), reason="not yet")]
    streamed, saved = str(tmp_path / "streamed.db"), str(tmp_path / "saved.db")
    record(streamed, [*HISTORY, *fixes], monkeypatch, stream=True)
    record(saved, [*HISTORY, *fixes], monkeypatch, stream=False)
    folded = tables(streamed)
    assert len(folded["rm_statements"]) == len(HISTORY) + 2
    assert folded == tables(saved) == rebuilt(streamed)

"""A rebuild scans the log once in subject order, fills the tables without their secondary indexes and
builds those after the last row: the same rows and the same indexes as before, and nothing half done."""

from __future__ import annotations

import sqlite3

import pytest

from stratlog.infrastructure.config import settings as stratlog_settings
from stratlog.infrastructure.event_source import EventSource
from stratlog.infrastructure.read_model import ReadModel
from stratlog.infrastructure.runtime import Runtime
from tests.infrastructure.test_fold_as_written import HISTORY, record, tables


def _indexes(conn: sqlite3.Connection) -> list[str]:
    return [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND tbl_name LIKE 'rm_%'")]


def _rebuild(db: str, monkeypatch, fold_subject=None) -> None:
    runtime = Runtime(stratlog_settings(db), writing=True)
    try:
        if fold_subject is not None:
            monkeypatch.setattr(ReadModel, "fold_subject", fold_subject)
        runtime.read_model.rebuild(EventSource(runtime.ledger))
    finally:
        runtime.close()


def test_a_rebuild_writes_its_rows_without_secondary_indexes_and_builds_them_after(tmp_path, monkeypatch):
    db = str(tmp_path / "s.db")
    record(db, HISTORY, monkeypatch, stream=False)
    before = tables(db)
    seen: list[list[str]] = []
    fold = ReadModel.fold_subject

    def watching(self, subject, logged, source, *pending):
        seen.append(_indexes(self.conn))
        fold(self, subject, logged, source, *pending)

    _rebuild(db, monkeypatch, watching)
    assert seen and all(found == [] for found in seen)  # every subject folded with no secondary index
    assert tables(db) == before  # same rows, every index built again exactly as the migrations made it


def test_a_rebuild_reads_the_log_in_one_scan_not_one_query_per_subject(tmp_path, monkeypatch):
    db = str(tmp_path / "s.db")
    record(db, HISTORY, monkeypatch, stream=False)
    before = tables(db)

    def one_query_per_subject(*args, **kwargs):
        raise AssertionError("a subject's events were read by a query of their own")
    monkeypatch.setattr(EventSource, "subject_log", one_query_per_subject, raising=False)  # (gone)
    monkeypatch.setattr(EventSource, "events_of", one_query_per_subject)
    _rebuild(db, monkeypatch)
    assert tables(db) == before


def test_a_rebuild_that_fails_leaves_the_read_model_and_its_indexes_as_they_were(tmp_path, monkeypatch):
    db = str(tmp_path / "s.db")
    record(db, HISTORY, monkeypatch, stream=False)
    before = tables(db)

    def failing(self, subject, logged, source, *pending):
        raise RuntimeError("interrupted")
    with pytest.raises(RuntimeError, match="interrupted"):
        _rebuild(db, monkeypatch, failing)
    assert tables(db) == before


def test_a_rebuild_folds_with_the_cyclic_collector_off_and_turns_it_back_on(tmp_path, monkeypatch):
    import gc
    db = str(tmp_path / "s.db")
    record(db, HISTORY, monkeypatch, stream=False)
    seen: list[bool] = []
    fold = ReadModel.fold_subject

    def watching(self, subject, logged, source, *pending):
        seen.append(gc.isenabled())
        fold(self, subject, logged, source, *pending)
    _rebuild(db, monkeypatch, watching)
    assert seen and not any(seen)  # what a fold builds is acyclic: reference counting frees it
    assert gc.isenabled()


def test_a_flush_asks_only_the_tables_it_has_rows_for():
    from stratlog.infrastructure.read_model import CommandIds, Pending

    class Asked:
        def __init__(self):
            self.sql: list[str] = []

        def executemany(self, sql, rows):
            self.sql.append(sql.split(" INTO ")[1].split(" ")[0])

    conn, pending = Asked(), Pending(CommandIds())
    pending.flush(conn)
    pending.members.append(("s", "g", 1))
    pending.flush(conn)
    assert conn.sql == ["rm_members"]

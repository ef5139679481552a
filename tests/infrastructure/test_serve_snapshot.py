"""The snapshot `serve` answers from: caught up in the copy, one immutable file, the database only read."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from stratlog.infrastructure.config import settings
from stratlog.infrastructure.migrations import applied_numbers
from stratlog.infrastructure.query_access import open_snapshot_queries
from stratlog.infrastructure.serve_snapshot import SnapshotFailed, snapshot_source, take_snapshot
from stratlog.application.query_dates import parse_as_of, parse_known_at
from tests.conftest import copy_fixture
from tests.stored_states import with_state_function
from tests.infrastructure.test_postgres_team_mode import EXAMPLE, database_url, env, run_stratlog, server  # noqa: F401


def digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def snapshot_of(target, folder: Path, read_model: str | None = None):
    folder.mkdir(exist_ok=True)
    chosen = settings(target, read_model)
    return take_snapshot(chosen, folder, snapshot_source(chosen))


def test_an_old_database_is_migrated_and_caught_up_in_the_copy_and_only_read_itself(tmp_path):
    old = copy_fixture("v1-alpine.db", tmp_path)      # events of version 1, no read model at all
    before = digest(old)
    snapshot = snapshot_of(old, tmp_path / "snap")
    assert snapshot.statements == 18 and snapshot.source == old
    copy = with_state_function(sqlite3.connect(snapshot.path))
    assert copy.execute("SELECT COUNT(*) FROM statements").fetchone() == (18,)
    assert 5 in applied_numbers(copy)
    assert digest(old) == before
    tables = {n for (n,) in sqlite3.connect(old).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "_sqlite_migrations" not in tables


def test_the_snapshot_is_one_file_that_an_immutable_reader_sees_whole(alpine_db, tmp_path, stratlog):
    snapshot = snapshot_of(alpine_db, tmp_path / "snap")
    assert sorted(p.name for p in snapshot.path.parent.iterdir()) == ["stratlog.db"]
    assert sqlite3.connect(snapshot.path).execute("PRAGMA journal_mode").fetchone() == ("delete",)
    queries, close = open_snapshot_queries(str(snapshot.path))
    try:
        rows = queries.kpis("alpine", parse_as_of("2023-06"), parse_known_at(None))
    finally:
        close()
    cli = stratlog("--db", alpine_db, "kpis", "--brand", "alpine", "--as-of", "2023-06", "--json")
    assert rows == json.loads(cli.out)


def test_a_snapshot_that_cannot_be_written_says_where_and_that_the_database_was_not_written(alpine_db, tmp_path):
    before = digest(alpine_db)
    nowhere = tmp_path / "no" / "such" / "folder"
    with pytest.raises(SnapshotFailed, match=r"could not make the snapshot of .*stratlog\.db that serve reads, in "
                                             r".*no/such/folder: unable to open database file; nothing was written"):
        take_snapshot(settings(alpine_db), nowhere, snapshot_source(settings(alpine_db)))
    assert digest(alpine_db) == before


def test_a_team_mode_snapshot_catches_up_from_postgresql_without_touching_the_local_read_model(
        database_url, tmp_path, env):  # noqa: F811 - fixtures of the team-mode tests
    local = str(tmp_path / "local.db")
    assert run_stratlog(env, "--db", database_url, "--read-model", local, "import", str(EXAMPLE)).returncode == 0
    before = digest(local)
    snapshot = snapshot_of(database_url, tmp_path / "snap", read_model=local)
    assert snapshot.statements == 18 and "stratlog_test_" in snapshot.source
    rows = with_state_function(sqlite3.connect(snapshot.path)).execute(
        "SELECT kind, brand, payload FROM statements").fetchall()
    assert len(rows) == 18 and all(payload is None for _, _, payload in rows)
    assert digest(local) == before
    never_caught_up = tmp_path / "absent.db"           # no local read model yet: the copy folds the whole log
    assert snapshot_of(database_url, tmp_path / "snap2", read_model=str(never_caught_up)).statements == 18
    assert not never_caught_up.exists()

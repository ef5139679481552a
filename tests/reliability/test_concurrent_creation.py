"""Processes creating the same new database at once: each migration applied once, no statement lost."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from stratlog.infrastructure.config import settings
from stratlog.infrastructure.migrations import MIGRATIONS, applied_numbers, migrate
from stratlog.infrastructure.new_database import open_for_writing
from stratlog.infrastructure.runtime import Runtime
from stratlog.infrastructure.sqlite_guard import NoDatabase, check_database_file, check_existing_database
from tests.builders import statement
from tests.reliability.test_concurrent_writers import EXE, run_together

ROUNDS = 4
SRC = ["--source-title", "T", "--announced-on", "2024"]
# Wait for the starting gun, then become the command (so both start their work at the same moment).
GATE = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    folder = Path(sys.argv[1])
    (folder / f"ready-{os.getpid()}").touch()
    deadline = time.monotonic() + 60
    while not (folder / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.002)
    os.execv(sys.argv[2], sys.argv[2:])
""")


def gated(folder: Path, *args: str) -> list[str]:
    (folder / "gate.py").write_text(GATE)
    return [sys.executable, str(folder / "gate.py"), str(folder), EXE, *args]


def logged(db: str) -> list[dict]:
    done = subprocess.run([EXE, "--db", db, "events", "--json"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_processes_creating_one_new_database_at_once_both_record(tmp_path, round_):
    db = str(tmp_path / "new.db")
    commands = [gated(tmp_path, "--db", db, "record", "brand-registered", brand, "--name", brand.title())
                for brand in ("acme", "zeta")]
    finished = run_together(tmp_path, commands)
    assert [p.returncode for p in finished] == [0, 0], [p.stderr for p in finished]
    assert sorted(row["brand"] for row in logged(db)) == ["acme", "zeta"]
    assert applied_numbers(sqlite3.connect(db)) == [number for number, _, _ in MIGRATIONS]


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_a_refused_and_an_accepted_command_racing_on_a_new_path_keep_the_accepted_statement(tmp_path, round_):
    db = str(tmp_path / "new.db")
    accepted = gated(tmp_path, "--db", db, "record", "brand-registered", "acme", "--name", "Acme")
    refused = gated(tmp_path, "--db", db, "record", "model-planned", "nobrand", "X", "--planned-for", "2025", *SRC)
    finished = run_together(tmp_path, [accepted, refused])
    assert [p.returncode for p in finished] == [0, 1], [p.stderr for p in finished]
    assert "brand 'nobrand' is not registered" in finished[1].stderr
    assert [row["brand"] for row in logged(db)] == ["acme"]


def test_a_writer_waits_while_another_process_creates_the_database_then_says_so(tmp_path):
    db = str(tmp_path / "new.db")
    claim = open_for_writing(db, timeout=1)
    assert claim is not None
    env = {**os.environ, "STRATLOG_LOCK_TIMEOUT": "1"}
    command = [EXE, "--db", db, "record", "brand-registered", "acme", "--name", "Acme"]
    try:
        waited = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    finally:
        assert claim.release(remove=True)
    assert waited.returncode == 1
    assert f"another stratlog is still creating the database {db!r}; nothing was written, try again" in waited.stderr
    assert not Path(db).exists()
    assert subprocess.run(command, capture_output=True, text=True, env=env, timeout=60).returncode == 0
    assert [row["brand"] for row in logged(db)] == ["acme"]


def test_a_query_while_another_process_creates_the_database_waits_for_it_then_says_so(tmp_path):
    db = str(tmp_path / "new.db")
    claim = open_for_writing(db, timeout=1)
    env = {**os.environ, "STRATLOG_LOCK_TIMEOUT": "1"}
    try:
        waited = subprocess.run([EXE, "--db", db, "events"], capture_output=True, text=True, env=env, timeout=60)
    finally:
        assert claim.release(remove=True)
    assert waited.returncode == 1
    assert f"another stratlog is still creating the database {db!r}; nothing was written, try again" in waited.stderr
    assert not Path(db).exists()


def test_a_query_after_the_creating_command_committed_answers_without_waiting_for_it_to_end(tmp_path):
    db = str(tmp_path / "new.db")
    env = {**os.environ, "STRATLOG_LOCK_TIMEOUT": "1"}
    creating = Runtime(settings(db), writing=True)
    try:
        creating.record([statement(kind="brand-registered", brand="acme", name="Acme")])
        meanwhile = subprocess.run([EXE, "--db", db, "events", "--json"], capture_output=True, text=True, env=env,
                                   timeout=60)
    finally:
        creating.close()
    assert meanwhile.returncode == 0, meanwhile.stderr
    assert [row["brand"] for row in json.loads(meanwhile.stdout)] == ["acme"]


class AnotherProcessFirst:
    """Our connection, on which another process applies every migration just before our first write transaction."""

    def __init__(self, conn: sqlite3.Connection, other: sqlite3.Connection):
        self.conn, self.other = conn, other

    def execute(self, sql: str, *args):
        if sql == "BEGIN IMMEDIATE" and self.other is not None:
            other, self.other = self.other, None
            migrate(other)
        return self.conn.execute(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self.conn, name)


def test_migrations_another_process_applied_after_we_looked_are_not_applied_again(tmp_path):
    db = str(tmp_path / "new.db")
    ours, theirs = (sqlite3.connect(db, isolation_level=None) for _ in range(2))
    assert migrate(AnotherProcessFirst(ours, theirs)) == []
    assert applied_numbers(ours) == [number for number, _, _ in MIGRATIONS]


# A first command half-way through creating a database (claimed, migrated, its connection open) that is then
# refused: on a line from its stdin it closes and removes what it created, as a refused first command does.
REFUSED_CREATOR = textwrap.dedent("""
    import sys
    from stratlog.infrastructure.new_database import open_for_writing
    from stratlog.infrastructure.read_model import ReadModel
    claim = open_for_writing(sys.argv[1], timeout=10)
    read_model = ReadModel(sys.argv[1])
    print("half-made", flush=True)
    sys.stdin.readline()
    read_model.close()
    assert claim.release(remove=True)
""")


def creator_finishing_at_the_worst_moment(db: str, monkeypatch) -> subprocess.Popen:
    """A refused creator holding `db` half-made, which finishes (removing it) at whichever comes first of
    this process opening the file with SQLite (just after the open, before any read) or waiting for it."""
    creator = subprocess.Popen([sys.executable, "-c", REFUSED_CREATOR, db], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    assert creator.stdout.readline() == "half-made\n"
    connect, sleep = sqlite3.connect, time.sleep

    def finish() -> None:
        if not creator.stdin.closed:
            creator.stdin.write("\n")
            creator.stdin.close()
            assert creator.wait() == 0

    def opened(*args, **kwargs):
        conn = connect(*args, **kwargs)
        finish()
        return conn

    monkeypatch.setattr(sqlite3, "connect", opened)
    monkeypatch.setattr(time, "sleep", lambda seconds: (finish(), sleep(seconds))[1])
    return creator


def test_a_writer_checking_a_database_a_refused_command_is_creating_finds_it_new(tmp_path, monkeypatch):
    db = str(tmp_path / "new.db")
    creator = creator_finishing_at_the_worst_moment(db, monkeypatch)
    assert check_database_file(db, timeout=10) is True
    assert creator.returncode == 0 and not Path(db).exists()


def test_a_query_on_a_database_a_refused_command_is_creating_says_there_is_none(tmp_path, monkeypatch):
    db = str(tmp_path / "new.db")
    creator = creator_finishing_at_the_worst_moment(db, monkeypatch)
    with pytest.raises(NoDatabase, match=f"no stratlog database at {db!r}"):
        check_existing_database(db, timeout=10)
    assert creator.returncode == 0 and not Path(db).exists()

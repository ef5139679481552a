"""Messages tell the truth: committed statements are never reported as unwritten, and readers keep answering.

A real full disk (a small tmpfs filled up), a real write lock (another process holding BEGIN
IMMEDIATE) and real read-only media (a tmpfs remounted read-only) meet stratlog at the moments
that matter: just after the commit, just before it, and while a query needs to catch up.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import string
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stratlog.application.ledger import Ledger
from tests.conftest import ALPINE

SOURCE = ["--announced-on", "2024-03", "--source-title", "Press release"]
NEW_MODEL = ["record", "model-planned", "alpine", "A590", "--planned-for", "2028", *SOURCE]
RECORDED = "Warning: the statements are recorded, but the read model could not catch up: "
READ_ONLY = "is read-only (a read-only mount, or a file or folder this user cannot write): nothing was written"
# Another writer: takes the write lock, says so, and holds it until its stdin closes (at most 60 s).
HOLDER = ("import signal, sqlite3, sys; signal.alarm(60); c = sqlite3.connect(sys.argv[1], isolation_level=None); "
          "c.execute('BEGIN IMMEDIATE'); print('held', flush=True); sys.stdin.read()")


def _cannot(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must be able to run this test: {reason}")
    pytest.skip(reason)


@pytest.fixture
def tmpfs(tmp_path):
    """Mounts a small tmpfs (skips, or fails under CI, where mounting is impossible); unmounted afterwards."""
    mounted: list[Path] = []

    def mount(size: str = "3m") -> Path:
        folder = tmp_path / f"tmpfs-{len(mounted)}"
        folder.mkdir()
        try:
            done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=1777", "tmpfs", str(folder)],
                                  capture_output=True, text=True, timeout=30)
        except FileNotFoundError:
            _cannot("no mount command here")
        if done.returncode != 0:
            _cannot(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        mounted.append(folder)
        return folder

    yield mount
    for folder in reversed(mounted):
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], check=True)


def remount_read_only(folder: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True, capture_output=True)


def fill(folder: Path) -> None:
    """Fill the filesystem of `folder` to the last byte."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        for size in (1 << 20, 1 << 14, 1 << 10, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                continue
    finally:
        os.close(fd)


def after_the_commit(monkeypatch, action) -> None:
    """Run `action` once, right after the next command's events are committed (before its read model catches up)."""
    original, pending = Ledger.record, [action]

    def record(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        while pending:
            pending.pop()()
        return result

    monkeypatch.setattr(Ledger, "record", record)


def stored_events(db: str) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        count = conn.execute("SELECT COUNT(*) FROM stored_events").fetchone()[0]
    conn.close()
    return count


class LockHolder:
    """Another process holding the database's write lock until released (bounded by its own alarm)."""

    def __init__(self, db: str):
        self.process = subprocess.Popen([sys.executable, "-c", HOLDER, db], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "held"

    def release(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=30)


@pytest.fixture
def lock(monkeypatch):
    """Start LockHolders on a database (writers then wait 1 s for the lock); all released afterwards."""
    monkeypatch.setenv("STRATLOG_LOCK_TIMEOUT", "1")
    holders: list[LockHolder] = []

    def hold(db: str) -> LockHolder:
        holders.append(LockHolder(db))
        return holders[-1]

    yield hold
    for holder in holders:
        holder.release()


@pytest.fixture
def alpine_on_tmpfs(tmpfs, stratlog) -> str:
    db = str(tmpfs("3m") / "stratlog.db")
    assert stratlog("--db", db, "import", str(ALPINE)).code == 0
    return db


def assert_caught_up_and_verified(stratlog, db: str) -> None:
    timeline = stratlog("--db", db, "timeline", "--brand", "alpine", "--json")
    assert timeline.code == 0 and timeline.err == "" and "A590" in {r["subject"] for r in json.loads(timeline.out)}
    verified = stratlog("--db", db, "projections", "verify", "--max-dates", "3")
    assert verified.code == 0 and "OK: the read model equals the fold." in verified.out, verified.err


# -- a full disk -------------------------------------------------------------------------------
def test_a_disk_full_after_the_commit_says_recorded_prints_the_id_and_the_next_command_catches_up(
        alpine_on_tmpfs, stratlog, monkeypatch):
    folder = Path(alpine_on_tmpfs).parent
    after_the_commit(monkeypatch, lambda: fill(folder))
    result = stratlog("--db", alpine_on_tmpfs, *NEW_MODEL)
    assert result.code == 0 and len(result.out.strip()) == 36 and result.out.count("\n") == 1
    assert result.err == (f"{RECORDED}the disk is full (database or disk is full); the next command catches it up\n")
    assert stored_events(alpine_on_tmpfs) == 19
    (folder / "filler").unlink()
    assert_caught_up_and_verified(stratlog, alpine_on_tmpfs)


def test_a_disk_full_after_an_import_commits_says_every_statement_is_recorded(alpine_on_tmpfs, stratlog,
                                                                                  monkeypatch, tmp_path):
    folder = Path(alpine_on_tmpfs).parent
    plans = [{"kind": "model-planned", "brand": "alpine", "model": f"B{i}", "planned_for": "2030",
              "announced_on": "2024-05", "source": {"title": "Plan"}} for i in range(200)]
    (tmp_path / "plans.json").write_text(json.dumps(plans), encoding="utf-8")
    after_the_commit(monkeypatch, lambda: fill(folder))
    result = stratlog("--db", alpine_on_tmpfs, "import", str(tmp_path / "plans.json"))
    assert result.code == 0 and result.out.startswith("200 new statements, 0 already recorded")
    assert RECORDED in result.err and "the disk is full" in result.err
    assert "cannot rollback" not in result.err and "nothing was written" not in result.err
    assert stored_events(alpine_on_tmpfs) == 218
    (folder / "filler").unlink()
    verified = stratlog("--db", alpine_on_tmpfs, "projections", "verify", "--max-dates", "3")
    assert verified.code == 0 and verified.err == "", verified.err


def test_while_the_disk_stays_full_queries_answer_from_the_read_model_and_writers_say_nothing_was_written(
        alpine_on_tmpfs, stratlog, monkeypatch):
    folder = Path(alpine_on_tmpfs).parent
    after_the_commit(monkeypatch, lambda: fill(folder))
    assert stratlog("--db", alpine_on_tmpfs, *NEW_MODEL).code == 0
    query = stratlog("--db", alpine_on_tmpfs, "kpis", "--brand", "alpine", "--json")
    assert query.code == 0 and len(json.loads(query.out)) == 6
    assert query.err == ("Warning: the read model is 1 event behind the log and could not catch up: the disk is full "
                         "(less than 64 KiB free); answers leave out the newest 1 (the next command catches up)\n")
    refused = stratlog("--db", alpine_on_tmpfs, "record", "model-planned", "alpine", "A690", "--planned-for", "2029",
                       *SOURCE)
    assert refused.code == 1 and refused.out == ""
    assert refused.err == (f"Error: the disk holding {alpine_on_tmpfs!r} is full: nothing was written; free some space "
                           f"and try again\n")
    assert stored_events(alpine_on_tmpfs) == 19


def test_a_database_on_a_full_disk_still_answers_queries(alpine_on_tmpfs, stratlog):
    fill(Path(alpine_on_tmpfs).parent)
    for command in (["kpis", "--brand", "alpine"], ["events"], ["projections", "verify"]):
        result = stratlog("--db", alpine_on_tmpfs, *command)
        assert result.code == 0 and result.err == "", (command, result.err)


def test_a_disk_that_fills_during_the_commit_says_nothing_was_written_and_nothing_was(alpine_on_tmpfs, stratlog,
                                                                                        tmp_path):
    folder = Path(alpine_on_tmpfs).parent
    # notes that do not compress (stored states are deflated): ~1.1 KB each stored, 300 of them
    plans = [{"kind": "model-planned", "brand": "alpine", "model": f"B{i}", "planned_for": "2030",
              "note": "".join(random.Random(i).choices(string.ascii_letters + string.digits, k=1500)),
              "announced_on": "2024-05", "source": {"title": "Plan"}} for i in range(300)]
    (tmp_path / "plans.json").write_text(json.dumps(plans), encoding="utf-8")
    fill(folder)
    os.truncate(folder / "filler", (folder / "filler").stat().st_size - 160 * 1024)  # room to start, not to finish
    refused = stratlog("--db", alpine_on_tmpfs, "import", str(tmp_path / "plans.json"))
    assert refused.code == 1 and refused.out == ""
    assert refused.err == "Error: the disk is full (database or disk is full): nothing was written; free some space " \
                          "and try again\n"
    assert stored_events(alpine_on_tmpfs) == 18


# -- another writer holds the lock --------------------------------------------------------------
def test_a_lock_taken_after_the_commit_says_recorded_and_a_query_meanwhile_answers(alpine_db, stratlog, lock,
                                                                                     monkeypatch):
    holders: list[LockHolder] = []
    after_the_commit(monkeypatch, lambda: holders.append(lock(alpine_db)))
    result = stratlog("--db", alpine_db, *NEW_MODEL)
    assert result.code == 0 and len(result.out.strip()) == 36
    assert result.err == (f"{RECORDED}another stratlog holds the write lock (database is locked); "
                          f"the next command catches it up\n")
    monkeypatch.setenv("STRATLOG_LOCK_TIMEOUT", "30")  # a query must not wait for the writer's timeout
    started = time.monotonic()
    query = stratlog("--db", alpine_db, "timeline", "--brand", "alpine", "--json")
    assert time.monotonic() - started < 15
    assert query.code == 0 and "A590" not in query.out and "A110" in query.out
    assert query.err == ("Warning: the read model is 1 event behind the log and could not catch up: another stratlog "
                         "holds the write lock (database is locked); answers leave out the newest 1 (the next command "
                         "catches up)\n")
    holders[0].release()
    assert_caught_up_and_verified(stratlog, alpine_db)


def test_a_lock_held_before_the_commit_says_nothing_was_written_and_nothing_was(alpine_db, stratlog, lock):
    holder = lock(alpine_db)
    refused = stratlog("--db", alpine_db, *NEW_MODEL)
    assert refused.code == 1 and refused.out == ""
    assert refused.err == ("Error: the database stayed busy (another stratlog is writing): database is locked; "
                           "nothing was written, try again\n")
    holder.release()
    assert stored_events(alpine_db) == 18


# -- read-only media ----------------------------------------------------------------------------
QUERIES = [["timeline", "--brand", "alpine"], ["kpis", "--brand", "alpine"], ["state", "alpine"], ["audit", "alpine"],
           ["events"], ["export"], ["projections", "status"], ["projections", "verify"]]
WRITES = [NEW_MODEL, ["import", str(ALPINE)], ["projections", "rebuild"], ["retract", "00000000", "--reason", "x"]]


def test_a_database_on_a_read_only_mount_answers_every_query_and_names_itself_read_only_on_writes(
        alpine_on_tmpfs, stratlog):
    remount_read_only(Path(alpine_on_tmpfs).parent)
    for command in QUERIES:
        result = stratlog("--db", alpine_on_tmpfs, *command)
        assert result.code == 0 and result.err == "", (command, result.err)
    assert len(json.loads(stratlog("--db", alpine_on_tmpfs, "kpis", "--brand", "alpine", "--json").out)) == 6
    for command in WRITES:
        refused = stratlog("--db", alpine_on_tmpfs, *command)
        assert refused.code == 1 and f"Error: {alpine_on_tmpfs!r} {READ_ONLY}" in refused.err, (command, refused.err)


def test_a_read_model_behind_on_read_only_media_answers_saying_so(alpine_on_tmpfs, stratlog, monkeypatch):
    folder = Path(alpine_on_tmpfs).parent
    after_the_commit(monkeypatch, lambda: fill(folder))
    assert stratlog("--db", alpine_on_tmpfs, *NEW_MODEL).code == 0
    (folder / "filler").unlink()
    remount_read_only(folder)
    result = stratlog("--db", alpine_on_tmpfs, "timeline", "--brand", "alpine")
    assert result.code == 0 and "A110" in result.out
    assert result.err == (f"Warning: the read model is 1 event behind the log and {alpine_on_tmpfs!r} is read-only, "
                          f"so it cannot catch up: answers leave out the newest 1; open the database where it can be "
                          f"written to bring it up to date\n")


def test_a_database_in_a_folder_the_user_cannot_write_answers_queries_and_refuses_writes(alpine_db, tmp_path):
    if os.geteuid() != 0 or not Path("/usr/bin/setpriv").exists():
        _cannot("needs root and setpriv to run stratlog as another user")
    import shutil
    import tempfile
    top = Path(tempfile.mkdtemp(prefix="stratlog-ro-"))
    try:
        top.chmod(0o755)
        (top / "data").mkdir(mode=0o755)
        db = top / "data" / "stratlog.db"
        shutil.copy(alpine_db, db)
        db.chmod(0o666)  # the file is writable; its folder is not, so SQLite cannot create -wal or -shm
        # nobody may read and search every folder (so a checkout in a private folder still runs) but
        # gains no write permission: the folder stays unwritable, which is what this test is about
        as_nobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                     "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search",
                     str(Path(sys.executable).with_name("stratlog")), "--db", str(db)]
        for command in (["kpis", "--brand", "alpine", "--json"], ["events"], ["projections", "verify"]):
            done = subprocess.run([*as_nobody, *command], capture_output=True, text=True, cwd=top, timeout=120)
            assert done.returncode == 0 and done.stderr == "", (command, done.stderr)
        refused = subprocess.run([*as_nobody, *NEW_MODEL], capture_output=True, text=True, cwd=top, timeout=120)
        assert refused.returncode == 1 and f"Error: {str(db)!r} {READ_ONLY}" in refused.stderr
        assert sorted(p.name for p in (top / "data").iterdir()) == ["stratlog.db"]
    finally:
        shutil.rmtree(top)


# -- advice that would destroy a history ------------------------------------------------------------
def test_a_sqlite_history_given_as_a_team_read_model_is_refused_without_advice_to_delete_it(alpine_db, stratlog):
    result = stratlog("--db", "postgresql://analyst@127.0.0.1:1/strategy", "--read-model", alpine_db, "timeline")
    assert result.code == 1 and "delete this one" not in result.err
    assert result.err == (f"Error: {alpine_db!r} is a stratlog database with its own events (SQLite mode), not a read "
                          f"model; give another --read-model file (never this one: deleting it would delete its "
                          f"statements)\n")
    assert stored_events(alpine_db) == 18


# -- the words for what the environment refused ----------------------------------------------------
@pytest.mark.parametrize("error, message", [
    (sqlite3.OperationalError("database or disk is full"),
     "the disk is full (database or disk is full): nothing was written; free some space and try again"),
    (sqlite3.OperationalError("attempt to write a readonly database"),
     "the database cannot be written (attempt to write a readonly database): it is on read-only media, or in a "
     "file or folder this user cannot write; nothing was written"),
    (sqlite3.OperationalError("database is locked"),
     "the database stayed busy (another stratlog is writing): database is locked; nothing was written, try again"),
], ids=["disk full", "read-only", "locked"])
def test_a_refusal_before_the_commit_is_named_in_plain_words(error, message):
    from stratlog.cli.errors import exit_code_for
    assert exit_code_for(error) == (1, message)

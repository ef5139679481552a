"""A large import killed with SIGKILL at any moment leaves all or none of its statements.

Each test starts a real `stratlog import` of a few thousand statements, watches the database file
until the import reaches one phase (starting up, creating the database, validating in memory,
writing the events, catching the read model up), freezes it with SIGSTOP to check that it is
really there, then kills it with SIGKILL. Afterwards the database must open and answer, hold 0 or
every statement, verify, and take the import again.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="watches the importer through /proc")

EXE = str(Path(sys.executable).parent / "stratlog")
BRANDS, PER_BRAND = 20, 300
TOTAL = BRANDS * (PER_BRAND + 1)
NOTE = "A long remark, so that the import's single transaction spills to disk before it commits. " * 12
WAIT_SECONDS = 90
VALIDATING = 0.15  # CPU seconds into the in-memory validation (about 1 s of CPU here)


@pytest.fixture(scope="module")
def big_import(tmp_path_factory) -> str:
    """A JSON file of TOTAL valid statements: brands, targets, actuals and planned models."""
    source = {"title": "Synthetic investor day"}
    statements = []
    for b in range(BRANDS):
        brand = f"brand-{b}"
        statements.append({"kind": "brand-registered", "brand": brand, "name": f"Brand {b}"})
        for i in range(PER_BRAND):
            common = {"brand": brand, "announced_on": f"{2015 + i % 9}-{1 + i % 12:02d}", "source": source,
                      "note": NOTE}
            statements.append([
                {"kind": "target-set", "kpi": f"kpi-{i}", "value": 1000 + i, "unit": "vehicles",
                 "comparator": "at-least", "deadline": str(2030 + i % 20)},
                {"kind": "actual-reported", "kpi": f"kpi-{i}", "period": str(2000 + i % 14), "value": 10 + i,
                 "unit": "vehicles"},
                {"kind": "model-planned", "model": f"M{i}", "planned_for": str(2025 + i % 5)},
            ][i % 3] | common)
    path = tmp_path_factory.mktemp("big") / "big.json"
    path.write_text(json.dumps(statements), encoding="utf-8")
    assert len(statements) == TOTAL
    return str(path)


class Importer:
    """A `stratlog import` subprocess and what can be seen of it from outside."""

    def __init__(self, db: str, file: str, log: Path):
        self.db, self.log = db, log
        with log.open("wb") as err:
            self.process = subprocess.Popen([EXE, "--db", db, "import", file], stdout=subprocess.DEVNULL, stderr=err)
        self.reader: sqlite3.Connection | None = None

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def wal_size(self) -> int:
        try:
            return os.path.getsize(self.db + "-wal")
        except FileNotFoundError:
            return 0

    def stored(self) -> int | None:
        """Committed events seen by a reader; None while the event table does not exist yet."""
        if self.reader is None:
            if not Path(self.db).exists() or Path(self.db).stat().st_size == 0:
                return None
            self.reader = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=5, isolation_level=None)
        try:
            return self.reader.execute("SELECT COUNT(*) FROM stored_events").fetchone()[0]
        except sqlite3.OperationalError as error:
            if "no such table" in str(error):
                return None
            raise

    def read_model_position(self) -> int:
        row = self.reader.execute("SELECT position FROM rm_position").fetchone()
        return row[0] if row else 0

    def write_lock_is_held(self) -> bool:
        probe = sqlite3.connect(self.db, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError as error:
            assert "locked" in str(error)
            return True
        finally:
            probe.close()

    def freeze_when(self, condition, what: str) -> None:
        """Poll (bounded) until the condition holds, then SIGSTOP the importer where it stands."""
        deadline = time.monotonic() + WAIT_SECONDS
        while not condition():
            if self.process.poll() is not None:
                pytest.fail(f"the import ended (exit {self.process.returncode}) before {what}: "
                            f"{self.log.read_text(errors='replace')[-500:]}")
            if time.monotonic() > deadline:
                self.process.kill()
                pytest.fail(f"the import never reached {what} within {WAIT_SECONDS} s")
            time.sleep(0.001)
        self.process.send_signal(signal.SIGSTOP)

    def kill(self) -> None:
        if self.reader is not None:
            self.reader.close()
        self.process.send_signal(signal.SIGKILL)
        assert self.process.wait(timeout=30) == -signal.SIGKILL


@pytest.fixture
def start(big_import, db, tmp_path):
    started: list[Importer] = []

    def run() -> Importer:
        started.append(Importer(db, big_import, tmp_path / "import.err"))
        return started[-1]

    yield run
    for importer in started:
        if importer.process.poll() is None:
            importer.process.kill()
            importer.process.wait()


def event_count(stratlog, db: str) -> int:
    result = stratlog("--db", db, "events", "--json")
    assert result.code == 0 and "Traceback" not in result.err, result.err
    return len(json.loads(result.out))


def assert_verifies(stratlog, db: str) -> None:
    result = stratlog("--db", db, "projections", "verify", "--max-dates", "3")
    assert result.code == 0 and "OK: the read model equals the fold." in result.out, result.err


def assert_empty_and_writable(stratlog, db: str) -> None:
    assert event_count(stratlog, db) == 0
    assert_verifies(stratlog, db)
    recorded = stratlog("--db", db, "record", "brand-registered", "acme", "--name", "Acme")
    assert recorded.code == 0, recorded.err
    assert event_count(stratlog, db) == 1


def test_killed_before_it_opens_the_database_it_creates_none(start, db, stratlog):
    importer = start()
    importer.freeze_when(lambda: importer.cpu_seconds() >= 0.2 or Path(db).exists(), "running")
    assert not Path(db).exists(), "the import had already created the database when it was frozen"
    importer.kill()
    assert not Path(db).exists()
    result = stratlog("--db", db, "events")
    assert result.code == 1 and "no stratlog database" in result.err


def test_killed_while_creating_the_database_it_leaves_a_database_that_opens_empty(start, db, stratlog):
    importer = start()
    importer.freeze_when(lambda: Path(db).exists(), "creating the database file")
    importer.kill()
    assert_empty_and_writable(stratlog, db)


def test_killed_while_validating_in_memory_it_leaves_nothing(start, db, stratlog):
    importer = start()
    importer.freeze_when(lambda: importer.stored() is not None, "creating the event store")
    creation_done = importer.cpu_seconds()
    importer.process.send_signal(signal.SIGCONT)
    importer.freeze_when(lambda: importer.cpu_seconds() >= creation_done + VALIDATING, "validating the statements")
    # the statements are checked inside the transaction that holds the write lock (DESIGN §7 r2: recorded_at is
    # chosen under it), so the lock may be held here; nothing is written before the checks pass
    assert importer.stored() == 0
    importer.kill()
    assert_empty_and_writable(stratlog, db)


def test_killed_in_the_middle_of_writing_its_transaction_it_leaves_none_and_imports_again(start, db, stratlog,
                                                                                          big_import):
    importer = start()
    importer.freeze_when(lambda: importer.stored() is not None, "creating the event store")
    creation_done = importer.cpu_seconds()
    importer.process.send_signal(signal.SIGCONT)
    importer.freeze_when(lambda: importer.cpu_seconds() >= creation_done + VALIDATING, "validating the statements")
    before_writing = importer.wal_size()
    importer.process.send_signal(signal.SIGCONT)
    importer.freeze_when(lambda: importer.wal_size() > before_writing, "writing its transaction")
    assert importer.stored() == 0 and importer.write_lock_is_held(), "not frozen inside the write transaction"
    importer.kill()
    assert event_count(stratlog, db) == 0
    assert_verifies(stratlog, db)
    again = stratlog("--db", db, "import", big_import)
    assert again.code == 0 and again.out.startswith(f"{TOTAL} new statements, 0 already recorded"), again.err
    assert event_count(stratlog, db) == TOTAL


def test_killed_while_catching_the_read_model_up_it_keeps_every_event_and_the_read_model_catches_up(
        start, db, stratlog, big_import):
    importer = start()
    importer.freeze_when(lambda: (importer.stored() or 0) > 0 and importer.write_lock_is_held(),
                         "catching the read model up")
    assert importer.stored() == TOTAL, "a reader saw part of the import's transaction"
    assert importer.read_model_position() < TOTAL
    behind = TOTAL - importer.read_model_position()
    meanwhile = stratlog("--db", db, "kpis", "--json")  # the importer holds the write lock: committed answers
    assert meanwhile.code == 0 and "nothing was written" not in meanwhile.err, meanwhile.err
    assert json.loads(meanwhile.out) == []  # the catch-up is one transaction: nothing of the import committed yet
    assert (f"Warning: the read model is {behind} events behind the log and could not catch up: another stratlog "
            f"holds the write lock") in meanwhile.err
    importer.kill()
    status = stratlog("--db", db, "projections", "status")
    assert status.code == 0 and f"event log: {TOTAL} events" in status.out and " behind)" in status.out
    assert "(0 behind)" not in status.out
    assert event_count(stratlog, db) == TOTAL
    assert_verifies(stratlog, db)
    again = stratlog("--db", db, "import", big_import)
    assert again.code == 0 and again.out.startswith(f"0 new statements, {TOTAL} already recorded"), again.err

"""recorded_at never goes backwards: chosen under the write lock, later than the latest in the log (DESIGN §7 r2)."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from stratlog.application.clock import RestoredBeforeLatest, recording_instant
from stratlog.domain.fixes import StatementCorrected, StatementRetracted
from stratlog.domain.catalogue import RECORD_ADAPTER
from stratlog.domain.statement import subject_id
from stratlog.domain.brand import Brand
from stratlog.infrastructure.config import settings
from stratlog.infrastructure.event_source import EventSource
from stratlog.infrastructure.files import read_import
from stratlog.infrastructure.runtime import Runtime
from tests.conftest import copy_fixture

T = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
TICK = timedelta(microseconds=1)


class ToldClock:
    """A writer's clock that reads whatever the test sets it to."""

    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def statement(**fields):
    return RECORD_ADAPTER.validate_python({"brand": "acme", "source": {"title": "T"}, **fields})


REGISTERED = statement(kind="brand-registered", name="Acme")
TARGET = statement(kind="target-set", kpi="annual-sales", value=100000, unit="vehicles", comparator="at-least",
                   deadline="2030", announced_on="2023-06")


def record(runtime: Runtime, *records):
    """Record as a command does: save, then catch the read model (the index of ids) up."""
    result = runtime.ledger.record(list(records))
    runtime.catch_up(result.events)
    return result


def log_instants(runtime: Runtime) -> list[datetime]:
    """recorded_at of every stored event, in log order."""
    return [e.event.recorded_at for e in EventSource(runtime.ledger).read_chunk(0, limit=10_000)[0]]


def high_water_mark(db: str) -> str:
    return sqlite3.connect(db).execute("SELECT value FROM stratlog_meta WHERE key='latest_recorded_at'").fetchone()[0]


@pytest.fixture
def writer(db):
    """A Runtime on the test's database whose clock the test sets."""
    opened = []

    def open_writer(at: datetime) -> tuple[Runtime, ToldClock]:
        clock = ToldClock(at)
        opened.append(Runtime(settings(db), writing=True, clock=clock))
        return opened[-1], clock

    yield open_writer
    for runtime in opened:
        runtime.close()


def test_the_instant_is_the_clock_when_later_than_the_latest_else_one_microsecond_after_it():
    assert recording_instant(None, T) == T
    assert recording_instant(T - TICK, T) == T
    assert recording_instant(T, T) == T + TICK
    assert recording_instant(T + timedelta(days=2000), T) == T + timedelta(days=2000) + TICK


def test_a_clock_that_steps_back_six_years_records_fixes_one_microsecond_after_the_latest(writer, db, stratlog):
    runtime, clock = writer(T)
    record(runtime, REGISTERED, TARGET)
    clock.at = datetime(2020, 1, 1, tzinfo=timezone.utc)

    corrected = record(runtime, StatementCorrected(corrects=TARGET.statement_id(), fields={"value": 90000}))
    retracted = record(runtime, StatementRetracted(retracts=TARGET.statement_id(), reason="wrong brand"))

    assert (corrected.recorded_at, retracted.recorded_at) == (T + TICK, T + 2 * TICK)
    assert log_instants(runtime) == [T, T, T + TICK, T + 2 * TICK]
    assert high_water_mark(db) == "2026-03-01T12:00:00.000002Z"
    verified = stratlog("--db", db, "projections", "verify")
    assert verified.code == 0 and "OK: the read model equals the fold." in verified.out, verified.err


def test_two_writers_whose_clocks_differ_by_two_minutes_record_in_increasing_order(writer, db, stratlog):
    ahead, _ = writer(T + timedelta(minutes=2))
    behind, _ = writer(T)
    record(ahead, REGISTERED)
    record(behind, TARGET)
    record(ahead, StatementCorrected(corrects=TARGET.statement_id(), fields={"value": 90000}))
    record(behind, StatementRetracted(retracts=TARGET.statement_id(), reason="duplicate"))

    instants = log_instants(behind)
    assert instants == sorted(set(instants)) and len(instants) == 4
    assert instants[1] == T + timedelta(minutes=2) + TICK
    assert stratlog("--db", db, "projections", "verify").code == 0


def test_the_clock_is_read_while_the_command_holds_the_write_lock(writer, db):
    runtime, _ = writer(T)
    runtime.ledger.record([REGISTERED])
    probes = []

    def probing_clock() -> datetime:
        other = sqlite3.connect(db, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            probes.append("free")
        except sqlite3.OperationalError as error:
            probes.append("held" if "locked" in str(error) else str(error))
        finally:
            other.close()
        return T + timedelta(hours=1)

    runtime.ledger.clock = probing_clock
    runtime.ledger.record([TARGET])
    assert probes == ["held"]


def test_a_restore_into_a_new_database_keeps_every_recorded_at(writer, db, stratlog, tmp_path):
    runtime, _ = writer(T)
    record(runtime, REGISTERED, TARGET)
    record(runtime, StatementCorrected(corrects=TARGET.statement_id(), fields={"value": 90000}))
    backup = str(tmp_path / "backup.jsonl")
    assert stratlog("--db", db, "export", "--out", backup).code == 0

    restored = stratlog("--db", str(tmp_path / "restored.db"), "import", backup)
    assert restored.code == 0, restored.err
    copy = Runtime(settings(str(tmp_path / "restored.db")), writing=False)
    try:
        assert log_instants(copy) == log_instants(runtime)
    finally:
        copy.close()


def test_a_restore_adding_statements_recorded_before_the_latest_in_the_log_is_refused(writer, db, stratlog, tmp_path):
    runtime, _ = writer(T)
    runtime.ledger.record([REGISTERED, TARGET])
    runtime.catch_up()
    backup = str(tmp_path / "backup.jsonl")
    assert stratlog("--db", db, "export", "--out", backup).code == 0
    other = str(tmp_path / "other.db")
    later = Runtime(settings(other), writing=True, clock=ToldClock(T + timedelta(days=1)))
    try:
        later.ledger.record([statement(kind="brand-registered", brand="zeta", name="Zeta")])
        loaded = read_import(backup)
        with pytest.raises(RestoredBeforeLatest, match=(
                rf"recorded_at: statement {REGISTERED.statement_id()} was recorded at 2026-03-01T12:00:00.000000Z, "
                r"not after the latest statement of this database \(2026-03-02T12:00:00.000000Z\); a restore only "
                r"appends history after what is there")):
            later.ledger.record(loaded.records, loaded.restored)
        assert len(log_instants(later)) == 1
        assert runtime.ledger.record(loaded.records, loaded.restored).new == []  # already there: nothing to refuse
    finally:
        later.close()


def test_a_restore_appending_after_what_the_database_holds_is_accepted(writer, db, stratlog, tmp_path):
    earlier = str(tmp_path / "earlier.db")
    first = Runtime(settings(earlier), writing=True, clock=ToldClock(T - timedelta(days=1)))
    try:
        first.ledger.record([statement(kind="brand-registered", brand="zeta", name="Zeta")])
    finally:
        first.close()
    runtime, _ = writer(T)
    runtime.ledger.record([REGISTERED, TARGET])
    runtime.catch_up()
    backup = str(tmp_path / "backup.jsonl")
    assert stratlog("--db", db, "export", "--out", backup).code == 0

    restored = stratlog("--db", earlier, "import", backup)
    assert restored.code == 0 and restored.out.startswith("2 new statements"), restored.err
    assert high_water_mark(earlier) == "2026-03-01T12:00:00.000000Z"


def test_a_log_without_a_high_water_mark_is_scanned_once_for_its_latest_recorded_at(writer, db):
    """An older stratlog kept no mark, and its clock may have stepped back: the last row is not the latest."""
    runtime, _ = writer(T - timedelta(days=30))
    runtime.ledger.record([REGISTERED])
    older_stratlog = [_stored_brand(runtime, "beta", T + timedelta(hours=5)), _stored_brand(runtime, "gamma", T)]
    runtime.ledger.recorder.insert_events(older_stratlog)  # written as an older stratlog did: no mark kept
    sqlite3.connect(db, isolation_level=None).execute("DELETE FROM stratlog_meta WHERE key='latest_recorded_at'")

    result = runtime.ledger.record([TARGET])
    assert result.recorded_at == T + timedelta(hours=5) + TICK
    assert high_water_mark(db) == "2026-03-01T17:00:00.000001Z"


def test_a_version_1_database_records_after_its_latest_timestamp(tmp_path):
    path = copy_fixture("v1-alpine.db", tmp_path)
    runtime = Runtime(settings(path), writing=True, clock=ToldClock(datetime(2001, 1, 1, tzinfo=timezone.utc)))
    try:
        latest = max(log_instants(runtime))
        result = runtime.ledger.record([statement(kind="brand-registered", brand="zeta", name="Zeta")])
        assert result.recorded_at == latest + TICK
    finally:
        runtime.close()


def _stored_brand(runtime: Runtime, brand: str, recorded_at: datetime):
    registration = statement(kind="brand-registered", brand=brand, name=brand.title())
    subject = Brand.start(subject_id("brand", brand), [(registration, registration.statement_id(), recorded_at)])
    (event,) = subject.collect_events()
    return runtime.ledger.mapper.to_stored_event(event)

"""Team mode: the server's clock is the authority for recorded_at, which never goes backwards (DESIGN §7 r2).

Real processes under the real `faketime` binary against a fresh PostgreSQL database per test (the
fixtures of test_postgres_team_mode.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from stratlog.domain.dates import instant_text
from stratlog.infrastructure.config import settings
from stratlog.infrastructure.recorded_at import parse_instant
from stratlog.infrastructure.runtime import Runtime
from tests.application.test_recording_clock import _stored_brand
from tests.infrastructure.test_postgres_team_mode import database_url, env, server  # noqa: F401 - fixtures
from tests.reliability.test_clock_steps_back import (SRC, assert_every_later_command_works, assert_strictly_increasing,
                                                     logged, ok, run, step_back_scenario)


def test_record_correct_and_retract_by_a_client_whose_clock_is_in_2020_take_the_servers_clock(database_url, tmp_path,
                                                                                             env):
    where = ["--db", database_url, "--read-model", str(tmp_path / "ana.db")]
    started = datetime.now(timezone.utc) - timedelta(minutes=1)
    rows = step_back_scenario(where, env)

    assert [row["kind"] for row in rows][-3:] == ["market-entered", "statement-corrected", "statement-retracted"]
    assert_strictly_increasing(rows)
    assert all(parse_instant(row["recorded_at"]) >= started for row in rows)
    assert_every_later_command_works(where, tmp_path, env)
    newcomer = ["--db", database_url, "--read-model", str(tmp_path / "ben.db")]
    assert logged(newcomer, env) == rows


def test_two_analysts_whose_clocks_differ_by_two_minutes_write_the_shared_log_in_increasing_order(database_url,
                                                                                                 tmp_path, env):
    ana = ["--db", database_url, "--read-model", str(tmp_path / "ana.db")]
    ben = ["--db", database_url, "--read-model", str(tmp_path / "ben.db")]
    behind = ["-f", "-2m"]
    ok(run(ana, "record", "brand-registered", "acme", "--name", "Acme", env=env))
    target = ok(run(ben, "record", "target-set", "acme", "--kpi", "annual-sales", "--value", "100000", "--unit",
                    "vehicles", "--comparator", "at-least", "--deadline", "2030", "--announced-on", "2023-06", *SRC,
                    env=env, fake=behind)).strip()
    ok(run(ana, "correct", target[:10], "--value", "110000", env=env))
    ok(run(ben, "retract", target[:10], "--reason", "duplicate", env=env, fake=behind))

    rows = logged(ana, env)
    assert len(rows) == 4 and logged(ben, env) == rows
    assert_strictly_increasing(rows)
    for where in (ana, ben):
        assert "OK: the read model equals the fold." in ok(run(where, "projections", "verify", env=env))


def test_a_shared_log_whose_latest_is_ahead_of_the_servers_clock_records_one_microsecond_after_it(database_url,
                                                                                                 tmp_path, env):
    """An older stratlog wrote with a client clock a day fast: the next command still does not go back."""
    read_model = str(tmp_path / "ana.db")
    ahead = datetime.now(timezone.utc) + timedelta(days=1)
    runtime = Runtime(settings(database_url, read_model), writing=True)
    try:
        from eventsourcing.postgres import PostgresApplicationRecorder
        PostgresApplicationRecorder.insert_events(runtime.ledger.recorder, [_stored_brand(runtime, "zeta", ahead)])
    finally:
        runtime.close()

    where = ["--db", database_url, "--read-model", read_model]
    ok(run(where, "record", "brand-registered", "acme", "--name", "Acme", env=env))
    assert [row["recorded_at"] for row in logged(where, env)] == [
        instant_text(ahead), instant_text(ahead + timedelta(microseconds=1))]

"""A machine clock that steps back, or two writers whose clocks differ, never break the log (DESIGN §7 r2).

The commands run as real processes under the real `faketime` binary (libfaketime): first statements are
recorded "now", then record, correct and retract run with the clock set to 2020. Every command must
succeed, every later command must work, recorded_at must strictly increase in log order, and the read
model must equal the fold. The same scenario runs on PostgreSQL in tests/infrastructure/test_postgres_clock.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

EXE = str(Path(sys.executable).parent / "stratlog")
FAKETIME = shutil.which("faketime")
IN_2020 = "2020-01-01 00:00:00"
SRC = ["--source-title", "Clock test"]


def require_faketime() -> str:
    """The faketime binary, or skip (fail under CI=true) saying it is missing."""
    if FAKETIME is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs the faketime binary (apt-get install faketime)")
        pytest.skip("the faketime binary is not installed (apt-get install faketime)")
    return FAKETIME


def run(where: list[str], *args: str, env: dict | None = None, fake: list[str] = ()) -> subprocess.CompletedProcess:
    """`stratlog WHERE ARGS…` as a process, under `faketime FAKE…` when given."""
    command = ([require_faketime(), *fake] if fake else []) + [EXE, *where, *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def ok(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout


def logged(where: list[str], env: dict | None = None) -> list[dict]:
    return sorted(json.loads(ok(run(where, "events", "--json", env=env))), key=lambda row: row["position"])


def step_back_scenario(where: list[str], env: dict | None = None) -> list[dict]:
    """Statements recorded now, then record, correct and retract with the clock in 2020; returns the log."""
    ok(run(where, "record", "brand-registered", "acme", "--name", "Acme", env=env))
    target = ok(run(where, "record", "target-set", "acme", "--kpi", "annual-sales", "--value", "100000", "--unit",
                    "vehicles", "--comparator", "at-least", "--deadline", "2030", "--announced-on", "2023-06", *SRC,
                    env=env)).strip()
    actual = ok(run(where, "record", "actual-reported", "acme", "--kpi", "annual-sales", "--period", "2023",
                    "--value", "4000", "--unit", "vehicles", "--announced-on", "2024-01", *SRC, env=env)).strip()
    back = [IN_2020]
    ok(run(where, "record", "market-entered", "acme", "US", "--entered-on", "2024", "--announced-on", "2024", *SRC,
           env=env, fake=back))
    ok(run(where, "correct", target[:10], "--value", "120000", env=env, fake=back))
    ok(run(where, "retract", actual[:10], "--reason", "misread the source", env=env, fake=back))
    return logged(where, env)


def assert_every_later_command_works(where: list[str], folder: Path, env: dict | None = None) -> None:
    for fake in ([], [IN_2020]):
        for args in (["kpis", "--brand", "acme"], ["timeline", "--brand", "acme"], ["audit", "acme"],
                     ["state", "acme"], ["checks"], ["events"],
                     ["kpis", "--brand", "acme", "--known-at", "2020-06"]):
            ok(run(where, *args, env=env, fake=fake))
        ok(run(where, "export", "--out", str(folder / f"export{len(fake)}.jsonl"), env=env, fake=fake))
        verified = ok(run(where, "projections", "verify", env=env, fake=fake))
        assert "OK: the read model equals the fold." in verified


def assert_strictly_increasing(rows: list[dict]) -> None:
    instants = [row["recorded_at"] for row in rows]
    assert all(a < b for a, b in zip(instants, instants[1:])), instants


def test_record_correct_and_retract_with_the_clock_in_2020_after_statements_recorded_now(tmp_path):
    where = ["--db", str(tmp_path / "ledger.db")]
    rows = step_back_scenario(where)

    assert [row["kind"] for row in rows] == ["brand-registered", "target-set", "actual-reported", "market-entered",
                                             "statement-corrected", "statement-retracted"]
    assert_strictly_increasing(rows)
    assert not any(row["recorded_at"].startswith("2020") for row in rows)
    assert_every_later_command_works(where, tmp_path)
    ok(run(where, "backup", str(tmp_path / "copy.db")))
    kpis = json.loads(ok(run(where, "kpis", "--brand", "acme", "--as-of", "2024-06", "--json")))
    assert [(row["value"], row["actual"]) for row in kpis] == [(120000, None)]


def test_two_writers_whose_clocks_differ_by_two_minutes_take_turns_without_going_back(tmp_path):
    where = ["--db", str(tmp_path / "ledger.db")]
    behind = ["-f", "-2m"]
    ok(run(where, "record", "brand-registered", "acme", "--name", "Acme"))
    target = ok(run(where, "record", "target-set", "acme", "--kpi", "annual-sales", "--value", "100000", "--unit",
                    "vehicles", "--comparator", "at-least", "--deadline", "2030", "--announced-on", "2023-06", *SRC,
                    fake=behind)).strip()
    ok(run(where, "correct", target[:10], "--value", "110000"))
    ok(run(where, "correct", target[:10], "--value", "120000", fake=behind))
    ok(run(where, "record", "target-reaffirmed", "acme", "--kpi", "annual-sales", "--deadline", "2030",
           "--announced-on", "2024", *SRC))

    rows = logged(where)
    assert len(rows) == 5
    assert_strictly_increasing(rows)
    assert "OK: the read model equals the fold." in ok(run(where, "projections", "verify"))
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M")
    assert all(row["recorded_at"][:16] <= now for row in rows)

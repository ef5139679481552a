"""Several real processes writing to one database at once: nothing lost, nothing refused spuriously."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
import time
from functools import partial
from pathlib import Path

import pytest

from stratlog.domain.errors import TargetNotFound
from stratlog.infrastructure.config import LOCK_TIMEOUT_SECONDS, settings
from stratlog.infrastructure.event_source import EventSource
from stratlog.infrastructure.runtime import Runtime
from tests import builders

EXE = str(Path(sys.executable).parent / "stratlog")
WRITERS, STATEMENTS_EACH = 4, 10
SRC = ["--source-title", "Concurrent test"]

# One writer: wait for the starting gun, then record its statements one `stratlog record` process at a time.
WRITER = textwrap.dedent("""
    import json, subprocess, sys, time
    from pathlib import Path
    exe, db, folder, writer, count = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    (folder / f"ready-{writer}").touch()
    deadline = time.monotonic() + 60
    while not (folder / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    results = []
    for i in range(count):
        if i % 2:
            args = ["actual-reported", "acme", "--kpi", f"kpi-{writer}-{i}", "--period", "2023", "--value", str(i),
                    "--unit", "vehicles"]
        else:
            args = ["target-set", "acme", "--kpi", f"kpi-{writer}-{i}", "--value", str(1000 + i), "--unit", "vehicles",
                    "--comparator", "at-least", "--deadline", "2030"]
        started = time.time()
        done = subprocess.run([exe, "--db", db, "record", *args, "--announced-on", "2024-01",
                               "--source-title", "Concurrent test"], capture_output=True, text=True)
        results.append({"code": done.returncode, "out": done.stdout, "err": done.stderr,
                        "started": started, "ended": time.time()})
    print(json.dumps(results))
""")


def run_together(tmp_path: Path, commands: list[list[str]]) -> list[subprocess.CompletedProcess]:
    """Start every command, release them together once all are ready, and wait (bounded) for all."""
    processes = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in commands]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < len(commands) and time.monotonic() < deadline:
        time.sleep(0.005)
    (tmp_path / "go").touch()
    done = []
    for command, process in zip(commands, processes):
        out, err = process.communicate(timeout=600)  # a bound against a hang, not a timing: shared machines are slow
        done.append(subprocess.CompletedProcess(command, process.returncode, out, err))
    return done


def events(stratlog, db: str, *args: str) -> list[dict]:
    result = stratlog("--db", db, "events", "--json", *args)
    assert result.code == 0, result.err
    return json.loads(result.out)


@pytest.fixture
def acme_db(db, stratlog):
    assert stratlog("--db", db, "record", "brand-registered", "acme", "--name", "Acme").code == 0
    return db


def test_four_processes_recording_on_one_brand_at_once_all_land(acme_db, stratlog, tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    commands = [[sys.executable, str(script), EXE, acme_db, str(tmp_path), str(w), str(STATEMENTS_EACH)]
                for w in range(WRITERS)]
    finished = run_together(tmp_path, commands)
    assert all(p.returncode == 0 for p in finished), [p.stderr for p in finished]
    results = [json.loads(p.stdout) for p in finished]
    failures = [r for writer in results for r in writer if r["code"] != 0 or r["err"]]
    assert failures == []
    printed = {r["out"].strip() for writer in results for r in writer}
    assert len(printed) == WRITERS * STATEMENTS_EACH
    assert max(w[0]["started"] for w in results) < min(w[-1]["ended"] for w in results), "the writers did not overlap"

    logged = events(stratlog, acme_db, "--brand", "acme")
    assert len(logged) == 1 + WRITERS * STATEMENTS_EACH
    assert printed <= {e["statement_id"] for e in logged}
    verified = stratlog("--db", acme_db, "projections", "verify")
    assert verified.code == 0 and "versions run 1..n per subject\n" in verified.out, verified.err + verified.out


def test_two_processes_moving_the_same_target_at_once_one_wins_the_other_is_refused_clearly(acme_db, stratlog,
                                                                                           tmp_path):
    assert stratlog("--db", acme_db, "record", "target-set", "acme", "--kpi", "annual-sales", "--value", "100000",
                    "--unit", "vehicles", "--comparator", "at-least", "--deadline", "2030",
                    "--announced-on", "2023-06", *SRC).code == 0
    gate = textwrap.dedent("""
        import os, sys, time
        from pathlib import Path
        folder = Path(sys.argv[1])
        (folder / f"ready-{os.getpid()}").touch()
        deadline = time.monotonic() + 60
        while not (folder / "go").exists() and time.monotonic() < deadline:
            time.sleep(0.005)
        os.execv(sys.argv[2], sys.argv[2:])
    """)
    (tmp_path / "gate.py").write_text(gate)
    moves = [[sys.executable, str(tmp_path / "gate.py"), str(tmp_path), EXE, "--db", acme_db, "record",
              "target-revised", "acme", "--kpi", "annual-sales", "--deadline", "2030", "--new-deadline", new,
              "--announced-on", "2024-01", *SRC] for new in ("2031", "2032")]
    first, second = run_together(tmp_path, moves)
    assert sorted([first.returncode, second.returncode]) == [0, 1], (first.stderr, second.stderr)
    winner, loser = (first, second) if first.returncode == 0 else (second, first)
    assert "names no live target annual-sales 2030" in loser.stderr and "Traceback" not in loser.stderr
    revisions = events(stratlog, acme_db, "--kind", "target-revised")
    assert [r["statement_id"] for r in revisions] == [winner.stdout.strip()]
    reaffirm = stratlog("--db", acme_db, "record", "target-reaffirmed", "acme", "--kpi", "annual-sales",
                        "--deadline", "2030", "--announced-on", "2024-02", *SRC)
    assert reaffirm.code == 1 and "names no live target annual-sales 2030" in reaffirm.err


def test_a_command_made_invalid_by_a_concurrent_writer_is_retried_on_fresh_state_and_refused(db):
    statement = partial(builders.statement, brand="acme", source={"title": "T"})

    first, second = Runtime(settings(db), writing=True), Runtime(settings(db), writing=True)
    try:
        first.ledger.record([statement(kind="brand-registered", name="Acme"),
                             statement(kind="target-set", kpi="annual-sales", value=100000, unit="vehicles",
                                       comparator="at-least", deadline="2030", announced_on="2023-06")])
        brand_id = statement(kind="brand-registered", name="Acme").subject_id
        stale = second.ledger.load(brand_id)  # the second writer read the brand while 2030 was still live
        first.ledger.record([statement(kind="target-revised", kpi="annual-sales", deadline="2030",
                                       new_deadline="2031", announced_on="2024-01")])
        loads = []
        fresh_load = second.ledger.load

        def stale_then_fresh(aggregate_id):
            loads.append(aggregate_id)
            return stale if len(loads) == 1 else fresh_load(aggregate_id)

        second.ledger.load = stale_then_fresh
        with pytest.raises(TargetNotFound, match="names no live target annual-sales 2030"):
            second.ledger.record([statement(kind="target-reaffirmed", kpi="annual-sales", deadline="2030",
                                            announced_on="2024-02")])
        assert len(loads) >= 2  # the stale attempt clashed on save and the retry saw the move
        assert EventSource(first.ledger).max_position() == 3
    finally:
        first.close()
        second.close()


def test_a_locked_database_makes_a_writer_wait_a_bounded_time_then_say_so(acme_db, stratlog):
    before = len(events(stratlog, acme_db))
    holder = sqlite3.connect(acme_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        blocked = subprocess.run([EXE, "--db", acme_db, "record", "market-entered", "acme", "US", "--entered-on",
                                  "2024", "--announced-on", "2024", *SRC], capture_output=True, text=True, timeout=60)
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert blocked.returncode == 1 and "Traceback" not in blocked.stderr
    assert "the database stayed busy (another stratlog is writing)" in blocked.stderr
    assert "nothing was written" in blocked.stderr
    assert LOCK_TIMEOUT_SECONDS * 0.9 <= waited < LOCK_TIMEOUT_SECONDS + 15
    assert len(events(stratlog, acme_db)) == before

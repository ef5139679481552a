"""Read-model rebuild through `stratlog projections rebuild` against a raw read and decode of the log."""

from __future__ import annotations

import json
import sqlite3
import time

from benchmarks.figures import Figure, Target
from stratlog.infrastructure.stored_state import unpack
from benchmarks.timing import Series, console_script, run_process

REBUILD_TARGET = Target("ratio", at_least=True, goal=0.45, stretch=0.6, unit="×")
REBUILD_MEMORY_TARGET = Target("value", at_least=False, goal=150, stretch=100, unit="MB")


def raw_read_rate(db: str) -> float:
    """Rows per second of `SELECT state FROM stored_events` with the raw decode of every row: inflate the
    packed state (infrastructure/stored_state.py, as every reader of the log must) and `json.loads` it."""
    conn = sqlite3.connect(db)
    try:
        started = time.perf_counter()
        count = 0
        for (state,) in conn.execute("SELECT state FROM stored_events"):
            json.loads(unpack(state))
            count += 1
        return count / (time.perf_counter() - started)
    finally:
        conn.close()


def measure_rebuild(db: str, events: int, workdir: str, repeat: int) -> list[Figure]:
    """`repeat` rebuilds of the database's read model, each followed by its raw baseline."""
    stratlog = console_script()
    rates, raw_rates, peaks = [], [], []
    for _ in range(repeat):
        run = run_process([stratlog, "--db", db, "projections", "rebuild"], cwd=workdir, log_dir=workdir, peak_memory=True)
        rates.append(events / run.seconds)
        peaks.append(run.peak_mb)
        raw_rates.append(raw_read_rate(db))
    return [
        Figure(Series("read-model rebuild (`stratlog projections rebuild`, whole process)", "events/s", rates),
               Series("raw `SELECT state` + inflate + `json.loads` of every row", "rows/s", raw_rates),
               "share", "× raw", REBUILD_TARGET),
        Figure(Series("peak memory of `stratlog projections rebuild`", "MB", peaks), target=REBUILD_MEMORY_TARGET),
    ]

"""One `stratlog record` on a subject with a long history against the same on an (almost) empty brand."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from benchmarks.figures import Figure, Target
from benchmarks.measure_import import remove_database
from benchmarks.timing import Series, console_script, run_process

LONG_RECORD_TARGET = Target("ratio", at_least=False, goal=2, stretch=1.2, unit="×")  # DESIGN 8b r2
FIRST_DAY = date(1990, 1, 1)
LONG, EMPTY = "long-history", "empty-brand"


def long_history(statements: int) -> list[dict]:
    """Two brands: LONG with `statements` valuations (one per day, each its own item) on its brand subject,
    and EMPTY with its registration alone."""
    said = [{"kind": "brand-registered", "brand": brand, "name": brand.title()} for brand in (LONG, EMPTY)]
    for number in range(statements - 1):
        day = (FIRST_DAY + timedelta(days=number)).isoformat()
        said.append({"kind": "valuation-updated", "brand": LONG, "value": {"amount": 10**9 + number, "currency": "EUR"},
                     "valued_on": day, "basis": "market cap", "announced_on": day, "source": {"title": f"Filing {day}"}})
    return said


def measure_long_subject(statements: int, workdir: str, runs: int) -> tuple[list[Figure], str]:
    """`runs` rounds (after one uncounted warm-up round), each recording one valuation on LONG and one on
    EMPTY in turn; returns the figure and a line on how the database was built."""
    stratlog = console_script()
    db, jsonl = str(Path(workdir) / "long-subject.db"), str(Path(workdir) / "long-subject.jsonl")
    remove_database(db)
    Path(jsonl).write_text("".join(json.dumps(s) + "\n" for s in long_history(statements)), encoding="utf-8")
    built = run_process([stratlog, "--db", db, "import", jsonl], cwd=workdir, log_dir=workdir)
    ms: dict[str, list[float]] = {LONG: [], EMPTY: []}
    try:
        for number in range(runs + 1):
            day = (date(2030, 1, 1) + timedelta(days=number)).isoformat()
            for brand in (LONG, EMPTY):
                run = run_process([stratlog, "--db", db, "record", "valuation-updated", brand, "--value",
                                   "2000000000 EUR", "--valued-on", day, "--announced-on", day,
                                   "--source-title", f"bench-{number}"], cwd=workdir, log_dir=workdir)
                if number:
                    ms[brand].append(run.seconds * 1000)
    finally:
        remove_database(db)
    figure = Figure(Series(f"one `stratlog record valuation-updated` on a subject with {statements:,} statements, "
                           f"whole process", "ms", ms[LONG]),
                    Series("the same on a brand with nothing recorded but its registration", "ms", ms[EMPTY]),
                    "times", "× empty brand", LONG_RECORD_TARGET)
    return [figure], (f"long subject: {statements:,} statements on one brand subject ({statements - 1:,} valuations), "
                      f"imported in {built.seconds:.1f} s (untimed)")

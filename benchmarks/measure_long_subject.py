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


SALES = {"kpi": "annual-sales", "deadline": "2040"}


def long_history(statements: int, shape: str = "valuations") -> list[dict]:
    """Two brands: LONG with `statements` statements on its brand subject, and EMPTY with its registration
    alone (and, for targets, its own target set). `shape`: "valuations" (one per day, each its own item)
    or "targets" (one target set, then revised once a day: one targets unit)."""
    said = [{"kind": "brand-registered", "brand": brand, "name": brand.title()} for brand in (LONG, EMPTY)]
    if shape == "targets":
        said += [{"kind": "target-set", "brand": brand, **SALES, "value": 100000, "unit": "vehicles",
                  "comparator": "at-least", "announced_on": FIRST_DAY.isoformat(), "source": {"title": "Plan"}}
                 for brand in (LONG, EMPTY)]
    for number in range(statements - (2 if shape == "targets" else 1)):  # LONG's registration (and target) first
        day = (FIRST_DAY + timedelta(days=number + 1)).isoformat()
        if shape == "targets":
            said.append({"kind": "target-revised", "brand": LONG, **SALES, "value": 100000 + number,
                         "announced_on": day, "source": {"title": f"Update {day}"}})
        else:
            said.append({"kind": "valuation-updated", "brand": LONG, "value": {"amount": 10**9 + number, "currency": "EUR"},
                         "valued_on": day, "basis": "market cap", "announced_on": day, "source": {"title": f"Filing {day}"}})
    return said


RECORDS = {  # shape -> (the record's words for the figure, its arguments after the brand, given the day)
    "valuations": ("valuation-updated", lambda day: ["--value", "2000000000 EUR", "--valued-on", day]),
    "targets": ("target-revised", lambda day: ["--kpi", "annual-sales", "--deadline", "2040", "--value",
                                               str(100000 + int(day[-2:]))]),
}


def measure_long_subject(statements: int, workdir: str, runs: int) -> tuple[list[Figure], str]:
    """For each shape of long history (RECORDS): `runs` rounds (after one uncounted warm-up round), each
    recording one statement on LONG and one on EMPTY in turn; returns the figures and a line on how the
    databases were built."""
    figures, built = [], []
    for shape, (kind, arguments) in RECORDS.items():
        figure, seconds = _measure(statements, workdir, runs, shape, kind, arguments)
        figures.append(figure)
        built.append(f"{shape} imported in {seconds:.1f} s")
    return figures, (f"long subject: {statements:,} statements on one brand subject, either valuations or the "
                     f"revisions of one target ({', '.join(built)}, untimed)")


def _measure(statements: int, workdir: str, runs: int, shape: str, kind: str, arguments) -> tuple[Figure, float]:
    stratlog = console_script()
    db, jsonl = str(Path(workdir) / f"long-{shape}.db"), str(Path(workdir) / f"long-{shape}.jsonl")
    remove_database(db)
    Path(jsonl).write_text("".join(json.dumps(s) + "\n" for s in long_history(statements, shape)), encoding="utf-8")
    built = run_process([stratlog, "--db", db, "import", jsonl], cwd=workdir, log_dir=workdir)
    ms: dict[str, list[float]] = {LONG: [], EMPTY: []}
    try:
        for number in range(runs + 1):
            day = (date(2030, 1, 1) + timedelta(days=number)).isoformat()
            for brand in (LONG, EMPTY):
                run = run_process([stratlog, "--db", db, "record", kind, brand, *arguments(day), "--announced-on", day,
                                   "--source-title", f"bench-{number}"], cwd=workdir, log_dir=workdir)
                if number:
                    ms[brand].append(run.seconds * 1000)
    finally:
        remove_database(db)
    what = "statements" if shape == "valuations" else "statements (revisions of one target)"
    figure = Figure(Series(f"one `stratlog record {kind}` on a subject with {statements:,} {what}, whole process",
                           "ms", ms[LONG]),
                    Series("the same on a brand with nothing recorded but its registration"
                           + (" and that target" if shape == "targets" else ""), "ms", ms[EMPTY]),
                    "times", "× empty brand", LONG_RECORD_TARGET)
    return figure, built.seconds

"""Fold costs of long histories: a record on a long subject vs an empty brand, the catch-up per statement, instants in a rebuild.

`python -m benchmarks.measure_fold_costs [--size 2000] [--runs 3] [--shape targets|actuals|valuations]`
prints one line per figure. The record figures time the whole `stratlog record` process on a copy of
the database (one copy per run, made outside the timed window).
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from benchmarks.measure_startup import copy_database
from benchmarks.timing import Series, console_script, run_process

SOURCE = {"title": "Long history bench"}
FIRST_DAY = date(1900, 1, 1)


def _day(n: int) -> str:
    return (FIRST_DAY + timedelta(days=n)).isoformat()


def _month(n: int) -> str:
    return f"{1800 + n // 12:04d}-{n % 12 + 1:02d}"


def long_history(brand: str, shape: str, size: int) -> list[dict]:
    """`size` statements of one brand, most in one fold unit: reaffirmations of one target (targets),
    actuals of one KPI (actuals), or half valuations and half actuals (valuations)."""
    said = {"brand": brand, "source": SOURCE}
    rows = [{"kind": "brand-registered", "brand": brand, "name": brand.title()}]
    if shape == "targets":
        rows.append({**said, "kind": "target-set", "kpi": "annual-sales", "value": 1000, "unit": "vehicles", "comparator": "at-least",
                     "deadline": "2999", "announced_on": _day(0)})
        rows += [{**said, "kind": "target-reaffirmed", "kpi": "annual-sales", "deadline": "2999",
                  "announced_on": _day(n)} for n in range(1, size)]
    else:
        half = size // 2 if shape == "valuations" else 0
        rows += [{**said, "kind": "valuation-updated", "value": {"amount": 1000 + n, "currency": "EUR"},
                  "valued_on": _day(n), "announced_on": _day(n)} for n in range(half)]
        rows += [{**said, "kind": "actual-reported", "kpi": "annual-sales", "period": _month(n), "value": 1000 + n,
                  "unit": "vehicles", "announced_on": _month(n + 1)} for n in range(size - half)]
    return rows


def record_command(db: str, brand: str, shape: str, n: int) -> list[str]:
    """One more statement of the unit that is long on `brand` (announced after everything there)."""
    base = [console_script(), "--db", db, "record"]
    tail = ["--announced-on", "2990-01-01", "--source-title", f"bench-{n}"]
    if shape == "targets":
        return base + ["target-set", brand, "--kpi", "annual-sales", "--value", "1000", "--unit", "vehicles", "--comparator", "at-least",
                       "--deadline", "2999", *tail] if brand == "empty" else \
            base + ["target-reaffirmed", brand, "--kpi", "annual-sales", "--deadline", "2999", *tail]
    if shape == "valuations":
        return base + ["valuation-updated", brand, "--value", f"{5000 + n} EUR", "--valued-on", "2990-01-01", *tail]
    return base + ["actual-reported", brand, "--kpi", "annual-sales", "--period", "2989", "--value", "7",
                   "--unit", "vehicles", *tail]


def _import(workdir: str, db: str, rows: list[dict]) -> float:
    path = Path(workdir) / "rows.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    run = run_process([console_script(), "--db", db, "import", str(path)], cwd=workdir, log_dir=workdir)
    return run.seconds


def _timed(command: list[str], workdir: str) -> tuple[float, float]:
    """(wall ms, CPU ms) of one whole process: the CPU time (user + system) stays meaningful on a loaded machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = run_process(command, workdir, workdir).seconds * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000


def measure_record(workdir: str, shape: str, size: int, runs: int) -> tuple[Series, Series, Series, Series]:
    """Whole-process `record` on the long brand and on an empty one, interleaved, one fresh copy per run:
    wall and CPU milliseconds of each."""
    db = str(Path(workdir) / "long.db")
    _import(workdir, db, long_history("long", shape, size) + [{"kind": "brand-registered", "brand": "empty",
                                                                  "name": "Empty"}])
    wall: dict[str, list[float]] = {"long": [], "empty": []}
    cpu: dict[str, list[float]] = {"long": [], "empty": []}
    copy = str(Path(workdir) / "copy.db")
    for n in range(runs):
        for brand in wall:
            copy_database(db, copy)
            ms, cpu_ms = _timed(record_command(copy, brand, shape, n), workdir)
            wall[brand].append(ms)
            cpu[brand].append(cpu_ms)
    long = f"record on a {shape} subject of {size} statements"
    return (Series(long, "ms", wall["long"]), Series("record on an empty brand", "ms", wall["empty"]),
            Series(f"{long} (CPU)", "ms", cpu["long"]), Series("record on an empty brand (CPU)", "ms", cpu["empty"]))


def measure_catch_up(workdir: str, size: int) -> float:
    """Milliseconds per statement of the read-model catch-up after `size` actuals are recorded in one command."""
    from stratlog.application.ports import QUIET
    from stratlog.infrastructure.composition import open_stratlog
    db = str(Path(workdir) / "catchup.db")
    _import(workdir, db, long_history("base", "actuals", 2))
    with open_stratlog(db, None, writing=True) as app:
        records = app.files.statements(long_history("caught", "actuals", size)).records
        result = app.store.record(records, None, QUIET)
        started = time.perf_counter()
        app.store.settle(result.events, QUIET)
        return (time.perf_counter() - started) * 1000 / size


def measure_instants(workdir: str, size: int, commands: int) -> tuple[float, float]:
    """Seconds of an in-process rebuild of `size` statements recorded by `commands` commands vs by one."""
    from stratlog.infrastructure.composition import open_stratlog
    rows = long_history("split", "targets", size // 2) + long_history("split", "actuals", size // 2)[1:]
    seconds = []
    for parts in (commands, 1):
        db = str(Path(workdir) / f"split-{parts}.db")
        step = -(-len(rows) // parts)
        for start in range(0, len(rows), step):
            _import(workdir, db, rows[start:start + step])
        with open_stratlog(db, None, writing=True) as app:
            started = time.perf_counter()
            app.rebuild()
            seconds.append(time.perf_counter() - started)
    return seconds[0], seconds[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shape", choices=("targets", "actuals", "valuations"), default="targets")
    parser.add_argument("--only", choices=("record", "catch-up", "instants"), default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        if args.only in (None, "record"):
            for long, empty in zip(*[iter(measure_record(workdir, args.shape, args.size, args.runs))] * 2):
                print(f"{long.name}: median {long.median:.0f} ms (min {long.min:.0f}); {empty.name}: median "
                      f"{empty.median:.0f} ms (min {empty.min:.0f}); ratio {long.median / empty.median:.2f}")
        if args.only in (None, "catch-up"):
            print(f"catch-up after 4000 actuals: {measure_catch_up(workdir, 4000):.2f} ms per statement")
        if args.only in (None, "instants"):
            split, once = measure_instants(workdir, 1000, 50)
            print(f"rebuild of 1000 statements: recorded by 50 commands {split:.2f} s, by one import {once:.2f} s, "
                  f"ratio {split / once:.1f}")


if __name__ == "__main__":
    main()

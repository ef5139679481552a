"""Whole-process cold start of `stratlog --help`, a read-only query and one `record`, against `import click`."""

from __future__ import annotations

import sqlite3
import string
import sys
from pathlib import Path

from benchmarks.figures import Figure, Target
from benchmarks.measure_import import remove_database
from benchmarks.timing import Series, console_script, run_process

AS_OF = "2025-06-30"
HELP_TARGET = Target("ratio", at_least=False, goal=1.8, stretch=1.4, unit="×")
KPIS_TARGET = Target("value", at_least=False, goal=150, stretch=100, unit="ms")
RECORD_TARGET = Target("value", at_least=False, goal=350, stretch=250, unit="ms")


def copy_database(source: str, target: str) -> None:
    """A consistent copy through SQLite's backup API (the WAL included)."""
    remove_database(target)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def market_code(number: int) -> str:
    """A fresh three-letter market code per recording (QAA, QAB, …), none of the generator's regions."""
    letters = string.ascii_uppercase
    return "Q" + letters[number // 26 % 26] + letters[number % 26]


def measure_startup(db: str, brand: str, workdir: str, runs: int) -> list[Figure]:
    """`runs` rounds, each running every command once (interleaved), after one uncounted warm-up round."""
    stratlog = console_script()
    copy = str(Path(workdir) / "record-copy.db")
    copy_database(db, copy)
    commands = {
        "click": lambda n: [sys.executable, "-c", "import click"],
        "help": lambda n: [stratlog, "--help"],
        "kpis": lambda n: [stratlog, "--db", db, "kpis", "--brand", brand, "--as-of", AS_OF],
        "record": lambda n: [stratlog, "--db", copy, "record", "market-entered", brand, market_code(n),
                             "--entered-on", "2024", "--announced-on", "2024", "--source-title", f"bench-{n}"],
    }
    ms: dict[str, list[float]] = {name: [] for name in commands}
    try:
        for number in range(runs + 1):
            for name, command in commands.items():
                run = run_process(command(number), cwd=workdir, log_dir=workdir)
                if number:
                    ms[name].append(run.seconds * 1000)
    finally:
        remove_database(copy)
    click = Series('`python -c "import click"` (same interpreter)', "ms", ms["click"])
    return [
        Figure(Series("`stratlog --help`, whole process", "ms", ms["help"]), click, "times", "× click", HELP_TARGET),
        Figure(Series(f"`stratlog kpis --brand {brand} --as-of {AS_OF}`, whole process", "ms", ms["kpis"]),
               click, "times", "× click", KPIS_TARGET),
        Figure(Series("one `stratlog record market-entered …`, whole process", "ms", ms["record"]),
               click, "times", "× click", RECORD_TARGET),
    ]

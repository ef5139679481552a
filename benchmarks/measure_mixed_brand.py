"""One `stratlog record` of each kind on a brand with a mixed long history against the same on an empty brand.

The brand holds `statements` statements: half valuations (one unit), a quarter actuals (one unit) and a
quarter one target set then revised again and again (one targets unit). Run as a module:
`python -m benchmarks.measure_mixed_brand --statements 5000 --runs 3`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from datetime import date, timedelta
from pathlib import Path

from benchmarks.measure_import import remove_database
from benchmarks.timing import console_script, run_process

FIRST_DAY = date(1990, 1, 1)
MIXED, EMPTY = "mixed-history", "empty-brand"
SOURCE = {"title": "Filing"}


def mixed_history(statements: int) -> list[dict]:
    """MIXED with `statements` statements (valuations, actuals, revisions of one target) and EMPTY registered."""
    said = [{"kind": "brand-registered", "brand": brand, "name": brand.title()} for brand in (MIXED, EMPTY)]
    said.append({"kind": "target-set", "brand": MIXED, "kpi": "annual-sales", "deadline": "2040", "value": 100000,
                 "unit": "vehicles", "comparator": "at-least", "announced_on": FIRST_DAY.isoformat(), "source": SOURCE})
    for number in range(statements - 2):
        day = (FIRST_DAY + timedelta(days=number + 1)).isoformat()
        if number % 2 == 0:
            said.append({"kind": "valuation-updated", "brand": MIXED, "value": {"amount": 10**9 + number, "currency": "EUR"},
                         "valued_on": day, "basis": "market cap", "announced_on": day, "source": SOURCE})
        elif number % 4 == 1:
            said.append({"kind": "actual-reported", "brand": MIXED, "kpi": "annual-sales", "period": day,
                         "value": 1000 + number, "unit": "vehicles", "announced_on": day, "source": SOURCE})
        else:
            said.append({"kind": "target-revised", "brand": MIXED, "kpi": "annual-sales", "deadline": "2040",
                         "value": 100000 + number, "announced_on": day, "source": SOURCE})
    return said


def commands(brand: str, day: str) -> dict[str, list[str]]:
    """The three records measured, each announced on `day` (later than everything recorded)."""
    source = ["--announced-on", day, "--source-title", f"bench-{day}"]
    return {
        "valuation": ["valuation-updated", brand, "--value", "2000000000 EUR", "--valued-on", day, *source],
        "actual": ["actual-reported", brand, "--kpi", "annual-sales", "--period", day, "--value", "5",
                   "--unit", "vehicles", *source],
        "target revision": ["target-revised", brand, "--kpi", "annual-sales", "--deadline", "2040",
                            "--value", "120000", *source],
    }


def measure_mixed_brand(statements: int, workdir: str, runs: int) -> dict[str, dict[str, list[float]]]:
    """ms of each record kind on MIXED and on EMPTY (an empty brand first gets its own target set), over
    `runs` rounds after one uncounted warm-up round."""
    stratlog = console_script()
    db, jsonl = str(Path(workdir) / "mixed.db"), str(Path(workdir) / "mixed.jsonl")
    remove_database(db)
    history = mixed_history(statements) + [{**mixed_history(2)[2], "brand": EMPTY}]
    Path(jsonl).write_text("".join(json.dumps(s) + "\n" for s in history), encoding="utf-8")
    run_process([stratlog, "--db", db, "import", jsonl], cwd=workdir, log_dir=workdir)
    ms: dict[str, dict[str, list[float]]] = {}
    try:
        for number in range(runs + 1):
            day = (date(2030, 1, 1) + timedelta(days=number)).isoformat()
            for brand in (MIXED, EMPTY):
                for kind, args in commands(brand, day).items():
                    run = run_process([stratlog, "--db", db, "record", *args], cwd=workdir, log_dir=workdir)
                    if number:
                        ms.setdefault(kind, {}).setdefault(brand, []).append(run.seconds * 1000)
    finally:
        remove_database(db)
    return ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        ms = measure_mixed_brand(args.statements, workdir, args.runs)
    for kind, by_brand in ms.items():
        long, empty = statistics.median(by_brand[MIXED]), statistics.median(by_brand[EMPTY])
        print(f"{kind:16} {args.statements:,} statements: {long:7.0f} ms   empty brand: {empty:5.0f} ms   "
              f"{long / empty:4.2f} ×")


if __name__ == "__main__":
    main()

"""`python -m benchmarks.run`: generate histories, measure each figure against its baseline, write BENCHMARKS.md."""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from benchmarks.generate import generate, write_jsonl
from benchmarks.measure_import import measure_import
from benchmarks.measure_queries import measure_queries
from benchmarks.measure_rebuild import measure_rebuild
from benchmarks.measure_startup import measure_startup
from benchmarks.report import SizeReport, render

SMOKE_SIZE = 10_000
DESCRIPTION = "Generate histories, measure each figure against its baseline, write BENCHMARKS.md."
MB = 1024 * 1024


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=DESCRIPTION)
    parser.add_argument("--sizes", help="history sizes, comma-separated [default: 10000,100000,1000000; smoke: 10000]")
    parser.add_argument("--repeat", type=int, help="runs of each figure [default: 3; smoke: 1]")
    parser.add_argument("--queries", type=int, help="random (brand, date) pairs per run [default: 300; smoke: 50]")
    parser.add_argument("--startup-runs", type=int, help="runs of each cold-start command [default: 10; smoke: 3]")
    parser.add_argument("--out", default="BENCHMARKS.md", help="the report to write [default: BENCHMARKS.md]")
    parser.add_argument("--workdir", help="where histories and databases go, kept [default: a temporary folder]")
    parser.add_argument("--smoke", action="store_true", help="one small size, one run, few queries: a quick check")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")] if args.sizes else None
    if args.smoke:
        args.sizes = sizes or [SMOKE_SIZE]
        if len(args.sizes) != 1 or args.sizes[0] > SMOKE_SIZE:
            parser.error(f"--smoke runs one size of at most {SMOKE_SIZE}, not {args.sizes}")
        args.repeat, args.queries, args.startup_runs = 1, args.queries or 50, args.startup_runs or 3
    else:
        args.sizes = sizes or [10_000, 100_000, 1_000_000]
        args.repeat, args.queries, args.startup_runs = args.repeat or 3, args.queries or 300, args.startup_runs or 10
    if min(args.sizes) < 1 or args.repeat < 1 or args.queries < 1 or args.startup_runs < 1:
        parser.error("sizes, --repeat, --queries and --startup-runs must be positive")
    return args


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _section(report: SizeReport, name: str, measure: Callable):
    """Run one measurement; a failure is written into the report (and the exit code), the others still run."""
    started = time.perf_counter()
    _progress(f"[{report.size:,}] {name} …")
    try:
        result = measure()
    except Exception as error:  # reported in BENCHMARKS.md and by the exit code, never hidden
        report.failures.append(f"{report.size:,} statements, {name}: {type(error).__name__}: {error}")
        _progress(f"[{report.size:,}] {name} FAILED: {error}")
        return None
    _progress(f"[{report.size:,}] {name} done in {time.perf_counter() - started:.1f} s")
    return result


def measure_size(size: int, workdir: Path, args: argparse.Namespace) -> SizeReport:
    report = SizeReport(size)
    workdir.mkdir(parents=True, exist_ok=True)
    jsonl = str(workdir / f"history-{size}.jsonl")
    statements = generate(size)
    write_jsonl(statements, jsonl)
    brands = sorted({s["brand"] for s in statements if s["kind"] == "brand-registered"})
    count = len(statements)
    del statements
    report.facts.append(f"history: {count:,} statements over {len(brands)} brands (`benchmarks.generate`, seed 2023), "
                        f"JSON Lines file of {Path(jsonl).stat().st_size / MB:.1f} MB")
    work = str(workdir)
    imported = _section(report, f"import ×{args.repeat}", lambda: measure_import(jsonl, count, work, args.repeat))
    if imported is None:
        return report
    report.facts.append(f"database after import: {imported.events:,} stored events, "
                        f"{Path(imported.db).stat().st_size / MB:.1f} MB (event store and read model in one file)")
    figures = imported.figures
    figures += _section(report, f"rebuild ×{args.repeat}",
                        lambda: measure_rebuild(imported.db, imported.events, work, args.repeat)) or []
    measured = _section(report, f"queries {args.queries} pairs ×{args.repeat}",
                        lambda: measure_queries(imported.db, args.queries, args.repeat))
    if measured is not None:
        figures += measured.figures
        report.answers = measured.answers
        report.queries = (f"kpis, timeline and audit for {args.queries} random (brand, as-of date) pairs "
                          f"in each of {args.repeat} run{'s' if args.repeat > 1 else ''}")
    figures += _section(report, f"cold start ×{args.startup_runs}",
                        lambda: measure_startup(imported.db, brands[0], work, args.startup_runs)) or []
    report.figures = [f for f in figures if f.series.unit != "MB"] + [f for f in figures if f.series.unit == "MB"]
    return report


def how_to_read(args: argparse.Namespace) -> list[str]:
    return [
        f"- Sizes {', '.join(f'{s:,}' for s in args.sizes)}; every figure measured {args.repeat}× "
        f"(cold starts {args.startup_runs}× after one uncounted warm-up run, interleaved with their baseline); "
        f"min / median / max over those runs.",
        "- *baseline (median)* is the median of the baseline measured in the same run (its own min/median/max "
        "follow each table). *ratio* compares medians: import and rebuild as a share of the raw rate (higher is "
        "better); cold starts as a multiple of `import click` (lower is better); queries as naive median ÷ "
        "read-model median (× faster).",
        "- Import: wall time of the whole `stratlog --db X import FILE` process into a fresh file. Baseline: the "
        "rows of X's `stored_events` (originator_id, originator_version, topic, state) inserted with one "
        "`executemany` in one transaction into a fresh WAL file with the same table.",
        "- Rebuild: wall time of the whole `stratlog --db X projections rebuild` process. Baseline: "
        "`SELECT state FROM stored_events` + `json.loads` of every row, in this process.",
        "- Queries: in process, `Runtime(settings(db), writing=False).queries()`, known_at = now. Naive fold: the "
        "brand's subjects (looked up once per brand, untimed), `select_events` + `mapper.to_domain_event` of "
        "each, `apply_fixes`, `group_of`, `fold_group`, then `domain.views`; one replay per (brand, date) pair "
        "is timed and added to the time of each question's view. One uncounted warm-up pair.",
        "- Peak memory: `ru_maxrss` of the measured `stratlog` process alone, read by a small wrapper process "
        "from `RUSAGE_CHILDREN` (spawned straight from the benchmark, a child would report the benchmark's own "
        "size: Linux keeps the pre-exec peak). Import and rebuild times include that wrapper's start (~30 ms).",
        "- Targets are DESIGN 8b's, set for 1,000,000 events on a 2-core machine; at smaller sizes they are "
        "shown for orientation only.",
    ]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse(argv)
    command = "python -m benchmarks.run" + "".join(f" {shlex.quote(a)}" for a in argv)
    with tempfile.TemporaryDirectory(prefix="stratlog-bench-") as scratch:
        root = Path(args.workdir).resolve() if args.workdir else Path(scratch)
        reports = [measure_size(size, root / f"size-{size}", args) for size in args.sizes]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(render(command, how_to_read(args), reports), encoding="utf-8")
    failures = sum(len(r.failures) for r in reports)
    mismatches = sum(len(r.answers.mismatches) for r in reports if r.answers is not None)
    _progress(f"wrote {args.out}: {failures} failures, {mismatches} mismatched answers")
    return 1 if failures or mismatches else 0


if __name__ == "__main__":
    sys.exit(main())

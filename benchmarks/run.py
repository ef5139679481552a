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
from benchmarks.figures import Figure
from benchmarks.measure_import import bytes_by_part, measure_import
from benchmarks.measure_long_subject import measure_long_subject
from benchmarks.measure_one_brand import SAME_COST_TARGET, measure_one_brand
from benchmarks.measure_queries import measure_queries
from benchmarks.measure_rebuild import measure_rebuild
from benchmarks.measure_startup import measure_startup
from benchmarks.measure_verify import measure_verify
from benchmarks.report import SizeReport, render
from benchmarks.timing import Series, compile_bytecode

SMOKE_SIZE = 10_000
SMOKE_LONG_SUBJECT = 100
DESCRIPTION = "Generate histories, measure each figure against its baseline, write BENCHMARKS.md."
MB = 1024 * 1024


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=DESCRIPTION)
    parser.add_argument("--sizes", help="history sizes, comma-separated [default: 10000,100000,1000000; smoke: 10000]")
    parser.add_argument("--repeat", type=int, help="runs of each figure [default: 3; smoke: 1]")
    parser.add_argument("--queries", type=int, help="random (brand, date) pairs per run [default: 300; smoke: 50]")
    parser.add_argument("--startup-runs", type=int, help="runs of each cold-start command [default: 10; smoke: 3]")
    parser.add_argument("--long-subject", type=int,
                        help="statements on the subject one `record` is timed on [default: 10000; smoke: 100]")
    parser.add_argument("--one-brand", type=int,
                        help="statements of the one-brand history [default: 20000; smoke: the largest size]")
    parser.add_argument("--note", default="", help="a line on the conditions of the run (a shared machine…)")
    parser.add_argument("--out", default="BENCHMARKS.md", help="the report to write [default: BENCHMARKS.md]")
    parser.add_argument("--workdir", help="where histories and databases go, kept [default: a temporary folder]")
    parser.add_argument("--smoke", action="store_true", help="one small size, one run, few queries: a quick check")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")] if args.sizes else None
    if args.smoke:
        args.sizes = sizes or [SMOKE_SIZE]
        if len(args.sizes) > 2 or max(args.sizes) > SMOKE_SIZE:
            parser.error(f"--smoke runs one or two sizes of at most {SMOKE_SIZE}, not {args.sizes}")
        args.repeat, args.queries, args.startup_runs = 1, args.queries or 50, args.startup_runs or 3
        args.long_subject = args.long_subject or SMOKE_LONG_SUBJECT
        args.one_brand = args.one_brand or max(args.sizes)
    else:
        args.sizes = sizes or [10_000, 100_000, 1_000_000]
        args.repeat, args.queries, args.startup_runs = args.repeat or 3, args.queries or 300, args.startup_runs or 10
        args.long_subject, args.one_brand = args.long_subject or 10_000, args.one_brand or 20_000
    if min(args.sizes + [args.repeat, args.queries, args.startup_runs, args.long_subject, args.one_brand]) < 1:
        parser.error("sizes, --repeat, --queries, --startup-runs, --long-subject and --one-brand must be positive")
    return args


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _section(report: SizeReport, name: str, measure: Callable):
    """Run one measurement; a failure is written into the report (and the exit code), the others still run."""
    started = time.perf_counter()
    label = report.title or f"{report.size:,} statements"
    _progress(f"[{label}] {name} …")
    try:
        result = measure()
    except Exception as error:  # reported in BENCHMARKS.md and by the exit code, never hidden
        report.failures.append(f"{label}, {name}: {type(error).__name__}: {error}")
        _progress(f"[{label}] {name} FAILED: {error}")
        return None
    _progress(f"[{label}] {name} done in {time.perf_counter() - started:.1f} s")
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
    events_bytes, read_model_bytes = bytes_by_part(imported.db)
    report.facts.append(f"database after import: {imported.events:,} stored events, "
                        f"{Path(imported.db).stat().st_size / MB:.1f} MB (event store and read model in one file); "
                        f"per statement {events_bytes / count:,.0f} B of events and indexes, "
                        f"{read_model_bytes / count:,.0f} B of read model (SQLite `dbstat` pages)")
    figures = imported.figures
    report.costs["import"] = [seconds * 1e6 / count for seconds in imported.seconds]
    rebuilt = _section(report, f"rebuild ×{args.repeat}",
                       lambda: measure_rebuild(imported.db, imported.events, work, args.repeat)) or []
    figures += rebuilt
    if rebuilt:
        rebuild_seconds = [imported.events / rate for rate in rebuilt[0].series.values]
        report.costs["rebuild"] = [seconds * 1e6 / count for seconds in rebuild_seconds]
        verified = _section(report, f"verify ×{args.repeat}",
                            lambda: measure_verify(imported.db, rebuild_seconds, work, args.repeat)) or []
        figures += verified
        if verified:
            report.costs["verify"] = [seconds * 1e6 / count for seconds in verified[0].series.values]
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


def measure_shapes(workdir: Path, args: argparse.Namespace) -> SizeReport:
    """The histories of a shape that used to cost more: one brand with many statements, one long subject."""
    report = SizeReport(args.one_brand, title="Long histories")
    workdir.mkdir(parents=True, exist_ok=True)
    for name, measure in ((f"one brand of {args.one_brand:,} ×{args.repeat}",
                           lambda: measure_one_brand(args.one_brand, str(workdir), args.repeat)),
                          (f"record on a subject of {args.long_subject:,} ×{args.startup_runs}",
                           lambda: measure_long_subject(args.long_subject, str(workdir), args.startup_runs))):
        measured = _section(report, name, measure)
        if measured is not None:
            report.figures += measured[0]
            report.facts.append(measured[1])
    return report


def scaling(reports: list[SizeReport]) -> SizeReport | None:
    """Cost per statement of import, rebuild and verify at each larger size against the smallest."""
    measured = sorted((r for r in reports if r.costs), key=lambda r: r.size)
    if len(measured) < 2:
        return None
    small = measured[0]
    report = SizeReport(small.size, title="Cost per statement across sizes")
    report.figures = [Figure(Series(f"{step} per statement at {big.size:,}", "µs", big.costs[step]),
                             Series(f"{step} per statement at {small.size:,}", "µs", small.costs[step]),
                             "times", f"× at {small.size:,}", SAME_COST_TARGET)
                      for big in measured[1:] for step in ("import", "rebuild", "verify")
                      if step in big.costs and step in small.costs]
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
        "- Every measured process runs with compiled bytecode, as after a `pip install` (which compiles it): "
        "stratlog's modules are compiled once into a temporary `PYTHONPYCACHEPREFIX` before anything is timed "
        "(an editable install under `PYTHONDONTWRITEBYTECODE` would otherwise compile the sources in every process).",
        "- Import: wall time of the whole `stratlog --db X import FILE` process into a fresh file. Baseline: the "
        "rows of X's `stored_events` (originator_id, originator_version, topic, state) inserted with one "
        "`executemany` in one transaction into a fresh WAL file with the same table.",
        "- Rebuild: wall time of the whole `stratlog --db X projections rebuild` process. Baseline: "
        "`SELECT state FROM stored_events`, inflated (packed states, infrastructure/stored_state.py) + `json.loads` "
        "of every row, in this process.",
        "- Queries: in process, `Runtime(settings(db), writing=False).queries()`, known_at = now. Naive fold: the "
        "brand's subjects (looked up once per brand, untimed), `select_events` + `mapper.to_domain_event` of "
        "each, `apply_fixes`, `group_of`, `fold_group`, then `domain.views`; one replay per (brand, date) pair "
        "is timed and added to the time of each question's view. One uncounted warm-up pair.",
        "- Peak memory: `ru_maxrss` of the measured `stratlog` process alone, read by a small wrapper process "
        "from `RUSAGE_CHILDREN` (spawned straight from the benchmark, a child would report the benchmark's own "
        "size: Linux keeps the pre-exec peak). Import and rebuild times include that wrapper's start (~30 ms).",
        "- Import has a second baseline: eventsourcing's default path, in this process — a plain `Application` "
        "(SQLite) whose aggregates (one per brand, model, market, dealer or KPI) record each statement of the same "
        "file through an `@event` command method, with one `save` of the touched aggregates per 1,000 statements; "
        "it validates and folds nothing. DESIGN 8 r2 asks import to beat it (≥ 1 ×).",
        "- Database size per statement: the file and its WAL after the import, divided by the statements; "
        "baseline: the JSON Lines input per statement. The split between event store and read model is SQLite's "
        "`dbstat` page count.",
        "- Verify: wall time of the whole `stratlog --db X projections verify` process (it must pass) on the file "
        "just rebuilt; baseline: the rebuilds of the same file in the same run.",
        "- Long histories: one brand whose history is `--one-brand` statements (ever more models and dealers) "
        "imported and rebuilt, against `benchmarks.generate` histories of the same total over many brands, µs per "
        "statement; and one `stratlog record valuation-updated` on a brand subject holding `--long-subject` "
        "statements (valuations), and one `stratlog record target-revised` on one holding a target revised as "
        "many times, each against the same on a brand holding its registration alone (and that target) (same "
        "file, interleaved, one uncounted warm-up). DESIGN 8 r2 asks the same cost per statement: read here as "
        "within 20 %.",
        "- Cost per statement across sizes: µs per statement of import, rebuild and verify at each size against the "
        "smallest size of the run (the same histories), target within 20 %.",
        "- Targets are DESIGN 8b's, set for 1,000,000 events on a 2-core machine; at smaller sizes they are "
        "shown for orientation only.",
    ]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse(argv)
    command = "python -m benchmarks.run" + "".join(f" {shlex.quote(a)}" for a in argv)
    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="stratlog-bench-") as scratch:
        root = Path(args.workdir).resolve() if args.workdir else Path(scratch)
        reports = [measure_size(size, root / f"size-{size}", args) for size in args.sizes]
        reports.append(measure_shapes(root / "shapes", args))
        across = scaling(reports)
        reports += [across] if across else []
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(render(command, how_to_read(args), reports, args.note), encoding="utf-8")
    failures = sum(len(r.failures) for r in reports)
    mismatches = sum(len(r.answers.mismatches) for r in reports if r.answers is not None)
    _progress(f"wrote {args.out}: {failures} failures, {mismatches} mismatched answers")
    return 1 if failures or mismatches else 0


if __name__ == "__main__":
    sys.exit(main())

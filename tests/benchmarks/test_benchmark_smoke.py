"""A smoke run of the benchmark suite on a small history, so it cannot rot (no timing is asserted)."""

from __future__ import annotations

import re

import pytest

from benchmarks.run import main

FIGURES = (
    "bulk import (`stratlog import`, whole process)",
    "read-model rebuild (`stratlog projections rebuild`, whole process)",
    "`kpis` as of a date, in process, p50",
    "`kpis` as of a date, in process, p95",
    "`timeline` as of a date, in process, p50",
    "`timeline` as of a date, in process, p95",
    "`audit` as of a date, in process, p50",
    "`audit` as of a date, in process, p95",
    "`stratlog --help`, whole process",
    "`stratlog kpis --brand brand-0000 --as-of 2025-06-30`, whole process",
    "one `stratlog record market-entered …`, whole process",
    "bulk import against eventsourcing's default path",
    "database size per statement (events + read model)",
    "`stratlog projections verify`, whole process",
    "import of one brand with 2,000 statements, per statement",
    "rebuild of one brand with 2,000 statements, per statement",
    "one `stratlog record valuation-updated` on a subject with 100 statements, whole process",
    "one `stratlog record target-revised` on a subject with 100 statements (revisions of one target), whole process",
    "import per statement at 2,000",
    "rebuild per statement at 2,000",
    "verify per statement at 2,000",
    "peak memory of `stratlog import`",
    "peak memory of `stratlog projections rebuild`",
)
BASELINES = (
    "raw `executemany` of the same rows, one transaction",
    "raw `SELECT state` + inflate + `json.loads` of every row",
    "naive fold `kpis`, p50",
    "naive fold `timeline`, p95",
    "naive fold `audit`, p50",
    '`python -c "import click"` (same interpreter)',
    "eventsourcing's default path (aggregate command methods, one `save` per 1,000)",
    "JSON Lines input per statement",
    "`stratlog projections rebuild` of the same file, whole process",
    "import of 3 brands with 2,000 statements in all, per statement",
    "rebuild of 3 brands with 2,000 statements in all, per statement",
    "the same on a brand with nothing recorded but its registration",
    "import per statement at 500",
    "rebuild per statement at 500",
    "verify per statement at 500",
)


@pytest.fixture(scope="module")
def smoke_run(tmp_path_factory):
    """One smoke run of the suite at two small sizes (the cost per statement compares them), a one-brand history
    of the larger size and a record on a 100-statement subject: its exit code and the BENCHMARKS.md it wrote."""
    folder = tmp_path_factory.mktemp("bench")
    out = folder / "BENCHMARKS.md"
    code = main(["--smoke", "--sizes", "500,2000", "--queries", "10", "--startup-runs", "1",
                 "--out", str(out), "--workdir", str(folder / "work")])
    return code, out.read_text(encoding="utf-8")


def rows_of(report: str, name: str) -> list[list[str]]:
    """The cells of every row named `name` (one per size it is measured at)."""
    lines = [line for line in report.splitlines() if line.startswith(f"| {name} |")]
    assert lines, f"no row for {name!r}"
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


def number(cell: str) -> float:
    found = re.search(r"\d[\d,]*(?:\.\d+)?", cell)
    assert found, f"no number in {cell!r}"
    return float(found.group().replace(",", ""))


def test_the_smoke_run_finishes_without_failures_or_mismatches(smoke_run):
    code, report = smoke_run
    assert "## Failures\n\nNone." in report
    assert code == 0


@pytest.mark.parametrize("name", FIGURES)
def test_the_report_gives_every_figure_as_positive_min_median_and_max(smoke_run, name):
    _, report = smoke_run
    for cells in rows_of(report, name):
        assert [number(c) > 0 for c in cells[1:4]] == [True, True, True]


@pytest.mark.parametrize("name", BASELINES)
def test_the_report_gives_every_baseline_measured_in_the_same_run(smoke_run, name):
    _, report = smoke_run
    for cells in rows_of(report, name):
        assert [number(c) > 0 for c in cells[1:4]] == [True, True, True]


def test_figures_with_a_baseline_show_a_positive_ratio(smoke_run):
    _, report = smoke_run
    ratios = [cells[5] for name in FIGURES if not name.startswith("peak memory") for cells in rows_of(report, name)]
    assert all(number(r) > 0 for r in ratios), ratios


def test_the_read_model_answered_every_query_like_the_naive_fold(smoke_run):
    _, report = smoke_run
    found = re.search(r"Answers compared, read model vs naive fold: (\d+) .*\*\*mismatches: (\d+)\*\*", report)
    assert found, "the report does not say how the answers compared"
    assert (int(found.group(1)), int(found.group(2))) == (30, 0)


def test_the_report_names_the_machine_the_versions_and_the_command(smoke_run):
    _, report = smoke_run
    for label in ("| CPU |", "| RAM |", "| Python |", "| eventsourcing |", "| pydantic |", "| pydantic-core |",
                  "| click |", "| SQLite (sqlite3.sqlite_version) |", "python -m benchmarks.run --smoke"):
        assert label in report


def test_the_floors_are_measured_for_import_and_rebuild():
    """benchmarks.measure_floors on a small history: every step a positive time, rows counted."""
    from benchmarks.measure_floors import measure_floors, measure_rebuild_floors
    floors = measure_floors(300, runs=1)
    assert len(floors) == 6 and all(micros > 0 for micros in floors.values())
    rebuild = measure_rebuild_floors(300, runs=1)
    assert rebuild["read-model rows per statement"] >= 3  # a statement, its member row, its item(s), its source
    assert all(value > 0 for value in rebuild.values())

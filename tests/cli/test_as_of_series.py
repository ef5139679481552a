"""An as-of series: `kpis`/`timeline --as-of A..B --every PERIOD` answers as of each period's end, rows with as_of."""

from __future__ import annotations

import csv
import io
import json

import pytest

QUARTER_ENDS = ["2023-03-31", "2023-06-30", "2023-09-30", "2023-12-31", "2024-03-31", "2024-06-30", "2024-09-30",
                "2024-12-31", "2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31"]


def as_json(stratlog, *args: str):
    result = stratlog(*args, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_kpis_every_quarter_are_the_answers_as_of_each_quarter_end_each_row_with_its_as_of(alpine_db, stratlog):
    series = as_json(stratlog, "--db", alpine_db, "kpis", "--brand", "alpine", "--as-of", "2023-Q1..2025-Q4",
                     "--every", "quarter")

    assert series and all(list(row)[0] == "as_of" for row in series)
    for day in QUARTER_ENDS:
        alone = as_json(stratlog, "--db", alpine_db, "kpis", "--brand", "alpine", "--as-of", day)
        assert [{k: v for k, v in row.items() if k != "as_of"} for row in series if row["as_of"] == day] == alone
    assert sorted({row["as_of"] for row in series}) == QUARTER_ENDS[1:]  # nothing was announced by 2023-03-31


def test_timeline_every_year_in_csv_is_one_block_per_year_end_for_a_pivot(alpine_db, stratlog):
    out = stratlog("--db", alpine_db, "timeline", "--brand", "alpine", "--as-of", "2023..2025", "--every", "year",
                   "--csv").out

    rows = list(csv.DictReader(io.StringIO(out)))
    a290 = [(r["as_of"], r["status"]) for r in rows if r["subject"] == "A290"]
    assert [day for day, _ in a290] == ["2023-12-31", "2024-12-31", "2025-12-31"]
    assert list(rows[0])[:3] == ["as_of", "as_of_start", "as_of_end"]


def test_a_series_table_has_an_as_of_column_and_a_brand_column_for_several_brands(alpine_db, stratlog):
    stratlog("--db", alpine_db, "record", "brand-registered", "acme", "--name", "Acme")
    stratlog("--db", alpine_db, "record", "target-set", "acme", "--kpi", "annual-sales", "--value", "10", "--unit",
             "vehicles", "--comparator", "at-least", "--deadline", "2030", "--announced-on", "2023-01",
             "--source-title", "Acme day")

    lines = stratlog("--db", alpine_db, "kpis", "--as-of", "2023-H1..2023-H2", "--every", "half",
                     "--known-at", "2030").out.splitlines()

    assert lines[0] == "As of 2023-06-30 … 2023-12-31 (2 dates) · known at 2030-12-31 23:59:59 UTC"
    assert lines[1].split()[:4] == ["as", "of", "brand", "kpi"]
    assert any(line.startswith("2023-06-30  acme") for line in lines)


@pytest.mark.parametrize(("options", "message"), [
    (["--every", "quarter"], "Invalid value for --as-of: --every quarter needs a span of dates to step through"),
    (["--as-of", "2024-06-30", "--every", "month"], "'2024-06-30' is a single day; --every month needs a span"),
    (["--as-of", "2025..2023", "--every", "year"], "Invalid value for --as-of: '2025..2023' ends before it starts"),
    (["--as-of", "2024", "--every", "week"], "'week' is not one of 'month', 'quarter', 'half', 'year'"),
])
def test_a_series_without_a_good_span_or_period_is_refused_naming_the_value(alpine_db, stratlog, options, message):
    for command in ("kpis", "timeline"):
        result = stratlog("--db", alpine_db, command, *options)
        assert result.code == 2 and message in result.err and result.out == "", command

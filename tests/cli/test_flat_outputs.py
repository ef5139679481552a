"""Flat outputs (csv, tsv, xlsx) are the Python API's flat rows: fiscal spans, headers of empty answers, typing."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import openpyxl
import pytest

SAID = ("--announced-on", "2024-06", "--source-title", "s")
FISCAL_2026 = ("FY2026", "2025-04-01", "2026-03-31")  # a fiscal year ending in March, as written and its span


def ok(done):
    assert done.code == 0, done.err
    return done.out


@pytest.fixture
def fiscal(stratlog, db) -> str:
    """A brand whose fiscal year ends in March, a FY2026 target and a plant planned for FY2026; a bare brand."""
    for args in (("brand-registered", "fyb", "--name", "FY Brand", "--fiscal-year-end", "3"),
                 ("brand-registered", "bare", "--name", "Bare"),
                 ("target-set", "fyb", "--kpi", "annual-sales", "--value", "1000", "--unit", "vehicles",
                  "--comparator", "at-least", "--deadline", "FY2026", *SAID),
                 ("plant-planned", "fyb", "Works", "--planned-for", "FY2026", *SAID)):
        ok(stratlog("--db", db, "record", *args))
    return db


def csv_rows(text: str, delimiter: str = ",") -> list[dict]:
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def sheet_rows(path) -> list[dict]:
    header, *rows = openpyxl.load_workbook(path).active.iter_rows(values_only=True)
    return [dict(zip(header, r)) for r in rows]


def spans(row: dict, key: str) -> tuple:
    return row[key], row[f"{key}_start"], row[f"{key}_end"]


def test_csv_and_tsv_keep_the_fiscal_span_of_a_deadline_a_plan_and_an_event(fiscal, stratlog):
    (kpi,) = csv_rows(ok(stratlog("--db", fiscal, "kpis", "--brand", "fyb", "--csv")))
    timeline = csv_rows(ok(stratlog("--db", fiscal, "timeline", "--brand", "fyb", "--tsv")), "\t")
    events = csv_rows(ok(stratlog("--db", fiscal, "events", "--brand", "fyb", "--csv")))
    (audit,) = csv_rows(ok(stratlog("--db", fiscal, "audit", "fyb", "--csv")))

    assert spans(kpi, "deadline") == FISCAL_2026 and spans(audit, "new_deadline") == FISCAL_2026
    assert [spans(r, "date") for r in timeline] == [FISCAL_2026, FISCAL_2026]
    assert spans(events[1], "deadline") == FISCAL_2026 and spans(events[2], "planned_for") == FISCAL_2026


def test_an_as_of_series_in_csv_keeps_the_fiscal_span(fiscal, stratlog):
    rows = csv_rows(ok(stratlog("--db", fiscal, "kpis", "--brand", "fyb", "--as-of", "2025..2026", "--every", "year",
                                "--csv")))

    assert [(r["as_of"], r["as_of_end"], *spans(r, "deadline")) for r in rows] == [
        ("2025-12-31", "2025-12-31", *FISCAL_2026), ("2026-12-31", "2026-12-31", *FISCAL_2026)]


def test_xlsx_keeps_the_fiscal_span_as_dates_and_the_year_as_written(fiscal, stratlog, tmp_path):
    out = tmp_path / "kpis.xlsx"
    ok(stratlog("--db", fiscal, "kpis", "--brand", "fyb", "--format", "xlsx", "--out", str(out)))

    (row,) = sheet_rows(out)
    assert spans(row, "deadline") == ("FY2026", datetime(2025, 4, 1), datetime(2026, 3, 31))


@pytest.mark.parametrize("query", [("kpis", "--brand", "fyb"), ("timeline", "--brand", "fyb"), ("audit", "fyb"),
                                   ("events", "--brand", "fyb"), ("checks", "--brand", "fyb"),
                                   ("track-record", "--brand", "fyb")])
def test_every_csv_answer_is_the_python_api_flat_answer(fiscal, stratlog, query):
    import stratlog as api
    ledger = api.open(fiscal)
    ask = {"kpis": lambda: ledger.kpis("fyb", flat=True), "timeline": lambda: ledger.timeline("fyb", flat=True),
           "audit": lambda: ledger.audit("fyb", flat=True), "events": lambda: ledger.events("fyb", flat=True),
           "checks": lambda: ledger.checks("fyb", flat=True),
           "track-record": lambda: ledger.track_record("fyb", flat=True)}[query[0]]
    from stratlog.cli.render import as_csv

    assert ok(stratlog("--db", fiscal, *query, "--csv")) == as_csv(ask())


@pytest.mark.parametrize("query, first", [
    (("kpis", "--brand", "bare"), "brand,kpi,scope,deadline,deadline_start,deadline_end,"),
    (("timeline", "--brand", "bare"), "brand,subject_type,subject,date,date_start,date_end,status,"),
    (("audit", "bare"), "brand,kpi,scope,deadline,deadline_start,deadline_end,change,"),
    (("checks", "--brand", "bare"), "brand,check,subject,status,message"),
    (("diff", "--brand", "bare", "--from", "2020", "--to", "2021"), "brand,change,subject_type,subject,before,after"),
    (("events", "--brand", "bare", "--kind", "target-set"), "position,statement_id,recorded_at,brand,announced_on,"),
    (("kpis", "--brand", "bare", "--as-of", "2025..2026", "--every", "year"), "as_of,as_of_start,as_of_end,brand,kpi,"),
])
def test_an_empty_answer_still_has_its_header(fiscal, stratlog, query, first):
    text = ok(stratlog("--db", fiscal, *query, "--csv"))

    assert text.startswith(first) and text.count("\n") == 1
    assert csv_rows(text) == [] and csv.DictReader(io.StringIO(text)).fieldnames
    assert ok(stratlog("--db", fiscal, *query, "--csv", "--no-headers")) == ""


@pytest.mark.parametrize("query", ["kpis", "timeline"])
def test_the_header_of_an_empty_answer_is_the_header_of_a_full_one(fiscal, stratlog, query):
    empty = ok(stratlog("--db", fiscal, query, "--brand", "bare", "--tsv"))
    full = ok(stratlog("--db", fiscal, query, "--brand", "fyb", "--tsv"))

    assert empty == full.splitlines(keepends=True)[0]


def test_an_empty_xlsx_answer_has_its_header_row(fiscal, stratlog, tmp_path):
    out = tmp_path / "none.xlsx"
    ok(stratlog("--db", fiscal, "kpis", "--brand", "bare", "--format", "xlsx", "--out", str(out)))

    (header,) = openpyxl.load_workbook(out).active.iter_rows(values_only=True)
    assert header[:6] == ("brand", "kpi", "scope", "deadline", "deadline_start", "deadline_end")


def test_xlsx_types_by_column_name_so_full_days_as_written_stay_text(stratlog, db, tmp_path):
    for args in (("brand-registered", "daily", "--name", "Daily"),
                 ("target-set", "daily", "--kpi", "annual-sales", "--value", "5", "--unit", "vehicles",
                  "--comparator", "at-least", "--deadline", "2026-12-31", "--announced-on", "2024-06-13",
                  "--source-title", "s")):
        ok(stratlog("--db", db, "record", *args))
    out = tmp_path / "t.xlsx"
    ok(stratlog("--db", db, "timeline", "--brand", "daily", "--format", "xlsx", "--out", str(out)))

    (row,) = sheet_rows(out)
    assert (row["date"], row["announced_on"]) == ("2026-12-31", "2024-06-13")  # as written: text
    assert (row["date_start"], row["announced_on_end"]) == (datetime(2026, 12, 31), datetime(2024, 6, 13))
    assert isinstance(row["recorded_at"], datetime)


def test_a_column_named_as_a_span_but_holding_a_number_stays_a_number():
    from stratlog.cli.render_xlsx import as_xlsx
    data = as_xlsx([{"fiscal_year_end": 3, "as_of": "2025-06-30", "date": "2025-06-30"}])

    (_, row) = openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)
    assert row == (3, datetime(2025, 6, 30), "2025-06-30")


def test_events_in_json_always_have_the_stable_keys_null_when_a_kind_has_none(fiscal, stratlog):
    (registered,) = json.loads(ok(stratlog("--db", fiscal, "events", "--brand", "bare", "--json")))

    assert (registered["announced_on"], registered["source"]) == (None, None)
    assert list(registered)[:6] == ["position", "statement_id", "recorded_at", "brand", "announced_on", "source"]


def test_events_in_csv_have_no_empty_source_column_beside_the_source_title(fiscal, stratlog):
    header = ok(stratlog("--db", fiscal, "events", "--csv")).splitlines()[0].split(",")

    assert "source_title" in header and "source" not in header


@pytest.mark.parametrize("count, words", [(1, "(1 date)"), (2, "(2 dates)")])
def test_a_series_heading_counts_its_dates_in_words(count, words):
    from stratlog.cli.emit import heading
    days = [date(2025, 12, 31), date(2026, 12, 31)][:count]

    assert words in heading(None, datetime(2026, 1, 1), days)

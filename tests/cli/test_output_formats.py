"""Spreadsheet and pandas friendly outputs: flat typed CSV/TSV/xlsx, JSON lines, --bom, --no-headers, --out."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

TITLE = "Alpine. Laurent Rossi mise gros sur le marché américain"
STRATLOG = Path(sys.executable).with_name("stratlog")


def csv_rows(text: str, delimiter: str = ",") -> list[dict]:
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def revenue_2026(rows: list[dict]) -> dict:
    return next(r for r in rows if r["kpi"] == "revenue" and r["deadline"] == "2026")


def test_csv_spells_money_as_an_amount_number_and_a_currency_and_dates_as_iso_days(alpine_db, stratlog):
    result = stratlog("--db", alpine_db, "kpis", "--brand", "alpine", "--as-of", "2023-06", "--csv")

    row = revenue_2026(csv_rows(result.out))
    assert result.code == 0 and "{" not in result.out  # no JSON text in any cell
    assert (row["value_amount"], row["value_currency"], row["deadline_start"], row["deadline_end"]) == \
        ("2000000000", "EUR", "2026-01-01", "2026-12-31")
    assert int(row["value_amount"]) == 2_000_000_000


def test_csv_has_the_flat_columns_of_the_python_api(alpine_db, stratlog):
    import stratlog as api
    flat = api.open(alpine_db).timeline("alpine", as_of="2023-06", flat=True)

    rows = csv_rows(stratlog("--db", alpine_db, "timeline", "--brand", "alpine", "--as-of", "2023-06", "--csv").out)

    assert {"date", "date_start", "date_end", "value_amount", "value_currency"} <= set(rows[0])
    assert [(r["subject"], r["date_end"]) for r in rows] == [(r["subject"], r["date_end"] or "") for r in flat]


def test_bom_starts_the_file_with_utf8_bom_and_accents_read_back(alpine_db, stratlog, tmp_path):
    out = tmp_path / "kpis.csv"
    result = stratlog("--db", alpine_db, "kpis", "--as-of", "2023-06", "--csv", "--bom", "--out", str(out))

    data = out.read_bytes()
    assert result.code == 0 and result.out == "" and data.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(data.decode("utf-8-sig"))
    assert list(rows[0])[0] == "brand" and {r["source"] for r in rows} == {TITLE}


def test_without_bom_the_csv_starts_with_its_header(alpine_db, stratlog):
    assert stratlog("--db", alpine_db, "kpis", "--as-of", "2023-06", "--format", "csv").out.startswith("brand,kpi,")


def test_tsv_without_headers_gives_only_tab_separated_rows(alpine_db, stratlog):
    result = stratlog("--db", alpine_db, "kpis", "--brand", "alpine", "--as-of", "2023-06", "--tsv", "--no-headers")

    lines = result.out.splitlines()
    assert len(lines) == 6 and all(line.startswith("alpine\t") for line in lines)


def test_nl_writes_one_json_row_a_line_equal_to_the_json_list(alpine_db, stratlog):
    question = ("--db", alpine_db, "timeline", "--brand", "alpine", "--as-of", "2023-06")
    lines = stratlog(*question, "--nl").out.splitlines()

    assert [json.loads(line) for line in lines] == json.loads(stratlog(*question, "--json").out) and len(lines) > 5


def test_xlsx_cells_are_typed_numbers_dates_and_text(alpine_db, stratlog, tmp_path):
    out = tmp_path / "kpis.xlsx"
    result = stratlog("--db", alpine_db, "kpis", "--brand", "alpine", "--as-of", "2023-06", "--format", "xlsx",
                      "--out", str(out))

    sheet = openpyxl.load_workbook(out).active
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    rows = [dict(zip(header, r)) for r in rows]
    row = revenue_2026(rows)
    assert result.code == 0 and result.out == ""
    assert row["value_amount"] == 2_000_000_000 and isinstance(row["value_amount"], int)
    assert row["deadline_end"] == datetime(2026, 12, 31) and row["deadline"] == "2026"  # the text as written
    assert isinstance(row["recorded_at"], datetime) and row["source"] == TITLE
    assert next(r for r in rows if r["kpi"] == "profitability")["value"] is True


def test_xlsx_without_headers_starts_with_the_first_row(alpine_db, stratlog, tmp_path):
    out = tmp_path / "t.xlsx"
    stratlog("--db", alpine_db, "timeline", "--brand", "alpine", "--as-of", "2023-06", "--format", "xlsx",
             "--no-headers", "--out", str(out))

    first = next(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert first[0] == "alpine"


def test_xlsx_goes_to_standard_output_when_it_is_not_a_terminal(alpine_db):
    done = subprocess.run([str(STRATLOG), "--db", alpine_db, "checks", "--as-of", "2023-06", "--format", "xlsx"],
                          capture_output=True, timeout=120)

    assert done.returncode == 0 and done.stdout.startswith(b"PK")
    assert openpyxl.load_workbook(io.BytesIO(done.stdout)).active.max_row >= 1


def test_xlsx_to_a_terminal_is_refused_with_the_way_to_write_it(alpine_db):
    leader, follower = pty.openpty()
    try:
        done = subprocess.run([str(STRATLOG), "--db", alpine_db, "kpis", "--format", "xlsx"], stdout=follower,
                              stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 2
    assert b"--format xlsx writes a binary workbook: give --out FILE.xlsx" in done.stderr


def test_xlsx_without_openpyxl_says_how_to_install_it_and_writes_nothing(alpine_db, stratlog, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if the extra were not installed
    out = tmp_path / "kpis.xlsx"

    result = stratlog("--db", alpine_db, "kpis", "--format", "xlsx", "--out", str(out))

    assert result.code == 2 and not out.exists()
    assert "--format xlsx needs openpyxl, which is not installed; install it with: pip install 'stratlog[xlsx]'" \
        in result.err


def test_a_text_that_would_run_as_a_formula_stays_text_in_xlsx():
    from stratlog.cli.render_xlsx import as_xlsx
    data = as_xlsx([{"source": '=HYPERLINK("http://evil","x")', "n": 1}])

    cell = openpyxl.load_workbook(io.BytesIO(data)).active["A2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://evil","x")', "s")


def test_a_column_mixing_days_and_partial_dates_stays_text_in_xlsx():
    from stratlog.cli.render_xlsx import as_xlsx
    data = as_xlsx([{"date": "2024-06-13", "date_end": "2024-06-13"}, {"date": "2025", "date_end": "2025-12-31"}])

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet["A"]][1:] == ["2024-06-13", "2025"]
    assert [c.value for c in sheet["B"]][1:] == [datetime(2024, 6, 13), datetime(2025, 12, 31)]


def test_out_dash_writes_to_standard_output(alpine_db, stratlog):
    question = ("--db", alpine_db, "kpis", "--as-of", "2023-06", "--json")
    assert stratlog(*question, "--out", "-").out == stratlog(*question).out


def test_out_refuses_the_database_itself(alpine_db, stratlog):
    before = Path(alpine_db).read_bytes()
    result = stratlog("--db", alpine_db, "kpis", "--csv", "--out", alpine_db)
    assert result.code == 2 and "writing there would destroy it" in result.err
    assert Path(alpine_db).read_bytes() == before


@pytest.mark.parametrize(("options", "message"), [
    (["--csv", "--json"], "choose one output format, not --csv and --json"),
    (["--format", "table", "--tsv"], "choose one output format, not --format table and --tsv"),
    (["--json", "--bom"], "--bom applies to --format csv or tsv, not json"),
    (["--nl", "--no-headers"], "--no-headers applies to table, csv, tsv and xlsx, not nl"),
])
def test_options_that_contradict_each_other_are_refused_by_name(alpine_db, stratlog, options, message):
    result = stratlog("--db", alpine_db, "kpis", *options)
    assert result.code == 2 and message in result.err and result.out == ""


def test_state_is_one_object_so_rows_formats_are_refused_and_nl_is_one_line(alpine_db, stratlog):
    refused = stratlog("--db", alpine_db, "state", "alpine", "--csv")
    line = stratlog("--db", alpine_db, "state", "alpine", "--as-of", "2023-06", "--nl").out

    assert refused.code == 2 and "state is one object, not rows: use --format table, json or nl, not csv" in refused.err
    assert len(line.splitlines()) == 1 and json.loads(line)["brand"] == "alpine"


@pytest.mark.parametrize("command", [["timeline"], ["kpis"], ["audit", "alpine"], ["checks"], ["events"],
                                     ["diff", "--from", "2023-05", "--to", "2023-06"]])
def test_every_query_command_writes_flat_csv(alpine_db, stratlog, command):
    rows = csv_rows(stratlog("--db", alpine_db, *command, "--csv").out)
    assert all(not (v or "").startswith(("{", "[{")) for r in rows for v in r.values())


def test_tables_state_their_as_of_and_known_at_in_one_line_and_json_does_not(alpine_db, stratlog):
    question = ("--db", alpine_db, "kpis", "--brand", "alpine", "--as-of", "2023-06", "--known-at", "2030-01-01T12:00Z")

    assert stratlog(*question).out.splitlines()[0] == "As of 2023-06-30 · known at 2030-01-01 12:00:00 UTC"
    assert "known at" not in stratlog(*question, "--json").out + stratlog(*question, "--csv").out
    assert stratlog("--db", alpine_db, "diff", "--from", "2023-05", "--to", "2023-06", "--known-at", "2030").out \
        .splitlines()[0] == "From 2023-05-31 to 2023-06-30 · known at 2030-12-31 23:59:59 UTC"


def test_a_table_without_headers_keeps_its_heading_and_rows_only(alpine_db, stratlog):
    lines = stratlog("--db", alpine_db, "kpis", "--brand", "alpine", "--as-of", "2023-06", "--no-headers").out \
        .splitlines()
    assert lines[0].startswith("As of 2023-06-30") and lines[1].startswith("profitability") and len(lines) == 7


def test_the_demo_tables_are_unchanged_by_the_heading(stratlog, tmp_path):
    out = stratlog("--db", str(tmp_path / "demo.db"), "demo").out
    assert "Targets of alpine as of 2023-06-30:\nkpi " in out and "known at" not in out


def test_a_date_object_in_the_flat_rows_of_a_day_is_the_day(alpine_db):
    import stratlog as api
    rows = api.open(alpine_db).kpis("alpine", as_of=date(2023, 6, 30), flat=True)
    assert {r["announced_on_end"] for r in rows} == {"2023-06-30"}


def test_an_answer_longer_than_an_excel_sheet_is_refused_before_writing(alpine_db, stratlog, tmp_path, monkeypatch):
    monkeypatch.setattr("stratlog.cli.render_xlsx.MOST_ROWS", 5)  # a sheet of 5 rows: the header and 4
    out = tmp_path / "kpis.xlsx"

    result = stratlog("--db", alpine_db, "kpis", "--brand", "alpine", "--as-of", "2023-06", "--format", "xlsx",
                      "--out", str(out))

    assert result.code == 2 and "--format xlsx holds at most 5 rows and this answer has 6: use --csv" in result.err
    assert not out.exists()


def test_a_column_first_seen_in_a_later_row_sits_beside_its_neighbour_not_at_the_end():
    from stratlog.cli.render import all_columns
    rows = [{"kpi": "sales", "value": 5, "unit": "vehicles"}, {"kpi": "revenue", "value_amount": 2, "unit": "EUR"}]
    assert all_columns(rows) == ["kpi", "value_amount", "value", "unit"]


def test_control_characters_in_a_text_are_escaped_in_xlsx_not_refused():
    from stratlog.cli.render_xlsx import as_xlsx
    data = as_xlsx([{"title": "red \x1b[31m text \u202e"}])

    assert openpyxl.load_workbook(io.BytesIO(data)).active["A2"].value == "red \\u001b[31m text \\u202e"

"""Flat rows: money, ranges and scheduled events as columns, partial dates with their first and last day."""

from __future__ import annotations

from stratlog.application.flat_rows import flat_row, flat_rows


def test_money_becomes_an_amount_column_holding_a_number_and_a_currency_column():
    row = flat_row({"subject": "valuation 2023", "value": {"amount": "500000000", "currency": "EUR"}})
    assert row == {"subject": "valuation 2023", "value_amount": 500000000, "value_currency": "EUR"}
    assert flat_row({"value": {"amount": "0.25", "currency": "USD"}})["value_amount"] == 0.25


def test_a_partial_date_keeps_its_text_and_gains_its_first_and_last_day():
    row = flat_row({"date": "2024-Q3", "deadline": "2030", "announced_on": None})
    assert row == {"date": "2024-Q3", "date_start": "2024-07-01", "date_end": "2024-09-30",
                   "deadline": "2030", "deadline_start": "2030-01-01", "deadline_end": "2030-12-31",
                   "announced_on": None, "announced_on_start": None, "announced_on_end": None}


def test_an_undated_row_has_the_same_date_columns_as_a_dated_one_left_empty():
    dated, undated = flat_rows([{"subject": "A290", "date": "2024"}, {"subject": "A110", "date": None}])
    assert list(dated) == list(undated) and (undated["date_start"], undated["date_end"]) == (None, None)


def test_a_range_of_money_spells_each_bound_as_columns():
    row = flat_row({"value": {"low": {"amount": "6", "currency": "EUR"}, "high": {"amount": "7", "currency": "EUR"}}})
    assert row == {"value_low_amount": 6, "value_low_currency": "EUR", "value_high_amount": 7,
                   "value_high_currency": "EUR"}


def test_a_scheduled_event_becomes_an_event_column_and_a_dated_on_column():
    row = flat_row({"status": "planned", "scheduled": {"event": "reveal", "on": "2024-06-13"}})
    assert row == {"status": "planned", "scheduled_event": "reveal", "scheduled_on": "2024-06-13",
                   "scheduled_on_start": "2024-06-13", "scheduled_on_end": "2024-06-13"}


def test_lists_become_json_text_and_plain_numbers_stay_numbers():
    row = flat_row({"aliases": ["SUV 2027"], "required_cagr": 25.7, "value": 100000, "withdrawn": False})
    assert row == {"aliases": '["SUV 2027"]', "required_cagr": 25.7, "value": 100000, "withdrawn": False}


def test_every_row_of_an_answer_is_flattened_in_order():
    assert [r["date_end"] for r in flat_rows([{"date": "2023"}, {"date": "2023-06"}])] == ["2023-12-31", "2023-06-30"]


def test_a_resolved_fiscal_year_is_shown_as_written_and_the_flat_row_keeps_its_span():
    from stratlog.application.flat_rows import answer

    row = {"subject": "deliveries FY2026/03", "deadline": "FY2026/03", "note": "FY2026/27 results",
           "scheduled": {"event": "opening", "on": "FY2026/03"}, "launches": [{"launched_on": "FY2025/06"}]}

    assert answer([row]) == [{"subject": "deliveries FY2026", "deadline": "FY2026", "note": "FY2026/27 results",
                              "scheduled": {"event": "opening", "on": "FY2026"}, "launches": [{"launched_on": "FY2025"}]}]
    (flat,) = answer([row], flat=True)
    assert (flat["deadline"], flat["deadline_start"], flat["deadline_end"]) == ("FY2026", "2025-04-01", "2026-03-31")
    assert (flat["subject"], flat["scheduled_on"], flat["scheduled_on_end"]) == ("deliveries FY2026", "FY2026", "2026-03-31")
    assert flat["launches"] == '[{"launched_on": "FY2025"}]'


def test_a_flat_row_flattens_to_itself_so_its_fiscal_span_survives():
    flat = flat_row({"as_of": "2025-06-30", "deadline": "FY2026/03", "value": {"amount": "5", "currency": "EUR"}})

    assert flat_row(flat) == flat and (flat["deadline_start"], flat["deadline_end"]) == ("2025-04-01", "2026-03-31")


def test_the_flat_columns_of_answer_keys_give_each_date_its_span_columns():
    from stratlog.application.flat_rows import flat_columns

    assert flat_columns(["brand", "deadline", "status"]) == ["brand", "deadline", "deadline_start", "deadline_end",
                                                               "status"]

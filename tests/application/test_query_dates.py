"""The dates of an as-of series: the end of every month, quarter, half or year within a span, and its refusals."""

from __future__ import annotations

from datetime import date

import pytest

from stratlog.application.query_dates import InvalidQueryDate, as_of_series, in_series


def test_quarters_of_three_years_are_the_twelve_quarter_ends():
    dates = as_of_series("2023-Q1..2025-Q4", "quarter")
    assert len(dates) == 12
    assert dates[:3] == [date(2023, 3, 31), date(2023, 6, 30), date(2023, 9, 30)] and dates[-1] == date(2025, 12, 31)


def test_months_halves_and_years_end_on_their_calendar_last_day():
    assert as_of_series("2024-01..2024-03", "month") == [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31)]
    assert as_of_series("2024", "half") == [date(2024, 6, 30), date(2024, 12, 31)]
    assert as_of_series("2023..2025", "year") == [date(2023, 12, 31), date(2024, 12, 31), date(2025, 12, 31)]


def test_a_span_that_cuts_a_period_keeps_only_the_ends_that_fall_within_it():
    assert as_of_series("2023-02..2023-07", "quarter") == [date(2023, 3, 31), date(2023, 6, 30)]


@pytest.mark.parametrize(("text", "every", "message"), [
    (None, "quarter", "--every quarter needs a span of dates to step through, such as 2023-Q1..2025-Q4"),
    ("2024-06-30", "month", "'2024-06-30' is a single day; --every month needs a span"),
    ("2024-06-02..2024-06-20", "month", "'2024-06-02..2024-06-20' holds no end of a month"),
    ("2025..2023", "year", "'2025..2023' ends before it starts"),
    ("June..2024", "year", "'June..2024' is not a date"),
    ("1000..9000", "month", "gives more than 1000 dates"),
])
def test_a_span_that_gives_no_dates_is_refused_naming_the_option_and_the_value(text, every, message):
    with pytest.raises(InvalidQueryDate, match="--as-of") as refused:
        as_of_series(text, every)
    assert message in str(refused.value)


def test_a_period_that_is_not_month_quarter_half_or_year_is_refused_by_name():
    with pytest.raises(InvalidQueryDate, match="--every: 'week' is not one of month, quarter, half, year"):
        as_of_series("2024", "week")


def test_a_series_leads_each_row_with_its_as_of_day_in_date_order():
    rows = in_series([date(2024, 6, 30), date(2024, 12, 31)], lambda day: [{"n": day.month}] * (day.month // 6))
    assert rows == [{"as_of": "2024-06-30", "n": 6}, {"as_of": "2024-12-31", "n": 12}, {"as_of": "2024-12-31", "n": 12}]

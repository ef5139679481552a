"""Partial dates (DESIGN.md §1 "Partial dates"): formats, periods, ordering and refusals."""

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stratlog.domain.dates import PartialDate, end_of


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2030", date(2030, 1, 1), date(2030, 12, 31)),
        ("2025-Q1", date(2025, 1, 1), date(2025, 3, 31)),
        ("2025-Q2", date(2025, 4, 1), date(2025, 6, 30)),
        ("2025-Q3", date(2025, 7, 1), date(2025, 9, 30)),
        ("2025-Q4", date(2025, 10, 1), date(2025, 12, 31)),
        ("2023-06", date(2023, 6, 1), date(2023, 6, 30)),
        ("2023-12", date(2023, 12, 1), date(2023, 12, 31)),
        ("2023-06-14", date(2023, 6, 14), date(2023, 6, 14)),
        ("2026-H1", date(2026, 1, 1), date(2026, 6, 30)),
        ("2026-H2", date(2026, 7, 1), date(2026, 12, 31)),
        ("2023..2026", date(2023, 1, 1), date(2026, 12, 31)),
        ("2025-04..2026-03", date(2025, 4, 1), date(2026, 3, 31)),
        ("2024-H2..2025-Q1", date(2024, 7, 1), date(2025, 3, 31)),
        ("FY2026", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_each_format_covers_the_period_from_its_first_to_its_last_day(text, start, end):
    parsed = PartialDate.parse(text)

    assert (parsed.start, parsed.end) == (start, end)
    assert str(parsed) == text


@pytest.mark.parametrize(
    ("text", "last_day"),
    [("2024-02", 29), ("2023-02", 28), ("2000-02", 29), ("1900-02", 28)],
)
def test_february_ends_on_the_29th_only_in_leap_years(text, last_day):
    assert PartialDate.parse(text).end == date(int(text[:4]), 2, last_day)


def test_the_first_quarter_of_a_leap_year_ends_on_march_31():
    assert PartialDate.parse("2024-Q1").end == date(2024, 3, 31)


def test_the_29th_of_february_is_a_date_in_a_leap_year():
    assert PartialDate.parse("2024-02-29").start == date(2024, 2, 29)


def test_a_year_read_from_yaml_as_a_number_keeps_its_year_precision():
    parsed = PartialDate.parse(2030)

    assert parsed.text == "2030"
    assert (parsed.start, parsed.end) == (date(2030, 1, 1), date(2030, 12, 31))


def test_a_day_read_from_yaml_as_a_date_becomes_a_day_precise_partial_date():
    parsed = PartialDate.parse(date(2023, 6, 14))

    assert parsed.text == "2023-06-14"
    assert parsed.start == parsed.end == date(2023, 6, 14)


def test_as_of_a_month_means_as_of_its_last_day():
    assert end_of("2023-06") == date(2023, 6, 30)


def test_as_of_a_year_means_as_of_its_last_day():
    assert end_of("2023") == date(2023, 12, 31)


def test_partial_dates_sort_by_their_start_then_their_end():
    texts = ["2024", "2023-06-14", "2023-Q3", "2023-06", "2023", "2023-Q2"]

    ordered = [str(d) for d in sorted(PartialDate.parse(t) for t in texts)]

    assert ordered == ["2023", "2023-Q2", "2023-06", "2023-06-14", "2023-Q3", "2024"]


def test_two_partial_dates_are_equal_when_they_are_written_alike():
    assert PartialDate.parse("2023-06") == PartialDate.parse("2023-06")
    assert PartialDate.parse("2023-06") != PartialDate.parse("2023-06-01")


@pytest.mark.parametrize(
    "value",
    ["2023-13", "2023-02-30", "2023-02-29", "2023-Q5", "2023-Q0", "20xx", "2023-6", "2023-Q1-05", "", "June 2023"],
)
def test_a_text_that_is_not_a_partial_date_is_refused_naming_it(value):
    with pytest.raises(ValueError, match=re.escape(repr(value))):
        PartialDate.parse(value)


@pytest.mark.parametrize("value, written", [(12.5, "12.5"), (True, "true"), (False, "false"), (None, "null"),
                                            (99, "99"), ([2023], "[2023]")])
def test_a_value_that_is_neither_text_nor_a_year_nor_a_date_is_refused_naming_it_as_written(value, written):
    with pytest.raises(ValueError, match="^" + re.escape(f"{written} is not a date")):
        PartialDate.parse(value)


def test_the_refusal_lists_the_accepted_formats():
    with pytest.raises(ValueError, match="YYYY, YYYY-HN, YYYY-QN, YYYY-MM, YYYY-MM-DD, a span A..B of two of those, FYYYYY or FYYYYY/MM"):
        PartialDate.parse("20xx")


# ---- properties ------------------------------------------------------------------------------

_years = st.integers(min_value=1000, max_value=9999)


@st.composite
def partial_date_texts(draw) -> str:
    precision = draw(st.sampled_from(["year", "quarter", "month", "day"]))
    if precision == "day":
        return draw(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))).isoformat()
    year = draw(_years)
    if precision == "year":
        return f"{year:04d}"
    if precision == "quarter":
        return f"{year:04d}-Q{draw(st.integers(1, 4))}"
    return f"{year:04d}-{draw(st.integers(1, 12)):02d}"


@given(partial_date_texts())
def test_any_valid_partial_date_starts_no_later_than_it_ends(text):
    parsed = PartialDate.parse(text)

    assert parsed.start <= parsed.end


@given(partial_date_texts())
def test_any_valid_partial_date_keeps_its_text_and_precision(text):
    assert PartialDate.parse(text).text == text
    assert PartialDate.parse(PartialDate.parse(text).text) == PartialDate.parse(text)


@given(partial_date_texts(), partial_date_texts())
def test_partial_dates_order_like_their_start_then_end(a, b):
    first, second = PartialDate.parse(a), PartialDate.parse(b)

    assert (first < second) == ((first.start, first.end) < (second.start, second.end))


@pytest.mark.parametrize("value", ["٢٠٢٣", "２０２３-06"])
def test_a_year_written_with_non_ascii_digits_is_refused(value):
    with pytest.raises(ValueError, match=re.escape(repr(value))):
        PartialDate.parse(value)


def test_a_fiscal_year_resolved_for_the_brand_ends_in_its_last_fiscal_month_and_is_shown_as_written():
    fiscal = PartialDate.parse("FY2026").in_fiscal_year(3)
    assert (fiscal.start, fiscal.end, str(fiscal), fiscal.shown) == (
        date(2025, 4, 1), date(2026, 3, 31), "FY2026/03", "FY2026")
    assert PartialDate.parse("2026").in_fiscal_year(3) == PartialDate.parse("2026")
    assert PartialDate.parse("FY2026").in_fiscal_year(12) == PartialDate.parse("FY2026")
    assert PartialDate.parse("FY2026/06").in_fiscal_year(3) == PartialDate.parse("FY2026/06")  # resolved once only


@pytest.mark.parametrize(("text", "annual"), [("2024", True), ("FY2026", True), ("2025-04..2026-03", True),
                                              ("2024-H2", False), ("2023..2026", False), ("2024-Q4", False),
                                              ("9999", True), ("2024-03-01..2025-02-28", True),
                                              ("2023-03-01..2024-02-28", False), ("2023-03-02..2024-02-29", False)])
def test_a_period_counts_as_annual_when_it_covers_exactly_twelve_whole_months(text, annual):
    assert PartialDate.parse(text).is_annual is annual


def test_the_year_of_a_span_is_the_year_it_ends_in():
    assert PartialDate.parse("2025-04..2026-03").year == 2026


@pytest.mark.parametrize("text", ["2026-H3", "2026-H0", "2026..2025", "2026-H1-01", "FY26", "2025..", "..2025",
                                  "2023..2024..2025", "FY2026..2027"])
def test_half_years_spans_and_fiscal_years_refuse_what_is_not_one(text):
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        PartialDate.parse(text)

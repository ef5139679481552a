"""The growth observed between a target's last two annual actuals (the report's observed %/yr and trend)."""

from __future__ import annotations

from datetime import date

from stratlog.domain.kpi_status import by_period_end, evaluate, judged_annuals, observed_growth


def target(deadline: str | None = "2030", unit: str = "vehicles") -> dict:
    return {"kpi": "annual-sales", "deadline": deadline, "unit": unit, "value": 100000, "low": None, "high": None,
            "comparator": "at-least", "horizon": "by", "withdrawn": False}


def actual(period: str, value, unit: str = "vehicles") -> dict:
    return {"period": period, "value": value, "unit": unit}


def test_the_growth_between_the_last_two_annual_actuals_is_observed_per_year():
    actuals = by_period_end([actual("2022", 10000), actual("2023", 20000), actual("2025", 45000)])
    assert observed_growth(target(), actuals) == 50.0  # 20,000 in 2023 to 45,000 in 2025: 1.5 a year


def test_quarters_other_units_and_actuals_after_the_deadline_are_not_observed():
    actuals = by_period_end([actual("2023", 10000), actual("2024", 11000), actual("2024-Q4", 4000),
                             actual("2025", 99, "models"), actual("2031", 90000)])
    assert [a["period"] for a in judged_annuals(target(), actuals)] == ["2023", "2024"]
    assert observed_growth(target(), actuals) == 10.0


def test_nothing_is_observed_from_one_actual_or_from_a_figure_that_is_not_positive():
    assert observed_growth(target(), by_period_end([actual("2024", 5000)])) is None
    assert observed_growth(target(), by_period_end([actual("2023", 0), actual("2024", 5000)])) is None


def test_an_open_target_observes_every_annual_actual():
    actuals = by_period_end([actual("2023", 100), actual("2040", 121)])
    assert observed_growth(target(None), actuals) == 1.1


def test_the_status_agrees_with_the_observed_growth_it_is_judged_by():
    actuals = by_period_end([actual("2023", 40000), actual("2024", 44000)])
    answer = evaluate(target(), actuals, date(2025, 6, 30))
    assert observed_growth(target(), actuals) == 10.0 and answer["required_cagr"] == 14.7
    assert answer["status"] == "at-risk"  # 10 %/yr observed is at least half the 14.7 %/yr required

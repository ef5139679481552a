"""KPI rows (DESIGN.md §5 kpis): latest actual, required_cagr and status, from the reference fold."""

from datetime import date, datetime, timezone

import pytest

from stratlog.domain.groups import fold_group, grouped
from stratlog.domain.history import Entry, apply_fixes
from stratlog.domain.views import kpis
from tests.builders import statement

RECORDED = datetime(2025, 1, 15, tzinfo=timezone.utc)
MID_2024 = date(2024, 6, 30)


def target(value, deadline=2027, kpi="annual-sales", unit="vehicles", comparator="at-least", **fields):
    value_fields = {"value": value} if value is not None else {}
    return statement("target-set", kpi=kpi, deadline=deadline, unit=unit, comparator=comparator,
                     announced_on="2023-06", **value_fields, **fields)


def actual(period, value, kpi="annual-sales", unit="vehicles", announced_on="2024-01-15", **fields):
    return statement("actual-reported", kpi=kpi, period=period, value=value, unit=unit,
                     announced_on=announced_on, **fields)


def kpi_row(*statements, as_of=MID_2024, counted_as_of=None):
    """The one kpis row of a brand whose statements are folded as of `counted_as_of` (default: all)."""
    entries = [Entry(s.statement_id(), n, RECORDED, s) for n, s in enumerate(statements, 1)]
    members = grouped(apply_fixes(entries))
    groups = [g for name, es in members.items() if (g := fold_group(name, es, counted_as_of))]
    (row,) = kpis(groups, "alpine", as_of)
    return row


def money(amount, currency="EUR"):
    return {"amount": amount, "currency": currency}


# ---- required_cagr ---------------------------------------------------------------------------

def test_20000_in_2023_to_50000_by_2027_needs_25_7_percent_a_year():
    row = kpi_row(target(50000), actual(2023, 20000))

    assert (row["actual"], row["actual_period"], row["required_cagr"]) == (20000, "2023", 25.7)


def test_a_money_target_needs_growth_of_its_amount():
    row = kpi_row(target(money(2000000000), kpi="revenue", deadline=2026),
                  actual(2023, money(729000000), kpi="revenue"))

    assert row["required_cagr"] == 40.0


def test_a_range_uses_its_low_end_for_an_at_least_target():
    assert kpi_row(target(None, low=50000, high=60000), actual(2023, 20000))["required_cagr"] == 25.7


def test_a_range_uses_its_high_end_for_an_at_most_target():
    row = kpi_row(target(None, low=10000, high=50000, comparator="at-most"), actual(2023, 20000))

    assert row["required_cagr"] == 25.7


@pytest.mark.parametrize("label, statements", [
    ("yes/no", [target(True, kpi="profitability", unit="yes/no", comparator="exactly"),
                actual(2023, False, kpi="profitability", unit="yes/no")]),
    ("percent", [target(40, kpi="revenue-growth", unit="percent"), actual(2023, 30, kpi="revenue-growth", unit="percent")]),
    ("actual of zero", [target(50000), actual(2023, 0)]),
    ("deadline year", [target(50000), actual(2027, 20000, announced_on="2028-01")]),
    ("quarterly actual", [target(50000), actual("2023-Q4", 6000)]),
    ("monthly actual", [target(50000), actual("2023-12", 2000)]),
    ("another currency", [target(money(2000000000), kpi="revenue"), actual(2023, money(700000000, "USD"), kpi="revenue")]),
    ("another unit", [target(50000), actual(2023, 20000, unit="cars")]),
    ("about a range", [target(None, low=40000, high=60000, comparator="about"), actual(2023, 20000)]),
])
def test_no_growth_is_required_when_it_cannot_be_computed(label, statements):
    assert kpi_row(*statements)["required_cagr"] is None


def test_the_latest_actual_is_the_latest_period_no_later_than_the_deadline():
    row = kpi_row(target(50000), actual(2023, 20000), actual(2026, 30000, announced_on="2027-02"),
                  actual(2028, 60000, announced_on="2029-02"), as_of=date(2026, 6, 30))

    assert (row["actual"], row["actual_period"]) == (30000, "2026")


def test_a_later_report_for_the_same_period_restates_the_actual():
    row = kpi_row(target(50000), actual(2023, 18000, announced_on="2024-01"), actual(2023, 20000, announced_on="2024-03"))

    assert (row["actual"], row["required_cagr"]) == (20000, 25.7)


def test_an_actual_announced_after_the_as_of_date_is_not_known_yet():
    row = kpi_row(target(50000), actual(2023, 20000, announced_on="2024-02"), as_of=date(2024, 1, 31),
                  counted_as_of=date(2024, 1, 31))

    assert (row["actual"], row["required_cagr"], row["status"]) == (None, None, "pending")


def test_an_actual_of_another_scope_does_not_count_for_the_brand_wide_target():
    row = kpi_row(target(50000), actual(2023, 20000, scope="US"))

    assert (row["actual"], row["status"]) == (None, "pending")


# ---- status past the deadline ----------------------------------------------------------------

def test_a_2026_target_is_judged_from_2027_01_01():
    statements = (target(100000, deadline=2026, horizon="in"), actual(2026, 120000, announced_on="2026-12-15"))

    assert kpi_row(*statements, as_of=date(2026, 12, 31))["status"] == "pending"
    assert kpi_row(*statements, as_of=date(2027, 1, 1))["status"] == "achieved"


@pytest.mark.parametrize("comparator, reached, status", [
    ("at-least", 100000, "achieved"), ("at-least", 99999, "missed"),
    ("at-most", 100000, "achieved"), ("at-most", 100001, "missed"),
    ("exactly", 100000, "achieved"), ("exactly", 100001, "missed"),
    ("about", 95000, "achieved"), ("about", 105000, "achieved"),
    ("about", 94999, "missed"), ("about", 105001, "missed"),
])
def test_past_the_deadline_the_actual_for_its_period_decides_by_the_comparator(comparator, reached, status):
    row = kpi_row(target(100000, deadline=2026, comparator=comparator), actual(2026, reached, announced_on="2027-02"),
                  as_of=date(2027, 6, 30))

    assert row["status"] == status


def test_past_the_deadline_without_the_actual_for_its_period_a_target_is_overdue():
    row = kpi_row(target(100000, deadline=2026), actual(2025, 120000, announced_on="2026-02"), as_of=date(2027, 6, 30))

    assert row["status"] == "overdue"


@pytest.mark.parametrize("reached, status", [(True, "achieved"), (False, "missed")])
def test_past_the_deadline_a_yes_no_target_is_achieved_or_missed(reached, status):
    row = kpi_row(target(True, deadline=2026, kpi="profitability", unit="yes/no", comparator="exactly", horizon="in"),
                  actual(2026, reached, kpi="profitability", unit="yes/no", announced_on="2027-02"),
                  as_of=date(2027, 6, 30))

    assert row["status"] == status


def test_a_withdrawn_target_has_status_withdrawn():
    withdrawn = statement("target-withdrawn", kpi="annual-sales", deadline=2027, announced_on="2024-03")

    assert kpi_row(target(50000), actual(2023, 20000), withdrawn)["status"] == "withdrawn"


# ---- status before the deadline --------------------------------------------------------------

def test_a_by_target_already_met_is_achieved_before_its_deadline():
    assert kpi_row(target(50000), actual(2023, 52000))["status"] == "achieved"


def test_a_yes_no_by_target_already_met_is_achieved():
    row = kpi_row(target(True, kpi="profitability", unit="yes/no", comparator="exactly"),
                  actual(2023, True, kpi="profitability", unit="yes/no"))

    assert row["status"] == "achieved"


def test_a_yes_no_target_not_yet_met_is_pending():
    row = kpi_row(target(True, kpi="profitability", unit="yes/no", comparator="exactly"),
                  actual(2023, False, kpi="profitability", unit="yes/no"))

    assert (row["status"], row["required_cagr"]) == ("pending", None)


def test_an_in_target_is_pending_before_its_deadline_even_when_already_met():
    assert kpi_row(target(50000, horizon="in"), actual(2023, 60000))["status"] == "pending"


def test_a_target_without_an_actual_is_pending_with_no_required_growth():
    row = kpi_row(target(50000))

    assert (row["actual"], row["required_cagr"], row["status"]) == (None, None, "pending")


def test_a_percent_target_with_an_actual_below_it_is_pending():
    row = kpi_row(target(40, kpi="revenue-growth", unit="percent"), actual(2023, 30, kpi="revenue-growth", unit="percent"))

    assert row["status"] == "pending"


@pytest.mark.parametrize("previous, status", [(15000, "on-track"), (17000, "at-risk"), (19000, "off-track")])
def test_with_two_annual_actuals_the_observed_growth_is_compared_with_the_required(previous, status):
    row = kpi_row(target(50000), actual(2022, previous, announced_on="2023-01"), actual(2023, 20000))

    assert (row["required_cagr"], row["status"]) == (25.7, status)


@pytest.mark.parametrize("latest, goal, status", [
    (50000, 70000, "on-track"), (10000, 14641, "on-track"), (50000, 100000, "at-risk"),
    (10000, "24414.0625", "at-risk"), (20000, 50000, "off-track"),
])
def test_with_one_actual_the_required_growth_alone_decides(latest, goal, status):
    assert kpi_row(target(goal), actual(2023, latest))["status"] == status


def co2_target():
    return target(100, deadline=2030, kpi="co2-emissions", unit="g/km", comparator="at-most")


@pytest.mark.parametrize("previous, status", [(130, "on-track"), (122.5, "at-risk"), (121, "off-track"), (110, "off-track")])
def test_an_at_most_target_compares_the_observed_decline_with_the_required_decline(previous, status):
    row = kpi_row(co2_target(), actual(2023, previous, unit="g/km", kpi="co2-emissions", announced_on="2024-01"),
                  actual(2024, 120, unit="g/km", kpi="co2-emissions", announced_on="2025-01"), as_of=date(2025, 6, 30))

    assert (row["required_cagr"], row["status"]) == (-3.0, status)


@pytest.mark.parametrize("latest, status", [(120, "on-track"), (200, "at-risk"), (1000, "off-track")])
def test_an_at_most_target_with_one_actual_is_judged_by_the_decline_it_requires(latest, status):
    row = kpi_row(co2_target(), actual(2024, latest, unit="g/km", kpi="co2-emissions", announced_on="2025-01"),
                  as_of=date(2025, 6, 30))

    assert row["status"] == status


def test_an_actual_in_another_currency_never_achieves_a_money_target():
    row = kpi_row(target(money(2000000000), kpi="revenue", deadline=2026),
                  actual(2023, money(3000000000, "JPY"), kpi="revenue"))

    assert (row["required_cagr"], row["status"]) == (None, "pending")


# ---- r2: the latest actual, about for percent KPIs, periods that are not calendar years ----------

def test_of_periods_ending_together_the_annual_figure_is_the_latest_actual():
    row = kpi_row(target(200000), actual(2024, 120000, announced_on="2025-02"),
                  actual("2024-Q4", 35000, announced_on="2025-01"), actual("2024-H2", 60000, announced_on="2025-01"),
                  as_of=date(2025, 6, 30))

    assert (row["actual"], row["actual_period"], row["required_cagr"]) == (120000, "2024", 18.6)
    assert row["status"] == "at-risk"


def test_a_twelve_month_span_counts_as_an_annual_actual_in_the_year_it_ends():
    row = kpi_row(target(50000), actual("2022-04..2023-03", 20000, announced_on="2023-05"))

    assert (row["actual_period"], row["required_cagr"]) == ("2022-04..2023-03", 25.7)


def test_a_half_year_actual_gives_no_required_growth():
    assert kpi_row(target(50000), actual("2023-H2", 20000))["required_cagr"] is None


@pytest.mark.parametrize(("reached", "status"), [(10.5, "achieved"), (9.5, "achieved"), (10.6, "missed")])
def test_about_ten_percent_is_met_within_half_a_point(reached, status):
    row = kpi_row(target(10, kpi="ebit-margin", unit="percent", comparator="about", deadline=2024),
                  actual(2024, reached, kpi="ebit-margin", unit="percent", announced_on="2025-02"),
                  as_of=date(2025, 6, 30))

    assert row["status"] == status


def test_an_open_target_is_pending_with_no_required_growth():
    from stratlog.domain.kpi_status import evaluate
    target_row = {"deadline": None, "withdrawn": False, "value": 10, "low": None, "high": None, "unit": "percent",
                  "comparator": "at-least", "horizon": "by"}

    assert evaluate(target_row, [], date(2030, 1, 1)) == {"actual": None, "actual_period": None, "actual_comparator": None,
                                                         "required_cagr": None, "status": "pending"}
    assert evaluate({**target_row, "withdrawn": True}, [], date(2030, 1, 1))["status"] == "withdrawn"


@pytest.mark.parametrize("goal, base", [(-5, 100), (0, 100), (-200, -100)])
def test_no_growth_rate_is_required_toward_or_from_a_figure_that_is_not_positive(goal, base):
    """A loss target (a negative goal) once raised a TypeError: a negative ratio's root is a complex number."""
    row = kpi_row(target(goal, kpi="ebit", unit="EUR"), actual("2023", base, kpi="ebit", unit="EUR"))
    assert row["required_cagr"] is None
    assert row["status"] in ("achieved", "on-track", "at-risk", "off-track", "no-actual", "not-due")


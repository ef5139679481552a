"""The checks of revision 2 (DESIGN.md §5 r2): stale plans, early actuals, negative counts, odd spellings."""

import json

import pytest

SOURCE = ("--source-title", "Press release")


@pytest.fixture
def checks(stratlog, db):
    """Record statements of alpine, then ask `checks` for JSON rows as of a date."""
    assert stratlog("--db", db, "record", "brand-registered", "alpine", "--name", "Alpine").code == 0

    def record(*args):
        result = stratlog("--db", db, "record", *args, *SOURCE)
        assert result.code == 0, result.err

    def ask(as_of):
        result = stratlog("--db", db, "checks", "--brand", "alpine", "--as-of", as_of, "--format", "json")
        assert result.code == 0, result.err
        return [(r["check"], r["subject"], r["message"]) for r in json.loads(result.out)]

    return record, ask


def test_a_plan_whose_date_passed_with_nothing_said_since_is_stale(checks):
    record, ask = checks
    record("model-planned", "alpine", "A290", "--planned-for", "2024", "--announced-on", "2023-06")

    assert ask("2024-12-31") == []
    assert ask("2026-11-30") == [("stale-plan", "A290", "A290 planned for 2024, nothing stated since, as of 2026-11-30")]
    record("model-rescheduled", "alpine", "A290", "--planned-for", "2027", "--announced-on", "2025-03")
    assert ask("2026-11-30") == []


def test_a_plan_with_news_after_its_date_or_delivered_is_not_stale(checks):
    record, ask = checks
    record("market-entry-planned", "alpine", "US", "--planned-for", "2024", "--announced-on", "2023-06")
    record("market-entry-postponed", "alpine", "US", "--reason", "tariffs", "--announced-on", "2025-02")
    record("model-planned", "alpine", "A290", "--planned-for", "2024", "--announced-on", "2023-06")
    record("model-launched", "alpine", "A290", "--launched-on", "2024-06", "--announced-on", "2024-06")

    assert ask("2026-11-30") == []


def test_an_actual_for_a_whole_period_reported_before_it_ended_is_flagged(checks):
    record, ask = checks
    record("actual-reported", "alpine", "--kpi", "annual-sales", "--period", "2024", "--value", "4585",
           "--unit", "vehicles", "--announced-on", "2024-11")
    record("actual-reported", "alpine", "--kpi", "annual-sales", "--period", "2023", "--value", "3500",
           "--unit", "vehicles", "--announced-on", "2024-01")

    assert ask("2024-12-31") == [("actual-before-period-end", "annual-sales 2024",
                                  "annual-sales for 2024 was reported 2024-11, before the period ended")]


def test_a_negative_count_is_flagged_and_a_negative_growth_is_not(checks):
    record, ask = checks
    record("actual-reported", "alpine", "--kpi", "new-models", "--period", "2024", "--value", "-2",
           "--unit", "models", "--announced-on", "2025-01")
    record("actual-reported", "alpine", "--kpi", "revenue-growth", "--period", "2024", "--value", "-12",
           "--unit", "percent", "--announced-on", "2025-01")

    assert ask("2025-12-31") == [("negative-count", "new-models 2024",
                                  "new-models 2024 counts -2 models: a count cannot be negative")]


def test_a_unit_spelled_unlike_the_brands_others_is_flagged(checks):
    record, ask = checks
    for period, unit in (("2022", "vehicles"), ("2023", "vehicles"), ("2024", "vehicle")):
        record("actual-reported", "alpine", "--kpi", "annual-sales", "--period", period, "--value", "4000",
               "--unit", unit, "--announced-on", f"{int(period) + 1}-01")
    record("actual-reported", "alpine", "--kpi", "annual-sale", "--period", "2024", "--scope", "FR", "--value",
           "900", "--unit", "vehicles", "--announced-on", "2025-01")

    assert ask("2025-12-31") == [
        ("kpi-spelling", "annual-sale 2024", "kpi 'annual-sale' of annual-sale 2024 is spelled unlike "
                                             "'annual-sales' elsewhere"),
        ("unit-spelling", "annual-sales 2024", "unit 'vehicle' of annual-sales 2024 is spelled unlike "
                                               "'vehicles' elsewhere")]

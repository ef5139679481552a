"""Real guidance from the command line: ranges, revisions of any term, open targets, withdrawn guidance, approximate actuals."""

from __future__ import annotations

import json

import pytest

SAID = ("--source-title", "Results")


@pytest.fixture
def acme(db, stratlog):
    """A database with the brand acme registered; returns a `record` that must succeed."""
    assert stratlog("--db", db, "record", "brand-registered", "acme", "--name", "Acme").code == 0

    def record(kind: str, *args: str) -> str:
        result = stratlog("--db", db, "record", kind, "acme", *args, *SAID)
        assert result.code == 0, result.err
        return result.out.strip()
    return record


def answer(stratlog, db, *args):
    result = stratlog("--db", db, *args, "--as-of", "2026-12-31", "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def columns(row, *names):
    return [row[name] for name in names]


RANGES = ("old_value", "old_low", "old_high", "new_value", "new_low", "new_high")


def test_a_production_range_revised_to_a_lower_range_reads_lowered_with_both_ranges(db, stratlog, acme):
    acme("target-set", "--kpi", "production", "--deadline", "2022", "--low", "12000", "--high", "14000",
         "--unit", "vehicles", "--comparator", "about", "--announced-on", "2022-02")
    acme("target-revised", "--kpi", "production", "--deadline", "2022", "--low", "6000", "--high", "7000",
         "--announced-on", "2022-08-03")

    rows = answer(stratlog, db, "audit", "acme")

    assert [r["change"] for r in rows] == ["set", "lowered"]
    assert columns(rows[1], *RANGES) == [None, 12000, 14000, None, 6000, 7000]
    table = stratlog("--db", db, "audit", "acme", "--as-of", "2026").out
    assert "12,000–14,000" in table and "6,000–7,000" in table


def test_a_number_revised_to_a_lower_range_reads_lowered(db, stratlog, acme):
    acme("target-set", "--kpi", "production", "--deadline", "2022", "--value", "290000", "--unit", "vehicles",
         "--comparator", "about", "--announced-on", "2022-02")
    acme("target-revised", "--kpi", "production", "--deadline", "2022", "--low", "155000", "--high", "165000",
         "--announced-on", "2022-10")

    (_, lowered) = answer(stratlog, db, "audit", "acme")

    assert lowered["change"] == "lowered"
    assert columns(lowered, *RANGES) == [290000, None, None, None, 155000, 165000]


def test_a_change_from_at_least_by_to_about_in_reads_revised(db, stratlog, acme):
    acme("target-set", "--kpi", "launch-year", "--deadline", "2026", "--value", "2026", "--unit", "year",
         "--comparator", "at-least", "--announced-on", "2023")
    acme("target-revised", "--kpi", "launch-year", "--deadline", "2026", "--comparator", "about", "--horizon", "in",
         "--announced-on", "2024")

    rows = answer(stratlog, db, "audit", "acme")
    (kpi,) = answer(stratlog, db, "kpis", "--brand", "acme")

    assert [r["change"] for r in rows] == ["set", "revised"]
    assert (kpi["comparator"], kpi["horizon"], kpi["value"]) == ("about", "in", 2026)


def test_a_revision_with_only_a_reason_reads_revised_and_keeps_the_terms(db, stratlog, acme):
    acme("target-set", "--kpi", "annual-sales", "--deadline", "2030", "--value", "100000", "--unit", "vehicles",
         "--comparator", "at-least", "--announced-on", "2023")
    acme("target-revised", "--kpi", "annual-sales", "--deadline", "2030", "--reason", "now 'an ambition'",
         "--announced-on", "2024")

    rows = answer(stratlog, db, "audit", "acme")

    assert [r["change"] for r in rows] == ["set", "revised"]
    assert columns(rows[1], "old_value", "new_value") == [100000, 100000]


def test_a_deadline_moved_with_a_new_range_reads_deadline_moved(db, stratlog, acme):
    acme("target-set", "--kpi", "annual-sales", "--deadline", "2030", "--value", "100000", "--unit", "vehicles",
         "--comparator", "at-least", "--announced-on", "2023")
    acme("target-revised", "--kpi", "annual-sales", "--deadline", "2030", "--low", "60000", "--high", "70000",
         "--new-deadline", "2032", "--announced-on", "2024")

    (_, moved) = answer(stratlog, db, "audit", "acme")
    (kpi,) = answer(stratlog, db, "kpis", "--brand", "acme")

    assert (moved["change"], moved["old_deadline"], moved["new_deadline"]) == ("deadline-moved", "2030", "2032")
    assert columns(kpi, "deadline", "value", "low", "high") == ["2032", None, 60000, 70000]


def test_a_medium_term_target_is_open_pending_and_addressed_as_open(db, stratlog, acme):
    acme("target-set", "--kpi", "ebit-margin", "--value", "8", "--unit", "percent", "--comparator", "about",
         "--condition", "where market conditions allow", "--announced-on", "2024")
    acme("target-reaffirmed", "--kpi", "ebit-margin", "--deadline", "open", "--announced-on", "2025")

    (kpi,) = answer(stratlog, db, "kpis", "--brand", "acme")
    (row,) = [r for r in answer(stratlog, db, "timeline", "--brand", "acme") if r["subject_type"] == "target"]
    audit = answer(stratlog, db, "audit", "acme", "--deadline", "open")
    table = stratlog("--db", db, "kpis", "--brand", "acme", "--as-of", "2026").out

    assert columns(kpi, "deadline", "status", "required_cagr", "condition") == [
        None, "pending", None, "where market conditions allow"]
    assert (row["subject"], row["status"]) == ("ebit-margin open", "pending")
    assert [r["change"] for r in audit] == ["set", "reaffirmed"]
    assert " open " in table


def test_an_open_target_is_pending_until_withdrawn(db, stratlog, acme):
    acme("target-set", "--kpi", "ebit-margin", "--value", "8", "--unit", "percent", "--comparator", "about",
         "--announced-on", "2024")
    acme("target-withdrawn", "--kpi", "ebit-margin", "--deadline", "open", "--announced-on", "2025")

    (kpi,) = answer(stratlog, db, "kpis", "--brand", "acme")

    assert kpi["status"] == "withdrawn"


def two_years_of_guidance(acme):
    for kpi, unit, value in (("annual-sales", "vehicles", "50000"), ("revenue", None, "2000000000 EUR")):
        for deadline in ("2025", "2026"):
            acme("target-set", "--kpi", kpi, "--deadline", deadline, "--value", value, "--comparator", "at-least",
                 *(("--unit", unit) if unit else ()), "--announced-on", "2023")


def test_withdrawing_the_2025_guidance_withdraws_both_kpis_2025_targets_but_not_2026_ones(db, stratlog, acme):
    two_years_of_guidance(acme)

    withdrawal = acme("guidance-withdrawn", "--kpis", "annual-sales", "--kpis", "revenue", "--deadline", "2025",
                      "--reason", "we withdraw our 2025 guidance", "--announced-on", "2024-04")

    kpis = answer(stratlog, db, "kpis", "--brand", "acme")
    audit = [r for r in answer(stratlog, db, "audit", "acme") if r["change"] == "withdrawn"]
    assert sorted((k["kpi"], k["deadline"], k["status"]) for k in kpis) == [
        ("annual-sales", "2025", "withdrawn"), ("annual-sales", "2026", "pending"),
        ("revenue", "2025", "withdrawn"), ("revenue", "2026", "pending")]
    assert sorted((r["kpi"], r["old_deadline"], r["statement_id"]) for r in audit) == [
        ("annual-sales", "2025", withdrawal), ("revenue", "2025", withdrawal)]
    assert "OK" in stratlog("--db", db, "projections", "verify").out


def test_a_guidance_withdrawal_that_matches_no_live_target_is_refused_and_nothing_is_written(db, stratlog, acme):
    two_years_of_guidance(acme)
    before = stratlog("--db", db, "events", "--format", "json").out

    result = stratlog("--db", db, "record", "guidance-withdrawn", "acme", "--deadline", "2027",
                      "--announced-on", "2024-04", *SAID)

    assert result.code == 1
    assert "matches no live target of brand 'acme' (every KPI 2027)" in result.err
    assert stratlog("--db", db, "events", "--format", "json").out == before


def test_a_targets_group_created_after_a_guidance_withdrawal_still_folds_it(db, stratlog, acme):
    acme("target-set", "--kpi", "revenue", "--deadline", "2025", "--value", "2000000000 EUR",
         "--comparator", "at-least", "--announced-on", "2023")
    acme("guidance-withdrawn", "--deadline", "2025", "--announced-on", "2024-04")

    acme("target-set", "--kpi", "annual-sales", "--deadline", "2025", "--value", "50000", "--unit", "vehicles",
         "--comparator", "at-least", "--announced-on", "2023-06")  # back-dated: announced before the withdrawal

    kpis = answer(stratlog, db, "kpis", "--brand", "acme")
    assert {(k["kpi"], k["status"]) for k in kpis} == {("revenue", "withdrawn"), ("annual-sales", "withdrawn")}
    assert "OK" in stratlog("--db", db, "projections", "verify").out


def test_an_actual_reported_as_over_37000_is_shown_as_reported_and_judged_by_its_number(db, stratlog, acme):
    acme("target-set", "--kpi", "annual-sales", "--deadline", "2024", "--value", "35000", "--unit", "vehicles",
         "--comparator", "at-least", "--announced-on", "2023")
    acme("actual-reported", "--kpi", "annual-sales", "--period", "2024", "--value", "37000", "--unit", "vehicles",
         "--comparator", "at-least", "--announced-on", "2025-01")

    (kpi,) = answer(stratlog, db, "kpis", "--brand", "acme")

    assert columns(kpi, "actual", "actual_comparator", "status") == [37000, "at-least", "achieved"]


def test_an_actual_reported_as_a_range_is_shown_as_a_range_and_judged_by_its_midpoint(db, stratlog, acme):
    acme("target-set", "--kpi", "annual-sales", "--deadline", "2024", "--value", "35000", "--unit", "vehicles",
         "--comparator", "at-least", "--announced-on", "2023")
    acme("actual-reported", "--kpi", "annual-sales", "--period", "2024", "--low", "30000", "--high", "41000",
         "--unit", "vehicles", "--announced-on", "2025-01")

    (kpi,) = answer(stratlog, db, "kpis", "--brand", "acme")

    assert columns(kpi, "actual", "status") == [{"low": 30000, "high": 41000}, "achieved"]


def test_state_shows_a_range_target_s_range_and_an_open_target_s_deadline(db, stratlog, acme):
    acme("target-set", "--kpi", "production", "--deadline", "2026", "--low", "60000", "--high", "70000",
         "--unit", "vehicles", "--comparator", "about", "--announced-on", "2024")
    acme("target-set", "--kpi", "ebit-margin", "--value", "8", "--unit", "percent", "--comparator", "about",
         "--announced-on", "2024")

    text = stratlog("--db", db, "state", "acme", "--as-of", "2025").out

    assert "60,000–70,000" in text and " open " in text


def test_a_correction_row_shows_every_field_it_changed_ranges_included(db, stratlog, acme):
    set_id = acme("target-set", "--kpi", "production", "--deadline", "2026", "--low", "60000", "--high", "70000",
                  "--unit", "vehicles", "--comparator", "about", "--announced-on", "2024")
    assert stratlog("--db", db, "correct", set_id, "--low", "65000", "--comparator", "at-least",
                    "--note", "misread").code == 0

    (corrected,) = [r for r in answer(stratlog, db, "audit", "acme") if r["change"] == "corrected"]

    assert columns(corrected, "old_low", "new_low", "old_high", "new_high") == [60000, 65000, 70000, 70000]
    assert corrected["changes"] == {"low": {"old": 60000, "new": 65000},
                                    "comparator": {"old": "about", "new": "at-least"}}


def test_the_report_renders_range_and_open_targets(db, stratlog, acme, tmp_path):
    acme("target-set", "--kpi", "production", "--deadline", "2026", "--low", "60000", "--high", "70000",
         "--unit", "vehicles", "--comparator", "about", "--announced-on", "2024")
    acme("target-revised", "--kpi", "production", "--deadline", "2026", "--low", "50000", "--high", "55000",
         "--announced-on", "2025-03")
    acme("target-set", "--kpi", "ebit-margin", "--value", "8", "--unit", "percent", "--comparator", "about",
         "--announced-on", "2024")
    out = tmp_path / "report.html"

    result = stratlog("--db", db, "report", "--brand", "acme", "--as-of", "2025-06", "--out", str(out))

    assert result.code == 0, result.err
    html = out.read_text()
    assert "50k–55k" in html and "ebit-margin open" in html  # the report's one compact number format


GUIDANCE_FILE = """
defaults: {source: {title: "Results"}}
statements:
  - {kind: brand-registered, brand: acme, name: Acme}
  - {kind: target-set, brand: acme, kpi: production, deadline: 2022, low: 12000, high: 14000, unit: vehicles,
     comparator: about, baseline: 2021, condition: "if chip supply allows", announced_on: 2022-02}
  - {kind: target-revised, brand: acme, kpi: production, deadline: 2022, low: 6000, high: 7000,
     announced_on: 2022-08-03}
  - {kind: target-set, brand: acme, kpi: ebit-margin, value: 8, unit: percent, comparator: about, announced_on: 2022}
  - {kind: target-reaffirmed, brand: acme, kpi: ebit-margin, deadline: open, announced_on: 2023}
  - {kind: guidance-withdrawn, brand: acme, kpis: [production], deadline: 2022, reason: "chip shortage",
     announced_on: 2022-10}
  - {kind: actual-reported, brand: acme, kpi: production, period: 2022, value: 5500, unit: vehicles,
     comparator: about, announced_on: 2023-01}
"""


def test_every_new_target_shape_imports_from_yaml(db, stratlog, tmp_path):
    from tests.conftest import write
    assert stratlog("--db", db, "import", write(tmp_path, "guidance.yaml", GUIDANCE_FILE)).code == 0

    kpis = answer(stratlog, db, "kpis", "--brand", "acme")
    changes = [r["change"] for r in answer(stratlog, db, "audit", "acme")]

    assert sorted((k["kpi"], k["deadline"], k["status"]) for k in kpis) == [
        ("ebit-margin", None, "pending"), ("production", "2022", "withdrawn")]
    assert sorted(changes) == ["lowered", "reaffirmed", "set", "set", "withdrawn"]
    assert "OK" in stratlog("--db", db, "projections", "verify").out

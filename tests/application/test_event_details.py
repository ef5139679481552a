"""An `events` row names its subject as the timeline does and says its value, period or dates in a few words."""

from __future__ import annotations

import json

from stratlog.application.event_details import event_details, event_subject
from tests.conftest import ROOT

NORDLYS = ROOT / "examples" / "nordlys-guidance-cut.yaml"


def test_a_range_target_reads_with_comparator_and_unit_under_its_kpi_and_deadline():
    record = {"kind": "target-set", "brand": "nordlys", "kpi": "deliveries", "deadline": "2024", "low": "12000",
              "high": "14000", "unit": "vehicles", "comparator": "about", "horizon": "by"}
    assert (event_subject(record, ["nordlys"]), event_details(record)) == ("deliveries 2024", "about 12,000–14,000 vehicles")


def test_money_a_yes_no_value_dates_and_fixes_read_plainly():
    money = {"kind": "valuation-updated", "brand": "alpine", "value": {"amount": "500000000", "currency": "EUR"},
             "valued_on": "2023", "basis": "brand value"}
    assert (event_subject(money, ["alpine"]), event_details(money)) == ("valuation 2023", "500,000,000 EUR · basis brand value")
    yes = {"kind": "target-set", "kpi": "profitability", "deadline": "2026", "value": True, "unit": "yes/no",
           "comparator": "exactly", "horizon": "in"}
    assert event_details(yes) == "exactly yes · horizon in"
    plan = {"kind": "model-planned", "brand": "alpine", "model": "A290", "planned_for": "2024", "markets": ["CN", "US"]}
    assert (event_subject(plan, ["alpine", "A290"]), event_details(plan)) == ("A290", "planned_for 2024 · markets CN, US")
    fix = {"kind": "statement-corrected", "corrects": "842b50d8-9232", "fields": {"value": "120000"}}
    assert (event_subject(fix, []), event_details(fix)) == ("fixes 842b50d8", "sets value 120000")


def test_the_events_table_and_json_carry_the_details(db, stratlog):
    assert stratlog("--db", db, "import", str(NORDLYS)).code == 0
    rows = json.loads(stratlog("--db", db, "events", "--json").out)
    actual = next(r for r in rows if r["kind"] == "actual-reported")
    assert (actual["subject"], actual["details"]) == ("deliveries 2024", "about 6,500 vehicles")
    table = stratlog("--db", db, "events", "--kind", "actual-reported").out
    assert "details" in table.splitlines()[0] and "about 6,500 vehicles" in table

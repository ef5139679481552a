"""Plants through the CLI (DESIGN.md §4 r2): imported with their `plant` key, answered by timeline, state,
diff and report, verified, and refused without a registered brand."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import write

POLESTAR = """
defaults: {source: {title: "Polestar press release"}}
statements:
  - {kind: brand-registered, brand: polestar, name: Polestar, parent: Geely}
  - {kind: plant-planned, brand: polestar, plant: Chengdu, planned_for: 2024, location: "Chengdu, Sichuan",
     country: CN, capacity: 150000, products: [Polestar 4], announced_on: 2023-03}
  - {kind: plant-postponed, brand: polestar, plant: Chengdu, planned_for: 2025-Q3, announced_on: 2024-02}
  - {kind: plant-opened, brand: polestar, plant: Chengdu, opened_on: 2025-09, announced_on: 2025-09}
  - {kind: plant-planned, brand: polestar, plant: Ridgeville, country: US, announced_on: 2024-05}
  - {kind: plant-cancelled, brand: polestar, plant: Ridgeville, reason: tariffs, announced_on: 2025-04}
"""


def as_json(stratlog, *args):
    result = stratlog(*args, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def polestar(db, stratlog, tmp_path) -> str:
    result = stratlog("--db", db, "import", write(tmp_path, "polestar.yaml", POLESTAR))
    assert result.code == 0, result.err
    return db


def test_plants_are_imported_by_their_key_and_listed_in_state_with_every_column(db, stratlog, tmp_path):
    polestar(db, stratlog, tmp_path)

    plants = as_json(stratlog, "--db", db, "state", "polestar", "--as-of", "2025-12")["plants"]

    assert plants == [  # dated first, as every list of `state`
        {"plant": "Chengdu", "status": "opened", "planned_for": "2025-Q3", "opened_on": "2025-09", "capacity": 150000,
         "capacity_unit": "vehicles/year", "location": "Chengdu, Sichuan", "country": "CN", "products": ["Polestar 4"]},
        {"plant": "Ridgeville", "status": "cancelled", "planned_for": None, "opened_on": None, "capacity": None,
         "capacity_unit": None, "location": None, "country": "US", "products": None},
    ]
    table = stratlog("--db", db, "state", "polestar", "--as-of", "2025-12").out
    assert "Plants:" in table and re.search(r"Chengdu\s+opened\s+2025-Q3\s+2025-09\s+150,?000", table)


def test_the_timeline_and_diff_follow_a_plant_from_plan_to_opening(db, stratlog, tmp_path):
    polestar(db, stratlog, tmp_path)

    rows = as_json(stratlog, "--db", db, "timeline", "--brand", "polestar", "--as-of", "2024-06")
    changes = as_json(stratlog, "--db", db, "diff", "--brand", "polestar", "--from", "2024-06", "--to", "2025-12")

    assert [(r["subject_type"], r["subject"], r["date"], r["status"]) for r in rows] == [
        ("plant", "Chengdu", "2025-Q3", "postponed"), ("plant", "Ridgeville", None, "planned")]
    assert [(c["change"], c["subject"], c["before"], c["after"]) for c in changes] == [
        ("changed", "Chengdu", {"status": "postponed", "date": "2025-Q3"}, {"status": "opened", "date": "2025-09"}),
        ("changed", "Ridgeville", {"status": "planned", "date": None}, {"status": "cancelled", "date": None})]


def test_the_report_draws_a_plant_row_with_its_opening_and_colours_its_status(db, stratlog, tmp_path):
    polestar(db, stratlog, tmp_path)
    out = tmp_path / "report.html"

    assert stratlog("--db", db, "report", "--as-of", "2025-12", "--out", str(out)).code == 0

    page = out.read_text(encoding="utf-8")
    assert '<text class="status" x="8" y="' in page and "plant · opened" in page and "plant · cancelled" in page
    assert "<title>Chengdu: opened 2025-09</title>" in page
    assert '<span class="badge s-opened">opened</span>' in page and '<span class="badge s-cancelled">' in page
    green = next(rule for rule in page.split("}") if ".s-launched" in rule)  # the colour of what was done
    assert ".s-opened" in green and "#dcefe5" in green


def test_a_plant_of_an_unregistered_brand_is_refused_and_nothing_is_written(db, stratlog):
    result = stratlog("--db", db, "record", "plant-planned", "polestar", "Chengdu", "--announced-on", "2023-03",
                      "--source-title", "Press release")

    assert result.code == 1
    assert "brand 'polestar' is not registered (record brand-registered polestar first)" in result.err
    assert stratlog("--db", db, "events", "--json").out.strip() in ("[]", "")


def test_a_capacity_unit_without_a_capacity_is_refused_naming_the_option(db, stratlog):
    stratlog("--db", db, "record", "brand-registered", "polestar", "--name", "Polestar")

    result = stratlog("--db", db, "record", "plant-opened", "polestar", "Chengdu", "--opened-on", "2025-09",
                      "--capacity-unit", "cars/year", "--announced-on", "2025-09", "--source-title", "Press release")

    assert result.code == 2 and "capacity_unit needs a capacity" in result.err


def test_plants_verify_and_a_plant_correction_or_retraction_folds_like_any_statement(db, stratlog, tmp_path):
    polestar(db, stratlog, tmp_path)
    events = as_json(stratlog, "--db", db, "events", "--kind", "plant-opened")
    cancel = as_json(stratlog, "--db", db, "events", "--kind", "plant-cancelled")[0]["statement_id"]

    assert stratlog("--db", db, "correct", events[0]["statement_id"][:8], "--capacity", "130000",
                    "--note", "typo").code == 0
    assert stratlog("--db", db, "retract", cancel[:8], "--reason", "misread").code == 0

    plants = {p["plant"]: p for p in as_json(stratlog, "--db", db, "state", "polestar")["plants"]}
    assert (plants["Chengdu"]["capacity"], plants["Ridgeville"]["status"]) == (130000, "planned")
    verified = stratlog("--db", db, "projections", "verify")
    assert verified.code == 0 and "OK: the read model equals the fold" in verified.out


@pytest.mark.parametrize(("capacity", "problem"), [("-5", "should be greater than or equal to 0 (got '-5')"),
                                                   ("lots", "should be a number (got 'lots')")])
def test_a_correction_to_a_bad_capacity_names_the_value_in_the_words_of_record(db, stratlog, tmp_path, capacity, problem):
    """DESIGN §9: every field error names the field and the value; `correct` said only 'capacity: should be
    greater than or equal to 0' (and pydantic's 'should be a valid decimal')."""
    polestar(db, stratlog, tmp_path)
    planned = as_json(stratlog, "--db", db, "events", "--kind", "plant-planned")[0]["statement_id"]
    before = len(as_json(stratlog, "--db", db, "events"))

    recorded = stratlog("--db", db, "record", "plant-planned", "polestar", "Torslanda", "--capacity", capacity,
                        "--announced-on", "2025", "--source-title", "Press release")
    corrected = stratlog("--db", db, "correct", planned[:8], "--capacity", capacity, "--note", "typo")

    assert (recorded.code, corrected.code) == (2, 2)
    assert f"--capacity: {problem}" in recorded.err
    assert f"makes statement {planned[:8]} invalid: capacity: {problem}" in corrected.err, corrected.err
    assert "Traceback" not in corrected.err and len(as_json(stratlog, "--db", db, "events")) == before


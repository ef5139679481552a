"""The bundled made-up scenario of a brand whose guidance was cut, narrowed and withdrawn, answered as built."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT

NORDLYS = ROOT / "examples" / "nordlys-guidance-cut.yaml"


@pytest.fixture
def nordlys_db(db, stratlog) -> str:
    assert stratlog("--db", db, "import", str(NORDLYS)).code == 0
    return db


def answer(stratlog, db: str, *args: str):
    done = stratlog("--db", db, *args, "--json")
    assert done.code == 0, done.err
    return json.loads(done.out)


def test_the_cut_range_reads_lowered_and_the_2025_guidance_withdrawn(nordlys_db, stratlog):
    rows = answer(stratlog, nordlys_db, "audit", "nordlys")

    assert [(r["kpi"], r["change"]) for r in rows] == [
        ("deliveries", "set"), ("deliveries", "lowered"), ("ebit-margin", "set"), ("revenue", "set"),
        ("revenue", "withdrawn")]
    cut = rows[1]
    assert (cut["old_low"], cut["old_high"], cut["new_low"], cut["new_high"]) == (12000, 14000, 6000, 7000)


def test_the_reveal_is_scheduled_until_its_day_and_done_from_it(nordlys_db, stratlog):
    def aurora(as_of):
        return next(r for r in answer(stratlog, nordlys_db, "timeline", "--brand", "nordlys", "--as-of", as_of)
                    if r["subject"] == "Aurora")

    before = aurora("2025-05-31")
    assert (before["status"], before["scheduled"], before["date"]) == (
        "planned", {"event": "reveal", "on": "2025-06-13"}, "2025-06-13")
    assert aurora("2025-06-13")["status"] == "revealed"


def test_the_narrowed_target_is_met_by_the_approximate_actual_and_the_open_target_is_pending(nordlys_db, stratlog):
    rows = {r["kpi"]: r for r in answer(stratlog, nordlys_db, "kpis", "--brand", "nordlys", "--as-of", "2025-03")}

    assert (rows["deliveries"]["actual"], rows["deliveries"]["status"]) == (6500, "achieved")
    assert (rows["revenue"]["status"], rows["ebit-margin"]["deadline"], rows["ebit-margin"]["status"]) == (
        "withdrawn", None, "pending")


def test_the_plant_keeps_its_fiscal_year_date_as_written(nordlys_db, stratlog):
    plants = answer(stratlog, nordlys_db, "state", "nordlys")["plants"]

    assert [(p["plant"], p["planned_for"], p["capacity"]) for p in plants] == [("Mo i Rana", "FY2026", 60000)]


def test_the_plants_fiscal_year_ends_in_march_so_its_plan_is_stale_from_april_2026(nordlys_db, stratlog):
    def stale(as_of):
        return [c["subject"] for c in answer(stratlog, nordlys_db, "checks", "--brand", "nordlys", "--as-of", as_of)
                if c["check"] == "stale-plan"]

    assert (stale("2026-03-31"), stale("2026-04-30")) == ([], ["Mo i Rana"])
    assert '"planned_for": "FY2026/03"' in stratlog("--db", nordlys_db, "export").out

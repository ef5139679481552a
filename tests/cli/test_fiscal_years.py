"""A brand's fiscal year applied (DESIGN §1 r2): resolved at input, shown as written, its span used by every rule."""

from __future__ import annotations

import json

import pytest

SAID = ("--source-title", "Volvo Cars results")


def answer(stratlog, db: str, *args: str):
    done = stratlog("--db", db, *args, "--json")
    assert done.code == 0, done.err
    return json.loads(done.out)


@pytest.fixture
def volvo(stratlog, db) -> str:
    """Volvo Cars, whose fiscal year ends in March: deliveries of at least 1,210 in FY2026, 1,000 in FY2024."""
    for args in (("brand-registered", "volvo", "--name", "Volvo Cars", "--fiscal-year-end", "3"),
                 ("target-set", "volvo", "--kpi", "deliveries", "--deadline", "FY2026", "--value", "1210",
                  "--unit", "vehicles", "--comparator", "at-least", "--announced-on", "2024-05", *SAID),
                 ("actual-reported", "volvo", "--kpi", "deliveries", "--period", "FY2024", "--value", "1000",
                  "--unit", "vehicles", "--announced-on", "2024-05", *SAID)):
        done = stratlog("--db", db, "record", *args)
        assert done.code == 0, done.err
    return db


def kpi(stratlog, db: str, as_of: str) -> dict:
    (row,) = answer(stratlog, db, "kpis", "--brand", "volvo", "--as-of", as_of)
    return row


def test_a_recorded_fiscal_year_is_shown_as_written_and_counts_as_annual(volvo, stratlog):
    row = kpi(stratlog, volvo, "2025-06")

    assert (row["deadline"], row["actual_period"], row["required_cagr"], row["status"]) == (
        "FY2026", "FY2024", 10.0, "on-track")
    (target,) = [r for r in answer(stratlog, volvo, "timeline", "--brand", "volvo") if r["subject_type"] == "target"]
    assert (target["subject"], target["date"]) == ("deliveries FY2026", "FY2026")
    assert target["identity"].startswith("deliveries||FY2026|")


def test_a_fiscal_year_deadline_is_reached_at_the_end_of_the_brands_fiscal_year(volvo, stratlog):
    assert kpi(stratlog, volvo, "2026-03-31")["status"] == "on-track"
    assert kpi(stratlog, volvo, "2026-04-01")["status"] == "overdue"
    done = stratlog("--db", volvo, "record", "actual-reported", "volvo", "--kpi", "deliveries", "--period", "FY2026",
                    "--value", "1300", "--unit", "vehicles", "--announced-on", "2026-05-20", *SAID)
    assert done.code == 0, done.err

    assert kpi(stratlog, volvo, "2026-05-19")["status"] == "overdue"
    assert (kpi(stratlog, volvo, "2026-05-20")["status"], kpi(stratlog, volvo, "2026-05-20")["actual"]) == (
        "achieved", 1300)


def test_the_stored_form_keeps_the_span_and_the_flat_rows_show_it(volvo, stratlog):
    import stratlog as api

    exported = stratlog("--db", volvo, "export").out
    assert '"deadline": "FY2026/03"' in exported and '"period": "FY2024/03"' in exported
    assert [e["deadline"] for e in answer(stratlog, volvo, "events", "--kind", "target-set")] == ["FY2026"]
    (flat,) = api.open(volvo).kpis("volvo", as_of="2025-06", flat=True)
    assert (flat["deadline"], flat["deadline_start"], flat["deadline_end"]) == ("FY2026", "2025-04-01", "2026-03-31")
    assert "OK: the read model equals the fold" in stratlog("--db", volvo, "projections", "verify").out


def test_a_revision_and_an_audit_address_the_target_by_its_fiscal_year_as_written(volvo, stratlog):
    done = stratlog("--db", volvo, "record", "target-revised", "volvo", "--kpi", "deliveries", "--deadline", "FY2026",
                    "--new-deadline", "FY2027", "--announced-on", "2025-02", *SAID)
    assert done.code == 0, done.err

    rows = answer(stratlog, volvo, "audit", "volvo", "--deadline", "FY2026")
    assert [(r["change"], r["old_deadline"], r["new_deadline"]) for r in rows] == [
        ("set", None, "FY2026"), ("deadline-moved", "FY2026", "FY2027")]
    assert kpi(stratlog, volvo, "2027-03-31")["status"] == "on-track"
    assert kpi(stratlog, volvo, "2027-04-01")["status"] == "overdue"


def test_a_correction_to_a_fiscal_year_is_resolved_for_the_brand(volvo, stratlog):
    (planned,) = [stratlog("--db", volvo, "record", "model-planned", "volvo", "EX90", "--planned-for", "2026",
                           "--announced-on", "2024-05", *SAID)]
    statement_id = planned.out.split()[-1]
    done = stratlog("--db", volvo, "correct", statement_id, "--planned-for", "FY2026", "--note", "fiscal year")
    assert done.code == 0, done.err

    def stale(as_of):
        return [c["subject"] for c in answer(stratlog, volvo, "checks", "--brand", "volvo", "--as-of", as_of)
                if c["check"] == "stale-plan"]

    assert (stale("2026-03-31"), stale("2026-04-30")) == ([], ["EX90"])
    (model,) = answer(stratlog, volvo, "state", "volvo")["models"]
    assert model["planned_for"] == "FY2026"


def test_a_brand_without_a_fiscal_year_end_keeps_fy_as_the_calendar_year(stratlog, db):
    for args in (("brand-registered", "alpine", "--name", "Alpine"),
                 ("target-set", "alpine", "--kpi", "profitability", "--deadline", "FY2026", "--value", "true",
                  "--unit", "yes/no", "--comparator", "exactly", "--announced-on", "2023-06", *SAID)):
        assert stratlog("--db", db, "record", *args).code == 0

    assert '"deadline": "FY2026"' in stratlog("--db", db, "export").out
    (row,) = answer(stratlog, db, "kpis", "--brand", "alpine", "--as-of", "2026-12-31")
    assert row["status"] == "pending"
    (row,) = answer(stratlog, db, "kpis", "--brand", "alpine", "--as-of", "2027-01-01")
    assert row["status"] == "overdue"


IMPORTED = """
defaults: {source: {title: "Volvo Cars annual report"}}
statements:
  - {kind: model-planned, brand: volvo, model: EX30, planned_for: FY2026, announced_on: FY2024}
  - {kind: brand-registered, brand: volvo, name: Volvo Cars, fiscal_year_end: 3}
  - {kind: plant-planned, brand: volvo, plant: Kosice, planned_for: FY2026, announced_on: 2023}
"""


def test_an_import_resolves_fiscal_years_with_the_registration_of_the_same_file_and_twice_records_nothing(
        stratlog, db, tmp_path):
    path = tmp_path / "volvo.yaml"
    path.write_text(IMPORTED)
    assert stratlog("--db", db, "import", str(path)).code == 0

    assert stratlog("--db", db, "import", str(path)).out.startswith("0 new statements, 3 already recorded")
    exported = stratlog("--db", db, "export").out
    assert exported.count('"planned_for": "FY2026/03"') == 2 and '"announced_on": "FY2024/03"' in exported
    rows = answer(stratlog, db, "timeline", "--brand", "volvo", "--as-of", "2024-03-31")
    assert [(r["subject"], r["date"]) for r in rows] == [("EX30", "FY2026"), ("Kosice", "FY2026")]
    assert [r["subject"] for r in answer(stratlog, db, "timeline", "--brand", "volvo", "--as-of", "2024-03-30")] == [
        "Kosice"]


def test_an_import_refusal_of_a_resolved_statement_names_its_place_and_the_fiscal_year_as_resolved(
        stratlog, db, tmp_path):
    path = tmp_path / "volvo.yaml"
    path.write_text(IMPORTED + "  - {kind: target-withdrawn, brand: volvo, kpi: deliveries, deadline: FY2030,"
                               " announced_on: 2025}\n")

    done = stratlog("--db", db, "import", str(path))

    assert done.code == 1
    assert "volvo.yaml statement 4 (line 7), brand volvo, target-withdrawn:" in done.err
    assert "names no live target deliveries FY2030/03" in done.err


def test_a_replayed_file_shows_the_fiscal_year_as_written(volvo, stratlog, tmp_path):
    import sqlite3

    out = str(tmp_path / "replay.db")
    assert stratlog("--db", volvo, "replay", "--to", "2025-06", "--out", out).code == 0

    conn = sqlite3.connect(out)
    assert conn.execute("SELECT deadline, actual_period FROM kpis").fetchall() == [("FY2026", "FY2024")]
    assert conn.execute("SELECT subject FROM timeline WHERE subject_type='target'").fetchall() == [
        ("deliveries FY2026",)]

"""`stratlog track-record`: a made-up brand built to a known track record, asked as a new user would."""

from __future__ import annotations

import json

import pytest

from tests.conftest import write

# Vela (made up). Every figure below is worked out by hand in the comments of the two answers.
VELA = """
defaults:
  announced_on: 2022-03
  source: {title: "Vela capital markets day", publisher: "Vela Motors"}
statements:
  - {kind: brand-registered, brand: vela, name: Vela Motors}
  # T1 annual-sales ≥ 50,000 by 2023: the 2023 actual (55,000) meets it → achieved from 2024-02
  - {kind: target-set, brand: vela, kpi: annual-sales, value: 50000, unit: vehicles, comparator: at-least, deadline: 2023}
  - {kind: target-reaffirmed, brand: vela, kpi: annual-sales, deadline: 2023, announced_on: 2022-09}
  - {kind: actual-reported, brand: vela, kpi: annual-sales, period: 2023, value: 55000, unit: vehicles, announced_on: 2024-02}
  # T2 deliveries ≥ 80,000 by 2024, lowered to 70,000 (cut 1); the 2024 actual (60,000) misses it → missed
  - {kind: target-set, brand: vela, kpi: deliveries, value: 80000, unit: vehicles, comparator: at-least, deadline: 2024}
  - {kind: target-revised, brand: vela, kpi: deliveries, deadline: 2024, value: 70000, announced_on: 2023-05}
  - {kind: actual-reported, brand: vela, kpi: deliveries, period: 2024, value: 60000, unit: vehicles, announced_on: 2025-01}
  # T3 annual-sales ≥ 120,000 by 2026, moved to 2028 (cut 2), withdrawn in 2025-03 → withdrawn
  - {kind: target-set, brand: vela, kpi: annual-sales, value: 120000, unit: vehicles, comparator: at-least, deadline: 2026}
  - {kind: target-revised, brand: vela, kpi: annual-sales, deadline: 2026, new_deadline: 2028, announced_on: 2023-09}
  - {kind: target-withdrawn, brand: vela, kpi: annual-sales, deadline: 2028, announced_on: 2025-03}
  # T4 exports ≥ 10,000 by 2024, never reported → overdue from 2025-01-01
  - {kind: target-set, brand: vela, kpi: exports, value: 10000, unit: vehicles, comparator: at-least, deadline: 2024}
  # T5 annual-sales EU ≥ 30,000 by 2027, raised to 40,000 (raise 1), then brought forward to 2026 (raise 2)
  - {kind: target-set, brand: vela, kpi: annual-sales, scope: EU, value: 30000, unit: vehicles, comparator: at-least, deadline: 2027}
  - {kind: target-revised, brand: vela, kpi: annual-sales, scope: EU, deadline: 2027, value: 40000, announced_on: 2024-03}
  - {kind: target-revised, brand: vela, kpi: annual-sales, scope: EU, deadline: 2027, new_deadline: 2026, announced_on: 2025-04}
  # P1 Nova planned 2023, launched 2023-10: on time
  - {kind: model-planned, brand: vela, model: Nova, planned_for: 2023}
  - {kind: model-launched, brand: vela, model: Nova, launched_on: 2023-10, announced_on: 2023-10}
  # P2 Rigel planned 2023-H1 (ends 2023-06-30), rescheduled, launched 2024-03-15: late by (2024-2023)×12 + 3 − 6 = 9 months
  - {kind: model-planned, brand: vela, model: Rigel, planned_for: 2023-H1}
  - {kind: model-rescheduled, brand: vela, model: Rigel, planned_for: 2024-Q1, announced_on: 2023-04}
  - {kind: model-launched, brand: vela, model: Rigel, launched_on: 2024-03-15, announced_on: 2024-03}
  # P3 Lyra planned 2024, cancelled in 2024-05
  - {kind: model-planned, brand: vela, model: Lyra, planned_for: 2024}
  - {kind: model-cancelled, brand: vela, model: Lyra, reason: costs, announced_on: 2024-05}
  # P4 US entry planned 2023 (ends 2023-12-31), nothing since: overdue, slipping to D
  - {kind: market-entry-planned, brand: vela, market: US, planned_for: 2023}
  # P5 Kiel plant planned 2024-Q2 (ends 2024-06-30), opened 2024-09: late by 3 months once opened
  - {kind: plant-planned, brand: vela, plant: Kiel, planned_for: 2024-Q2}
  - {kind: plant-opened, brand: vela, plant: Kiel, opened_on: 2024-09, announced_on: 2024-09}
  # P6 Orion planned without a date, launched: left out of the plan figures
  - {kind: model-planned, brand: vela, model: Orion}
  - {kind: model-launched, brand: vela, model: Orion, launched_on: 2024-02, announced_on: 2024-02}
  # P7 China entry planned 2025, entered early in 2024-11: on time
  - {kind: market-entry-planned, brand: vela, market: CN, planned_for: 2025, announced_on: 2023-01}
  - {kind: market-entered, brand: vela, market: CN, entered_on: 2024-11, announced_on: 2024-11}
  # P8 Vega planned 2024-Q1, rescheduled to 2025-H2 (ends 2025-12-31): neither delivered nor overdue yet
  - {kind: model-planned, brand: vela, model: Vega, planned_for: 2024-Q1}
  - {kind: model-rescheduled, brand: vela, model: Vega, planned_for: 2025-H2, announced_on: 2024-01}
  # Orbis (made up), registered after Vela, sorts first: one target missed, one model on time
  - {kind: brand-registered, brand: orbis, name: Orbis}
  - {kind: target-set, brand: orbis, kpi: annual-sales, value: 5000, unit: vehicles, comparator: at-least, deadline: 2024, announced_on: 2023-01}
  - {kind: actual-reported, brand: orbis, kpi: annual-sales, period: 2024, value: 4000, unit: vehicles, announced_on: 2025-01}
  - {kind: model-planned, brand: orbis, model: Pax, planned_for: 2024, announced_on: 2023-01}
  - {kind: model-launched, brand: orbis, model: Pax, launched_on: 2024-06, announced_on: 2024-06}
"""

# As of 2024-06-30: T1 achieved (judged 1, kept 100 %); T2, T3, T4, T5 not due. Cuts: T2 lowered, T3 moved later
# = 2; raises: T5 raised = 1. Plans: Nova on time, Rigel late (9), Lyra cancelled, US overdue by
# (2024 − 2023) × 12 + 6 − 12 = 6 months; Kiel's 2024-Q2 ends on D (not before it): not overdue; Orion left
# out; CN and Vega not due. Mean slip (9 + 6) / 2 = 7.5.
VELA_2024_06 = {"brand": "vela", "as_of": "2024-06-30", "targets_judged": 1, "achieved": 1, "missed": 0,
                "withdrawn": 0, "overdue": 0, "kept_rate": 100.0, "cuts": 2, "raises": 1, "plans_delivered": 2,
                "on_time": 1, "late": 1, "cancelled": 1, "plans_overdue": 1, "mean_slip_months": 7.5}
# As of 2025-06-30: T1 achieved, T2 missed, T3 withdrawn (judged 3, kept 1/3 = 33.3 %), T4 overdue, T5 not due.
# Cuts still 2 (a withdrawal is no cut); raises 2 (T5 brought forward). Plans: Nova, CN on time; Rigel (9) and
# Kiel (3) late; Lyra cancelled; US overdue by (2025 − 2023) × 12 + 6 − 12 = 18. Mean slip (9 + 3 + 18) / 3 = 10.0.
VELA_2025_06 = {"brand": "vela", "as_of": "2025-06-30", "targets_judged": 3, "achieved": 1, "missed": 1,
                "withdrawn": 1, "overdue": 1, "kept_rate": 33.3, "cuts": 2, "raises": 2, "plans_delivered": 4,
                "on_time": 2, "late": 2, "cancelled": 1, "plans_overdue": 1, "mean_slip_months": 10.0}
# Orbis as of 2025-06-30: the 2024 target missed (4,000 < 5,000): judged 1, kept 0.0 %; Pax on time, no slip.
ORBIS_2025_06 = {"brand": "orbis", "as_of": "2025-06-30", "targets_judged": 1, "achieved": 0, "missed": 1,
                 "withdrawn": 0, "overdue": 0, "kept_rate": 0.0, "cuts": 0, "raises": 0, "plans_delivered": 1,
                 "on_time": 1, "late": 0, "cancelled": 0, "plans_overdue": 0, "mean_slip_months": None}


@pytest.fixture
def vela_db(db, stratlog, tmp_path) -> str:
    done = stratlog("--db", db, "import", write(tmp_path, "vela.yaml", VELA))
    assert done.code == 0, done.err
    return db


def track(stratlog, db: str, *args: str) -> list[dict]:
    done = stratlog("--db", db, "track-record", *args, "--format", "json")
    assert done.code == 0, done.err
    return json.loads(done.out)


def test_the_made_up_brand_scores_as_built_at_two_dates(vela_db, stratlog):
    assert track(stratlog, vela_db, "--brand", "vela", "--as-of", "2024-06-30") == [VELA_2024_06]
    assert track(stratlog, vela_db, "--brand", "vela", "--as-of", "2025-06") == [VELA_2025_06]


def test_every_brand_is_answered_by_default_sorted_by_brand(vela_db, stratlog):
    assert track(stratlog, vela_db, "--as-of", "2025-06-30") == [ORBIS_2025_06, VELA_2025_06]


def test_several_brands_are_named_by_repeating_the_option(vela_db, stratlog):
    rows = track(stratlog, vela_db, "--brand", "vela", "--brand", "orbis", "--as-of", "2025-06-30")
    assert [r["brand"] for r in rows] == ["orbis", "vela"]


def test_what_the_database_knew_earlier_is_answered_with_known_at(vela_db, stratlog):
    before = track(stratlog, vela_db, "--brand", "vela", "--as-of", "2025-06-30", "--known-at", "2001-01-01")
    assert before == [{**VELA_2025_06, **dict.fromkeys(VELA_2025_06, 0), "brand": "vela", "as_of": "2025-06-30",
                       "kept_rate": None, "mean_slip_months": None}]


def test_an_unknown_brand_is_refused_and_nothing_is_printed(vela_db, stratlog):
    done = stratlog("--db", vela_db, "track-record", "--brand", "vela", "--brand", "nobody", "--format", "json")
    assert (done.code, done.out) == (1, "")
    assert "brand 'nobody' is not registered (known brands: orbis, vela)" in done.err


def test_a_bad_as_of_date_is_bad_usage(vela_db, stratlog):
    done = stratlog("--db", vela_db, "track-record", "--as-of", "2025-13")
    assert done.code == 2 and "--as-of" in done.err and "Traceback" not in done.err


def test_the_table_has_a_row_per_brand_and_the_csv_a_header_of_every_figure(vela_db, stratlog):
    table = stratlog("--db", vela_db, "track-record", "--as-of", "2025-06-30")
    csv = stratlog("--db", vela_db, "track-record", "--as-of", "2025-06-30", "--format", "csv")
    assert table.code == csv.code == 0
    assert table.out.startswith("As of 2025-06-30 · known at ")
    assert [line.split()[0] for line in table.out.splitlines()[3:]] == ["orbis", "vela"]
    flat_header = [*VELA_2025_06][:2] + ["as_of_start", "as_of_end"] + [*VELA_2025_06][2:]  # flat rows: a date's days
    assert csv.out.splitlines()[0] == ",".join(flat_header)
    assert csv.out.splitlines()[2] == "vela,2025-06-30,2025-06-30,2025-06-30,3,1,1,1,1,33.3,2,2,4,2,2,1,1,10.0"


def test_the_python_api_returns_the_rows_of_the_json_format(vela_db):
    import stratlog
    ledger = stratlog.open(vela_db)
    assert ledger.track_record("vela", as_of="2024-06-30") == [VELA_2024_06]
    assert ledger.track_record(as_of="2025-06-30") == [ORBIS_2025_06, VELA_2025_06]


WITHDRAWN_THEN_MET = """
defaults: {announced_on: 2022-01, source: {title: "s"}}
statements:
  - {kind: brand-registered, brand: lumen, name: Lumen}
  - {kind: target-set, brand: lumen, kpi: annual-sales, value: 1000, unit: vehicles, comparator: at-least, deadline: 2023}
  - {kind: target-withdrawn, brand: lumen, kpi: annual-sales, deadline: 2023, announced_on: 2022-06}
  - {kind: actual-reported, brand: lumen, kpi: annual-sales, period: 2023, value: 5000, unit: vehicles, announced_on: 2024-01}
"""


def test_a_withdrawn_target_is_never_judged_on_its_actual_even_one_that_would_have_met_it(db, stratlog, tmp_path):
    assert stratlog("--db", db, "import", write(tmp_path, "lumen.yaml", WITHDRAWN_THEN_MET)).code == 0
    row, = track(stratlog, db, "--as-of", "2024-06-30")
    assert (row["targets_judged"], row["withdrawn"], row["achieved"], row["kept_rate"]) == (1, 1, 0, 0.0)


# Saga (made up): four plans for 2024 whose delivery or end was announced in 2025-03 for 2025-09-01, after D.
# As of 2025-06-30 none has happened: each is overdue by (2025 − 2024) × 12 + 6 − 12 = 6 months (DESIGN §5 r2).
SCHEDULED_AFTER_D = """
defaults: {source: {title: "Saga strategy day"}}
statements:
  - {kind: brand-registered, brand: saga, name: Saga}
  - {kind: model-planned, brand: saga, model: X, planned_for: 2024, announced_on: 2022-01}
  - {kind: model-launched, brand: saga, model: X, launched_on: "2025-09-01", announced_on: 2025-03}
  - {kind: plant-planned, brand: saga, plant: Borg, planned_for: 2024, announced_on: 2022-01}
  - {kind: plant-opened, brand: saga, plant: Borg, opened_on: "2025-09-01", announced_on: 2025-03}
  - {kind: market-entry-planned, brand: saga, market: US, planned_for: 2024, announced_on: 2022-01}
  - {kind: market-entered, brand: saga, market: US, entered_on: "2025-09-01", announced_on: 2025-03}
  - {kind: model-planned, brand: saga, model: Y, planned_for: 2024, announced_on: 2022-01}
  - {kind: model-cancelled, brand: saga, model: Y, cancelled_on: "2025-09-01", announced_on: 2025-03}
"""


def test_a_delivery_or_cancellation_only_scheduled_after_d_leaves_the_plan_overdue(db, stratlog, tmp_path):
    assert stratlog("--db", db, "import", write(tmp_path, "saga.yaml", SCHEDULED_AFTER_D)).code == 0
    row, = track(stratlog, db, "--as-of", "2025-06-30")
    assert {k: row[k] for k in ("plans_delivered", "cancelled", "plans_overdue", "mean_slip_months")} == {
        "plans_delivered": 0, "cancelled": 0, "plans_overdue": 4, "mean_slip_months": 6.0}
    row, = track(stratlog, db, "--as-of", "2025-09-30")  # once the day has come: delivered late, or cancelled
    assert {k: row[k] for k in ("plans_delivered", "late", "cancelled", "plans_overdue", "mean_slip_months")} == {
        "plans_delivered": 3, "late": 3, "cancelled": 1, "plans_overdue": 0, "mean_slip_months": 9.0}

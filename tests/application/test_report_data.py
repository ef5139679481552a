"""What the HTML report is built from: plan slips, target revision steps, actuals and sources."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from functools import partial

import pytest

from stratlog.application.report_data import Milestone, Plan, build_report
from stratlog.infrastructure.config import settings
from stratlog.infrastructure.event_source import EventSource
from stratlog.infrastructure.log_records import statement_records
from stratlog.infrastructure.runtime import Runtime
from tests import builders

NOW = datetime(2100, 1, 1, tzinfo=timezone.utc)
SOURCE = {"title": "Acme investor day", "publisher": "Acme", "url": "https://acme.example/investors"}
PRESS = {"title": "Acme results 2024", "publisher": "Acme", "speaker": "CFO"}


statement = partial(builders.statement, source=SOURCE)


SCENARIO = [
    statement(kind="brand-registered", brand="acme", name="Acme Cars", parent="Acme Group"),
    statement(kind="model-planned", brand="acme", model="Roadster", planned_for="2025", announced_on="2023-06"),
    statement(kind="model-rescheduled", brand="acme", model="Roadster", planned_for="2026-Q2", announced_on="2024-09"),
    statement(kind="model-revealed", brand="acme", model="Roadster", revealed_on="2026-03-10", announced_on="2026-03-10"),
    statement(kind="model-launched", brand="acme", model="Classic", announced_on="2023-06"),
    statement(kind="market-entry-planned", brand="acme", market="US", announced_on="2023-06"),
    statement(kind="target-set", brand="acme", kpi="annual-sales", value=100000, unit="vehicles",
              comparator="at-least", deadline="2030", announced_on="2023-06"),
    statement(kind="target-revised", brand="acme", kpi="annual-sales", deadline="2030", value=150000,
              announced_on="2024-02", source=PRESS),
    statement(kind="target-revised", brand="acme", kpi="annual-sales", deadline="2030", new_deadline="2031",
              announced_on="2025-01", source=PRESS),
    statement(kind="actual-reported", brand="acme", kpi="annual-sales", period="2024", value=26000, unit="vehicles",
              announced_on="2025-01", source=PRESS),
]


@pytest.fixture
def runtime(db):
    rt = Runtime(settings(db), writing=True)
    rt.ledger.record(SCENARIO)
    rt.catch_up()
    yield rt
    rt.close()


def records(runtime, brand: str, kind: str | None = None) -> list[dict]:
    log = EventSource(runtime.ledger)
    return [record for _, record in statement_records(runtime.fresh_read_model(), log, brand, kind)]


def report_as_of(runtime, day: str, known_at: datetime = NOW):
    report = build_report(runtime.queries(), "acme", date.fromisoformat(day), known_at, lambda b: records(runtime, b))
    assert [b.brand for b in report.brands] == ["acme"]
    return report.brands[0]


def subject(brand_report, name):
    return next(s for s in brand_report.subjects if s.subject == name)


def test_a_rescheduled_model_keeps_every_planned_date_as_it_was_announced(runtime):
    roadster = subject(report_as_of(runtime, "2026-12-31"), "Roadster")
    assert roadster.plans == (Plan("2023-06", "2025"), Plan("2024-09", "2026-Q2"))
    assert roadster.milestones == (Milestone("revealed", "2026-03-10"),)
    assert roadster.status == "revealed"


def test_the_slip_history_stops_at_the_as_of_date(runtime):
    roadster = subject(report_as_of(runtime, "2024-06-30"), "Roadster")
    assert roadster.plans == (Plan("2023-06", "2025"),)
    assert roadster.milestones == ()


def test_undated_subjects_are_kept_with_no_date_rather_than_dropped(runtime):
    report = report_as_of(runtime, "2023-06-30")
    classic, us = subject(report, "Classic"), subject(report, "US")
    assert classic.milestones == (Milestone("launched", None, "on sale by 2023-06"),) and not classic.dated
    assert us.plans == (Plan("2023-06", None),) and not us.dated
    assert [s.subject for s in report.subjects] == ["Roadster", "Classic", "US"]


def test_a_raised_target_whose_deadline_moved_shows_one_step_per_revision(runtime):
    (track,) = report_as_of(runtime, "2025-06-30").targets
    assert track.label == "annual-sales 2031"
    assert track.deadlines == ("2030", "2031")
    assert [(s.announced_on, s.change, s.low, s.deadline) for s in track.steps] == [
        ("2023-06", "set", Decimal(100000), "2030"),
        ("2024-02", "raised", Decimal(150000), "2030"),
        ("2025-01", "deadline-moved", Decimal(150000), "2031")]
    assert [(a.period, a.number, a.comparable) for a in track.actuals] == [("2024", Decimal(26000), True)]
    assert track.numeric and track.kpi["status"] == "off-track"


def test_before_the_revisions_the_target_has_only_its_first_step(runtime):
    (track,) = report_as_of(runtime, "2023-12-31").targets
    assert [(s.change, s.value) for s in track.steps] == [("set", 100000)]
    assert track.label == "annual-sales 2030" and track.actuals == ()


def test_sources_are_listed_once_each_with_the_statements_counted_from_them(runtime):
    sources = report_as_of(runtime, "2025-06-30").sources
    assert [(s.title, s.publisher, s.url, s.statements) for s in sources] == [
        ("Acme investor day", "Acme", "https://acme.example/investors", 6),
        ("Acme results 2024", "Acme", None, 3)]
    assert sources[1].speakers == ("CFO",) and sources[1].first_announced == "2024-02"


def test_sources_follow_our_corrections_and_leave_out_retracted_statements(runtime):
    from stratlog.domain.fixes import StatementCorrected, StatementRetracted
    (actual_id,) = [r["statement_id"] for r in records(runtime, "acme", "actual-reported")]
    (launch_id,) = [r["statement_id"] for r in records(runtime, "acme", "model-launched")]
    runtime.ledger.record([StatementCorrected(corrects=actual_id, fields={"source": {"title": "Acme annual report"}},
                                              note="wrong document"),
                           StatementRetracted(retracts=launch_id, reason="not in the source")])
    runtime.catch_up()
    counted = {s.title: s.statements for s in report_as_of(runtime, "2025-06-30").sources}
    assert counted == {"Acme investor day": 5, "Acme results 2024": 2, "Acme annual report": 1}


def test_sources_known_at_an_earlier_instant_ignore_later_fixes(runtime):
    from stratlog.domain.fixes import StatementRetracted
    before = datetime.now(timezone.utc)
    (launch_id,) = [r["statement_id"] for r in records(runtime, "acme", "model-launched")]
    runtime.ledger.record([StatementRetracted(retracts=launch_id, reason="not in the source")])
    runtime.catch_up()
    then = {s.title: s.statements for s in report_as_of(runtime, "2025-06-30", known_at=before).sources}
    now = {s.title: s.statements for s in report_as_of(runtime, "2025-06-30").sources}
    assert then["Acme investor day"] == 6 and now["Acme investor day"] == 5

"""The report scorecard's plan slips agree with track-record's overdue plans (DESIGN §5 r2)."""

from __future__ import annotations

from datetime import date

from stratlog.application.scorecard import PlanSlip, plan_slips


def planned(subject: str, planned_for: str, scheduled: dict | None = None) -> dict:
    group = {"type": "model", "subject": subject, "status": "planned", "dates": {"planned_for": planned_for},
             "planned_history": [{"announced_on": "2022-01", "planned_for": planned_for}]}
    return {**group, "scheduled": scheduled} if scheduled else group


def test_a_plan_whose_launch_is_only_scheduled_after_d_is_now_overdue_like_an_unscheduled_one():
    before = [planned("X", "2025-Q1"), planned("Y", "2025-Q1")]
    after = [planned("X", "2025-Q1", {"event": "launch", "on": "2025-09-01"}),
             planned("Y", "2025-Q1", {"event": "cancellation", "on": "2025-09-01"})]
    assert plan_slips(before, after, date(2025, 3, 31), date(2025, 6, 30)) == (
        PlanSlip("model", "X", "2025-Q1", "2025-Q1", "now overdue"),
        PlanSlip("model", "Y", "2025-Q1", "2025-Q1", "now overdue"))

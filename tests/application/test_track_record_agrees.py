"""Property: on random histories, the track record agrees with the kpis, audit and timeline views it sums up,
and the read model answers it as the reference fold does."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings

from stratlog.application.queries import Queries
from stratlog.application.reference import ReferenceFold
from stratlog.domain.dates import PartialDate
from stratlog.infrastructure.config import settings as stratlog_settings
from stratlog.infrastructure.runtime import Runtime
from tests.application.test_read_model_equals_fold import apply_commands, commands, dates
from tests.builders import statement

DELIVERED = {"launched", "discontinued", "entered", "exited", "opened", "closed"}
WAITING = {"planned", "rescheduled", "postponed", "revealed"}
PLANNED = ("model", "market", "plant")


def ended(text: str | None, as_of: date) -> bool:
    return text is not None and PartialDate.parse(text).end <= as_of


def target_figures(kpis: list[dict], as_of: date) -> dict:
    """The target figures counted straight off the kpis rows."""
    count = {s: sum(1 for r in kpis if r["status"] == s and (s == "withdrawn" or ended(r["deadline"], as_of)))
             for s in ("achieved", "missed", "withdrawn", "overdue")}
    return {"targets_judged": count["achieved"] + count["missed"] + count["withdrawn"], **count}


def revision_figures(audit: list[dict]) -> dict:
    """Cuts and raises counted straight off the audit rows (our fixes left out)."""
    def moved(r):
        old, new = r["old_deadline"], r["new_deadline"]
        if old is None or new is None:
            return (old is not None) - (new is not None)
        return (PartialDate.parse(new).end > PartialDate.parse(old).end) - (PartialDate.parse(new).end < PartialDate.parse(old).end)
    brand = [r for r in audit if not r["flagged"]]
    return {"cuts": sum(1 for r in brand if r["change"] == "lowered" or r["change"] == "deadline-moved" and moved(r) > 0),
            "raises": sum(1 for r in brand if r["change"] == "raised" or r["change"] == "deadline-moved" and moved(r) < 0)}


def assert_plans_agree(row: dict, timeline: list[dict], state: dict, as_of: date) -> None:
    """Plan figures within what the timeline's statuses allow; overdue plans exactly those of `state` whose
    current planned date has ended before D (a delivery or cancellation only scheduled does not save it)."""
    subjects = [r for r in timeline if r["subject_type"] in PLANNED]
    assert row["plans_delivered"] <= sum(1 for r in subjects if r["status"] in DELIVERED)
    assert row["cancelled"] <= sum(1 for r in subjects if r["status"] == "cancelled")
    assert row["on_time"] + row["late"] <= row["plans_delivered"]
    listed = [s for key in ("models", "markets", "plants") for s in state[key]]
    assert row["plans_overdue"] == sum(1 for s in listed if s["status"] in WAITING and s["planned_for"]
                                       and PartialDate.parse(s["planned_for"]).end < as_of)
    assert (row["mean_slip_months"] is None) == (row["late"] + row["plans_overdue"] == 0)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(plan=commands, as_of_dates=dates)
def test_the_track_record_agrees_with_the_views_it_sums_up_on_any_history(tmp_path_factory, plan, as_of_dates):
    runtime = Runtime(stratlog_settings(str(tmp_path_factory.mktemp("track") / "s.db")), writing=True)
    try:
        runtime.ledger.record([statement("brand-registered", brand="acme", source=None, name="Acme")])
        apply_commands(runtime, plan)
        fast, slow = Queries(runtime.fresh_read_model()), Queries(ReferenceFold(runtime.ledger))
        known_at = runtime.ledger.clock()
        for as_of in as_of_dates:
            row, = fast.track_record(["acme"], as_of, known_at)
            assert [row] == slow.track_record(["acme"], as_of, known_at)
            kpis = fast.kpis("acme", as_of, known_at)
            assert {k: row[k] for k in target_figures(kpis, as_of)} == target_figures(kpis, as_of)
            assert {k: row[k] for k in ("cuts", "raises")} == revision_figures(fast.audit("acme", None, None, as_of, known_at))
            assert_plans_agree(row, fast.timeline("acme", as_of, known_at), fast.state("acme", as_of, known_at), as_of)
    finally:
        runtime.close()

"""The track record's figures, each at its edges (DESIGN §5 r2, track-record)."""

from __future__ import annotations

from datetime import date

from stratlog.domain.track_record import PlanRecord, months_between, plan_records, track_record

AS_OF = date(2026, 11, 30)


def kpi(status: str, deadline: str | None) -> dict:
    return {"status": status, "deadline": deadline}


def change(label: str, old: str | None = "2030", new: str | None = "2030", flagged: bool = False) -> dict:
    return {"change": label, "old_deadline": old, "new_deadline": new, "flagged": flagged}


def plan(first: str | None, latest: str | None = None, delivered_on: str | None = None, delivered: bool = False,
         cancelled: bool = False) -> PlanRecord:
    return PlanRecord("model", "X", first, latest or first, delivered or delivered_on is not None, delivered_on,
                      cancelled)


def record(kpis=(), audit=(), plans=(), as_of=AS_OF) -> dict:
    return track_record("acme", as_of, kpis, audit, plans)


def test_months_are_whole_calendar_months_between_two_end_dates():
    assert months_between(date(2024, 12, 31), date(2025, 3, 15)) == 3
    assert months_between(date(2024, 12, 31), date(2024, 12, 1)) == 0


def test_a_target_counts_as_judged_once_its_deadline_has_ended():
    result = record([kpi("achieved", "2025"), kpi("missed", "2024"), kpi("achieved", "2030"), kpi("on-track", "2030")])
    assert (result["targets_judged"], result["achieved"], result["missed"]) == (2, 1, 1)
    assert result["kept_rate"] == 50.0


def test_a_target_already_met_before_its_deadline_is_not_judged_yet():
    assert record([kpi("achieved", "2027")])["targets_judged"] == 0


def test_a_withdrawn_target_counts_as_judged_whatever_its_deadline():
    result = record([kpi("withdrawn", "2035"), kpi("withdrawn", None), kpi("achieved", "2020")])
    assert (result["targets_judged"], result["withdrawn"]) == (3, 2)
    assert result["kept_rate"] == 33.3


def test_overdue_targets_are_listed_apart_from_the_judged_ones():
    result = record([kpi("overdue", "2025"), kpi("pending", None)])
    assert (result["overdue"], result["targets_judged"], result["kept_rate"]) == (1, 0, None)


def test_lowered_values_and_later_deadlines_are_cuts_raised_values_and_earlier_deadlines_raises():
    audit = [change("lowered"), change("deadline-moved", "2030", "2031"), change("raised"),
             change("deadline-moved", "2030", "2028"), change("reaffirmed"), change("narrowed")]
    assert (record(audit=audit)["cuts"], record(audit=audit)["raises"]) == (2, 2)


def test_our_own_corrections_are_never_counted_as_the_brands_cuts():
    assert record(audit=[change("lowered", flagged=True)])["cuts"] == 0


def test_a_plan_delivered_early_or_within_its_first_period_is_on_time():
    result = record(plans=[plan("2025", delivered_on="2024-11"), plan("2025", delivered_on="2025-12-31")])
    assert (result["plans_delivered"], result["on_time"], result["late"], result["mean_slip_months"]) == (2, 2, 0, None)


def test_a_late_plan_slips_by_the_months_from_its_first_planned_end_to_its_delivery():
    result = record(plans=[plan("2024", latest="2025", delivered_on="2025-03-15")])
    assert (result["late"], result["mean_slip_months"]) == (1, 3.0)


def test_an_overdue_plan_slips_to_the_as_of_date():
    result = record(plans=[plan("2025-06")], as_of=date(2026, 1, 15))
    assert (result["plans_overdue"], result["mean_slip_months"]) == (1, 7.0)


def test_a_rescheduled_plan_whose_new_date_is_still_ahead_is_not_overdue():
    assert record(plans=[plan("2024", latest="2027")])["plans_overdue"] == 0


def test_plans_without_any_planned_date_are_left_out():
    result = record(plans=[plan(None, delivered_on="2024"), plan(None)])
    assert (result["plans_delivered"], result["plans_overdue"]) == (0, 0)


def test_cancelled_plans_are_counted_and_never_overdue():
    result = record(plans=[plan("2020", cancelled=True)])
    assert (result["cancelled"], result["plans_overdue"], result["mean_slip_months"]) == (1, 0, None)


def test_the_mean_slip_covers_late_and_overdue_plans_with_one_decimal():
    plans = [plan("2024", delivered_on="2025-01"), plan("2024", delivered_on="2025-02"), plan("2025-12")]
    assert record(plans=plans, as_of=date(2026, 1, 31))["mean_slip_months"] == round((1 + 2 + 1) / 3, 1)


def test_rates_and_slips_round_half_up_to_one_decimal():
    kept = record([kpi("achieved", "2020")] + [kpi("missed", "2020")] * 15)  # 1 of 16 = 6.25 %
    slips = [plan("2024", delivered_on=f"2025-0{m}") for m in (1, 1, 1, 2)]  # (1 + 1 + 1 + 2) / 4 = 1.25
    assert (kept["kept_rate"], record(plans=slips)["mean_slip_months"]) == (6.3, 1.3)


def test_a_deadline_given_up_is_a_cut_and_an_open_target_given_a_date_a_raise():
    audit = [change("deadline-moved", "2030", None), change("deadline-moved", None, "2028"),
             change("deadline-moved", "2030", "2030-H2")]  # the same end: neither
    result = record(audit=audit)
    assert (result["cuts"], result["raises"]) == (1, 1)


def test_a_plan_postponed_without_a_date_is_not_overdue():
    postponed = PlanRecord("market", "US", "2024", None, False, None, False)
    assert record(plans=[postponed])["plans_overdue"] == 0


def test_an_overdue_plan_counts_from_its_first_planned_date_even_when_rescheduled_since():
    result = record(plans=[plan("2024", latest="2025-06")], as_of=date(2026, 2, 1))
    assert (result["plans_overdue"], result["mean_slip_months"]) == (1, 14.0)


def group(subject_type: str, status: str, history: list, dates: dict, scheduled: dict | None = None) -> dict:
    found = {"type": subject_type, "subject": "X", "status": status, "dates": dates,
             "planned_history": [{"announced_on": "2023", "planned_for": p} for p in history]}
    return {**found, "scheduled": scheduled} if scheduled else found


def test_plan_records_read_the_first_dated_plan_and_the_delivery_date_of_each_subject_type():
    groups = [group("model", "launched", [None, "2024", "2025"], {"planned_for": "2025", "launched_on": "2025-03"}),
              group("model", "discontinued", ["2024"], {"planned_for": "2024", "launched_on": None,
                                                       "on_sale_by": "2024-10"}),
              group("market", "exited", ["2023"], {"planned_for": "2023", "entered_on": "2023-05"}),
              group("plant", "closed", ["2022"], {"planned_for": "2022", "opened_on": "2022-02"}),
              group("targets", "n/a", [], {})]
    found = [(p.subject_type, p.first_planned, p.delivered, p.delivered_on) for p in plan_records(groups)]
    assert found == [("model", "2024", True, "2025-03"), ("model", "2024", True, "2024-10"),
                     ("market", "2023", True, "2023-05"), ("plant", "2022", True, "2022-02")]


def test_plan_records_say_cancelled_and_never_deliver_a_revealed_model():
    groups = [group("model", "revealed", ["2024"], {"planned_for": "2024", "revealed_on": "2024-02"}),
              group("plant", "cancelled", ["2026"], {"planned_for": "2026", "cancelled_on": "2025"})]
    found = [(p.delivered, p.cancelled) for p in plan_records(groups)]
    assert found == [(False, False), (False, True)]


def test_a_delivery_or_cancellation_only_scheduled_neither_delivers_nor_cancels_and_the_plan_is_overdue():
    """DESIGN §5 r2: overdue = the latest planned date's end < D, not delivered, not cancelled by D."""
    groups = [group(kind, "planned", ["2024"], {"planned_for": "2024"}, {"event": event, "on": "2025-09-01"})
              for kind, event in (("model", "launch"), ("market", "entry"), ("plant", "opening"),
                                  ("model", "cancellation"))]
    plans = plan_records(groups)
    assert [(p.delivered, p.cancelled) for p in plans] == [(False, False)] * 4
    result = record(plans=plans, as_of=date(2025, 6, 30))
    assert (result["plans_overdue"], result["plans_delivered"], result["cancelled"], result["mean_slip_months"]) == (
        4, 0, 0, 6.0)

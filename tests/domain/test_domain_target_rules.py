"""Target rules on the Brand aggregate (DESIGN.md §1 partial dates, §4 rules): narrated scenarios."""

import re
from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stratlog.domain.brand import Brand
from stratlog.domain.errors import DeadlineTaken, DependencyAnnouncedLater, TargetNotFound
from stratlog.domain.groups import fold_group, group_of
from stratlog.domain.history import apply_fixes
from stratlog.domain.statement import subject_id
from tests.builders import RECORDED, item, statement

ANNUAL_SALES = "targets:annual-sales:"


def target_set(deadline=2030, value=100000, announced_on="2023-06"):
    return statement("target-set", kpi="annual-sales", deadline=deadline, value=value, unit="vehicles",
                     comparator="at-least", announced_on=announced_on)


def revised(deadline=2030, announced_on="2024", **change):
    return statement("target-revised", kpi="annual-sales", deadline=deadline, announced_on=announced_on, **change)


def brand_with(*statements):
    registered = statement("brand-registered", name="Alpine")
    return Brand.start(subject_id("brand", "alpine"), [item(registered), *(item(s) for s in statements)])


def targets_of(brand):
    entries = [e for e in apply_fixes(brand.entries) if group_of(e.statement) == ANNUAL_SALES]
    return fold_group(ANNUAL_SALES, entries, None)["targets"]


def id8(st):
    return st.statement_id()[:8]


def test_a_target_set_on_a_registered_brand_is_recorded_as_a_target_set_event():
    setting = target_set()
    brand = brand_with(setting)

    events = brand.collect_events()
    assert [type(e).__name__ for e in events] == ["BrandRegistered", "TargetSet"]
    assert (events[-1].statement, events[-1].statement_id) == (setting, setting.statement_id())
    assert events[-1].recorded_at == RECORDED


@pytest.mark.parametrize("kind", ["target-revised", "target-reaffirmed", "target-withdrawn"])
def test_a_change_to_a_target_that_was_never_set_is_refused(kind):
    brand = brand_with()
    change = {"value": 120000} if kind == "target-revised" else {}
    orphan = statement(kind, kpi="annual-sales", deadline=2030, announced_on="2024", **change)

    with pytest.raises(TargetNotFound, match=re.escape(f"{kind} {id8(orphan)} (announced 2024) names no live "
                                                       "target annual-sales 2030")):
        brand.record([item(orphan)])


def test_a_revision_naming_another_deadline_of_the_kpi_is_refused():
    brand = brand_with(target_set(deadline=2030))

    with pytest.raises(TargetNotFound, match="names no live target annual-sales 2031"):
        brand.record([item(revised(deadline=2031, value=120000))])


def test_a_revision_of_a_target_of_another_scope_is_refused():
    brand = brand_with(target_set(deadline=2030))
    us_revision = statement("target-revised", kpi="annual-sales", scope="US", deadline=2030, value=5000,
                            announced_on="2024")

    with pytest.raises(TargetNotFound, match="names no live target annual-sales US 2030"):
        brand.record([item(us_revision)])


def test_a_revision_dated_2023_of_a_target_set_in_june_2023_applies_after_it():
    brand = brand_with(target_set(announced_on="2023-06"))

    recorded = brand.record([item(revised(announced_on="2023", value=120000))])

    assert len(recorded) == 1
    assert targets_of(brand)[0]["value"] == 120000


def test_an_import_may_list_a_revision_before_the_target_it_revises():
    brand = brand_with()

    recorded = brand.record([item(revised(announced_on="2024", value=120000)), item(target_set())])

    assert len(recorded) == 2
    assert targets_of(brand)[0]["value"] == 120000


def test_a_revision_dated_2022_of_a_target_set_in_june_2023_is_refused_naming_both():
    setting = target_set(announced_on="2023-06")
    brand = brand_with(setting)
    early = revised(announced_on="2022", value=120000)

    with pytest.raises(DependencyAnnouncedLater, match=re.escape(
            f"target-revised {id8(early)} (announced 2022) depends on target-set {id8(setting)} "
            "(announced 2023-06), which was announced after it")):
        brand.record([item(early)])


@pytest.mark.parametrize("announced_on", ["2023-06-01", "2023-Q2", "2023-06"])
def test_a_revision_whose_period_ends_once_its_target_period_has_started_is_accepted(announced_on):
    brand = brand_with(target_set(announced_on="2023-06"))

    assert len(brand.record([item(revised(announced_on=announced_on, value=120000))])) == 1


def test_a_revision_dated_the_day_before_its_target_month_is_refused():
    brand = brand_with(target_set(announced_on="2023-06"))

    with pytest.raises(DependencyAnnouncedLater, match=r"\(announced 2023-05-31\) depends on target-set"):
        brand.record([item(revised(announced_on="2023-05-31", value=120000))])


def test_a_reaffirmation_dated_before_its_target_is_refused_even_after_a_wider_dated_revision():
    setting = target_set(announced_on="2024-06")
    brand = brand_with(setting, revised(announced_on="2024", value=120000))
    early = statement("target-reaffirmed", kpi="annual-sales", deadline=2030, announced_on="2024-03")

    with pytest.raises(DependencyAnnouncedLater, match=re.escape(
            f"target-reaffirmed {id8(early)} (announced 2024-03) depends on target-set {id8(setting)} (announced 2024-06)")):
        brand.record([item(early)])


def test_moving_a_target_onto_a_deadline_another_live_target_holds_is_refused():
    brand = brand_with(target_set(deadline=2026, value=50000), target_set(deadline=2030))

    with pytest.raises(DeadlineTaken, match=r"target-revised \w{8} \(announced 2024\) cannot move annual-sales 2026 "
                                            r"to 2030: target-set \w{8} \(announced 2023-06\) holds that deadline"):
        brand.record([item(revised(deadline=2026, new_deadline=2030))])


def test_moving_a_target_onto_the_deadline_of_a_withdrawn_target_is_accepted():
    withdrawn = statement("target-withdrawn", kpi="annual-sales", deadline=2030, announced_on="2024")
    brand = brand_with(target_set(deadline=2026, value=50000), target_set(deadline=2030), withdrawn)

    brand.record([item(revised(deadline=2026, new_deadline=2030, announced_on="2025"))])

    live = [t for t in targets_of(brand) if not t["withdrawn"]]
    assert [(t["deadline"], t["value"]) for t in live] == [("2030", 50000)]


def test_a_target_is_addressed_by_its_current_deadline_once_moved():
    brand = brand_with(target_set(deadline=2030), revised(deadline=2030, new_deadline=2031, announced_on="2024"))

    with pytest.raises(TargetNotFound, match="names no live target annual-sales 2030"):
        brand.record([item(revised(deadline=2030, value=90000, announced_on="2025"))])
    brand.record([item(revised(deadline=2031, value=90000, announced_on="2025"))])
    assert [(t["identity"].rsplit("|", 1)[0], t["deadline"], t["value"], t["deadlines"]) for t in targets_of(brand)] == [
        ("annual-sales||2030", "2031", 90000, ["2030", "2031"])]


@pytest.mark.parametrize("kind", ["target-revised", "target-reaffirmed", "target-withdrawn"])
def test_a_withdrawn_target_can_no_longer_be_changed(kind):
    withdrawn = statement("target-withdrawn", kpi="annual-sales", deadline=2030, announced_on="2024")
    brand = brand_with(target_set(), withdrawn)
    change = {"value": 120000} if kind == "target-revised" else {}

    with pytest.raises(TargetNotFound, match="names no live target annual-sales 2030"):
        brand.record([item(statement(kind, kpi="annual-sales", deadline=2030, announced_on="2025", **change))])


def test_a_withdrawal_announced_before_a_revision_of_the_same_target_refuses_that_revision():
    withdrawn = statement("target-withdrawn", kpi="annual-sales", deadline=2030, announced_on="2024-03")
    brand = brand_with(target_set(), withdrawn)

    with pytest.raises(TargetNotFound, match=r"target-revised \w{8} \(announced 2025\) names no live target"):
        brand.record([item(revised(announced_on="2025", value=120000))])


def test_a_target_set_again_after_its_withdrawal_is_a_new_live_target():
    withdrawn = statement("target-withdrawn", kpi="annual-sales", deadline=2030, announced_on="2024")
    brand = brand_with(target_set(), withdrawn)

    brand.record([item(target_set(value=80000, announced_on="2025"))])

    assert [(t["value"], t["withdrawn"]) for t in targets_of(brand)] == [(100000, True), (80000, False)]


LIFE = (
    target_set(announced_on="2023-06"),
    revised(announced_on="2024-01", value=120000),
    revised(announced_on="2024-06", new_deadline=2031),
    statement("target-reaffirmed", kpi="annual-sales", deadline=2031, announced_on="2025"),
    revised(deadline=2031, announced_on="2025-Q3", value=110000),
)


@given(st.permutations(LIFE))
def test_an_import_gives_the_same_targets_whatever_the_order_of_its_statements(statements):
    brand = brand_with()

    brand.record([item(s) for s in statements])

    assert [(t["deadline"], t["value"], t["deadlines"], t["statement_id"]) for t in targets_of(brand)] == [
        ("2031", 110000, ["2030", "2031"], LIFE[-1].statement_id())]


# ---- idempotence and refusals leave nothing behind -------------------------------------------

def test_recording_the_same_statement_again_records_nothing():
    setting = target_set()
    brand = brand_with(setting)
    brand.collect_events()

    assert brand.record([item(setting, at=datetime(2025, 1, 1, tzinfo=timezone.utc))]) == []
    assert brand.collect_events() == []
    assert brand.version == 2


def test_the_same_statement_twice_in_one_batch_is_recorded_once():
    brand = brand_with()
    brand.collect_events()
    setting = target_set()

    assert brand.record([item(setting), item(setting)]) == [setting.statement_id()]
    assert [e.statement_id for e in brand.collect_events()] == [setting.statement_id()]


def test_a_refused_revision_leaves_the_pending_events_and_the_state_unchanged():
    brand = brand_with(target_set(deadline=2026, value=50000), target_set(deadline=2030))
    version, ids = brand.version, set(brand.statement_ids)

    with pytest.raises(DeadlineTaken):
        brand.record([item(revised(deadline=2026, new_deadline=2030))])

    assert (brand.version, brand.statement_ids) == (version, ids)
    assert [t["deadline"] for t in targets_of(brand)] == ["2026", "2030"]
    assert [type(e).__name__ for e in brand.collect_events()] == ["BrandRegistered", "TargetSet", "TargetSet"]


def test_a_refused_batch_records_none_of_its_statements():
    brand = brand_with(target_set(announced_on="2023-06"))
    brand.collect_events()
    fine = statement("target-reaffirmed", kpi="annual-sales", deadline=2030, announced_on="2024")

    with pytest.raises(DependencyAnnouncedLater):
        brand.record([item(fine), item(revised(announced_on="2022", value=1))])

    assert brand.collect_events() == []
    assert fine.statement_id() not in brand.statement_ids

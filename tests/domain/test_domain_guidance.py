"""Real guidance in the domain (DESIGN.md §4, §5 r2): revisions of any term, open targets, guidance withdrawn."""

import re

import pytest

from stratlog.domain.brand import Brand
from stratlog.domain.errors import GuidanceMatchesNothing
from stratlog.domain.groups import fold_group, grouped
from stratlog.domain.history import Entry, apply_fixes
from stratlog.domain.statement import subject_id
from stratlog.domain.views import audit, kpis
from tests.builders import RECORDED, item, statement


def target(kpi="annual-sales", deadline="2025", announced_on="2023", scope=None, **terms):
    terms = terms or {"value": 50000}
    return statement("target-set", kpi=kpi, announced_on=announced_on, unit="vehicles", comparator="at-least",
                     **({"deadline": deadline} if deadline else {}), **({"scope": scope} if scope else {}), **terms)


def withdrawal(announced_on="2024-04", **names):
    return statement("guidance-withdrawn", announced_on=announced_on, **names)


def revised(announced_on="2024", kpi="annual-sales", deadline="2025", **change):
    return statement("target-revised", kpi=kpi, deadline=deadline, announced_on=announced_on, **change)


def groups_of(*said):
    entries = [Entry(s.statement_id(), n, RECORDED, s) for n, s in enumerate(said, 1)]
    return [g for name, es in grouped(apply_fixes(entries)).items() if (g := fold_group(name, es, None))]


def statuses(*said):
    rows = kpis(groups_of(*said), "alpine", RECORDED.date())
    return sorted(((k["kpi"], k["scope"], k["deadline"], k["status"]) for k in rows),
                  key=lambda row: tuple(part or "" for part in row))


def changes(*said):
    return [row["change"] for row in audit(groups_of(*said), "alpine")]


# ---- change labels over every term ---------------------------------------------------------------

@pytest.mark.parametrize("change, label", [
    ({"low": 6000, "high": 7000}, "lowered"),
    ({"low": 45000, "high": 55000}, "widened"),
    ({"low": 50000, "high": 60000}, "raised"),
    ({"value": 60000}, "raised"),
    ({"comparator": "about"}, "revised"),
    ({"horizon": "in"}, "revised"),
    ({"unit": "cars"}, "revised"),
    ({"baseline": "2022"}, "revised"),
    ({"condition": "if the market allows"}, "revised"),
    ({"reason": "now an ambition"}, "revised"),
    ({"value": 60000, "new_deadline": "2026"}, "deadline-moved"),
])
def test_a_revision_is_labelled_by_every_term_it_changes(change, label):
    assert changes(target(), revised(**change)) == ["set", label]


def test_a_range_revision_narrowed_around_the_same_midpoint_reads_narrowed():
    assert changes(target(low=40000, high=60000), revised(low=45000, high=55000)) == ["set", "narrowed"]


@pytest.mark.parametrize("terms, label", [
    ({"value": 50000, "baseline": "2022"}, "revised"),
    ({"value": 50000, "condition": "where market conditions allow"}, "revised"),
    ({"value": 50000}, "reaffirmed"),
    ({"low": 40000, "high": 50000}, "lowered"),
])
def test_a_target_set_restating_a_live_target_is_labelled_by_the_same_rule(terms, label):
    assert changes(target(), target(announced_on="2024", **terms)) == ["set", label]


def test_a_revision_keeps_the_terms_it_does_not_name():
    (row,) = kpis(groups_of(target(low=40000, high=60000), revised(comparator="about")), "alpine", RECORDED.date())

    assert (row["low"], row["high"], row["comparator"], row["unit"]) == (40000, 60000, "about", "vehicles")


# ---- open targets ---------------------------------------------------------------------------------

def test_an_open_target_is_revised_by_naming_its_deadline_open():
    assert changes(target(deadline=None), revised(deadline="open", value=60000)) == ["set", "raised"]


def test_an_open_target_may_stand_beside_a_dated_target_of_the_same_kpi():
    assert statuses(target(deadline=None), target()) == [
        ("annual-sales", None, None, "pending"), ("annual-sales", None, "2025", "pending")]


# ---- guidance withdrawn ---------------------------------------------------------------------------

TWO_YEARS = (target("annual-sales", "2025"), target("annual-sales", "2026"),
             target("production", "2025"), target("production", "2026"))


def test_a_guidance_withdrawal_of_a_year_withdraws_that_year_s_targets_of_every_kpi_named():
    assert statuses(*TWO_YEARS, withdrawal(kpis=["annual-sales", "production"], deadline="2025")) == [
        ("annual-sales", None, "2025", "withdrawn"), ("annual-sales", None, "2026", "pending"),
        ("production", None, "2025", "withdrawn"), ("production", None, "2026", "pending")]


def test_a_guidance_withdrawal_gives_one_withdrawn_row_per_target_naming_itself():
    said = withdrawal(deadline="2025")

    rows = [r for r in audit(groups_of(*TWO_YEARS, said), "alpine") if r["change"] == "withdrawn"]

    assert [(r["kpi"], r["old_deadline"], r["statement_id"]) for r in rows] == [
        ("annual-sales", "2025", said.statement_id()), ("production", "2025", said.statement_id())]


def test_a_guidance_withdrawal_over_a_span_withdraws_every_deadline_within_it_and_no_open_target():
    assert statuses(*TWO_YEARS, target("ebit-margin", None), withdrawal(deadline="2025..2026"))[-1] == (
        "production", None, "2026", "withdrawn")
    assert ("ebit-margin", None, None, "pending") in statuses(target("ebit-margin", None), *TWO_YEARS,
                                                              withdrawal(deadline="2025..2026"))


def test_a_guidance_withdrawal_of_one_scope_keeps_the_others():
    assert statuses(target(scope="US"), target(scope="EU"), withdrawal(scope="us")) == [
        ("annual-sales", "EU", "2025", "pending"), ("annual-sales", "US", "2025", "withdrawn")]


def test_a_guidance_withdrawal_with_no_names_withdraws_every_live_target_including_open_ones():
    assert {s[-1] for s in statuses(*TWO_YEARS, target("ebit-margin", None), withdrawal())} == {"withdrawn"}


def test_a_guidance_withdrawal_does_not_touch_targets_set_after_it():
    assert statuses(target("annual-sales", "2025"), withdrawal(), target("production", "2025", "2025")) == [
        ("annual-sales", None, "2025", "withdrawn"), ("production", None, "2025", "pending")]


def test_a_guidance_withdrawal_that_matches_no_live_target_is_refused_naming_it():
    said = withdrawal(kpis=["revenue"], deadline="2025")
    registered = statement("brand-registered", name="Alpine")

    with pytest.raises(GuidanceMatchesNothing, match=re.escape(
            f"guidance-withdrawn {said.statement_id()[:8]} (announced 2024-04) matches no live target of brand "
            f"'alpine' (revenue 2025)")):
        Brand.start(subject_id("brand", "alpine"), [item(registered), *(item(s) for s in TWO_YEARS), item(said)])


def test_a_guidance_withdrawal_whose_targets_were_already_withdrawn_is_refused():
    registered = statement("brand-registered", name="Alpine")
    first, second = withdrawal(deadline="2025"), withdrawal("2024-06", deadline="2025")

    with pytest.raises(GuidanceMatchesNothing):
        Brand.start(subject_id("brand", "alpine"),
                    [item(registered), *(item(s) for s in TWO_YEARS), item(first), item(second)])


def test_an_accepted_guidance_withdrawal_is_recorded_as_its_own_event():
    registered = statement("brand-registered", name="Alpine")
    said = withdrawal(deadline="2025")

    brand = Brand.start(subject_id("brand", "alpine"), [item(registered), *(item(s) for s in TWO_YEARS), item(said)])

    assert type(brand.collect_events()[-1]).__name__ == "GuidanceWithdrawn"


# ---- approximate actuals --------------------------------------------------------------------------

def actual(**terms):
    return statement("actual-reported", kpi="annual-sales", period="2025", unit="vehicles", announced_on="2026-01",
                     **terms)


@pytest.mark.parametrize("terms, status", [
    ({"value": 37000, "comparator": "at-least"}, "missed"),
    ({"value": 52000, "comparator": "about"}, "achieved"),
    ({"low": 45000, "high": 56000}, "achieved"),
    ({"low": 40000, "high": 50000}, "missed"),
])
def test_an_approximate_actual_is_judged_by_its_number_and_a_range_by_its_midpoint(terms, status):
    (row,) = kpis(groups_of(target(), actual(**terms)), "alpine", RECORDED.date().replace(year=2026))

    assert row["status"] == status

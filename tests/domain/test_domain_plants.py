"""Plants (DESIGN.md §4 r2): a brand's production sites, their status, dates and capacity."""

import pytest
from pydantic import ValidationError

from stratlog.domain.groups import fold_group
from stratlog.domain.history import Entry
from stratlog.domain.statement import subject_id
from stratlog.domain.views import state, timeline
from tests.builders import RECORDED, statement

AS_OF = RECORDED.date().replace(year=2031)


def plant(kind, announced_on, **fields):
    return statement(kind, brand="polestar", plant="Chengdu", announced_on=announced_on, **fields)


def picture(*said):
    """The plant's timeline row and state row once these statements are folded."""
    view = fold_group("plant", [Entry(s.statement_id(), n, RECORDED, s) for n, s in enumerate(said, 1)], None,
                      strict=True)
    (row,) = timeline([view], "polestar", AS_OF)
    (state_row,) = state([view], "polestar", AS_OF)["plants"]
    return row, state_row


def test_a_planned_plant_then_opened_is_dated_by_its_opening_and_keeps_what_its_plan_said():
    row, listed = picture(plant("plant-planned", "2024-03", planned_for="2026", location="Chengdu, Sichuan",
                                country="CN", capacity=150000, products=["Polestar 4"]),
                          plant("plant-opened", "2025-09", opened_on="2025-09", capacity=120000))

    assert (row["subject_type"], row["subject"], row["date"], row["status"]) == ("plant", "Chengdu", "2025-09", "opened")
    assert listed == {"plant": "Chengdu", "status": "opened", "planned_for": "2026", "opened_on": "2025-09",
                      "capacity": 120000, "capacity_unit": "vehicles/year", "location": "Chengdu, Sichuan",
                      "country": "CN", "products": ["Polestar 4"]}


def test_a_plant_postponed_with_no_new_date_has_an_empty_date():
    row, listed = picture(plant("plant-planned", "2024-03", planned_for="2026"), plant("plant-postponed", "2025-02"))

    assert (row["date"], row["status"], listed["planned_for"]) == (None, "postponed", None)


def test_a_plant_postponed_to_a_new_date_is_dated_by_it():
    row, _ = picture(plant("plant-planned", "2024-03", planned_for="2026"),
                     plant("plant-postponed", "2025-02", planned_for="2027-Q2"))

    assert (row["date"], row["status"]) == ("2027-Q2", "postponed")


def test_an_ended_plant_is_dated_by_its_end_when_given_else_by_its_opening():
    opened = plant("plant-opened", "2020-05", opened_on="2020-05")
    assert picture(opened, plant("plant-closed", "2026-05", closed_on="2026-06"))[0]["date"] == "2026-06"
    assert picture(opened, plant("plant-closed", "2026-05"))[0]["date"] == "2020-05"
    cancelled = picture(plant("plant-planned", "2024-03", planned_for="2026"),
                        plant("plant-cancelled", "2025-06", cancelled_on="2025-06"))[0]
    assert (cancelled["date"], cancelled["status"]) == ("2025-06", "cancelled")


def test_a_plan_without_a_date_keeps_the_date_planned_before():
    row, listed = picture(plant("plant-planned", "2024-03", planned_for="2026"),
                          plant("plant-planned", "2024-09", products=["Polestar 7"]))

    assert (row["date"], row["status"], listed["products"]) == ("2026", "planned", ["Polestar 7"])


def test_a_plan_stated_after_the_opening_does_not_reopen_the_plan():
    row, _ = picture(plant("plant-opened", "2025-09", opened_on="2025-09"),
                     plant("plant-planned", "2025-10", capacity=200000))

    assert (row["date"], row["status"]) == ("2025-09", "opened")


def test_a_capacity_change_keeps_the_status_and_a_plant_first_heard_of_through_one_is_producing():
    planned, listed = picture(plant("plant-planned", "2024-03", planned_for="2026", capacity=100000),
                              plant("plant-capacity-changed", "2024-09", capacity=150000, capacity_unit="cars/year"))
    assert (planned["status"], listed["capacity"], listed["capacity_unit"]) == ("planned", 150000, "cars/year")
    row, _ = picture(plant("plant-capacity-changed", "2026-02", capacity=180000, effective_on="2026"))
    assert (row["status"], row["date"]) == ("opened", None)


@pytest.mark.parametrize("fields, message", [
    ({"capacity_unit": "vehicles/year"}, "capacity_unit needs a capacity"),
    ({"capacity": -5}, "greater than or equal to 0"),
    ({"capacity": "many"}, "decimal"),
    ({"capacity": 1e30}, "out of range"),
])
def test_a_capacity_must_be_a_number_of_zero_or_more_and_a_unit_needs_one(fields, message):
    with pytest.raises(ValidationError, match=message):
        plant("plant-planned", "2024-03", **fields)


def test_a_plant_is_keyed_by_brand_and_name_whatever_the_case():
    assert plant("plant-planned", "2024-03").subject_id == subject_id("plant", "Polestar", "CHENGDU")
    assert plant("plant-planned", "2024-03").subject_id != subject_id("model", "polestar", "Chengdu")

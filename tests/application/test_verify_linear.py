"""Verify costs what a unit holds, not its square: a long unit is compared item by item at every change point
(with a few points folded from scratch), damage in it is still named by date, and the sampled answers hold a
bounded number of statements; a unit's fold is shared by the known-at instants at which it is the same."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timezone

import pytest

from stratlog.application import reference as reference_module
from stratlog.application.reference import ReferenceFold
from stratlog.application.unit_items import first_difference
from stratlog.application.verification import ANSWER_FLOOR, sample_questions
from stratlog.infrastructure.config import settings
from stratlog.infrastructure.item_codec import instant_number
from stratlog.infrastructure.runtime import Runtime
from tests.application.test_verify_units import verify
from tests.builders import fix, statement

VALUATIONS = 60


def valued(day: int) -> object:
    on = date.fromordinal(date(2020, 1, 1).toordinal() + 7 * day).isoformat()
    return statement("valuation-updated", brand="acme", value={"amount": 1000 + day, "currency": "EUR"}, valued_on=on,
                     basis="market cap", announced_on=on, source={"title": f"Filing {on}"})


@pytest.fixture
def long_unit(tmp_path):
    """acme with VALUATIONS valuations, the last 10 recorded by a second command that also corrects the 21st's
    amount; the file and both instants."""
    db = str(tmp_path / "long.db")
    runtime = Runtime(settings(db), writing=True)
    try:
        recorded = runtime.ledger.record([statement("brand-registered", brand="acme", source=None, name="Acme"),
                                          *(valued(d) for d in range(VALUATIONS - 10))])
        runtime.catch_up()  # (a correction names its statement through the read model)
        second = runtime.ledger.record([*(valued(d) for d in range(VALUATIONS - 10, VALUATIONS)),
                                        fix("statement-corrected", corrects=recorded.new[21],
                                            fields={"value": {"amount": 5020, "currency": "EUR"}})]).recorded_at
        first = recorded.recorded_at
        runtime.catch_up()
    finally:
        runtime.close()
    return db, first, second




def sql(db: str, text: str) -> int:
    conn = sqlite3.connect(db)
    try:
        with conn:
            return conn.execute(text).rowcount
    finally:
        conn.close()


def test_a_long_unit_is_folded_from_scratch_at_a_few_points_only(long_unit, monkeypatch):
    from stratlog.application import verification
    monkeypatch.setattr(verification, "ANSWER_FLOOR", 0)  # one (brand, date) pair answered: few folds of its own
    calls = []
    real = reference_module.fold_group
    monkeypatch.setattr(reference_module, "fold_group", lambda *a, **k: calls.append(a[2]) or real(*a, **k))
    report = verify(long_unit[0])
    assert report.problems == []
    # a few scratch points per instant compared, and the sampled answers: never one fold per change point
    assert len(calls) < VALUATIONS // 2


VALUATIONS_UNIT = "unit IN (SELECT unit FROM rm_groups WHERE grp='valuations')"


def test_a_wrong_row_in_the_middle_of_a_long_unit_is_named_by_its_date(long_unit):
    db = long_unit[0]
    assert sql(db, f"UPDATE rm_items SET data=replace(data, '1030', '1031') WHERE {VALUATIONS_UNIT} "
                   "AND data LIKE '%1030%'") >= 1
    report = verify(db)
    assert len(report.unit_problems) == 1
    assert report.unit_problems[0].startswith("acme valuations")
    assert report.unit_problems[0].endswith(f"as of {valued(30).announced_on.end}: the stored rows differ from the fold")


def test_a_wrong_row_of_a_long_unit_known_only_at_the_earlier_instant_is_named_with_that_instant(long_unit):
    db, first, second = long_unit
    known_from, known_to = (t.strftime("%Y-%m-%dT%H:%M:%S.%fZ") for t in (first, second))
    assert sql(db, f"UPDATE rm_items SET data=replace(data, '1020', '1021') WHERE {VALUATIONS_UNIT} "
                   f"AND known_to={instant_number(known_to)} AND data LIKE '%1020%'") == 1
    report = verify(db)
    assert len(report.unit_problems) == 1
    assert report.unit_problems[0].endswith(f"as of {valued(20).announced_on.end}, known at {known_from}: "
                                            f"the stored rows differ from the fold")


def test_intervals_equal_up_to_a_split_agree_and_the_first_difference_is_dated():
    whole = {"v:1": [("2020-01-01", "9999-12-31", "a")]}
    split = {"v:1": [("2020-01-01", "2021-01-01", "a"), ("2021-01-01", "9999-12-31", "a")]}
    assert first_difference(whole, split) is None
    later = {"v:1": [("2020-01-01", "2021-01-01", "a"), ("2021-01-01", "9999-12-31", "b")]}
    assert first_difference(whole, later) == date(2021, 1, 1)
    assert first_difference(whole, {}) == date(2020, 1, 1)
    assert first_difference(whole, {**whole, "v:2": [("2022-05-01", "9999-12-31", "c")]}) == date(2022, 5, 1)
    overlapping = {"v:1": [("2020-01-01", "9999-12-31", "a"), ("2020-06-01", "9999-12-31", "a")]}
    assert first_difference(whole, overlapping) == date(2020, 6, 1)


class _OneBigBrand:
    def valid_dates(self, brand):
        return [f"20{year:02d}-06-30" for year in range(50)]


def test_the_sampled_answers_hold_a_bounded_number_of_statements_and_at_least_one_pair():
    now = datetime.now(timezone.utc)
    brands = ["big", "small"]
    sizes = {"big": 4 * ANSWER_FLOOR, "small": 10}
    asked = sample_questions(brands, {}, _OneBigBrand(), 40, now, sizes)
    pairs = [(b, d) for b, questions in asked.items() for d, _ in questions]
    assert 1 <= len(pairs) and sum(sizes[b] for b, _ in pairs) <= max(sum(sizes.values()), ANSWER_FLOOR) + sizes["big"]
    assert sum(b == "big" for b, _ in pairs) <= 1
    small = sample_questions(brands, {}, _OneBigBrand(), 40, now, {"big": 20, "small": 10})
    assert sample_questions(brands, {}, _OneBigBrand(), 40, now) == small  # a small log: every pair kept


def test_a_unit_is_folded_once_for_every_instant_at_which_its_members_are_the_same(long_unit):
    db, first, second = long_unit
    runtime = Runtime(settings(db), writing=False)
    try:
        reference = ReferenceFold(runtime.ledger)
    finally:
        runtime.close()
    brand = next(s for s in reference.subjects_of["acme"])
    later = datetime(9000, 1, 1, tzinfo=timezone.utc)
    assert reference.unit(brand, "valuations", second) is reference.unit(brand, "valuations", later)
    assert reference.unit(brand, "valuations", first) is not reference.unit(brand, "valuations", second)

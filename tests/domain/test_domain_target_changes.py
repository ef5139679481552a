"""Change labels compare terms, not just the value: ranges by their midpoint (DESIGN §5 r2, audit)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from stratlog.domain.target_changes import Terms, change_label
from stratlog.domain.values import Money

AT_LEAST = {"comparator": "at-least", "horizon": "by", "unit": "vehicles"}


def terms(value=None, low=None, high=None, **words) -> Terms:
    return Terms(value, low, high, **{**AT_LEAST, **words})


@pytest.mark.parametrize(("old", "new", "label"), [
    (terms(low=12000, high=14000), terms(low=6000, high=7000), "lowered"),
    (terms(290000), terms(low=155000, high=165000), "lowered"),
    (terms(low=200000, high=300000), terms(low=200000, high=250000), "lowered"),
    (terms(100000), terms(110000), "raised"),
    (terms(low=90, high=110), terms(100), "narrowed"),
    (terms(low=95, high=105), terms(low=90, high=110), "widened"),
    (terms(100000), terms(100000), "reaffirmed"),
    (terms(low=6000, high=7000), terms(low=6000, high=7000), "reaffirmed"),
])
def test_numbers_and_ranges_are_compared_by_their_midpoint_then_their_width(old, new, label):
    assert change_label(old, new) == label


@pytest.mark.parametrize("words", [{"comparator": "about"}, {"horizon": "in"}, {"unit": "units"},
                                   {"baseline": "2023"}, {"condition": "where market conditions allow"}])
def test_the_same_numbers_with_other_words_around_them_are_revised(words):
    assert change_label(terms(100000), terms(100000, **words)) == "revised"


def test_at_least_by_becoming_about_in_is_revised():
    assert change_label(terms(2026), terms(2026, comparator="about", horizon="in")) == "revised"


def test_money_is_compared_by_its_amount_in_one_currency_and_revised_across_currencies():
    eur = lambda amount: Money(amount=Decimal(amount), currency="EUR")  # noqa: E731
    assert change_label(terms(eur(2000)), terms(eur(1500))) == "lowered"
    assert change_label(terms(eur(2000)), terms(Money(amount=Decimal(2000), currency="USD"))) == "revised"


def test_a_yes_no_target_that_changes_is_revised():
    assert change_label(terms(True, unit="yes/no"), terms(False, unit="yes/no")) == "revised"

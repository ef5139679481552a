"""Numbers are canonical before a statement id is computed: one spelling per number, exact."""

from __future__ import annotations

from decimal import Context, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stratlog.domain.catalogue import RECORD_ADAPTER
from stratlog.domain.values import canonical_decimal

# Every number stratlog accepts: below 10^18, at most 12 decimals.
ACCEPTED = st.decimals(min_value=Decimal("-999999999999999999.999999999999"),
                       max_value=Decimal("999999999999999999.999999999999"), places=12, allow_nan=False)


def spellings(value: Decimal) -> list[Decimal]:
    """The same number written other ways: trailing zeros, an exponent, scientific notation."""
    sign, digits, exponent = value.as_tuple()
    return [value, Decimal((sign, digits + (0, 0, 0), exponent - 3)), Decimal(f"{value:E}"),
            value.normalize(Context(prec=60)), Decimal(format(value, "f") + "E0"), Decimal(format(value, "f"))]


@given(ACCEPTED)
def test_every_spelling_of_a_number_becomes_the_same_decimal_with_the_same_text(value):
    canonical = {str(canonical_decimal(spelling)) for spelling in spellings(value)}
    assert len(canonical) == 1


@given(ACCEPTED)
def test_the_canonical_number_is_exact_and_canonical_again(value):
    canonical = canonical_decimal(value)
    assert canonical == value
    assert str(canonical_decimal(canonical)) == str(canonical)
    assert canonical.as_tuple().exponent <= 0 and (not canonical or canonical.as_tuple().digits[-1] != 0
                                                  or canonical.as_tuple().exponent == 0)


@pytest.mark.parametrize("spelling", ["1e5", "1E+5", "100000", "100000.0", "100000.000", "0.1e6"])
def test_1e5_and_100000_are_the_same_number(spelling):
    assert str(canonical_decimal(Decimal(spelling))) == "100000"


@pytest.mark.parametrize("spelling, message", [
    ("1.0000000000001", "1.0000000000001 has more than 12 decimals"),
    ("1" + "0" * 18, "is out of range"),
    ("1." + "0" * 60 + "1", "has more than 12 decimals"),
])
def test_a_number_that_cannot_be_kept_exact_is_refused_never_rounded(spelling, message):
    with pytest.raises(ValueError, match=message):
        canonical_decimal(Decimal(spelling))


@pytest.mark.parametrize("value", [Decimal(10) ** 999, Decimal(10 ** 999), Decimal("-1E+40")])
def test_an_out_of_range_number_is_named_in_its_short_form(value):
    """A correction's 1e999 reaches the check as an integer of a thousand digits: named as 1E+999."""
    with pytest.raises(ValueError) as refused:
        canonical_decimal(value)
    shown = str(refused.value).split(" is out of range")[0]
    assert shown in ("1E+999", "-1E+40") and len(str(refused.value)) < 120


def test_a_zero_has_one_spelling():
    assert {str(canonical_decimal(Decimal(z))) for z in ("0", "-0", "0.000", "0E+5", "-0E-3")} == {"0"}


@pytest.mark.parametrize("value", ["1e5", "100000", 100000, Decimal("100000.0"), "100_000"])
def test_the_statement_id_is_the_same_however_the_number_is_written(value):
    base = {"kind": "target-set", "brand": "acme", "kpi": "annual-sales", "unit": "vehicles", "comparator": "at-least",
            "deadline": "2030", "announced_on": "2024", "source": {"title": "T"}}
    expected = RECORD_ADAPTER.validate_python({**base, "value": 100000}).statement_id()
    assert RECORD_ADAPTER.validate_python({**base, "value": value}).statement_id() == expected


@pytest.mark.parametrize("value", ["123456789012345678.5", "12345678.123456789012", "999999999999999999.5"])
def test_a_plain_number_with_decimals_beyond_fifteen_digits_is_refused_not_shown_rounded(value):
    with pytest.raises(Exception, match="more than 15 significant digits"):
        RECORD_ADAPTER.validate_python({"kind": "actual-reported", "brand": "acme", "kpi": "annual-sales",
                                        "period": "2024", "value": Decimal(value), "unit": "vehicles",
                                        "announced_on": "2025", "source": {"title": "x"}})


@given(st.decimals(min_value=Decimal("-999999999999999999"), max_value=Decimal("999999999999999999"), places=0)
       | st.decimals(min_value=Decimal("-999999"), max_value=Decimal("999999"), places=9))
def test_every_accepted_plain_number_is_shown_exactly_in_the_answers(value):
    from stratlog.domain.values import answerable_number, json_value
    number = answerable_number(canonical_decimal(value))
    assert Decimal(str(json_value(number))) == number

"""Value objects (DESIGN.md §1 and §4): money, sources, keys and subject identities."""

import re
from decimal import Decimal

import pytest
from pydantic import ValidationError

from stratlog.domain.dates import PartialDate
from stratlog.domain.catalogue import RECORD_ADAPTER
from stratlog.domain.statement import subject_id
from stratlog.domain.values import Money, Source

SOURCE = {"title": "Alpine. Laurent Rossi mise gros sur le marché américain"}


def record(**fields):
    return RECORD_ADAPTER.validate_python({"brand": "alpine", "announced_on": "2023-06", "source": SOURCE, **fields})


# ---- money -----------------------------------------------------------------------------------

def test_money_keeps_a_decimal_amount_and_its_currency():
    money = Money(amount="500000000", currency="EUR")

    assert money.amount == Decimal("500000000")
    assert isinstance(money.amount, Decimal)
    assert money.currency == "EUR"


def test_an_amount_read_as_a_float_is_kept_as_the_decimal_it_was_written_as():
    assert Money(amount=0.1, currency="EUR").amount == Decimal("0.1")


def test_a_negative_amount_is_refused_naming_the_amount():
    with pytest.raises(ValidationError, match=r"greater than or equal to 0[\s\S]*input_value=-5"):
        Money(amount=-5, currency="EUR")


@pytest.mark.parametrize("amount", ["NaN", "Infinity"])
def test_an_amount_that_is_not_a_finite_number_is_refused(amount):
    with pytest.raises(ValidationError, match=rf"finite number[\s\S]*input_value='{amount}'"):
        Money(amount=amount, currency="EUR")


@pytest.mark.parametrize("currency", ["XYZ", "eur", "Euro", "€"])
def test_an_unknown_currency_code_is_refused_naming_it(currency):
    with pytest.raises(ValidationError, match=re.escape(f"currency {currency!r} is not an ISO 4217 code")):
        Money(amount=1, currency=currency)


def test_a_negative_valuation_is_refused_at_the_field_that_holds_it():
    with pytest.raises(ValidationError, match=r"valuation-updated\.value\.amount[\s\S]*input_value=-50000000"):
        record(kind="valuation-updated", value={"amount": -50000000, "currency": "EUR"})


# ---- sources ---------------------------------------------------------------------------------

def test_a_source_with_only_a_url_is_enough():
    assert Source(url="https://example.com/alpine").label() == "https://example.com/alpine"


def test_a_source_with_neither_title_nor_url_is_refused():
    with pytest.raises(ValidationError, match="a source needs at least a title or a url"):
        Source(publisher="Automotive News Europe", speaker="Laurent Rossi")


def test_a_blank_title_does_not_count_as_a_title():
    with pytest.raises(ValidationError, match="must not be empty"):
        Source(title="   ")


@pytest.mark.parametrize("url", ["ftp://example.com/a", "example.com/a", "javascript:alert(1)", "https://"])
def test_a_url_that_is_not_http_or_https_is_refused_naming_it_in_words_not_a_pattern(url):
    with pytest.raises(ValidationError, match=re.escape(f"{url!r} is not a web address (http:// or https://")):
        Source(title="t", url=url)


def test_a_source_keeps_its_published_date_at_its_precision():
    assert Source(title="t", published_on="2023-06").published_on == PartialDate.parse("2023-06")


def test_a_statement_without_a_source_is_refused():
    with pytest.raises(ValidationError, match="source is required for valuation-updated"):
        RECORD_ADAPTER.validate_python({"kind": "valuation-updated", "brand": "alpine", "announced_on": "2023-06",
                                        "value": {"amount": 1, "currency": "EUR"}})


# ---- keys ------------------------------------------------------------------------------------

@pytest.mark.parametrize("market", [False, True, 0.1, 47])
def test_a_market_key_read_from_yaml_as_a_non_string_is_refused_not_coerced(market):
    with pytest.raises(ValidationError, match=rf"market-entered\.market[\s\S]*valid string[\s\S]*input_value={market!r}"):
        record(kind="market-entered", market=market, entered_on="2025")


def test_a_model_name_read_from_yaml_as_a_number_is_refused_not_coerced():
    with pytest.raises(ValidationError, match=r"model-planned\.model[\s\S]*valid string[\s\S]*input_value=110"):
        record(kind="model-planned", model=110, planned_for="2025")


def test_a_brand_key_read_as_a_boolean_is_refused_not_coerced():
    with pytest.raises(ValidationError, match=r"brand[\s\S]*valid string[\s\S]*input_value=False"):
        record(kind="brand-registered", brand=False, name="Alpine")


def test_a_target_scope_read_from_yaml_as_a_boolean_is_refused_not_coerced():
    with pytest.raises(ValidationError, match=r"input_value=False"):
        record(kind="target-set", kpi="annual-sales", scope=False, deadline=2030, value=1000,
               unit="vehicles", comparator="at-least")


def test_the_market_code_norway_written_as_a_string_is_accepted():
    assert record(kind="market-entered", market="NO", entered_on="2025").market == "NO"


def test_a_brand_key_that_is_not_a_slug_is_refused_naming_it():
    with pytest.raises(ValidationError, match=re.escape("'Alpine Cars' is not a slug")):
        record(kind="brand-registered", brand="Alpine Cars", name="Alpine")


def test_a_market_code_that_is_not_a_country_or_region_is_refused_naming_it():
    with pytest.raises(ValidationError, match=re.escape("'United States' is not a country or region code")):
        record(kind="market-entered", market="United States", entered_on="2025")


# ---- identities ------------------------------------------------------------------------------

def test_a_subject_id_ignores_the_case_of_its_key():
    assert subject_id("model", "alpine", "A290") == subject_id("model", "alpine", "a290")


def test_a_subject_id_ignores_the_unicode_composition_of_its_key():
    assert subject_id("model", "alpine", "Caf\u00e9") == subject_id("model", "alpine", "Cafe\u0301")


def test_subjects_of_different_types_with_the_same_key_have_different_ids():
    assert subject_id("market", "alpine", "US") != subject_id("model", "alpine", "US")


def test_a_model_statement_is_addressed_to_its_model_and_its_brand():
    planned = record(kind="model-planned", model="A290", planned_for="2024")

    assert planned.key == ("alpine", "A290")
    assert planned.subject_id == subject_id("model", "alpine", "a290")
    assert planned.brand_id == subject_id("brand", "alpine")


def test_a_dealer_agreement_is_keyed_by_brand_dealer_and_market():
    talks = record(kind="dealer-talks-started", dealer="AutoNation", market="US")

    assert talks.key == ("alpine", "AutoNation", "US")
    assert talks.subject_id == subject_id("dealer-agreement", "alpine", "autonation", "us")

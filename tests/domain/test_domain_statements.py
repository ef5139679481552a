"""Import records validated by kind (DESIGN.md §1 three clocks, §4 kinds, §6 import format)."""

import re
from decimal import Decimal

import pytest
from pydantic import ValidationError

from stratlog.domain import brand, market, model
from stratlog.domain.catalogue import KINDS, RECORD_ADAPTER

SOURCE = {"title": "Alpine. Laurent Rossi mise gros sur le marché américain", "language": "fr"}
ANNOUNCED = {"announced_on": "2023-06", "source": SOURCE}

SAMPLES = {
    "valuation-updated": {"value": {"amount": 500000000, "currency": "EUR"}, "valued_on": 2023},
    "ipo-considered": {"stance": "potential", "by": "Luca de Meo"},
    "target-set": {"kpi": "annual-sales", "deadline": 2030, "value": 100000, "unit": "vehicles",
                   "comparator": "at-least"},
    "target-revised": {"kpi": "annual-sales", "deadline": 2030, "value": 120000},
    "target-withdrawn": {"kpi": "annual-sales", "deadline": 2030},
    "actual-reported": {"kpi": "annual-sales", "period": 2024, "value": 4585, "unit": "vehicles"},
    "model-planned": {"model": "A390", "planned_for": 2025, "segment": "GT crossover"},
    "model-launched": {"model": "A110"},
    "market-entry-planned": {"market": "US", "rationale": "indispensable"},
    "market-entered": {"market": "US", "entered_on": "2027"},
    "dealer-talks-started": {"dealer": "AutoNation", "market": "US"},
    "dealer-agreement-signed": {"dealer": "AutoNation", "market": "US", "signed_on": "2024-Q2"},
}


def validate(kind, **fields):
    return RECORD_ADAPTER.validate_python({"kind": kind, "brand": "alpine", **fields})


def target_set(**fields):
    return validate("target-set", **ANNOUNCED, **{"kpi": "annual-sales", "deadline": 2030,
                                                  "comparator": "at-least", **fields})


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_a_complete_record_of_each_kind_becomes_a_statement_of_that_kind(kind):
    statement = validate(kind, **ANNOUNCED, **SAMPLES[kind])

    assert statement.KIND == kind
    assert str(statement.announced_on) == "2023-06"


def test_every_kind_of_section_4_is_known():
    assert set(KINDS) >= {"brand-registered", "target-reaffirmed", "model-revealed", "model-rescheduled",
                          "model-renamed", "model-cancelled", "model-discontinued", "market-entry-postponed",
                          "market-entry-cancelled", "market-exited", "dealer-talks-ended",
                          "dealer-agreement-terminated", "statement-corrected", "statement-retracted", *SAMPLES}


def test_the_class_names_of_the_card_exist():
    assert model.ModelLaunched.KIND == "model-launched"
    assert market.MarketEntered.KIND == "market-entered"
    assert brand.ValuationUpdated.KIND == "valuation-updated"
    assert brand.IPOConsidered.KIND == "ipo-considered"


def test_a_brand_registration_needs_neither_announced_on_nor_source():
    registered = validate("brand-registered", name="Alpine", parent="Renault Group")

    assert registered.announced_on is None and registered.source is None
    assert registered.parent == "Renault Group"


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_every_other_kind_is_refused_without_announced_on(kind):
    with pytest.raises(ValidationError, match=f"announced_on is required for {kind}"):
        validate(kind, source=SOURCE, **SAMPLES[kind])


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_every_other_kind_is_refused_without_a_source(kind):
    with pytest.raises(ValidationError, match=f"source is required for {kind}"):
        validate(kind, announced_on="2023-06", **SAMPLES[kind])


def test_an_announced_on_that_is_not_a_partial_date_is_refused_naming_it():
    with pytest.raises(ValidationError, match=r"model-planned\.announced_on[\s\S]*'June 2023' is not a date"):
        validate("model-planned", announced_on="June 2023", source=SOURCE, model="A290", planned_for=2024)


def test_a_model_launch_without_a_date_is_on_sale_by_its_announcement():
    launched = validate("model-launched", **ANNOUNCED, model="A110")

    assert launched.launched_on is None


# ---- target-set: value or range --------------------------------------------------------------

def test_a_target_has_a_value_or_a_range_and_by_is_its_default_horizon():
    assert target_set(value=100000, unit="vehicles").horizon == "by"
    ranged = target_set(low=90000, high=110000, unit="vehicles")
    assert (ranged.value, ranged.low, ranged.high) == (None, Decimal(90000), Decimal(110000))


def test_a_target_with_both_a_value_and_a_range_is_refused():
    with pytest.raises(ValidationError, match="give either value, or low and high"):
        target_set(value=100000, low=90000, high=110000, unit="vehicles")


def test_a_target_with_neither_value_nor_range_is_refused():
    with pytest.raises(ValidationError, match="give either value, or low and high"):
        target_set(unit="vehicles")


def test_a_range_with_only_a_low_end_is_refused():
    with pytest.raises(ValidationError, match="a range needs both low and high"):
        target_set(low=90000, unit="vehicles")


def test_a_range_whose_low_is_above_its_high_is_refused_naming_both():
    with pytest.raises(ValidationError, match="low 120000 is above high 90000"):
        target_set(low=120000, high=90000, unit="vehicles")


def test_a_range_in_two_currencies_is_refused():
    with pytest.raises(ValidationError, match="low and high must be of the same kind and currency"):
        target_set(kpi="revenue", low={"amount": 1, "currency": "EUR"}, high={"amount": 2, "currency": "USD"})


def test_a_numeric_target_without_a_unit_is_refused():
    with pytest.raises(ValidationError, match="unit is required for a number"):
        target_set(value=100000)


def test_a_money_target_takes_its_unit_from_its_currency():
    assert target_set(kpi="revenue", value={"amount": 2000000000, "currency": "EUR"}).effective_unit == "EUR"


def test_a_yes_no_target_takes_true_with_unit_yes_no():
    profitable = target_set(kpi="profitability", deadline=2026, value=True, unit="yes/no",
                            comparator="exactly", horizon="in")

    assert (profitable.value, profitable.effective_unit, profitable.horizon) == (True, "yes/no", "in")


def test_a_yes_no_range_is_refused_with_a_validation_error_not_a_crash():
    with pytest.raises(ValidationError):
        target_set(kpi="profitability", low=True, high=False, unit="yes/no", comparator="exactly")


@pytest.mark.parametrize(("field", "value"), [("comparator", "more-than"), ("horizon", "before")])
def test_an_unknown_comparator_or_horizon_is_refused_naming_it(field, value):
    with pytest.raises(ValidationError, match=rf"target-set\.{field}[\s\S]*input_value='{value}'"):
        target_set(value=100000, unit="vehicles", **{field: value})


def test_a_revision_that_changes_nothing_and_gives_no_reason_is_refused():
    with pytest.raises(ValidationError, match="a revision needs a new term .* a new_deadline, or a reason"):
        validate("target-revised", **ANNOUNCED, kpi="annual-sales", deadline=2030)


def test_a_revision_with_only_a_reason_is_a_non_numeric_revision():
    revised = validate("target-revised", **ANNOUNCED, kpi="annual-sales", deadline=2030, reason="softened wording")

    assert revised.reason == "softened wording"


def test_a_revision_takes_a_range_and_every_term():
    revised = validate("target-revised", **ANNOUNCED, kpi="production", deadline=2022, low=6000, high=7000,
                       unit="vehicles", comparator="about", horizon="in", baseline="2021", condition="if chips allow")

    assert (revised.low, revised.high, revised.baseline.text, revised.condition) == (6000, 7000, "2021", "if chips allow")


def test_a_revision_with_half_a_range_is_refused():
    with pytest.raises(ValidationError, match="a range needs both low and high"):
        validate("target-revised", **ANNOUNCED, kpi="production", deadline=2022, low=6000)


def test_a_target_without_a_deadline_is_open_and_open_addresses_it():
    open_target = validate("target-set", **ANNOUNCED, kpi="ebit-margin", value=8, unit="percent", comparator="about")
    reaffirmed = validate("target-reaffirmed", **ANNOUNCED, kpi="ebit-margin", deadline="open")

    assert (open_target.deadline, reaffirmed.deadline) == (None, "open")


def test_an_actual_needs_a_unit_for_a_number():
    with pytest.raises(ValidationError, match="unit is required for a number"):
        validate("actual-reported", **ANNOUNCED, kpi="annual-sales", period=2024, value=4585)


def test_an_unknown_ipo_stance_is_refused_naming_it():
    with pytest.raises(ValidationError, match=r"ipo-considered\.stance[\s\S]*input_value='maybe'"):
        validate("ipo-considered", **ANNOUNCED, stance="maybe")


# ---- unknown fields and kinds ----------------------------------------------------------------

def test_an_unknown_field_is_refused_naming_it():
    with pytest.raises(ValidationError, match=r"model-planned\.colour[\s\S]*Extra inputs are not permitted"):
        validate("model-planned", **ANNOUNCED, model="A290", planned_for=2024, colour="blue")


def test_a_misspelt_payload_field_is_refused_rather_than_dropped():
    with pytest.raises(ValidationError, match=r"model-launched\.launched_in"):
        validate("model-launched", **ANNOUNCED, model="A110", launched_in="2017")


@pytest.mark.parametrize("field", ["statement_id", "recorded_at"])
def test_the_clocks_stratlog_sets_are_refused_in_a_plain_record(field):
    with pytest.raises(ValidationError, match=rf"brand-registered\.{field}[\s\S]*Extra inputs"):
        validate("brand-registered", name="Alpine", **{field: "2024-01-01T00:00:00Z"})


def test_an_unknown_kind_is_refused_naming_it_and_listing_the_known_ones():
    with pytest.raises(ValidationError, match=re.escape("Input tag 'model-teased' found using 'kind'")
                       + r"[\s\S]*'model-revealed'"):
        validate("model-teased", **ANNOUNCED, model="A290")


def test_a_record_without_a_kind_is_refused():
    with pytest.raises(ValidationError, match="Unable to extract tag using discriminator 'kind'"):
        RECORD_ADAPTER.validate_python({"brand": "alpine", "name": "Alpine"})


# ---- our fixes -------------------------------------------------------------------------------

def test_a_correction_carries_no_announced_on():
    with pytest.raises(ValidationError, match=r"statement-corrected\.announced_on[\s\S]*Extra inputs"):
        RECORD_ADAPTER.validate_python({"kind": "statement-corrected", "corrects": "652141ce",
                                        "fields": {"value": 110000}, "announced_on": "2023-06"})


@pytest.mark.parametrize("field", ["kind", "brand", "model", "market", "dealer"])
def test_a_correction_cannot_change_the_kind_or_a_key(field):
    with pytest.raises(ValidationError, match=f"{field} cannot be corrected"):
        RECORD_ADAPTER.validate_python({"kind": "statement-corrected", "corrects": "652141ce",
                                        "fields": {field: "other"}})


def test_a_correction_names_at_least_one_field():
    with pytest.raises(ValidationError, match="name at least one field to correct"):
        RECORD_ADAPTER.validate_python({"kind": "statement-corrected", "corrects": "652141ce", "fields": {}})


def test_a_retraction_says_why():
    with pytest.raises(ValidationError, match=r"statement-retracted\.reason[\s\S]*Field required"):
        RECORD_ADAPTER.validate_python({"kind": "statement-retracted", "retracts": "652141ce"})

"""The Python API: `stratlog.open(target)` answers with the rows of `--format json`, records, and names its errors."""

from __future__ import annotations

import json
from datetime import date

import pytest

import stratlog
from stratlog.application.queries import UnknownBrand
from stratlog.domain.errors import InvalidInput, StatementNotFound, StratlogError
from tests.conftest import ALPINE


def test_alpine_kpis_as_of_june_2023_through_the_api_equal_the_cli_json(alpine_db, stratlog_cli):
    cli_rows = json.loads(stratlog_cli("--db", alpine_db, "kpis", "--as-of", "2023-06", "--json").out)

    with stratlog.open(alpine_db) as ledger:
        api_rows = ledger.kpis(as_of="2023-06", known_at=None)

    assert json.loads(json.dumps(api_rows, default=str)) == cli_rows and api_rows


def test_a_date_object_and_a_partial_date_text_ask_the_same_question(alpine_db):
    ledger = stratlog.open(alpine_db)

    assert ledger.timeline("alpine", as_of=date(2023, 6, 30)) == ledger.timeline("alpine", as_of="2023-06")


def test_flat_rows_spell_money_and_dates_as_columns(alpine_db):
    rows = stratlog.open(alpine_db).kpis("alpine", as_of="2023-06", flat=True)

    sales = next(r for r in rows if r["kpi"] == "annual-sales")
    assert (sales["value"], sales["deadline"], sales["deadline_start"], sales["deadline_end"]) == \
        (100000, "2030", "2030-01-01", "2030-12-31")


def test_statements_recorded_imported_and_corrected_through_the_api_show_in_the_answers(db):
    ledger = stratlog.open(db)
    ledger.record(kind="brand-registered", brand="acme", name="Acme")
    [target_id] = ledger.record({"kind": "target-set", "brand": "acme", "kpi": "annual-sales", "value": 1000,
                                 "unit": "vehicles", "comparator": "at-least", "deadline": "2030",
                                 "announced_on": "2024-01", "source": {"title": "Acme day"}})
    fix_id = ledger.correct(target_id, value=1200, note="typo")
    imported = ledger.import_file(str(ALPINE))

    assert [(r["kpi"], r["value"]) for r in ledger.kpis("acme")] == [("annual-sales", 1200)]
    assert fix_id != target_id and len(imported) > 10 and ledger.kpis("alpine", as_of="2023-06")


def test_an_invalid_statement_is_refused_with_a_named_error_and_nothing_recorded(db):
    ledger = stratlog.open(db)
    ledger.record(kind="brand-registered", brand="acme", name="Acme")

    with pytest.raises(InvalidInput, match=r"record\(\) statement 1.*deadline"):
        ledger.record(kind="target-set", brand="acme", kpi="annual-sales", value=1000, unit="vehicles",
                      comparator="at-least", deadline="someday", announced_on="2024", source={"title": "x"})
    assert ledger.kpis("acme") == []


def test_an_unknown_brand_or_statement_is_a_named_error(alpine_db):
    ledger = stratlog.open(alpine_db)

    with pytest.raises(UnknownBrand, match="brand 'nobody' is not registered"):
        ledger.timeline("nobody")
    with pytest.raises(StatementNotFound, match="no statement has an id starting with"):
        ledger.retract("00000000", reason="none")


def test_a_bad_date_names_the_argument_and_the_value(alpine_db):
    with pytest.raises(InvalidInput, match="as_of"):
        stratlog.open(alpine_db).kpis(as_of="June")


def test_a_closed_ledger_refuses_further_calls(alpine_db):
    with stratlog.open(alpine_db) as ledger:
        ledger.kpis()

    with pytest.raises(StratlogError, match="is closed"):
        ledger.kpis()


@pytest.fixture
def stratlog_cli(stratlog):
    return stratlog


def test_events_of_an_unknown_kind_is_a_named_error(alpine_db):
    ledger = stratlog.open(alpine_db)
    with pytest.raises(InvalidInput, match=r"kind: 'Model-Planned' is not a statement kind \(did you mean model-planned\?\)"):
        ledger.events(kind="Model-Planned")
    assert ledger.events(kind="model-planned")


def test_events_of_an_unknown_brand_is_the_same_named_error_as_the_other_queries(alpine_db):
    ledger = stratlog.open(alpine_db)
    message = r"brand 'alpin' is not registered \(known brands: alpine\)"

    for ask in (lambda: ledger.events(brand="alpin"), lambda: ledger.events("alpin", kind="target-set"),
                lambda: ledger.timeline("alpin"), lambda: ledger.state("alpin")):
        with pytest.raises(UnknownBrand, match=message):
            ask()
    assert ledger.events(brand="alpine", kind="plant-planned") == []
    assert len(ledger.events(brand="")) == len(ledger.events()) > 0  # no brand named: every brand, as timeline("")
    with pytest.raises(UnknownBrand) as refused:
        ledger.events(brand="x" * 5000)
    assert len(str(refused.value)) < 300 and "…" in str(refused.value)  # the value echoed shortened, not repr'd whole


def test_a_correction_to_a_bad_number_names_the_value_as_record_does(db):
    ledger = stratlog.open(db)
    ledger.record(kind="brand-registered", brand="acme", name="Acme")
    [plant] = ledger.record(kind="plant-planned", brand="acme", plant="Douai", capacity=1000, announced_on="2024",
                            source={"title": "Acme day"})

    with pytest.raises(InvalidInput, match=r"capacity: should be greater than or equal to 0 \(got -5\)") as recording:
        ledger.record(kind="plant-planned", brand="acme", plant="Flins", capacity=-5, announced_on="2024",
                      source={"title": "Acme day"})
    with pytest.raises(InvalidInput, match=r"invalid: capacity: should be greater than or equal to 0 \(got -5\)$"):
        ledger.correct(plant, capacity=-5)
    with pytest.raises(InvalidInput, match=r"invalid: capacity: should be a number \(got 'lots'\)$"):
        ledger.correct(plant, capacity="lots")
    assert "(got -5)" in str(recording.value) and ledger.state("acme")["plants"][0]["capacity"] == 1000


@pytest.mark.parametrize("value, shown", [(float("nan"), "nan"), (float("inf"), "inf"),
                                          (b"5", "a value of type bytes"), (object(), "a value of type object")])
def test_a_correction_to_a_value_no_file_could_hold_is_named_without_a_repr(db, value, shown):
    """Python hands the API values no file or option can give: named plainly (InvalidInput, never pydantic's
    ValidationError, never a Python repr), nothing written."""
    ledger = stratlog.open(db)
    ledger.record(kind="brand-registered", brand="acme", name="Acme")
    [plant] = ledger.record(kind="plant-planned", brand="acme", plant="Douai", capacity=1000, announced_on="2024",
                            source={"title": "Acme day"})
    with pytest.raises(InvalidInput) as refused:
        ledger.correct(plant, capacity=value)
    assert str(refused.value) == f"nothing was corrected: capacity: {shown} cannot be stored as a corrected value"
    assert len(ledger.events()) == 2


"""Statement ids (DESIGN.md §4): uuid5 of the canonical content, so a re-import records nothing new."""

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stratlog.domain.catalogue import RECORD_ADAPTER

SOURCE = {"title": "Alpine. Laurent Rossi mise gros sur le marché américain", "speaker": "Laurent Rossi"}
TARGET = {"kind": "target-set", "brand": "alpine", "kpi": "annual-sales", "deadline": 2030, "value": 100000,
          "unit": "vehicles", "comparator": "at-least", "announced_on": "2023-06", "source": SOURCE}


def id_of(record: dict) -> str:
    return RECORD_ADAPTER.validate_python(record).statement_id()


def test_a_statement_id_is_a_version_5_uuid():
    assert uuid.UUID(id_of(TARGET)).version == 5


def test_the_same_content_gives_the_same_id():
    assert id_of(TARGET) == id_of(dict(TARGET))


def test_the_order_of_the_fields_does_not_change_the_id():
    assert id_of(dict(reversed(list(TARGET.items())))) == id_of(TARGET)


def test_a_default_written_out_gives_the_same_id_as_a_default_left_out():
    assert id_of({**TARGET, "horizon": "by"}) == id_of(TARGET)


def test_a_year_written_as_text_or_as_a_number_gives_the_same_id():
    assert id_of({**TARGET, "deadline": "2030"}) == id_of(TARGET)


def test_an_amount_written_as_text_or_as_a_number_gives_the_same_id():
    valuation = {"kind": "valuation-updated", "brand": "alpine", "valued_on": 2023, "announced_on": "2023-06",
                 "source": SOURCE}

    assert (id_of({**valuation, "value": {"amount": "500000000", "currency": "EUR"}})
            == id_of({**valuation, "value": {"amount": 500000000, "currency": "EUR"}}))


def test_the_same_number_written_with_a_trailing_zero_decimal_gives_the_same_id():
    assert id_of({**TARGET, "value": 100000.0}) == id_of(TARGET)


@pytest.mark.parametrize("announced_on", ["2023", "2023-Q2", "2023-06-14", "2023-07"])
def test_a_different_announced_on_gives_a_different_id(announced_on):
    assert id_of({**TARGET, "announced_on": announced_on}) != id_of(TARGET)


@pytest.mark.parametrize("source", [
    {"title": "Another article"},
    {**SOURCE, "url": "https://example.com/alpine"},
    {**SOURCE, "speaker": "Luca de Meo"},
])
def test_a_different_source_gives_a_different_id(source):
    assert id_of({**TARGET, "source": source}) != id_of(TARGET)


@pytest.mark.parametrize(("field", "value"), [("value", 120000), ("deadline", 2031), ("comparator", "about"),
                                              ("scope", "US"), ("kpi", "annual-deliveries"), ("brand", "renault")])
def test_a_different_key_or_payload_gives_a_different_id(field, value):
    assert id_of({**TARGET, field: value}) != id_of(TARGET)


def test_a_different_kind_with_the_same_fields_gives_a_different_id():
    planned = {"brand": "alpine", "model": "A290", "announced_on": "2023-06", "source": SOURCE}

    assert (id_of({"kind": "model-planned", "planned_for": 2024, **planned})
            != id_of({"kind": "model-rescheduled", "planned_for": 2024, **planned}))


@given(note=st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]),
                    min_size=1, max_size=80).filter(str.strip))
def test_a_note_never_changes_the_id(note):
    assert id_of({**TARGET, "note": note}) == id_of(TARGET)


def test_the_same_retraction_twice_has_one_id():
    retraction = {"kind": "statement-retracted", "retracts": id_of(TARGET), "reason": "misread the article"}

    assert id_of(retraction) == id_of(dict(retraction))
    assert id_of({**retraction, "reason": "duplicate"}) != id_of(retraction)


def test_a_known_statement_keeps_its_id():
    """Ids are stored forever: the id of this statement was computed by uuid.uuid5 over json.dumps before the
    encoder and the uuid were built by hand (issue 13), and must never change."""
    assert id_of(TARGET) == _reference_id(TARGET) == "c244c595-8dcb-55b1-b05f-7f704e569680"


def _reference_id(record: dict) -> str:
    """The id as first defined: uuid.uuid5 of json.dumps(sort_keys=True, ensure_ascii=False) of the dump."""
    import json

    from stratlog.domain.statement import NAMESPACE
    content = RECORD_ADAPTER.validate_python(record).model_dump(mode="json", exclude_none=True, exclude={"note"})
    return str(uuid.uuid5(NAMESPACE, json.dumps(content, sort_keys=True, ensure_ascii=False)))


@given(title=st.text(min_size=1, max_size=40).filter(lambda t: t.strip() and "\x00" not in t),
       value=st.integers(0, 10**12))
def test_the_id_is_uuid5_of_the_canonical_json_for_any_text_and_number(title, value):
    record = {**TARGET, "value": value, "source": {"title": title}}
    try:
        RECORD_ADAPTER.validate_python(record)
    except ValueError:  # a title the statement refuses has no id
        return
    assert id_of(record) == _reference_id(record)


@given(st.text())
def test_uuid5_text_is_the_text_of_uuid5(name):
    from stratlog.domain.statement import NAMESPACE, uuid5_text
    try:
        expected = str(uuid.uuid5(NAMESPACE, name))
    except UnicodeEncodeError:  # a lone surrogate is no UTF-8: refused the same way
        with pytest.raises(UnicodeEncodeError):
            uuid5_text(name)
        return
    assert uuid5_text(name) == expected

"""Import files: formats, defaults, and refusals that name the position, the field and the value."""

from __future__ import annotations

import json

import pytest

from stratlog.domain.errors import InvalidInput
from stratlog.infrastructure.files import read_import
from tests.conftest import ALPINE, write

SOURCE = "source: {title: Test}"


def test_the_bundled_example_holds_every_statement_of_the_article():
    loaded = read_import(str(ALPINE))
    kinds = [r.KIND for r in loaded.records]
    assert len(kinds) == 18
    assert kinds.count("target-set") == 6 and kinds.count("model-planned") == 5
    assert {"valuation-updated", "ipo-considered", "market-entry-planned", "dealer-talks-started",
            "model-launched", "brand-registered"} <= set(kinds)


def test_defaults_are_merged_into_each_statement_and_a_statement_overrides_them(tmp_path):
    path = write(tmp_path, "f.yaml", f"""
defaults: {{announced_on: 2023-06, {SOURCE}}}
statements:
  - {{kind: brand-registered, brand: acme, name: Acme}}
  - {{kind: market-entered, brand: acme, market: US, entered_on: 2024, announced_on: 2024-02}}
""")
    records = read_import(path).records
    assert str(records[0].announced_on) == "2023-06" and records[0].source.title == "Test"
    assert str(records[1].announced_on) == "2024-02"


def test_a_bare_json_list_of_statements_is_accepted(tmp_path):
    path = write(tmp_path, "f.json", json.dumps([{"kind": "brand-registered", "brand": "acme", "name": "Acme"}]))
    assert [r.KIND for r in read_import(path).records] == ["brand-registered"]


@pytest.mark.parametrize("statement, expected", [
    ("{kind: target-set, brand: acme, kpi: annual-sales, value: 1, unit: cars, comparator: at-least, deadline: 2023-13}",
     "statement 1 (line 3), brand acme, target-set: deadline: '2023-13' is not a real date"),
    ("{kind: valuation-updated, brand: acme, value: {amount: -5, currency: EUR}}",
     "value.amount: should be greater than or equal to 0 (got -5)"),
    ("{kind: valuation-updated, brand: acme, value: {amount: 5, currency: XYZ}}",
     "currency 'XYZ' is not an ISO 4217 code"),
    ("{kind: model-exploded, brand: acme}", "kind: 'model-exploded' is not a statement kind"),
    ("{kind: market-entered, brand: acme, market: NO, entered_on: 2024}",
     "market: should be text (YAML reads an unquoted NO, yes, on or off as true/false: quote it, e.g. 'NO') (got false)"),
    ("{kind: model-planned, brand: acme, model: X, planned_for: 2025, colour: red}",
     "colour: is not a field of this kind"),
])
def test_a_bad_statement_is_refused_naming_its_position_field_and_value(tmp_path, statement, expected):
    path = write(tmp_path, "f.yaml", f"defaults: {{announced_on: 2023, {SOURCE}}}\nstatements:\n  - {statement}\n")
    with pytest.raises(InvalidInput) as refused:
        read_import(path)
    assert expected in str(refused.value)
    assert "f.yaml statement 1" in str(refused.value)


def test_statement_ids_outside_an_export_are_refused(tmp_path):
    path = write(tmp_path, "f.yaml", "- {kind: brand-registered, brand: acme, name: Acme, statement_id: abc}\n")
    with pytest.raises(InvalidInput, match="accepted only in the JSON Lines written by export"):
        read_import(path)


@pytest.mark.parametrize("content, expected", [
    ("statements: [ {kind: brand-registered", "is not valid YAML"),
    ("!!python/object/apply:os.system ['echo hacked']", "is not valid YAML"),
    ("[" * 5000 + "]" * 5000, "nested too deeply"),
    ("just a sentence", "expected a list of statements"),
    ("statements: []", "holds no statements"),
])
def test_broken_or_hostile_files_are_refused_cleanly(tmp_path, content, expected):
    with pytest.raises(InvalidInput, match=expected):
        read_import(write(tmp_path, "f.yaml", content))


def test_deeply_nested_json_objects_are_refused(tmp_path):
    path = write(tmp_path, "deep.json", '{"a":' * 100000 + "1" + "}" * 100000)
    with pytest.raises(InvalidInput, match="nested too deeply"):
        read_import(path)


def test_binary_junk_is_refused(tmp_path):
    path = tmp_path / "junk.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(InvalidInput, match="binary file"):
        read_import(str(path))


def test_an_unquoted_yaml_on_key_is_explained(tmp_path):
    path = write(tmp_path, "f.yaml", f"defaults: {{announced_on: 2024, {SOURCE}}}\nstatements:\n"
                 "  - {kind: model-cancelled, brand: acme, model: X, on: 2024-11}\n")
    with pytest.raises(InvalidInput, match=r"statement 1 \(line 3\), brand acme, model-cancelled: field name true is not text "
                                           r"\(YAML reads an unquoted on"):
        read_import(path)

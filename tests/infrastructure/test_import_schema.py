"""The import schema accepts what the importer accepts and refuses what it refuses; it ships with the examples."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from stratlog.domain.errors import StratlogError
from stratlog.infrastructure.files import read_import
from stratlog.infrastructure.import_schema import SHIPPED, import_schema, schema_text, shipped_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
MODELINE = f"# yaml-language-server: $schema=./{SHIPPED}"
SOURCE = '{title: "Press release"}'


class EditorYaml(yaml.SafeLoader):
    """YAML 1.1 as an editor set to yaml.yamlVersion 1.1 reads it: booleans as YAML 1.1, dates left as text."""


EditorYaml.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def schema_errors(text: str, loader: type = EditorYaml) -> list[str]:
    validator = jsonschema.Draft202012Validator(import_schema())
    return [error.message for error in validator.iter_errors(yaml.load(text, Loader=loader))]


def importer_accepts(text: str, tmp_path: Path) -> bool:
    path = tmp_path / "statements.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        read_import(str(path))
    except StratlogError:
        return False
    return True


def test_the_shipped_schema_is_the_one_the_models_give():
    assert shipped_text() == schema_text()


def test_the_schema_is_a_valid_draft_2020_12_schema_with_an_id_and_a_title():
    schema = import_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"].startswith("urn:stratlog:") and schema["title"] == "stratlog import file"
    assert 'yaml.yamlVersion to "1.1"' in schema["description"]


def test_every_field_of_every_statement_kind_has_a_description():
    definitions = import_schema()["$defs"]
    undescribed = [f"{name}.{field}" for name, definition in definitions.items()
                   for field, prop in definition.get("properties", {}).items() if not prop.get("description")]
    assert undescribed == []
    assert "Quote it" in definitions["MarketEntryPlanned"]["properties"]["market"]["description"]
    assert definitions["ModelPlanned"]["description"].startswith("A model announced for a date.")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_bundled_example_names_the_schema_and_is_valid_against_it(example):
    text = example.read_text(encoding="utf-8")
    assert text.splitlines()[0] == MODELINE
    assert (example.parent / SHIPPED).is_file()
    assert schema_errors(text) == []


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_bundled_example_is_valid_as_a_plain_yaml_safe_load_reads_it(example):
    """An outside checker (yaml.safe_load + jsonschema) reads an unquoted 2024-08-03 as a date, not text:
    the examples quote their full-day dates."""
    assert schema_errors(example.read_text(encoding="utf-8"), yaml.SafeLoader) == []


FULL_DAY = re.compile(r"""(["'])(\d{4}-\d{2}-\d{2})\1""")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_quoting_a_full_day_date_changes_no_statement_of_an_example(example, tmp_path):
    text = example.read_text(encoding="utf-8")
    unquoted = tmp_path / "unquoted.yaml"
    unquoted.write_text(FULL_DAY.sub(r"\2", text), encoding="utf-8")
    ids = [record.statement_id() for record in read_import(str(example)).records]
    assert [record.statement_id() for record in read_import(str(unquoted)).records] == ids and ids


STATEMENT = "statements:\n  - {kind: target-set, brand: alpine, kpi: annual-sales, comparator: at-least, " \
            "announced_on: 2023-06, source: " + SOURCE + ", %s}\n"
BOTH_ACCEPT = {
    "an unquoted year": "value: 100000, unit: vehicles, deadline: 2030",
    "a quoted half-year and a number with decimals": "value: 12.5, unit: percent, deadline: '2026-H1'",
    "a fiscal year and money": "value: {amount: 2000000000, currency: EUR}, deadline: FY2030",
    "a span": "value: 100000, unit: vehicles, deadline: 2025-04..2026-03",
    "an open deadline": "value: 100000, unit: vehicles, deadline: open",
}
BOTH_REFUSE = {
    "an unknown field": "value: 1, unit: vehicles, deadline: 2030, colour: red",
    "a five-digit year": "value: 1, unit: vehicles, deadline: 20300",
    "a brand that is not a slug": "value: 1, unit: vehicles, deadline: 2030, brand: Alpine Cars",
    "a currency that is not a code": "value: {amount: 5, currency: euros}, deadline: 2030",
    "a statement id outside an export": "value: 1, unit: vehicles, deadline: 2030, statement_id: abc",
}


@pytest.mark.parametrize("fields", BOTH_ACCEPT.values(), ids=list(BOTH_ACCEPT))
def test_the_schema_accepts_what_the_importer_accepts(fields, tmp_path):
    text = STATEMENT % fields
    assert importer_accepts(text, tmp_path)
    assert schema_errors(text) == []


@pytest.mark.parametrize("fields", BOTH_REFUSE.values(), ids=list(BOTH_REFUSE))
def test_the_schema_refuses_what_the_importer_refuses(fields, tmp_path):
    text = (STATEMENT % fields).replace("brand: alpine, ", "", 1) if "brand:" in fields else STATEMENT % fields
    assert not importer_accepts(text, tmp_path)
    assert schema_errors(text) != []


@pytest.mark.parametrize("statement", [
    "{kind: market-entry-planned, brand: alpine, market: NO}",  # Norway, read by YAML 1.1 as false
    "{kind: market-exited, brand: alpine, market: US, on: 2024}",  # the retired `on`, unquoted: a `true` key
])
def test_yaml_1_1_booleans_are_refused_by_both(statement, tmp_path):
    text = f"defaults: {{announced_on: 2024, source: {SOURCE}}}\nstatements:\n  - {statement}\n"
    assert not importer_accepts(text, tmp_path)
    assert schema_errors(text) != []


BRAND = "- {kind: brand-registered, brand: nordlys, name: Nordlys, fiscal_year_end: %s}\n"


@pytest.mark.parametrize("month", ["true", "yes", "on", "'3'", '"12"', "3.5", "13"])
def test_a_fiscal_year_end_that_is_not_a_whole_number_is_refused_by_both(month, tmp_path):
    """YAML 1.1 booleans (1 to a lax int) and quoted text are no month, to the importer as to the schema."""
    assert not importer_accepts(BRAND % month, tmp_path)
    assert schema_errors(BRAND % month) != []


@pytest.mark.parametrize("month", ["3", "12", "3.0"])
def test_a_fiscal_year_end_written_as_a_number_is_accepted_by_both(month, tmp_path):
    assert importer_accepts(BRAND % month, tmp_path)
    assert schema_errors(BRAND % month) == []


def test_a_quoted_on_of_an_old_file_is_accepted_by_both(tmp_path):
    text = f"- {{kind: market-exited, brand: alpine, market: US, 'on': 2024, announced_on: 2024, source: {SOURCE}}}\n"
    assert importer_accepts(text, tmp_path)
    assert schema_errors(text) == []


@pytest.mark.parametrize("capacity, accepted", [("150000", True), ("0", True), ("-5", False), ("-0.5", False)])
def test_a_plant_capacity_below_zero_is_refused_by_both(capacity, accepted, tmp_path):
    text = (f"- {{kind: plant-planned, brand: alpine, plant: Dieppe, capacity: {capacity}, announced_on: 2024, "
            f"source: {SOURCE}}}\n")
    assert importer_accepts(text, tmp_path) is accepted
    assert (schema_errors(text) == []) is accepted


def test_schema_out_writes_the_shipped_file(stratlog, tmp_path):
    assert stratlog("schema", "--out", "import.schema.json").code == 0
    assert (tmp_path / "import.schema.json").read_text(encoding="utf-8") == shipped_text()
    assert json.loads(stratlog("schema").out)["$id"] == import_schema()["$id"]

"""Import files are read exactly and strictly: no YAML timestamps or misread numbers, exact decimals,
no duplicate keys, and every refusal names the file, the statement, its line, brand and kind."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import yaml

from stratlog.domain.errors import InvalidInput
from stratlog.infrastructure.files import read_import
from stratlog.infrastructure.strict_yaml import StrictLoader

HEAD = "defaults: {announced_on: 2024-03, source: {title: T}}\nstatements:\n"
PLANNED = "  - {kind: model-planned, brand: acme, model: X, planned_for: PLANNED}\n"
TARGET = ("  - {kind: target-set, brand: acme, kpi: annual-sales, value: VALUE, unit: vehicles, comparator: at-least, "
          "deadline: 2030}\n")


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    """Files are named as the analyst gives them: relative to the current folder."""
    monkeypatch.chdir(tmp_path)


def write(tmp_path, name: str, text: str) -> str:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return name


def refusal(tmp_path, text: str, name: str = "f.yaml") -> str:
    with pytest.raises(InvalidInput) as refused:
        read_import(write(tmp_path, name, text))
    return str(refused.value)


def test_the_loader_is_the_safe_loader_with_the_c_parser_when_it_is_available():
    assert issubclass(StrictLoader, yaml.SafeLoader) or issubclass(StrictLoader, yaml.CSafeLoader)
    assert issubclass(StrictLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@pytest.mark.parametrize("field, written, fix", [
    ("planned_for", "2025-06-01 00:00:00", "2025-06-01"),
    ("planned_for", "2025-06-01T10:30:00Z", "2025-06-01"),
    ("announced_on", "2024-03-01 09:30:00", "2024-03-01"),
])
def test_an_unquoted_yaml_timestamp_in_a_date_field_is_refused_with_the_date_to_write(tmp_path, field, written, fix):
    statement = PLANNED.replace("PLANNED", "2025") .replace("}", f", {field}: {written}}}") if field != "planned_for" \
        else PLANNED.replace("PLANNED", written)
    message = refusal(tmp_path, HEAD + statement)
    assert f"f.yaml statement 1 (line 3), brand acme, model-planned: {field}: '{written}' is a date and time; " \
           f"write {fix}" in message


def test_an_unquoted_yaml_date_is_read_as_the_text_it_is(tmp_path):
    record = read_import(write(tmp_path, "f.yaml", HEAD + PLANNED.replace("PLANNED", "2025-06-01"))).records[0]
    assert str(record.planned_for) == "2025-06-01" and str(record.announced_on) == "2024-03"


@pytest.mark.parametrize("written, reading, fix", [
    ("010", "the octal number 8", "write 10"),
    ("0x4E20", "the hexadecimal number 20000", "write 20000"),
    ("0b101", "the binary number 5", "write 5"),
    ("1:30", "the base-60 number 90", "write 90"),
    ("09", "a number with a leading zero", "write 9"),
])
def test_a_number_yaml_would_misread_is_refused_with_the_number_to_write(tmp_path, written, reading, fix):
    message = refusal(tmp_path, HEAD + TARGET.replace("VALUE", written))
    assert (f"f.yaml statement 1 (line 3), brand acme, target-set: value: YAML reads {written} as {reading}; "
            f"{fix}, or quote it ('{written}') for text") in message


def test_a_misread_number_in_a_text_field_is_refused_too_and_quoting_it_keeps_the_text(tmp_path):
    assert "model: YAML reads 0x4E20 as the hexadecimal number 20000" in \
        refusal(tmp_path, HEAD + PLANNED.replace("model: X", "model: 0x4E20").replace("PLANNED", "2025"))
    quoted = HEAD + PLANNED.replace("model: X", "model: '0x4E20'").replace("PLANNED", "2025")
    assert read_import(write(tmp_path, "q.yaml", quoted)).records[0].model == "0x4E20"


@pytest.mark.parametrize("name, text", [
    ("f.yaml", HEAD + TARGET.replace("value: VALUE", "value: {amount: 123456789012345678.5, currency: EUR}")
     .replace(", unit: vehicles", "")),
    ("f.json", json.dumps({"statements": [{"kind": "target-set", "brand": "acme", "kpi": "revenue", "comparator": "at-least",
                                           "deadline": "2030", "announced_on": "2024-03", "source": {"title": "T"},
                                           "value": {"amount": "AMOUNT", "currency": "EUR"}}]})
     .replace('"AMOUNT"', "123456789012345678.5")),
])
def test_a_money_amount_is_read_exactly_never_through_a_float(tmp_path, name, text):
    record = read_import(write(tmp_path, name, text)).records[0]
    assert record.value.amount == Decimal("123456789012345678.5")


def test_a_decimal_number_in_yaml_is_a_decimal(tmp_path):
    record = read_import(write(tmp_path, "f.yaml", HEAD + TARGET.replace("VALUE", "0.1"))).records[0]
    assert record.value == Decimal("0.1") and str(record.value) == "0.1"


def test_a_yaml_key_written_twice_is_refused_naming_the_file_line_and_key(tmp_path):
    text = HEAD + PLANNED.replace("PLANNED", "2025") + "statements:\n  - {kind: brand-registered, brand: b, name: B}\n"
    assert refusal(tmp_path, text) == ("f.yaml line 4: the key 'statements' is written twice in one mapping "
                                       "(YAML would keep only the last)")
    inner = HEAD + "  - kind: model-planned\n    brand: acme\n    model: X\n    model: Y\n    planned_for: 2025\n"
    assert refusal(tmp_path, inner, "g.yaml").startswith("g.yaml line 6: the key 'model' is written twice")


def test_a_json_key_written_twice_is_refused_naming_the_statement_and_key(tmp_path):
    statement = '{"kind": "brand-registered", "brand": "acme", "name": "A", "name": "B"}'
    assert refusal(tmp_path, f'{{"statements": [{statement}, {statement}]}}', "f.json") == (
        "f.json statement 1: the key 'name' is written twice in one object\n"
        "f.json statement 2: the key 'name' is written twice in one object")
    top = '{"statements": [], "statements": [{"kind": "brand-registered", "brand": "acme", "name": "A"}]}'
    assert refusal(tmp_path, top, "g.json") == "g.json: the key 'statements' is written twice in one object"


def test_a_json_lines_key_written_twice_is_refused_naming_its_line(tmp_path):
    good = '{"kind": "brand-registered", "brand": "acme", "name": "A"}'
    text = "\n".join([good, "", '{"kind": "brand-registered", "brand": "b", "brand": "c", "name": "A"}']) + "\n"
    assert "f.jsonl statement 2 (line 3): the key 'brand' is written twice in one object" in \
        refusal(tmp_path, text, "f.jsonl")


def test_every_bad_statement_is_listed_up_to_twenty(tmp_path):
    text = HEAD + "".join(PLANNED.replace("PLANNED", f"2025-13-0{i % 9 + 1}") for i in range(25))
    lines = refusal(tmp_path, text).splitlines()
    assert lines[0] == "nothing was imported:" and len(lines) == 22
    assert lines[21] == "(checking stopped after 20 refused statements)"
    assert lines[1].startswith("f.yaml statement 1 (line 3), brand acme, model-planned: planned_for: '2025-13-01'")
    assert lines[20].startswith("f.yaml statement 20 (line 22), brand acme, model-planned: planned_for:")


def test_each_statement_knows_the_line_it_starts_on(tmp_path):
    text = HEAD + "  - {kind: brand-registered, brand: acme, name: Acme}\n\n  - kind: brand-registered\n    brand: b\n" \
                  "    name: B\n"
    assert list(read_import(write(tmp_path, "f.yaml", text)).lines) == [3, 5]
    jsonl = ('\n{"kind": "brand-registered", "brand": "acme", "name": "A"}\n'
             '\n{"kind": "brand-registered", "brand": "b", "name": "B"}\n')
    loaded = read_import(write(tmp_path, "f.jsonl", jsonl))
    assert list(loaded.lines) == [2, 4] and loaded.place(1) == "f.jsonl statement 2 (line 4), brand b, brand-registered"


@pytest.mark.parametrize("text, expected", [
    (HEAD + "  - {kind: \"\\e]0;pwned\\a\\e[2J\", brand: acme}\n",
     "kind: '\\x1b]0;pwned\\x07\\x1b[2J' is not a statement kind"),
    (HEAD + "  - {kind: brand-registered, brand: acme, name: A, \"\\e[31mcolour\": red}\n",
     "'\\x1b[31mcolour': is not a field of this kind"),
])
def test_escapes_in_a_kind_or_field_name_are_shown_escaped(tmp_path, text, expected):
    message = refusal(tmp_path, text)
    assert expected in message and "\x1b" not in message and "\x07" not in message


@pytest.mark.parametrize("field", ["kind", "name"])
def test_a_megabyte_kind_or_field_name_is_echoed_short(tmp_path, field):
    huge = "k" * 1_000_000
    statement = {"kind": huge, "brand": "acme"} if field == "kind" else \
        {"kind": "brand-registered", "brand": "acme", "name": "A", huge: 1}
    message = refusal(tmp_path, json.dumps([statement]), "f.json")
    assert len(message) < 1000 and "kkkk…'" in message


@pytest.mark.parametrize("text", ['{"a": 1.5, "b": [2e3, {"c": "x"}]}', b'{"a": 1.5}', '\ufeff{"a": 1}', '{"a": }',
                                  '{"a": 1, "a": 2}', '[{"b": 1}, {"b": 2, "b": 3}]', '"\\ud800"'])
def test_strict_json_reads_as_json_loads_with_its_options_would_call_after_call(text):
    """The strict reader keeps one decoder for every line; each line reads as a decoder of its own would read it."""
    from stratlog.infrastructure import strict_json

    def outcome(read):
        try:
            return read(text)
        except ValueError as error:
            return type(error).__name__, str(error)

    fresh = outcome(lambda t: json.loads(t, parse_float=Decimal, object_pairs_hook=strict_json._unique))
    assert outcome(strict_json.loads) == fresh == outcome(strict_json.loads)

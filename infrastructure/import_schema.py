"""The JSON Schema of the import file, built from the statement models, for editors and validators.

It ships in the package beside the bundled examples (`stratlog/examples/stratlog-import.schema.json`,
which their `yaml-language-server` modelines name); `python -m stratlog.infrastructure.import_schema`
writes that file again, and a test fails when it differs from what the models give.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from stratlog.domain.dates import FORMATS, SCHEMA_PATTERN
from stratlog.domain.field_notes import OLD_ON, YAML_BOOLEANS, field_note

SCHEMA_ID = "urn:stratlog:import-file:r2"  # a name, not an address: editors load the shipped file by path
SHIPPED = "stratlog-import.schema.json"
EXAMPLES = "stratlog.examples"
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
REGION = r"^[A-Za-z]{2,3}$"
PATTERNS = {"brand": SLUG, "kpi": SLUG, "market": REGION, "country": REGION, "currency": r"^[A-Z]{3}$"}
PARTIAL_DATE = {"description": f"A partial date: {FORMATS}.", "anyOf": [
    {"type": "string", "pattern": SCHEMA_PATTERN}, {"type": "integer", "minimum": 1000, "maximum": 9999}]}
DESCRIPTION = (
    "A stratlog import file: a list of statements, or a mapping with `statements` and optional `defaults` "
    "(merged into every statement that takes those fields). The importer reads YAML 1.1 (set "
    "yaml.yamlVersion to \"1.1\" in VS Code): unquoted " + YAML_BOOLEANS + " are booleans there, so quote "
    "codes such as 'NO' (Norway) and never name a field `on` unquoted. Dates are partial dates, written "
    "unquoted or quoted: 2030, 2026-H1, 2025-Q3, 2023-06, 2023-06-14, 2025-04..2026-03, FY2026; a date and "
    "time (2025-06-01 00:00:00) is refused. Quote a full day ('2023-06-14') for other checkers: their YAML "
    "reads it unquoted as a date, which this schema's text patterns refuse (stratlog reads both alike). "
    "Numbers are exact (1e5 = 100000); money is {amount, currency}.")


def import_schema() -> dict:
    """The JSON Schema (draft 2020-12) of an import file, as a dict; every field has a description."""
    from stratlog.domain.catalogue import BY_KIND, RECORD_ADAPTER
    statement = RECORD_ADAPTER.json_schema()
    definitions = statement.pop("$defs", {})
    for definition in definitions.values():
        _describe(definition, BY_KIND.get(_kind_of(definition)))
        _bounds_as_keywords(definition)
    statement["description"] = "One statement or fix; its `kind` decides which fields it takes."
    statements = {"type": "array", "description": "The statements, in any order (they are applied in announced order).",
                  "items": {"$ref": "#/$defs/Statement"}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "stratlog import file",
        "description": DESCRIPTION,
        "oneOf": [
            statements,
            {"type": "object", "additionalProperties": False, "required": ["statements"], "properties": {
                "defaults": _defaults(), "statements": statements}},
        ],
        "$defs": {**definitions, "Statement": statement, "PartialDate": PARTIAL_DATE},
    }


BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}


def _bounds_as_keywords(node: object, in_properties: bool = False) -> None:
    """Bounds pydantic could not place on a number type (a number that may also be written as text)
    are left as `ge`/`le`, which no checker reads: write them as JSON Schema's own keywords, which
    apply to numbers and leave text alone (the importer reads text numbers and checks them too)."""
    if isinstance(node, list):
        for item in node:
            _bounds_as_keywords(item)
    elif isinstance(node, dict):
        for key, value in list(node.items()):
            if not in_properties and key in BOUNDS and isinstance(value, (int, float)):
                node[BOUNDS[key]] = node.pop(key)
            else:
                _bounds_as_keywords(value, in_properties=key == "properties" and not in_properties)


def schema_text() -> str:
    """The schema as the shipped file holds it: indented JSON, UTF-8 text, a final newline."""
    return json.dumps(import_schema(), indent=2, ensure_ascii=False) + "\n"


def shipped_text() -> str:
    """The schema file shipped in the package."""
    return (resources.files(EXAMPLES) / SHIPPED).read_text(encoding="utf-8")


def _kind_of(definition: dict) -> str | None:
    return definition.get("properties", {}).get("kind", {}).get("const")


def _describe(definition: dict, cls: type | None) -> None:
    """Give every property its description and the constraints the models check in code."""
    properties = definition.get("properties", {})
    for name, prop in properties.items():
        own = prop.get("description") or _inner_description(prop)
        prop["description"] = field_note(name, own, in_files=True) or prop.get("title", name)
        if name in PATTERNS:
            _add_pattern(prop, PATTERNS[name])
        if name == "deadline":
            _open_or_partial_date(prop)
    if "markets" in properties:
        _add_pattern(properties["markets"], REGION, items=True)
    if cls is not None:
        definition["required"] = sorted({*definition.get("required", ()), "kind"})
        if getattr(cls, "OLD_ON", False):
            properties["on"] = {**properties[cls.EFFECTIVE[0]], "deprecated": True, "title": "On (retired)",
                                "description": f"{OLD_ON} (now {cls.EFFECTIVE[0]})"}


def _inner_description(prop: dict) -> str | None:
    """A description pydantic put on one branch of `X | None`."""
    return next((branch["description"] for branch in prop.get("anyOf", ()) if "description" in branch), None)


def _add_pattern(prop: dict, pattern: str, items: bool = False) -> None:
    """Put a pattern on the string branch of a property (or of its array's items)."""
    branches = prop.get("anyOf", [prop])
    for branch in branches:
        target = branch.get("items") if items else branch
        if isinstance(target, dict) and target.get("type") == "string":
            target["pattern"] = pattern


def _open_or_partial_date(prop: dict) -> None:
    """A target's deadline is a partial date or `open` (the models check it in code, the schema here)."""
    for branch in prop.get("anyOf", [prop]):
        if branch.get("type") == "string" and "pattern" not in branch:
            branch["pattern"] = "^open$|" + SCHEMA_PATTERN
        if branch.get("type") == "integer":
            branch.update(minimum=1000, maximum=9999)


def _defaults() -> dict:
    return {"type": ["object", "null"], "additionalProperties": True,
            "description": "Fields merged into every statement that takes them (a statement's own fields win): "
                           "usually announced_on and source.",
            "properties": {"announced_on": {"$ref": "#/$defs/PartialDate", "description": field_note("announced_on")},
                           "source": {"$ref": "#/$defs/Source", "description": field_note("source")}}}


def write_shipped(path: Path | None = None) -> Path:
    """Write the schema file shipped in the package (examples/); returns its path."""
    target = path or Path(__file__).resolve().parent.parent / "examples" / SHIPPED
    target.write_text(schema_text(), encoding="utf-8")
    return target


if __name__ == "__main__":
    print(write_shipped())

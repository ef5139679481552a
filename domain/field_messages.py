"""Readable messages for invalid input: the field, the problem and the value as the user wrote it (DESIGN §9:
every field error names the field and the value); one wording for record, import and correct alike."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from stratlog.domain.catalogue import KINDS
from stratlog.domain.quoting import name_of, quoted

MAX_SHOWN = 10
MONEY = "money such as {amount: 500000000, currency: EUR}"
SHAPES = {"bool": "true/false", "decimal": "a number", "Money": MONEY, "str": "text", "int": "a whole number",
          "Source": "a source such as {title: …, url: …}", "list": "a list", "dict": "a mapping"}
_MESSAGES = {
    "missing": "is required", "extra_forbidden": "is not a field of this kind", "bool_type": "should be true or false",
    "bool_parsing": "should be true or false", "decimal_type": "should be a number", "decimal_parsing": "should be a number",
    "string_type": "should be text", "list_type": "should be a list", "dict_type": "should be a mapping",
    "int_type": "should be a whole number", "int_parsing": "should be a whole number",
    "string_pattern_mismatch": "is not in the expected form", "finite_number": "should be a finite number",
}
_YAML_BOOLEAN = " (YAML reads an unquoted NO, yes, on or off as true/false: quote it, e.g. 'NO')"


def _is_tag(part: Any) -> bool:
    """A part of an error location that names a validator or a union member, not a field."""
    return isinstance(part, str) and (part in KINDS or part in SHAPES or "[" in part or "(" in part)


def _split(item: dict) -> tuple[tuple, str | None]:
    """The field path of an error (indices and keys as written) and the union member it came from."""
    path, member = [], None
    for part in item["loc"]:
        if _is_tag(part) and not (item["type"] == "extra_forbidden" and part is item["loc"][-1]):
            if part not in KINDS:
                member = next((shape for shape in SHAPES if shape in str(part)), str(part))
            continue
        path.append(part)
    return tuple(path), member


def _is_shape(item: dict) -> bool:
    return item["type"].endswith(("_type", "_parsing"))


def field_errors(error: ValidationError) -> list[str]:
    """One line per field error: "deadline: '2023-13' is not a real date"."""
    items = error.errors(include_url=False)
    split = [(*_split(item), item) for item in items]
    unions: dict[tuple, list] = {}
    for path, member, item in split:
        if member is not None:
            unions.setdefault(path, []).append((member, item))
    lines, done = [], set()
    for path, member, item in split:
        if member is not None and _is_shape(item) and path in unions:
            if path not in done and not _has_better(path, split):
                done.add(path)
                lines.append(_union_line(path, unions[path], item["input"]))
            continue
        lines.append(_line(path, item))
    return list(dict.fromkeys(lines))


def _has_better(path: tuple, split: list) -> bool:
    """A union failed on type for some members but one member took the input and found a real problem."""
    return any(p[: len(path)] == path and member is not None and not _is_shape(item) for p, member, item in split)


def _union_line(path: tuple, members: list, value: Any) -> str:
    expected = list(dict.fromkeys(SHAPES.get(member, "another form") for member, _ in members))
    order = [SHAPES["decimal"], MONEY, SHAPES["bool"]]
    expected.sort(key=lambda shape: order.index(shape) if shape in order else len(order))
    wanted = ", ".join(expected[:-1]) + f" or {expected[-1]}" if len(expected) > 1 else expected[0]
    return f"{_field(path)}: should be {wanted} (got {quoted(value)})"


def _line(path: tuple, item: dict) -> str:
    kind = item["type"]
    if kind == "union_tag_invalid":
        given = item["input"].get("kind") if isinstance(item["input"], dict) else item["input"]
        return f"kind: {quoted(given)} is not a statement kind (one of: {', '.join(KINDS)})"
    if kind == "union_tag_not_found":
        return "kind: missing (every statement needs a kind, e.g. model-planned)"
    message, value = _message(item), item["input"]
    shown = quoted(value)
    if kind in ("missing", "extra_forbidden") or (not path and not _is_shape(item)) or \
            (shown in message if isinstance(value, str) else message.startswith(shown)):
        return f"{_field(path)}: {message}"
    return f"{_field(path)}: {message} (got {shown})"


def _message(item: dict) -> str:
    kind = item["type"]
    if kind in ("model_type", "model_attributes_type"):
        shape = SHAPES.get((item.get("ctx") or {}).get("class_name", ""), "a mapping")
        return f"should be {shape}"
    message = _MESSAGES.get(kind) or item["msg"].removeprefix("Value error, ").removeprefix("Input ")
    if kind == "string_type" and isinstance(item["input"], bool):
        message += _YAML_BOOLEAN
    return message


def _field(path: tuple) -> str:
    return ".".join(name_of(part) if isinstance(part, str) else str(part) for part in path) or "statement"


def describe(error: ValidationError, where: str = "") -> str:
    """The field errors of one statement or option, after where it was written."""
    lines = field_errors(error)
    head = f"{where}: " if where else ""
    more = f"\n  … and {len(lines) - MAX_SHOWN} more" if len(lines) > MAX_SHOWN else ""
    return head + ("; ".join(lines[:MAX_SHOWN]) if len(lines) == 1 else "\n  " + "\n  ".join(lines[:MAX_SHOWN])) + more

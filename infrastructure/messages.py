"""Readable messages for invalid input: the field, the problem and the value given."""

from __future__ import annotations

import reprlib

from pydantic import ValidationError

from stratlog.domain.catalogue import KINDS

MAX_SHOWN = 10


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict, _REPR.maxstring, _REPR.maxother, _REPR.maxlong = 3, 6, 6, 70, 70, 40


def _value(value: object) -> str:
    """A short picture of a value, however large or deeply shared the value is."""
    text = _REPR.repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def field_errors(error: ValidationError) -> list[str]:
    """One line per field error: 'deadline: '2023-13' is not a real date'."""
    lines = []
    for item in error.errors():
        loc = [str(p) for p in item["loc"] if str(p) not in KINDS and not str(p).startswith("function-")]
        field = ".".join(loc) or "statement"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "union_tag_invalid":
            lines.append(f"kind: {_value(item['input'].get('kind'))} is not a statement kind "
                         f"(one of: {', '.join(KINDS)})")
            continue
        if item["type"] == "union_tag_not_found":
            lines.append("kind: missing (every statement needs a kind, e.g. model-planned)")
            continue
        if item["type"] == "string_type" and isinstance(item["input"], bool):
            message += " (YAML reads an unquoted NO, yes, on or off as true/false: quote it, e.g. 'NO')"
        shown = "" if item["type"] in ("missing", "extra_forbidden") or _value(item["input"]) in message else \
            f" (got {_value(item['input'])})"
        if item["type"] == "extra_forbidden":
            message = "is not a field of this kind"
        lines.append(f"{field}: {message}{shown}")
    return lines


def describe(error: ValidationError, where: str = "") -> str:
    lines = field_errors(error)
    head = f"{where}: " if where else ""
    more = f"\n  … and {len(lines) - MAX_SHOWN} more" if len(lines) > MAX_SHOWN else ""
    return head + ("; ".join(lines[:MAX_SHOWN]) if len(lines) == 1 else "\n  " + "\n  ".join(lines[:MAX_SHOWN])) + more

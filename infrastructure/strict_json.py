"""JSON as an import file means it: numbers exact (Decimal, never a float), a key written twice refused."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


class DuplicateKey(ValueError):
    """Raised when a JSON object holds the same key twice (a parser would silently keep the last)."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


class _Repeated(dict):
    """An object read with a key written twice, marked so that a second reading can find where."""

    repeated: str


def _unique(pairs: list[tuple[str, Any]]) -> dict:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        raise DuplicateKey(_first_repeated(pairs))
    return mapping


def _marked(pairs: list[tuple[str, Any]]) -> dict:
    mapping = _Repeated(pairs)
    if len(mapping) != len(pairs):
        mapping.repeated = _first_repeated(pairs)
    return mapping


def _first_repeated(pairs: list[tuple[str, Any]]) -> str:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            return key
        seen.add(key)
    return ""


# One decoder for every call: json.loads with options builds a new decoder (and its scanner) each time,
# which costs as much as parsing a statement's line.
_DECODER = json.JSONDecoder(parse_float=Decimal, object_pairs_hook=_unique)


def loads(text: str | bytes) -> Any:
    """Parse JSON with exact numbers; DuplicateKey for an object with a key written twice."""
    if isinstance(text, (bytes, bytearray)):
        text = text.decode(json.detect_encoding(text), "surrogatepass")  # as json.loads reads bytes
    elif text.startswith("\ufeff"):  # as json.loads refuses text that starts with a byte order mark
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    return _DECODER.decode(text)


def repeated_in(text: str) -> list[tuple[int | None, str]]:
    """Where a document's repeated keys are: (statement position or None for the top level, key)."""
    document = json.loads(text, parse_float=Decimal, object_pairs_hook=_marked)
    found = [(None, document.repeated)] if hasattr(document, "repeated") else []
    statements = document.get("statements") if isinstance(document, dict) else document
    for position, item in enumerate(statements if isinstance(statements, list) else [], 1):
        found += [(position, key) for key in _repeated_keys(item)]
    return found


def _repeated_keys(value: Any) -> list[str]:
    if isinstance(value, list):
        return [key for item in value for key in _repeated_keys(item)]
    if not isinstance(value, dict):
        return []
    own = [value.repeated] if hasattr(value, "repeated") else []
    return own + [key for item in value.values() for key in _repeated_keys(item)]

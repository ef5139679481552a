"""How a value the user gave is echoed in a message: as written, short, and unable to drive a terminal."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

LIMIT = 200
MAX_ITEMS = 6
MAX_DEPTH = 3
MESSAGE_LINE_LIMIT = 2000
MESSAGE_MAX_LINES = 60

# C0 controls but newline and tab, DEL, C1 controls (CSI, OSC…), and the bidi controls that reorder a line.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,60}$")


def escaped(text: str) -> str:
    """Control, escape and bidi characters written as `\\x1b` or `\\u202e`; newlines and tabs kept."""
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shortened(text: str, limit: int = LIMIT) -> str:
    """`text` cut to at most `limit` characters, ending in `…` when it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(value: Any, limit: int = LIMIT) -> str:
    """A value as the user wrote it, in at most `limit` characters: text in quotes, escaped;
    numbers, dates and money in their written form; never a Python repr."""
    return shortened(_shown(value, MAX_DEPTH, limit), limit)


def name_of(key: Any) -> str:
    """A field name or kind as echoed in a message: bare when it is a plain name, else quoted."""
    if isinstance(key, str) and _PLAIN_KEY.match(key):
        return key
    return quoted(key, 80)


def _shown(value: Any, depth: int, limit: int) -> str:
    if isinstance(value, str):
        return _text(value, limit)
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, (int, float, Decimal)):
        return shortened(_number(value), limit)
    if isinstance(value, (date, datetime)):
        return str(value)
    if hasattr(value, "amount") and hasattr(value, "currency"):
        return f"{_number(value.amount)} {_text(str(value.currency), 20)}"
    if hasattr(value, "model_dump"):  # a validated value object: its fields, as a file would hold them
        value = value.model_dump(mode="python", exclude_none=True)
    if isinstance(value, dict):
        return _container("{", "}", [f"{name_of(k)}: {_shown(v, depth - 1, limit)}" for k, v in
                                      _first(value.items())], len(value), depth)
    if isinstance(value, (list, tuple, set, frozenset)):
        return _container("[", "]", [_shown(v, depth - 1, limit) for v in _first(value)], len(value), depth)
    if isinstance(value, (bytes, bytearray)):
        return f"binary data ({len(value)} bytes)"
    return escaped(shortened(str(value), limit))


def _text(value: str, limit: int) -> str:
    cut = value[: limit + 1]
    text = "'" + escaped(cut.replace("\\", "\\\\").replace("'", "\\'")).replace("\n", "\\n").replace("\t", "\\t") + "'"
    return text if len(cut) <= limit and len(text) <= limit else text[: limit - 2] + "…'"


def _number(value: int | float | Decimal) -> str:
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int) and value.bit_length() > 200:
        return f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
    return str(value)


def _first(items: Any) -> list:
    return [item for _, item in zip(range(MAX_ITEMS), items)]


def _container(opening: str, closing: str, parts: list[str], size: int, depth: int) -> str:
    if depth <= 0:
        return f"{opening}…{closing}"
    more = ", …" if size > len(parts) else ""
    return opening + ", ".join(parts) + more + closing


def safe_message(text: str, line_limit: int = MESSAGE_LINE_LIMIT) -> str:
    """A whole message made safe to print: escaped (newlines kept), each line and the line count bounded."""
    lines = text.split("\n")
    shown = [shortened(escaped(line[: line_limit + 1]), line_limit) for line in lines[:MESSAGE_MAX_LINES]]
    if len(lines) > MESSAGE_MAX_LINES:
        shown.append(f"… and {len(lines) - MESSAGE_MAX_LINES} more lines")
    return "\n".join(shown)

"""How rm_statements keeps a statement id (and the id a fix names) and its kind: 16 bytes, not the
36-character text, and a small number, not the kebab-case name.

A statement id is a canonical UUID text ("df97278c-48e5-50cf-838e-6caf9410da1f", lowercase, dashed); the
read model stores its 16 bytes, which sort like the text, so a lookup by a prefix of the text is a range
scan between the prefix's lowest and highest 16-byte values. A text that is not a canonical id (or not a
prefix of one) is never turned into bytes: it matches no stored id, exactly as it matched no stored text.
The views show the text again with ID_TEXT (plain SQL, so any SQLite client reads them).

A kind is stored as its number in KINDS (never renumbered: a new kind is added at the end); the views
show its name again with KIND_TEXT. A kind this code does not know is stored as its name.
"""

from __future__ import annotations

import re

_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
_TEMPLATE = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"  # where a canonical id has its dashes
_HEX = frozenset("0123456789abcdef")

# The canonical text of a stored 16-byte id (column or expression `{0}`), in SQL; NULL stays NULL.
ID_TEXT = ("lower(substr(hex({0}), 1, 8) || '-' || substr(hex({0}), 9, 4) || '-' || substr(hex({0}), 13, 4) "
           "|| '-' || substr(hex({0}), 17, 4) || '-' || substr(hex({0}), 21))")


def stored_id(text: str | None) -> bytes | str | None:
    """What rm_statements holds for a statement id: its 16 bytes when `text` is a canonical id; any
    other text is returned as it is (a text never equals a stored blob, so it finds nothing)."""
    if type(text) is str and _CANONICAL.match(text):
        return bytes.fromhex(text.replace("-", ""))
    return text


def id_text(stored: bytes | None) -> str | None:
    """The canonical text of a stored id (inverse of stored_id); None stays None."""
    if stored is None:
        return None
    text = stored.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def prefix_range(prefix: str) -> tuple[bytes, bytes] | None:
    """The lowest and highest stored ids whose text starts with `prefix` (either bound included), or
    None when no canonical id starts with it (an upper-case letter, a misplaced dash, too long).
    An odd number of hex digits is completed with 0 for the low bound and f for the high one."""
    if len(prefix) > len(_TEMPLATE):
        return None
    for char, place in zip(prefix, _TEMPLATE):
        if (char != "-") if place == "-" else (char not in _HEX):
            return None
    digits = prefix.replace("-", "")
    return bytes.fromhex(digits.ljust(32, "0")), bytes.fromhex(digits.ljust(32, "f"))


# Every statement kind, numbered from 1 in this order (append only: the numbers are stored).
KINDS = (
    "brand-registered", "valuation-updated", "ipo-considered", "target-set", "target-revised", "target-reaffirmed",
    "target-withdrawn", "guidance-withdrawn", "actual-reported", "model-planned", "model-revealed", "model-launched",
    "model-rescheduled", "model-renamed", "model-cancelled", "model-discontinued", "market-entry-planned",
    "market-entered", "market-entry-postponed", "market-entry-cancelled", "market-exited", "dealer-talks-started",
    "dealer-agreement-signed", "dealer-talks-ended", "dealer-agreement-terminated", "plant-planned", "plant-opened",
    "plant-capacity-changed", "plant-postponed", "plant-cancelled", "plant-closed", "statement-corrected",
    "statement-retracted",
)
KIND_CODES = {kind: number for number, kind in enumerate(KINDS, 1)}
_KIND_NAMES = dict(enumerate(KINDS, 1))

# The name of a stored kind (column or expression `{0}`), in SQL.
KIND_TEXT = ("CASE {0} " + " ".join(f"WHEN {number} THEN '{kind}'" for kind, number in KIND_CODES.items())
             + " ELSE {0} END")


def kind_code(kind: str) -> int | str:
    """What rm_statements holds for a kind: its number, or its name when this code does not know it."""
    return KIND_CODES.get(kind, kind)


def kind_name(stored: int | str) -> str:
    """The kind's name (inverse of kind_code)."""
    return _KIND_NAMES.get(stored, stored)

"""How rm_statements keeps a statement id (and the id a fix names): 16 bytes, not the 36-character text.

A statement id is a canonical UUID text ("df97278c-48e5-50cf-838e-6caf9410da1f", lowercase, dashed); the
read model stores its 16 bytes, which sort like the text, so a lookup by a prefix of the text is a range
scan between the prefix's lowest and highest 16-byte values. A text that is not a canonical id (or not a
prefix of one) is never turned into bytes: it matches no stored id, exactly as it matched no stored text.
The views show the text again with ID_TEXT (plain SQL, so any SQLite client reads them).
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

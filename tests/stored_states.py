"""Stored event states as tests read and tamper with them: the JSON text a state holds, and the bytes
that text is stored as (infrastructure.stored_state, the one codec of `stored_events.state`)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from stratlog.infrastructure.stored_state import add_sql_function, pack, unpack


def state_text(state: bytes | memoryview) -> bytes:
    """The JSON text of a stored state (packed or plain)."""
    return unpack(bytes(state))


def state_data(state: bytes | memoryview) -> Any:
    """The JSON value a stored state holds."""
    return json.loads(state_text(state))


def stored(value: Any) -> bytes:
    """The bytes stratlog stores for a JSON value (a dict, or JSON text as bytes)."""
    return pack(value if isinstance(value, bytes) else json.dumps(value, separators=(",", ":")).encode())


def with_state_function(conn: sqlite3.Connection) -> sqlite3.Connection:
    """`conn`, able to read the `statements` view (its SQL function stratlog_state added)."""
    add_sql_function(conn)
    return conn

"""The latest recorded_at of an event log, read from stored states without decoding whole events."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Iterable

from stratlog.infrastructure.stored_state import UndecodableState, unpack

HIGH_WATER_KEY = "latest_recorded_at"  # stratlog_meta: the latest recorded_at the log holds
# The top-level key comes before the statement in every stored state; a statement never holds one
# (recorded_at cannot be corrected, and quoted text in a title escapes its quotes).
_RECORDED_AT = re.compile(rb'"recorded_at"\s*:\s*"([^"]+)"')
_TIMESTAMP = re.compile(rb'"timestamp"\s*:\s*"([^"]+)"')  # version 1 events: the timestamp was the instant


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant as stored (a trailing Z, or none = UTC)."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def recorded_at_of(state: bytes) -> datetime | None:
    """The recorded_at a stored event's state holds (None when it holds none that reads as an instant)."""
    try:
        state = unpack(state)
    except UndecodableState:
        return None
    found = _RECORDED_AT.search(state) or _TIMESTAMP.search(state)
    if found is None:
        return None
    try:
        return parse_instant(found.group(1).decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None


def latest_of(states: Iterable[bytes], floor: datetime | None = None) -> datetime | None:
    """The latest recorded_at among stored states (and `floor`)."""
    latest = floor
    for state in states:
        moment = recorded_at_of(bytes(state))
        if moment is not None and (latest is None or moment > latest):
            latest = moment
    return latest

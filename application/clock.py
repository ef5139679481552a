"""The recorded_at clock: one UTC instant per command."""

from __future__ import annotations

from datetime import datetime, timezone


def now() -> datetime:
    """The clock's instant, in UTC."""
    return datetime.now(timezone.utc)

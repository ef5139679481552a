"""The recorded_at clock: one UTC instant per command, and its sortable text form."""

from __future__ import annotations

from datetime import datetime, timezone


def now() -> datetime:
    return datetime.now(timezone.utc)


def instant_text(moment: datetime) -> str:
    """A fixed-width UTC text that sorts like the instant: 2024-01-31T09:15:00.000000Z."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

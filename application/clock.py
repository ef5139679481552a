"""The recorded_at clock: one UTC instant per command."""

from __future__ import annotations

from datetime import datetime, timezone

from stratlog.domain.dates import instant_text

__all__ = ["now", "instant_text"]


def now() -> datetime:
    return datetime.now(timezone.utc)

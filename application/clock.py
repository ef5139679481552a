"""The recorded_at clock: one UTC instant per command, never earlier than what the log already holds."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable

from stratlog.domain.dates import instant_text
from stratlog.domain.errors import RuleViolation

__all__ = ["Clock", "system_clock", "now", "recording_instant", "require_after_latest", "instant_text",
           "RestoredBeforeLatest", "TICK"]

Clock = Callable[[], datetime]  # the source of a writer's clock readings (injected in tests)
TICK = timedelta(microseconds=1)  # the resolution of recorded_at: how far a command steps past the latest


class RestoredBeforeLatest(RuleViolation):
    """Raised when a restore would add a statement recorded no later than the latest one already in the log."""


def system_clock() -> datetime:
    """This machine's clock, in UTC."""
    return datetime.now(timezone.utc)


def now() -> datetime:
    """This machine's clock now (for what is not a recording instant: queries' default --known-at)."""
    return system_clock()


def recording_instant(latest: datetime | None, reading: datetime) -> datetime:
    """The recorded_at of a new command: the clock `reading`, or one tick after `latest` when the clock is
    not later than it (a clock that stepped back, or another writer's clock ahead of ours).

    `latest` is the latest recorded_at in the log, read under the write lock the command holds until it
    commits; in team mode `reading` is the server's clock.
    """
    reading = reading.astimezone(timezone.utc)
    if latest is None or reading > latest:
        return reading
    return latest.astimezone(timezone.utc) + TICK


def require_after_latest(restored: Iterable[tuple[str, datetime]], latest: datetime | None) -> None:
    """A restore appends history: each statement it adds must have been recorded after the latest in the log.

    `restored` are (statement_id, recorded_at) of the statements a restore adds (not those already there).
    """
    if latest is None:
        return
    for statement_id, recorded_at in restored:
        if recorded_at <= latest:
            raise RestoredBeforeLatest(
                f"recorded_at: statement {statement_id} was recorded at {instant_text(recorded_at)}, not after the "
                f"latest statement of this database ({instant_text(latest)}); a restore only appends history after "
                f"what is there: restore into a new database, or one whose statements were all recorded earlier")

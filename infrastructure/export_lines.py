"""The JSON Lines of export: the trailer that closes it and the checks that make a restore trustworthy."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Iterator
from uuid import UUID

from stratlog.application.clock import now
from stratlog.domain.errors import InvalidInput

RESTORE_FIELDS = ("statement_id", "recorded_at")
TRAILER_KEY = "stratlog_export"


def trailer(count: int) -> dict:
    """The last line of every export: how many statement lines come before it (no `kind`: never a statement)."""
    return {TRAILER_KEY: {"statements": count}}


def is_restore_line(item: Any) -> bool:
    """A line that carries the identity or clock of an exported statement."""
    return isinstance(item, dict) and any(field in item for field in RESTORE_FIELDS)


def checked_trailer(items: Iterable[tuple[int, int | None, Any]], name: str) -> Iterator[tuple[int, int | None, Any]]:
    """The statement lines of a JSON Lines file; a restore must end with a trailer that counts them.

    Raises InvalidInput (after the last line) when a restore's trailer is missing or its count is
    wrong: the export was cut short, and importing the rest would silently lose statements.
    """
    count, restoring, declared = 0, False, None
    for position, line, item in items:
        where = f"line {line}"
        if declared is not None:
            raise InvalidInput(f"{name} {where}: comes after the export's trailer line (two exports joined "
                               f"into one file? import each file on its own)")
        if isinstance(item, dict) and TRAILER_KEY in item:
            declared = _declared_count(item, f"{name} {where}")
            continue
        count, restoring = count + 1, restoring or is_restore_line(item)
        yield position, line, item
    if declared is None and restoring:
        raise InvalidInput(f"{name}: is a truncated export: its last line is not the trailer "
                           f'{{"{TRAILER_KEY}": {{"statements": N}}}} that ends every export (the export was '
                           f"interrupted or the file cut short); nothing was imported: export again (an export "
                           f"written before trailers existed: once sure it is whole, append that line with "
                           f"N = {count})")
    if declared is not None and declared != count:
        raise InvalidInput(f"{name}: is a truncated export: its trailer counts {declared} statements but the file "
                           f"holds {count}; nothing was imported: export again")


def _declared_count(item: dict, where: str) -> int:
    body = item[TRAILER_KEY]
    count = body.get("statements") if isinstance(body, dict) and len(item) == 1 and len(body) == 1 else None
    if type(count) is not int or count < 0:
        raise InvalidInput(f"{where}: is not a valid export trailer (expected "
                           f'{{"{TRAILER_KEY}": {{"statements": N}}}} with N a whole number)')
    return count


def restored_id(value: Any) -> str:
    """A restore line's statement_id, as a canonical UUID text."""
    try:
        return str(UUID(str(value)))
    except ValueError:
        raise InvalidInput(f"statement_id: {_short(value)} is not a statement id (a UUID)") from None


CLOCK_SKEW = timedelta(days=1)  # how far ahead of this machine's clock a restored instant may be


def restored_instant(value: Any) -> datetime:
    """A restore line's recorded_at in UTC: an ISO instant with an offset, in the calendar, not in the future."""
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"recorded_at: {_short(value)} is not an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        raise InvalidInput(f"recorded_at: {_short(value)} has no UTC offset")
    try:
        moment = moment.astimezone(timezone.utc)
    except OverflowError:
        raise InvalidInput(f"recorded_at: {_short(value)} is outside the calendar once converted to UTC") from None
    if moment > now() + CLOCK_SKEW:
        raise InvalidInput(f"recorded_at: {_short(value)} is later than now ({now().isoformat(timespec='seconds')}) "
                           f"by more than a day; a statement cannot have been recorded in the future (an export "
                           f"made on a machine whose clock ran far ahead restores once that instant has passed, "
                           f"or import it without statement_id and recorded_at as new statements)")
    return moment


def check_recording_order(previous: datetime | None, moment: datetime) -> None:
    """An export lists statements in recording order: a restore's recorded_at never goes backwards."""
    if previous is not None and moment < previous:
        raise InvalidInput(f"recorded_at: {moment.isoformat()} is earlier than the line before it "
                           f"({previous.isoformat()}); an export lists statements in recording order, so this "
                           f"line was edited or moved")


def check_identity(record: Any, statement_id: str) -> None:
    """A restored statement_id must be the id of the line's content: an edited line is refused."""
    actual = record.statement_id()
    if actual != statement_id:
        raise InvalidInput(f"statement_id: {statement_id} is not the id of this line's content (which is {actual}): "
                           f"the line was changed after export; restore the original line, or remove statement_id "
                           f"and recorded_at to import it as a new statement")


def _short(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 200 else text[:197] + "…"

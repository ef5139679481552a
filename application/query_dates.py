"""The dates a query is asked at (--as-of, --known-at, --deadline), read the same way by every front end."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

from stratlog.domain.dates import PartialDate
from stratlog.domain.errors import InvalidInput

LAST_DAY = date(9999, 12, 30)  # the read model's open end is 9999-12-31: answers stop the day before


class InvalidQueryDate(InvalidInput):
    """Raised when a date or instant a query is asked at cannot be read; names the option and the value."""

    def __init__(self, option: str, reason: str):
        super().__init__(f"Invalid value for {option}: {reason}")
        self.option, self.reason = option, reason


def parse_as_of(text: str | None, option: str = "--as-of") -> date:
    """A partial date means its last day (2024-Q3 is 2024-09-30); none means today."""
    if not text:
        return date.today()
    try:
        day = PartialDate.parse(text).end
    except ValueError as error:
        raise InvalidQueryDate(option, str(error)) from None
    if day > LAST_DAY:
        raise InvalidQueryDate(option, f"{text!r} is beyond the dates stratlog answers for (up to {LAST_DAY})")
    return day


def parse_known_at(text: str | None, option: str = "--known-at") -> datetime:
    """An ISO instant (no offset = UTC) or a partial date (= the end of that period, UTC); none means now."""
    if not text:
        return datetime.now(timezone.utc)
    try:
        moment = datetime.combine(PartialDate.parse(text).end, time.max, timezone.utc)
    except ValueError:
        try:
            moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        except ValueError:
            raise InvalidQueryDate(option, f"{text!r} is not an ISO 8601 date-time or a date") from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    try:
        utc = moment.astimezone(timezone.utc)
    except OverflowError:
        raise InvalidQueryDate(option, f"{text!r} is outside the calendar once converted to UTC") from None
    if utc.date() > LAST_DAY:
        raise InvalidQueryDate(option, f"{text!r} is beyond the dates stratlog answers for (up to {LAST_DAY})")
    return utc


def parse_deadline(text: str | None, option: str = "--deadline") -> str | None:
    """A target's deadline as stored (its partial-date text, or `open` for an open target); none means any."""
    if not text:
        return None
    if text.strip().casefold() == "open":
        return "open"
    try:
        return PartialDate.parse(text).text
    except ValueError as error:
        raise InvalidQueryDate(option, str(error)) from None


def as_of_value(value: date | str | None, option: str = "as_of") -> date:
    """An as-of date given as a date, a datetime (its day) or a partial-date text (its last day); None: today."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_as_of(value, option)


def known_at_value(value: datetime | date | str | None, option: str = "known_at") -> datetime:
    """A known-at instant given as a datetime (naive = UTC), a date (its end) or text; None: now."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime.combine(value, time.max, timezone.utc)
    return parse_known_at(value, option)

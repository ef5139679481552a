"""The dates a query is asked at (--as-of, --known-at, --deadline), read the same way by every front end."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Callable

from stratlog.domain.dates import PartialDate
from stratlog.domain.errors import InvalidInput

LAST_DAY = date(9999, 12, 30)  # the read model's open end is 9999-12-31: answers stop the day before
MONTHS_IN = {"month": 1, "quarter": 3, "half": 6, "year": 12}  # the periods of an as-of series
MOST_DATES = 1000  # an as-of series asks at most this many questions


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


def as_of_series(text: str | None, every: str, option: str = "--as-of") -> list[date]:
    """The last day of every calendar month, quarter, half or year (`every`) that ends within the span `text`.

    `2023-Q1..2025-Q4` every quarter is 2023-03-31, 2023-06-30 … 2025-12-31 (12 dates). Raises
    InvalidQueryDate when there is no span (none, or a single day), the span cannot be read, holds no
    end of such a period, or would give more than MOST_DATES dates.
    """
    if every not in MONTHS_IN:
        raise InvalidQueryDate("--every", f"{every!r} is not one of {', '.join(MONTHS_IN)}")
    example = "such as 2023-Q1..2025-Q4"
    if not text:
        raise InvalidQueryDate(option, f"--every {every} needs a span of dates to step through, {example}")
    try:
        span = PartialDate.parse(text)
    except ValueError as error:
        raise InvalidQueryDate(option, str(error)) from None
    if span.start == span.end:
        raise InvalidQueryDate(option, f"{text!r} is a single day; --every {every} needs a span, {example}")
    if span.end > LAST_DAY:
        raise InvalidQueryDate(option, f"{text!r} is beyond the dates stratlog answers for (up to {LAST_DAY})")
    dates = _period_ends(span.start, span.end, MONTHS_IN[every])
    if not dates:
        raise InvalidQueryDate(option, f"{text!r} holds no end of a {every}; give a longer span, {example}")
    if len(dates) > MOST_DATES:
        raise InvalidQueryDate(option, f"{text!r} every {every} gives more than {MOST_DATES} dates; ask a shorter span")
    return dates


def _period_ends(start: date, end: date, months: int) -> list[date]:
    """The last days of the calendar periods of `months` months (aligned on January) within [start, end]."""
    index = (start.year * 12 + start.month - 1) // months  # the period holding `start`, counted from year 0
    ends = []
    while len(ends) <= MOST_DATES:
        following = (index + 1) * months  # the first month of the next period, counted from year 0
        last = date(following // 12, following % 12 + 1, 1) - timedelta(days=1)
        if last > end:
            break
        if last >= start:
            ends.append(last)
        index += 1
    return ends


def in_series(dates: list[date], ask: Callable[[date], list[dict]]) -> list[dict]:
    """The rows of one question asked as of each date, each row led by its `as_of` (ISO day), in date order."""
    return [{"as_of": day.isoformat(), **row} for day in dates for row in ask(day)]

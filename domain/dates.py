"""Partial dates ("2030", "2026-H1", "2025-Q3", "2023-06", "2023-06-14", "2025-04..2026-03", "FY2026").

Each is a period from its start (first day) to its end (last day) and keeps its text. A span `A..B`
runs from A's start to B's end. `FYyyyy/MM` is the fiscal year ending in month MM of yyyy: that is
how a brand's `FYyyyy` is stored once resolved with its fiscal_year_end at input, so that the text
alone gives the span; a bare `FYyyyy` ends in December. Both are shown as `FYyyyy` (`shown`).
"""

from __future__ import annotations

import calendar
import re
from functools import lru_cache
from datetime import date, datetime, timedelta, timezone
from functools import total_ordering
from typing import Any

from stratlog.domain.quoting import quoted

_DATE_TIME = re.compile(r"^\s*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt]|\s+)[0-9]{1,2}:[0-9]{2}")
_PATTERN = re.compile(r"^([0-9]{4})(?:-(?:Q([1-4])|H([12])|([0-9]{2}))(?:-([0-9]{2}))?)?$")
_FISCAL = re.compile(r"^FY([0-9]{4})(?:/([0-9]{1,2}))?$")
_RESOLVED_FISCAL = re.compile(r"\bFY([0-9]{4})/[0-9]{2}\b")
SPAN = ".."
FORMATS = "YYYY, YYYY-HN, YYYY-QN, YYYY-MM, YYYY-MM-DD, a span A..B of two of those, FYYYYY or FYYYYY/MM"
DECEMBER = 12
_SIMPLE = r"[0-9]{4}(?:-(?:Q[1-4]|H[12]|[0-9]{2}(?:-[0-9]{2})?))?"
SCHEMA_PATTERN = rf"^(?:FY[0-9]{{4}}(?:/[0-9]{{1,2}})?|{_SIMPLE}(?:\.\.{_SIMPLE})?)$"  # what an editor checks; parse() decides


@total_ordering
class PartialDate:
    """A date known to the year, half-year, quarter, month or day, a span of two, or a fiscal year.

    It covers the period from `start` to `end` (both dates, inclusive). `text` is its stored form
    (`FY2026/03` for a fiscal year ending in March 2026); `shown` is how answers show it (`FY2026`).
    """

    __slots__ = ("text", "start", "end")

    def __init__(self, text: str, start: date, end: date):
        self.text, self.start, self.end = text, start, end

    @classmethod
    def parse(cls, value: Any) -> PartialDate:
        """Read a partial date from text, a whole year or a date; ValueError names the value."""
        known = _PARSED.get(value) if isinstance(value, str) else None
        if known is not None:
            return known
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, datetime):
            raise ValueError(f"{quoted(value)} is a date and time; write {value.date().isoformat()}")
        if isinstance(value, date):
            return cls.of_day(value)
        if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
            value = str(value)
        if not isinstance(value, str):
            raise ValueError(f"{quoted(value)} is not a date ({FORMATS})")
        return _parse_text(value)

    @classmethod
    def _parse_text(cls, text: str, original: Any) -> PartialDate:
        if SPAN in text:
            return cls._parse_span(text, original)
        fiscal = _FISCAL.match(text)
        if fiscal:
            year, month = fiscal.groups()
            if month is None:
                return cls.fiscal_year(int(year), DECEMBER, text)
            if not 1 <= int(month) <= 12:
                raise ValueError(f"{quoted(original)} is not a fiscal year (its month {month} is not 1–12)")
            return cls.fiscal_year(int(year), int(month), f"FY{year}/{int(month):02d}")
        return cls._parse_simple(text, original)

    @classmethod
    def _parse_span(cls, text: str, original: Any) -> PartialDate:
        first, _, last = text.partition(SPAN)
        if SPAN in last or not first or not last:
            raise ValueError(f"{quoted(original)} is not a span (write A..B, e.g. 2025-04..2026-03)")
        a, b = cls._parse_simple(first.strip(), original), cls._parse_simple(last.strip(), original)
        if b.end < a.start:
            raise ValueError(f"{quoted(original)} ends before it starts")
        return cls(f"{a.text}{SPAN}{b.text}", a.start, b.end)

    @classmethod
    def fiscal_year(cls, year: int, last_month: int = DECEMBER, text: str | None = None) -> PartialDate:
        """The fiscal year ending in `year` whose last month is `last_month` (1–12); its text is
        `FYyyyy` for December and `FYyyyy/MM` otherwise unless `text` is given. ValueError: not a month."""
        if not 1 <= last_month <= 12:
            raise ValueError(f"fiscal_year_end {last_month!r} is not a month (1–12)")
        end = _month_end(year, last_month)
        start_year, start_month = (year, 1) if last_month == 12 else (year - 1, last_month + 1)
        default = f"FY{year}" if last_month == DECEMBER else f"FY{year}/{last_month:02d}"
        return cls(text or default, date(start_year, start_month, 1), end)

    @classmethod
    def _parse_simple(cls, text: str, original: Any) -> PartialDate:
        if len(text) == 10 and text[4] == text[7] == "-" and text.replace("-", "").isdigit():
            try:  # a whole day, the most common form, read without the pattern
                return cls.of_day(date.fromisoformat(text))
            except ValueError:
                pass  # not a real day: the pattern below says why
        match = _PATTERN.match(text)
        if not match or ((match.group(2) or match.group(3)) and match.group(5)):
            raise ValueError(_not_a_date(text, original))
        year, quarter, half, month, day = match.groups()
        y = int(year)
        try:
            if quarter:
                first = 3 * int(quarter) - 2
                return cls(text, date(y, first, 1), _month_end(y, first + 2))
            if half:
                first = 6 * int(half) - 5
                return cls(text, date(y, first, 1), _month_end(y, first + 5))
            if day:
                return cls.of_day(date(y, int(month), int(day)))
            if month:
                return cls(text, date(y, int(month), 1), _month_end(y, int(month)))
        except ValueError as error:
            raise ValueError(f"{quoted(original)} is not a real date ({error})") from None
        if y < 1:
            raise ValueError(f"{quoted(original)} is not a real date")
        return cls(text, date(y, 1, 1), date(y, 12, 31))

    @classmethod
    def of_day(cls, day: date) -> PartialDate:
        return cls(day.isoformat(), day, day)

    @property
    def year(self) -> int:
        """The year the period ends in (a span's or fiscal year's last year)."""
        return self.end.year

    @property
    def is_year(self) -> bool:
        """Whether it is written as a calendar year (`2024`)."""
        return len(self.text) == 4

    @property
    def is_fiscal(self) -> bool:
        """Whether it is a fiscal year (`FY2026`, `FY2026/03`)."""
        return self.text.startswith("FY")

    @property
    def is_bare_fiscal(self) -> bool:
        """Whether it is a fiscal year written without its last month (`FY2026`): input resolves it
        with the brand's fiscal_year_end."""
        return self.is_fiscal and "/" not in self.text

    @property
    def shown(self) -> str:
        """The text answers show: a fiscal year as `FY2026` whatever month it ends in, any other as stored."""
        return self.text[:6] if self.is_fiscal else self.text

    @property
    def is_annual(self) -> bool:
        """Whether it covers exactly twelve whole months (a year, a fiscal year, a 12-month span)."""
        start, end = self.start, self.end
        if start.day != 1 or (end.year - start.year) * 12 + end.month - start.month != 11:
            return False
        return end.day == 31 if end.month == 12 else (end + _ONE_DAY).day == 1  # the last day of its month

    def in_fiscal_year(self, last_month: int | None) -> PartialDate:
        """This date with a bare fiscal year resolved for a brand whose fiscal year ends in `last_month`
        (`FY2026` with 3 is `FY2026/03`, 2025-04-01..2026-03-31); any other date, or December or None, unchanged."""
        if not self.is_bare_fiscal or last_month in (None, DECEMBER):
            return self
        return PartialDate.fiscal_year(int(self.text[2:]), last_month)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"PartialDate({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PartialDate) and self.text == other.text

    def __lt__(self, other: PartialDate) -> bool:
        return (self.start, self.end) < (other.start, other.end)

    def __hash__(self) -> int:
        return hash(self.text)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema
        return core_schema.no_info_plain_validator_function(
            _validate,
            json_schema_input_schema=core_schema.union_schema([
                core_schema.str_schema(pattern=SCHEMA_PATTERN), core_schema.int_schema(ge=1000, le=9999)]),
            serialization=core_schema.to_string_ser_schema(),
        )


_ONE_DAY = timedelta(days=1)
_PARSED: dict[str, PartialDate] = {}


def _parse_text(value: str) -> PartialDate:
    """Partial dates are immutable, so each text is parsed once and the object shared."""
    parsed = PartialDate._parse_text(value.strip(), value)
    if len(_PARSED) < 100_000:
        _PARSED[value] = parsed
    return parsed


def _not_a_date(text: str, original: Any) -> str:
    """Why a text is not a partial date; a date and time (a YAML timestamp) gets the date to write instead."""
    moment = _DATE_TIME.match(text)
    if moment:
        year, month, day = moment.groups()
        return f"{quoted(original)} is a date and time; write {year}-{int(month):02d}-{int(day):02d}"
    return f"{quoted(original)} is not a date ({FORMATS})"


def _validate(value: Any) -> PartialDate:
    try:
        return PartialDate.parse(value)
    except ValueError as error:
        from pydantic_core import PydanticCustomError
        raise PydanticCustomError("partial_date", str(error)) from None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def shown_text(text: Any) -> Any:
    """A stored date text as answers show it (`FY2026/03` → `FY2026`, also inside a subject name such as
    `deliveries FY2026/03`); anything else unchanged."""
    if not isinstance(text, str) or "FY" not in text:
        return text
    return _RESOLVED_FISCAL.sub(r"FY\1", text)


def end_of(value: Any) -> date:
    """The last day of a partial date: `--as-of 2023-06` means as of 2023-06-30."""
    return PartialDate.parse(value).end


@lru_cache(maxsize=4096)
def instant_text(moment: datetime) -> str:
    """A fixed-width UTC text that sorts like the instant: 2024-01-31T09:15:00.000000Z."""
    utc = moment.astimezone(timezone.utc)
    return f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S.%f}Z"

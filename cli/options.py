"""Options shared by many commands, declared once, and the parsing of dates and instants."""

from __future__ import annotations

import functools
from datetime import date, datetime, time, timezone

import click

FORMATS = ("table", "json", "csv")


LAST_DAY = date(9999, 12, 30)  # the read model's open end is 9999-12-31: answers stop the day before


def parse_as_of(text: str | None, option: str = "--as-of") -> date:
    """A partial date means its last day; none means today."""
    if not text:
        return date.today()
    from stratlog.domain.dates import PartialDate
    try:
        day = PartialDate.parse(text).end
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint=option) from None
    if day > LAST_DAY:
        raise click.BadParameter(f"{text!r} is beyond the dates stratlog answers for (up to {LAST_DAY})",
                                 param_hint=option)
    return day


def parse_known_at(text: str | None, option: str = "--known-at") -> datetime:
    """An ISO instant (no offset = UTC) or a partial date (= the end of that period, UTC)."""
    if not text:
        return datetime.now(timezone.utc)
    from stratlog.domain.dates import PartialDate
    try:
        moment = datetime.combine(PartialDate.parse(text).end, time.max, timezone.utc)
    except ValueError:
        try:
            moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        except ValueError:
            raise click.BadParameter(f"{text!r} is not an ISO 8601 date-time or a date", param_hint=option) from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    try:
        utc = moment.astimezone(timezone.utc)
    except OverflowError:
        raise click.BadParameter(f"{text!r} is outside the calendar once converted to UTC", param_hint=option) from None
    if utc.date() > LAST_DAY:
        raise click.BadParameter(f"{text!r} is beyond the dates stratlog answers for (up to {LAST_DAY})",
                                 param_hint=option)
    return utc


def db_options(command):
    """--db and --read-model, kept on the context for every command."""
    @click.option("--db", "db", metavar="TARGET", help="SQLite file or postgresql:// URL [default: $STRATLOG_DB or ./stratlog.db]")
    @click.option("--read-model", "read_model", metavar="PATH", help="Team mode: the local read-model file.")
    @functools.wraps(command)
    def wrapper(*args, db=None, read_model=None, **kwargs):
        ctx = click.get_current_context()
        root = ctx.find_root().params
        return command(*args, db=db or root.get("db"), read_model=read_model or root.get("read_model"), **kwargs)
    return wrapper


def time_options(command):
    @click.option("--as-of", "as_of", metavar="DATE", help="What had been announced by the end of DATE (2023, 2023-06, 2023-06-30) [default: today].")
    @click.option("--known-at", "known_at", metavar="INSTANT", help="What this database contained at INSTANT (ISO date-time or date) [default: now].")
    @functools.wraps(command)
    def wrapper(*args, as_of=None, known_at=None, **kwargs):
        return command(*args, as_of=parse_as_of(as_of), known_at=parse_known_at(known_at), **kwargs)
    return wrapper


def format_options(command):
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True, help="Output format.")
    @click.option("--json", "as_json", is_flag=True, help="Short for --format json.")
    @functools.wraps(command)
    def wrapper(*args, fmt="table", as_json=False, **kwargs):
        return command(*args, fmt="json" if as_json else fmt, **kwargs)
    return wrapper


def brand_option(command):
    return click.option("--brand", metavar="SLUG", help="Only this brand (e.g. alpine).")(command)

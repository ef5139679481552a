"""Options shared by many commands, declared once, and the parsing of dates and instants."""

from __future__ import annotations

import functools
from datetime import date, datetime

import click

FORMATS = ("table", "json", "csv")


def parse_as_of(text: str | None, option: str = "--as-of") -> date:
    """A partial date means its last day; none means today."""
    import stratlog.application.query_dates as query_dates
    return _as_bad_parameter(query_dates.parse_as_of, text, option)


def parse_known_at(text: str | None, option: str = "--known-at") -> datetime:
    """An ISO instant (no offset = UTC) or a partial date (= the end of that period, UTC)."""
    import stratlog.application.query_dates as query_dates
    return _as_bad_parameter(query_dates.parse_known_at, text, option)


def parse_deadline(text: str | None, option: str = "--deadline") -> str | None:
    """A target's deadline as a partial-date text; none means any deadline."""
    import stratlog.application.query_dates as query_dates
    return _as_bad_parameter(query_dates.parse_deadline, text, option)


def _as_bad_parameter(parse, text: str | None, option: str):
    """The reading of application.query_dates (shared with `serve`), its refusal as click's usage error."""
    from stratlog.application.query_dates import InvalidQueryDate
    try:
        return parse(text, option)
    except InvalidQueryDate as error:
        raise click.BadParameter(error.reason, param_hint=option) from None


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

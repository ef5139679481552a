"""Options shared by many commands, declared once, and the parsing of dates and instants."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime

import click

FORMATS = ("table", "json", "csv", "tsv", "nl", "xlsx")
SHORTCUTS = ("json", "csv", "tsv", "nl")  # --json is --format json, and so on (as sqlite-utils has them)
EVERY = ("month", "quarter", "half", "year")


@dataclass(frozen=True)
class OutputChoice:
    """Where and how an answer is written: a BOM before CSV/TSV, a header row or not, a file (None: stdout)."""

    bom: bool = False
    headers: bool = True
    out: str | None = None


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
    """Decorator: `--as-of` and `--known-at`, parsed (InvalidInput naming the option and value) before the command runs."""
    @click.option("--as-of", "as_of", metavar="DATE", help="What had been announced by the end of DATE (2023, 2023-06, 2023-06-30) [default: today].")
    @click.option("--known-at", "known_at", metavar="INSTANT", help="What this database contained at INSTANT (ISO date-time or date) [default: now].")
    @functools.wraps(command)
    def wrapper(*args, as_of=None, known_at=None, **kwargs):
        return command(*args, as_of=parse_as_of(as_of), known_at=parse_known_at(known_at), **kwargs)
    return wrapper


def format_options(command):
    """--format and its shortcuts --json, --csv, --tsv, --nl; the command receives `fmt`, one of FORMATS."""
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                  help="Output format: table (default), json, csv, tsv, nl (one JSON row a line) or xlsx.")
    @click.option("--json", "short_json", is_flag=True, help="Short for --format json.")
    @click.option("--csv", "short_csv", is_flag=True, help="Short for --format csv (flat, typed columns).")
    @click.option("--tsv", "short_tsv", is_flag=True, help="Short for --format tsv (tab-separated, flat columns).")
    @click.option("--nl", "short_nl", is_flag=True, help="Short for --format nl (newline-delimited JSON).")
    @functools.wraps(command)
    def wrapper(*args, fmt=None, short_json=False, short_csv=False, short_tsv=False, short_nl=False, **kwargs):
        chosen = {f"--{name}" for name, on in zip(SHORTCUTS, (short_json, short_csv, short_tsv, short_nl)) if on}
        if fmt:
            chosen.add(f"--format {fmt}")
        if len(chosen) > 1:
            raise click.UsageError(f"choose one output format, not {' and '.join(sorted(chosen))}")
        name = chosen.pop().removeprefix("--").removeprefix("format ") if chosen else "table"
        return command(*args, fmt=name, **kwargs)
    return wrapper


def output_options(command):
    """--bom, --no-headers and --out; the command receives `output`, an OutputChoice (after `fmt` is chosen)."""
    @click.option("--bom", is_flag=True, help="Start CSV/TSV with a UTF-8 byte-order mark, so spreadsheets read accents right.")
    @click.option("--no-headers", "no_headers", is_flag=True, help="Leave out the header row (table, csv, tsv, xlsx).")
    @click.option("--out", metavar="FILE", help="Write to FILE, replaced whole once complete ('-': standard output).")
    @functools.wraps(command)
    def wrapper(*args, bom=False, no_headers=False, out=None, **kwargs):
        fmt = kwargs.get("fmt", "table")
        if bom and fmt not in ("csv", "tsv"):
            raise click.UsageError(f"--bom applies to --format csv or tsv, not {fmt}")
        if no_headers and fmt in ("json", "nl"):
            raise click.UsageError(f"--no-headers applies to table, csv, tsv and xlsx, not {fmt}")
        return command(*args, output=OutputChoice(bom, not no_headers, out), **kwargs)
    return wrapper


def series_option(command):
    """--every: the command receives `series`, the as-of dates of a span (or None); put it above time_options."""
    @click.option("--every", type=click.Choice(EVERY), default=None, metavar="PERIOD",
                  help="With --as-of A..B: one block of rows as of the end of every month, quarter, half or year of "
                       "the span, each row with its as_of (e.g. --as-of 2023-Q1..2025-Q4 --every quarter).")
    @functools.wraps(command)
    def wrapper(*args, every=None, **kwargs):
        series = _as_bad_parameter(_series_of(every), kwargs.get("as_of"), "--as-of") if every else None
        return command(*args, series=series, **kwargs)
    return wrapper


def _series_of(every: str):
    import stratlog.application.query_dates as query_dates
    return lambda text, option: query_dates.as_of_series(text, every, option)


def brand_option(command):
    """Decorator: the optional `--brand SLUG` filter."""
    return click.option("--brand", metavar="SLUG", help="Only this brand (e.g. alpine).")(command)

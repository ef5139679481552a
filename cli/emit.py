"""Writing a query's answer in the chosen format (table, json, nl, csv, tsv, xlsx) to stdout or --out."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Sequence

import click

from stratlog.cli.options import OutputChoice
from stratlog.cli.render import as_csv, as_json, as_lines, as_table

BOM = "\ufeff"
SPREADSHEETS = ("csv", "tsv", "xlsx")  # the formats that write flat rows
Columns = Sequence[tuple[str, str]]  # (row key, table header)


def heading(as_of: date | None, known_at: datetime, series: list[date] | None = None,
            span: tuple[date, date] | None = None) -> str:
    """The one line above a table saying what the answer is as of and as known at (tables only)."""
    known = f"known at {known_at.strftime('%Y-%m-%d %H:%M:%S')} UTC"
    if span:
        return f"From {span[0]} to {span[1]} · {known}"
    if series:
        return f"As of {series[0]} … {series[-1]} ({len(series)} {'date' if len(series) == 1 else 'dates'}) · {known}"
    return f"As of {as_of} · {known}"


def flat_answer(fmt: str) -> bool:
    """Whether a query asked for `fmt` must be asked for flat rows (`flat=True`, as the Python API gives them)."""
    return fmt in SPREADSHEETS


def rendered(rows: list[dict], fmt: str, columns: Columns, output: OutputChoice, *, empty: str = "(nothing)",
             title: str | None = None, keys: Sequence[str] = ()) -> str | bytes:
    """The answer as the format writes it: text (ending in a newline) or, for xlsx, the workbook's bytes.

    json and nl write the rows as they are; csv, tsv and xlsx write flat rows (money as value_amount and
    value_currency, dates with their first and last day): ask the application for them (`flat_answer`), as
    only the stored rows know a fiscal year's span. An empty answer still has the header of its flat
    columns, those of the answer keys `keys`. A table starts with `title` when given."""
    if fmt == "json":
        return as_json(rows) + "\n"
    if fmt == "nl":
        return as_lines(rows)
    if fmt in ("csv", "tsv", "xlsx"):
        return _spreadsheet(rows, fmt, output, keys)
    table = as_table(_short_ids(rows), [c for c, _ in with_brand(columns, rows)],
                     [h for _, h in with_brand(columns, rows)], show_headers=output.headers) if rows else empty
    return (f"{title}\n" if title else "") + table + "\n"


def _spreadsheet(rows: list[dict], fmt: str, output: OutputChoice, keys: Sequence[str]) -> str | bytes:
    from stratlog.application.flat_rows import flat_columns, flat_rows
    flat = flat_rows(rows)  # rows are flat already; this spells out only what a series added (as_of)
    columns = None if flat else flat_columns(keys)
    if fmt == "xlsx":
        from stratlog.cli.render_xlsx import MOST_ROWS, XlsxMissing, as_xlsx
        if len(flat) + output.headers > MOST_ROWS:
            raise click.UsageError(f"--format xlsx holds at most {MOST_ROWS:,} rows and this answer has "
                                   f"{len(flat):,}: use --csv, or narrow it (--brand, --kind)")
        try:
            return as_xlsx(flat, output.headers, columns)
        except XlsxMissing as missing:
            raise click.UsageError(str(missing)) from None
    text = as_csv(flat, columns, delimiter="\t" if fmt == "tsv" else ",", headers=output.headers)
    return (BOM if output.bom else "") + text


def _short_ids(rows: list[dict]) -> list[dict]:
    return [dict(r, short_id=(r.get("statement_id") or "")[:8]) for r in rows]


def with_brand(columns: Columns, rows: list[dict]) -> Columns:
    """A brand column first (after as of, in a series) whenever the rows are of more than one brand."""
    if len({r.get("brand") for r in rows}) > 1 and all(c != "brand" for c, _ in columns):
        lead = 1 if columns and columns[0][0] == "as_of" else 0
        return (*columns[:lead], ("brand", "brand"), *columns[lead:])
    return columns


def refuse_binary_on_terminal(fmt: str, output: OutputChoice) -> None:
    """xlsx to a terminal is refused before anything is asked: it needs --out FILE or a redirection."""
    if fmt == "xlsx" and output.out in (None, "-") and click.get_binary_stream("stdout").isatty():
        raise click.UsageError("--format xlsx writes a binary workbook: give --out FILE.xlsx, "
                               "or redirect standard output to a file")


def deliver(app: Any, content: str | bytes, output: OutputChoice) -> None:
    """Write the answer to --out (checked, replaced whole once complete) or to standard output."""
    if output.out not in (None, "-"):
        if isinstance(content, bytes):
            app.write_bytes(output.out, content)
        else:
            app.write_text(output.out, content)
    elif isinstance(content, bytes):
        stream = click.get_binary_stream("stdout")
        stream.write(content)
        stream.flush()
    else:
        click.echo(content, nl=False)

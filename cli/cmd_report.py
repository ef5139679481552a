"""The `report` command: one self-contained HTML file with the timeline, target charts, KPIs and sources."""

from __future__ import annotations

import click

from stratlog.cli.options import db_options, time_options


@click.command()
@click.option("--brand", "brand", metavar="SLUG", multiple=True,
              help="Only this brand (repeat for several, shown side by side first) [default: every brand].")
@time_options
@click.option("--out", "out", required=True, metavar="FILE.html",
              help="Where to write the report ('-': standard output); an existing file is replaced whole, once complete.")
@db_options
def report(brand, as_of, known_at, out, db=None, read_model=None) -> None:
    """Write a self-contained HTML report that opens offline: timeline chart, target charts, KPIs, sources.

    \b
    Example:
      stratlog report --brand alpine --as-of 2023-06-30 --out alpine.html
    """
    from stratlog.infrastructure.composition import open_stratlog
    with open_stratlog(db, read_model) as app:
        to_file = app.report(out, list(brand) or None, as_of, known_at)
    if to_file:
        click.echo(out)

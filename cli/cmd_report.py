"""The `report` command: one self-contained HTML file with the timeline, target charts, KPIs and sources."""

from __future__ import annotations

import click

from stratlog.cli.options import brand_option, db_options, time_options


@click.command()
@brand_option
@time_options
@click.option("--out", "out", metavar="FILE.html",
              help="Where to write the report ('-': standard output); an existing file is replaced whole, once complete.")
@click.option("--charts", "charts", metavar="DIR",
              help="Also write each chart as its own SVG file into DIR (created if missing; files replaced whole).")
@db_options
def report(brand, as_of, known_at, out, charts, db=None, read_model=None) -> None:
    """Write a self-contained HTML report that opens offline: timeline chart, target charts, KPIs, sources;
    with --charts, each chart also as a standalone SVG file (for slides). Prints the files written.

    \b
    Example:
      stratlog report --brand alpine --as-of 2023-06-30 --out alpine.html
      stratlog report --brand alpine --out alpine.html --charts alpine-charts
    """
    if out is None and charts is None:
        raise click.UsageError("Missing option '--out' (or '--charts DIR'): say where to write the report",
                               ctx=click.get_current_context())
    from stratlog.infrastructure.composition import open_stratlog
    with open_stratlog(db, read_model) as app:
        written = app.report(out, brand, as_of, known_at, charts=charts)
    for path in written:
        click.echo(path)

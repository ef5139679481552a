"""The `report` command: one self-contained HTML file with the timeline, target charts, KPIs and sources."""

from __future__ import annotations

import click

from stratlog.cli.options import db_options, time_options


@click.command()
@click.option("--brand", "brand", metavar="SLUG", multiple=True,
              help="Only this brand (repeat for several, shown side by side first) [default: every brand].")
@time_options
@click.option("--out", "out", metavar="FILE.html",
              help="Where to write the report ('-': standard output); an existing file is replaced whole, once complete.")
@click.option("--charts", "charts", metavar="DIR",
              help="Also write each chart as its own SVG file into DIR (created if missing; files replaced whole).")
@click.option("--open", "open_it", is_flag=True, help="Then open the written file in the browser ($BROWSER or the system's).")
@db_options
def report(brand, as_of, known_at, out, charts, open_it, db=None, read_model=None) -> None:
    """Write a self-contained HTML report that opens offline: scorecard, timeline chart, target charts, KPIs,
    sources; with --charts, each chart also as a standalone SVG file (for slides). Prints the files written.

    \b
    Example:
      stratlog report --brand alpine --as-of 2023-06-30 --out alpine.html --open
      stratlog report --brand alpine --out alpine.html --charts alpine-charts
    """
    if out is None and charts is None:
        raise click.UsageError("Missing option '--out' (or '--charts DIR'): say where to write the report",
                               ctx=click.get_current_context())
    from stratlog.infrastructure.composition import open_stratlog
    if open_it and (out is None or out.strip() == "-"):
        raise click.BadParameter("--open needs a file to open; give --out FILE.html", param_hint="--open")
    with open_stratlog(db, read_model) as app:
        written = app.report(out, list(brand) or None, as_of, known_at, charts=charts)
    for path in written:
        click.echo(path)
    if open_it and out in written:
        _open_in_browser(out)


def _open_in_browser(path: str) -> None:
    """Open the written report with the standard webbrowser module; no browser is a notice, not a failure."""
    import webbrowser
    from pathlib import Path
    location = Path(path).resolve().as_uri()
    try:
        opened = webbrowser.open(location)
    except webbrowser.Error:
        opened = False
    if not opened:
        click.echo(f"Note: no browser could open {location}; the report is written, open it yourself.", err=True)

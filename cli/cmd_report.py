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
@click.option("--open", "open_it", is_flag=True, help="Then open the written file in the browser ($BROWSER or the system's).")
@db_options
def report(brand, as_of, known_at, out, open_it, db=None, read_model=None) -> None:
    """Write a self-contained HTML report that opens offline: timeline chart, target charts, KPIs, sources.

    \b
    Example:
      stratlog report --brand alpine --as-of 2023-06-30 --out alpine.html --open
    """
    from stratlog.infrastructure.composition import open_stratlog
    if open_it and out.strip() == "-":
        raise click.BadParameter("--open needs a file to open; give --out FILE.html", param_hint="--open")
    with open_stratlog(db, read_model) as app:
        to_file = app.report(out, list(brand) or None, as_of, known_at)
    if to_file:
        click.echo(out)
    if open_it and to_file:
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

"""The `report` command: one self-contained HTML file with the timeline, target charts, KPIs and sources."""

from __future__ import annotations

from pathlib import Path

import click

from stratlog.cli.options import brand_option, db_options, time_options


@click.command()
@brand_option
@time_options
@click.option("--out", "out", required=True, metavar="FILE.html", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the report (overwritten if it exists).")
@db_options
def report(brand, as_of, known_at, out, db=None, read_model=None) -> None:
    """Write a self-contained HTML report that opens offline: timeline chart, target charts, KPIs, sources.

    \b
    Example:
      stratlog report --brand alpine --as-of 2023-06-30 --out alpine.html
    """
    from stratlog.application.report_data import build_report
    from stratlog.infrastructure.config import settings
    from stratlog.infrastructure.log_records import statement_records
    from stratlog.infrastructure.report_html import render_report
    from stratlog.infrastructure.runtime import Runtime

    runtime = Runtime(settings(db, read_model), writing=False)
    try:
        queries, log = runtime.queries(), runtime.log
        data = build_report(queries, brand, as_of, known_at,
                            lambda b: (record for _, record in statement_records(runtime.read_model, log, b)))
    finally:
        runtime.close()
    out.write_text(render_report(data), encoding="utf-8")
    click.echo(str(out))

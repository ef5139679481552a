"""The `report` command: one self-contained HTML file with the timeline, target charts, KPIs and sources."""

from __future__ import annotations

import click

from stratlog.cli.options import brand_option, db_options, time_options


@click.command()
@brand_option
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
    from stratlog.application.report_data import build_report
    from stratlog.infrastructure.config import settings
    from stratlog.infrastructure.log_records import statement_records
    from stratlog.infrastructure.outputs import output_target, text_output
    from stratlog.infrastructure.report_html import render_report
    from stratlog.infrastructure.runtime import Runtime

    chosen = settings(db, read_model)
    output = output_target(out, "--out", chosen)
    runtime = Runtime(chosen, writing=False)
    try:
        queries, log = runtime.queries(), runtime.log
        data = build_report(queries, brand, as_of, known_at,
                            lambda b: (record for _, record in statement_records(runtime.read_model, log, b)))
    finally:
        runtime.close()
    page = render_report(data)
    with text_output(output) as handle:
        handle.write(page)
    if output.path is not None:
        click.echo(out)

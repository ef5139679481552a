"""The `serve` command: the database in Datasette, read-only, with a page per stratlog view."""

from __future__ import annotations

import click

from stratlog.cli.options import db_options

INSTALL = "stratlog serve needs Datasette, which is not installed; install it with: pip install 'stratlog[serve]'"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (127.0.0.1: this machine only).")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on (0: any free port).")
@click.option("--open", "open_browser", is_flag=True, help="Open the pages in the web browser once serving.")
@db_options
def serve(host, port, open_browser, db=None, read_model=None) -> None:
    """Browse the database in Datasette, read-only: the log as text, and timeline, kpis, audit, state, diff
    and checks at /-/stratlog/VIEW (forms taking partial dates; VIEW.json answers as --format json).

    It serves a caught-up snapshot taken at start (your database is only read); Ctrl-C stops it.

    \b
    Example:
      pip install 'stratlog[serve]'
      stratlog serve --open
    """
    try:
        import datasette  # noqa: F401 - only to know whether it is installed
    except ImportError:
        raise click.ClickException(INSTALL) from None
    from stratlog.infrastructure.composition import open_stratlog

    def ready(url, snapshot) -> None:
        click.echo(f"Serving {url} (read-only snapshot of {snapshot.source}, {snapshot.statements} statements, "
                   f"taken at {snapshot.taken_at.isoformat(timespec='seconds')}); Ctrl-C stops it.")
        if host not in ("127.0.0.1", "localhost", "::1"):
            click.echo(f"Warning: listening on {host}: anyone who can reach this machine can read the database.",
                       err=True)
        if open_browser:
            import webbrowser
            webbrowser.open(url)

    with open_stratlog(db, read_model) as app:
        app.serve(host, port, ready)
    click.echo("Stopped; the snapshot was removed.")

"""The `stratlog` entry point: a lazily loaded command group and the translation of errors to exit codes."""

from __future__ import annotations

import importlib
import os
import sys

import click

from stratlog.application.view_titles import VIEW_TITLES

COMMANDS = {
    "demo": "stratlog.cli.cmd_data:demo",
    "import": "stratlog.cli.cmd_data:import_command",
    "record": "stratlog.cli.cmd_record:record",
    "correct": "stratlog.cli.cmd_record:correct",
    "retract": "stratlog.cli.cmd_record:retract",
    "events": "stratlog.cli.cmd_queries:events",
    "show": "stratlog.cli.cmd_show:show",
    "timeline": "stratlog.cli.cmd_queries:timeline",
    "kpis": "stratlog.cli.cmd_queries:kpis",
    "audit": "stratlog.cli.cmd_queries:audit",
    "state": "stratlog.cli.cmd_queries:state",
    "diff": "stratlog.cli.cmd_queries:diff",
    "checks": "stratlog.cli.cmd_queries:checks",
    "track-record": "stratlog.cli.cmd_track:track_record",
    "report": "stratlog.cli.cmd_report:report",
    "replay": "stratlog.cli.cmd_projections:replay",
    "projections": "stratlog.cli.cmd_projections:projections",
    "export": "stratlog.cli.cmd_data:export",
    "backup": "stratlog.cli.cmd_data:backup",
    "schema": "stratlog.cli.cmd_data:schema",
    "serve": "stratlog.cli.cmd_serve:serve",
    "info": "stratlog.cli.cmd_show:info",
}
SUMMARIES = {
    "demo": "Load the bundled Alpine scenario and show it as of 2023-06-30.",
    "import": "Import statements from YAML, JSON or JSON Lines files (all or nothing).",
    "record": "Record one statement (one subcommand per kind).",
    "correct": "Correct a statement we recorded wrongly (not a revision by the brand).",
    "retract": "Retract a statement we should not have recorded.",
    "events": "The raw log of statements with all three clocks.",
    "show": "One statement whole: fields, clocks, source and quote, corrections.",
    **VIEW_TITLES,
    "track-record": "How far each brand's word has held: targets kept, cut or raised, plans delivered or slipped.",
    "report": "Write a self-contained HTML report (timeline, target charts, KPIs, sources).",
    "replay": "Write the answers as of a date to a standalone SQLite file.",
    "projections": "Status, rebuild or verification of the read model.",
    "export": "Export every statement as JSON Lines (a faithful backup).",
    "backup": "Copy the database file consistently.",
    "schema": "Print the JSON Schema of the import format.",
    "info": "Which database and read model, how many events, how far behind.",
    "serve": "Browse the database in Datasette, read-only, with a page per view (pip install 'stratlog[serve]').",
}


USAGE_LINE_LIMIT = 300  # characters of a usage error's line (click quotes the option or value typed)


class LazyGroup(click.Group):
    """Imports a command's module only when that command runs, so --help starts fast."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute = COMMANDS[name].split(":")
        command = getattr(importlib.import_module(module), attribute)
        if "_STRATLOG_COMPLETE" in os.environ:  # only while the shell asks for completions
            from stratlog.cli.completion import with_completion
            with_completion(command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, SUMMARIES[name]) for name in COMMANDS])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--db", metavar="TARGET", help="SQLite file or postgresql:// URL [default: $STRATLOG_DB or ./stratlog.db].")
@click.option("--read-model", metavar="PATH", help="Team mode: local read-model file [default: $STRATLOG_READ_MODEL or the user cache].")
@click.version_option("0.1.0", prog_name="stratlog")
def cli(db: str | None, read_model: str | None) -> None:
    """stratlog — an event-sourced ledger of car brands' strategy.

    \b
    Example:
      stratlog demo
      stratlog kpis --brand alpine --as-of 2023-06-30
    """


def main(argv: list[str] | None = None) -> None:
    # pydantic looks for plugins through every installed distribution's metadata at import;
    # stratlog uses none, and the scan costs start-up time on every command.
    """The `stratlog` console script: run the command line in `argv` (default sys.argv) and exit with its code."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from stratlog.cli.terminal import use_utf8, utf8_arguments
    use_utf8()
    sys.exit(run(utf8_arguments(sys.argv[1:] if argv is None else argv)))


def run(argv: list[str] | None = None) -> int:
    """Run a command; user errors become a message and an exit code, never a traceback."""
    from stratlog.cli.notices import warnings_on_stderr
    try:
        with warnings_on_stderr():
            cli.main(args=argv, prog_name="stratlog", standalone_mode=False)
        return 0
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as error:
        from stratlog.domain.quoting import safe_message
        error.message = safe_message(error.message, USAGE_LINE_LIMIT)  # it echoes what was typed: keep it short
        error.show()
        return error.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except KeyboardInterrupt:
        click.echo("Interrupted; nothing more was written.", err=True)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # translated below; anything unknown is re-raised
        from stratlog.cli.errors import exit_code_for
        from stratlog.domain.quoting import safe_message
        code, message = exit_code_for(error)
        if code is None:
            raise
        click.echo(f"Error: {safe_message(message)}", err=True)  # escaped and bounded, whatever raised it
        return code

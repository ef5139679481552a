"""Getting data in and out: demo, import, export, backup and the import schema."""

from __future__ import annotations

from importlib import resources

import click

from stratlog.cli.options import db_options

DEMO_DB = "stratlog-demo.db"
DEMO_AS_OF = "2023-06-30"


@click.command()
@db_options
def demo(db=None, read_model=None) -> None:
    """Load the bundled Alpine scenario into a fresh database and show it as of 2023-06-30.

    Without --db the scenario goes into ./stratlog-demo.db, recreated on every run.

    \b
    Example:
      stratlog demo
      stratlog --db stratlog-demo.db kpis --brand alpine --as-of 2023-06-30
    """
    from stratlog.cli.cmd_queries import print_kpis, print_timeline
    from stratlog.cli.progress import progress_for
    from stratlog.infrastructure.composition import open_stratlog
    with resources.as_file(resources.files("stratlog.examples") / "alpine-2023-06.yaml") as example, \
            open_stratlog(db or DEMO_DB, read_model, writing=True) as app:
        result = app.load_demo(str(example), fresh=db is None, progress_for=progress_for)
        click.echo(f"Loaded the Alpine scenario of June 2023 into {app.label}: {len(result.new)} new statements "
                   f"({len(result.existing)} already there).\n")
        click.echo(f"Timeline of alpine as of {DEMO_AS_OF}:")
        print_timeline(app.timeline("alpine", DEMO_AS_OF), "table")
        click.echo(f"\nTargets of alpine as of {DEMO_AS_OF}:")
        print_kpis(app.kpis("alpine", DEMO_AS_OF), "table")
        click.echo(f"\nNext: stratlog --db {app.label} audit alpine   ·   "
                   f"stratlog --db {app.label} state alpine --as-of 2023-06")


@click.command("import")
@click.argument("files", nargs=-1, required=True, metavar="FILE…")
@db_options
def import_command(files, db=None, read_model=None) -> None:
    """Import statements from YAML, JSON or export's JSON Lines ('-' reads standard input).

    All or nothing: one invalid statement refuses every file, naming its position, field and
    value. Importing the same statements again records nothing new.

    \b
    Example:
      stratlog import examples/alpine-2023-06.yaml
      stratlog export | stratlog --db copy.db import -
    """
    from stratlog.cli.progress import progress_for
    from stratlog.infrastructure.composition import open_stratlog
    with open_stratlog(db, read_model, writing=True) as app:
        result = app.import_files(files, progress_for)
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(result.kinds.items()))
    click.echo(f"{len(result.new)} new statements, {len(result.existing)} already recorded" + (f" ({kinds})" if kinds else ""))


OUT_HELP = "Write to this file (replaced whole, only once complete) instead of standard output ('-')."


@click.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--out", default="-", metavar="FILE", help=OUT_HELP)
@db_options
def export(fmt, out, db=None, read_model=None) -> None:
    """Export every statement and fix as JSON Lines, with ids and recorded_at (import restores them).

    The last line counts the statements ({"stratlog_export": {"statements": N}}), so that import
    refuses an export that was cut short.

    \b
    Example:
      stratlog export --out backup.jsonl
      stratlog --db restored.db import backup.jsonl
    """
    from stratlog.infrastructure.composition import open_stratlog
    with open_stratlog(db, read_model) as app:
        app.export(out)


@click.command()
@click.argument("file", metavar="FILE")
@db_options
def backup(file, db=None, read_model=None) -> None:
    """Write a consistent copy of the database file (SQLite's online backup), replacing FILE only once complete.

    \b
    Example:
      stratlog backup stratlog-2024-01-31.db
    """
    from stratlog.infrastructure.composition import open_stratlog
    with open_stratlog(db, read_model) as app:
        app.backup(file)
    click.echo(f"Backed up to {file}")


@click.command()
@click.option("--out", default="-", metavar="FILE", help=OUT_HELP)
@db_options
def schema(out, db=None, read_model=None) -> None:
    """Print the JSON Schema of the import format (built from the pydantic models), for editors.

    Every field has a description. The package ships the same file beside its examples, whose first
    line names it for the YAML extension of VS Code (set yaml.yamlVersion to "1.1": the importer
    reads YAML 1.1). --db only names the database that --out must never overwrite.

    \b
    Example:
      stratlog schema --out stratlog-import.schema.json
      # then, first line of an import file:
      # yaml-language-server: $schema=stratlog-import.schema.json
    """
    from stratlog.infrastructure.composition import import_schema_text, open_stratlog
    with open_stratlog(db, read_model) as app:
        app.write_text(out, import_schema_text())

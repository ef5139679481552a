"""Getting data in and out: demo, import, export, backup and the import schema."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

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
    from stratlog.cli.options import parse_as_of, parse_known_at
    target = db or DEMO_DB
    if db is None:
        _remove_old_demo(target)
    with resources.as_file(resources.files("stratlog.examples") / "alpine-2023-06.yaml") as example:
        runtime, result = _import_files([str(example)], target, read_model)
    from stratlog.infrastructure.config import shown
    try:
        click.echo(f"Loaded the Alpine scenario of June 2023 into {shown(target)}: {len(result.new)} new statements "
                   f"({len(result.existing)} already there).\n")
        queries = runtime.queries()
        as_of, known_at = parse_as_of(DEMO_AS_OF), parse_known_at(None)
        click.echo(f"Timeline of alpine as of {DEMO_AS_OF}:")
        print_timeline(queries.timeline("alpine", as_of, known_at), "table")
        click.echo(f"\nTargets of alpine as of {DEMO_AS_OF}:")
        print_kpis(queries.kpis("alpine", as_of, known_at), "table")
        click.echo(f"\nNext: stratlog --db {shown(target)} audit alpine   ·   "
                   f"stratlog --db {shown(target)} state alpine --as-of 2023-06")
    finally:
        runtime.close()


def _remove_old_demo(target: str) -> None:
    from stratlog.infrastructure.sqlite_guard import check_database_file
    path = Path(target)
    if path.exists():
        check_database_file(target)  # refuses to delete a file that is not a stratlog database
        for suffix in ("", "-wal", "-shm"):
            Path(target + suffix).unlink(missing_ok=True)


def _import_files(files, db, read_model):
    from stratlog.cli.progress import progress_for
    from stratlog.infrastructure.config import settings
    from stratlog.infrastructure.files import read_import
    from stratlog.infrastructure.runtime import Runtime
    loaded = [read_import(f, progress_for()) for f in files]
    records = [r for f in loaded for r in f.records]
    restoring = any(f.restored for f in loaded)
    restored = [r for f in loaded for r in (f.restored or [None] * len(f.records))] if restoring else None
    progress = progress_for()
    runtime = Runtime(settings(db, read_model), writing=True)
    try:
        result = _recorded(runtime, loaded, records, restored, progress)
    except BaseException:
        runtime.close()
        raise
    runtime.settle(result.events, progress)  # committed: a read model left behind is a warning, not an error
    return runtime, result


def _recorded(runtime, loaded, records, restored, progress):
    """Record the files' statements; a refusal names where in the files each refused statement is."""
    from stratlog.domain.errors import StratlogError
    from stratlog.infrastructure.import_places import placed_refusal
    try:
        return runtime.record(records, restored, progress)
    except StratlogError as error:
        refusal = placed_refusal(error, loaded)
        if refusal is error:
            raise
        raise refusal from None


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
    runtime, result = _import_files(files, db, read_model)
    runtime.close()
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(result.kinds.items()))
    click.echo(f"{len(result.new)} new statements, {len(result.existing)} already recorded" + (f" ({kinds})" if kinds else ""))


OUT_HELP = "Write to this file (replaced whole, only once complete) instead of standard output ('-')."


def _checked_output(target, option, db, read_model, sqlite=False):
    """The settings, and the output checked against the files this command reads."""
    from stratlog.infrastructure.config import settings
    from stratlog.infrastructure.outputs import output_target
    chosen = settings(db, read_model)
    return chosen, output_target(target, option, chosen, sqlite, ledger_copy=sqlite)


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
    from stratlog.infrastructure.export_lines import trailer
    from stratlog.infrastructure.log_records import statement_records
    from stratlog.infrastructure.outputs import text_output
    from stratlog.infrastructure.runtime import Runtime
    chosen, output = _checked_output(out, "--out", db, read_model)
    runtime = Runtime(chosen, writing=False)
    try:
        records = statement_records(runtime.fresh_read_model(), runtime.log)
        with text_output(output) as handle:
            count = 0
            for _, record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
            handle.write(json.dumps(trailer(count)) + "\n")
    finally:
        runtime.close()


@click.command()
@click.argument("file", metavar="FILE")
@db_options
def backup(file, db=None, read_model=None) -> None:
    """Write a consistent copy of the database file (SQLite's online backup), replacing FILE only once complete.

    \b
    Example:
      stratlog backup stratlog-2024-01-31.db
    """
    import sqlite3

    from stratlog.infrastructure.outputs import sqlite_output
    from stratlog.infrastructure.runtime import Runtime
    chosen, output = _checked_output(file, "FILE", db, read_model, sqlite=True)
    runtime = Runtime(chosen, writing=False)
    try:
        runtime.fresh_read_model()
        with sqlite_output(output) as temporary:
            copy = sqlite3.connect(temporary)
            try:
                runtime.read_model.conn.backup(copy)
            finally:
                copy.close()
    finally:
        runtime.close()
    click.echo(f"Backed up to {file}")


@click.command()
@click.option("--out", default="-", metavar="FILE", help=OUT_HELP)
@db_options
def schema(out, db=None, read_model=None) -> None:
    """Print the JSON Schema of the import format (built from the pydantic models).

    --db only names the database that --out must never overwrite.

    \b
    Example:
      stratlog schema --out stratlog-import.schema.json
    """
    from stratlog.domain.catalogue import RECORD_ADAPTER
    from stratlog.infrastructure.outputs import text_output
    _, output = _checked_output(out, "--out", db, read_model)
    statement = RECORD_ADAPTER.json_schema()
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "stratlog import file",
        "oneOf": [
            {"type": "array", "items": {"$ref": "#/$defs/Statement"}},
            {"type": "object", "additionalProperties": False, "required": ["statements"], "properties": {
                "defaults": {"type": "object", "description": "Merged into every statement (announced_on, source, …)."},
                "statements": {"type": "array", "items": {"$ref": "#/$defs/Statement"}}}},
        ],
        "$defs": {**statement.pop("$defs", {}), "Statement": statement},
    }
    with text_output(output) as handle:
        handle.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")

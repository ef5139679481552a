"""Getting data in and out: demo, import, export, backup and the import schema."""

from __future__ import annotations

import json
import sys
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
        runtime.catch_up(result.events, progress)
    except BaseException:
        runtime.close()
        raise
    return runtime, result


def _recorded(runtime, loaded, records, restored, progress):
    """Record the files' statements; a refusal names where in the files each refused statement is."""
    from stratlog.domain.errors import StratlogError
    from stratlog.infrastructure.import_places import placed_refusal
    try:
        return runtime.ledger.record(records, restored, progress)
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


@click.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, writable=True), help="Write to this file instead of standard output.")
@db_options
def export(fmt, out, db=None, read_model=None) -> None:
    """Export every statement and fix as JSON Lines, with ids and recorded_at (import restores them).

    \b
    Example:
      stratlog export --out backup.jsonl
      stratlog --db restored.db import backup.jsonl
    """
    from stratlog.infrastructure.config import settings
    from stratlog.infrastructure.runtime import Runtime
    runtime = Runtime(settings(db, read_model), writing=False)
    try:
        from stratlog.infrastructure.event_source import EventSource
        from stratlog.infrastructure.log_records import statement_records
        records = statement_records(runtime.fresh_read_model(), EventSource(runtime.ledger))
        handle = open(out, "w", encoding="utf-8") if out else sys.stdout
        try:
            for _, record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        finally:
            if out:
                handle.close()
    finally:
        runtime.close()


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@db_options
def backup(file, db=None, read_model=None) -> None:
    """Write a consistent copy of the database file (SQLite's online backup).

    \b
    Example:
      stratlog backup stratlog-2024-01-31.db
    """
    import sqlite3

    from stratlog.domain.errors import InvalidInput
    from stratlog.infrastructure.config import settings
    from stratlog.infrastructure.runtime import Runtime
    if Path(file).exists():
        raise InvalidInput(f"FILE: {file!r} already exists; choose a new file name")
    runtime = Runtime(settings(db, read_model), writing=False)
    try:
        runtime.fresh_read_model()
        with sqlite3.connect(file) as copy:
            runtime.read_model.conn.backup(copy)
        copy.close()
    finally:
        runtime.close()
    click.echo(f"Backed up to {file}")


@click.command()
def schema() -> None:
    """Print the JSON Schema of the import format (built from the pydantic models).

    \b
    Example:
      stratlog schema > stratlog-import.schema.json
    """
    from stratlog.domain.kinds import RECORD_ADAPTER
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
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))

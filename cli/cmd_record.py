"""`stratlog record KIND …`, `correct` and `retract`: one statement or fix per command."""

from __future__ import annotations

import click

from stratlog.cli.options import db_options

KIND_HELP = "{kind}: {summary}.\n\n\b\nExample:\n  stratlog record {example}"
SOURCE_HELP = {"source_title": "Title of the source (a title or a url is required).",
               "source_url": "Address of the source (http or https).", "publisher": "Who published it.",
               "speaker": "Who spoke.", "quote": "The words quoted, verbatim.", "language": "Language code (fr, en…).",
               "source_published_on": "When the source was published."}
LIKE_HELP = ("Reuse --announced-on and the source (not its quote) of an earlier statement (its id or 8+ "
             "characters of it); options given win, and the $STRATLOG_* defaults are then not used.")


class KindGroup(click.Group):
    """One subcommand per statement kind, built from its pydantic model when asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from stratlog.domain.catalogue import statement_kinds
        return list(statement_kinds())

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        from stratlog.domain.catalogue import BY_KIND, statement_kinds
        return _kind_command(BY_KIND[name]) if name in statement_kinds() else None  # imports that kind's module alone


@click.group(cls=KindGroup)
def record() -> None:
    """Record one statement: keys are arguments, payload fields are options.

    A run of statements from one article need not repeat its date and source: --like ID reuses
    those of an earlier statement (not its quote), and otherwise $STRATLOG_ANNOUNCED_ON,
    $STRATLOG_SOURCE_TITLE, _URL, _PUBLISHER, _SPEAKER and _LANGUAGE fill the options not given.
    Options given always win; with --like the environment is not read.

    \b
    Example:
      stratlog record model-planned alpine A390 --planned-for 2025 --segment 'GT crossover' \\
          --announced-on 2023-06 --source-title 'Automotive News Europe congress'
    """


def _kind_command(cls: type) -> click.Command:
    from stratlog.cli.fields import SOURCE_OPTIONS, click_option, payload_specs
    from stratlog.domain.catalogue import example, summary
    specs = payload_specs(cls)
    params: list[click.Parameter] = [click.Argument([key]) for key in cls.KEY_FIELDS]
    params += [click_option(spec) for spec in specs]
    params += [click.Option(["--announced-on"], metavar="DATE", help="When it was made public (2023, 2023-06, 2023-06-14).")]
    params += [click.Option([f"--{name.replace('_', '-')}", name], metavar="TEXT", help=SOURCE_HELP[name])
               for name in SOURCE_OPTIONS]
    params += [click.Option(["--note"], metavar="TEXT", help="Our remark on this statement.")]
    params += [click.Option(["--like"], metavar="ID", help=LIKE_HELP)]

    @db_options
    def callback(db=None, read_model=None, **values):
        _record_statement(cls, specs, db, read_model, values)

    command = click.Command(cls.KIND, params=params, callback=callback,
                            help=KIND_HELP.format(kind=cls.KIND, summary=summary(cls), example=example(cls)),
                            short_help=summary(cls))
    return _completing(db_options_params(command))


def _completing(command: click.Command) -> click.Command:
    """Brands, models, KPIs and statement ids complete from the database while the shell asks for them."""
    import os
    if "_STRATLOG_COMPLETE" in os.environ:
        from stratlog.cli.completion import with_completion
        with_completion(command)
    return command


def db_options_params(command: click.Command) -> click.Command:
    """`command` with the shared `--db` and `--read-model` options added to its parameters."""
    command.params += [click.Option(["--db"], metavar="TARGET", help="SQLite file or postgresql:// URL."),
                       click.Option(["--read-model"], metavar="PATH", help="Team mode: the local read-model file.")]
    return command


def _record_statement(cls, specs, db, read_model, values) -> None:
    from stratlog.cli.fields import SOURCE_OPTIONS, convert
    data = {"kind": cls.KIND}
    data.update({key: values.pop(key) for key in cls.KEY_FIELDS})
    for spec in specs:
        if values.get(spec.name) not in (None, ()):
            data[spec.name] = convert(spec, values[spec.name])
    source = {field: values[name] for name, field in SOURCE_OPTIONS.items() if values.get(name) is not None}
    for name in ("announced_on", "note"):
        if values.get(name) is not None:
            data[name] = values[name]
    origins = _inherit(data, source, _inherited(values.get("like"), db, read_model))
    if source:
        data["source"] = source
    statement = _validated(cls, data, origins)
    _save(db, read_model, [statement])


def _inherited(like: str | None, db, read_model) -> dict:
    """The announcement date and source fields an earlier statement (--like) or else the environment gives."""
    from stratlog.infrastructure.composition import open_stratlog, recording_defaults
    if like is None:
        return recording_defaults()
    with open_stratlog(db, read_model) as app:
        return app.like(like)


def _inherit(data: dict, source: dict, inherited: dict) -> dict:
    """Fill what the options left out from `inherited`; returns {field path: where it came from}."""
    origins = {}
    for path, (value, origin) in inherited.items():
        head, _, field = path.partition(".")
        into, name = (source, field) if head == "source" else (data, head)
        if name not in into:
            into[name] = value
            origins[path] = origin
    return origins


def _validated(cls, data: dict, origins: dict | None = None):
    from pydantic import ValidationError

    from stratlog.cli.fields import SOURCE_OPTIONS
    from stratlog.domain.errors import InvalidInput
    from stratlog.infrastructure.composition import field_errors
    options = {f"source.{field}": f"--{name.replace('_', '-')}" for name, field in SOURCE_OPTIONS.items()}
    options.update(origins or {})
    try:
        return cls.model_validate(data)
    except ValidationError as error:
        lines = []
        for line in field_errors(error):
            field, _, message = line.partition(": ")
            head, _, part = field.partition(".")
            if part in ("amount", "currency") and head in cls.model_fields:  # money is one option: '500000000 EUR'
                field, message = head, f"the {part} {message}"
            lines.append(f"{_option_for(cls, field, options)}: {message}")
        raise InvalidInput("; ".join(lines)) from None


def _option_for(cls, field: str, source_options: dict) -> str:
    """The command-line spelling of a model field: --deadline, --value.amount, MARKET."""
    head, dot, rest = field.partition(".")
    if field in source_options:
        return source_options[field]
    if head in cls.KEY_FIELDS:
        return head.upper()
    if head in cls.model_fields:
        return "--" + head.replace("_", "-") + dot + rest
    return field


def _save(db, read_model, records) -> None:
    from stratlog.infrastructure.composition import open_stratlog
    with open_stratlog(db, read_model, writing=True) as app:
        app.record(records, announce=_print_recorded)


def _print_recorded(result) -> None:
    """The ids, printed as soon as they are committed (before the read model catches up)."""
    for statement_id in result.new:
        click.echo(statement_id)
    for statement_id in result.existing:
        click.echo(f"{statement_id} (already recorded; nothing new)")


def _correct_command() -> click.Command:
    """`correct` takes every payload field of every kind as an option; the statement's kind decides."""
    from stratlog.cli.fields import SOURCE_OPTIONS, payload_specs
    from stratlog.domain.catalogue import STATEMENT_CLASSES
    names = sorted({spec.name for cls in STATEMENT_CLASSES for spec in payload_specs(cls)})
    params: list[click.Parameter] = [click.Argument(["statement_id"])]
    params += [click.Option([f"--{name.replace('_', '-')}", name], metavar="VALUE") for name in names]
    params += [click.Option(["--announced-on"], metavar="DATE", help="The corrected announcement date.")]
    params += [click.Option([f"--{name.replace('_', '-')}", name], metavar="TEXT") for name in SOURCE_OPTIONS]
    params += [click.Option(["--note"], metavar="TEXT", help="Why we correct it.")]
    return _completing(db_options_params(click.Command("correct", params=params, callback=_correct, help=CORRECT_HELP)))


CORRECT_HELP = """Correct a statement WE recorded wrongly (never shown as the brand's revision).

Give the corrected payload fields as options (only those of the statement's kind are
accepted); source options replace those fields of the recorded source.

\b
Example:
  stratlog correct 6cb18142 --value 120000 --note "typo: the article says 120,000"
"""


@db_options
def _correct(statement_id, announced_on=None, note=None, db=None, read_model=None, **options) -> None:
    from stratlog.cli.fields import SOURCE_OPTIONS
    from stratlog.infrastructure.composition import open_stratlog
    with open_stratlog(db, read_model, writing=True) as app:
        fields = _correction_fields(app.statement_kind(statement_id), options, announced_on)
        source = {SOURCE_OPTIONS[k]: v for k, v in options.items() if k in SOURCE_OPTIONS and v is not None}
        app.correct(statement_id, fields, note, source, announce=_print_first)


def _print_first(result) -> None:
    click.echo(result.new[0] if result.new else f"{result.existing[0]} (already recorded; nothing new)")


def _correction_fields(kind: str | None, options: dict, announced_on: str | None) -> dict:
    """The corrected payload fields, converted as the statement's kind reads them (InvalidInput for others)."""
    from stratlog.cli.fields import SOURCE_OPTIONS, convert, payload_specs
    from stratlog.domain.catalogue import BY_KIND
    from stratlog.domain.errors import InvalidInput
    cls = BY_KIND.get(kind) if kind else None
    if cls is not None and not hasattr(cls, "KEY_FIELDS"):
        cls = None  # the id names one of our fixes, not a statement: the ledger refuses it, naming why
    specs = {s.name: s for s in payload_specs(cls)} if cls else {}
    fields: dict = {}
    for name, value in options.items():
        if value is None or name in SOURCE_OPTIONS:
            continue
        if cls and name not in specs:
            raise InvalidInput(f"--{name.replace('_', '-')}: is not a field of {cls.KIND} "
                               f"(its fields: {', '.join(specs) or 'none'})")
        fields[name] = convert(specs[name], value) if name in specs else value
    if announced_on:
        fields["announced_on"] = announced_on
    return fields


@click.command()
@click.argument("statement_id")
@click.option("--reason", required=True, metavar="TEXT", help="Why the statement should not be in the record.")
@db_options
def retract(statement_id, reason, db=None, read_model=None) -> None:
    """Retract a statement WE should not have recorded (a duplicate, a misread source).

    \b
    Example:
      stratlog retract 6cb18142 --reason "duplicate of the press-release statement"
    """
    from stratlog.infrastructure.composition import open_stratlog
    with open_stratlog(db, read_model, writing=True) as app:
        app.retract(statement_id, reason, announce=_print_recorded)


def __getattr__(name: str) -> click.Command:
    """`correct`, built when asked for: it needs every kind's fields (`record KIND` imports one kind's module)."""
    if name == "correct":
        command = globals()["correct"] = _correct_command()
        return command
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""The read model's upkeep: status, rebuild, verify, and replay to a standalone file."""

from __future__ import annotations

import time

import click

from stratlog.cli.options import db_options, parse_as_of, parse_known_at


def _open(db, read_model):
    from stratlog.cli.progress import progress_for
    from stratlog.infrastructure.composition import open_stratlog
    return open_stratlog(db, read_model, progress=progress_for())


@click.group()
def projections() -> None:
    """Look after the read model: status, rebuild, verify.

    \b
    Example:
      stratlog projections verify
    """


@projections.command()
@db_options
def status(db=None, read_model=None) -> None:
    """Where the read model stands against the event log.

    \b
    Example:
      stratlog projections status
    """
    with _open(db, read_model) as app:
        log, position, rows = app.status()
    click.echo(f"event log: {log} events · read model: at {position} ({log - position} behind) · {rows} item rows")


@projections.command()
@db_options
def rebuild(db=None, read_model=None) -> None:
    """Recreate the read model from the events.

    \b
    Example:
      stratlog projections rebuild
    """
    from stratlog.cli.progress import progress_for
    with _open(db, read_model) as app:
        started = time.perf_counter()
        count = app.rebuild(progress_for())
        click.echo(f"Rebuilt the read model from {count} events in {time.perf_counter() - started:.1f} s")


@projections.command()
@click.option("--max-dates", default=40, show_default=True,
              help="As-of dates per brand from which the sample of compared answers is drawn.")
@db_options
def verify(max_dates, db=None, read_model=None) -> None:
    """Prove the read model gives the answers of the reference fold over the event log.

    Every stored event must decode and validate; then every fold unit's stored rows are compared
    with the fold at each date its answer changes and today (as known now, and at sampled earlier
    recording instants), and timeline, kpis and audit on a sample of brands at the dates where their
    answers change (up to --max-dates per brand) and today. Nothing is written.

    \b
    Example:
      stratlog projections verify
    """
    from stratlog.domain.errors import StratlogError
    with _open(db, read_model) as app:
        report = app.verify(max_dates)
    for line in report.lines:
        click.echo(line)
    if report.log_problems:
        differing = _differing(report)
        also = f"\nThe read model also differs from the fold in {differing} (run 'stratlog projections " \
               f"rebuild')." if differing else ""
        raise StratlogError(_damaged_log(report.log_problems) + also)
    if report.problems:
        shown = report.unit_problems[:20] + report.answer_problems[:max(0, 20 - len(report.unit_problems))]
        raise StratlogError(f"the read model differs from the fold in {_differing(report)} (run 'stratlog "
                            f"projections rebuild'):\n" + "\n".join(shown))
    click.echo("OK: the read model equals the fold.")


def _differing(report) -> str:
    """'2 units and 3 answers': where the read model differs from the fold ('' when nowhere)."""
    counts = [(len(report.unit_problems), "unit"), (len(report.answer_problems), "answer")]
    return " and ".join(f"{n} {word}{'s' * (n != 1)}" for n, word in counts if n)


def _damaged_log(problems: list[str]) -> str:
    """The refusal that lists a damaged log's problems: 20 lines, then how many more."""
    more = f"\n… and {len(problems) - 20} more" if len(problems) > 20 else ""
    places = f"{len(problems)} place{'s' * (len(problems) > 1)}"
    return (f"the event log is damaged in {places} (a rebuild cannot fix this; restore a backup or an export, or "
            f"ignore it: every other command leaves these events out):\n" + "\n".join(problems[:20]) + more)


@click.command()
@click.option("--to", "to", required=True, metavar="DATE", help="The as-of date.")
@click.option("--out", required=True, metavar="FILE.db",
              help="The SQLite file to write (replaced whole, only once complete).")
@click.option("--known-at", "known_at", metavar="INSTANT", help="What this database contained at INSTANT [default: now].")
@db_options
def replay(to, out, known_at, db=None, read_model=None) -> None:
    """Write the answers as of a date (timeline, kpis, audit, state) to a standalone SQLite file.

    \b
    Example:
      stratlog replay --to 2023-06-30 --out alpine-2023-06.db
    """
    from stratlog.cli.progress import progress_for
    as_of, moment = parse_as_of(to, "--to"), parse_known_at(known_at)
    with _open(db, read_model) as app:
        counts = app.replay(as_of, out, moment, progress_for())
    click.echo(f"Wrote {out} as of {as_of}: " + ", ".join(f"{n} {t} rows" for t, n in counts.items()))

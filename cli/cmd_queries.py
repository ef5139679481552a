"""Query commands: events, timeline, kpis, audit, state, diff and checks."""

from __future__ import annotations


import click

from stratlog.cli.options import brand_option, db_options, format_options, parse_as_of, time_options
from stratlog.cli.render import as_csv, as_json, as_table

TIMELINE = (("date", "date"), ("subject_type", "type"), ("subject", "subject"), ("status", "status"),
            ("announced_on", "stated"), ("source", "source"), ("short_id", "statement"))
KPIS = (("kpi", "kpi"), ("scope", "scope"), ("deadline", "deadline"), ("horizon", "horizon"),
        ("comparator", "comparator"), ("target", "target"), ("unit", "unit"), ("actual", "actual"),
        ("actual_period", "period"), ("required_cagr", "needs %/yr"), ("status", "status"))
AUDIT = (("kpi", "kpi"), ("scope", "scope"), ("change", "change"), ("old_value", "old value"),
         ("new_value", "new value"), ("old_deadline", "old deadline"), ("new_deadline", "new deadline"),
         ("announced_on", "announced"), ("recorded_at", "recorded"), ("source", "source"), ("short_id", "statement"))
DIFF = (("change", "change"), ("subject_type", "type"), ("subject", "subject"), ("before_text", "before"),
        ("after_text", "after"))
CHECKS = (("check", "check"), ("subject", "subject"), ("status", "status"), ("message", "message"))
EVENTS = (("position", "#"), ("short_id", "statement"), ("kind", "kind"), ("subject", "subject"), ("details", "details"),
          ("announced_on", "announced"), ("recorded_at", "recorded"), ("source_label", "source"))


def emit(rows, fmt: str, columns, empty: str = "(nothing)") -> None:
    if fmt == "json":
        click.echo(as_json(rows))
    elif fmt == "csv":
        click.echo(as_csv(rows), nl=False)
    elif not rows:
        click.echo(empty)
    else:
        shown = [dict(r, short_id=(r.get("statement_id") or "")[:8]) for r in rows]
        columns = with_brand(columns, rows)
        click.echo(as_table(shown, [c for c, _ in columns], [h for _, h in columns]))


def with_brand(columns, rows):
    """A brand column first whenever the rows are of more than one brand."""
    if len({r.get("brand") for r in rows}) > 1 and all(c != "brand" for c, _ in columns):
        return (("brand", "brand"), *columns)
    return columns


def _run(db, read_model, ask):
    """Open the application on --db, ask it one question, close it."""
    from stratlog.cli.progress import progress_for
    from stratlog.infrastructure.composition import open_stratlog
    with open_stratlog(db, read_model, progress=progress_for()) as app:
        return ask(app)


def print_timeline(rows, fmt):
    from stratlog.cli.render import with_schedule
    emit([with_schedule(r) for r in rows] if fmt == "table" else rows, fmt, TIMELINE, "(nothing announced yet)")


def print_kpis(rows, fmt):
    from stratlog.cli.render import deadline_cell, term
    shown = rows if fmt != "table" else [dict(r, target=term(r), deadline=deadline_cell(r)) for r in rows]
    emit(shown, fmt, KPIS, "(no targets)")


def audit_table(rows: list[dict]) -> list[dict]:
    """Audit rows as the table shows them: ranges as low–high, an open target's deadline as `open`."""
    from stratlog.cli.render import term
    shown = []
    for r in rows:
        had_target = r["change"] not in ("set", "retracted") or r.get("old_value") is not None
        shown.append(dict(r, old_value=term(r, "old_"), new_value=term(r, "new_"),
                          old_deadline=r["old_deadline"] or ("open" if had_target else None),
                          new_deadline=r["new_deadline"] or (None if r["change"] == "retracted" else "open")))
    return shown


@click.command()
@brand_option
@time_options
@format_options
@db_options
def timeline(brand, as_of, known_at, fmt, db=None, read_model=None) -> None:
    """One row per model, market, dealer agreement, target, valuation and IPO stance, with its status.

    \b
    Example:
      stratlog timeline --brand alpine --as-of 2023-06-30
    """
    print_timeline(_run(db, read_model, lambda app: app.timeline(brand, as_of, known_at)), fmt)


@click.command()
@brand_option
@click.option("--live", is_flag=True, help="Only targets still in play (pending, on-track, at-risk, off-track, overdue).")
@time_options
@format_options
@db_options
def kpis(brand, live, as_of, known_at, fmt, db=None, read_model=None) -> None:
    """Every target under its current deadline: latest actual, growth required per year, status.

    \b
    Example:
      stratlog kpis --brand alpine --as-of 2023-06-30 --json
    """
    print_kpis(_run(db, read_model, lambda app: app.kpis(brand, as_of, known_at, live)), fmt)


@click.command()
@click.argument("brand")
@click.argument("kpi", required=False)
@click.option("--deadline", metavar="DATE", help="Only the target whose current or any earlier deadline is DATE.")
@time_options
@format_options
@db_options
def audit(brand, kpi, deadline, as_of, known_at, fmt, db=None, read_model=None) -> None:
    """Every statement about a brand's targets in fold order: set, raised, lowered, moved, … and our fixes.

    \b
    Example:
      stratlog audit alpine annual-sales --deadline 2030
    """
    from stratlog.cli.options import parse_deadline
    deadline = parse_deadline(deadline)
    rows = _run(db, read_model, lambda app: app.audit(brand, kpi, deadline, as_of, known_at))
    emit(audit_table(rows) if fmt == "table" else rows, fmt, AUDIT, "(no target statements)")


@click.command()
@click.argument("brand")
@time_options
@format_options
@db_options
def state(brand, as_of, known_at, fmt, db=None, read_model=None) -> None:
    """A brand's picture as of a date: valuation, IPO stance, models, markets, agreements, targets.

    \b
    Example:
      stratlog state alpine --as-of 2023-06
    """
    picture = _run(db, read_model, lambda app: app.state(brand, as_of, known_at))
    if fmt == "json":
        click.echo(as_json(picture))
        return
    if fmt == "csv":
        raise click.UsageError("state is one object; use --format table or json", ctx=click.get_current_context())
    from stratlog.cli.state_text import state_text
    click.echo(state_text(picture))


@click.command()
@click.option("--from", "before", required=True, metavar="DATE", help="The earlier as-of date.")
@click.option("--to", "after", required=True, metavar="DATE", help="The later as-of date.")
@brand_option
@click.option("--known-at", "known_at", metavar="INSTANT", help="What this database contained at INSTANT.")
@format_options
@db_options
def diff(before, after, brand, known_at, fmt, db=None, read_model=None) -> None:
    """What changed between two as-of dates: subjects added, changed or removed.

    \b
    Example:
      stratlog diff --brand alpine --from 2023-05-31 --to 2023-06-30
    """
    from stratlog.cli.options import parse_known_at
    d1, d2, t = parse_as_of(before, "--from"), parse_as_of(after, "--to"), parse_known_at(known_at)
    rows = _run(db, read_model, lambda app: app.diff(d1, d2, brand, t))
    shown = rows if fmt != "table" else [dict(r, before_text=_answer(r["before"]), after_text=_answer(r["after"])) for r in rows]
    emit(shown, fmt, DIFF, "(no change)")


def _answer(answer) -> str:
    from stratlog.domain.jsonvalues import display
    if not answer:
        return ""
    parts = [answer.get("name") or "", answer["status"] or "", answer.get("date") or ""]
    if "value" in answer:
        parts.append(display(answer["value"]))
    return " · ".join(p for p in parts if p)


@click.command()
@brand_option
@time_options
@format_options
@db_options
def checks(brand, as_of, known_at, fmt, db=None, read_model=None) -> None:
    """Consistency warnings: growth-rate targets vs the revenue targets they imply, odd dates.

    \b
    Example:
      stratlog checks --brand alpine
    """
    emit(_run(db, read_model, lambda app: app.checks(brand, as_of, known_at)), fmt, CHECKS, "(no findings)")


@click.command()
@brand_option
@click.option("--kind", metavar="KIND", help="Only statements of this kind (e.g. target-set).")
@click.option("--since", metavar="INSTANT", help="Only statements recorded at or after INSTANT (ISO date-time or date).")
@format_options
@db_options
def events(brand, kind, since, fmt, db=None, read_model=None) -> None:
    """The raw log: every statement and fix with its three clocks, in recording order.

    \b
    Example:
      stratlog events --brand alpine --kind target-set --format csv
    """
    moment = _since(since)
    rows = _run(db, read_model, lambda app: app.events(brand, kind, moment))
    if fmt == "table":
        rows = [dict(r, source_label=(r.get("source") or {}).get("title") or (r.get("source") or {}).get("url"))
                for r in rows]
    emit(rows, fmt, EVENTS, "(no statements)")


def _since(text):
    if not text:
        return None
    from datetime import datetime, time, timezone

    from stratlog.cli.options import parse_known_at
    from stratlog.domain.dates import PartialDate
    try:
        return datetime.combine(PartialDate.parse(text).start, time.min, timezone.utc)
    except ValueError:
        return parse_known_at(text, "--since")


"""Query commands: events, timeline, kpis, audit, state, diff and checks."""

from __future__ import annotations

import click

from stratlog.application.query_dates import in_series
from stratlog.cli.emit import deliver, flat_answer, heading, refuse_binary_on_terminal, rendered
from stratlog.cli.options import (OutputChoice, brand_option, db_options, format_options, output_options,
                                  parse_as_of, series_option, time_options)

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
# The answer keys of each query (DESIGN §6), whose flat columns head an empty csv, tsv or xlsx answer.
TIMELINE_KEYS = ("brand", "subject_type", "subject", "date", "status", "announced_on", "statement_id", "recorded_at",
                 "source", "source_url", "publisher", "identity", "value")
KPIS_KEYS = ("brand", "kpi", "scope", "deadline", "horizon", "value", "low", "high", "unit", "comparator", "baseline",
             "condition", "actual", "actual_period", "actual_comparator", "required_cagr", "status", "identity",
             "announced_on", "statement_id", "recorded_at", "source", "source_url", "publisher")
AUDIT_KEYS = ("brand", "kpi", "scope", "deadline", "change", "old_value", "new_value", "old_deadline", "new_deadline",
              "announced_on", "recorded_at", "statement_id", "source")
DIFF_KEYS = ("brand", "change", "subject_type", "subject", "before", "after")
CHECKS_KEYS = ("brand", "check", "subject", "status", "message")
EVENTS_KEYS = ("position", "statement_id", "recorded_at", "brand", "announced_on", "source_title", "source_url",
               "source_publisher", "kind", "subject", "details")
EVENTS = (("position", "#"), ("short_id", "statement"), ("kind", "kind"), ("subject", "subject"), ("details", "details"),
          ("announced_on", "announced"), ("recorded_at", "recorded"), ("source_label", "source"))


def _answer(db, read_model, ask, show, fmt: str, output: OutputChoice) -> None:
    """Open the application on --db, ask it one question, write the answer as `show(rows)` renders it."""
    from stratlog.cli.progress import progress_for
    from stratlog.infrastructure.composition import open_stratlog
    refuse_binary_on_terminal(fmt, output)
    with open_stratlog(db, read_model, progress=progress_for()) as app:
        deliver(app, show(ask(app)), output)


def _once_or_series(as_of, series, question):
    """`question(app, as_of)` asked once, or as of every date of the series with each row's as_of."""
    if not series:
        return lambda app: question(app, as_of)
    return lambda app: in_series(series, lambda day: question(app, day))


def print_timeline(rows, fmt) -> None:
    """Timeline rows as `fmt` on standard output, without a heading (the demo prints its own titles)."""
    click.echo(timeline_text(rows, fmt), nl=False)


def timeline_text(rows, fmt, output: OutputChoice = OutputChoice(), title=None, series=None):
    """Timeline rows rendered; a table reads a scheduled event beside the status and starts with `title`."""
    from stratlog.cli.render import with_schedule
    shown = [with_schedule(r) for r in rows] if fmt == "table" else rows
    return rendered(shown, fmt, _in_series(TIMELINE, series), output, empty="(nothing announced yet)", title=title,
                    keys=_in_series(TIMELINE_KEYS, series))


def print_kpis(rows, fmt) -> None:
    """KPI rows as `fmt` on standard output, without a heading (the demo prints its own titles)."""
    click.echo(kpis_text(rows, fmt), nl=False)


def kpis_text(rows, fmt, output: OutputChoice = OutputChoice(), title=None, series=None):
    """KPI rows rendered; a table shows ranges as low–high, an open deadline as `open`, and starts with `title`."""
    from stratlog.cli.render import deadline_cell, term
    shown = rows if fmt != "table" else [dict(r, target=term(r), deadline=deadline_cell(r)) for r in rows]
    return rendered(shown, fmt, _in_series(KPIS, series), output, empty="(no targets)", title=title,
                    keys=_in_series(KPIS_KEYS, series))


def _in_series(columns, series):
    if not series:
        return columns
    return (("as_of", "as of") if isinstance(columns[0], tuple) else "as_of", *columns)


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
@series_option
@time_options
@format_options
@output_options
@db_options
def timeline(brand, as_of, known_at, series, fmt, output, db=None, read_model=None) -> None:
    """One row per model, market, dealer agreement, target, valuation and IPO stance, with its status.

    \b
    Example:
      stratlog timeline --brand alpine --as-of 2023-06-30
      stratlog timeline --brand alpine --as-of 2023..2025 --every year --csv --out timeline.csv
    """
    ask = _once_or_series(as_of, series, lambda app, day: app.timeline(brand, day, known_at, flat=flat_answer(fmt)))
    title = heading(as_of, known_at, series)
    _answer(db, read_model, ask, lambda rows: timeline_text(rows, fmt, output, title, series), fmt, output)


@click.command()
@brand_option
@click.option("--live", is_flag=True, help="Only targets still in play (pending, on-track, at-risk, off-track, overdue).")
@series_option
@time_options
@format_options
@output_options
@db_options
def kpis(brand, live, as_of, known_at, series, fmt, output, db=None, read_model=None) -> None:
    """Every target under its current deadline: latest actual, growth required per year, status.

    \b
    Example:
      stratlog kpis --brand alpine --as-of 2023-06-30 --json
      stratlog kpis --brand alpine --as-of 2023-Q1..2025-Q4 --every quarter --csv --bom --out kpis.csv
    """
    ask = _once_or_series(as_of, series, lambda app, day: app.kpis(brand, day, known_at, live, flat=flat_answer(fmt)))
    title = heading(as_of, known_at, series)
    _answer(db, read_model, ask, lambda rows: kpis_text(rows, fmt, output, title, series), fmt, output)


@click.command()
@click.argument("brand")
@click.argument("kpi", required=False)
@click.option("--deadline", metavar="DATE", help="Only the target whose current or any earlier deadline is DATE.")
@time_options
@format_options
@output_options
@db_options
def audit(brand, kpi, deadline, as_of, known_at, fmt, output, db=None, read_model=None) -> None:
    """Every statement about a brand's targets in fold order: set, raised, lowered, moved, … and our fixes.

    \b
    Example:
      stratlog audit alpine annual-sales --deadline 2030
    """
    from stratlog.cli.options import parse_deadline
    deadline = parse_deadline(deadline)
    title = heading(as_of, known_at)
    _answer(db, read_model, lambda app: app.audit(brand, kpi, deadline, as_of, known_at, flat=flat_answer(fmt)),
            lambda rows: rendered(audit_table(rows) if fmt == "table" else rows, fmt, AUDIT, output,
                                  empty="(no target statements)", title=title, keys=AUDIT_KEYS), fmt, output)


@click.command()
@click.argument("brand")
@time_options
@format_options
@output_options
@db_options
def state(brand, as_of, known_at, fmt, output, db=None, read_model=None) -> None:
    """A brand's picture as of a date: valuation, IPO stance, models, markets, agreements, targets.

    State is one object: --format table, json or nl (for rows, see timeline and kpis --csv).

    \b
    Example:
      stratlog state alpine --as-of 2023-06
    """
    if fmt in ("csv", "tsv", "xlsx"):
        raise click.UsageError(f"state is one object, not rows: use --format table, json or nl, not {fmt} "
                               f"(timeline and kpis give its rows as {fmt})")
    _answer(db, read_model, lambda app: app.state(brand, as_of, known_at),
            lambda picture: _state_text(picture, fmt, heading(as_of, known_at)), fmt, output)


def _state_text(picture: dict, fmt: str, title: str) -> str:
    from stratlog.cli.render import as_json, as_lines
    if fmt == "json":
        return as_json(picture) + "\n"
    if fmt == "nl":
        return as_lines([picture])
    from stratlog.cli.state_text import state_text
    return f"{title}\n{state_text(picture)}\n"


@click.command()
@click.option("--from", "before", required=True, metavar="DATE", help="The earlier as-of date.")
@click.option("--to", "after", required=True, metavar="DATE", help="The later as-of date.")
@brand_option
@click.option("--known-at", "known_at", metavar="INSTANT", help="What this database contained at INSTANT.")
@format_options
@output_options
@db_options
def diff(before, after, brand, known_at, fmt, output, db=None, read_model=None) -> None:
    """What changed between two as-of dates: subjects added, changed or removed.

    \b
    Example:
      stratlog diff --brand alpine --from 2023-05-31 --to 2023-06-30
    """
    from stratlog.cli.options import parse_known_at
    d1, d2, t = parse_as_of(before, "--from"), parse_as_of(after, "--to"), parse_known_at(known_at)
    title = heading(None, t, span=(d1, d2))
    _answer(db, read_model, lambda app: app.diff(d1, d2, brand, t, flat=flat_answer(fmt)),
            lambda rows: rendered(_diff_table(rows) if fmt == "table" else rows, fmt, DIFF, output,
                                  empty="(no change)", title=title, keys=DIFF_KEYS), fmt, output)


def _diff_table(rows: list[dict]) -> list[dict]:
    return [dict(r, before_text=_answer_text(r["before"]), after_text=_answer_text(r["after"])) for r in rows]


def _answer_text(answer) -> str:
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
@output_options
@db_options
def checks(brand, as_of, known_at, fmt, output, db=None, read_model=None) -> None:
    """Consistency warnings: growth-rate targets vs the revenue targets they imply, odd dates.

    \b
    Example:
      stratlog checks --brand alpine
    """
    title = heading(as_of, known_at)
    _answer(db, read_model, lambda app: app.checks(brand, as_of, known_at, flat=flat_answer(fmt)),
            lambda rows: rendered(rows, fmt, CHECKS, output, empty="(no findings)", title=title, keys=CHECKS_KEYS),
            fmt, output)


@click.command()
@brand_option
@click.option("--kind", metavar="KIND", help="Only statements of this kind (e.g. target-set).")
@click.option("--since", metavar="INSTANT", help="Only statements recorded at or after INSTANT (ISO date-time or date).")
@format_options
@output_options
@db_options
def events(brand, kind, since, fmt, output, db=None, read_model=None) -> None:
    """The raw log: every statement and fix with its three clocks, in recording order.

    \b
    Example:
      stratlog events --brand alpine --kind target-set --format csv
    """
    moment = _since(since)
    _answer(db, read_model, lambda app: app.events(brand, kind, moment, flat=flat_answer(fmt)),
            lambda rows: rendered(_events_table(rows) if fmt == "table" else rows, fmt, EVENTS, output,
                                  empty="(no statements)", keys=EVENTS_KEYS), fmt, output)


def _events_table(rows: list[dict]) -> list[dict]:
    return [dict(r, source_label=(r.get("source") or {}).get("title") or (r.get("source") or {}).get("url"))
            for r in rows]


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

"""`stratlog show ID` (one statement whole) and `stratlog info` (which database, how far behind)."""

from __future__ import annotations

import textwrap

import click

from stratlog.cli.options import db_options

SHOWN_APART = {"statement_id", "kind", "brand", "announced_on", "recorded_at", "source", "note", "position",
               "subject_type", "subject", "effective", "corrections", "retraction", "as_corrected"}
WIDTH = 100


def _format_option(command):
    command = click.option("--json", "as_json", is_flag=True, help="Short for --format json.")(command)
    return click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
                        show_default=True, help="Output format.")(command)


@click.command()
@click.argument("statement_id", metavar="ID")
@_format_option
@db_options
def show(statement_id, fmt, as_json, db=None, read_model=None) -> None:
    """One statement whole: every field, its three clocks, its source and quote, its corrections and retraction.

    ID is the statement id or any unique prefix of 8 or more characters (as `events` and
    `record` print them); a prefix that matches several is refused, listing them.

    \b
    Example:
      stratlog show 6cb18142
      stratlog show 6cb18142 --format json
    """
    from stratlog.infrastructure.composition import open_stratlog
    with open_stratlog(db, read_model) as app:
        card = app.show(statement_id)
    click.echo(_json(card) if as_json or fmt == "json" else "\n".join(card_lines(card)))


def card_lines(card: dict) -> list[str]:
    """The terminal text of a statement card (untrusted text made harmless, long text wrapped)."""
    effective, fix = card["effective"], card["kind"] in ("statement-corrected", "statement-retracted")
    lines = [_line("statement", card["statement_id"]), _line("kind", card["kind"]),
             _line("subject", f"{card['subject_type']} {card['subject']}" + (f" of {card['brand']}" if card['brand'] and card['subject'] != card['brand'] else "")),
             _line("announced_on", card.get("announced_on") or ("— (our fix: none)" if fix else "— (bookkeeping: none)")),
             _line("effective", f"{effective['on']} ({effective['field']}: {effective['event']})" if effective
                   else "from its recorded_at, at every as-of date" if fix else "when announced"),
             _line("recorded_at", f"{card['recorded_at']} (position {card['position']} in the log)")]
    lines += [_line(name, value) for name, value in card.items() if name not in SHOWN_APART]
    if card.get("note"):
        lines.append(_line("note", card["note"]))
    if card.get("source"):
        lines.append("source")
        lines += [_line(f"  {name}", value) for name, value in card["source"].items()]
    for correction in card["corrections"]:
        lines.append(f"corrected at {correction['recorded_at']} by {correction['statement_id']}")
        lines += [_line(f"  {name}", f"{_cell(card.get(name))} → {_cell(value)}")
                  for name, value in (correction["fields"] or {}).items()]
        if correction.get("note"):
            lines.append(_line("  note", correction["note"]))
    retraction = card["retraction"]
    if retraction:
        lines.append(f"retracted at {retraction['recorded_at']} by {retraction['statement_id']}")
        lines.append(_line("  reason", retraction["reason"]))
    return lines


def _line(name: str, value: object) -> str:
    head = f"{name:<15} "
    text = _cell(value)
    wrapped = textwrap.wrap(text, WIDTH - len(head)) or [""]
    return head + ("\n" + " " * len(head)).join(wrapped)


def _cell(value: object) -> str:
    from stratlog.cli.render import cell
    if isinstance(value, dict) and set(value) == {"amount", "currency"}:
        return f"{value['amount']} {value['currency']}"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    return "—" if value is None else cell(value)


def _json(data: object) -> str:
    from stratlog.cli.render import as_json
    return as_json(data)


@click.command()
@_format_option
@db_options
def info(fmt, as_json, db=None, read_model=None) -> None:
    """Which database and read model this is, how many events, how far behind, which fold built it.

    It changes nothing: a read model behind the log is caught up by the next query.

    \b
    Example:
      stratlog info
      stratlog --db postgresql://analyst@db.example/stratlog info --json
    """
    from stratlog.infrastructure.composition import open_stratlog
    with open_stratlog(db, read_model) as app:
        facts = app.info()
    if as_json or fmt == "json":
        click.echo(_json(facts))
        return
    for line in info_lines(facts):
        click.echo(line)


def info_lines(facts: dict) -> list[str]:
    """The terminal text of `info`."""
    where = facts["read_model"] or "inside the database file"
    built = facts["projection_version"]
    fold = (f"{built} (this stratlog's: {facts['current_projection_version']}"
            + ("; the next query refolds it)" if facts["refold_needed"] else ")")) if built is not None else "none yet"
    return [_line("database", f"{facts['database']} ({'team mode: PostgreSQL' if facts['mode'] == 'team' else 'SQLite'})"),
            _line("read model", where),
            _line("events", facts["events"]),
            _line("read model at", f"{facts['position']} ({facts['behind']} behind"
                  + ("; the next query catches up)" if facts["behind"] else ")")),
            _line("projection", fold),
            _line("statements", f"{facts['statements']} folded, of {facts['brands']} brand{'s' * (facts['brands'] != 1)}")]

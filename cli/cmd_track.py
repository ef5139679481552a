"""The track-record command: how far each brand's word has held, one row per brand."""

from __future__ import annotations

import click

from stratlog.cli.emit import flat_answer, heading, rendered
from stratlog.cli.options import db_options, format_options, output_options, time_options

TRACK_RECORD = (("brand", "brand"), ("targets_judged", "judged"), ("achieved", "achieved"), ("missed", "missed"),
                ("withdrawn", "withdrawn"), ("overdue", "overdue"), ("kept_rate", "kept %"), ("cuts", "cuts"),
                ("raises", "raises"), ("plans_delivered", "delivered"), ("on_time", "on time"), ("late", "late"),
                ("cancelled", "cancelled"), ("plans_overdue", "plans overdue"), ("mean_slip_months", "mean slip (months)"))


@click.command("track-record")
@click.option("--brand", "brands", metavar="SLUG", multiple=True, help="Only this brand (repeat for several) [default: every brand].")
@time_options
@format_options
@output_options
@db_options
def track_record(brands, as_of, known_at, fmt, output, db=None, read_model=None) -> None:
    """How far each brand's word has held as of a date: targets achieved, missed, withdrawn and overdue,
    cuts and raises, plans delivered on time or late, cancelled or overdue, mean slip in months.

    \b
    Example:
      stratlog track-record --brand alpine --as-of 2026-06-30 --format json
    """
    from stratlog.cli.cmd_queries import _answer
    title = heading(as_of, known_at)
    _answer(db, read_model, lambda app: app.track_record(list(brands), as_of, known_at, flat=flat_answer(fmt)),
            lambda rows: rendered(rows, fmt, TRACK_RECORD, output, empty="(no brand registered)", title=title,
                                  keys=("brand", "as_of", *(key for key, _ in TRACK_RECORD[1:]))), fmt, output)

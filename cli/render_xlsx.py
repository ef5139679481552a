"""Rendering flat rows as an Excel workbook (openpyxl, the `xlsx` extra) with typed cells."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timezone
from typing import Any, Sequence

from stratlog.cli.render import all_columns, safe_text

INSTALL = "--format xlsx needs openpyxl, which is not installed; install it with: pip install 'stratlog[xlsx]'"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")
SHEET = "stratlog"
MOST_ROWS = 1_048_576  # the rows of one Excel sheet


class XlsxMissing(Exception):
    """Raised when openpyxl (the `xlsx` extra) is not installed; the message says how to install it."""

    def __init__(self) -> None:
        super().__init__(INSTALL)


def as_xlsx(rows: Sequence[dict], headers: bool = True, columns: Sequence[str] | None = None) -> bytes:
    """One sheet of flat rows as .xlsx bytes (columns: every key in order of appearance unless given):
    numbers and booleans as such; the ISO days of a `*_start`, `*_end` or `as_of` column as dates and the
    ISO instants of a `*_at` column (recorded_at) as UTC date-times, chosen by the column's name, never by
    its data (a `date` or `deadline` kept as written stays text); other text as text, never as a formula.
    Raises XlsxMissing when openpyxl is not installed."""
    try:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
    except ImportError:
        raise XlsxMissing() from None
    columns = list(columns or all_columns(rows))
    kinds = [_kind(c) for c in columns]
    book = Workbook(write_only=True)  # streamed: a large answer is written in constant memory per row
    sheet = book.create_sheet(SHEET)
    if headers:
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        sheet.append([_cell(WriteOnlyCell(sheet, value=c), font=bold) for c in columns])
    for row in rows:
        sheet.append([_typed(sheet, WriteOnlyCell, row.get(c), kind) for c, kind in zip(columns, kinds)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(cell, **style):
    for name, value in style.items():
        setattr(cell, name, value)
    return cell


def _kind(column: str) -> str:
    """`day` for a `*_start`, `*_end` or `as_of` column, `instant` for a `*_at` column, else `as is`."""
    if column == "as_of" or column.endswith(("_start", "_end")):
        return "day"
    return "instant" if column.endswith("_at") else "as is"


def _typed(sheet, make_cell, value: Any, kind: str) -> Any:
    """A value as its cell: a day or an instant as a date cell shown ISO-style, a text never as a formula."""
    if value in (None, ""):
        return None
    if kind == "day" and isinstance(value, str) and _DAY.fullmatch(value):
        return _cell(make_cell(sheet, value=date.fromisoformat(value)), number_format="yyyy-mm-dd")
    if kind == "instant" and isinstance(value, str) and _INSTANT.fullmatch(value):
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        moment = (moment.astimezone(timezone.utc) if moment.tzinfo else moment).replace(tzinfo=None)  # Excel: no zones
        return _cell(make_cell(sheet, value=moment), number_format="yyyy-mm-dd hh:mm:ss")
    if isinstance(value, (bool, int, float)):
        return value
    text = safe_text(value if isinstance(value, str) else str(value))
    if text.startswith("="):  # a title from a source never runs as a formula
        return _cell(make_cell(sheet, value=text), data_type="s")
    return text

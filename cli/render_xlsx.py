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


class XlsxMissing(Exception):
    """Raised when openpyxl (the `xlsx` extra) is not installed; the message says how to install it."""

    def __init__(self) -> None:
        super().__init__(INSTALL)


def as_xlsx(rows: Sequence[dict], headers: bool = True) -> bytes:
    """One sheet of flat rows as .xlsx bytes: numbers and booleans as such, and a column whose every value
    is an ISO day (2024-06-30) as dates, or an ISO instant (recorded_at) as UTC date-times; other text as text,
    never as a formula. Raises XlsxMissing when openpyxl is not installed."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
    except ImportError:
        raise XlsxMissing() from None
    columns = all_columns(rows)
    kinds = {c: _kind([row.get(c) for row in rows]) for c in columns}
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    if headers:
        sheet.append(columns)
        for header in sheet[1]:
            header.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([_typed(row.get(c), kinds[c]) for c in columns])
    _text_stays_text(sheet)
    _formats(sheet, columns, kinds, 2 if headers else 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _kind(values: list[Any]) -> str:
    """`day` or `instant` when every non-empty value of a column is such a text, else `as is`."""
    present = [v for v in values if v not in (None, "")]
    if present and all(isinstance(v, str) and _DAY.fullmatch(v) for v in present):
        return "day"
    if present and all(isinstance(v, str) and _INSTANT.fullmatch(v) for v in present):
        return "instant"
    return "as is"


def _typed(value: Any, kind: str) -> Any:
    if value in (None, ""):
        return None
    if kind == "day":
        return date.fromisoformat(value)
    if kind == "instant":
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        moment = moment.astimezone(timezone.utc) if moment.tzinfo else moment
        return moment.replace(tzinfo=None)  # Excel has no time zones: the column is UTC
    if isinstance(value, (bool, int, float)):
        return value
    return safe_text(value if isinstance(value, str) else str(value))


def _text_stays_text(sheet) -> None:
    """A text starting with '=' is stored as text: a title from a source never runs as a formula."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def _formats(sheet, columns: list[str], kinds: dict[str, str], first_row: int) -> None:
    """Days shown as yyyy-mm-dd and instants as yyyy-mm-dd hh:mm:ss, whatever the spreadsheet's locale."""
    shown = {"day": "yyyy-mm-dd", "instant": "yyyy-mm-dd hh:mm:ss"}
    for index, column in enumerate(columns, start=1):
        if kinds[column] in shown:
            for (cell,) in sheet.iter_rows(min_row=first_row, min_col=index, max_col=index):
                cell.number_format = shown[kinds[column]]

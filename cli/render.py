"""Rendering rows as a terminal table, JSON, JSON lines, CSV or TSV, with untrusted text made harmless."""

from __future__ import annotations

import io
import json
import re
from typing import Any, Sequence

from stratlog.cli.terminal import shows_boxes

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """Control and bidi characters shown as escapes, so a title cannot rewrite the terminal."""
    text = text.replace("\n", " ")
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def cell(value: Any) -> str:
    """A value as one table cell: lists joined with commas, money and numbers displayed, control text escaped."""
    from stratlog.domain.jsonvalues import display
    if isinstance(value, list):
        return ", ".join(cell(v) for v in value)
    return safe_text(display(value))


def with_schedule(row: dict) -> dict:
    """A row whose status reads with its next scheduled event, for tables: `planned (reveal 2024-06-13)`."""
    scheduled = row.get("scheduled")
    if not scheduled:
        return row
    return {**row, "status": f"{row.get('status') or ''} ({scheduled['event']} {scheduled['on']})".strip()}


def as_json(data: Any) -> str:
    """Rows (or one object) as indented JSON, non-ASCII kept as is."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def as_lines(rows: Sequence[dict]) -> str:
    """Newline-delimited JSON: one row a line (`--nl`), each line the object `--format json` lists."""
    return "".join(json.dumps(row, ensure_ascii=False, default=str) + "\n" for row in rows)


def as_csv(rows: Sequence[dict], columns: Sequence[str] | None = None, *, delimiter: str = ",",
           headers: bool = True) -> str:
    """Rows as CSV (TSV with delimiter "\t"); columns: every key in order of appearance unless given.

    Nested values are written as JSON text (flatten rows first for typed columns); a text a spreadsheet
    would run as a formula starts with an apostrophe; control characters are escaped.
    """
    import csv  # here: only CSV and TSV outputs need it

    columns = list(columns or all_columns(rows))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", delimiter=delimiter)
    if headers:
        writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])
    return out.getvalue()


def _csv_cell(value: Any) -> str:
    if isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False)
    elif value is None:
        text = ""
    else:
        text = str(value).lower() if isinstance(value, bool) else str(value)
    text = _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return "'" + text if text.startswith(_FORMULA) and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def all_columns(rows: Sequence[dict]) -> list[str]:
    """Every key of the rows, each in the place its row gives it: a key first seen in a later row goes right
    after the key before it there (so `value_amount` sits beside `value`, not at the end)."""
    columns: list[str] = []
    seen: set[str] = set()
    for row in rows:
        previous = None
        for key in row:
            if key not in seen:
                columns.insert(columns.index(previous) + 1 if previous is not None else 0, key)
                seen.add(key)
            previous = key
    return columns


def as_table(rows: Sequence[dict], columns: Sequence[str], headers: Sequence[str] | None = None,
             show_headers: bool = True) -> str:
    """A plain aligned table; the widest column is cut to fit the terminal."""
    headers = list(headers or columns)
    body = [[cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(h) if show_headers else 1] + [len(r[i]) for r in body]) for i, h in enumerate(headers)]
    import shutil  # here: only terminal tables ask for the width (shutil imports bz2 and lzma)
    _fit(widths, shutil.get_terminal_size((160, 24)).columns)
    rule = "─" if shows_boxes() else "-"
    lines = [_line(headers, widths), _line([rule * w for w in widths], widths)] if show_headers else []
    lines += [_line(r, widths) for r in body]
    return "\n".join(lines)


def _fit(widths: list[int], total: int) -> None:
    while sum(widths) + 2 * (len(widths) - 1) > total and max(widths) > 12:
        widths[widths.index(max(widths))] -= 1


def _line(values: Sequence[str], widths: Sequence[int]) -> str:
    cut = "…" if shows_boxes() else "."
    parts = [v if len(v) <= w else v[: w - 1] + cut for v, w in zip(values, widths)]
    return "  ".join(p.ljust(w) for p, w in zip(parts, widths)).rstrip()


def term(row: dict, prefix: str = "") -> object:
    """A target's value as a table shows it: the value, or the range {low, high} (`prefix` old_/new_)."""
    value = row.get(f"{prefix}value")
    if value is not None or row.get(f"{prefix}low") is None:
        return value
    return {"low": row[f"{prefix}low"], "high": row[f"{prefix}high"]}


def deadline_cell(row: dict, name: str = "deadline") -> str | None:
    """A deadline as a table shows it: `open` for a target without one."""
    return row.get(name) or "open"

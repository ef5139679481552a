"""What the /-/stratlog pages ask and show: a form's fields to a Queries call, its answer to table cells."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from stratlog.application.queries import Queries
from stratlog.application.query_dates import parse_as_of, parse_deadline, parse_known_at
from stratlog.domain.errors import InvalidInput
from stratlog.domain.jsonvalues import display
from stratlog.application.view_titles import VIEW_TITLES


class MissingField(InvalidInput):
    """Raised when a view's required field is empty; worded as the CLI words the missing argument."""


@dataclass(frozen=True)
class Field:
    """One input of a view's form: its name in the URL, its label, the CLI option it stands for."""

    name: str
    label: str
    option: str
    hint: str = ""


BRAND = Field("brand", "brand", "--brand", "alpine")
DATE_HINT = "2024-09-30, 2024-09, 2024-Q3 or 2024"
AS_OF = Field("as_of", "as of", "--as-of", DATE_HINT)
KNOWN_AT = Field("known_at", "known at", "--known-at", "2024-10-01T12:00:00Z or " + DATE_HINT)
FIELDS: dict[str, tuple[Field, ...]] = {
    "timeline": (BRAND, AS_OF, KNOWN_AT),
    "kpis": (BRAND, AS_OF, KNOWN_AT, Field("live", "only live targets", "--live")),
    "audit": (Field("brand", "brand", "BRAND", "alpine"), Field("kpi", "KPI", "KPI", "annual-sales"),
              Field("deadline", "deadline", "--deadline", "2030"), AS_OF, KNOWN_AT),
    "state": (Field("brand", "brand", "BRAND", "alpine"), AS_OF, KNOWN_AT),
    "diff": (BRAND, Field("from", "from", "--from", DATE_HINT), Field("to", "to", "--to", DATE_HINT), KNOWN_AT),
    "checks": (BRAND, AS_OF, KNOWN_AT),
}
TITLES = VIEW_TITLES
EMPTY = {"timeline": "(nothing announced yet)", "kpis": "(no targets)", "audit": "(no target statements)",
         "diff": "(no change)", "checks": "(no findings)"}
REQUIRED = {"audit": ("brand",), "state": ("brand",), "diff": ("from", "to")}
VIEWS = tuple(FIELDS)


def ready_to_answer(view: str, form: Mapping[str, str]) -> bool:
    """A page answers at once unless it needs a field nobody has filled in yet (a fresh audit form)."""
    return bool(form) or view not in REQUIRED


def answer(queries: Queries, view: str, form: Mapping[str, str]) -> Any:
    """The view's answer, exactly as `stratlog VIEW --format json` gives it for the same fields.

    Checked in the CLI's order: required fields first (as click does), then dates, then the brand.
    """
    for name in REQUIRED.get(view, ()):
        if _text(form, name) is None:
            raise MissingField("Missing argument 'BRAND'." if name == "brand" else f"Missing option '--{name}'.")
    if view == "diff":
        before, after = parse_as_of(_text(form, "from"), "--from"), parse_as_of(_text(form, "to"), "--to")
        return queries.diff(_text(form, "brand"), before, after, parse_known_at(_text(form, "known_at")))
    as_of = parse_as_of(_text(form, "as_of"))
    return _ASK[view](queries, form, as_of, parse_known_at(_text(form, "known_at")))


_ASK: dict[str, Callable] = {
    "timeline": lambda q, form, d, t: q.timeline(_text(form, "brand"), d, t),
    "kpis": lambda q, form, d, t: q.kpis(_text(form, "brand"), d, t, _flag(form, "live")),
    "checks": lambda q, form, d, t: q.checks(_text(form, "brand"), d, t),
    "state": lambda q, form, d, t: q.state(_text(form, "brand"), d, t),
    "audit": lambda q, form, d, t: q.audit(_text(form, "brand"), _text(form, "kpi"),
                                           parse_deadline(_text(form, "deadline")), d, t),
}


def _text(form: Mapping[str, str], name: str) -> str | None:
    value = (form.get(name) or "").strip()
    return value or None


def _flag(form: Mapping[str, str], name: str) -> bool:
    """A checkbox: ticked when sent with any value but an explicit no (0, false, no, off)."""
    value = _text(form, name)
    return value is not None and value.casefold() not in ("0", "false", "no", "off")


def json_text(data: Any) -> str:
    """The JSON of `stratlog VIEW --format json`, byte for byte (its trailing newline included)."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


@dataclass(frozen=True)
class Cell:
    """One table cell: its column, the text shown, and the exact JSON value it stands for."""

    column: str
    text: str
    value: str
    title: str = ""


def columns_of(rows: list[dict]) -> list[str]:
    """Every key of the rows, in the order they first appear (the JSON's own order)."""
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    return columns


def cells_of(rows: list[dict], columns: list[str]) -> list[list[Cell]]:
    """The cells of every row, one per column (an absent key is an empty cell holding null)."""
    return [[cell(column, row.get(column)) for column in columns] for row in rows]


def cell(column: str, value: Any) -> Cell:
    """One value's cell; a statement id shows its first 8 characters (as the CLI's tables do), whole in its title."""
    text = cell_text(value)
    if column == "statement_id" and value:
        return Cell(column, text[:8], json.dumps(value, ensure_ascii=False), text)
    return Cell(column, text, json.dumps(value, ensure_ascii=False, default=str))


def cell_text(value: Any) -> str:
    """A value as an analyst reads it: money and ranges as the CLI shows them, objects as `key: value`."""
    if isinstance(value, list):
        return "; ".join(cell_text(v) for v in value)
    if not isinstance(value, dict):
        return display(value)
    rest, parts = dict(value), []
    if "amount" in rest and "currency" in rest:
        parts.append(display({"amount": rest.pop("amount"), "currency": rest.pop("currency")}))
    elif set(rest) == {"low", "high"}:
        return display(rest)
    return " · ".join(parts + [f"{key}: {cell_text(v)}" for key, v in rest.items() if v is not None])


def state_sections(picture: dict) -> tuple[list[Cell], dict[str, list[dict]]]:
    """The state object split for the page: its single values, and its lists shown as tables."""
    single = [cell(key, value) for key, value in picture.items() if not _is_table(value)]
    tables = {key: value for key, value in picture.items() if _is_table(value)}
    return single, tables


def _is_table(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)

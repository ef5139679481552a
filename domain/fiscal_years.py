"""Fiscal years resolved at input: a brand's bare `FYyyyy` dates stored as `FYyyyy/MM` with its fiscal_year_end.

A statement is resolved when it enters (record, import, correct) with the brand's fiscal_year_end as
known then, so that stored events stay immutable and self-contained: the fold reads the span from the
text alone and needs no brand lookup. A bare `FYyyyy` of a brand whose fiscal year ends in December
(or says nothing) is kept as written; old events stored as `FYyyyy` read as before.
"""

from __future__ import annotations

import typing
from functools import lru_cache
from typing import Any, Iterable

from stratlog.domain.dates import DECEMBER, PartialDate
from stratlog.domain.history import Entry, apply_fixes, fold_key

REGISTRATION = "brand-registered"


def fiscal_year_end(entries: Iterable[Entry]) -> int | None:
    """The last month of a brand's fiscal year as its registrations say it (fixes applied, in fold
    order, each restatement carrying the earlier month over unless it states one); None: never said."""
    month = None
    for entry in sorted(apply_fixes(entries), key=fold_key):
        if entry.kind == REGISTRATION and entry.retracted_by is None:
            month = entry.statement.fiscal_year_end or month
    return month


def resolved(statement: Any, last_month: int | None) -> Any:
    """The statement with each bare fiscal year among its dates resolved for `last_month` (1–12);
    the statement itself when there is none or the fiscal year ends in December."""
    if last_month in (None, DECEMBER):
        return statement
    update = {name: getattr(statement, name).in_fiscal_year(last_month) for name in date_fields(type(statement))
              if _bare(getattr(statement, name))}
    return statement.model_copy(update=update) if update else statement


def resolved_fields(statement_class: type, fields: dict[str, Any], last_month: int | None) -> dict[str, Any]:
    """Corrected fields (as JSON values) with each bare fiscal year of a date field resolved for
    `last_month`; the same dict when nothing changes."""
    if last_month in (None, DECEMBER):
        return fields
    dated = date_fields(statement_class)
    update = {name: PartialDate.parse(value).in_fiscal_year(last_month).text for name, value in fields.items()
              if name in dated and isinstance(value, str) and _bare_text(value)}
    return {**fields, **update} if update else fields


def has_bare_fiscal_year(statement: Any) -> bool:
    """Whether any date of the statement is a bare fiscal year (`FY2026`): a look at its date fields only,
    cheap enough for every statement of a large import."""
    return any(_bare(getattr(statement, name)) for name in date_fields(type(statement)))


@lru_cache(maxsize=None)
def date_fields(statement_class: type) -> frozenset[str]:
    """The names of a statement class's fields that hold partial dates (deadline, period, planned_for…)."""
    return frozenset(name for name, field in statement_class.model_fields.items() if _holds_dates(field.annotation))


def _holds_dates(annotation: Any) -> bool:
    return annotation is PartialDate or any(_holds_dates(arg) for arg in typing.get_args(annotation))


def _bare(value: Any) -> bool:
    return isinstance(value, PartialDate) and value.is_bare_fiscal


def _bare_text(text: str) -> bool:
    try:
        return PartialDate.parse(text).is_bare_fiscal
    except ValueError:
        return False

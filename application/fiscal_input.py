"""One command's fiscal years: each bare `FYyyyy` resolved with its brand's fiscal_year_end as known then."""

from __future__ import annotations

from typing import Any, Callable
from uuid import UUID

from stratlog.application.compact import Compact
from stratlog.domain.aggregate import Subject
from stratlog.domain.fiscal_years import fiscal_year_end, has_bare_fiscal_year, resolved, resolved_fields
from stratlog.domain.fixes import Fix, StatementCorrected
from stratlog.domain.statement import subject_id


class FiscalYearInput:
    """Resolves the fiscal years of the statements and corrections of one command (DESIGN §1: input).

    A brand's fiscal_year_end is the one its stored registrations give, or that of a registration of
    this command (registrations are placed first). `written_as` maps the id of each statement whose
    text changed to its id as written, so that an import's refusal can still name its place.
    `load(subject_id)` gives a stored subject or None.
    """

    def __init__(self, load: Callable[[UUID], Subject | None]):
        self.load = load
        self.months: dict[str, int | None] = {}
        self.written_as: dict[str, str] = {}

    def registered(self, record: Any) -> None:
        """Note the fiscal year a brand-registered of this command states (a compact one is read when
        it names one)."""
        if isinstance(record, Compact):
            if '"fiscal_year_end"' not in record.json:
                return
            record = record.expand()
        if record.fiscal_year_end is not None:
            self.months[record.brand] = record.fiscal_year_end

    def statement(self, record: Any) -> Any:
        """The record with its brand's bare fiscal years resolved (the record itself when none)."""
        statement = record
        if isinstance(record, Compact):
            if '"FY' not in record.json:
                return record
            statement = record.expand()
        if not has_bare_fiscal_year(statement):
            return record
        new = resolved(statement, self._month(statement.brand))
        if new is statement:
            return record
        self.written_as[new.statement_id()] = record.statement_id()
        return new

    def fix(self, fix: Fix, subject: UUID) -> Fix:
        """A correction with the bare fiscal years of its date fields resolved for the brand of the
        statement it corrects (a stored one; one of this same command is left as written)."""
        if not isinstance(fix, StatementCorrected):
            return fix
        entry = next((e for e in self._entries(subject) if e.statement_id == fix.corrects), None)
        if entry is None or isinstance(entry.statement, Fix):
            return fix
        fields = resolved_fields(type(entry.statement), fix.fields, self._month(entry.statement.brand))
        if fields is fix.fields:
            return fix
        new = fix.model_copy(update={"fields": fields})
        self.written_as[new.statement_id()] = fix.statement_id()
        return new

    def _month(self, brand: str) -> int | None:
        if brand not in self.months:
            self.months[brand] = fiscal_year_end(self._entries(subject_id("brand", brand)))
        return self.months[brand]

    def _entries(self, subject: UUID) -> list:
        """The stored history of a subject (none for a new subject, or one a large command wrote already)."""
        return getattr(self.load(subject), "entries", [])

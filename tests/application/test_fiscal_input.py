"""A command's fiscal years are resolved the same whether its statements are whole or kept compact
(a large import keeps them as their JSON text)."""

from __future__ import annotations

from stratlog.application.compact import Compact
from stratlog.application.fiscal_input import FiscalYearInput
from tests.builders import statement

REGISTERED = statement("brand-registered", brand="nordlys", name="Nordlys", fiscal_year_end=3)
TARGET = statement("target-set", brand="nordlys", announced_on="2024", kpi="deliveries", deadline="FY2026",
                   value=100, comparator="at-least", unit="vehicles")


def _resolved(record):
    fiscal = FiscalYearInput(lambda subject: None)  # nothing stored: the registration of this command counts
    fiscal.registered(record(REGISTERED))
    return fiscal.statement(record(TARGET))


def test_a_compact_statement_and_a_whole_one_resolve_to_the_same_fiscal_year():
    whole, compact = _resolved(lambda s: s), _resolved(Compact)
    assert whole.deadline.text == compact.deadline.text == "FY2026/03"
    assert whole.statement_id() == compact.statement_id()


def test_a_compact_statement_without_a_fiscal_year_is_kept_as_it_is():
    plain = Compact(statement("target-set", brand="nordlys", announced_on="2024", kpi="deliveries",
                              deadline="2026", value=100, comparator="at-least", unit="vehicles"))
    fiscal = FiscalYearInput(lambda subject: None)
    fiscal.registered(Compact(REGISTERED))
    assert fiscal.statement(plain) is plain

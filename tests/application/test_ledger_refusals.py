"""A command that breaks several rules is refused with every broken rule, each naming its statements."""

from __future__ import annotations

import pytest

from stratlog.domain.errors import BrandNotRegistered, RulesBroken, TargetNotFound
from stratlog.domain.catalogue import RECORD_ADAPTER
from stratlog.infrastructure.config import settings
from stratlog.infrastructure.event_source import EventSource
from stratlog.infrastructure.runtime import Runtime

SOURCE = {"title": "Press release"}


def statement(**fields):
    return RECORD_ADAPTER.validate_python({"source": SOURCE, "announced_on": "2024", **fields})


@pytest.fixture
def ledger(db):
    runtime = Runtime(settings(db), writing=True)
    runtime.ledger.record([RECORD_ADAPTER.validate_python({"kind": "brand-registered", "brand": "acme", "name": "Acme"})])
    yield runtime.ledger
    runtime.close()


def test_every_subject_and_fold_unit_is_checked_and_each_broken_rule_names_its_statement(ledger):
    ghost = statement(kind="model-planned", brand="ghost", model="X", planned_for="2025")
    sales = statement(kind="target-reaffirmed", brand="acme", kpi="annual-sales", deadline="2030")
    revenue = statement(kind="target-withdrawn", brand="acme", kpi="revenue", deadline="2031")
    fine = statement(kind="market-entered", brand="acme", market="US", entered_on="2024")
    with pytest.raises(RulesBroken) as refused:
        ledger.record([fine, ghost, sales, revenue])
    errors = refused.value.errors
    assert [type(e) for e in errors] == [BrandNotRegistered, TargetNotFound, TargetNotFound]
    assert [e.statement_ids for e in errors] == [(ghost.statement_id(),), (sales.statement_id(),),
                                                 (revenue.statement_id(),)]
    assert str(refused.value).splitlines()[1].endswith("names no live target annual-sales 2030")
    assert EventSource(ledger).max_position() == 1


def test_a_single_broken_rule_is_raised_as_itself(ledger):
    sales = statement(kind="target-reaffirmed", brand="acme", kpi="annual-sales", deadline="2030")
    with pytest.raises(TargetNotFound, match="names no live target annual-sales 2030") as refused:
        ledger.record([sales])
    assert refused.value.statement_ids == (sales.statement_id(),)

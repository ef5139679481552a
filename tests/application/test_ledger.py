"""Narrated scenarios of the Ledger on a real SQLite file: recording, rules, retries, reopening."""

from __future__ import annotations

import subprocess
import sys

import pytest

from stratlog.application.ledger import Ledger
from stratlog.domain.errors import BrandNotRegistered, DependencyAnnouncedLater, StatementNotFound
from stratlog.domain.fixes import StatementCorrected, StatementRetracted
from stratlog.infrastructure.config import settings
from stratlog.infrastructure.event_source import EventSource
from stratlog.infrastructure.files import read_import
from stratlog.infrastructure.runtime import Runtime
from tests.builders import statement
from tests.conftest import ALPINE



def registered(brand="acme"):
    return statement(kind="brand-registered", brand=brand, name=brand.title())


def sales_target(deadline="2030", value=100000, announced_on="2023-06"):
    return statement(kind="target-set", brand="acme", kpi="annual-sales", value=value, unit="vehicles",
                     comparator="at-least", deadline=deadline, announced_on=announced_on)


def stored_count(ledger: Ledger) -> int:
    return EventSource(ledger).max_position()


@pytest.fixture
def runtime(db):
    rt = Runtime(settings(db), writing=True)
    yield rt
    rt.close()


def test_the_alpine_example_is_recorded_and_survives_reopening_in_a_new_process(db):
    loaded = read_import(str(ALPINE))
    runtime = Runtime(settings(db), writing=True)
    try:
        result = runtime.ledger.record(loaded.records)
    finally:  # the command that creates the file ends: other processes wait for that (it might yet remove it)
        runtime.close()
    assert len(result.new) == 18 and result.existing == []
    code = ("from stratlog.infrastructure.config import settings; from stratlog.infrastructure.runtime import Runtime;"
            "from stratlog.infrastructure.event_source import EventSource;"
            f"rt = Runtime(settings({db!r}), writing=False); print(EventSource(rt.ledger).max_position())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "18"


def test_recording_the_same_statements_twice_records_nothing_new(runtime):
    first = runtime.ledger.record([registered(), sales_target()])
    second = runtime.ledger.record([registered(), sales_target()])
    assert len(first.new) == 2
    assert second.new == [] and sorted(second.existing) == sorted(first.new)
    assert stored_count(runtime.ledger) == 2


def test_a_statement_about_an_unregistered_brand_is_refused_and_nothing_is_written(runtime):
    with pytest.raises(BrandNotRegistered, match="'acme' is not registered"):
        runtime.ledger.record([sales_target()])
    assert stored_count(runtime.ledger) == 0


def test_one_broken_rule_in_a_batch_refuses_the_whole_batch(runtime):
    runtime.ledger.record([registered()])
    early_revision = statement(kind="target-revised", brand="acme", kpi="annual-sales", deadline="2030",
                               value=120000, announced_on="2022")
    with pytest.raises(DependencyAnnouncedLater, match="announced 2022.*announced 2023-06"):
        runtime.ledger.record([sales_target(), early_revision])
    assert stored_count(runtime.ledger) == 1


def test_a_batch_is_applied_in_announced_order_whatever_the_file_order(runtime):
    revision = statement(kind="target-revised", brand="acme", kpi="annual-sales", deadline="2030",
                         value=120000, announced_on="2024-01")
    result = runtime.ledger.record([revision, sales_target(), registered()])
    assert len(result.new) == 3


def test_a_correction_and_a_retraction_name_statements_by_an_id_prefix(runtime):
    target_id = runtime.ledger.record([registered(), sales_target()]).new[-1]
    runtime.catch_up()
    fixed = runtime.ledger.record([StatementCorrected(corrects=target_id[:8], fields={"value": 110000}, note="typo")])
    runtime.catch_up()
    retracted = runtime.ledger.record([StatementRetracted(retracts=target_id[:10], reason="duplicate")])
    assert len(fixed.new) == 1 and len(retracted.new) == 1
    with pytest.raises(StatementNotFound, match="no statement has an id starting with 'ffffffff'"):
        runtime.ledger.record([StatementRetracted(retracts="ffffffff", reason="x")])


def test_a_clashing_save_is_retried_on_fresh_state_and_both_statements_land(db):
    first, second = Runtime(settings(db), writing=True), Runtime(settings(db), writing=True)
    try:
        first.ledger.record([registered()])
        brand_id = registered().subject_id
        stale = second.ledger.load(brand_id)  # second writer read the brand before the first one saved
        first.ledger.record([sales_target("2030")])
        original_load = second.ledger.load
        loads = []

        def load_stale_once(aggregate_id):
            loads.append(aggregate_id)
            return stale if len(loads) == 1 else original_load(aggregate_id)

        second.ledger.load = load_stale_once
        result = second.ledger.record([sales_target("2031", value=90000)])
        assert len(result.new) == 1 and len(loads) >= 2  # the first save clashed, the retry succeeded
        assert stored_count(first.ledger) == 3
    finally:
        first.close()
        second.close()

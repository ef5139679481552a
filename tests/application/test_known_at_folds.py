"""A stored history folds at every known-at instant, whatever order its recording clocks ran in (DESIGN §7 r2)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from stratlog.application.projection import item_rows
from stratlog.domain.errors import StratlogError
from stratlog.domain.groups import group_of
from stratlog.domain.history import apply_fixes
from stratlog.domain.catalogue import RECORD_ADAPTER
from stratlog.domain.statement import subject_id
from stratlog.domain.brand import Brand

T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)
SOURCE = {"title": "T"}


def brand_statement(kind: str, **fields):
    return RECORD_ADAPTER.validate_python({"kind": kind, "brand": "acme", "source": SOURCE, **fields})


def fix(kind: str, **fields):
    return RECORD_ADAPTER.validate_python({"kind": kind, **fields})


operations = st.lists(st.tuples(
    st.sampled_from(["set", "revise", "ipo", "correct", "retract"]),
    st.sampled_from(["sales", "revenue"]),
    st.sampled_from([2028, 2030]),
    st.integers(1, 9),
    st.integers(0, 30),  # which earlier statement a fix names
    st.integers(0, 6),   # the recording instant: any order, as clocks that step back or differ give
), min_size=1, max_size=14)


def _item(op: tuple, recorded: list):
    kind, kpi, deadline, value, pick, _ = op
    announced = str(2020 + value % 5)
    if kind == "set":
        return brand_statement("target-set", kpi=kpi, deadline=deadline, value=value * 1000, unit="cars",
                               comparator="at-least", announced_on=announced)
    if kind == "revise":
        return brand_statement("target-revised", kpi=kpi, deadline=deadline, value=value * 1000, announced_on=announced)
    if kind == "ipo":
        return brand_statement("ipo-considered", stance=["considered", "potential", "planned"][value % 3],
                               announced_on=announced)
    if not recorded:
        return None
    target = recorded[pick % len(recorded)]
    if kind == "retract":
        return fix("statement-retracted", retracts=target.statement_id(), reason=f"r{value}")
    fields = {"stance": "filed"} if target.KIND == "ipo-considered" else {"value": value * 500}
    return fix("statement-corrected", corrects=target.statement_id(), fields=fields)


def stored_history(ops: list) -> Brand:
    """A brand built through the checks before commit; each accepted entry keeps the instant drawn for it."""
    registered = brand_statement("brand-registered", name="Acme")
    brand = Brand.start(subject_id("brand", "acme"), [(registered, registered.statement_id(), T0)])
    recorded = []
    for op in ops:
        item = _item(op, recorded)
        if item is None:
            continue
        try:
            brand.record([(item, item.statement_id(), T0 + timedelta(minutes=op[5]))])
        except StratlogError:
            continue  # refused before commit: not part of the stored history
        if not hasattr(item, "target"):
            recorded.append(item)
    return brand


@settings(max_examples=150, deadline=None)
@given(ops=operations)
def test_every_known_at_fold_of_a_stored_history_succeeds_whatever_the_order_of_its_instants(ops):
    entries = stored_history(ops).entries
    instants = sorted({e.recorded_at for e in entries})
    for instant in instants:
        apply_fixes(entries, instant)  # never raises for a fix whose target is not known yet
    groups = {group_of(e.statement) for e in entries if not e.is_fix}
    for group in groups:
        rows = item_rows(group, entries)
        assert all(row.known_from < row.known_to for row in rows)
    latest = apply_fixes(entries, instants[-1])
    assert {e.statement_id for e in latest} == {e.statement_id for e in apply_fixes(entries)}


@settings(max_examples=100, deadline=None)
@given(ops=operations)
def test_with_instants_in_recording_order_the_fold_at_the_last_instant_is_the_check_before_commit(ops):
    entries = [e for e in stored_history([op[:5] + (i,) for i, op in enumerate(ops)]).entries]
    instants = sorted({e.recorded_at for e in entries})
    assert [(e.statement_id, e.statement, e.retracted_by) for e in apply_fixes(entries, instants[-1])] == \
        [(e.statement_id, e.statement, e.retracted_by) for e in apply_fixes(entries)]

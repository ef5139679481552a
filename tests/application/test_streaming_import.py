"""Large commands stream each subject's events into one transaction: same events, same refusals."""

from __future__ import annotations

import sqlite3
from functools import partial
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stratlog.application.ledger as ledger_module
from stratlog.application.compact import Compact
from stratlog.domain.errors import StratlogError
from stratlog.infrastructure.config import settings as stratlog_settings
from stratlog.infrastructure.runtime import Runtime
from tests import builders
from tests.stored_states import state_data


statement = partial(builders.statement, brand="acme", source={"title": "T"})
REGISTERED = builders.statement("brand-registered", brand="acme", source=None, name="Acme")


def stored(db: str) -> list[tuple]:
    """The stored events, without the instants that differ between two runs (none: a refused command
    on a new path leaves no database)."""
    if not Path(db).exists():
        return []
    rows = sqlite3.connect(db).execute(
        "SELECT originator_id, originator_version, topic, state FROM stored_events ORDER BY originator_id, originator_version")
    out = []
    for originator, version, topic, state in rows:
        data = state_data(state)
        data.pop("timestamp", None), data.pop("recorded_at")
        out.append((originator, version, topic, data))
    return out


def record_all(db: str, records: list, stream: bool, monkeypatch) -> str | None:
    monkeypatch.setattr(ledger_module, "STREAM_AT", 1 if stream else 10**9)
    runtime = Runtime(stratlog_settings(db), writing=True)
    try:
        runtime.ledger.record(records)
        runtime.catch_up()
        return None
    except StratlogError as error:
        return type(error).__name__
    finally:
        runtime.close()


kinds = st.sampled_from(["target-set", "target-revised", "model-planned", "model-launched", "actual-reported"])


@st.composite
def batches(draw):
    records = [REGISTERED]
    for _ in range(draw(st.integers(1, 12))):
        kind, year = draw(kinds), draw(st.integers(2020, 2026))
        if kind == "target-set":
            records.append(statement(kind=kind, kpi="annual-sales", deadline=str(draw(st.sampled_from([2028, 2030]))),
                                     value=draw(st.integers(1, 9)) * 1000, unit="cars", comparator="at-least",
                                     announced_on=str(year)))
        elif kind == "target-revised":
            records.append(statement(kind=kind, kpi="annual-sales", deadline=str(draw(st.sampled_from([2028, 2030]))),
                                     value=draw(st.integers(1, 9)) * 1000, announced_on=str(year)))
        elif kind == "actual-reported":
            records.append(statement(kind=kind, kpi="annual-sales", period=str(year), value=5, unit="cars",
                                     announced_on=str(year + 1)))
        else:
            extra = {"planned_for": "2027"} if kind == "model-planned" else {"launched_on": str(year)}
            records.append(statement(kind=kind, model=draw(st.sampled_from(["A", "B"])), announced_on=str(year), **extra))
    compact = draw(st.booleans())
    return [Compact(r) if compact and r is not REGISTERED else r for r in records]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=batches())
def test_streaming_and_saving_refuse_the_same_batches_and_store_the_same_events(tmp_path_factory, monkeypatch, records):
    folder = tmp_path_factory.mktemp("stream")
    saved, streamed = str(folder / "saved.db"), str(folder / "streamed.db")
    refused = record_all(saved, records, False, monkeypatch), record_all(streamed, records, True, monkeypatch)
    assert refused[0] == refused[1]
    assert stored(saved) == stored(streamed)


def test_a_refusal_late_in_a_streamed_command_leaves_nothing_behind(tmp_path, monkeypatch):
    db = str(tmp_path / "s.db")
    good = [statement(kind="model-planned", model=f"M{i}", planned_for="2027", announced_on="2024") for i in range(30)]
    bad = statement(kind="target-revised", kpi="annual-sales", deadline="2030", value=1, announced_on="2024")
    assert record_all(db, [REGISTERED, *good, bad], True, monkeypatch) == "TargetNotFound"
    assert not Path(db).exists()  # the command created the database: refused, it leaves none behind
    assert record_all(db, [REGISTERED, *good], True, monkeypatch) is None
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM stored_events").fetchone()[0] == 31

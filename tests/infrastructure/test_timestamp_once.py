"""The event state stores the recording instant once (recorded_at): events stored with the timestamp beside
it (class_version 2, and 3 for end statements) keep loading, verify and answer as before."""

from __future__ import annotations

import sqlite3

import pytest

from stratlog.domain.model import Model
from stratlog.infrastructure.config import settings
from stratlog.infrastructure.runtime import Runtime
from tests.conftest import copy_fixture
from tests.stored_states import state_data


def _states(path: str) -> list[tuple[str, dict]]:
    return [(topic, state_data(state)) for topic, state in
            sqlite3.connect(path).execute("SELECT topic, state FROM stored_events ORDER BY rowid")]


def test_the_fixture_holds_the_timestamp_beside_recorded_at_in_versions_2_and_3(tmp_path):
    states = _states(copy_fixture("r3-timestamps.db", tmp_path))
    assert len(states) == 12
    assert all(s["timestamp"] == s["recorded_at"] for _, s in states)
    assert {s["class_version"] for _, s in states} == {2, 3}
    assert {s["statement"]["kind"] for _, s in states} >= {"statement-corrected", "statement-retracted",
                                                            "model-cancelled", "market-exited"}


def test_events_stored_with_their_timestamp_load_with_it_and_verify(tmp_path, stratlog):
    path = copy_fixture("r3-timestamps.db", tmp_path)
    stored = {s["statement_id"]: s["timestamp"] for _, s in _states(path)}
    runtime = Runtime(settings(path), writing=False)
    try:
        events = [runtime.ledger.mapper.to_domain_event(n)
                  for n in runtime.ledger.recorder.select_notifications(start=1, limit=100)]
    finally:
        runtime.close()
    assert len(events) == 12
    assert all(e.timestamp == e.recorded_at for e in events)
    assert {e.statement_id: e.timestamp.isoformat().replace("+00:00", "Z") for e in events} == stored
    verified = stratlog("--db", path, "projections", "verify")
    assert verified.code == 0, verified.err
    assert "OK: the read model equals the fold" in verified.out


def test_a_rebuilt_read_model_of_old_events_answers_as_the_one_they_folded(tmp_path, stratlog):
    path = copy_fixture("r3-timestamps.db", tmp_path)
    asked = ("state", "alpine", "--as-of", "2026-12-31", "--json")
    before = stratlog("--db", path, *asked).out
    assert stratlog("--db", path, "projections", "rebuild").code == 0
    assert stratlog("--db", path, *asked).out == before


def test_a_new_state_stores_the_instant_once_and_reads_back_with_its_timestamp(tmp_path, stratlog):
    path = str(tmp_path / "new.db")
    old = copy_fixture("r3-timestamps.db", tmp_path)
    exported = tmp_path / "out.jsonl"
    assert stratlog("--db", old, "export", "--out", str(exported)).code == 0
    assert stratlog("--db", path, "import", str(exported)).code == 0
    states = _states(path)
    assert len(states) == 12 and all("timestamp" not in s for _, s in states)
    ends = {s["statement"]["kind"]: s["class_version"] for _, s in states}
    assert ends["model-cancelled"] == ends["market-exited"] == 4 and ends["brand-registered"] == 3
    before = {s["statement_id"]: s["recorded_at"] for _, s in _states(old)}
    assert {s["statement_id"]: s["recorded_at"] for _, s in states} == before  # export keeps recorded_at
    verified = stratlog("--db", path, "projections", "verify")
    assert verified.code == 0, verified.err


@pytest.mark.parametrize("cls, version", [(Model.ModelPlanned, 2), (Model.ModelCancelled, 3)])
def test_the_upcast_drops_the_timestamp_and_the_event_takes_recorded_at(cls, version):
    state = {"timestamp": "2024-01-01T00:00:00Z", "recorded_at": "2024-01-01T00:00:00Z"}
    getattr(cls, f"upcast_v{version}_v{version + 1}")(state)
    assert state == {"recorded_at": "2024-01-01T00:00:00Z"}
    assert cls.class_version == version + 1

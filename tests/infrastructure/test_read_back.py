"""What is stored reads back: before a command commits, each event is decoded again through the mapper
and must equal itself; an event that would not is refused as input and nothing is written."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import datetime, timezone

import pytest

import stratlog.application.ledger as ledger_module
from stratlog.domain.dates import PartialDate
from stratlog.domain.errors import InvalidInput
from stratlog.domain.catalogue import RECORD_ADAPTER
from stratlog.domain.catalogue import AGGREGATES
from stratlog.infrastructure.config import settings
from stratlog.infrastructure.mapper import PydanticMapper, read_back
from stratlog.infrastructure.runtime import Runtime

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
REGISTERED = RECORD_ADAPTER.validate_python({"kind": "brand-registered", "brand": "acme", "name": "Acme"})


def planned(**fields):
    return RECORD_ADAPTER.validate_python({"kind": "model-planned", "brand": "acme", "model": "X", "planned_for": "2025",
                                           "announced_on": "2024-03", "source": {"title": "T"}, **fields})


def unreadable_statement():
    """A statement holding a value its validators would never accept again: a date and time as a
    partial date (what an unquoted YAML timestamp used to become). Built past validation, as a hole
    in any validator would let it through."""
    return planned().model_copy(update={"planned_for": PartialDate.of_day(datetime(2025, 6, 1))})


def mapper() -> PydanticMapper:
    """The mapper as the application builds it (the transcoder is unused: events are pydantic JSON)."""
    from eventsourcing.persistence import JSONTranscoder
    return PydanticMapper(transcoder=JSONTranscoder())


def event_of(statement):
    subject = AGGREGATES["model"].start(uuid.uuid4(), [(statement, statement.statement_id(), NOW)])
    return subject.collect_events()[0]


def test_an_event_that_reads_back_equal_is_mapped_to_its_stored_form():
    event = event_of(planned(planned_for="2025-06-01"))
    stored = mapper().to_stored_event(event)
    assert stored.state == read_back(event) and mapper().to_domain_event(stored) == event


def test_an_event_that_would_not_read_back_is_refused_naming_the_statement_and_field():
    event = event_of(unreadable_statement())
    with pytest.raises(InvalidInput) as refused:
        mapper().to_stored_event(event)
    assert str(refused.value) == (f"model-planned {event.statement_id[:8]}: planned_for: 2025-06-01T00:00:00 would not "
                                  f"read back as written ('2025-06-01T00:00:00' is a date and time; write 2025-06-01); "
                                  f"nothing was written")
    assert refused.value.statement_ids == (event.statement_id,)


def count_events(db: str) -> int:
    return sqlite3.connect(db).execute("SELECT count(*) FROM stored_events").fetchone()[0]


@pytest.mark.parametrize("streaming", [False, True], ids=["one save", "streaming"])
def test_a_command_holding_an_unreadable_event_writes_nothing(db, monkeypatch, streaming):
    monkeypatch.setattr(ledger_module, "STREAM_AT", 1 if streaming else 10**9)
    runtime = Runtime(settings(db), writing=True)
    try:
        runtime.ledger.record([REGISTERED])
        with pytest.raises(InvalidInput, match="planned_for: 2025-06-01T00:00:00 would not read back as written"):
            runtime.ledger.record([planned(model="Y"), unreadable_statement()])
    finally:
        runtime.close()
    assert count_events(db) == 1


def test_the_original_fault_an_unquoted_timestamp_no_longer_poisons_the_log(db, stratlog, tmp_path):
    assert stratlog("--db", db, "record", "brand-registered", "acme", "--name", "Acme").code == 0
    path = tmp_path / "f.yaml"
    path.write_text("- {kind: model-planned, brand: acme, model: X, planned_for: 2025-06-01 00:00:00, "
                    "announced_on: 2024-03, source: {title: T}}\n", encoding="utf-8")
    refused = stratlog("--db", db, "import", str(path))
    assert refused.code == 2 and "planned_for: '2025-06-01 00:00:00' is a date and time; write 2025-06-01" in refused.err
    for command in (["timeline", "--brand", "acme"], ["state", "acme"], ["events"], ["export"],
                    ["projections", "verify"], ["projections", "rebuild"]):
        result = stratlog("--db", db, *command)
        assert result.code == 0 and "Traceback" not in result.err, (command, result.err)

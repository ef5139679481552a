"""A large import's compact statements are read once, by the mapper, as their stored events will read back:
that one validation serves the rules and the read-back, with the same bytes stored and the same refusals."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import datetime, timezone
from functools import partial

import pytest
from eventsourcing.persistence import JSONTranscoder
from eventsourcing.utils import get_topic

import stratlog.application.ledger as ledger_module
from stratlog.application.compact import Compact
from stratlog.application.statement_json import dumped
from stratlog.domain.catalogue import AGGREGATES
from stratlog.domain.dates import PartialDate
from stratlog.domain.errors import InvalidInput
from stratlog.infrastructure.config import settings
from stratlog.infrastructure.mapper import PydanticMapper, decode_statement, read_back
from stratlog.infrastructure.runtime import Runtime
from tests import builders

NOW = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=timezone.utc)
SUBJECT = uuid.UUID(int=7)
statement = partial(builders.statement, brand="acme", source={"title": "T"})
REGISTERED = builders.statement("brand-registered", brand="acme", source=None, name="Acme")


def first_event(record):
    """The event that creates a subject with this statement (built directly: the rules are not in question)."""
    aggregate = AGGREGATES[record.SUBJECT]
    return aggregate.EVENTS[record.KIND](originator_id=SUBJECT, originator_version=1, timestamp=NOW,
                                         originator_topic=get_topic(aggregate), statement=record,
                                         statement_id=record.statement_id(), recorded_at=NOW)


@pytest.mark.parametrize("kind", sorted(builders.EXAMPLES))
def test_a_compact_statement_read_by_the_mapper_is_stored_as_the_statement_itself_is(kind):
    original = builders.example(kind)
    compact = Compact(original)
    mapper = PydanticMapper(transcoder=JSONTranscoder())
    statement_id, body = compact.dumped()
    mapper.bodies[statement_id] = body
    read = mapper.read_statement(statement_id)
    assert read == original and read is not original
    event = first_event(read)
    stored = mapper.to_stored_event(event)
    assert stored.state == read_back(first_event(original)) == read_back(event)  # the same bytes, whichever path
    assert mapper.to_domain_event(stored) == event
    assert mapper.bodies == {} and mapper.read == {}  # used once, then dropped


def test_a_statement_read_from_another_text_is_validated_again_and_refused():
    planned = statement(kind="model-planned", model="A390", planned_for="2025", announced_on="2024-03")
    other = statement(kind="model-planned", model="A390", planned_for="2026", announced_on="2024-03")
    other_text = dumped(other)[1]
    event = first_event(planned)
    with pytest.raises(InvalidInput, match="planned_for: 2025 would not read back as written"):
        read_back(event, other_text, decode_statement(other_text, other.statement_id()))  # not the event's own


def unreadable():
    """A statement holding a value its validators would never accept again (built past validation)."""
    planned = statement(kind="model-planned", model="Y", planned_for="2025", announced_on="2024-03")
    return planned.model_copy(update={"planned_for": PartialDate.of_day(datetime(2025, 6, 1))})


def test_a_text_that_would_not_read_back_is_refused_naming_the_statement_and_field():
    record = unreadable()
    statement_id, body = dumped(record)
    with pytest.raises(InvalidInput) as refused:
        decode_statement(body, statement_id)
    assert str(refused.value) == (f"model-planned {statement_id[:8]}: planned_for: '2025-06-01T00:00:00' would not read "
                                  f"back as written ('2025-06-01T00:00:00' is a date and time; write 2025-06-01); "
                                  f"nothing was written")
    assert refused.value.statement_ids == (statement_id,)


@pytest.mark.parametrize("streaming", [False, True], ids=["one save", "streaming"])
def test_a_command_holding_a_compact_statement_that_would_not_read_back_writes_nothing(db, monkeypatch, streaming):
    monkeypatch.setattr(ledger_module, "STREAM_AT", 1 if streaming else 10**9)
    runtime = Runtime(settings(db), writing=True)
    try:
        runtime.ledger.record([REGISTERED])
        good = Compact(statement(kind="model-planned", model="X", planned_for="2025", announced_on="2024-03"))
        with pytest.raises(InvalidInput, match="planned_for: '2025-06-01T00:00:00' would not read back as written"):
            runtime.ledger.record([good, Compact(unreadable())])
        assert runtime.ledger.mapper.bodies == {} and runtime.ledger.mapper.read == {}
    finally:
        runtime.close()
    assert sqlite3.connect(db).execute("SELECT count(*) FROM stored_events").fetchone()[0] == 1


def test_a_streamed_command_numbers_its_rows_as_the_log_does(db, monkeypatch):
    """Each subject is written on its own; the ids the session hands out without asking the log again
    are the rowids the rows got."""
    monkeypatch.setattr(ledger_module, "STREAM_AT", 1)
    runtime = Runtime(settings(db), writing=True)
    models = [statement(kind="model-planned", model=f"M{i}", planned_for="2027", announced_on="2024") for i in range(4)]
    try:
        runtime.ledger.record([REGISTERED])
        with runtime.ledger.recorder.recording() as session:
            positions = [session.write([runtime.ledger.mapper.to_stored_event(e)
                                        for e in AGGREGATES["model"].start(m.subject_id, [builders.item(m)]).collect_events()])
                         for m in models]
    finally:
        runtime.close()
    rows = sqlite3.connect(db).execute("SELECT rowid, originator_id FROM stored_events ORDER BY rowid").fetchall()
    assert positions == [[2], [3], [4], [5]]
    assert [originator for _, originator in rows[1:]] == [m.subject_id.hex for m in models]

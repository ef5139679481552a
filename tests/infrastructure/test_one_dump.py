"""One pydantic dump per statement gives its id and the JSON text its stored event holds, byte for byte."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest
from eventsourcing.utils import get_topic

from stratlog.application.compact import Compact
from stratlog.application.statement_json import dumped
from stratlog.domain.catalogue import AGGREGATES, RECORD_ADAPTER
from stratlog.domain.errors import InvalidInput
from stratlog.infrastructure.mapper import encode_event, read_back
from tests import builders

NOW = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=timezone.utc)


def events_of(*statements):
    """The events of a new subject recording these statements (the first carries the aggregate's topic)."""
    subject = AGGREGATES[statements[0].SUBJECT].start(uuid.uuid4(), [(s, s.statement_id(), NOW) for s in statements])
    return subject.collect_events()


def first_event(statement):
    """The event that creates a subject with this statement (built directly: the rules are not in question)."""
    aggregate = AGGREGATES[statement.SUBJECT]
    return aggregate.EVENTS[statement.KIND](originator_id=uuid.uuid4(), originator_version=1, timestamp=NOW,
                                            originator_topic=get_topic(aggregate), statement=statement,
                                            statement_id=statement.statement_id(), recorded_at=NOW)


@pytest.mark.parametrize("kind", sorted(builders.EXAMPLES))
def test_the_one_dump_gives_the_statement_id_and_the_state_a_whole_dump_writes(kind):
    statement = builders.example(kind)
    statement_id, body = dumped(statement)
    event = first_event(statement)
    assert statement_id == statement.statement_id()
    assert encode_event(event, body) == encode_event(event)
    assert read_back(event, body) == read_back(event)


def test_a_later_event_without_the_aggregate_topic_is_written_the_same_from_its_dump():
    planned = builders.statement("model-planned", model="A390", planned_for="2025", announced_on="2024-03")
    launched = builders.statement("model-launched", model="A390", launched_on="2025-06", announced_on="2025-06",
                                  note="lancé à Dieppe — «enfin»")
    first, second = events_of(planned, launched)
    assert b"originator_topic" in encode_event(first) and b"originator_topic" not in encode_event(second)
    for statement, event in ((planned, first), (launched, second)):
        assert encode_event(event, dumped(statement)[1]) == encode_event(event)


def test_the_note_is_in_the_stored_text_but_not_in_the_statement_id():
    plain = builders.statement("model-planned", model="A390", planned_for="2025", announced_on="2024-03")
    noted = RECORD_ADAPTER.validate_python({**plain.model_dump(mode="json", exclude_none=True), "note": "ß"})
    (plain_id, plain_body), (noted_id, noted_body) = dumped(plain), dumped(noted)
    assert plain_id == noted_id == noted.statement_id()
    assert '"note":"ß"' in noted_body and "note" not in plain_body


def test_a_compact_statement_keeps_the_text_and_id_of_its_one_dump():
    statement = builders.example("target-set")
    assert Compact(statement).dumped() == dumped(statement)
    assert Compact(statement).expand() == statement


def test_a_text_that_is_not_the_event_statement_is_refused_by_the_read_back():
    planned = builders.statement("model-planned", model="A390", planned_for="2025", announced_on="2024-03")
    other = builders.statement("model-planned", model="A390", planned_for="2026", announced_on="2024-03")
    (event,) = events_of(planned)
    with pytest.raises(InvalidInput, match="planned_for: 2025 would not read back as written"):
        read_back(event, dumped(other)[1])

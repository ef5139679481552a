"""Every way a stored event can fail to decode becomes one MapperDeserialisationError with a one-line reason."""

from __future__ import annotations

import json
import uuid

import pytest
from eventsourcing.persistence import MapperDeserialisationError, StoredEvent

from stratlog.infrastructure.mapper import PydanticMapper, UndecodableEvent

TOPIC = "stratlog.domain.subjects_aggregates:Brand.BrandRegistered"
GOOD = {"timestamp": "2024-01-01T00:00:00Z", "originator_topic": "stratlog.domain.subjects_aggregates:Brand",
        "statement_id": "a" * 36, "recorded_at": "2024-01-01T00:00:00Z", "class_version": 2,
        "statement": {"kind": "brand-registered", "brand": "acme", "name": "Acme"}}


def decode(state: bytes | str, topic: str = TOPIC):
    stored = StoredEvent(originator_id=uuid.UUID(int=7), originator_version=1, topic=topic, state=state)
    return PydanticMapper(transcoder=None).to_domain_event(stored)  # the pydantic mapper needs no transcoder


def body(**changes) -> bytes:
    return json.dumps({k: v for k, v in {**GOOD, **changes}.items() if v is not ...}).encode()


def test_a_good_event_still_decodes():
    assert decode(body()).statement.brand == "acme"


CASES = {
    "empty object": (b"{}", "the body is an empty JSON object"),
    "list": (b"[]", "the body is a JSON list, not a JSON object"),
    "null": (b"null", "the body is JSON null, not a JSON object"),
    "number": (b"42", "the body is a number, not a JSON object"),
    "string": (b'"x"', "the body is a JSON string, not a JSON object"),
    "text column": ("[1]", "the body is a JSON list, not a JSON object"),
    "SQL NULL": (None, "the body is empty (NULL)"),
    "SQL integer": (7, "the body is a number, not stored JSON text"),
    "invalid UTF-8": (b"\xc3\x28", "the body is not UTF-8 text"),
    "truncated JSON": (b'{"a": "b', "the body is not JSON (Unterminated string starting at: character 6)"),
    "deeply nested": (b"[" * 100_000 + b"]" * 100_000, "the body is JSON nested too deeply to read"),
    "newer class version": (body(class_version=4), "class_version 4 is newer than this stratlog reads (up to 3)"),
    "class version not a number": (body(class_version="2"), 'class_version "2" is not a version number'),
    "upcast without its field": (body(class_version=..., timestamp=...),
                                 "upcasting from class_version 1: field 'timestamp' is missing"),
    "missing field": (body(statement_id=...), "it does not validate: statement_id: is required"),
    "wrong type": (body(recorded_at=[1]), "it does not validate: recorded_at: "),
    "foreign subject class": (body(originator_topic="os:system"),
                              "it does not validate: originator_topic: 'os:system' is not a stratlog subject"),
}


@pytest.mark.parametrize("state, reason", CASES.values(), ids=CASES.keys())
def test_every_damaged_body_is_one_named_deserialisation_error(state, reason):
    with pytest.raises(MapperDeserialisationError) as raised:
        decode(state)
    assert isinstance(raised.value, UndecodableEvent)
    assert raised.value.reason.startswith(reason), raised.value.reason
    assert "\n" not in str(raised.value) and len(str(raised.value)) < 600
    assert f"subject {uuid.UUID(int=7)}, version 1" in str(raised.value)


def test_an_unknown_topic_is_named_escaped_and_never_imported():
    with pytest.raises(UndecodableEvent) as raised:
        decode(body(), topic="antigravity:fly\x1b[31m")
    assert raised.value.reason == "topic 'antigravity:fly\\x1b[31m' is not a stratlog event"
    import sys
    assert "antigravity" not in sys.modules

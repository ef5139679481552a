"""The pydantic mapper: events to JSON bytes and back, validated on read, upcast by class_version."""

from __future__ import annotations

import json
from typing import Any

from eventsourcing.persistence import Mapper, MapperDeserialisationError, StoredEvent
from eventsourcing.utils import get_topic, register_topic
from pydantic import ValidationError

from stratlog.domain.aggregate import AGGREGATE_TOPICS, EVENT_TOPICS
from stratlog.domain.catalogue import AGGREGATES  # noqa: F401 - fills the topic tables

_ENVELOPE = {"originator_id", "originator_version"}

for _topic, _cls in AGGREGATE_TOPICS.items():  # legacy aggregate topics resolve to today's classes
    register_topic(_topic, _cls)


def event_class(topic: str) -> type:
    """The stratlog event class a stored topic names; ValueError for any other topic (never imported)."""
    cls = EVENT_TOPICS.get(topic)
    if cls is None:
        raise ValueError(f"topic {topic[:80]!r} is not a stratlog event")
    return cls


def encode_event(event: Any) -> bytes:
    """The stored state of a pydantic event (no envelope fields; None values left out)."""
    state = event.model_dump(mode="json", exclude=_ENVELOPE, exclude_none=True)
    class_version = getattr(type(event), "class_version", 1)
    if class_version > 1:
        state["class_version"] = class_version
    return json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode()


def decode_event(cls: type, originator_id: Any, originator_version: int, state: bytes) -> Any:
    """Rebuild an event: upcast old versions step by step, then validate with pydantic."""
    data = json.loads(state)
    version = data.pop("class_version", 1)
    while version < getattr(cls, "class_version", 1):
        getattr(cls, f"upcast_v{version}_v{version + 1}")(data)
        version += 1
    data["originator_id"], data["originator_version"] = originator_id, originator_version
    return cls.model_validate(data)


class PydanticMapper(Mapper):
    """Maps stratlog's pydantic events to stored events, keeping class_version upcasting."""

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        state = encode_event(domain_event)
        if self.compressor:
            state = self.compressor.compress(state)
        if self.cipher:
            state = self.cipher.encrypt(state)
        return StoredEvent(originator_id=domain_event.originator_id,
                           originator_version=domain_event.originator_version,
                           topic=get_topic(type(domain_event)), state=state)

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        state = stored_event.state
        if self.cipher:
            state = self.cipher.decrypt(state)
        if self.compressor:
            state = self.compressor.decompress(state)
        try:
            return decode_event(event_class(stored_event.topic), stored_event.originator_id,
                                stored_event.originator_version, state)
        except (ValueError, ValidationError) as error:
            raise MapperDeserialisationError(
                f"stored event {stored_event.originator_id} v{stored_event.originator_version} "
                f"({stored_event.topic}) does not decode: {error}") from error

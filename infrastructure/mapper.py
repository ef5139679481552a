"""The pydantic mapper: events to JSON bytes and back, validated on read, upcast by class_version."""

from __future__ import annotations

import json
from typing import Any

from eventsourcing.persistence import Mapper, MapperDeserialisationError, StoredEvent
from eventsourcing.utils import get_topic, register_topic
from pydantic import ValidationError
from pydantic_core import PydanticSerializationError

from stratlog.domain.aggregate import AGGREGATE_TOPICS, EVENT_TOPICS
from stratlog.domain.errors import InvalidInput
from stratlog.domain.quoting import name_of, quoted
from stratlog.domain.subjects_aggregates import AGGREGATES  # noqa: F401 - fills the topic tables

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


def read_back(event: Any) -> bytes:
    """The stored state of an event, once it has been decoded again, through the same checks as every
    later command, into an event equal to it; InvalidInput (naming the statement and the field) if not."""
    try:
        state = encode_event(event)
        decoded = decode_event(type(event), event.originator_id, event.originator_version, state)
    except ValidationError as error:
        problem = error.errors()[0]
        raise _unreadable(event, _field(problem["loc"]), problem["msg"].removeprefix("Value error, ")) from None
    except (ValueError, TypeError, PydanticSerializationError) as error:  # UnicodeEncodeError is a ValueError
        raise _unreadable(event, *_unencodable(event, error)) from None
    if decoded != event:
        field = _first_difference(event, decoded)
        raise _unreadable(event, field, "it would be read back as a different value")
    return state


def _field(loc: tuple) -> str:
    return ".".join(str(part) for part in (loc[1:] if loc[:1] == ("statement",) else loc))


def _unencodable(event: Any, error: Exception) -> tuple[str, str]:
    """Which field of the statement cannot be written as JSON text, and why."""
    statement = getattr(event, "statement", None)
    for name in type(statement).model_fields if statement is not None else ():
        try:
            json.dumps(statement.model_dump(mode="json", include={name}), ensure_ascii=False).encode()
        except (ValueError, TypeError, PydanticSerializationError):
            return name, "it is not text that can be stored (e.g. a lone UTF-16 surrogate)"
    return "statement", str(error).splitlines()[0][:200]


def _first_difference(event: Any, decoded: Any) -> str:
    statement, again = getattr(event, "statement", None), getattr(decoded, "statement", None)
    for name in type(statement).model_fields if statement is not None and again is not None else ():
        if getattr(statement, name) != getattr(again, name):
            return name
    return next((name for name in type(event).model_fields if getattr(event, name) != getattr(decoded, name)),
                "statement")


def _unreadable(event: Any, field: str, why: str) -> InvalidInput:
    statement = getattr(event, "statement", None)
    value = statement
    for part in field.split("."):
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
    kind = getattr(statement, "KIND", type(event).__name__)
    statement_id = getattr(event, "statement_id", "")
    return InvalidInput(f"{kind} {statement_id[:8]}: {name_of(field)}: {quoted(value)} would not read back "
                        f"as written ({why}); nothing was written", statement_ids=(statement_id,))


class PydanticMapper(Mapper):
    """Maps stratlog's pydantic events to stored events, keeping class_version upcasting; every event
    it stores has been read back first (see read_back)."""

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        state = read_back(domain_event)
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

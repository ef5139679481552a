"""The pydantic mapper: events to JSON bytes and back, validated on read, upcast by class_version."""

from __future__ import annotations

import json
from typing import Any

from eventsourcing.persistence import Mapper, MapperDeserialisationError, StoredEvent
from eventsourcing.utils import get_topic, register_topic
from pydantic import ValidationError
from pydantic_core import PydanticSerializationError

from stratlog.domain.aggregate import AGGREGATE_TOPICS, EVENT_TOPICS
from stratlog.domain.catalogue import BY_KIND, load_topic
from stratlog.domain.errors import InvalidInput
from stratlog.domain.quoting import name_of, quoted
from stratlog.infrastructure.damage import shown
from stratlog.infrastructure.stored_state import UndecodableState, pack, unpack

_ENVELOPE = {"originator_id", "originator_version"}
_ENVELOPE_AND_STATEMENT = _ENVELOPE | {"statement"}
_LAST_FIELD: dict[type, str] = {}
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # what json.dumps(…) with these builds per call
_JSON_KINDS = {list: "a JSON list", type(None): "JSON null", bool: "a JSON true/false", int: "a number",
               float: "a number", str: "a JSON string"}

_REGISTERED: set[str] = set()


def _register_aggregate_topics() -> None:
    """Let eventsourcing resolve the aggregate topics of the subject modules imported so far (legacy
    topics included) to today's classes; the catalogue imports a subject module when it is first needed."""
    for topic in AGGREGATE_TOPICS.keys() - _REGISTERED:
        register_topic(topic, AGGREGATE_TOPICS[topic])
        _REGISTERED.add(topic)


class UndecodableEvent(MapperDeserialisationError):
    """Raised when a stored event cannot be read back; names its place in the log and why, on one line."""

    def __init__(self, stored_event: StoredEvent, reason: str):
        self.position: int | None = getattr(stored_event, "id", None)  # notifications know their position
        self.subject_id, self.version = stored_event.originator_id, stored_event.originator_version
        self.topic, self.reason = stored_event.topic, reason
        where = f"position {self.position}, " if self.position else ""
        super().__init__(f"the stored event at {where}subject {self.subject_id}, version {self.version} "
                         f"({shown(self.topic, 70)}) cannot be read: {reason}")


class _Unreadable(ValueError):
    """Raised inside the mapper with the one-line reason a stored event does not decode."""


def event_class(topic: str) -> type:
    """The stratlog event class a stored topic names; ValueError for any other topic (never imported)."""
    cls = EVENT_TOPICS.get(topic)
    if cls is None and isinstance(topic, str):
        load_topic(topic)  # the subject module that declares it, imported on first use
        cls = EVENT_TOPICS.get(topic)
    if len(_REGISTERED) != len(AGGREGATE_TOPICS):
        _register_aggregate_topics()
    if cls is None:
        raise _Unreadable(f"topic '{shown(topic)}' is not a stratlog event")
    return cls


def encode_event(event: Any, body: str | None = None) -> bytes:
    """The JSON text of a pydantic event's stored state (no envelope fields, none of the class's DERIVED
    fields; None values left out); read_back packs it into the stored bytes (infrastructure.stored_state).

    `body`: the JSON text of the event's statement, dumped once already (application.statement_json);
    the state is then its envelope's dump around that text, byte for byte what a whole dump writes.
    """
    class_version = getattr(type(event), "class_version", 1)
    unstored = getattr(type(event), "DERIVED", {}).keys()  # set again when read (e.g. the timestamp)
    if body is not None and _statement_last(type(event)):
        head = event.model_dump(mode="json", exclude=_ENVELOPE_AND_STATEMENT | unstored, exclude_none=True)
        text = _COMPACT.encode(head)
        tail = f',"class_version":{class_version}}}' if class_version > 1 else "}"
        return f'{text[:-1]}{"," if head else ""}"statement":{body}{tail}'.encode()
    state = event.model_dump(mode="json", exclude=_ENVELOPE | unstored, exclude_none=True)
    if class_version > 1:
        state["class_version"] = class_version
    return _COMPACT.encode(state).encode()


def _statement_last(cls: type) -> bool:
    """Whether the event class's last field is its statement (so a dump writes it last)."""
    last = _LAST_FIELD.get(cls)
    if last is None:
        last = _LAST_FIELD[cls] = next(reversed(cls.model_fields), "")
    return last == "statement"


def _body(state: bytes | str) -> dict:
    """The stored JSON object (inflated first when the state is packed); _Unreadable says what the bytes
    are instead."""
    if state is None:
        raise _Unreadable("the body is empty (NULL)")
    state = bytes(state) if isinstance(state, memoryview) else state
    if not isinstance(state, (bytes, bytearray, str)):
        raise _Unreadable(f"the body is {_JSON_KINDS.get(type(state), 'not text')}, not stored JSON text")
    try:
        data = json.loads(unpack(state) if isinstance(state, (bytes, bytearray)) else state)
    except UndecodableState as error:
        raise _Unreadable(str(error)) from None
    except UnicodeDecodeError:
        raise _Unreadable("the body is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise _Unreadable(f"the body is not JSON ({error.msg}: character {error.pos})") from None
    except RecursionError:
        raise _Unreadable("the body is JSON nested too deeply to read") from None
    if not isinstance(data, dict):
        raise _Unreadable(f"the body is {_JSON_KINDS.get(type(data), 'not an object')}, not a JSON object")
    if not data:
        raise _Unreadable("the body is an empty JSON object")
    return data


def _upcast(cls: type, data: dict) -> None:
    """Bring an old stored state up to the class's version, step by step."""
    version, latest = data.pop("class_version", 1), getattr(cls, "class_version", 1)
    if type(version) is not int or version < 1:
        raise _Unreadable(f"class_version {shown(json.dumps(version), 40)} is not a version number")
    if version > latest:
        raise _Unreadable(f"class_version {version} is newer than this stratlog reads (up to {latest}); "
                          f"upgrade stratlog")
    while version < latest:
        try:
            getattr(cls, f"upcast_v{version}_v{version + 1}")(data)
        except KeyError as error:
            raise _Unreadable(f"upcasting from class_version {version}: field '{shown(error.args[0], 40)}' "
                              f"is missing") from None
        except (TypeError, ValueError, AttributeError) as error:
            raise _Unreadable(f"upcasting from class_version {version} failed: {shown(error, 120)}") from None
        version += 1


def _derive(cls: type, data: dict) -> tuple[str, ...]:
    """Set the fields the class derives from others (DERIVED) that the state left out; returns their names."""
    derived = tuple(name for name, source in getattr(cls, "DERIVED", {}).items()
                    if name not in data and source in data)
    for name in derived:
        data[name] = data[cls.DERIVED[name]]
    return derived


def decode_event(cls: type, originator_id: Any, originator_version: int, state: bytes | str) -> Any:
    """Rebuild an event: upcast old versions step by step, derive what is stored once, validate with pydantic."""
    data = _body(state)
    _upcast(cls, data)
    derived = _derive(cls, data)
    data["originator_id"], data["originator_version"] = originator_id, originator_version
    try:
        return cls.model_validate(data)
    except ValidationError as error:
        from stratlog.domain.field_messages import field_errors
        blamed = tuple(f"{name}: " for name in derived)  # the field it was derived from is named instead
        lines = [line for line in field_errors(error) if not line.startswith(blamed)] or field_errors(error)
        more = f"; … and {len(lines) - 3} more" if len(lines) > 3 else ""
        raise _Unreadable(f"it does not validate: {shown('; '.join(lines[:3]), 240)}{more}") from None


def decode_statement(body: str, statement_id: str) -> Any:
    """The statement that a stored event written with `body` as its statement text reads back as: the text
    parsed and validated exactly as decode_event parses and validates the statement of a state written
    at today's class_version (no upcast applies to it); InvalidInput, naming the statement and the field,
    when it would not read back."""
    data: Any = None
    try:
        data = _body(body)
        kind = data.get("kind")
        # the class the `statement` field of that kind's stored events is validated with
        cls = BY_KIND.get(kind) if isinstance(kind, str) else None
        if cls is None:
            raise _Unreadable(f"kind {shown(json.dumps(kind), 40)} is not a statement kind")
        return cls.model_validate(data)
    except ValidationError as error:
        problem = error.errors()[0]
        field, value, why = _field(problem["loc"]) or "statement", _value_at(data, problem["loc"]), problem["msg"]
    except _Unreadable as error:
        field, value, why = "statement", None, str(error)
    kind = data.get("kind") if isinstance(data, dict) and isinstance(data.get("kind"), str) else "statement"
    raise InvalidInput(f"{kind} {statement_id[:8]}: {name_of(field)}: {quoted(value)} would not read back as written "
                       f"({why.removeprefix('Value error, ')}); nothing was written", statement_ids=(statement_id,))


def _value_at(data: Any, loc: tuple) -> Any:
    """The value at an error's location in parsed JSON (None where there is none)."""
    for part in loc:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def read_back(event: Any, body: str | None = None, statement: Any = None) -> bytes:
    """The stored state of an event (its JSON text packed, see infrastructure.stored_state), once that
    text has been decoded again, through the same checks as every later command, into an event equal
    to it; InvalidInput (naming the statement and the field) if not. Deflate is lossless, so the packed
    bytes inflate to the very text that was checked (a test proves it for every kind).

    `body`: the statement's JSON text from its one dump (see encode_event). `statement`: the statement
    decode_statement read from that very text; when the event holds this object, the statement the
    state reads back as is it (the state holds `body` verbatim), so it is not validated a second time."""
    try:
        state = encode_event(event, body)
    except (ValueError, TypeError, PydanticSerializationError) as error:  # UnicodeEncodeError is a ValueError
        raise _unreadable(event, *_unencodable(event, error)) from None
    try:
        data = _body(state)
        _upcast(type(event), data)
        derived = {(name,) for name in _derive(type(event), data)}  # never the one to blame: its source is
        data["originator_id"], data["originator_version"] = event.originator_id, event.originator_version
        if statement is not None and body is not None and getattr(event, "statement", None) is statement \
                and _statement_last(type(event)):
            data["statement"] = statement  # == decode_statement(data["statement"] as parsed): read once
        decoded = type(event).model_validate(data)
    except ValidationError as error:
        problem = next((p for p in error.errors() if p["loc"][:1] not in derived), error.errors()[0])
        raise _unreadable(event, _field(problem["loc"]), problem["msg"].removeprefix("Value error, ")) from None
    except _Unreadable as error:
        raise _unreadable(event, "statement", str(error)) from None
    if decoded != event:
        field = _first_difference(event, decoded)
        raise _unreadable(event, field, "it would be read back as a different value")
    return pack(state)


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
    it stores has been read back first (see read_back).

    `bodies`: statement id -> the JSON text of a statement a command has dumped once already (the
    Ledger leaves them here and forgets them when the command ends); used once, then dropped. `read`:
    statement id -> the statement read_statement read from that text (a large import's compact
    statements are validated once for their checks and their read-back both).
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.bodies: dict[str, str] = {}
        self.read: dict[str, Any] = {}  # statement id -> what read_statement read from its body

    def read_statement(self, statement_id: str) -> Any:
        """The statement the body left for `statement_id` reads back as (decode_statement); the event
        that holds this very statement is then read back without validating it again."""
        statement = self.read[statement_id] = decode_statement(self.bodies[statement_id], statement_id)
        return statement

    def forget(self) -> None:
        """Drop what a command left (bodies, statements read): stored or not, they are of no further use."""
        self.bodies.clear()
        self.read.clear()

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        statement_id = getattr(domain_event, "statement_id", None)
        body = self.bodies.pop(statement_id, None) if self.bodies else None
        state = read_back(domain_event, body, self.read.pop(statement_id, None) if self.read else None)
        if self.compressor:
            state = self.compressor.compress(state)
        if self.cipher:
            state = self.cipher.encrypt(state)
        return StoredEvent(originator_id=domain_event.originator_id,
                           originator_version=domain_event.originator_version,
                           topic=get_topic(type(domain_event)), state=state)

    @staticmethod
    def state_json(state: bytes | memoryview) -> bytes:
        """The JSON text of a stored state (see infrastructure.stored_state): for readers that want one field
        without decoding the event; ValueError when the bytes are packed but do not inflate."""
        return unpack(bytes(state))

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        """The event a stored one holds; UndecodableEvent (a MapperDeserialisationError) for any damage."""
        try:
            state = stored_event.state
            if self.cipher:
                state = self.cipher.decrypt(state)
            if self.compressor:
                state = self.compressor.decompress(state)
            return decode_event(event_class(stored_event.topic), stored_event.originator_id,
                                stored_event.originator_version, state)
        except _Unreadable as error:
            raise UndecodableEvent(stored_event, str(error)) from None
        except Exception as error:  # stored bytes are untrusted: any other failure is damage too, named
            raise UndecodableEvent(stored_event, f"{type(error).__name__}: {shown(error, 160)}") from None

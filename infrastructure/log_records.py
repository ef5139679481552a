"""Statements of the log as plain records: what `events` shows and `export` writes."""

from __future__ import annotations

from datetime import datetime
from typing import Iterator

from stratlog.domain.dates import instant_text
from stratlog.infrastructure.event_source import EventSource, LoggedEvent
from stratlog.infrastructure.read_model import ReadModel
from stratlog.infrastructure.statement_keys import id_text, stored_id


def as_record(logged: LoggedEvent) -> dict:
    """The statement as an export line: ids and clocks first, then kind, keys and payload."""
    event = logged.event
    return {"statement_id": event.statement_id, "recorded_at": instant_text(event.recorded_at),
            **event.statement.model_dump(mode="json", exclude_none=True)}


def statement_records(read_model: ReadModel, source: EventSource, brand: str | None = None, kind: str | None = None,
                      since: datetime | None = None) -> Iterator[tuple[int, dict]]:
    """(position, record) of the statements matching the filters, in recording order.

    Stored events that do not decode are left out (the source notes them in `damaged`).
    """
    if brand is None and kind is None and since is None:
        yield from ((logged.position, as_record(logged)) for logged in source.every())
        return
    for logged in source.statements_at(read_model.positions(brand, kind, since)):
        yield logged.position, as_record(logged)


def statement_record(read_model: ReadModel, source: EventSource, statement_id: str) -> dict | None:
    """One statement's record by its full id."""
    where = read_model.location(statement_id)
    if where is None:
        return None
    logged = source.events_of(*where[:1], [where[1]])
    return as_record(logged[0]) if logged else None


def statement_and_fixes(read_model: ReadModel, source: EventSource, statement_id: str) -> list[tuple[int, str, dict]]:
    """(position, subject type, record) of a statement (by its full id) and then of its corrections and
    retraction, in recording order; empty when no statement has that id."""
    rows = read_model.conn.execute(
        "SELECT st.statement_id, st.position, su.subject_type FROM rm_statements st JOIN rm_subjects su "
        "ON su.id = st.subject WHERE st.statement_id=? OR st.fixes=? ORDER BY st.statement_id<>?, st.position",
        (stored_id(statement_id),) * 3).fetchall()
    found = []
    for sid, position, subject_type in rows:
        record = statement_record(read_model, source, id_text(sid))
        if record is not None:
            found.append((position, subject_type, record))
    return found

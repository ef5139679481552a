"""The notification log of the event store, read as recorded statements (positions and events)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from stratlog.application.ledger import Ledger
from stratlog.domain.catalogue import SUBJECT_OF_AGGREGATE


@dataclass(frozen=True)
class LoggedEvent:
    """One stored event with its notification id (the order of recording; 0 when read by subject)."""

    position: int
    subject_type: str
    subject_id: UUID
    event: Any


def subject_type_of(topic: str) -> str:
    """The subject type of a stored event's topic ('…:Model.ModelPlanned' is a model's)."""
    return SUBJECT_OF_AGGREGATE[topic.split(":", 1)[1].split(".", 1)[0]]


class EventSource:
    """Reads the Ledger's event store in order, decoding through the pydantic mapper."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger

    def max_position(self) -> int:
        return self.ledger.recorder.max_notification_id() or 0

    def read_chunk(self, after: int, limit: int = 5000) -> list[LoggedEvent]:
        """Up to `limit` events after position `after`, oldest first."""
        notifications = self.ledger.recorder.select_notifications(start=after, limit=limit, inclusive_of_start=False)
        return [LoggedEvent(n.id, subject_type_of(n.topic), n.originator_id, self.ledger.mapper.to_domain_event(n))
                for n in notifications]

    def statements_at(self, positions: Iterable[int]) -> Iterable[LoggedEvent]:
        """The events at these positions, in order (reads the log from the first one on)."""
        wanted = sorted(set(positions))
        index, after = 0, (wanted[0] - 1 if wanted else 0)
        while index < len(wanted):
            chunk = self.read_chunk(after, limit=5000)
            if not chunk:
                return
            for logged in chunk:
                if index < len(wanted) and logged.position == wanted[index]:
                    index += 1
                    yield logged
            after = chunk[-1].position

    @property
    def by_subject(self) -> bool:
        """Whether whole subjects can be read with their positions (the SQLite store can)."""
        from eventsourcing.sqlite import SQLiteApplicationRecorder
        return isinstance(self.ledger.recorder, SQLiteApplicationRecorder)

    def subjects(self) -> list[tuple[str, int]]:
        """Every subject id (hex) with its number of events, in the store's key order."""
        with self.ledger.recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute("SELECT originator_id, COUNT(*) FROM stored_events GROUP BY originator_id")
            return [(row[0], row[1]) for row in cursor.fetchall()]

    def subject_log(self, subject: str) -> list[LoggedEvent]:
        """All events of one subject with their positions, in version order (SQLite store)."""
        with self.ledger.recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute("SELECT rowid, originator_version, topic, state FROM stored_events "
                           "WHERE originator_id=? ORDER BY originator_version", (subject,))
            rows = cursor.fetchall()
        subject_id, mapper = UUID(hex=subject), self.ledger.mapper
        return [LoggedEvent(position, subject_type_of(topic), subject_id, mapper.to_domain_event(
            StoredEvent(originator_id=subject_id, originator_version=version, topic=topic, state=state)))
            for position, version, topic, state in rows]

    def events_of(self, subject_id: UUID, versions: Iterable[int]) -> list[LoggedEvent]:
        """Some events of one subject (by version), decoded."""
        wanted = set(versions)
        stored = self.ledger.recorder.select_events(subject_id, gt=min(wanted) - 1, lte=max(wanted)) if wanted else []
        return [LoggedEvent(0, subject_type_of(s.topic), subject_id, self.ledger.mapper.to_domain_event(s))
                for s in stored if s.originator_version in wanted]

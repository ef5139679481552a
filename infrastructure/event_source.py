"""The notification log of the event store, read as recorded statements (positions and events)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any, Iterable, Iterator
from uuid import UUID

from eventsourcing.persistence import MapperDeserialisationError, StoredEvent

from stratlog.application.ledger import Ledger
from stratlog.application.notification_log import page
from stratlog.domain.catalogue import SUBJECT_OF_AGGREGATE
from stratlog.infrastructure.damage import Damage


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
    """Reads the Ledger's event store in order, decoding through the pydantic mapper.

    A stored event that does not decode is left out of what is read and noted in `damaged`
    (by position), so one damaged event never stops a command reading the others.
    """

    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.damaged: dict[int, Damage] = {}

    def max_position(self) -> int:
        return self.ledger.recorder.max_notification_id() or 0

    def _decoded(self, stored: StoredEvent, position: int) -> LoggedEvent | None:
        try:
            event = self.ledger.mapper.to_domain_event(stored)
        except MapperDeserialisationError as error:
            if position:
                self.damaged[position] = Damage.of(stored, error, position)
            return None
        return LoggedEvent(position, subject_type_of(stored.topic), event.originator_id, event)

    def read_chunk(self, after: int, limit: int = 5000) -> tuple[list[LoggedEvent], int]:
        """The decodable events among the next `limit` after position `after`, and the last position read
        (`after` itself at the end of the log)."""
        notifications = page(self.ledger, after, limit)
        decoded = [self._decoded(n, n.id) for n in notifications]
        return [e for e in decoded if e is not None], (notifications[-1].id if notifications else after)

    def every(self, after: int = 0, limit: int = 5000) -> Iterator[LoggedEvent]:
        """Every decodable event after position `after`, oldest first."""
        while True:
            chunk, last = self.read_chunk(after, limit)
            yield from chunk
            if last == after:
                return
            after = last

    def statements_at(self, positions: Iterable[int]) -> Iterable[LoggedEvent]:
        """The events at these positions, in order (reads the log from the first one on)."""
        wanted = sorted(set(positions))
        if not wanted:
            return
        index = 0
        for logged in self.every(wanted[0] - 1):
            while index < len(wanted) and wanted[index] < logged.position:
                index += 1
            if index == len(wanted):
                return
            if logged.position == wanted[index]:
                index += 1
                yield logged

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

    def subject_logs(self) -> Iterator[tuple[str, list[LoggedEvent]]]:
        """Every subject (hex id) with its decodable events and their positions, in version order: one scan
        of the log in key order (SQLite store), so memory holds one subject at a time."""
        with self.ledger.recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute("SELECT originator_id, rowid, originator_version, topic, state FROM stored_events "
                           "ORDER BY originator_id, originator_version")
            for subject, rows in groupby(iter(cursor.fetchone, None), key=itemgetter(0)):
                subject_id = UUID(hex=subject)
                decoded = [self._decoded(StoredEvent(originator_id=subject_id, originator_version=version,
                                                     topic=topic, state=state), position)
                           for _, position, version, topic, state in rows]
                yield subject, [e for e in decoded if e is not None]

    def events_of(self, subject_id: UUID, versions: Iterable[int]) -> list[LoggedEvent]:
        """Some decodable events of one subject (by version); their position is not known here (0)."""
        wanted = set(versions)
        stored = self.ledger.recorder.select_events(subject_id, gt=min(wanted) - 1, lte=max(wanted)) if wanted else []
        decoded = [self._decoded(s, 0) for s in stored if s.originator_version in wanted]
        return [e for e in decoded if e is not None]

"""The notification log of the event store, read as recorded statements (positions and events)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from application.ledger import Ledger

SUBJECT_OF_TOPIC = {"Brand": "brand", "Model": "model", "Market": "market", "DealerAgreement": "dealer-agreement"}


@dataclass(frozen=True)
class LoggedEvent:
    """One stored event with its notification id (the order of recording)."""

    position: int
    subject_type: str
    subject_id: UUID
    event: Any


class EventSource:
    """Reads the Ledger's notification log in order, decoding through the pydantic mapper."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger

    def max_position(self) -> int:
        return self.ledger.recorder.max_notification_id() or 0

    def read_chunk(self, after: int, limit: int = 5000) -> list[LoggedEvent]:
        """Up to `limit` events after position `after`, oldest first."""
        notifications = self.ledger.recorder.select_notifications(start=after, limit=limit, inclusive_of_start=False)
        return [self._logged(n) for n in notifications]

    def _logged(self, notification: Any) -> LoggedEvent:
        event = self.ledger.mapper.to_domain_event(notification)
        aggregate_name = notification.topic.split(":", 1)[1].split(".", 1)[0]
        return LoggedEvent(notification.id, SUBJECT_OF_TOPIC[aggregate_name], event.originator_id, event)

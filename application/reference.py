"""The reference semantics: fold the event log itself, with no read model (slow, obviously right)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from eventsourcing.persistence import MapperDeserialisationError

from stratlog.domain.fixes import Fix
from stratlog.domain.groups import fold_group, grouped
from stratlog.domain.history import Entry, apply_fixes


@dataclass(frozen=True)
class Skipped:
    """A stored event the fold left out, as the read model does: it does not decode, or it fixes one that does not."""

    notification: Any
    reason: str
    decodes: bool = False


class ReferenceFold:
    """Answers the ViewSource questions by replaying every stored event that can be read."""

    def __init__(self, ledger):
        self.by_subject: dict = defaultdict(list)
        self.brand_of: dict = {}
        self.count = 0
        self.skipped: list[Skipped] = []
        self._read: set[str] = set()  # ids of the statements folded so far
        after = 0
        while notifications := ledger.recorder.select_notifications(start=after, limit=5000, inclusive_of_start=False):
            for n in notifications:
                self._add(ledger, n)
            after = notifications[-1].id

    def _add(self, ledger, notification) -> None:
        try:
            event = ledger.mapper.to_domain_event(notification)
        except MapperDeserialisationError as error:
            self.skipped.append(Skipped(notification, getattr(error, "reason", str(error))))
            return
        self.count += 1
        if isinstance(event.statement, Fix) and event.statement.target not in self._read:
            self.skipped.append(Skipped(notification, f"it fixes statement {event.statement.target[:8]}, "
                                                      f"which could not be read", decodes=True))
            return
        self._read.add(event.statement_id)
        self.by_subject[event.originator_id].append(
            Entry(event.statement_id, notification.id, event.recorded_at, event.statement))
        if not isinstance(event.statement, Fix):
            self.brand_of[event.originator_id] = event.statement.brand

    def views(self, brand: str, as_of: date, known_at: datetime, kinds: tuple[str, ...] = ()) -> list[dict]:
        found = []
        for subject, entries in self.by_subject.items():
            if self.brand_of.get(subject) != brand:
                continue
            fixed = [e for e in apply_fixes(entries, known_at) if not e.is_fix]
            for group, members in grouped(fixed).items():
                view = fold_group(group, members, as_of)
                if view is not None and (not kinds or view["type"] in kinds):
                    found.append(view if not kinds or "audit" in kinds or "audit" not in view
                                 else {**view, "audit": []})
        return found

    def brand_registered(self, brand: str) -> bool:
        """Whether the log holds readable statements about the brand (as the read model answers)."""
        return any(self.brand_of.get(subject) == brand and entries for subject, entries in self.by_subject.items())

    def brands(self) -> list[str]:
        """Registered brands, and those with a subject whose events were left out (as the read model lists)."""
        registered = {e.statement.brand for entries in self.by_subject.values() for e in entries
                      if e.kind == "brand-registered"}
        damaged = {self.brand_of.get(s.notification.originator_id) for s in self.skipped}
        return sorted(registered | (damaged - {None}))

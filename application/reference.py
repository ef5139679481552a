"""The reference semantics: fold the event log itself, with no read model (slow, obviously right)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from stratlog.domain.fixes import Fix
from stratlog.domain.groups import fold_group, group_of
from stratlog.domain.history import Entry, apply_fixes


class ReferenceFold:
    """Answers the ViewSource questions by replaying every stored event."""

    def __init__(self, ledger):
        self.by_subject: dict = defaultdict(list)
        self.brand_of: dict = {}
        self.count = 0
        after = 0
        while True:
            notifications = ledger.recorder.select_notifications(start=after, limit=5000, inclusive_of_start=False)
            if not notifications:
                break
            for n in notifications:
                event = ledger.mapper.to_domain_event(n)
                self.count += 1
                self.by_subject[event.originator_id].append(
                    Entry(event.statement_id, n.id, event.recorded_at, event.statement))
                if not isinstance(event.statement, Fix):
                    self.brand_of[event.originator_id] = event.statement.brand
            after = notifications[-1].id

    def views(self, brand: str, as_of: date, known_at: datetime, kinds: tuple[str, ...] = ()) -> list[dict]:
        found = []
        for subject, entries in self.by_subject.items():
            if self.brand_of.get(subject) != brand:
                continue
            fixed = [e for e in apply_fixes(entries, known_at) if not e.is_fix]
            groups: dict[str, list[Entry]] = defaultdict(list)
            for entry in fixed:
                groups[group_of(entry.statement)].append(entry)
            for group, members in groups.items():
                view = fold_group(group, members, as_of)
                if view is not None and (not kinds or view["type"] in kinds):
                    found.append(view if not kinds or "audit" in kinds or "audit" not in view
                                 else {**view, "audit": []})
        return found

    def brand_registered(self, brand: str, known_at: datetime | None = None) -> bool:
        return any(e.kind == "brand-registered" and e.statement.brand == brand and
                   (known_at is None or e.recorded_at <= known_at)
                   for entries in self.by_subject.values() for e in entries)

    def brands(self) -> list[str]:
        return sorted({e.statement.brand for entries in self.by_subject.values() for e in entries
                       if e.kind == "brand-registered"})

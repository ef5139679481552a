"""The naive fold: one brand's as-of answers from replaying its events out of the event store, no read model."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from stratlog.domain import views
from stratlog.domain.groups import fold_group, grouped as grouped_entries
from stratlog.domain.history import apply_fixes


class NaiveFold:
    """Loads, decodes and folds every event of a brand's subjects for each question (what the read model avoids)."""

    def __init__(self, runtime):
        self.ledger = runtime.ledger
        self.read_model = runtime.read_model
        self._subjects: dict[str, list[UUID]] = {}

    def subjects_of(self, brand: str) -> list[UUID]:
        """The brand's aggregate ids, looked up once per brand (outside the timed replay)."""
        if brand not in self._subjects:
            self._subjects[brand] = self.read_model.subjects_of(brand)
        return self._subjects[brand]

    def groups(self, brand: str, as_of: date, known_at: datetime) -> list[dict]:
        """Every folded group view of the brand as of `as_of`, as known at `known_at`."""
        found = []
        for subject in self.subjects_of(brand):
            entries = []
            for stored in self.ledger.recorder.select_events(subject):
                event = self.ledger.mapper.to_domain_event(stored)
                entries.append(event.entry())
            fixed = [e for e in apply_fixes(entries, known_at) if not e.is_fix]
            for group, members in grouped_entries(fixed).items():
                view = fold_group(group, members, as_of)
                if view is not None:
                    found.append(view)
        return found


def answer(question: str, groups: list[dict], brand: str, as_of: date) -> list[dict]:
    """The answer to `question` (kpis, timeline or audit) from folded groups, as the queries give it."""
    if question == "kpis":
        return views.kpis(groups, brand, as_of)
    if question == "timeline":
        return views.timeline(groups, brand, as_of)
    return views.audit(groups, brand, None, None)

"""The reference semantics: fold the event log itself, with no read model (slow, obviously right)."""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable
from uuid import UUID

from eventsourcing.persistence import MapperDeserialisationError
from pydantic import ValidationError

from stratlog.application.notification_log import notifications
from stratlog.domain.fixes import Fix, StatementCorrected
from stratlog.domain.groups import belongs, fold_group, group_of, grouped
from stratlog.domain.guidance import BRAND_TARGETS
from stratlog.domain.history import Entry, apply_fixes

KEPT_SUBJECTS = 4096  # (subject, known_at) states kept folded at once: memory stays bounded on any log


@dataclass(frozen=True)
class Skipped:
    """A stored event the fold left out, as the read model does: it does not decode, or it fixes one that does not."""

    notification: Any
    reason: str
    decodes: bool = False


class UnitFold:
    """One fold unit (a model, a KPI's targets, …) as known at one instant, folded as of any date.

    The view as of D depends on D only through which members are counted (announced end ≤ D) and
    which are in effect (effective end ≤ D); so it is folded once per distinct pair of those counts
    and shared by every question (timeline, kpis, audit, verify) asked of the unit.
    """

    def __init__(self, group: str, members: list[Entry]):
        self.group, self.members = group, members
        self._ends = sorted(e.end for e in members)
        self._effects = sorted(e.takes_effect for e in members)
        self._views: dict[tuple[int, int], dict | None] = {}

    def change_points(self) -> set[date]:
        """Every date from which the unit's view may differ from the day before (and the first day)."""
        return {date.min, *self._ends, *self._effects}

    def view(self, as_of: date) -> dict | None:
        """The unit's view as of `as_of` (None when nothing is counted); do not modify it, it is shared."""
        key = (bisect_right(self._ends, as_of), bisect_right(self._effects, as_of))
        if key not in self._views:
            self._views[key] = fold_group(self.group, self.members, as_of)
        return self._views[key]


def _member_key(entry: Entry) -> tuple:
    """What makes a member's fixed state within its subject: its log position and those of the fixes applied."""
    retraction = entry.retracted_by.position if entry.retracted_by is not None else None
    return entry.position, retraction, *(fix.position for fix in entry.corrections)


class ReferenceFold:
    """Answers the ViewSource questions by replaying every stored event that can be read.

    The log is read once (`log`: notifications in log order, the whole log by default) and indexed
    by subject and by brand; a subject's units are folded per known-at instant on demand (the
    latest KEPT_SUBJECTS kept), each unit once per distinct set of counted statements, and one
    UnitFold shared by every known-at instant at which the unit has the same members with the same
    fixes (so timeline, kpis, audit and the row comparison at several instants fold it once).
    """

    def __init__(self, ledger, log: Iterable[Any] | None = None):
        self.by_subject: dict[UUID, list[Entry]] = defaultdict(list)
        self.brand_of: dict[UUID, str] = {}
        self.count = 0
        self.skipped: list[Skipped] = []
        self._read: set[str] = set()  # ids of the statements folded so far
        for notification in notifications(ledger) if log is None else log:
            self._add(ledger, notification)
        self.subjects_of: dict[str, list[UUID]] = defaultdict(list)  # brand → its subjects, in log order
        for subject in self.by_subject:
            if subject in self.brand_of:
                self.subjects_of[self.brand_of[subject]].append(subject)
        self._first_known = {brand: min(e.recorded_at for s in subjects for e in self.by_subject[s])
                             for brand, subjects in self.subjects_of.items()}
        self._brands = self._registered_brands()
        self._units: OrderedDict[tuple[UUID, datetime], dict[str, UnitFold]] = OrderedDict()
        self._folds: OrderedDict[UUID, dict[tuple, UnitFold]] = OrderedDict()  # subject → its units by members

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

    def _registered_brands(self) -> list[str]:
        registered = {e.statement.brand for entries in self.by_subject.values() for e in entries
                      if e.kind == "brand-registered"}
        damaged = {self.brand_of.get(s.notification.originator_id) for s in self.skipped}
        return sorted(registered | (damaged - {None}))

    # -- units -------------------------------------------------------------------------------
    def units(self, subject: UUID, known_at: datetime) -> dict[str, UnitFold]:
        """The subject's fold units as known at `known_at`, by group (brand-wide target statements folded
        into each targets unit)."""
        key = (subject, known_at)
        if key in self._units:
            self._units.move_to_end(key)
            return self._units[key]
        fixed = [e for e in apply_fixes(self.by_subject.get(subject, ()), known_at) if not e.is_fix]
        units = {group: self._fold(subject, group, members) for group, members in grouped(fixed).items()}
        self._units[key] = units
        if len(self._units) > KEPT_SUBJECTS:
            self._units.popitem(last=False)
        return units

    def unit(self, subject: UUID, group: str, known_at: datetime) -> UnitFold:
        """One unit of the subject as known at `known_at`: its members are the statements that belong to it
        (see `belongs`), as the read model materialises it, even when no statement of its own is left."""
        found = self.units(subject, known_at).get(group)
        if found is not None:
            return found
        fixed = [e for e in apply_fixes(self.by_subject.get(subject, ()), known_at) if not e.is_fix]
        return self._fold(subject, group, [e for e in fixed if belongs(e.statement, group)])

    def _fold(self, subject: UUID, group: str, members: list[Entry]) -> UnitFold:
        """The unit folded from these members, shared by every known-at instant at which the unit has exactly
        these members with exactly these fixes applied (the latest KEPT_SUBJECTS subjects' units kept)."""
        folds = self._folds.get(subject)
        if folds is None:
            folds = self._folds[subject] = {}
            if len(self._folds) > KEPT_SUBJECTS:
                self._folds.popitem(last=False)
        else:
            self._folds.move_to_end(subject)
        key = (group, tuple(map(_member_key, members)))
        found = folds.get(key)
        if found is None:
            found = folds[key] = UnitFold(group, members)
        return found

    def unit_groups(self, subject: UUID) -> set[str]:
        """Every group the subject's statements ever belonged to (a correction may move one to another)."""
        current: dict[str, Any] = {}
        groups: set[str] = set()
        for entry in self.by_subject.get(subject, ()):
            statement = entry.statement
            if isinstance(statement, StatementCorrected) and statement.target in current:
                try:
                    statement = current[statement.target].corrected(statement.fields)
                except ValidationError:  # a correction that was refused on the way in corrects nothing
                    continue
                current[entry.statement.target] = statement
            elif not entry.is_fix:
                current[entry.statement_id] = statement
            else:
                continue
            groups.add(group_of(statement))
        return groups - {BRAND_TARGETS}

    def instants(self, subject: UUID) -> list[datetime]:
        """The distinct recorded_at instants of the subject's statements and fixes, oldest first."""
        return sorted({e.recorded_at for e in self.by_subject.get(subject, ())})

    def brand_instants(self, brand: str) -> list[datetime]:
        """The distinct recorded_at instants of the brand's statements and fixes, oldest first."""
        return sorted({i for subject in self.subjects_of.get(brand, ()) for i in self.instants(subject)})

    # -- ViewSource --------------------------------------------------------------------------
    def views(self, brand: str, as_of: date, known_at: datetime, kinds: tuple[str, ...] = ()) -> list[dict]:
        """Every unit view of the brand as of `as_of`, as known at `known_at` (only `kinds` if given)."""
        found = []
        for subject in self.subjects_of.get(brand, ()):
            for unit in self.units(subject, known_at).values():
                view = unit.view(as_of)
                if view is not None and (not kinds or view["type"] in kinds):
                    found.append(view if not kinds or "audit" in kinds or "audit" not in view
                                 else {**view, "audit": []})
        return found

    def brand_registered(self, brand: str) -> bool:
        """Whether the log holds readable statements about the brand (as the read model answers)."""
        return self._first_known.get(brand) is not None

    def brands(self) -> list[str]:
        """Registered brands, and those with a subject whose events were left out (as the read model lists)."""
        return list(self._brands)

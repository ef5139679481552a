"""The read model's stored rows compared with the reference fold, unit by unit, at each unit's change points."""

from __future__ import annotations

import heapq
import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterator, Sequence
from uuid import UUID

from stratlog.application.reference import ReferenceFold, UnitFold
from stratlog.application.unit_items import first_difference, folded_items, stored_items
from stratlog.domain.dates import instant_text
from stratlog.domain.groups import make_folder
from stratlog.domain.history import counted, fold_key
from stratlog.domain.items import regroup

SAMPLED_INSTANTS = 2  # earlier recording instants of each subject at which its units are also compared
FULL_POINTS = 8  # change points up to which a unit is folded from scratch at every one of them
SCRATCH_POINTS = 3  # points of a longer unit folded from scratch (every point is compared item by item)
# a stored row: (group, brand, kind, item, valid_from, valid_to, known_from, known_to, data)
GROUP, BRAND, KIND, ITEM, VALID_FROM, VALID_TO, KNOWN_FROM, KNOWN_TO, DATA = range(9)
PARSED = 9  # the data read once, appended to the row


@dataclass
class UnitComparison:
    """How many units and (date, known-at) points were compared, and one problem per unit that differs."""

    units: int = 0
    points: int = 0
    problems: list[str] = field(default_factory=list)

    def compare_subject(self, reference: ReferenceFold, subject: UUID, rows: Sequence[tuple], now: datetime,
                        checkpoints: dict[str, Any] | None = None) -> None:
        """Compare every unit of one subject (and report stored units the log does not have).

        Each unit is compared as known `now` at all of its change points and today, and as known at
        up to SAMPLED_INSTANTS earlier recording instants of the subject (seeded by the subject, so a
        run is repeatable) at the change points of what was known then.
        """
        by_group: dict[str, list[tuple]] = defaultdict(list)
        for row in rows:
            by_group[row[GROUP]].append((*row, json.loads(row[DATA])))
        groups, brand = reference.unit_groups(subject), reference.brand_of.get(subject, "?")
        for group in sorted(by_group.keys() - groups):
            self.problems.append(lacking(brand, group, subject.hex, len(by_group[group])))
        instants = [now] + sampled_instants(reference.instants(subject), now, subject.hex)
        for group in sorted(groups):
            self.units += 1
            problem = self._compare_unit(reference, subject, group, brand, by_group.get(group, []), instants)
            if problem is None and group in (checkpoints or {}):
                everything = max([now, *reference.instants(subject)])  # a clock behind the log knows less
                problem = checkpoint_problem(group, reference.unit(subject, group, everything).members, checkpoints[group])
            if problem:
                self.problems.append(f"{brand} {_unit_name(reference, subject, group, now)}: {problem}")

    def _compare_unit(self, reference: ReferenceFold, subject: UUID, group: str, brand: str, rows: list[tuple],
                      instants: list[datetime]) -> str | None:
        kind = group.split(":", 1)[0]
        for row in rows:
            wanted = (brand, "audit" if row[ITEM].startswith("a:") else kind)
            if (row[BRAND], row[KIND]) != wanted:
                return (f"stored row {row[ITEM]!r} says brand {row[BRAND]!r}, kind {row[KIND]!r} "
                        f"(the fold: {wanted[0]!r}, {wanted[1]!r})")
        passed: dict[tuple, UnitFold] = {}  # (fold, known rows) already found equal at every point
        for number, known_at in enumerate(instants):
            unit = reference.unit(subject, group, known_at)
            at = instant_text(known_at)
            known = [r for r in rows if r[KNOWN_FROM] <= at < r[KNOWN_TO]]
            dates = unit.change_points() | {date.fromisoformat(r[VALID_FROM]) for r in known} | {date.today()}
            same = (id(unit), *map(id, known))  # the same fold and the same rows: the same answers again
            if same in passed:
                self.points += len(dates)
                continue
            passed[same] = unit  # (kept, so its id stays its own)
            if len(dates) > FULL_POINTS:
                self.points += len(dates)
                why = _compare_long(unit, group, known, sorted(dates), f"{subject.hex}{group}{number}")
                if why:
                    return why if number == 0 else why.replace(":", f", known at {at}:", 1)
                continue
            for as_of, active in sweep(known, sorted(dates)):
                self.points += 1
                why = differs(unit, group, as_of, active)
                if why:
                    return f"as of {as_of}{'' if number == 0 else ', known at ' + at}: {why}"
        return None


def checkpoint_problem(group: str, members: list, checkpoint: Any) -> str | None:
    """How a unit's stored fold checkpoint (date_fold.FoldCheckpoint) differs from its members folded one
    by one in fold order (a plain fold, not the date fold that wrote it); None when it says the same."""
    live = counted(members, None)
    if not live:
        return "its fold checkpoint holds a unit with no live statement"
    folder = make_folder(group)
    for entry in live:
        folder.apply(entry)
    retracted = sorted((e for e in members if e.retracted_by is not None), key=fold_key)
    wanted = {"last statement's date": live[-1].start,  # positions: the log's here, the subject's versions there
              "last date": max(max(e.end, e.takes_effect) for e in members),
              "targets": [t.as_item() for t in folder.targets],
              "audit rows": len(folder.audit),
              "retracted rows": folder.retracted_items(retracted) if retracted else {}}
    wanted["items shown"] = {t.item_key: t.as_item() for t in folder.targets}
    stored = {"last statement's date": checkpoint.last_key[0], "last date": checkpoint.last_step,
              "targets": [t.as_item() for t in checkpoint.folder.targets],
              "audit rows": checkpoint.folder.audit_before + len(checkpoint.folder.audit),
              "retracted rows": checkpoint.shown_retracted, "items shown": checkpoint.shown}
    differs = next((name for name, value in wanted.items() if stored[name] != value), None)
    return None if differs is None else \
        f"its fold checkpoint differs from the fold ({differs}); run 'stratlog projections rebuild'"


def _compare_long(unit: UnitFold, group: str, known: list[tuple], dates: list[date], seed: str) -> str | None:
    """A unit with more than FULL_POINTS change points: every point item by item against its fold over dates
    (application/unit_items.py), and SCRATCH_POINTS of them (the last, today, seeded others) against the
    from-scratch fold; 'as of D: why' for the first that differs."""
    apart = first_difference(folded_items(group, unit.members), stored_items(known, ITEM, VALID_FROM, VALID_TO, PARSED))
    chosen = {dates[-1], date.today(), *random.Random(seed).sample(dates, SCRATCH_POINTS - 2)}
    for as_of, active in sweep(known, sorted(chosen | ({apart} if apart else set()))):
        why = differs(unit, group, as_of, active)
        if why:
            return f"as of {as_of}: {why}"
    return None if apart is None else f"as of {apart}: the stored rows differ from the fold"


def _unit_name(reference: ReferenceFold, subject: UUID, group: str, now: datetime) -> str:
    """'market EU (subject cfcb58a6)': the unit's group, the name the fold gives it, and its subject."""
    view = reference.unit(subject, group, now).view(date.max) or {}
    name = view.get("subject") if isinstance(view.get("subject"), str) else None
    return f"{group}{' ' + name if name and name not in group else ''} (subject {subject.hex[:8]})"


def lacking(brand: str, group: str, subject_hex: str, count: int) -> str:
    """The problem of stored rows of a unit that the log does not have."""
    rows = f"{count} stored row{'s' * (count != 1)}"
    return f"{brand} {group} (subject {subject_hex[:8]}): {rows}, but the event log has no such unit"


def sampled_instants(instants: list[datetime], now: datetime, seed: str) -> list[datetime]:
    """Up to SAMPLED_INSTANTS of the recording instants whose state differs from `now`'s (all but the
    latest, unless the latest is after `now`), chosen with a fixed seed, oldest first."""
    earlier = instants[:-1] + [i for i in instants[-1:] if i > now]
    return sorted(random.Random(seed).sample(earlier, min(SAMPLED_INSTANTS, len(earlier))))


def sweep(rows: list[tuple], dates: list[date]) -> Iterator[tuple[date, list[tuple]]]:
    """For each date (ascending), the rows valid at it (valid_from ≤ date < valid_to); one pass over both."""
    ordered = sorted(rows, key=lambda r: r[VALID_FROM])
    ending: list[tuple[str, int]] = []
    active: dict[int, tuple] = {}
    index = 0
    for day in dates:
        text = day.isoformat()
        while index < len(ordered) and ordered[index][VALID_FROM] <= text:
            active[index] = ordered[index]
            heapq.heappush(ending, (ordered[index][VALID_TO], index))
            index += 1
        while ending and ending[0][0] <= text:
            del active[heapq.heappop(ending)[1]]
        yield day, list(active.values())


def differs(unit: UnitFold, group: str, as_of: date, active: list[tuple]) -> str | None:
    """Why the stored rows valid at a point do not give the fold's view of the unit (None when they do)."""
    items = [r[ITEM] for r in active]
    if len(set(items)) != len(items):
        twice = sorted({i for i in items if items.count(i) > 1})
        return f"item {twice[0]!r} has more than one stored row"
    view = unit.view(as_of)
    stored, expected = regroup((group, r[PARSED]) for r in active), [view] if view is not None else []
    if stored == expected or _canonical(stored) == _canonical(expected):  # (a tuple in the fold is a JSON list)
        return None
    if view is None or not stored:
        return "stored rows where the fold has nothing" if stored else "no stored row where the fold has a view"
    return "the stored rows differ from the fold"


def _canonical(views: list[Any]) -> str:
    return json.dumps(views, sort_keys=True, ensure_ascii=False, default=str)

"""Statements grouped into fold units (a model, a KPI's targets, …), folded into views and items."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any, Iterable, Iterator

from stratlog.domain.catalogue import FOLDERS
from stratlog.domain.date_fold import DateFold
from stratlog.domain.guidance import BRAND_TARGETS
from stratlog.domain.history import Entry, counted, fold_key, in_effect
from stratlog.domain.items import regroup


def group_of(statement: Any) -> str:
    """The fold unit a statement belongs to, within its subject (its statement class says which)."""
    return statement.group


def belongs(statement: Any, group: str) -> bool:
    """Whether the fold unit `group` folds the statement: its own group, and for every targets group of
    its brand, a statement about all the brand's targets (a guidance withdrawal, group `targets:*`)."""
    own = statement.group
    return own == group or (own == BRAND_TARGETS and group.startswith("targets:") and group != BRAND_TARGETS)


def grouped(entries: Iterable[Entry]) -> dict[str, list[Entry]]:
    """A subject's statements by the fold units that fold them (see `belongs`), each in recording order;
    brand-wide target statements fold with no unit of their own."""
    groups: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        groups[group_of(entry.statement)].append(entry)
    wide = groups.pop(BRAND_TARGETS, [])
    for name in [g for g in groups if g.startswith("targets:")] if wide else []:
        groups[name] = sorted(groups[name] + wide, key=lambda e: e.position)
    return dict(groups)


def refuses(group: str) -> bool:
    """Whether the strict fold of the unit can refuse a statement (a folder declares REFUSES = False when
    it has no rule): a unit that cannot is checked without its members (only fixes are, by their chain)."""
    factory = FOLDERS[group.split(":", 1)[0]]
    return getattr(getattr(factory, "func", factory), "REFUSES", True)


def last_word(group: str) -> tuple[bool, bool]:
    """(whether the unit is a last-word fold, whether its items carry a list header taken from its first
    statement): its items change only where a statement names them, at the end of its announcement."""
    from stratlog.domain.folders import LatestFolder
    factory = FOLDERS[group.split(":", 1)[0]]
    if getattr(factory, "func", None) is not LatestFolder:
        return False, False
    return True, factory.keywords.get("header") is not None


def make_folder(group: str, strict: bool = False):
    """The folder of a group, by its type (the part before the first colon)."""
    return FOLDERS[group.split(":", 1)[0]](strict)


def fold_group(group: str, entries: list[Entry], as_of: date | None, strict: bool = False) -> dict | None:
    """The view of one fold unit from its fixed entries, counting those announced by `as_of`."""
    folder = make_folder(group, strict)
    applied, scheduled = in_effect(_counted_at(group, counted(entries, None), as_of), as_of)
    for entry in applied:
        folder.apply(entry)
    _schedule(folder, scheduled)
    folder.finish()
    items = folder.items()
    items.update(folder.retracted_items(_retracted(entries, as_of)))
    views = regroup((group, item) for item in items.values())
    return views[0] if views else None


def _counted_at(group: str, live: list[Entry], as_of: date | None) -> list[Entry]:
    """The live entries (in fold order) counted as of `as_of`: announced by then. A brand's first
    registration counts at every date (bookkeeping); a later one restates it from its announced end."""
    if as_of is None:
        return live
    first = live[:1] if group == "brand" else []
    return first + [e for e in live[len(first):] if e.end <= as_of]


def _retracted(entries: list[Entry], as_of: date | None) -> list[Entry]:
    return sorted((e for e in entries if e.retracted_by is not None and (as_of is None or e.end <= as_of)), key=fold_key)


def _schedule(folder, scheduled: list[Entry]) -> None:
    """Tell a subject's folder what is announced but not yet in effect (only subjects' kinds have effective dates)."""
    schedule = getattr(folder, "schedule", None)
    if schedule is not None:
        schedule(scheduled)


def items_over_dates(group: str, members: list[Entry]) -> Iterator[tuple[date, dict[str, dict | None]]]:
    """(step, changed items) at each date the group's answer changes (an announced end or an effective
    date's end), in date order: only the items whose answer changed at that step (None: gone).

    Folded change by change (domain/date_fold.py): an entry counted late that sorts before those
    already folded refolds from a checkpoint before its place, not from the start.
    """
    return DateFold(group, members).changes()

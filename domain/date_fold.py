"""A fold unit folded over announced dates change by change: only the items that changed at each date step.

The answer at a date D is the fold of the unit's live entries in effect by D (section 5), in fold
order (announced start, recording position). Walking the dates in order, an entry joins the fold at
its `takes_effect` step; usually it sorts after everything already folded and is simply applied.
When it sorts earlier (a `2023` statement counted after a `2023-06` one), the fold goes back to a
checkpoint taken just before its place (planned in advance: every member is known up front) and
re-applies only what follows. Each step yields the items whose answer changed (None: gone).
"""

from __future__ import annotations

import copy
import io
import pickle
import threading
from bisect import bisect_left, insort
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Iterator

from pydantic import BaseModel

from stratlog.domain.history import Entry, fold_key

Changes = dict[str, Any]  # item key -> its new item (a dict), or None when the item is gone


def _new_folder(group: str) -> Any:
    from stratlog.domain.groups import make_folder  # groups imports this module
    return make_folder(group)


class _SharingPickler(pickle.Pickler):
    """Pickles a fold state by value, but entries by reference: they never change once made (Entry).

    An entry is named by its place in `shared` through `reducer_override`, which the C pickler asks only
    for objects that are not plain dicts, lists, strings or numbers (a `persistent_id` would be asked
    for every object of the state)."""

    def __init__(self, file: io.BytesIO, shared: list[Entry]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.shared = shared

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is Entry or _frozen_model(type(obj)):  # once per copy: the pickler's memo names it again
            self.shared.append(obj)
            return _shared_entry, (len(self.shared) - 1,)
        return NotImplemented


def _frozen_model(cls: type) -> bool:
    """Whether instances are frozen pydantic models (a statement, a value): never changed, so shared too."""
    config = getattr(cls, "model_config", None)
    return isinstance(config, dict) and config.get("frozen") is True and issubclass(cls, BaseModel)


_UNPICKLING = threading.local()  # the entries of the copy being loaded (a copy is loaded by one thread)


def _shared_entry(index: int) -> Entry:
    return _UNPICKLING.shared[index]


def copy_folder(folder: Any) -> Any:
    """A copy of a folder that shares nothing mutable with it: what `copy.deepcopy` gives (entries shared,
    as Entry.__deepcopy__ says), made by a pickle round trip in C, several times cheaper; a folder that
    does not pickle is deep-copied."""
    shared: list[Entry] = []
    buffer = io.BytesIO()
    try:
        _SharingPickler(buffer, shared).dump(folder)
    except (pickle.PicklingError, TypeError, AttributeError):
        return copy.deepcopy(folder)
    buffer.seek(0)
    _UNPICKLING.shared = shared
    try:
        return pickle.load(buffer)
    finally:
        _UNPICKLING.shared = None


class NotResumable(Exception):
    """A fold resumed from a checkpoint met what it cannot fold from there (an entry that sorts before its
    last one, a refold of every item): the caller folds the unit from its first entry instead."""


@dataclass
class FoldCheckpoint:
    """A unit's fold after its last date step, enough to go on with entries that sort after all of it.

    `folder`: a compact copy of the unit's folder (its folder's `checkpoint()`: no view rows kept, only
    their count); `last_key`: the fold key of the last entry applied; `last_step`: the last date step
    folded; `shown`: the items the folder may still change, as last yielded; `shown_retracted`: the
    flagged rows of retracted members. Written by DateFold.checkpoint, read by DateFold(…, resume=…).
    """

    folder: Any
    last_key: tuple[date, int]
    last_step: date
    shown: dict[str, Any]
    shown_retracted: dict[str, Any]


class DateFold:
    """The items of one fold unit over announced dates, as a stream of changes (see `changes`).

    `members` are the unit's entries with our fixes applied (retracted ones included: they show as
    flagged audit rows). `extend` adds entries announced later, and the stream goes on from where it
    stopped. `resume`: go on from a checkpoint of the unit (see `checkpoint`) instead of its first entry;
    `members` are then only entries that sort after it, and anything else raises NotResumable.
    """

    def __init__(self, group: str, members: Iterable[Entry], resume: FoldCheckpoint | None = None):
        self.group = group
        self.resumed = resume is not None
        self.folder = _new_folder(group) if resume is None else resume.folder
        self.applied: list[Entry] = []        # the entries folded so far, in fold order
        self.applied_keys: list[tuple] = []   # their fold keys (for bisect)
        self.shown: dict[str, Any] = {}       # the folder's items as last yielded
        self.shown_retracted: dict[str, Any] = {}
        self.retracted: list[Entry] = []      # retracted members counted so far, in fold order
        self.scheduled: list[Entry] | None = None
        self.checkpoints: dict[int, Any] = {}  # applied length -> a folder that applied exactly those
        self.needed: dict[int, int] = {}       # applied length -> the last step index that returns to it
        self.last_step: date | None = None
        self.members: list[Entry] = []
        self.first: Entry | None = None
        self._pending: list[date] = []  # the date steps still to fold, latest first
        self._plan_keys: list[tuple] = []
        self._by_step: dict[date, list[Entry]] = {}
        self._retract_at: dict[date, list[Entry]] = {}
        self._sched: list[Entry] = []
        self._sched_steps: set[date] = set()
        self._step_index = 0
        if resume is not None:
            self.applied, self.applied_keys = [None], [resume.last_key]  # what precedes: its last key alone
            self.last_step, self.shown = resume.last_step, dict(resume.shown)
            self.shown_retracted = dict(resume.shown_retracted)
        self.extend(members)

    def checkpoint(self) -> FoldCheckpoint | None:
        """The fold as it stands after its last step, for DateFold(…, resume=…); None when it cannot be
        resumed (steps still pending, a folder without `checkpoint`, or one whose state waits on more)."""
        compact = getattr(self.folder, "checkpoint", None)
        if self._pending or self.last_step is None or not self.applied_keys or self.group == "brand" \
                or self.scheduled or compact is None:
            return None
        kept = compact()
        if kept is None:
            return None
        folder, changing = kept
        return FoldCheckpoint(folder, self.applied_keys[-1], self.last_step,
                              {key: self.shown[key] for key in changing if key in self.shown},
                              dict(self.shown_retracted))

    def extend(self, members: Iterable[Entry]) -> None:
        """Add members; those added after a run must be counted after its last step (else: a new DateFold)."""
        members = list(members)
        self.members += members
        live = [e for e in members if e.retracted_by is None]
        if self.group == "brand" and self.first is None:
            ordered = sorted((e for e in self.members if e.retracted_by is None), key=fold_key)
            self.first = ordered[0] if ordered else None
        steps = {e.end for e in members} | {e.takes_effect for e in members}
        if self.group == "brand" and self.last_step is None:
            steps.add(date.min)
        for entry in sorted(live, key=fold_key):
            insort(self._by_step.setdefault(entry.takes_effect, []), entry, key=fold_key)
            if entry.takes_effect > entry.end or entry is self.first:
                insort(self._sched, entry, key=fold_key)
                self._sched_steps |= {entry.end, entry.takes_effect}
        for entry in members:
            if entry.retracted_by is not None:
                self._retract_at.setdefault(entry.end, []).append(entry)
        self._pending = sorted(set(self._pending) | steps, reverse=True)  # the next step last
        self._plan()

    def _plan(self) -> None:
        """Which applied lengths a later step returns to, so that the fold keeps a checkpoint there."""
        keys = list(self.applied_keys)
        for index, step in enumerate(reversed(self._pending)):
            new = self._by_step.get(step, ())
            if not new:
                continue
            place = bisect_left(keys, fold_key(new[0]))
            if 0 < place < len(keys):
                self.needed[place] = self._step_index + index
            for entry in new:
                insort(keys, fold_key(entry))

    def changes(self) -> Iterator[tuple[date, Changes]]:
        """(step, changed items) for each pending date step, in date order; only steps where something changed."""
        while self._pending:
            step = self._pending.pop()
            changed = self._step(step, self._step_index)
            self._step_index += 1
            self.last_step = step
            if changed:
                yield step, changed

    def _step(self, step: date, index: int) -> Changes:
        """Fold one date step: what takes effect, what is scheduled, what retracted statement is counted."""
        everything = False
        new = self._by_step.pop(step, [])
        if new:
            everything = self._apply(new, index)
        if step in self._sched_steps or everything:
            everything = self._schedule(step) or everything
        changed = self._folder_changes(everything or not hasattr(self.folder, "touched"), bool(new) or everything)
        if step in self._retract_at:
            changed.update(self._retracted_changes(self._retract_at.pop(step)))
        return changed

    def _retracted_changes(self, counted: list[Entry]) -> Changes:
        """The flagged rows of retracted statements once `counted` are counted too (rows are numbered in fold order)."""
        self.retracted = sorted(self.retracted + counted, key=fold_key)
        now = self.folder.retracted_items(self.retracted)
        changed = {k: v for k, v in now.items() if self.shown_retracted.get(k) != v}
        changed.update({k: self.shown.get(k) for k in self.shown_retracted if k not in now})
        self.shown_retracted = now
        return changed

    def _apply(self, new: list[Entry], index: int) -> bool:
        """Fold the entries that take effect at this step; True when the fold went back to a checkpoint."""
        place = bisect_left(self.applied_keys, fold_key(new[0]))
        if place == len(self.applied):
            self._apply_in_order(new, index)
            return False
        if self.resumed:
            raise NotResumable("an entry sorts before the checkpoint's last one")
        redo = sorted(self.applied[place:] + new, key=fold_key)
        del self.applied[place:], self.applied_keys[place:]
        self.folder = self._restore(place, index)
        self.scheduled = None
        self._apply_in_order(redo, index)
        return True

    def _restore(self, place: int, index: int) -> Any:
        """A folder that applied exactly the first `place` entries folded so far."""
        if place == 0:
            return _new_folder(self.group)
        saved = self.checkpoints.get(place)
        if saved is None:  # not planned (an entry added by extend sorts early): fold that prefix again
            folder = _new_folder(self.group)
            for entry in self.applied[:place]:
                folder.apply(entry)
            return folder
        if self.needed.get(place, -1) <= index:
            self.needed.pop(place, None)
            return self.checkpoints.pop(place)
        return copy_folder(saved)

    def _apply_in_order(self, entries: list[Entry], index: int) -> None:
        for entry in entries:
            self.folder.apply(entry)
            self.applied.append(entry)
            self.applied_keys.append(fold_key(entry))
            if self.needed.get(len(self.applied), -1) > index:
                self.checkpoints[len(self.applied)] = copy_folder(self.folder)

    def _schedule(self, step: date) -> bool:
        """Tell a subject's folder what is counted but not yet in effect; True when that changed."""
        schedule = getattr(self.folder, "schedule", None)
        if schedule is None:
            return False
        now = [e for e in self._sched if (e.end <= step or e is self.first) and e.takes_effect > step]
        if now == self.scheduled:
            return False
        self.scheduled = now
        schedule(now)
        return True

    def _folder_changes(self, everything: bool, moved: bool) -> Changes:
        """The folder's items that changed since the last step: all compared after a refold or a schedule
        change (or for a folder that cannot say what it touched), else only those it touched."""
        if not moved:
            return {}
        if everything:
            if self.resumed:
                raise NotResumable("every item would be compared: the checkpoint keeps only those that may change")
            items = self.folder.items()
            touched = getattr(self.folder, "touched", None)
            if touched is not None:
                touched()  # forget what the refold touched: every item is compared below
            changed = {k: v for k, v in items.items() if self.shown.get(k) is not v and self.shown.get(k) != v}
            changed.update({k: None for k in self.shown if k not in items})
            self.shown = dict(items)
        else:
            changed = {k: v for k, v in self.folder.touched().items() if self.shown.get(k) is not v and self.shown.get(k) != v}
            self.shown.update(changed)
        return {k: v for k, v in changed.items() if k not in self.shown_retracted}

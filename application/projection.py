"""How a fold unit is materialised: items valid over announced dates and over known instants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable, Iterator

from stratlog.application.fold_version import PROJECTION_VERSION  # noqa: F401 - bump it when this fold changes
from stratlog.domain.dates import instant_text
from stratlog.domain.date_fold import DateFold, FoldCheckpoint, NotResumable
from stratlog.domain.groups import belongs, items_over_dates
from stratlog.domain.history import Entry, apply_fixes
from stratlog.domain.jsonvalues import item_text

OPEN_DATE = "9999-12-31"
OPEN_INSTANT = "9999-12-31T23:59:59.999999Z"
FIRST_DATE = "0001-01-01"


@dataclass(frozen=True)
class ItemRow:
    """One item of a group, valid for as-of dates [valid_from, valid_to) and known-at [known_from, known_to)."""

    item: str
    valid_from: str
    valid_to: str
    known_from: str
    known_to: str
    data: str

    @property
    def answer(self) -> tuple[str, str, str, str]:
        """What the row says, whatever the instants it was known at."""
        return (self.item, self.valid_from, self.valid_to, self.data)


def dated_items(group: str, entries: list[Entry], known_at: datetime | None) -> Iterator[tuple[str, str, str, str]]:
    """(item, valid_from, valid_to, data) of a group as this database knew it at `known_at`."""
    fixed = apply_fixes(entries, known_at)
    return item_intervals(group, [e for e in fixed if not e.is_fix and belongs(e.statement, group)], item_text)


def item_intervals(group: str, members: list[Entry], text: Callable[[Any], str]) -> Iterator[tuple[str, str, str, str]]:
    """(item, valid_from, valid_to, text(value)) of each item of a unit over announced dates, folded change
    by change from its members (fixed, in fold order); valid_to of a value still held is OPEN_DATE."""
    opened: dict[str, tuple[str, Any]] = {}
    for step, changes in items_over_dates(group, members):
        since = FIRST_DATE if step == date.min else step.isoformat()
        for key, data in changes.items():
            if key in opened:
                start, before = opened.pop(key)
                yield key, start, since, text(before)
            if data is not None:
                opened[key] = (since, data)
    for key, (start, data) in opened.items():
        yield key, start, OPEN_DATE, text(data)


class KnownFold:
    """A group's dated items at successive known-at instants (taken in order), each folded only from
    what that instant adds.

    Statements new at an instant are counted from their announced end on, so the dates before the
    earliest of those ends answer as before: when that end is after every date already folded (the
    usual case: a record announced after everything it adds to) the fold over dates simply goes on;
    otherwise (a back-dated statement, a correction, a retraction) it is folded again.
    """

    def __init__(self, group: str, entries: list[Entry], resume: FoldCheckpoint | None = None,
                 open_rows: list[ItemRow] = ()):
        self.group = group
        self.entries = sorted(entries, key=lambda e: e.position)
        self.has_fixes = any(e.is_fix for e in entries)
        self.members: dict[str, Entry] = {}
        self.fold: DateFold | None = None
        self.opened: dict[str, tuple[str, str]] = {}  # item -> (valid_from, data text)
        self.closed: set[tuple[str, str, str, str]] = set()
        self.values: dict[str, Any] = {}  # data text -> the item it was written from (for the row packer)
        if resume is not None:  # `entries` are only those recorded after the checkpoint (see resumed_rows)
            self.fold = DateFold(group, [], resume)
            self.opened = {r.item: (r.valid_from, r.data) for r in open_rows if r.valid_to == OPEN_DATE}
            self.closed = {r.answer for r in open_rows if r.valid_to != OPEN_DATE}

    def answers(self) -> set[tuple[str, str, str, str]]:
        """Every (item, valid_from, valid_to, data) of the instant folded last."""
        return self.closed | {(key, since, OPEN_DATE, text) for key, (since, text) in self.opened.items()}

    def advance(self, known_at: datetime) -> tuple[set, set] | None:
        """Fold what `known_at` adds: the answers it ends and those it adds (None: nothing changed)."""
        members = self._members(known_at)
        new = [e for sid, e in members.items() if sid not in self.members]
        changed = [e for sid, e in members.items() if sid in self.members and not _same(self.members[sid], e)]
        gone = [e for sid, e in self.members.items() if sid not in members]
        if not (new or changed or gone):
            return None
        earliest = min(e.end for e in [*new, *changed, *gone, *(self.members[e.statement_id] for e in changed)])
        before = self.answers()
        last = self.fold.last_step if self.fold is not None else None  # None: no date folded yet (no members)
        if last is not None and not (changed or gone) and earliest > last:
            self.members.update((e.statement_id, e) for e in new)
            self.fold.extend(new)
        elif self.fold is not None and self.fold.resumed:
            raise NotResumable("a statement counted before the checkpoint's last date step")
        else:
            self.members = members
            self.fold, self.opened, self.closed = DateFold(self.group, list(members.values())), {}, set()
        self._consume()
        after = self.answers()
        return before - after, after - before

    def _members(self, known_at: datetime) -> dict[str, Entry]:
        if self.has_fixes:  # a known fix may wait for an earlier fix of its statement that is not known yet
            fixed = apply_fixes(self.entries, known_at)
        else:
            fixed = [e for e in self.entries if e.recorded_at <= known_at]
        return {e.statement_id: e for e in fixed if not e.is_fix and belongs(e.statement, self.group)}

    def _consume(self) -> None:
        for step, changes in self.fold.changes():
            since = FIRST_DATE if step == date.min else step.isoformat()
            for key, data in changes.items():
                if key in self.opened:
                    start, text = self.opened.pop(key)
                    self.closed.add((key, start, since, text))
                if data is not None:
                    text = item_text(data)
                    self.values[text] = data
                    self.opened[key] = (since, text)


def _same(before: Entry, after: Entry) -> bool:
    """Whether a member folds the same at two instants (our fixes of it the same)."""
    return before is after or (before.statement == after.statement and before.corrections == after.corrections
                               and (before.retracted_by is None) == (after.retracted_by is None))


def item_rows(group: str, entries: list[Entry], open_rows: list[ItemRow] = (), after: str | None = None,
              values: dict[str, Any] | None = None, fold: KnownFold | None = None) -> list[ItemRow]:
    """All rows of a group from the open rows on: those whose known period ended, and those still open.

    `open_rows` are the group's rows still known now (known_to open), materialised up to the instant
    `after` (instant text; default: their latest known_from). The instants after it are folded in order
    (see KnownFold), and a row whose answer does not change stays open. `after` matters when the last
    instant materialised only ended rows (a retraction): starting earlier would add again rows that
    had already ended. Called with no open rows, it materialises the group's whole history.
    `values`, when given, is filled with the item each data text the fold wrote was made from, so the row
    packer need not parse that text again (a text of an open row read back is not among them).
    `fold`: the KnownFold to fold with (default: a new one over `entries`); the caller may read its last
    DateFold afterwards (a checkpoint), or give one resumed from a checkpoint (see resumed_rows).
    """
    latest = after if after is not None else max((r.known_from for r in open_rows), default="")
    instants = sorted({e.recorded_at for e in entries if instant_text(e.recorded_at) > latest})
    current = {r.answer: r.known_from for r in open_rows}
    rows: list[ItemRow] = []
    fold = fold if fold is not None else KnownFold(group, entries)
    for number, instant in enumerate(instants):
        at = instant_text(instant)
        if number == 0:
            fold.advance(instant)
            answers = fold.answers()
            ended, added = current.keys() - answers, answers - current.keys()
        else:
            moved = fold.advance(instant)
            ended, added = moved if moved is not None else (set(), set())
        for answer in sorted(ended):  # sorted: the rows, and the shape ids they number, never follow hashing
            rows.append(_row(answer, current.pop(answer), at))
        for answer in sorted(added):
            current[answer] = at
    if values is not None:
        values.update(fold.values)
    return rows + [_row(answer, since, OPEN_INSTANT) for answer, since in current.items()]


def resumed_rows(group: str, checkpoint: FoldCheckpoint, new: list[Entry], open_rows: list[ItemRow], after: str,
                 values: dict[str, Any]) -> tuple[list[ItemRow], KnownFold]:
    """item_rows of a unit folded on from `checkpoint` (its fold as materialised at the instant `after`):
    `new` are the entries recorded after `after`, `open_rows` the rows still known now of the items the
    checkpoint may change (DateFold.checkpoint). Raises NotResumable when the new entries cannot be
    folded from there (a fix, one that sorts or is counted before the checkpoint's last entry or step):
    the caller then folds the unit from its first entry. Also returns the fold, for the next checkpoint."""
    if any(e.is_fix for e in new):
        raise NotResumable("a fix: the statements it changes are before the checkpoint")
    fold = KnownFold(group, new, checkpoint, open_rows)
    return item_rows(group, new, open_rows, after, values, fold), fold


def _row(answer: tuple[str, str, str, str], known_from: str, known_to: str) -> ItemRow:
    item, valid_from, valid_to, data = answer
    return ItemRow(item, valid_from, valid_to, known_from, known_to, data)

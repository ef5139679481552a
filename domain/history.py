"""A subject's history: recorded entries, our fixes applied, and the fold order of section 5."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Iterable

from pydantic import ValidationError

from stratlog.domain.errors import AlreadyRetracted, InvalidInput, StatementNotFound
from stratlog.domain.fixes import Fix, StatementCorrected
from stratlog.domain.quoting import quoted
from stratlog.domain.statement import Statement

FAR_PAST = date.min


@dataclass(frozen=True)
class Entry:
    """One recorded statement or fix, with its recording position and recorded_at instant."""

    statement_id: str
    position: int
    recorded_at: datetime
    statement: Statement | Fix
    corrections: tuple[Entry, ...] = field(default=())
    retracted_by: Entry | None = None
    original: Statement | None = None

    @property
    def kind(self) -> str:
        return self.statement.KIND

    @property
    def is_fix(self) -> bool:
        return isinstance(self.statement, Fix)

    @property
    def start(self) -> date:
        announced = getattr(self.statement, "announced_on", None)
        return announced.start if announced else FAR_PAST

    @property
    def end(self) -> date:
        announced = getattr(self.statement, "announced_on", None)
        return announced.end if announced else FAR_PAST

    @property
    def takes_effect(self) -> date:
        """The day from which it changes its subject: its announced end, or its effective date's end if later."""
        effective = getattr(self.statement, "effective_date", None)
        return max(self.end, effective.end) if effective is not None else self.end

    def __deepcopy__(self, memo: dict) -> Entry:
        """An entry is never changed once made: a copied fold state shares it (see domain/date_fold.py)."""
        return self

    def describe(self) -> str:
        announced = getattr(self.statement, "announced_on", None)
        when = f"announced {announced}" if announced else "undated"
        return f"{self.kind} {self.statement_id[:8]} ({when})"


def apply_fixes(entries: Iterable[Entry], known_at: datetime | None = None) -> list[Entry]:
    """The statements known at `known_at`, each with the corrections and retraction that count by then.

    An entry is known once its recorded_at is at or before `known_at` (every entry when it is None).
    Entries apply in position order, and a fix counts once it, its target and every earlier fix of
    that target are known: so a stored history folds at any instant, whatever order the recording
    clocks ran in, and each chain of fixes is one that was checked when it was recorded.

    The check before a commit folds with everything known (`known_at` None): there a fix naming no
    statement raises StatementNotFound, a fix of a retracted statement AlreadyRetracted, and a
    correction that makes its statement invalid InvalidInput.
    """
    by_id: dict[str, Entry] = {}
    fixes: dict[str, Entry] = {}  # our fixes by id: one names a statement, never another fix
    waiting: set[str] = set()  # targets whose chain of fixes is not all known at `known_at`
    for entry in sorted(entries, key=lambda e: e.position):
        known = known_at is None or entry.recorded_at <= known_at
        if not entry.is_fix:
            if known:
                by_id.setdefault(entry.statement_id, entry)
            continue
        fixes.setdefault(entry.statement_id, entry)
        target = entry.statement.target
        if target in fixes:
            fix = fixes[target]
            raise StatementNotFound(
                f"{entry.kind} names {quoted(target)}, which is our "
                f"{'correction' if fix.kind == 'statement-corrected' else 'retraction'} of statement "
                f"{quoted(fix.statement.target)}, not a statement: name statement {fix.statement.target[:8]} "
                f"instead (its latest correction is what counts)", statement_ids=(entry.statement_id,))
        original = by_id.get(target)
        if known_at is not None and (not known or original is None or target in waiting):
            waiting.add(target)
            continue
        if original is None:
            raise StatementNotFound(f"{entry.kind} names statement {quoted(target)}, which does not exist",
                                    statement_ids=(entry.statement_id,))
        if original.retracted_by is not None:
            raise AlreadyRetracted(
                f"statement {original.statement_id[:8]} was retracted by {original.retracted_by.statement_id[:8]}; "
                f"it cannot be {'corrected' if isinstance(entry.statement, StatementCorrected) else 'retracted'} again",
                statement_ids=(entry.statement_id, original.statement_id, original.retracted_by.statement_id))
        by_id[target] = _fixed(original, entry)
    return list(by_id.values())


def _fixed(original: Entry, fix: Entry) -> Entry:
    if not isinstance(fix.statement, StatementCorrected):
        return replace(original, retracted_by=fix)
    try:
        corrected = original.statement.corrected(fix.statement.fields)
    except ValidationError as error:
        from stratlog.domain.field_messages import field_errors  # the words of record and import, the value named
        raise InvalidInput(f"the correction {fix.statement_id[:8]} makes statement {original.statement_id[:8]} invalid: "
                           f"{'; '.join(field_errors(error))}",
                           statement_ids=(fix.statement_id, original.statement_id)) from None
    return replace(original, statement=corrected, corrections=original.corrections + (fix,),
                   original=original.original or original.statement)


def fold_key(entry: Entry) -> tuple[date, int]:
    """Fold order: announced start, then the order of recording."""
    return (entry.start, entry.position)


def in_effect(entries: list[Entry], as_of: date | None) -> tuple[list[Entry], list[Entry]]:
    """Counted entries split into those in effect by `as_of` and those still scheduled (both in fold order)."""
    if as_of is None:
        return entries, []
    return [e for e in entries if e.takes_effect <= as_of], [e for e in entries if e.takes_effect > as_of]


def counted(entries: Iterable[Entry], as_of: date | None) -> list[Entry]:
    """Live statements whose announced period has ended by `as_of`, in fold order."""
    live = [e for e in entries if e.retracted_by is None and (as_of is None or e.end <= as_of)]
    return sorted(live, key=fold_key)

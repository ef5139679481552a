"""The rules of the ledger as pure checks over a subject's whole history, re-sorted by announced date."""

from __future__ import annotations

from typing import Any

from stratlog.domain.errors import BrandNotRegistered, RuleViolation, RulesBroken
from stratlog.domain.groups import fold_group, group_of
from stratlog.domain.history import Entry, apply_fixes
from stratlog.domain.quoting import quoted


def require_registered_brand(brand: Any, statement: Any) -> None:
    """A model, market, agreement or brand statement needs a registered brand."""
    if brand is None:
        raise BrandNotRegistered(f"brand {quoted(statement.brand)} is not registered "
                                 f"(record brand-registered {statement.brand} first)",
                                 statement_ids=(statement.statement_id(),))


def check_history(history: list[Entry], new: list[Entry]) -> None:
    """Accept `new` only if the subject's whole history with it stays valid; raise the broken rule
    (RulesBroken when several fold units of the subject each break one)."""
    fixed = apply_fixes([*history, *new])
    by_id = {e.statement_id: e for e in fixed}
    touched: set[str] = set()
    originals = {e.statement_id: e for e in history}
    for entry in new:
        target_id = entry.statement.target if entry.is_fix else entry.statement_id
        touched.add(group_of(by_id[target_id].statement))
        if target_id in originals:
            touched.add(group_of(originals[target_id].statement))
    members: dict[str, list[Entry]] = {group: [] for group in sorted(touched)}
    for entry in fixed:
        bucket = members.get(group_of(entry.statement))
        if bucket is not None:
            bucket.append(entry)
    errors = []
    for group, entries in members.items():
        try:
            fold_group(group, entries, None, strict=True)
        except RuleViolation as error:  # each fold unit stops at its first broken rule; the others go on
            errors.append(error)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise RulesBroken(errors)

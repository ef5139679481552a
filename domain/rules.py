"""The rules of the ledger as pure checks over a subject's whole history, re-sorted by announced date."""

from __future__ import annotations

from typing import Any

from stratlog.domain.errors import BrandNotRegistered, GuidanceMatchesNothing, RuleViolation, RulesBroken
from stratlog.domain.groups import fold_group, group_of, grouped, make_folder, refuses
from stratlog.domain.guidance import BRAND_TARGETS
from stratlog.domain.history import Entry, apply_fixes, counted
from stratlog.domain.quoting import quoted


def require_registered_brand(brand: Any, statement: Any) -> None:
    """A model, market, agreement or brand statement needs a registered brand."""
    if brand is None:
        raise BrandNotRegistered(f"brand {quoted(statement.brand)} is not registered "
                                 f"(record brand-registered {statement.brand} first)",
                                 statement_ids=(statement.statement_id(),))


def check_history(history: list[Entry], new: list[Entry], checkpoints: dict[str, Any] | None = None) -> None:
    """Accept `new` only if the subject's whole history with it stays valid; raise the broken rule
    (RulesBroken when several fold units of the subject each break one).

    `checkpoints`: units (by group) whose members `history` leaves out, given as their fold after every
    member (date_fold.FoldCheckpoint); every entry of such a unit in `history` and `new` sorts after it
    (application/unit_load.py gives them only then), so the unit is folded on from there."""
    fixed = apply_fixes([*history, *new])
    by_id = {e.statement_id: e for e in fixed}
    touched: set[str] = set()
    originals = {e.statement_id: e for e in history}
    for entry in new:
        target_id = entry.statement.target if entry.is_fix else entry.statement_id
        touched.add(group_of(by_id[target_id].statement))
        if target_id in originals:
            touched.add(group_of(originals[target_id].statement))
    members = grouped(fixed)
    wide = [e for e in fixed if group_of(e.statement) == BRAND_TARGETS and e.retracted_by is None]
    if wide and any(group.startswith("targets:") for group in touched):
        touched |= {group for group in members if group.startswith("targets:")}
    errors, audited = [], set()
    for group in sorted(touched & members.keys()):
        if not refuses(group):
            continue  # its strict fold is its plain fold: nothing in it can be refused (fixes were checked above)
        audit_wanted = bool(wide) and group.startswith("targets:")
        try:
            view = fold_group(group, members[group], None, strict=True) if audit_wanted else \
                _strict_fold(group, members[group], (checkpoints or {}).get(group))
        except RuleViolation as error:  # each fold unit stops at its first broken rule; the others go on
            errors.append(error)
            continue
        audited |= {row["statement_id"] for row in (view or {}).get("audit", ())}
    if not errors and any(group.startswith("targets:") for group in touched):
        errors += [_matches_nothing(e) for e in wide if e.statement_id not in audited]
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise RulesBroken(errors)


def _strict_fold(group: str, entries: list[Entry], checkpoint: Any = None) -> None:
    """Fold one unit with every rule raising, as fold_group(…, None, strict=True) folds it, without building
    the view (its items and audit rows) that only a brand-wide target statement's check reads.

    `checkpoint`: the unit's earlier members folded already (date_fold.FoldCheckpoint; `entries` then sort
    after all of it): folded on from a copy of its folder, rules on (a non-strict fold of a history the
    rules accepted leaves what a strict fold leaves)."""
    if checkpoint is None:
        folder = make_folder(group, strict=True)
    else:
        from stratlog.domain.date_fold import copy_folder
        folder = copy_folder(checkpoint.folder)
        folder.strict = True
    if hasattr(folder, "without_view"):
        folder.without_view()  # e.g. a targets folder builds no audit rows
    for entry in counted(entries, None):
        folder.apply(entry)
    folder.finish()


def _matches_nothing(entry: Entry) -> GuidanceMatchesNothing:
    return GuidanceMatchesNothing(f"{entry.describe()} matches no live target of brand {quoted(entry.statement.brand)} "
                                  f"({entry.statement.describe_match()})", statement_ids=(entry.statement_id,))

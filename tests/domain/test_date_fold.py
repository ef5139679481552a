"""The change-driven fold over dates answers, at every date, what a fresh fold of that date answers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from stratlog.domain.date_fold import DateFold
from stratlog.domain.groups import grouped, items_over_dates, make_folder
from stratlog.domain.history import Entry, counted, fold_key, in_effect
from tests.application.test_read_model_equals_fold import statements, target_chain
from tests.builders import fix, statement

T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)


def fresh_fold(group: str, members: list[Entry], step: date) -> dict:
    """The items of the group as of `step`, folded from nothing (the per-date definition of section 5)."""
    folder = make_folder(group)
    live = counted(members, None)
    first = live[:1] if group == "brand" else []
    applied, scheduled = in_effect(first + [e for e in live[len(first):] if e.end <= step], step)
    for entry in applied:
        folder.apply(entry)
    if hasattr(folder, "schedule"):
        folder.schedule(scheduled)
    items = folder.items()
    retracted = sorted((e for e in members if e.retracted_by is not None and e.end <= step), key=fold_key)
    items.update(folder.retracted_items(retracted))
    return items


def entries_of(said: list, retract: list[bool]) -> list[Entry]:
    """Entries in recording order (a statement said twice is recorded once); those picked by `retract`
    carry a retraction."""
    found, seen = [], set()
    for n, (st_, gone) in enumerate(zip(said, retract), 1):
        if st_.statement_id() in seen:
            continue
        seen.add(st_.statement_id())
        entry = Entry(st_.statement_id(), n, T0 + timedelta(minutes=n), st_)
        if gone:
            undo = fix("statement-retracted", retracts=st_.statement_id(), reason="wrong")
            entry = replace(entry, retracted_by=Entry(undo.statement_id(), 1000 + n, T0, undo))
        found.append(entry)
    return found


def assert_stream_matches_fresh_folds(members: list[Entry], group: str) -> None:
    steps = sorted({e.end for e in members} | {e.takes_effect for e in members} | ({date.min} if group == "brand" else set()))
    changes = dict(items_over_dates(group, members))
    shown: dict = {}
    for step in steps:
        for key, item in changes.get(step, {}).items():
            if item is None:
                shown.pop(key, None)
            else:
                shown[key] = item
        assert shown == fresh_fold(group, members, step), step


histories = st.lists(st.one_of(st.lists(statements(), min_size=1, max_size=3), target_chain()), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(batches=histories, retract=st.lists(st.booleans(), min_size=30, max_size=30))
def test_the_fold_over_dates_answers_at_every_date_what_a_fresh_fold_answers(batches, retract):
    said = [s for batch in batches for s in batch]
    members = entries_of(said, [r and i % 3 == 0 for i, r in enumerate(retract)] + [False] * len(said))
    for group, group_members in grouped(members).items():
        assert_stream_matches_fresh_folds(group_members, group)


def reaffirmations(days: list[int]) -> list:
    """A target set on day 0 of 2023, reaffirmed on each of `days` (days after 2023-01-01)."""
    said = [statement("target-set", brand="acme", kpi="sales", deadline="2030", value=10, unit="cars",
                      comparator="at-least", announced_on="2023-01-01")]
    return said + [statement("target-reaffirmed", brand="acme", kpi="sales", deadline="2030",
                             announced_on=(date(2023, 1, 1) + timedelta(days=d)).isoformat()) for d in days]


def test_a_late_counted_statement_refolds_from_a_checkpoint_before_its_place_not_from_the_start():
    said = reaffirmations(list(range(1, 200))) + [statement(
        "target-reaffirmed", brand="acme", kpi="sales", deadline="2030", announced_on="2023-Q3")]
    members = entries_of(said, [False] * len(said))
    fold = DateFold("targets:sales:", members)
    applied = []
    original = fold.folder.__class__.apply

    def counting(self, entry):
        applied.append(entry)
        original(self, entry)
    fold.folder.__class__.apply = counting
    try:
        list(fold.changes())
    finally:
        fold.folder.__class__.apply = original
    # 200 applied in order, then the quarter statement (counted at 2023-09-30, sorting at 2023-07-01)
    # re-applies only the days after July 1st (July 1st itself was recorded earlier), never the first half again.
    assert len(applied) == 200 + 1 + len([d for d in range(1, 200) if date(2023, 1, 1) + timedelta(days=d) > date(2023, 7, 1)])
    assert_stream_matches_fresh_folds(members, "targets:sales:")


def test_each_date_step_yields_only_the_items_that_changed():
    members = entries_of(reaffirmations([10, 20, 30]), [False] * 4)
    steps = list(items_over_dates("targets:sales:", members))
    # each reaffirmation changes the target (its last statement) and adds its own audit row
    assert [len(changes) for _, changes in steps] == [2, 2, 2, 2]
    assert all(key.startswith("a:") or key.startswith("t:") for _, changes in steps for key in changes)

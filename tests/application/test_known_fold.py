"""Materialising a group instant by instant (KnownFold) gives the rows of a fresh fold at every instant."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings

from stratlog.application.projection import OPEN_INSTANT, KnownFold, dated_items, item_rows
from stratlog.domain.dates import instant_text
from stratlog.domain.groups import group_of
from stratlog.domain.history import Entry
from tests.application.test_known_at_folds import T0, brand_statement, operations, stored_history


def rows_by_fresh_folds(group, entries):
    """The rows of item_rows as defined: at each instant, every dated item of a fold of what was known then."""
    current, rows = {}, set()
    for instant in sorted({e.recorded_at for e in entries}):
        at, answers = instant_text(instant), set(dated_items(group, entries, instant))
        for answer in [a for a in current if a not in answers]:
            rows.add((*answer, current.pop(answer), at))
        for answer in answers - current.keys():
            current[answer] = at
    return rows | {(*answer, since, OPEN_INSTANT) for answer, since in current.items()}


def as_set(rows):
    return {(r.item, r.valid_from, r.valid_to, r.data, r.known_from, r.known_to) for r in rows}


@settings(max_examples=150, deadline=None)
@given(ops=operations)
def test_rows_folded_instant_by_instant_are_those_of_a_fresh_fold_at_each_instant(ops):
    entries = stored_history(ops).entries
    for group in {group_of(e.statement) for e in entries if not e.is_fix}:
        assert as_set(item_rows(group, entries)) == rows_by_fresh_folds(group, entries)


@settings(max_examples=100, deadline=None)
@given(ops=operations)
def test_rows_caught_up_from_the_open_rows_are_those_of_a_whole_materialisation(ops):
    entries = stored_history([op[:5] + (i,) for i, op in enumerate(ops)]).entries  # recorded_at never goes back
    instants = sorted({e.recorded_at for e in entries})
    middle = instants[len(instants) // 2]
    for group in {group_of(e.statement) for e in entries if not e.is_fix}:
        whole = item_rows(group, entries)
        earlier = item_rows(group, [e for e in entries if e.recorded_at <= middle])
        ended = [r for r in earlier if r.known_to != OPEN_INSTANT]
        caught_up = ended + item_rows(group, entries, [r for r in earlier if r.known_to == OPEN_INSTANT],
                                      instant_text(middle))
        assert as_set(caught_up) == as_set(whole)


def test_a_catch_up_after_an_instant_that_only_ended_rows_adds_none_of_them_again():
    # found by the property above: an IPO stance retracted at the middle instant ended a row and opened
    # none, so the open rows' latest known_from was earlier than the last instant materialised
    ops = [("ipo", "sales", 2028, 1, 0), ("set", "sales", 2028, 3, 0), ("set", "sales", 2028, 3, 0),
           ("ipo", "sales", 2028, 2, 0), ("set", "sales", 2028, 2, 0), ("retract", "sales", 2028, 1, 0),
           ("set", "sales", 2028, 1, 0), ("set", "sales", 2030, 1, 0), ("set", "revenue", 2028, 1, 0)]
    entries = stored_history([op + (i,) for i, op in enumerate(ops)]).entries
    middle = sorted({e.recorded_at for e in entries})[len({e.recorded_at for e in entries}) // 2]
    earlier = item_rows("ipo", [e for e in entries if e.recorded_at <= middle])
    ended = [r for r in earlier if r.known_to != OPEN_INSTANT]
    assert ended, "the example must end a row at or before the middle instant"
    caught_up = ended + item_rows("ipo", entries, [r for r in earlier if r.known_to == OPEN_INSTANT],
                                  instant_text(middle))
    assert sorted(as_set(caught_up)) == sorted(as_set(item_rows("ipo", entries)))
    assert len(as_set(caught_up)) == len(caught_up)  # no row twice


def test_a_statement_announced_after_everything_extends_the_fold_instead_of_folding_again():
    said = [brand_statement("target-set", kpi="sales", deadline=2030, value=10, unit="cars", comparator="at-least",
                            announced_on="2023-01-01")]
    said += [brand_statement("target-reaffirmed", kpi="sales", deadline=2030,
                             announced_on=(date(2023, 1, 1) + timedelta(days=d)).isoformat()) for d in range(1, 40)]
    entries = [Entry(s.statement_id(), n, T0 + timedelta(minutes=n), s) for n, s in enumerate(said, 1)]
    fold = KnownFold("targets:sales:", entries)
    folds = []
    for entry in entries:
        fold.advance(entry.recorded_at)
        folds.append(id(fold.fold))
    assert len(set(folds)) == 1  # one fold over dates, extended at each instant
    assert as_set(item_rows("targets:sales:", entries)) == rows_by_fresh_folds("targets:sales:", entries)

"""Checkpoints of the fold over dates are copied by a pickle round trip that shares entries, not by deepcopy:
the same answers, nothing mutable shared between a checkpoint and the folder it was taken from."""

from __future__ import annotations

import copy
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict

from stratlog.domain import date_fold
from stratlog.domain.date_fold import copy_folder
from stratlog.domain.groups import grouped, make_folder
from tests.domain.test_date_fold import assert_stream_matches_fresh_folds, entries_of, histories, reaffirmations


def _no_deepcopy(*args, **kwargs):
    raise AssertionError("a fold state was deep-copied")


@settings(max_examples=60, deadline=None)
@given(batches=histories, retract=st.lists(st.booleans(), min_size=30, max_size=30))
def test_checkpoints_are_taken_without_deepcopy_and_answer_as_a_fresh_fold(batches, retract):
    said = [s for batch in batches for s in batch]
    members = entries_of(said, [r and i % 3 == 0 for i, r in enumerate(retract)] + [False] * len(said))
    with mock.patch.object(date_fold.copy, "deepcopy", _no_deepcopy):
        for group, group_members in grouped(members).items():
            assert_stream_matches_fresh_folds(group_members, group)


def _copied_after_two_statements():
    """(members, a targets folder that applied the first two of them, its copy)."""
    members = entries_of(reaffirmations([10, 20, 30]), [False] * 4)
    folder = make_folder("targets:sales:")
    for entry in members[:2]:
        folder.apply(entry)
    return members, folder, copy_folder(folder)


def test_a_copied_folder_shares_its_entries_and_nothing_it_changes():
    members, folder, copied = _copied_after_two_statements()
    assert copied.items() == copy.deepcopy(folder).items() == folder.items()
    before = copy.deepcopy(folder.items())
    for entry in members[2:]:
        copied.apply(entry)  # the copy goes on; the original is left as it was
    assert folder.items() == before != copied.items()
    state = {"last": members[0], "items": {"a": [1, 2]}}
    again = copy_folder(state)
    assert again["last"] is members[0]  # an entry never changes once made: shared, as Entry.__deepcopy__ says
    assert again["items"] == state["items"] and again["items"] is not state["items"]


def test_a_copied_targets_folder_shares_its_frozen_statements_but_copies_the_targets_it_changes():
    _, folder, copied = _copied_after_two_statements()
    assert copied.targets[0] is not folder.targets[0]  # a target changes as statements are applied: copied
    assert copied.targets[0].setting is folder.targets[0].setting  # a frozen statement never does: shared
    assert copied.targets[0].last is folder.targets[0].last


class Loose(BaseModel):
    value: list[int]


class Fixed(BaseModel):
    model_config = ConfigDict(frozen=True)
    value: tuple[int, ...]


def test_only_frozen_pydantic_models_are_shared_by_a_copy():
    state = {"loose": Loose(value=[1]), "fixed": Fixed(value=(1,))}
    again = copy_folder(state)
    assert again["fixed"] is state["fixed"]
    assert again["loose"] == state["loose"] and again["loose"] is not state["loose"]

"""A bulk command runs without the cyclic garbage collector and gives it back as it was, however it ends."""

from __future__ import annotations

import gc

import pytest

from stratlog.application.bulk import bulk_collection


def test_the_collector_is_off_and_old_objects_frozen_within_a_bulk_command():
    assert gc.isenabled()
    with bulk_collection():
        assert not gc.isenabled()
        assert gc.get_freeze_count() > 0
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_the_collector_comes_back_when_a_bulk_command_fails():
    with pytest.raises(ValueError, match="refused"):
        with bulk_collection():
            raise ValueError("refused")
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with bulk_collection():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()

"""An id prefix matching several statements is refused with the candidates, counted honestly."""

from __future__ import annotations

import uuid

import pytest

from stratlog.application.ledger import CANDIDATES, Ledger
from stratlog.application.ports import StatementRef
from stratlog.domain.errors import AmbiguousStatementId
from stratlog.domain.fixes import StatementRetracted
from stratlog.infrastructure.config import settings
from stratlog.infrastructure.runtime import Runtime

PREFIX = "abcdef12"


class IndexOfMatches:
    """An index holding `count` statements whose ids start with PREFIX; it lists at most `limit` of them."""

    def __init__(self, count: int):
        self.count = count

    def find_statements(self, prefix: str, limit: int = 20) -> list[StatementRef]:
        return [StatementRef(f"{prefix}-{i:04d}", "target-set", "brand", uuid.uuid4(), "acme")
                for i in range(min(self.count, limit))]

    def subject_named(self, subject_type, key):
        return None

    def known_subjects(self, subject_ids):
        return set()


def retract_with(db: str, index: IndexOfMatches) -> str:
    ledger = Ledger(settings(db).eventsourcing_env(), index=index)
    try:
        with pytest.raises(AmbiguousStatementId) as refused:
            ledger.record([StatementRetracted(retracts=PREFIX, reason="duplicate")])
    finally:
        ledger.close()
    return str(refused.value)


def test_a_prefix_the_index_stopped_listing_at_its_limit_matches_at_least_that_many(db):
    message = retract_with(db, IndexOfMatches(500))
    assert message.startswith(f"retracts: '{PREFIX}' matches at least {CANDIDATES} statements: {PREFIX}-0000, ")
    assert message.endswith(f"{PREFIX}-0019, …")


def test_a_prefix_matching_fewer_than_the_limit_says_exactly_how_many(db):
    message = retract_with(db, IndexOfMatches(3))
    assert message == f"retracts: '{PREFIX}' matches 3 statements: {PREFIX}-0000, {PREFIX}-0001, {PREFIX}-0002"


def test_the_read_model_lists_no_more_statements_than_asked(alpine_db):
    runtime = Runtime(settings(alpine_db), writing=False)
    try:
        assert len(runtime.read_model.find_statements("", limit=5)) == 5
        assert len(runtime.read_model.find_statements("")) == 18
    finally:
        runtime.close()

"""A subject first heard of through any one statement folds to a status (none may leave it without one)."""

from __future__ import annotations

from datetime import date

import pytest

from stratlog.domain.catalogue import SUBJECTS
from stratlog.domain.groups import fold_group, group_of
from stratlog.domain.history import Entry, apply_fixes
from tests.builders import EXAMPLES, RECORDED

SUBJECT_KINDS = [(subject.name, cls.KIND) for subject in SUBJECTS if subject.name != "brand"
                 for cls in subject.statements if cls.KIND in EXAMPLES]


@pytest.mark.parametrize(("subject_type", "kind"), SUBJECT_KINDS)
@pytest.mark.parametrize("as_of", [date(2020, 1, 1), date(2099, 12, 31)])
def test_a_subject_known_through_one_statement_has_a_status_word(subject_type, kind, as_of):
    said = EXAMPLES[kind].statement(kind)
    entries = apply_fixes([Entry(said.statement_id(), 1, RECORDED, said)])
    view = fold_group(group_of(said), entries, as_of)
    if view is None:  # not announced yet as of that date
        return
    statuses = next(s for s in SUBJECTS if s.name == subject_type).statuses.__args__
    assert view["status"] in statuses

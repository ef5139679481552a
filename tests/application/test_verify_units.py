"""Verify compares every unit's stored rows with the reference fold: at its change points, at earlier known-at
instants, and it finds rows of units the log lacks; it writes nothing; the reference folds a unit once per set."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date, datetime, timezone

import pytest

from stratlog.application.notification_log import notifications
from stratlog.application.reference import ReferenceFold
from stratlog.application.verification import verify_read_model
from stratlog.application.projection import OPEN_INSTANT
from stratlog.infrastructure.config import settings
from stratlog.infrastructure.item_codec import day_number, instant_number
from stratlog.infrastructure.runtime import Runtime
from tests.builders import statement

def said(kind: str, announced: str, **fields):
    return statement(kind, brand="acme", announced_on=announced, source={"title": f"s-{announced}"}, **fields)


@pytest.fixture
def acme(tmp_path):
    """acme's model M1: planned for 2026 (announced 2024-01), then, in a second command, rescheduled to 2027
    (announced 2024-06); returns the file and the two recording instants."""
    db = str(tmp_path / "acme.db")
    runtime = Runtime(settings(db), writing=True)
    try:
        first = runtime.ledger.record([statement("brand-registered", brand="acme", source=None, name="Acme"),
                                       said("model-planned", "2024-01", model="M1", planned_for="2026")]).recorded_at
        second = runtime.ledger.record([said("model-rescheduled", "2024-06", model="M1", planned_for="2027",
                                             reason="supply")]).recorded_at
        runtime.catch_up()
    finally:
        runtime.close()
    return db, first, second


def verify(db: str):
    runtime = Runtime(settings(db), writing=False)
    try:
        return verify_read_model(runtime.ledger, runtime.fresh_read_model(), max_dates=40)
    finally:
        runtime.close()


def tamper(db: str, where: str, change: str = "data=replace(data, 'planned', 'launched')") -> int:
    with sqlite3.connect(db) as conn:
        count = conn.execute(f"UPDATE rm_items SET {change} WHERE unit IN "
                             f"(SELECT unit FROM rm_groups WHERE grp='model') AND {where}").rowcount
    conn.close()
    return count


def test_a_clean_read_model_verifies_unit_by_unit(acme):
    report = verify(acme[0])
    assert report.problems == []
    assert "compared the stored rows of 2 units with the fold at" in "\n".join(report.lines)


def test_verify_catches_a_wrong_stored_row_at_a_change_point_and_names_unit_subject_and_date(acme):
    db, _, _ = acme
    assert tamper(db, f"valid_from={day_number('2024-01-31')} AND known_to={instant_number(OPEN_INSTANT)}") == 1
    report = verify(db)
    assert len(report.unit_problems) == 1
    assert report.unit_problems[0].startswith("acme model M1 (subject ")
    assert report.unit_problems[0].endswith("): as of 2024-01-31: the stored rows differ from the fold")


def test_verify_catches_a_wrong_stored_row_known_only_at_an_earlier_instant(acme):
    db, first, second = acme
    known_from, known_to = first.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), second.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert tamper(db, f"known_from={instant_number(known_from)} AND known_to={instant_number(known_to)}") >= 1
    report = verify(db)
    assert len(report.unit_problems) == 1
    assert f"as of 2024-01-31, known at {known_from}: the stored rows differ from the fold" in report.unit_problems[0]


def test_verify_catches_a_row_whose_kind_column_is_wrong(acme):
    db, _, _ = acme
    with sqlite3.connect(db) as conn:  # the kind is the unit's (rm_groups), for every row of it
        assert conn.execute("UPDATE rm_groups SET kind='targets' WHERE grp='model'").rowcount == 1
    conn.close()
    problems = verify(db).unit_problems
    assert len(problems) == 1 and "says brand 'acme', kind 'targets' (the fold: 'acme', 'model')" in problems[0]


def test_verify_reports_rows_of_a_unit_the_log_lacks(acme):
    db, _, _ = acme
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO rm_subjects (id, subject_id) VALUES (9999, 'ffffffffffffffffffffffffffffffff')")
        unit = conn.execute("INSERT INTO rm_groups (subject, grp, brand, kind, latest_known) SELECT "
                            "9999, grp, brand, kind, latest_known FROM rm_groups WHERE grp='model'").lastrowid
        conn.execute(f"INSERT INTO rm_items SELECT {unit}, item, valid_from, valid_to, known_from, known_to, stated, "
                     "data FROM rm_items WHERE unit IN (SELECT unit FROM rm_groups WHERE grp='model' AND unit != ?)",
                     (unit,))
    conn.close()
    problems = verify(db).unit_problems
    assert problems == ["acme model (subject ffffffff): 3 stored rows, but the event log has no such unit"]


def _digest(db: str) -> str:
    with sqlite3.connect(db) as conn:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()


def test_verify_writes_nothing(acme):
    db, _, _ = acme
    assert tamper(db, f"valid_from={day_number('2024-01-31')}") >= 1
    before = _digest(db)
    assert verify(db).unit_problems != []
    assert _digest(db) == before


def test_the_reference_folds_a_unit_once_per_set_of_counted_statements(acme):
    runtime = Runtime(settings(acme[0]), writing=False)
    try:
        reference = ReferenceFold(runtime.ledger)
    finally:
        runtime.close()
    subject = reference.subjects_of["acme"][1]
    unit = reference.unit(subject, "model", datetime.now(timezone.utc))
    assert unit.view(date(2024, 2, 1)) is unit.view(date(2024, 5, 1))  # nothing new counted in between
    assert unit.view(date(2024, 5, 1))["status"] == "planned"
    assert unit.view(date(2024, 7, 1))["status"] == "rescheduled"
    assert unit.view(date(2023, 1, 1)) is None
    assert reference.brand_registered("acme") and not reference.brand_registered("nobody")


def test_the_notification_log_is_read_whole_and_in_order_whatever_the_page_size(acme):
    runtime = Runtime(settings(acme[0]), writing=False)
    try:
        by_two = [(n.id, n.originator_version) for n in notifications(runtime.ledger, limit=2)]
        at_once = [(n.id, n.originator_version) for n in notifications(runtime.ledger)]
        after_one = [n.id for n in notifications(runtime.ledger, after=1)]
    finally:
        runtime.close()
    assert by_two == at_once and [i for i, _ in at_once] == [1, 2, 3] and after_one == [2, 3]


class _ManyBrands:
    """A reference and read model of 100 brands, each with 50 dates where its answers change and 3 instants."""

    instants = [datetime(2024, 1, day, tzinfo=timezone.utc) for day in (1, 2, 3)]

    def brands(self):
        return [f"b{n:03d}" for n in range(100)]

    def brand_instants(self, brand):
        return self.instants

    def valid_dates(self, brand):
        return [f"20{year:02d}-06-30" for year in range(50)]


def test_the_answers_are_checked_on_a_bounded_repeatable_sample_of_brand_date_and_known_at():
    from stratlog.application.verification import ANSWER_PAIRS, sample_questions
    now = datetime.now(timezone.utc)
    many = _ManyBrands()
    instants = {brand: many.brand_instants(brand) for brand in many.brands()}
    questions = sample_questions(many.brands(), instants, many, 40, now)
    asked = [(brand, as_of, known_at) for brand, pairs in questions.items() for as_of, known_at in pairs]
    assert 1 < len({(b, d) for b, d, _ in asked}) <= ANSWER_PAIRS
    assert {t for _, _, t in asked} - {now} and {t for _, _, t in asked} <= {now, *many.instants[:2]}
    assert sample_questions(many.brands(), instants, many, 40, now) == questions

"""Verify by brand in two processes finds exactly what one process finds: damage in a brand the second
process handles is still named by unit, subject and date; a failed child or a wrong brand hint falls back
to one process; the split keeps each subject whole and balances brands by events."""

from __future__ import annotations

import sqlite3

import pytest

from stratlog.application.notification_log import notifications
from stratlog.application.projection import OPEN_INSTANT
from stratlog.application.verification import verify_read_model
from stratlog.application.verify_split import brand_hints, split
from stratlog.infrastructure.config import settings
from stratlog.infrastructure.item_codec import day_number, instant_number
from stratlog.infrastructure.mapper import PydanticMapper
from stratlog.infrastructure.read_access import ReadAccess
from stratlog.infrastructure.runtime import Runtime
from tests.builders import statement
from tests.stored_states import state_text, stored

BRANDS = ("acme", "bolt", "cargo", "dyna")


def said(brand: str, kind: str, announced: str, **fields):
    return statement(kind, brand=brand, announced_on=announced, source={"title": f"{brand}-{announced}"}, **fields)


@pytest.fixture
def four(tmp_path):
    """Four brands, each with two models planned then rescheduled in a second command."""
    db = str(tmp_path / "four.db")
    runtime = Runtime(settings(db), writing=True)
    try:
        for n, brand in enumerate(BRANDS):
            runtime.ledger.record([statement("brand-registered", brand=brand, source=None, name=brand.title()),
                                   *(said(brand, "model-planned", "2024-01", model=f"M{m}", planned_for="2026")
                                     for m in range(n + 1))])
            runtime.ledger.record([said(brand, "model-rescheduled", "2024-06", model="M0", planned_for="2027",
                                        reason="supply")])
        runtime.catch_up()
    finally:
        runtime.close()
    return db


@pytest.fixture
def in_one(monkeypatch):
    """The calls of verify's one-process path (made with processes=2 only as a fallback)."""
    from stratlog.application import verification
    calls, real = [], verification._in_one
    monkeypatch.setattr(verification, "_in_one", lambda *a: calls.append(1) or real(*a))
    return calls


def verify(db: str, processes: int, reopen=None):
    runtime = Runtime(settings(db), writing=False)
    path = runtime.settings.read_model
    try:
        return verify_read_model(runtime.ledger, runtime.fresh_read_model(), 40, processes=processes,
                                 reopen=reopen or (lambda: ReadAccess.open(path, read_only=True)))
    finally:
        runtime.close()


def child_brands(db: str) -> set[str]:
    """The brands the split gives the second process."""
    log = read_log(db)
    hints = brand_hints(log, PydanticMapper.state_json)
    return {hints[n.originator_id] for n in split(log, 2, PydanticMapper.state_json)[1]}


def read_log(db: str) -> list:
    runtime = Runtime(settings(db), writing=False)
    try:
        return list(notifications(runtime.ledger))
    finally:
        runtime.close()


def sql(db: str, text: str, args: tuple = ()) -> int:
    conn = sqlite3.connect(db)
    try:
        with conn:
            return conn.execute(text, args).rowcount
    finally:
        conn.close()


def test_two_processes_report_what_one_does_on_a_clean_read_model(four, in_one):
    two = verify(four, 2)
    assert in_one == []
    one = verify(four, 1)
    assert two.problems == [] and one.lines == two.lines
    assert "compared the stored rows of" in "\n".join(two.lines)


def test_the_split_keeps_subjects_whole_and_gives_each_process_brands(four):
    log = read_log(four)
    parts, hints = split(log, 2, PydanticMapper.state_json), brand_hints(log, PydanticMapper.state_json)
    assert sorted(n.id for part in parts for n in part) == [n.id for n in log]
    brands = [{hints[n.originator_id] for n in part} for part in parts]
    assert brands[0] and brands[1] and not brands[0] & brands[1] and brands[0] | brands[1] == set(BRANDS)
    assert {n.originator_id for n in parts[0]}.isdisjoint({n.originator_id for n in parts[1]})


MODELS_OF = "unit IN (SELECT unit FROM rm_groups WHERE grp='model' AND brand=?)"


def test_a_wrong_row_of_a_brand_in_the_second_process_is_named_by_unit_subject_and_date(four, in_one):
    brand = sorted(child_brands(four))[0]
    assert sql(four, f"UPDATE rm_items SET data=replace(data, 'planned', 'launched') WHERE {MODELS_OF} "
                     "AND valid_from=? AND known_to=?",
               (brand, day_number("2024-01-31"), instant_number(OPEN_INSTANT))) >= 1
    two = verify(four, 2)
    assert in_one == []
    assert two.unit_problems and all(p.startswith(f"{brand} model M") for p in two.unit_problems)
    assert "(subject " in two.unit_problems[0] and "as of 2024-01-31: the stored rows differ from the fold" \
        in two.unit_problems[0]
    assert two.problems == verify(four, 1).problems


def test_rows_the_log_lacks_and_damaged_events_in_the_second_process_are_reported_as_in_one(four):
    brand = sorted(child_brands(four))[0]
    sql(four, "INSERT INTO rm_subjects (id, subject_id) SELECT 4200 + unit, printf('%032x', 4200 + unit) "
        "FROM rm_groups WHERE brand=? AND grp='model'", (brand,))
    sql(four, "UPDATE rm_groups SET subject=4200 + unit WHERE brand=? AND grp='model'",
        (brand,))  # each model unit of the brand moved to a subject the log lacks
    position = max(n.id for n in read_log(four) if "ModelRescheduled" in n.topic and brand.encode() in state_text(n.state))
    sql(four, "UPDATE stored_events SET state=X'5B5D' WHERE rowid=?", (position,))
    one, two = verify(four, 1), verify(four, 2)
    assert any("but the event log has no such unit" in p for p in two.unit_problems)
    assert any(f"position {position} " in p and "does not decode" in p for p in two.log_problems)
    assert two.problems == one.problems and two.lines == one.lines


def _fails():
    raise RuntimeError("no second connection")


def test_a_second_process_that_fails_leaves_verify_to_the_first_with_the_same_findings(four, in_one):
    brand = sorted(child_brands(four))[0]
    sql(four, f"UPDATE rm_items SET data=replace(data, 'planned', 'launched') WHERE {MODELS_OF}", (brand,))
    two = verify(four, 2, reopen=_fails)
    assert in_one == [1]
    assert two.unit_problems and two.problems == verify(four, 1).problems


def test_a_brand_hint_the_decoded_events_contradict_verifies_again_in_one_process(four, in_one):
    """The split trusts the brand in a subject's first stored JSON; when its decoded events say another
    brand (a damaged log), the shares' brands overlap and verify runs again in one process."""
    log = read_log(four)
    hints, child = brand_hints(log, PydanticMapper.state_json), child_brands(four)
    rescheduled = {n.originator_id for n in log if "ModelRescheduled" in n.topic and hints[n.originator_id] in child}
    first = next(n for n in log if n.originator_id in rescheduled and n.originator_version == 1)
    brand, other = hints[first.originator_id], sorted(set(BRANDS) - child)[0]
    state = stored(state_text(first.state).replace(f'"brand":"{brand}"'.encode(), f'"brand":"{other}"'.encode()))
    sql(four, "UPDATE stored_events SET state=? WHERE rowid=?", (state, first.id))
    assert {hints[n.originator_id] for n in split(log, 2, PydanticMapper.state_json)[1]} == child
    two = verify(four, 2)
    assert in_one == [1]
    one = verify(four, 1)
    assert two.problems == one.problems and two.lines == one.lines

"""`projections verify` checks the event log itself: every event decodes, versions run 1..n per subject.

These tests tamper with the library's own table on purpose: they prove the damage is detected.
"""

from __future__ import annotations

import sqlite3

import pytest

from tests.stored_states import state_text, stored



def tamper(db: str, *statements: tuple[str, tuple]) -> None:
    with sqlite3.connect(db) as conn:
        for sql, args in statements:
            conn.execute(sql, args)
    conn.close()


def brand_rows(db: str) -> list[tuple[int, str, int]]:
    """(position, originator_id, version) of alpine's brand aggregate, which holds most statements."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT rowid, originator_id, originator_version FROM stored_events "
                            "WHERE topic LIKE '%:Brand.%' ORDER BY rowid").fetchall()
    conn.close()
    return rows


def test_a_clean_database_verifies_and_says_what_was_checked(alpine_db, stratlog):
    result = stratlog("--db", alpine_db, "projections", "verify")
    assert result.code == 0, result.err
    assert "checked 18 stored events: versions run 1..n per subject\n" in result.out
    assert "decoded and validated 18 stored events" in result.out
    assert "OK: the read model equals the fold." in result.out


def test_a_missing_event_in_the_middle_of_a_subject_is_reported_as_a_gap(alpine_db, stratlog):
    rows = brand_rows(alpine_db)
    assert [v for _, _, v in rows] == list(range(1, len(rows) + 1)) and len(rows) >= 4
    position, originator, _ = rows[2]
    tamper(alpine_db, ("DELETE FROM stored_events WHERE rowid=?", (position,)))
    result = stratlog("--db", alpine_db, "projections", "verify")
    assert result.code == 1 and "Traceback" not in result.err
    assert "versions run 1..n per subject except in 1 place\n" in result.out
    assert (f"event log: brand alpine ({originator[:8]}" in result.err
            and f"version 3 missing (position {rows[3][0]} holds version 4)" in result.err), result.err


def test_several_missing_versions_are_reported_as_one_range(alpine_db, stratlog):
    rows = brand_rows(alpine_db)
    tamper(alpine_db, ("DELETE FROM stored_events WHERE rowid IN (?, ?)", (rows[1][0], rows[2][0])))
    result = stratlog("--db", alpine_db, "projections", "verify")
    assert result.code == 1
    assert f"versions 2–3 missing (position {rows[3][0]} holds version 4)" in result.err


def test_an_event_whose_stored_json_is_broken_is_reported_by_position(alpine_db, stratlog):
    position = brand_rows(alpine_db)[4][0]
    tamper(alpine_db, ("UPDATE stored_events SET state=? WHERE rowid=?", (b'{"kpi": "annual-sa', position)))
    result = stratlog("--db", alpine_db, "projections", "verify")
    assert result.code == 1 and "Traceback" not in result.err
    assert f"event log: position {position} (stratlog.domain.brand:Brand." in result.err
    assert "does not decode" in result.err
    assert "decoded and validated 17 stored events; 1 could not be read and was left out of the comparison" in result.out


def test_an_event_that_is_json_but_no_longer_valid_is_reported(alpine_db, stratlog):
    with sqlite3.connect(alpine_db) as conn:
        position, state = conn.execute("SELECT rowid, state FROM stored_events WHERE topic LIKE '%TargetSet' "
                                        "ORDER BY rowid LIMIT 1").fetchone()
    conn.close()
    broken = stored(state_text(state).replace(b'"deadline":"', b'"deadline":"13-'))
    assert state_text(broken) != state_text(state)
    tamper(alpine_db, ("UPDATE stored_events SET state=? WHERE rowid=?", (broken, position)))
    result = stratlog("--db", alpine_db, "projections", "verify")
    assert result.code == 1
    assert f"event log: position {position} (stratlog.domain.brand:Brand.TargetSet" in result.err
    assert "deadline" in result.err and "does not decode" in result.err


@pytest.mark.parametrize("damage, reason", [
    (lambda packed: packed[:-6], "the body is deflated (dictionary 1) but is cut short"),
    (lambda packed: packed[:1] + b"\xff" * 8 + packed[9:], "the body is deflated (dictionary 1) but does not inflate"),
    (lambda packed: packed + b"tail", "the body is deflated (dictionary 1) but has bytes after its end"),
])
def test_a_packed_state_that_does_not_inflate_is_named_by_position_and_why(alpine_db, stratlog, damage, reason):
    position, state = brand_rows(alpine_db)[4][0], None
    with sqlite3.connect(alpine_db) as conn:
        (state,) = conn.execute("SELECT state FROM stored_events WHERE rowid=?", (position,)).fetchone()
    conn.close()
    assert state[:1] == b"\x01"
    tamper(alpine_db, ("UPDATE stored_events SET state=? WHERE rowid=?", (damage(state), position)))
    result = stratlog("--db", alpine_db, "projections", "verify")
    assert result.code == 1 and "Traceback" not in result.err
    assert f"event log: position {position} (stratlog.domain.brand:Brand." in result.err
    assert reason in result.err


def test_an_undecodable_event_not_yet_in_the_read_model_is_reported_not_a_traceback(alpine_db, stratlog):
    position = brand_rows(alpine_db)[-1][0]
    tamper(alpine_db, ("UPDATE stored_events SET state=? WHERE rowid=?", (b"\xff not json", position)),
           ("UPDATE rm_position SET position=?", (position - 1,)))
    result = stratlog("--db", alpine_db, "projections", "verify")
    assert result.code == 1
    assert f"event log: position {position}" in result.err and "does not decode" in result.err

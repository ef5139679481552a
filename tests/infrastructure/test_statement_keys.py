"""Statement ids kept as 16 bytes and kinds as numbers in rm_statements (migration 9): ids found by full id
and by any text prefix, both shown as text by the views."""

from __future__ import annotations

import sqlite3
import uuid

from hypothesis import given, strategies as st

from stratlog.infrastructure.read_model import ReadModel
from stratlog.domain.catalogue import KINDS as CATALOGUE_KINDS
from stratlog.infrastructure.statement_keys import KINDS, id_text, kind_code, kind_name, prefix_range, stored_id
from tests.conftest import copy_fixture
from tests.stored_states import with_state_function


@given(st.uuids(), st.integers(0, 36))
def test_a_prefix_range_holds_exactly_the_ids_whose_text_starts_with_the_prefix(value, length):
    text = str(value)
    prefix = text[:length]
    low, high = prefix_range(prefix)
    assert id_text(stored_id(text)) == text and len(stored_id(text)) == 16
    assert low <= stored_id(text) <= high
    other = str(uuid.UUID(int=value.int ^ (1 << 127 - 4 * len(prefix.replace("-", ""))))) if length < 36 else None
    if other is not None:  # the first digit after the prefix changed: still inside only if it is not
        assert (low <= stored_id(other) <= high) == other.startswith(prefix)


def test_an_odd_prefix_is_completed_with_0_below_and_f_above():
    assert prefix_range("abc") == (bytes.fromhex("abc" + "0" * 29), bytes.fromhex("abc" + "f" * 29))
    assert prefix_range("df97278c-4") == (bytes.fromhex("df97278c4" + "0" * 23), bytes.fromhex("df97278c4" + "f" * 23))


def test_a_text_no_id_starts_with_has_no_range_and_is_never_turned_into_bytes():
    for prefix in ("DF97", "df97278c4", "xyz", "df97278c-48e5-50cf-838e-6caf9410da1f0", "-"):
        assert prefix_range(prefix) is None
    for text in ("DF97278C-48E5-50CF-838E-6CAF9410DA1F", "df97278c48e550cf838e6caf9410da1f", "df97", None):
        assert stored_id(text) == text  # a text (or NULL) never equals a stored blob


def test_the_statements_table_keeps_16_bytes_and_the_views_show_the_text(alpine_db, stratlog):
    ReadModel(alpine_db).close()
    conn = sqlite3.connect(alpine_db)
    with_state_function(conn)
    assert conn.execute("SELECT DISTINCT typeof(statement_id), length(statement_id) FROM rm_statements").fetchall() == [
        ("blob", 16)]
    shown = [sid for (sid,) in conn.execute("SELECT statement_id FROM statements ORDER BY position")]
    stored = [id_text(sid) for (sid,) in conn.execute("SELECT statement_id FROM rm_statements ORDER BY position")]
    assert shown == stored and all(uuid.UUID(s).hex == s.replace("-", "") for s in shown)
    items = {sid for (sid,) in conn.execute("SELECT data ->> '$.statement_id' FROM items") if sid}
    assert items and items <= set(shown)
    first = shown[1]
    assert stratlog("--db", alpine_db, "show", first[:9]).code == 0  # an odd-length prefix
    assert first in stratlog("--db", alpine_db, "show", first[:8], "--json").out


def test_a_fix_names_the_statement_it_fixes_in_the_views_and_is_listed_with_it(alpine_db, stratlog):
    conn = sqlite3.connect(alpine_db)
    with_state_function(conn)
    target = conn.execute("SELECT statement_id FROM statements WHERE kind='model-planned' LIMIT 1").fetchone()[0]
    assert stratlog("--db", alpine_db, "retract", target[:8], "--reason", "wrong article").code == 0
    row = conn.execute("SELECT subject, fixes FROM statements WHERE kind='statement-retracted'").fetchone()
    assert row == (f"fixes {target[:8]}", target)
    assert conn.execute("SELECT status FROM statements WHERE statement_id=?", (target,)).fetchone() == ("retracted",)
    shown = stratlog("--db", alpine_db, "show", target)
    assert shown.code == 0 and "retract" in shown.out.lower()


def test_an_old_read_model_is_folded_again_with_ids_as_bytes(tmp_path, stratlog):
    path = copy_fixture("r1-alpine.db", tmp_path)
    assert stratlog("--db", path, "timeline", "--brand", "alpine").code == 0
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT DISTINCT typeof(statement_id) FROM rm_statements").fetchall() == [("blob",)]
    assert stratlog("--db", path, "projections", "verify").code == 0


def test_every_kind_has_a_number_kept_from_its_first_release_and_an_unknown_kind_keeps_its_name():
    assert set(CATALOGUE_KINDS) <= set(KINDS) and len(set(KINDS)) == len(KINDS)
    assert (kind_code("brand-registered"), kind_code("target-set"), kind_code("statement-retracted")) == (1, 4, 33)
    assert all(kind_name(kind_code(kind)) == kind for kind in KINDS)
    assert kind_code("kind-of-a-later-release") == "kind-of-a-later-release" == kind_name("kind-of-a-later-release")


def test_kinds_are_stored_as_numbers_and_shown_and_filtered_by_name(alpine_db, stratlog):
    conn = sqlite3.connect(alpine_db)
    with_state_function(conn)
    assert conn.execute("SELECT DISTINCT typeof(kind) FROM rm_statements").fetchall() == [("integer",)]
    shown = conn.execute("SELECT kind, COUNT(*) FROM statements GROUP BY kind ORDER BY kind").fetchall()
    stored = conn.execute("SELECT kind, COUNT(*) FROM rm_statements GROUP BY kind").fetchall()
    assert sorted((kind_name(k), n) for k, n in stored) == shown and ("brand-registered", 1) in shown
    events = stratlog("--db", alpine_db, "events", "--kind", "model-planned", "--json")
    assert events.code == 0 and '"model-planned"' in events.out and '"model-launched"' not in events.out
    model = ReadModel(alpine_db)
    assert model.brands() == ["alpine"]  # found by the registrations' kind number
    model.close()

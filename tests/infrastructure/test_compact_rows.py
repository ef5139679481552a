"""Compact read-model rows (migration 6): integer dates and instants, stated fields joined, key sets stored once."""

from __future__ import annotations

import json
import re
import sqlite3

from hypothesis import given, settings, strategies as st

from stratlog.infrastructure.item_codec import (Shape, canonical, day_number, day_text, instant_from_number,
                                                instant_number, packed, shape_text, stated_values)
from stratlog.infrastructure.read_model import ReadModel
from tests.conftest import copy_fixture
from tests.stored_states import with_state_function

STATED = stated_values("s1", "2024-03", "2024-05-01T10:00:00.000000Z", "Press release", None, "Acme")
ITEM = {"_group": {"type": "targets"}, "_list": "targets", "_seq": 1, "kpi": "revenue", "low": None,
        **STATED, "value": {"amount": "5", "currency": "EUR"}}


def text(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def stored(item: dict, statements: dict) -> tuple[int | None, str, dict[int, Shape]]:
    shapes: dict[str, int] = {}
    position, data = packed(text(item), statements,
                            lambda rest, fixed: shapes.setdefault(shape_text(rest, fixed), len(shapes) + 1))
    return position, data, {number: Shape(keys) for keys, number in shapes.items()}


@given(st.dates())
def test_day_numbers_read_back_as_the_date_and_sort_like_it(day):
    assert day_text(day_number(day.isoformat())) == day.isoformat()
    assert day_number(day.isoformat()) == day.toordinal()


@given(st.datetimes(), st.datetimes())
def test_instant_numbers_read_back_as_the_fixed_width_text_and_sort_like_it(first, second):
    a, b = (f"{d.year:04d}-{d:%m-%dT%H:%M:%S.%f}Z" for d in (first, second))
    assert instant_from_number(instant_number(a)) == a
    assert (instant_number(a) < instant_number(b)) == (a < b)
    assert instant_number("9999-12-31T23:59:59.999999Z") < 2 ** 63


def test_an_item_stated_as_its_statement_says_keeps_only_the_position_and_reads_back_the_same():
    position, data, shapes = stored(ITEM, {"s1": (7, STATED)})
    assert position == 7
    assert not {"source", "statement_id", "recorded_at", "_group", "kpi"} & set(data.split('"'))
    assert canonical(data, tuple(STATED.values()), shapes.__getitem__) == text(ITEM)


def test_an_item_whose_stated_fields_differ_from_its_statement_keeps_them():
    corrected = {**ITEM, "source": "Corrected title"}
    position, data, shapes = stored(corrected, {"s1": (7, STATED)})
    assert position is None and "Corrected title" in data
    assert canonical(data, None, shapes.__getitem__) == text(corrected)


def test_an_old_read_model_is_converted_and_folded_again_by_itself(tmp_path, stratlog):
    path = copy_fixture("r1-alpine.db", tmp_path)
    before = sqlite3.connect(path).execute("SELECT COUNT(*) FROM rm_items").fetchone()[0]
    assert stratlog("--db", path, "timeline", "--brand", "alpine").code == 0
    conn = sqlite3.connect(path)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(rm_items)")]
    assert columns == ["unit", "item", "valid_from", "valid_to", "known_from", "known_to", "stated", "data"]
    assert conn.execute("SELECT COUNT(*) FROM rm_items").fetchone()[0] == before
    assert conn.execute("SELECT typeof(valid_from), typeof(known_to) FROM rm_items LIMIT 1").fetchone() == (
        "integer", "integer")
    assert stratlog("--db", path, "projections", "verify").code == 0


def test_the_items_view_shows_each_row_as_readable_text_and_json(alpine_db):
    ReadModel(alpine_db).close()
    conn = sqlite3.connect(alpine_db)
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute("SELECT * FROM items WHERE kind='model' AND item='s'")]
    assert rows and all(not isinstance(v, (bytes, int)) for r in rows for v in r.values())
    launched = next(json.loads(r["data"]) for r in rows if json.loads(r["data"])["subject"] == "A110"
                    and r["known_to"].startswith("9999") and r["valid_to"] == "9999-12-31")
    assert launched["status"] == "launched" and launched["source"] and launched["statement_id"]
    assert rows[0]["valid_from"][4] == "-" and rows[0]["known_from"].endswith("Z")


def test_a_source_is_stored_once_and_one_whose_digest_is_taken_gets_a_row_of_its_own(tmp_path):
    from stratlog.infrastructure.statement_rows import _source_id
    model = ReadModel(str(tmp_path / "s.db"))
    try:
        conn, key = model.conn, ("Press release", "https://example.org/a", "Acme")
        first = _source_id(conn, key)
        assert _source_id(conn, key) == first
        conn.execute("UPDATE rm_sources SET label='Another' WHERE id=?", (first,))  # its digest now stands for another
        other = _source_id(conn, key)
        assert other != first and conn.execute("SELECT digest FROM rm_sources WHERE id=?", (other,)).fetchone() == (None,)
    finally:
        model.close()


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5)
                           | st.floats(allow_nan=False, allow_infinity=False),
                           lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner)
                           | st.dictionaries(st.text(max_size=4), inner, max_size=3), max_leaves=8)


@given(st.dictionaries(st.sampled_from(["zeta", "kpi", "alpha", "_group", "_list", "value", "source"]), JSON_VALUES),
       st.booleans())
@settings(deadline=None)
def test_an_item_handed_over_by_the_fold_is_stored_as_its_text_would_be(extra, stated):
    """The fold hands the packer the item it wrote a text from (keys in any order, tuples, nested dicts
    unsorted): it is stored byte for byte as parsing that text gives, with the same shapes asked for."""
    item = dict(reversed(list({**(STATED if stated else {}), **extra}.items())))
    asked: list[tuple] = [[], []]

    def shape_id(number):
        return lambda rest, fixed: asked[number].append(shape_text(rest, fixed)) or 1

    from_text = packed(text(item), {"s1": (7, STATED)}, shape_id(0))
    from_item = packed(text(item), {"s1": (7, STATED)}, shape_id(1), item)
    assert from_item == from_text and asked[0] == asked[1]


def test_an_item_handed_over_that_is_not_an_object_is_stored_as_its_text():
    assert packed("[1,2]", {}, lambda rest, fixed: 1, [1, 2]) == (None, "[1,2]")


def _sources(conn) -> list[tuple]:
    return conn.execute("SELECT id, digest, label, url, publisher FROM rm_sources ORDER BY id").fetchall()


def test_sources_added_in_batches_are_numbered_and_stored_as_one_insert_each_would(tmp_path, monkeypatch):
    from stratlog.infrastructure import statement_rows
    keys = [(f"Title {n}", f"https://example.org/{n % 7}", None if n % 3 else "Acme") for n in range(450)]
    rows = {}
    for batched in (False, True):
        model = ReadModel(str(tmp_path / f"{batched}.db"))
        try:
            model.conn.execute("BEGIN")
            known = statement_rows._source_id(model.conn, keys[5])  # stored by an earlier command
            if batched:
                ids = {}
                statement_rows.source_ids(model.conn, keys + keys[:3], ids)
            else:
                ids = {key: statement_rows._source_id(model.conn, key) for key in keys}
            assert ids[keys[5]] == known
            rows[batched] = (ids, _sources(model.conn))
        finally:
            model.close()
    assert rows[True] == rows[False]


def test_sources_in_one_batch_that_share_a_digest_each_keep_their_own_row(tmp_path, monkeypatch):
    from stratlog.infrastructure import statement_rows
    monkeypatch.setattr(statement_rows, "_digest", lambda key: 42)
    model = ReadModel(str(tmp_path / "s.db"))
    try:
        keys = [("A", None, None), ("B", "https://example.org/b", None), ("A", None, None)]
        ids: dict = {}
        statement_rows.source_ids(model.conn, keys, ids)
        stored = {row[0]: row[2:] for row in _sources(model.conn)}
        assert len(stored) == 2 and all(stored[ids[key]] == key for key in keys)
    finally:
        model.close()


def test_a_long_command_keeps_a_bounded_number_of_source_ids_and_finds_forgotten_ones_again(tmp_path, monkeypatch):
    from stratlog.infrastructure import statement_rows
    monkeypatch.setattr(statement_rows, "KEPT_SOURCES", 10)
    model = ReadModel(str(tmp_path / "s.db"))
    try:
        ids: dict = {}
        first = [(f"T{n}", None, None) for n in range(25)]
        statement_rows.source_ids(model.conn, first[:15], ids)
        number = ids[first[0]]
        statement_rows.source_ids(model.conn, first[10:], ids)
        assert len(ids) <= 15 and first[0] not in ids
        statement_rows.source_ids(model.conn, first[:1], ids)
        assert ids[first[0]] == number and len(_sources(model.conn)) == 25
    finally:
        model.close()


def test_each_subject_is_numbered_once_with_its_type_and_brand_and_the_tables_hold_its_number(alpine_db):
    conn = sqlite3.connect(alpine_db)
    subjects = dict(conn.execute("SELECT subject_id, id FROM rm_subjects"))
    logged = {s for (s,) in conn.execute("SELECT DISTINCT originator_id FROM stored_events")}
    assert set(subjects) == logged and len(set(subjects.values())) == len(logged)
    for table in ("rm_statements", "rm_members", "rm_groups", "rm_names"):
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
        assert "subject" in columns and "subject_id" not in columns
        assert conn.execute(f"SELECT DISTINCT typeof(subject) FROM {table}").fetchall() == [("integer",)]
    by_statement = conn.execute("SELECT su.subject_id, st.version FROM rm_statements st JOIN rm_subjects su "
                                "ON su.id = st.subject ORDER BY st.position").fetchall()
    assert by_statement == conn.execute("SELECT originator_id, originator_version FROM stored_events "
                                        "ORDER BY rowid").fetchall()
    assert {s for (s,) in conn.execute("SELECT DISTINCT subject_id FROM items")} <= logged
    statement_columns = [row[1] for row in conn.execute("PRAGMA table_info(rm_statements)")]
    assert "brand" not in statement_columns and "subject_type" not in statement_columns  # the subject's, kept once
    assert conn.execute("SELECT DISTINCT subject_type, brand FROM rm_subjects ORDER BY 1").fetchall() == [
        ("brand", "alpine"), ("dealer-agreement", "alpine"), ("market", "alpine"), ("model", "alpine")]
    recorded = conn.execute("SELECT DISTINCT typeof(recorded_at) FROM rm_statements").fetchall()
    assert recorded == [("integer",)]  # microseconds; the views show the instant's text
    with_state_function(conn)
    shown = conn.execute("SELECT recorded_at FROM statements ORDER BY position LIMIT 1").fetchone()[0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", shown)
    assert instant_number(shown) == conn.execute("SELECT recorded_at FROM rm_statements WHERE position=1").fetchone()[0]


TARGET = {"_group": {"type": "targets"}, "_list": "targets", "_seq": 0, "identity": "revenue|EU|2030|c5e3cbf8",
          "kpi": "revenue", "scope": "EU", "value": 5}


def test_a_target_item_leaves_out_the_identity_its_item_key_repeats_and_reads_it_back_from_the_key():
    position, data, shapes = stored_with_key(TARGET, "t:revenue|EU|2030|c5e3cbf8")
    assert "c5e3cbf8" not in data and list(shapes.values())[0].item_key == "identity"
    assert canonical(data, None, shapes.__getitem__, "t:revenue|EU|2030|c5e3cbf8") == text(TARGET)


def test_an_identity_that_is_not_its_item_key_is_kept_in_the_item():
    for key in ("t:revenue|EU|2031|c5e3cbf8", "revenue|EU|2030|c5e3cbf8", None):
        position, data, shapes = stored_with_key(TARGET, key)
        assert "c5e3cbf8" in data and list(shapes.values())[0].item_key is None
        assert canonical(data, None, shapes.__getitem__, key) == text(TARGET)


def stored_with_key(item: dict, key: str | None) -> tuple[int | None, str, dict[int, Shape]]:
    shapes: dict[str, int] = {}
    position, data = packed(text(item), {}, lambda rest, fixed, from_key=None: shapes.setdefault(
        shape_text(rest, fixed, from_key), len(shapes) + 1), item_key=key)
    return position, data, {number: Shape(keys) for keys, number in shapes.items()}


def test_the_items_view_shows_a_target_with_its_identity(alpine_db):
    ReadModel(alpine_db).close()
    conn = sqlite3.connect(alpine_db)
    rows = conn.execute("SELECT item, data FROM items WHERE item GLOB 't:*'").fetchall()
    stored = conn.execute("SELECT item, data FROM rm_items WHERE item GLOB 't:*'").fetchall()
    assert rows and all(json.loads(data)["identity"] == item[2:] for item, data in rows)
    assert len(stored) == len(rows) and not any(item[2:] in data for item, data in stored)


def test_a_groups_latest_known_instant_is_kept_as_microseconds_and_read_back_as_its_text(alpine_db):
    from stratlog.infrastructure.item_codec import latest_known
    conn = sqlite3.connect(alpine_db)
    assert conn.execute("SELECT DISTINCT typeof(latest_known) FROM rm_groups").fetchall() == [("integer",)]
    newest = conn.execute("SELECT MAX(recorded_at) FROM rm_statements").fetchone()[0]
    assert conn.execute("SELECT MAX(latest_known) FROM rm_groups").fetchone()[0] == newest
    assert latest_known(newest) == instant_from_number(newest) and latest_known("") == "" and latest_known(None) is None


@given(st.tuples(st.text(), st.none() | st.text(), st.none() | st.text()))
def test_a_source_digest_fits_the_six_bytes_sqlite_keeps_it_in(key):
    from stratlog.infrastructure.statement_rows import _digest
    assert -2 ** 47 <= _digest(key) < 2 ** 47

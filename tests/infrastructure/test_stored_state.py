"""Stored states are packed (marker 1 + deflate with a preset dictionary): smaller, read back as the JSON
text that was checked, and plain JSON states of older databases keep reading beside them."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest

from stratlog.infrastructure.recorded_at import recorded_at_of
from stratlog.infrastructure.stored_state import DICTIONARY_1, UndecodableState, pack, state_text, unpack
from tests.conftest import copy_fixture
from tests.stored_states import with_state_function

def states(db: str) -> list[bytes]:
    conn = sqlite3.connect(db)
    try:
        return [bytes(state) for (state,) in conn.execute("SELECT state FROM stored_events ORDER BY rowid")]
    finally:
        conn.close()


def test_dictionary_1_never_changes():
    """It is part of the storage format: every packed state in every database depends on these bytes."""
    assert len(DICTIONARY_1) == 2146
    assert hashlib.sha256(DICTIONARY_1).hexdigest() == (
        "877ff0fbcfa56a4aff1f5f0710d6460817ce7c876d113a304f7bb6a58a999498")


def test_every_new_state_is_packed_and_inflates_to_the_json_of_its_event(alpine_db):
    found = states(alpine_db)
    assert len(found) == 18 and all(state[:1] == b"\x01" for state in found)
    texts = [json.loads(unpack(state)) for state in found]
    assert all(set(text) >= {"statement_id", "recorded_at", "statement"} for text in texts)
    assert sum(map(len, found)) * 2 < sum(len(unpack(state)) for state in found)  # less than half the JSON text


def test_a_packed_state_round_trips_any_text_and_a_plain_one_reads_as_it_is():
    text = '{"statement":{"title":"Bilan <b>2023</b> — ventes \\u0000","value":1e5}}'.encode()
    assert unpack(pack(text)) == text and pack(text)[:1] == b"\x01"
    assert unpack(text) == text and unpack(b"") == b""


@pytest.mark.parametrize("damage, reason", [
    (lambda packed: packed[:-4], "is cut short"),
    (lambda packed: packed + b"x", "has bytes after its end"),
    (lambda packed: b"\x01\xff\xff\xff\xff", "does not inflate"),
])
def test_a_packed_state_that_does_not_inflate_says_why(damage, reason):
    with pytest.raises(UndecodableState, match=f"^the body is deflated \\(dictionary 1\\) but {reason}"):
        unpack(damage(pack(b'{"statement":{"brand":"acme"}}')))
    assert state_text(damage(pack(b"{}"))) is None


def test_the_recorded_at_scan_reads_packed_and_plain_states():
    assert recorded_at_of(pack(b'{"recorded_at":"2026-01-02T03:04:05.000006Z"}')).microsecond == 6
    assert recorded_at_of(b'{"recorded_at":"2026-01-02T03:04:05Z"}').second == 5
    assert recorded_at_of(b"\x01 not deflate") is None


def test_an_old_database_keeps_its_plain_states_and_packs_only_what_it_records_next(tmp_path, stratlog):
    path = copy_fixture("r3-timestamps.db", tmp_path)
    before = states(path)
    assert all(state[:1] == b"{" for state in before)
    recorded = stratlog("--db", path, "record", "target-set", "alpine", "--kpi", "margin", "--value", "5",
                        "--unit", "percent", "--comparator", "at-least", "--deadline", "2030", "--announced-on", "2024-03",
                        "--source-title", "T")
    assert recorded.code == 0, recorded.err
    after = states(path)
    assert after[:len(before)] == before and [s[:1] for s in after[len(before):]] == [b"\x01"]
    verified = stratlog("--db", path, "projections", "verify")
    assert verified.code == 0 and "OK" in verified.out


def test_the_statements_view_reads_plain_and_packed_states_through_its_sql_function(tmp_path, stratlog):
    path = copy_fixture("r3-timestamps.db", tmp_path)
    assert stratlog("--db", path, "record", "brand-registered", "zeta", "--name", "Zeta").code == 0
    conn = with_state_function(sqlite3.connect(path))
    rows = conn.execute("SELECT brand, kind, payload FROM statements ORDER BY position").fetchall()
    assert len(rows) == 13 and all(payload is not None for _, _, payload in rows)
    assert rows[-1][:2] == ("zeta", "brand-registered") and json.loads(rows[-1][2])["name"] == "Zeta"

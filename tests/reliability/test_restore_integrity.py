"""A restore is trusted only when whole and unedited: the export's trailer, each line's id, its recorded_at.

An export ends with a line counting its statements; an import of an export whose trailer is missing or
wrong is refused as truncated. Each restored statement_id must be the id of the line's content, and
its recorded_at must be a real instant no later than now. Every refusal exits 2 and writes nothing.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.conftest import copy_fixture

TRAILER = {"stratlog_export": {"statements": 18}}


@pytest.fixture
def exported(alpine_db, stratlog, tmp_path) -> list[str]:
    """The lines of the Alpine database's export."""
    assert stratlog("--db", alpine_db, "export", "--out", "backup.jsonl").code == 0
    return (tmp_path / "backup.jsonl").read_text(encoding="utf-8").splitlines()


def restore(stratlog, tmp_path: Path, lines: list[str], db: str = "copy.db"):
    (tmp_path / "edited.jsonl").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return stratlog("--db", db, "import", "edited.jsonl")


def assert_refused(result, *expected: str, db: Path | None = None) -> None:
    assert result.code == 2, result.err
    for text in expected:
        assert text in result.err, result.err
    assert "Traceback" not in result.err
    assert db is None or not db.exists(), "a refused import created the database"


def edited(line: str, **fields) -> str:
    return json.dumps({**json.loads(line), **fields}, ensure_ascii=False)


def test_an_export_ends_with_a_trailer_that_counts_its_statements(exported):
    assert json.loads(exported[-1]) == TRAILER
    assert all("statement_id" in json.loads(line) for line in exported[:-1]) and len(exported) == 19


def test_an_export_without_its_trailer_is_refused_as_truncated(exported, stratlog, tmp_path):
    assert_refused(restore(stratlog, tmp_path, exported[:-1]), "edited.jsonl: is a truncated export",
                   "its last line is not the trailer", "append that line with N = 18", db=tmp_path / "copy.db")


def test_an_export_missing_its_last_statement_is_refused_as_truncated(exported, stratlog, tmp_path):
    assert_refused(restore(stratlog, tmp_path, exported[:-2] + exported[-1:]),
                   "edited.jsonl: is a truncated export: its trailer counts 18 statements but the file holds 17",
                   db=tmp_path / "copy.db")


def test_an_export_whose_count_was_changed_is_refused(exported, stratlog, tmp_path):
    count = json.dumps({"stratlog_export": {"statements": 19}})
    assert_refused(restore(stratlog, tmp_path, exported[:-1] + [count]), "its trailer counts 19 statements but the "
                   "file holds 18", db=tmp_path / "copy.db")


def test_an_export_cut_in_the_middle_of_a_line_is_refused(exported, stratlog, tmp_path):
    (tmp_path / "cut.jsonl").write_text("\n".join(exported)[:-100], encoding="utf-8")
    assert_refused(stratlog("--db", "copy.db", "import", "cut.jsonl"), "cut.jsonl line 18: is not valid JSON",
                   db=tmp_path / "copy.db")


@pytest.mark.parametrize("trailer", ['{"stratlog_export": {"statements": "18"}}', '{"stratlog_export": 18}',
                                     '{"stratlog_export": {"statements": -1}}', '{"stratlog_export": {"statements": true}}'])
def test_a_malformed_trailer_is_refused(exported, stratlog, tmp_path, trailer):
    assert_refused(restore(stratlog, tmp_path, exported[:-1] + [trailer]),
                   "edited.jsonl line 19: is not a valid export trailer", db=tmp_path / "copy.db")


def test_two_exports_joined_into_one_file_are_refused_naming_the_line_after_the_trailer(exported, stratlog, tmp_path):
    assert_refused(restore(stratlog, tmp_path, exported + exported), "edited.jsonl line 20: comes after the export's "
                   "trailer line", db=tmp_path / "copy.db")


def test_a_whole_export_restores_and_a_plain_json_lines_file_needs_no_trailer(exported, stratlog, tmp_path):
    assert restore(stratlog, tmp_path, exported).out.startswith("18 new statements")
    plain = [json.dumps({k: v for k, v in json.loads(line).items() if k not in ("statement_id", "recorded_at")})
             for line in exported[:-1]]
    result = restore(stratlog, tmp_path, plain, db="plain.db")
    assert result.code == 0 and result.out.startswith("18 new statements"), result.err


def test_a_restore_line_whose_content_was_edited_is_refused_naming_the_line_and_both_ids(exported, stratlog, tmp_path):
    line = next(i for i, text in enumerate(exported) if '"kind": "target-set"' in text)
    original = json.loads(exported[line])
    changed = edited(exported[line], value=original["value"] + 1)
    lines = exported[:line] + [changed] + exported[line + 1:]
    result = restore(stratlog, tmp_path, lines)
    actual = json.loads(changed)
    del actual["statement_id"], actual["recorded_at"]
    from stratlog.domain.catalogue import RECORD_ADAPTER
    new_id = RECORD_ADAPTER.validate_python(actual).statement_id()
    assert_refused(result, f"edited.jsonl statement {line + 1} (line {line + 1}), brand alpine, target-set: statement_id: {original['statement_id']} is not the id of "
                   f"this line's content (which is {new_id})", "the line was changed after export",
                   db=tmp_path / "copy.db")


def test_a_restore_line_forging_an_existing_id_is_refused_and_the_database_keeps_one_event_per_id(
        alpine_db, exported, stratlog, tmp_path):
    brand = json.loads(exported[0])
    forged = edited(exported[1], statement_id=brand["statement_id"])
    result = restore(stratlog, tmp_path, [exported[0], forged, json.dumps({"stratlog_export": {"statements": 2}})],
                     db=alpine_db)
    assert_refused(result, "(line 2), brand alpine, ipo-considered: statement_id: " + brand["statement_id"])
    events = json.loads(stratlog("--db", alpine_db, "events", "--json").out)
    assert len(events) == 18 and len({e["statement_id"] for e in events}) == 18


def test_an_edited_correction_is_refused_and_unedited_fixes_restore(alpine_db, stratlog, tmp_path):
    target = json.loads(stratlog("--db", alpine_db, "events", "--kind", "target-set", "--json").out)[0]
    corrected = stratlog("--db", alpine_db, "correct", target["statement_id"], "--value", "7", "--note", "misread")
    assert corrected.code == 0, corrected.err
    assert stratlog("--db", alpine_db, "retract", target["statement_id"], "--reason", "wrong brand").code == 0
    assert stratlog("--db", alpine_db, "export", "--out", "fixed.jsonl").code == 0
    lines = (tmp_path / "fixed.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["kind"] for line in lines[-3:-1]] == ["statement-corrected", "statement-retracted"]
    forged = edited(lines[-3], fields={"value": 8})
    assert_refused(restore(stratlog, tmp_path, lines[:-3] + [forged] + lines[-2:]),
                   "(line 19), statement-corrected: statement_id:", "is not the id of this line's content",
                   db=tmp_path / "copy.db")
    assert restore(stratlog, tmp_path, lines).out.startswith("20 new statements")


@pytest.mark.parametrize("recorded_at, expected", [
    ("9999-12-31T23:59:59.999999Z", "is later than now"),
    ((datetime.now(timezone.utc) + timedelta(days=2)).isoformat(), "is later than now"),
    ("0001-01-01T00:00:00+01:00", "is outside the calendar once converted to UTC"),
    ("9999-12-31T23:59:59-01:00", "is outside the calendar once converted to UTC"),
    ("2024-01-01T00:00:00", "has no UTC offset"),
    ("yesterday", "is not an ISO 8601 date-time"),
])
def test_a_restore_line_with_an_impossible_recorded_at_is_refused(exported, stratlog, tmp_path, recorded_at, expected):
    lines = [exported[0], edited(exported[1], recorded_at=recorded_at)] + exported[2:]
    assert_refused(restore(stratlog, tmp_path, lines), f"(line 2), brand alpine, ipo-considered: recorded_at: {recorded_at!r} {expected}",
                   db=tmp_path / "copy.db")


def test_a_restore_line_with_an_id_but_no_recorded_at_is_refused(exported, stratlog, tmp_path):
    line = json.loads(exported[1])
    del line["recorded_at"]
    assert_refused(restore(stratlog, tmp_path, [exported[0], json.dumps(line)] + exported[2:]),
                   "(line 2), brand alpine, ipo-considered: recorded_at: missing", db=tmp_path / "copy.db")


def test_an_old_database_exports_and_restores_with_ids_that_still_match_their_content(stratlog, tmp_path):
    old = copy_fixture("v1-alpine.db", tmp_path)
    assert stratlog("--db", old, "export", "--out", "v1.jsonl").code == 0
    result = stratlog("--db", "copy.db", "import", "v1.jsonl")
    assert result.code == 0 and result.out.startswith("18 new statements"), result.err


def test_a_restore_line_recorded_before_the_line_above_it_is_refused(exported, stratlog, tmp_path):
    lines = exported[:2] + [edited(exported[2], recorded_at="0001-01-01T00:00:00Z")] + exported[3:]

    assert_refused(restore(stratlog, tmp_path, lines), "(line 3)", "recorded_at: 0001-01-01T00:00:00+00:00 is earlier "
                   "than the line before it", db=tmp_path / "copy.db")


def test_an_export_made_while_the_clock_ran_hours_ahead_restores(exported, stratlog, tmp_path):
    ahead = (datetime.now(timezone.utc) + timedelta(hours=6)).isoformat()
    lines = [edited(line, recorded_at=ahead) for line in exported[:-1]] + exported[-1:]

    result = restore(stratlog, tmp_path, lines)

    assert result.code == 0 and result.out.startswith("18 new statements"), result.err


def test_an_instant_of_year_one_is_written_with_four_digits():
    from stratlog.domain.dates import instant_text
    assert instant_text(datetime(1, 1, 1, tzinfo=timezone.utc)) == "0001-01-01T00:00:00.000000Z"


def test_a_large_restore_checks_each_compact_line_by_its_one_dump(exported, stratlog, tmp_path, monkeypatch):
    """Past the first statements a restore keeps them compact; an edited line is still refused, an intact
    export still restores every statement with its id."""
    import stratlog.infrastructure.files as files_module
    monkeypatch.setattr(files_module, "COMPACT_AFTER", 0)
    forged = edited(exported[3], announced_on="1999")
    assert_refused(restore(stratlog, tmp_path, exported[:3] + [forged] + exported[4:]),
                   "(line 4)", "statement_id:", "is not the id of this line's content", db=tmp_path / "copy.db")
    assert restore(stratlog, tmp_path, exported).out.startswith("18 new statements")
    restored = json.loads(stratlog("--db", "copy.db", "events", "--json").out)
    assert sorted(e["statement_id"] for e in restored) == sorted(json.loads(line)["statement_id"] for line in exported[:-1])

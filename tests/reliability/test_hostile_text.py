"""Untrusted text is stored intact and made harmless wherever it is shown: terminal, CSV, HTML."""

from __future__ import annotations

import json

import pytest

MARKUP = "<script>alert(\"x\")</script> \"quotes\" 'single'"
TITLE = MARKUP + " \u202eevil\u202c \x1b]0;pwned\x07"
QUOTE = "the brand said \u202eevil\u202c with a zero\u200dwidth joiner"
NOTE = "\x1b[31mred\x1b[0m and a bell\x07"
SPEAKER = "Bob \x1b]0;pwned\x07"
FORMULA = "=HYPERLINK(\"http://evil.example\",\"click\")"
RAW = ("\x1b", "\x07", "\u202e", "\u202c")


@pytest.fixture
def hostile_db(db, stratlog):
    assert stratlog("--db", db, "record", "brand-registered", "acme", "--name", "Acme").code == 0
    planned = stratlog("--db", db, "record", "model-planned", "acme", "A290", "--planned-for", "2025",
                       "--announced-on", "2024-06", "--source-title", TITLE, "--quote", QUOTE, "--speaker", SPEAKER,
                       "--note", NOTE)
    assert planned.code == 0, planned.err
    target = stratlog("--db", db, "record", "target-set", "acme", "--kpi", "annual-sales", "--value", "100000",
                      "--unit", "vehicles", "--comparator", "at-least", "--deadline", "2030",
                      "--announced-on", "2024-06", "--source-title", FORMULA)
    assert target.code == 0, target.err
    return db


def events(stratlog, db: str) -> list[dict]:
    return json.loads(stratlog("--db", db, "events", "--json").out)


def test_hostile_text_recorded_on_the_command_line_comes_back_byte_for_byte(hostile_db, stratlog):
    planned = next(e for e in events(stratlog, hostile_db) if e["kind"] == "model-planned")
    assert planned["source"] == {"title": TITLE, "quote": QUOTE, "speaker": SPEAKER}
    assert planned["note"] == NOTE


def test_hostile_text_imported_from_a_file_comes_back_byte_for_byte_and_survives_export(db, stratlog, tmp_path):
    statements = [{"kind": "brand-registered", "brand": "acme", "name": "Acme"},
                  {"kind": "market-entry-planned", "brand": "acme", "market": "US", "announced_on": "2024",
                   "rationale": TITLE, "note": NOTE, "source": {"title": FORMULA, "quote": QUOTE}}]
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(statements, ensure_ascii=False), encoding="utf-8")
    assert stratlog("--db", db, "import", str(path)).code == 0
    stored = events(stratlog, db)[1]
    assert (stored["rationale"], stored["note"], stored["source"]) == (TITLE, NOTE, {"title": FORMULA, "quote": QUOTE})
    backup = tmp_path / "backup.jsonl"
    assert stratlog("--db", db, "export", "--out", str(backup)).code == 0
    copy = str(tmp_path / "copy.db")
    assert stratlog("--db", copy, "import", str(backup)).code == 0
    assert events(stratlog, copy) == events(stratlog, db)


TABLES = [["events"], ["events", "--kind", "model-planned"], ["timeline", "--as-of", "2024-12"], ["audit", "acme"],
          ["kpis", "--brand", "acme"], ["state", "acme"], ["diff", "--from", "2024", "--to", "2025"]]


@pytest.mark.parametrize("command", TABLES, ids=lambda c: " ".join(c))
def test_tables_show_no_raw_control_or_bidi_character(hostile_db, stratlog, command):
    result = stratlog("--db", hostile_db, *command)
    assert result.code == 0, result.err
    assert not any(c in result.out for c in RAW), repr(result.out)


def test_the_timeline_table_shows_markup_literally_and_control_characters_as_escapes(hostile_db, stratlog):
    timeline = stratlog("--db", hostile_db, "timeline", "--brand", "acme", "--as-of", "2024-12").out
    assert MARKUP + " \\u202eevil\\u202c \\u001b]0;pwned\\u0007" in timeline


def test_csv_neutralises_a_cell_that_a_spreadsheet_would_run_as_a_formula(hostile_db, stratlog):
    csv = stratlog("--db", hostile_db, "timeline", "--brand", "acme", "--as-of", "2024-12", "--format", "csv").out
    assert "'=HYPERLINK(" in csv
    assert ",=HYPERLINK(" not in csv and "\n=HYPERLINK(" not in csv


def test_csv_escapes_control_and_bidi_characters_without_losing_them(hostile_db, stratlog):
    csv = stratlog("--db", hostile_db, "events", "--format", "csv").out
    assert not any(c in csv for c in RAW)
    assert "red" in csv and "31m" in csv


def test_the_html_report_escapes_markup_from_sources(hostile_db, stratlog, tmp_path):
    out = tmp_path / "report.html"
    result = stratlog("--db", hostile_db, "report", "--brand", "acme", "--as-of", "2024-12", "--out", str(out))
    assert result.code == 0, result.err
    html = out.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "\x1b" not in html and "\u202e" not in html

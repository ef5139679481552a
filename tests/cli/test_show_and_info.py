"""`show` prints one statement whole (quote, clocks, fixes); `info` says which database and how far behind."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path

import pytest

from stratlog.application.fold_version import PROJECTION_VERSION
from stratlog.application.ports import StatementRef
from stratlog.application.statement_card import one_statement
from stratlog.domain.errors import AmbiguousStatementId, StatementNotFound
from tests.conftest import ROOT

NORDLYS = ROOT / "examples" / "nordlys-guidance-cut.yaml"


def events(stratlog, db: str, kind: str) -> list[dict]:
    return [row for row in json.loads(stratlog("--db", db, "events", "--json").out) if row["kind"] == kind]


def test_show_prints_a_statement_whole_with_its_quote_and_three_clocks(alpine_db, stratlog):
    planned = next(r for r in events(stratlog, alpine_db, "model-planned") if r["model"] == "A290")
    shown = stratlog("--db", alpine_db, "show", planned["statement_id"][:8])
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    assert lines[:3] == [f"statement       {planned['statement_id']}", "kind            model-planned",
                         "subject         model A290 of alpine"]
    assert "announced_on    2023-06" in lines and f"recorded_at     {planned['recorded_at']}" in shown.out
    assert "effective       when announced" in lines and "planned_for     2024" in lines
    quote = " ".join(planned["source"]["quote"].split())
    assert quote in " ".join(line[16:].strip() if line.startswith("  ") else "" for line in lines).replace("  ", " ")


def test_show_json_gives_the_corrections_the_retraction_and_the_statement_as_corrected(alpine_db, stratlog):
    target = next(r for r in events(stratlog, alpine_db, "target-set") if r["kpi"] == "annual-sales")
    sid = target["statement_id"]
    fix = stratlog("--db", alpine_db, "correct", sid[:10], "--value", "120000", "--note", "typo").out.strip()
    gone = stratlog("--db", alpine_db, "retract", sid[:10], "--reason", "duplicate").out.strip()
    card = json.loads(stratlog("--db", alpine_db, "show", sid, "--json").out)
    assert card["statement_id"] == sid and card["subject_type"] == "target"
    assert card["subject"] == "annual-sales 2030" and card["value"] == target["value"] == "100000"
    assert [(c["statement_id"], c["fields"], c["note"]) for c in card["corrections"]] == [(fix, {"value": "120000"}, "typo")]
    assert card["retraction"]["statement_id"] == gone and card["retraction"]["reason"] == "duplicate"
    assert card["as_corrected"]["value"] == "120000" and card["as_corrected"]["announced_on"] == "2023-06"
    table = [line.split() for line in stratlog("--db", alpine_db, "show", sid).out.splitlines()]
    assert ["value", "100000", "→", "120000"] in table and ["reason", "duplicate"] in table


def test_show_gives_the_effective_date_of_a_scheduled_event(db, stratlog):
    assert stratlog("--db", db, "import", str(NORDLYS)).code == 0
    revealed = events(stratlog, db, "model-revealed")[0]
    card = json.loads(stratlog("--db", db, "show", revealed["statement_id"], "--format", "json").out)
    assert card["effective"] == {"field": "revealed_on", "on": "2025-06-13", "event": "reveal"}
    assert "effective       2025-06-13 (revealed_on: reveal)" in stratlog("--db", db, "show", revealed["statement_id"]).out


def test_show_refuses_a_short_prefix_with_exit_2_and_an_unknown_id_with_exit_1(alpine_db, stratlog):
    short = stratlog("--db", alpine_db, "show", "7410")
    assert (short.code, short.err.strip()) == (2, "Error: STATEMENT_ID: '7410' is too short; give at least 8 characters")
    unknown = stratlog("--db", alpine_db, "show", "ffffffff-0000")
    assert (unknown.code, unknown.err.strip()) == (1, "Error: STATEMENT_ID: no statement has an id starting with "
                                                      "'ffffffff-0000'")


def test_an_ambiguous_prefix_lists_the_candidates_with_their_kind_and_brand():
    refs = [StatementRef(f"abcdef12-{n}", "target-set", "brand", uuid.uuid4(), "alpine") for n in (1, 2)]
    with pytest.raises(AmbiguousStatementId) as refused:
        one_statement("ABCDEF12", refs)
    assert str(refused.value) == ("STATEMENT_ID: 'ABCDEF12' matches 2 statements: abcdef12-1 (target-set, alpine); "
                                  "abcdef12-2 (target-set, alpine); give more of the id")
    with pytest.raises(StatementNotFound):
        one_statement("abcdef12", [])
    assert one_statement(" ABCDEF12 ", refs[:1]) == "abcdef12-1"


def test_info_says_which_database_how_many_events_and_the_projection_version(alpine_db, stratlog):
    facts = json.loads(stratlog("--db", alpine_db, "info", "--json").out)
    count = len(json.loads(stratlog("--db", alpine_db, "events", "--json").out))
    assert facts == {"database": alpine_db, "mode": "sqlite", "read_model": None, "events": count, "position": count,
                     "projection_version": PROJECTION_VERSION, "statements": count, "brands": 1, "behind": 0,
                     "current_projection_version": PROJECTION_VERSION, "refold_needed": False}
    table = stratlog("--db", alpine_db, "info").out.splitlines()
    assert table[:3] == [f"database        {alpine_db} (SQLite)", "read model      inside the database file",
                         f"events          {count}"]


def test_info_tells_how_far_behind_the_read_model_is_and_catches_nothing_up(alpine_db, stratlog):
    with sqlite3.connect(alpine_db) as conn:
        conn.execute("UPDATE rm_position SET position = position - 3")
        conn.execute("UPDATE stratlog_meta SET value='1' WHERE key='projection_version'")
    facts = json.loads(stratlog("--db", alpine_db, "info", "--json").out)
    assert (facts["behind"], facts["projection_version"], facts["refold_needed"]) == (3, 1, True)
    assert json.loads(stratlog("--db", alpine_db, "info", "--json").out)["behind"] == 3  # still: info changed nothing
    assert "(3 behind; the next query catches up)" in stratlog("--db", alpine_db, "info").out


def test_info_on_a_missing_database_is_refused_and_creates_nothing(stratlog, tmp_path):
    result = stratlog("--db", "nowhere.db", "info")
    assert result.code == 1 and "nowhere.db" in result.err and "Traceback" not in result.err
    assert not Path(tmp_path / "nowhere.db").exists()

"""A damaged stored event is named by every command (position, subject, version, why), never a traceback.

These tests damage the library's own table on purpose, with plain sqlite3 on `stored_events`, as a
corrupted or foreign file would be, and empty the (disposable) read model before each command so
that every command meets the damage first. Everything that is not damaged keeps answering.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import uuid

import pytest

from stratlog.infrastructure.migrations import READ_MODEL_TABLES
from stratlog.infrastructure.notices import StratlogWarning
from tests.stored_states import state_data, state_text, stored

SOURCE = ["--announced-on", "2024-03", "--source-title", "Press release"]
ON_THE_BRAND = ["record", "target-set", "alpine", "--kpi", "margin", "--value", "5", "--unit", "percent",
                "--comparator", "at-least", "--deadline", "2030", *SOURCE]
ON_A_NEW_MODEL = ["record", "model-planned", "alpine", "A590", "--planned-for", "2028", *SOURCE]
QUERIES = {"timeline": ["timeline", "--brand", "alpine"], "kpis": ["kpis", "--brand", "alpine"],
           "state": ["state", "alpine"], "audit": ["audit", "alpine"], "events": ["events"], "export": ["export"],
           "report": ["report", "--brand", "alpine", "--out", "alpine.html"], "rebuild": ["projections", "rebuild"]}


def sql(db: str, statement: str, args: tuple = ()) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(statement, args).fetchall()
    conn.close()
    return rows


def empty_read_model(db: str) -> None:
    for table in READ_MODEL_TABLES:
        sql(db, f"DELETE FROM {table}")


def first_of(db: str, topic_end: str) -> int:
    """The position of the first stored event whose topic ends so (e.g. ':Brand.TargetSet')."""
    return sql(db, "SELECT MIN(rowid) FROM stored_events WHERE topic LIKE ?", (f"%{topic_end}",))[0][0]


def set_body(db: str, position: int, body: bytes) -> None:
    sql(db, "UPDATE stored_events SET state=? WHERE rowid=?", (body, position))


def run_everything(stratlog, db: str, damaged_subject: list[str]) -> dict[str, object]:
    """Every command, each on a read model emptied first; the record on a new model runs last."""
    results = {}
    for name, command in [*QUERIES.items(), ("verify", ["projections", "verify"]),
                          ("record on the damaged subject", damaged_subject), ("record on another subject", ON_A_NEW_MODEL)]:
        empty_read_model(db)
        results[name] = stratlog("--db", db, *command)
        assert "Traceback" not in results[name].err, (name, results[name].err)
    return results


def assert_named_everywhere(results: dict, position: int, reason: str, subject: str = "brand") -> None:
    warning = (f"Warning: 1 stored event could not be read and was left out (position {position}); "
               f"run 'stratlog projections verify'")
    for name in [*QUERIES, "record on another subject"]:
        assert results[name].code == 0 and warning in results[name].err, (name, results[name].err)
    verify = results["verify"]
    assert verify.code == 1 and "the event log is damaged in 1 place" in verify.err
    assert f"event log: position {position} (" in verify.err and f"does not decode: {reason}" in verify.err
    refused = results["record on the damaged subject"]
    assert refused.code == 1 and refused.out == ""
    assert f"Error: cannot record on {subject}" in refused.err and f"stored event at position {position}, " in refused.err
    assert reason in refused.err and "nothing was written" in refused.err
    assert len(results["record on another subject"].out.split()) == 1  # the id of the statement it stored


BODIES = {
    "an empty object": (b"{}", "the body is an empty JSON object"),
    "a list": (b"[]", "the body is a JSON list, not a JSON object"),
    "null": (b"null", "the body is JSON null, not a JSON object"),
    "a number": (b"42", "the body is a number, not a JSON object"),
    "invalid UTF-8": (b'{"kpi": "\xc3\x28"}', "the body is not UTF-8 text"),
    "broken JSON": (b'{"kpi": "annual-sa', "the body is not JSON (Unterminated string"),
}


@pytest.mark.parametrize("body, reason", BODIES.values(), ids=BODIES.keys())
def test_a_stored_body_that_is_not_an_event_is_named_by_every_command_and_the_rest_answers(
        alpine_db, stratlog, body, reason):
    position = first_of(alpine_db, ":Brand.TargetSet")
    set_body(alpine_db, position, body)
    results = run_everything(stratlog, alpine_db, ON_THE_BRAND)
    assert_named_everywhere(results, position, reason)
    kpis = stratlog("--db", alpine_db, "kpis", "--brand", "alpine", "--json")
    assert len(json.loads(kpis.out)) == 5  # six targets, one unreadable


def test_an_unknown_topic_is_named_and_nothing_is_imported(alpine_db, stratlog):
    position = first_of(alpine_db, ":Brand.TargetSet")
    sql(alpine_db, "UPDATE stored_events SET topic='os:system' WHERE rowid=?", (position,))
    assert_named_everywhere(run_everything(stratlog, alpine_db, ON_THE_BRAND), position,
                            "topic 'os:system' is not a stratlog event")


def test_a_topic_naming_another_installed_module_is_damage_and_that_module_is_never_imported(alpine_db, stratlog):
    assert "tabnanny" not in sys.modules
    position = first_of(alpine_db, ":Brand.TargetSet")
    sql(alpine_db, "UPDATE stored_events SET topic='tabnanny:NannyNag' WHERE rowid=?", (position,))
    assert_named_everywhere(run_everything(stratlog, alpine_db, ON_THE_BRAND), position,
                            "topic 'tabnanny:NannyNag' is not a stratlog event")
    assert "tabnanny" not in sys.modules


def test_a_first_event_naming_another_module_as_its_subject_class_is_damage(alpine_db, stratlog):
    position = first_of(alpine_db, ":Brand.BrandRegistered")
    state = state_data(sql(alpine_db, "SELECT state FROM stored_events WHERE rowid=?", (position,))[0][0])
    set_body(alpine_db, position, stored({**state, "originator_topic": "tabnanny:NannyNag"}))
    assert_named_everywhere(run_everything(stratlog, alpine_db, ON_THE_BRAND), position,
                            "it does not validate: originator_topic: 'tabnanny:NannyNag' is not a stratlog subject")
    assert "tabnanny" not in sys.modules


def test_an_event_missing_a_required_field_is_named_with_the_field(alpine_db, stratlog):
    position = first_of(alpine_db, ":Brand.TargetSet")
    state = state_data(sql(alpine_db, "SELECT state FROM stored_events WHERE rowid=?", (position,))[0][0])
    del state["statement_id"]
    set_body(alpine_db, position, stored(state))
    assert_named_everywhere(run_everything(stratlog, alpine_db, ON_THE_BRAND), position,
                            "it does not validate: statement_id: is required")


def test_a_damaged_brand_registration_leaves_the_brand_answering_from_its_other_statements(alpine_db, stratlog):
    position = first_of(alpine_db, ":Brand.BrandRegistered")
    set_body(alpine_db, position, b"null")
    results = run_everything(stratlog, alpine_db, ON_THE_BRAND)
    assert_named_everywhere(results, position, "the body is JSON null, not a JSON object")
    timeline = json.loads(stratlog("--db", alpine_db, "timeline", "--brand", "alpine", "--json").out)
    assert {"A110", "A290", "US"} <= {row["subject"] for row in timeline}
    everything = stratlog("--db", alpine_db, "timeline", "--json")
    assert everything.code == 0 and {row["brand"] for row in json.loads(everything.out)} == {"alpine"}


def test_a_damaged_first_event_of_a_model_refuses_that_model_only(alpine_db, stratlog):
    position = first_of(alpine_db, ":Model.ModelPlanned")
    model = state_data(sql(alpine_db, "SELECT state FROM stored_events WHERE rowid=?", (position,))[0][0])["statement"]["model"]
    set_body(alpine_db, position, b"{}")
    on_that_model = ["record", "model-revealed", "alpine", model, "--revealed-on", "2024-02", *SOURCE]
    results = run_everything(stratlog, alpine_db, on_that_model)
    assert_named_everywhere(results, position, "the body is an empty JSON object", subject="model")
    timeline = json.loads(stratlog("--db", alpine_db, "timeline", "--brand", "alpine", "--json").out)
    assert model not in {row["subject"] for row in timeline} and "A590" in {row["subject"] for row in timeline}


def test_a_foreign_row_inserted_as_a_new_subject_is_named_and_every_brand_still_records(alpine_db, stratlog):
    stranger = uuid.uuid4()
    sql(alpine_db, "INSERT INTO stored_events (originator_id, originator_version, topic, state) VALUES (?, 1, ?, ?)",
        (stranger.hex, "tabnanny:NannyNag", b'{"run": "rm -rf /"}'))
    position = sql(alpine_db, "SELECT MAX(rowid) FROM stored_events")[0][0]
    results = run_everything(stratlog, alpine_db, ON_THE_BRAND)
    for name in [*QUERIES, "record on the damaged subject", "record on another subject"]:
        assert results[name].code == 0 and f"was left out (position {position})" in results[name].err, name
    assert (f"event log: position {position} (tabnanny:NannyNag, NannyNag {stranger} v1) does not decode: "
            f"topic 'tabnanny:NannyNag' is not a stratlog event") in results["verify"].err
    assert "tabnanny" not in sys.modules


def test_a_version_gap_is_named_by_verify_and_by_a_record_on_that_subject_and_nothing_else_fails(alpine_db, stratlog):
    rows = sql(alpine_db, "SELECT rowid, originator_version FROM stored_events WHERE topic LIKE '%:Brand.%' "
                          "ORDER BY rowid")
    gone, next_position = rows[2][0], rows[3][0]
    sql(alpine_db, "DELETE FROM stored_events WHERE rowid=?", (gone,))
    results = run_everything(stratlog, alpine_db, ON_THE_BRAND)
    for name in [*QUERIES, "record on another subject"]:
        assert results[name].code == 0, (name, results[name].err)
    assert results["verify"].code == 1
    assert f"version 3 missing (position {next_position} holds version 4)" in results["verify"].err
    refused = results["record on the damaged subject"]
    assert refused.code == 1 and "Error: cannot record on brand" in refused.err
    assert (f"its stored history is broken: version 3 missing (the next stored event, version 4, is at position "
            f"{next_position}); nothing was written") in refused.err


def test_the_warning_counts_and_lists_every_event_left_out(alpine_db, stratlog):
    first, second = first_of(alpine_db, ":Brand.TargetSet"), first_of(alpine_db, ":Model.ModelPlanned")
    set_body(alpine_db, first, b"{}")
    set_body(alpine_db, second, b"[]")
    empty_read_model(alpine_db)
    result = stratlog("--db", alpine_db, "kpis", "--brand", "alpine")
    assert result.code == 0
    assert result.err == (f"Warning: 2 stored events could not be read and were left out (positions {first}, "
                          f"{second}); run 'stratlog projections verify'\n")
    assert stratlog("--db", alpine_db, "kpis", "--brand", "alpine").err == result.err  # from the fast path too


def test_damage_found_after_the_read_model_folded_the_event_is_named_by_commands_that_read_the_log(alpine_db, stratlog):
    position = first_of(alpine_db, ":Brand.TargetSet")
    set_body(alpine_db, position, b"{}")
    for command in (["events"], ["export"]):
        result = stratlog("--db", alpine_db, *command)
        assert result.code == 0 and f"was left out (position {position})" in result.err
    # a record whose check needs the damaged target's unit from its first entry (announced before the
    # unit's checkpoint) reads it and names it; one on a unit it is not in is checked without it
    refused = stratlog("--db", alpine_db, "record", "target-reaffirmed", "alpine", "--kpi", "profitability",
                       "--deadline", "2026", "--announced-on", "2023", "--source-title", "Early")
    assert refused.code == 1 and f"stored event at position {position}, version 5" in refused.err
    assert stratlog("--db", alpine_db, *ON_THE_BRAND).code == 0


def test_a_fix_of_an_unreadable_statement_is_left_out_too_and_verify_compares_like_with_like(alpine_db, stratlog):
    from stratlog.application.verification import verify_read_model
    from stratlog.infrastructure.config import settings
    from stratlog.infrastructure.runtime import Runtime
    target = json.loads(stratlog("--db", alpine_db, "kpis", "--brand", "alpine", "--json").out)[0]
    retracted = stratlog("--db", alpine_db, "retract", target["statement_id"], "--reason", "duplicate")
    assert retracted.code == 0
    position = min(rowid for rowid, state in sql(alpine_db, "SELECT rowid, state FROM stored_events")
                   if target["statement_id"].encode() in state_text(state))
    set_body(alpine_db, position, b"{}")
    rebuilt = stratlog("--db", alpine_db, "projections", "rebuild")
    fix_position = sql(alpine_db, "SELECT MAX(rowid) FROM stored_events")[0][0]
    assert rebuilt.code == 0
    assert f"2 stored events could not be read and were left out (positions {position}, {fix_position})" in rebuilt.err
    runtime = Runtime(settings(alpine_db), writing=False)
    try:
        report = verify_read_model(runtime.ledger, runtime.fresh_read_model(), max_dates=5)
    finally:
        with pytest.warns(StratlogWarning, match="2 stored events could not be read"):  # Python callers are told too
            runtime.close()
    assert len(report.log_problems) == 2 and report.problems == report.log_problems  # every answer agrees
    assert f"position {fix_position} (" in report.log_problems[1]
    assert "cannot be folded: it fixes statement" in report.log_problems[1]


def test_verify_lists_twenty_damaged_events_then_counts_the_rest(db, stratlog, tmp_path):
    statements = [{"kind": "brand-registered", "brand": "acme", "name": "Acme"}] + [
        {"kind": "model-planned", "brand": "acme", "model": f"M{i}", "planned_for": "2030", "announced_on": "2024-01",
         "source": {"title": "Plan"}} for i in range(30)]
    (tmp_path / "acme.json").write_text(json.dumps(statements), encoding="utf-8")
    assert stratlog("--db", db, "import", str(tmp_path / "acme.json")).code == 0
    sql(db, "UPDATE stored_events SET state=X'5B5D' WHERE topic LIKE '%ModelPlanned' AND rowid <= 26")
    result = stratlog("--db", db, "projections", "verify")
    assert result.code == 1 and "the event log is damaged in 25 places" in result.err
    assert result.err.count("\nevent log: position ") == 20 and "\n… and 5 more\n" in result.err
    # the read model had folded them before they were damaged: verify says that too, and how to fix it
    assert result.err.endswith("The read model also differs from the fold in 2 answers (run 'stratlog projections "
                               "rebuild').\n")
    rebuilt = stratlog("--db", db, "projections", "rebuild")
    assert rebuilt.code == 0 and "25 stored events could not be read and were left out (positions 2, 3, 4" in rebuilt.err
    again = stratlog("--db", db, "projections", "verify")
    assert again.code == 1 and "also differs" not in again.err

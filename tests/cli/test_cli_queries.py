"""Time travel through the CLI: timeline, kpis, audit, state, diff, replay, export and the read model."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.conftest import write

SCENARIO = """
defaults: {source: {title: "Acme investor day", publisher: "Acme"}}
statements:
  - {kind: target-revised, brand: acme, kpi: annual-sales, deadline: 2030, value: 120000, announced_on: 2024-03}
  - {kind: brand-registered, brand: acme, name: Acme Cars}
  - {kind: target-set, brand: acme, kpi: annual-sales, value: 100000, unit: vehicles, comparator: at-least,
     deadline: 2030, announced_on: 2023-06}
  - {kind: target-revised, brand: acme, kpi: annual-sales, deadline: 2030, new_deadline: 2031, announced_on: 2025-01}
  - {kind: target-reaffirmed, brand: acme, kpi: annual-sales, deadline: 2031, announced_on: 2025-06}
  - {kind: target-set, brand: acme, kpi: revenue, value: {amount: 1000000000, currency: EUR}, comparator: at-least,
     deadline: 2026, announced_on: 2023}
  - {kind: target-withdrawn, brand: acme, kpi: revenue, deadline: 2026, announced_on: 2024-05, reason: reset}
  - {kind: actual-reported, brand: acme, kpi: annual-sales, period: 2023, value: 20000, unit: vehicles, announced_on: 2024-01}
  - {kind: actual-reported, brand: acme, kpi: annual-sales, period: 2024, value: 26000, unit: vehicles, announced_on: 2025-01}
  - {kind: model-planned, brand: acme, model: Roadster, planned_for: 2025, announced_on: 2023-06}
  - {kind: model-rescheduled, brand: acme, model: Roadster, planned_for: 2026, announced_on: 2024-09}
"""


def as_json(stratlog, *args):
    result = stratlog(*args, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


@pytest.fixture
def acme_db(tmp_path, db, stratlog):
    assert stratlog("--db", db, "import", write(tmp_path, "acme.yaml", SCENARIO)).code == 0
    return db


def test_alpine_before_the_article_shows_only_the_april_ipo_talk(alpine_db, stratlog):
    may = as_json(stratlog, "--db", alpine_db, "timeline", "--brand", "alpine", "--as-of", "2023-05-31")
    june = as_json(stratlog, "--db", alpine_db, "timeline", "--brand", "alpine", "--as-of", "2023-06-30")
    assert [(r["subject_type"], r["status"]) for r in may] == [("ipo", "potential")]
    assert len(june) == 17
    assert {"A290", "A390", "SUV 2027", "SUV 2028", "A110 E", "US", "AutoNation/US", "annual-sales 2030"} <= {
        r["subject"] for r in june}
    assert set(june[0]) >= {"brand", "subject_type", "subject", "date", "status", "announced_on", "statement_id", "source"}
    assert as_json(stratlog, "--db", alpine_db, "kpis", "--brand", "alpine", "--as-of", "2023-05-31") == []


def test_alpine_kpis_as_of_june_2023_are_all_pending_under_their_deadlines(alpine_db, stratlog):
    rows = as_json(stratlog, "--db", alpine_db, "kpis", "--brand", "alpine", "--as-of", "2023-06")
    by_subject = {(r["kpi"], r["deadline"]): r for r in rows}
    assert by_subject[("annual-sales", "2030")]["value"] == 100000
    assert by_subject[("revenue", "2026")]["value"] == {"amount": "2000000000", "currency": "EUR"}
    assert by_subject[("profitability", "2026")]["value"] is True
    assert {r["status"] for r in rows} == {"pending"}


def test_alpine_checks_find_the_growth_target_consistent_with_the_revenue_targets(alpine_db, stratlog):
    rows = as_json(stratlog, "--db", alpine_db, "checks", "--brand", "alpine", "--as-of", "2023-06-30")
    assert rows[0]["check"] == "growth-vs-revenue" and rows[0]["status"] == "consistent"
    assert rows[0]["implied"] == 41.4 and rows[0]["stated"] == 40.0


def test_an_unknown_brand_is_refused_and_a_quiet_brand_answers_empty(db, stratlog):
    assert stratlog("--db", db, "record", "brand-registered", "quiet", "--name", "Quiet").code == 0
    assert as_json(stratlog, "--db", db, "timeline", "--brand", "quiet") == []
    unknown = stratlog("--db", db, "kpis", "--brand", "nobody")
    assert unknown.code == 1 and "brand 'nobody' is not registered" in unknown.err


def test_targets_raised_moved_reaffirmed_and_withdrawn_out_of_order_read_right_at_each_date(acme_db, stratlog):
    def kpis(as_of):
        return {(r["kpi"], r["deadline"]): (r["value"], r["status"], r["required_cagr"])
                for r in as_json(stratlog, "--db", acme_db, "kpis", "--brand", "acme", "--as-of", as_of)}
    assert kpis("2023-06") == {("annual-sales", "2030"): (100000, "pending", None)}
    assert kpis("2024-03") == {("annual-sales", "2030"): (120000, "off-track", 29.2),
                               ("revenue", "2026"): ({"amount": "1000000000", "currency": "EUR"}, "pending", None)}
    assert kpis("2025-02")[("annual-sales", "2031")] == (120000, "on-track", 24.4)
    assert kpis("2025-02")[("revenue", "2026")][1] == "withdrawn"
    live = as_json(stratlog, "--db", acme_db, "kpis", "--brand", "acme", "--as-of", "2025-02", "--live")
    assert [r["kpi"] for r in live] == ["annual-sales"]


def test_the_audit_classifies_each_change_in_fold_order(acme_db, stratlog):
    rows = as_json(stratlog, "--db", acme_db, "audit", "acme", "annual-sales")
    assert [(r["change"], r["old_value"], r["new_value"], r["old_deadline"], r["new_deadline"]) for r in rows] == [
        ("set", None, 100000, None, "2030"),
        ("raised", 100000, 120000, "2030", "2030"),
        ("deadline-moved", 120000, 120000, "2030", "2031"),
        ("reaffirmed", 120000, 120000, "2031", "2031"),
    ]
    assert [r["change"] for r in as_json(stratlog, "--db", acme_db, "audit", "acme", "--deadline", "2030")] == [
        "set", "raised", "deadline-moved", "reaffirmed"]


def test_a_correction_is_seen_only_from_its_recording_and_never_counted_as_a_revision(acme_db, stratlog):
    before = as_json(stratlog, "--db", acme_db, "events", "--kind", "target-set")
    sales = next(e for e in before if e["kpi"] == "annual-sales")
    cutoff = as_json(stratlog, "--db", acme_db, "events")[-1]["recorded_at"]
    assert stratlog("--db", acme_db, "correct", sales["statement_id"][:8], "--value", "110000",
                    "--note", "misread").code == 0
    rows = as_json(stratlog, "--db", acme_db, "audit", "acme", "annual-sales", "--as-of", "2023-12")
    assert [(r["change"], r["new_value"], r["flagged"]) for r in rows] == [("set", 110000, False), ("corrected", 110000, True)]
    old = as_json(stratlog, "--db", acme_db, "audit", "acme", "annual-sales", "--as-of", "2023-12", "--known-at", cutoff)
    assert [(r["change"], r["new_value"]) for r in old] == [("set", 100000)]


def test_a_retraction_removes_a_statement_from_every_date(acme_db, stratlog):
    withdrawal = as_json(stratlog, "--db", acme_db, "events", "--kind", "target-withdrawn")[0]
    assert stratlog("--db", acme_db, "retract", withdrawal["statement_id"], "--reason", "wrong brand").code == 0
    rows = as_json(stratlog, "--db", acme_db, "kpis", "--brand", "acme", "--as-of", "2025-12")
    assert {r["kpi"]: r["status"] for r in rows}["revenue"] == "pending"
    audit = as_json(stratlog, "--db", acme_db, "audit", "acme", "revenue")
    assert [(r["change"], r["flagged"]) for r in audit] == [("set", False), ("retracted", True)]


def test_diff_shows_what_changed_between_two_dates(acme_db, stratlog):
    rows = as_json(stratlog, "--db", acme_db, "diff", "--brand", "acme", "--from", "2024-01", "--to", "2024-12")
    roadster = next(r for r in rows if r["subject"] == "Roadster")
    assert roadster["change"] == "changed"
    assert roadster["before"] == {"status": "planned", "date": "2025"}
    assert roadster["after"] == {"status": "rescheduled", "date": "2026"}
    assert {r["subject"]: r["change"] for r in rows}["revenue 2026"] == "changed"


def test_state_gathers_the_brand_picture(acme_db, stratlog):
    picture = as_json(stratlog, "--db", acme_db, "state", "acme", "--as-of", "2025-12")
    assert picture["name"] == "Acme Cars"
    assert picture["models"] == [{"model": "Roadster", "status": "rescheduled", "planned_for": "2026",
                                  "revealed_on": None, "launched_on": None}]
    assert [t["kpi"] for t in picture["targets"]] == ["revenue", "annual-sales"]


def test_replay_writes_the_answers_as_of_a_date_to_a_standalone_file(acme_db, stratlog, tmp_path):
    out = str(tmp_path / "replay.db")
    assert stratlog("--db", acme_db, "replay", "--to", "2024-03", "--out", out).code == 0
    with sqlite3.connect(out) as conn:
        kpis = conn.execute("SELECT kpi, deadline, status FROM kpis ORDER BY kpi").fetchall()
    assert kpis == [("annual-sales", "2030", "off-track"), ("revenue", "2026", "pending")]



def test_a_second_replay_to_the_same_file_replaces_it_whole(acme_db, stratlog, tmp_path):
    out = str(tmp_path / "replay.db")
    for to in ("2024-03", "2025-12"):
        assert stratlog("--db", acme_db, "replay", "--to", to, "--out", out).code == 0
    with sqlite3.connect(out) as conn:
        assert conn.execute("SELECT as_of FROM replay").fetchall() == [("2025-12-31",)]
    conn.close()


def test_an_export_imported_elsewhere_gives_the_same_answers_at_every_known_at(acme_db, stratlog, tmp_path):
    first = as_json(stratlog, "--db", acme_db, "events")[0]["recorded_at"]
    withdrawal = as_json(stratlog, "--db", acme_db, "events", "--kind", "target-withdrawn")[0]
    stratlog("--db", acme_db, "retract", withdrawal["statement_id"], "--reason", "wrong")
    export = str(tmp_path / "backup.jsonl")
    assert stratlog("--db", acme_db, "export", "--out", export).code == 0
    copy = str(tmp_path / "copy.db")
    assert stratlog("--db", copy, "import", export).out.startswith("12 new statements")
    for known in (first, None):
        args = ["kpis", "--brand", "acme", "--as-of", "2025-12"] + (["--known-at", known] if known else [])
        assert as_json(stratlog, "--db", copy, *args) == as_json(stratlog, "--db", acme_db, *args)
    assert stratlog("--db", copy, "import", export).out.startswith("0 new statements")


def test_the_read_model_rebuilds_to_the_same_answers_and_verifies(acme_db, stratlog):
    before = as_json(stratlog, "--db", acme_db, "timeline", "--brand", "acme", "--as-of", "2025-06")
    assert stratlog("--db", acme_db, "projections", "rebuild").code == 0
    assert as_json(stratlog, "--db", acme_db, "timeline", "--brand", "acme", "--as-of", "2025-06") == before
    verified = stratlog("--db", acme_db, "projections", "verify")
    assert verified.code == 0 and "OK: the read model equals the fold" in verified.out
    assert "0 behind" in stratlog("--db", acme_db, "projections", "status").out


def test_a_tampered_read_model_fails_verification(acme_db, stratlog):
    with sqlite3.connect(acme_db) as conn:
        conn.execute("UPDATE rm_items SET data=replace(data, '\"rescheduled\"', '\"launched\"')")
    conn.close()
    result = stratlog("--db", acme_db, "projections", "verify")
    assert result.code == 1 and "differs from the fold" in result.err


def test_bad_dates_on_query_options_exit_2_naming_the_option(acme_db, stratlog):
    for args, hint in ((["kpis", "--as-of", "2023-14"], "--as-of"), (["kpis", "--known-at", "yesterday"], "--known-at"),
                       (["diff", "--from", "x", "--to", "2024"], "--from")):
        result = stratlog("--db", acme_db, *args)
        assert result.code == 2 and hint in result.err, args


def test_an_export_restored_elsewhere_keeps_the_recording_order(acme_db, stratlog, tmp_path):
    export = str(tmp_path / "backup.jsonl")
    stratlog("--db", acme_db, "export", "--out", export)
    copy = str(tmp_path / "copy.db")
    stratlog("--db", copy, "import", export)
    ids = [[e["statement_id"] for e in as_json(stratlog, "--db", db, "events")] for db in (acme_db, copy)]
    assert ids[0] == ids[1] and len(ids[0]) == 11


def test_a_separate_read_model_file_is_refused_in_sqlite_mode(acme_db, stratlog, tmp_path):
    result = stratlog("--db", acme_db, "--read-model", str(tmp_path / "rm.db"), "kpis", "--brand", "acme")
    assert result.code == 2 and "a separate read model is for team mode" in result.err


def test_a_renamed_model_is_one_subject_in_a_diff_and_answers_to_both_names(acme_db, stratlog):
    src = ["--source-title", "Acme news"]
    assert stratlog("--db", acme_db, "record", "model-renamed", "acme", "Roadster", "--new-name", "Spyder",
                    "--announced-on", "2025-03", *src).code == 0
    assert stratlog("--db", acme_db, "record", "model-revealed", "acme", "Roadster", "--revealed-on", "2025-09",
                    "--announced-on", "2025-09", *src).code == 0
    rows = as_json(stratlog, "--db", acme_db, "diff", "--brand", "acme", "--from", "2024-12", "--to", "2025-12")
    spyder = [r for r in rows if r["subject_type"] == "model"]
    assert [(r["change"], r["subject"], r["after"]["status"]) for r in spyder] == [("changed", "Spyder", "revealed")]
    state = as_json(stratlog, "--db", acme_db, "state", "acme", "--as-of", "2025-12")
    assert state["models"][0]["model"] == "Spyder" and state["models"][0]["aliases"] == ["Roadster"]


def test_audit_by_an_earlier_deadline_includes_a_retraction_of_the_moved_target(acme_db, stratlog):
    src = ["--source-title", "Acme news"]
    moved_and_lowered = stratlog("--db", acme_db, "record", "target-revised", "acme", "--kpi", "annual-sales",
                                 "--deadline", "2031", "--value", "90000", "--announced-on", "2025-09", *src)
    assert stratlog("--db", acme_db, "retract", moved_and_lowered.out.strip(), "--reason", "misread").code == 0
    changes = [r["change"] for r in as_json(stratlog, "--db", acme_db, "audit", "acme", "--deadline", "2030")]
    assert changes[-1] == "retracted" and "set" in changes


def test_a_word_given_as_a_number_is_refused_as_such(acme_db, stratlog):
    result = stratlog("--db", acme_db, "record", "target-set", "acme", "--kpi", "annual-sales", "--value", "abc",
                      "--unit", "cars", "--comparator", "at-least", "--deadline", "2030", "--announced-on", "2024",
                      "--source-title", "T")
    assert result.code == 2 and "--value: 'abc' is not a number, money ('2000000000 EUR') or true/false" in result.err


def test_tables_of_several_brands_start_with_a_brand_column_and_one_brand_tables_do_not(alpine_db, stratlog):
    stratlog("--db", alpine_db, "record", "brand-registered", "acme", "--name", "Acme")
    stratlog("--db", alpine_db, "record", "target-set", "acme", "--kpi", "annual-sales", "--value", "10", "--unit",
             "vehicles", "--comparator", "at-least", "--deadline", "2030", "--announced-on", "2023-01",
             "--source-title", "Acme day")
    for command in (["kpis"], ["timeline"], ["diff", "--from", "2022", "--to", "2023-06"]):
        both = stratlog("--db", alpine_db, *command, "--as-of", "2023-06") if command[0] != "diff" else \
            stratlog("--db", alpine_db, *command)
        assert both.out.splitlines()[1].split()[0] == "brand", command  # line 0 is the as-of heading
        assert "acme" in both.out and "alpine" in both.out
    one = stratlog("--db", alpine_db, "kpis", "--brand", "alpine", "--as-of", "2023-06")
    assert one.out.splitlines()[1].split()[0] == "kpi"


def test_an_export_whose_brand_registration_follows_its_statements_restores(stratlog, tmp_path):
    """An import holding a correction writes the corrected subject before the brand it names (the log's order),
    and an export keeps that order: the restore counts a registration anywhere in the file."""
    said = ("- {kind: brand-registered, brand: a, name: A}\n"
            "- {kind: model-planned, brand: a, model: M, planned_for: 2025, announced_on: 2023-06, source: {title: T}}\n")
    scratch, db, copy = str(tmp_path / "scratch.db"), str(tmp_path / "u.db"), str(tmp_path / "u2.db")
    (tmp_path / "said.yaml").write_text(said, encoding="utf-8")
    assert stratlog("--db", scratch, "import", str(tmp_path / "said.yaml")).code == 0
    planned = as_json(stratlog, "--db", scratch, "events", "--kind", "model-planned")[0]["statement_id"]
    (tmp_path / "fixed.yaml").write_text(
        said + f"- {{kind: statement-corrected, corrects: '{planned}', fields: {{planned_for: '2026'}}}}\n",
        encoding="utf-8")
    assert stratlog("--db", db, "import", str(tmp_path / "fixed.yaml")).code == 0
    export = str(tmp_path / "u.jsonl")
    assert stratlog("--db", db, "export", "--out", export).code == 0
    restored = stratlog("--db", copy, "import", export)
    assert restored.code == 0, restored.err
    args = ["timeline", "--brand", "a", "--as-of", "2025-12"]
    assert as_json(stratlog, "--db", copy, *args) == as_json(stratlog, "--db", db, *args)
    ids = [[e["statement_id"] for e in as_json(stratlog, "--db", d, "events")] for d in (db, copy)]
    assert ids[0] == ids[1] and len(ids[0]) == 3


@pytest.mark.parametrize(("kind", "hint"), [("nope", "stratlog record --help"), ("Model-Planned", "did you mean model-planned?")])
def test_events_of_an_unknown_kind_is_bad_usage_naming_the_value(acme_db, stratlog, kind, hint):
    result = stratlog("--db", acme_db, "events", "--kind", kind)
    assert result.code == 2 and f"'{kind}' is not a statement kind" in result.err and hint in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("brand", ["nobody", "alpin"])
def test_events_of_an_unknown_brand_is_refused_as_every_brand_query_refuses_it(alpine_db, stratlog, brand):
    expected = f"brand '{brand}' is not registered (known brands: alpine)"
    for command in (["events", "--brand", brand], ["events", "--brand", brand, "--kind", "target-set", "--json"],
                    ["timeline", "--brand", brand], ["kpis", "--brand", brand], ["checks", "--brand", brand],
                    ["state", brand], ["audit", brand]):
        result = stratlog("--db", alpine_db, *command)
        assert (result.code, result.out) == (1, "") and expected in result.err and "Traceback" not in result.err, command
    assert stratlog("--db", alpine_db, "events", "--brand", "alpine", "--kind", "plant-planned").out.strip() == \
        "(no statements)"  # a registered brand that has none of a kind still answers empty


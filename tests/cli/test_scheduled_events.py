"""Real plans (DESIGN.md §1 r2, §4 r2): scheduled events, undated plans, launches per market, end dates."""

import json

import pytest

SOURCE = ("--source-title", "Press release")


@pytest.fixture
def ask(stratlog, db):
    """Record with `record`, answer with a query's JSON."""
    assert stratlog("--db", db, "record", "brand-registered", "alpine", "--name", "Alpine").code == 0

    def record(*args):
        result = stratlog("--db", db, "record", *args, *SOURCE)
        assert result.code == 0, result.err
        return result

    def query(*args):
        result = stratlog("--db", db, *args, "--format", "json")
        assert result.code == 0, result.err
        return json.loads(result.out)

    return record, query, lambda *args: stratlog("--db", db, *args)


def model_row(query, as_of, name="A290"):
    return next(r for r in query("timeline", "--brand", "alpine", "--as-of", as_of) if r["subject"] == name)


def test_a_reveal_announced_before_its_day_reads_planned_until_that_day(ask):
    record, query, run = ask
    record("model-planned", "alpine", "A290", "--planned-for", "2024", "--announced-on", "2023-06")
    record("model-revealed", "alpine", "A290", "--revealed-on", "2024-06-13", "--announced-on", "2024-05-20")

    before = model_row(query, "2024-05-31")
    after = model_row(query, "2024-06-13")

    assert (before["status"], before["date"], before["scheduled"]) == (
        "planned", "2024-06-13", {"event": "reveal", "on": "2024-06-13"})
    assert (after["status"], after["date"], "scheduled" in after) == ("revealed", "2024-06-13", False)
    table = run("timeline", "--brand", "alpine", "--as-of", "2024-05-31").out
    assert "planned (reveal 2024-06-13)" in table
    models = query("state", "alpine", "--as-of", "2024-05-31")["models"]
    assert models[0]["scheduled"] == {"event": "reveal", "on": "2024-06-13"}


def test_a_scheduled_exit_as_the_first_statement_reads_entered_until_it_happens(ask):
    record, query, _ = ask
    record("market-exited", "alpine", "JP", "--exited-on", "2026-09", "--announced-on", "2026-06")

    before = next(r for r in query("timeline", "--brand", "alpine", "--as-of", "2026-07-01") if r["subject"] == "JP")
    after = next(r for r in query("timeline", "--brand", "alpine", "--as-of", "2026-09-30") if r["subject"] == "JP")

    assert (before["status"], before["scheduled"]) == ("entered", {"event": "exit", "on": "2026-09"})
    assert (after["status"], after["date"]) == ("exited", "2026-09")


@pytest.mark.parametrize("kind, key, field, implied, event, ended", [
    ("model-discontinued", ("A290",), "discontinued-on", "launched", "discontinuation", "discontinued"),
    ("model-cancelled", ("A290",), "cancelled-on", "planned", "cancellation", "cancelled"),
    ("market-entry-cancelled", ("US",), "cancelled-on", "planned", "cancellation", "cancelled"),
    ("dealer-talks-ended", ("AutoNation", "US"), "ended-on", "talks", "end", "ended"),
    ("dealer-agreement-terminated", ("AutoNation", "US"), "terminated-on", "signed", "termination", "terminated"),
    ("plant-closed", ("Chengdu",), "closed-on", "opened", "closure", "closed"),
    ("plant-cancelled", ("Chengdu",), "cancelled-on", "planned", "cancellation", "cancelled"),
])
def test_every_end_date_is_named_after_its_verb_and_is_scheduled_until_it_passes(ask, kind, key, field, implied,
                                                                                   event, ended):
    record, query, _ = ask
    record(kind, "alpine", *key, f"--{field}", "2027-03", "--announced-on", "2026-10")

    before = query("timeline", "--brand", "alpine", "--as-of", "2026-12-31")[0]
    after = query("timeline", "--brand", "alpine", "--as-of", "2027-03-31")[0]
    listed = [row for rows in query("state", "alpine", "--as-of", "2027-03-31").values() if isinstance(rows, list)
              for row in rows]

    assert (before["status"], before["date"], before["scheduled"]) == (implied, "2027-03", {"event": event, "on": "2027-03"})
    assert (after["status"], after["date"]) == (ended, "2027-03")
    assert listed[0][field.replace("-", "_")] == "2027-03"


def test_a_plan_without_a_date_and_a_postponement_without_one_leave_the_date_empty(ask):
    record, query, _ = ask
    record("model-planned", "alpine", "A390", "--announced-on", "2023-06")
    undated = model_row(query, "2023-12-31", "A390")
    record("model-rescheduled", "alpine", "A390", "--planned-for", "2026", "--announced-on", "2024-01")
    record("model-rescheduled", "alpine", "A390", "--reason", "battery supply", "--announced-on", "2024-09")
    postponed = model_row(query, "2024-12-31", "A390")

    assert (undated["status"], undated["date"]) == ("planned", None)
    assert (postponed["status"], postponed["date"]) == ("rescheduled", None)


def test_a_second_markets_launch_keeps_the_first_launch_date_and_state_lists_every_launch(ask):
    record, query, _ = ask
    record("model-planned", "alpine", "A290", "--planned-for", "2023", "--markets", "CN", "--announced-on", "2022")
    record("model-launched", "alpine", "A290", "--launched-on", "2023", "--markets", "CN", "--announced-on", "2023")
    record("model-launched", "alpine", "A290", "--markets", "GB", "--announced-on", "2024-03")
    record("model-planned", "alpine", "A290", "--markets", "US", "--announced-on", "2024-06")

    row = model_row(query, "2024-12-31")
    (model,) = query("state", "alpine", "--as-of", "2024-12-31")["models"]

    assert (row["status"], row["date"]) == ("launched", "2023")
    assert model["launched_on"] == "2023"
    assert model["launches"] == [{"market": "CN", "launched_on": "2023"}, {"market": "GB", "launched_on": None}]
    assert model["markets"] == ["CN"]


def test_an_unquoted_on_in_yaml_names_the_end_dates_new_field(stratlog, db, tmp_path):
    path = tmp_path / "old.yaml"
    path.write_text("statements:\n  - {kind: market-exited, brand: alpine, market: 'JP', on: 2025-03,"
                    " announced_on: 2024-10, source: {title: x}}\n", encoding="utf-8")

    result = stratlog("--db", db, "import", str(path))

    assert result.code == 2
    assert "the date of market-exited is now named exited_on: write exited_on: …" in result.err


def test_an_old_import_file_with_a_quoted_on_still_imports_under_the_new_name(stratlog, db, tmp_path):
    path = tmp_path / "old.yaml"
    path.write_text("statements:\n  - {kind: brand-registered, brand: alpine, name: Alpine}\n"
                    "  - {kind: market-exited, brand: alpine, market: 'JP', \"on\": '2025-03',"
                    " announced_on: '2024-10', source: {title: x}}\n", encoding="utf-8")

    assert stratlog("--db", db, "import", str(path)).code == 0
    (row,) = json.loads(stratlog("--db", db, "state", "alpine", "--as-of", "2025-12", "--json").out)["markets"]

    assert (row["status"], row["exited_on"]) == ("exited", "2025-03")


def test_a_rename_alone_is_one_changed_row_in_diff_with_the_old_and_new_name(stratlog, db):
    assert stratlog("--db", db, "record", "brand-registered", "volvo", "--name", "Volvo Cars").code == 0
    for args in (("model-launched", "volvo", "C40 Recharge", "--launched-on", "2021", "--announced-on", "2021"),
                 ("model-renamed", "volvo", "C40 Recharge", "--new-name", "EC40", "--announced-on", "2024-02")):
        assert stratlog("--db", db, "record", *args, *SOURCE).code == 0

    rows = json.loads(stratlog("--db", db, "diff", "--brand", "volvo", "--from", "2024-01-31", "--to", "2024-03-31",
                               "--format", "json").out)

    assert [(r["change"], r["subject"], r["before"]["name"], r["after"]["name"]) for r in rows] == [
        ("changed", "EC40", "C40 Recharge", "EC40")]
    assert (rows[0]["before"]["status"], rows[0]["after"]["status"]) == ("launched", "launched")

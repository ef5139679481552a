"""A command refused on a new --db path leaves no database behind; one refused on an existing database keeps it."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import write

SRC = ["--source-title", "T", "--announced-on", "2024"]


def test_a_model_of_an_unregistered_brand_on_a_new_path_is_refused_and_leaves_no_file(stratlog, tmp_path):
    db = tmp_path / "new.db"
    done = stratlog("--db", str(db), "record", "model-planned", "nobrand", "X", "--planned-for", "2025", *SRC)
    assert done.code == 1 and "brand 'nobrand' is not registered" in done.err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_refused_command_in_new_folders_leaves_neither_the_file_nor_the_folders(stratlog, tmp_path):
    done = stratlog("--db", str(tmp_path / "a" / "b" / "new.db"), "retract", "0badc0de0badc0de", "--reason", "x")
    assert done.code == 1 and "no statement has an id starting with '0badc0de0badc0de'" in done.err
    assert not (tmp_path / "a").exists()


def test_a_refused_import_and_a_correction_with_nothing_to_correct_leave_no_file(stratlog, tmp_path):
    bad = write(tmp_path, "bad.yaml", "- {kind: target-revised, brand: acme, kpi: sales, deadline: 2030, value: 5, "
                                      "announced_on: 2024, source: {title: T}}\n")
    db = tmp_path / "new.db"
    assert stratlog("--db", str(db), "import", bad).code == 1
    corrected = stratlog("--db", str(db), "correct", "0badc0de0badc0de")
    assert corrected.code == 2 and "nothing to correct" in corrected.err
    assert not any(p.name.startswith("new.db") for p in tmp_path.iterdir())


def test_an_accepted_first_command_keeps_its_new_database(stratlog, tmp_path):
    db = str(tmp_path / "new.db")
    assert stratlog("--db", db, "record", "brand-registered", "acme", "--name", "Acme").code == 0
    refused = stratlog("--db", db, "record", "model-planned", "nobrand", "X", "--planned-for", "2025", *SRC)
    assert refused.code == 1 and Path(db).exists()
    assert stratlog("--db", db, "events", "--json").out.count('"statement_id"') == 1


def test_an_empty_file_the_user_named_is_not_removed_by_a_refused_command(stratlog, tmp_path):
    db = tmp_path / "empty.db"
    db.touch()
    refused = stratlog("--db", str(db), "record", "model-planned", "nobrand", "X", "--planned-for", "2025", *SRC)
    assert refused.code == 1 and db.exists()

"""Shell completion offers the database's brands, KPIs, models and statement ids, and never writes or fails loudly.

Driven as bash drives it: click's _STRATLOG_COMPLETE=bash_complete with COMP_WORDS and COMP_CWORD,
in a real process.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ALPINE


def complete(words: str, cwd: Path) -> tuple[list[str], str]:
    """The candidates bash would be offered for the last word of `words` (a trailing space: an empty word)."""
    parts = words.split(" ")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRATLOG_")}
    env.update(_STRATLOG_COMPLETE="bash_complete", COMP_WORDS=words, COMP_CWORD=str(len(parts) - 1))
    done = subprocess.run([sys.executable, "-c", "from stratlog.cli.main import main; main()"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [line.split(",", 1)[1] for line in done.stdout.splitlines() if line], done.stderr


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def stratlog_json(cwd: Path, *args: str) -> list[dict]:
    done = subprocess.run([sys.executable, "-c", "from stratlog.cli.main import main; main()", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if args[-1] == "--json" else []


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, list[dict]]:
    """The Alpine scenario, checkpointed (its log wholly in the main file), and its events."""
    work = tmp_path_factory.mktemp("built")
    stratlog_json(work, "--db", "a.db", "import", str(ALPINE))
    rows = stratlog_json(work, "--db", "a.db", "events", "--json")
    with sqlite3.connect(work / "a.db") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return work / "a.db", rows


@pytest.fixture
def ledger(built, tmp_path) -> Path:
    """A folder holding only a copy of the Alpine database (no -wal or -shm beside it)."""
    shutil.copy(built[0], tmp_path / "stratlog.db")
    return tmp_path


def test_brands_complete_as_arguments_and_as_the_brand_option(ledger):
    assert complete("stratlog state a", ledger)[0] == ["alpine"]
    assert complete("stratlog kpis --brand ", ledger)[0] == ["alpine"]
    assert complete("stratlog record model-planned ", ledger)[0] == ["alpine"]


def test_kpis_and_models_complete_for_the_brand_typed(ledger):
    assert complete("stratlog audit alpine re", ledger)[0] == ["revenue", "revenue-growth"]
    assert complete("stratlog record model-revealed alpine A", ledger)[0] == ["A110", "A110 E", "A290", "A390"]
    assert complete("stratlog record model-revealed acme A", ledger)[0] == []


def test_statement_ids_complete_for_show_correct_retract_and_like(ledger, built):
    rows = built[1]
    first = rows[0]["statement_id"]
    expected = sorted(r["statement_id"] for r in rows if r["statement_id"].startswith(first[:3]))
    for words in (f"stratlog show {first[:3]}", f"stratlog retract {first[:3]}", f"stratlog correct {first[:3]}",
                  f"stratlog record model-planned alpine X --like {first[:3]}"):
        assert sorted(complete(words, ledger)[0]) == expected


def test_completion_writes_nothing_not_even_a_journal(ledger):
    before = snapshot(ledger)
    for words in ("stratlog state ", "stratlog audit alpine ", "stratlog show 7"):
        complete(words, ledger)
    assert snapshot(ledger) == before and list(before) == ["stratlog.db"]


@pytest.mark.parametrize("db", ["missing.db", "not-a-database.db", "postgresql://ana:Sekr3t@127.0.0.1:1/x", "ftp://x"])
def test_a_database_that_cannot_be_read_gives_no_candidates_and_no_message(db, tmp_path):
    (tmp_path / "not-a-database.db").write_text("hello", encoding="utf-8")
    before = snapshot(tmp_path)
    assert complete(f"stratlog --db {db} state ", tmp_path) == ([], "")
    assert snapshot(tmp_path) == before


def test_a_statement_just_recorded_is_offered_at_once(ledger):
    stratlog_json(ledger, "record", "brand-registered", "acme", "--name", "Acme")
    assert complete("stratlog state ", ledger)[0] == ["acme", "alpine"]

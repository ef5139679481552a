"""A file that is not a stratlog database, or one from a newer stratlog, is refused untouched."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from tests.conftest import ALPINE


def digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_a_text_file_is_refused_and_left_untouched(tmp_path, stratlog):
    path = tmp_path / "notes.db"
    path.write_text("my notes, not a database\n")
    before = digest(str(path))
    result = stratlog("--db", str(path), "import", str(ALPINE))
    assert result.code == 1
    assert "is not a stratlog database" in result.err and "Traceback" not in result.err
    assert digest(str(path)) == before
    assert not Path(str(path) + "-wal").exists()


def test_another_applications_sqlite_database_is_refused_and_left_untouched(tmp_path, stratlog):
    path = str(tmp_path / "other.db")
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.close()
    before = digest(path)
    result = stratlog("--db", path, "record", "brand-registered", "acme", "--name", "Acme")
    assert result.code == 1
    assert "not a stratlog one" in result.err and "invoices" in result.err
    assert digest(path) == before


def test_a_database_written_by_a_newer_stratlog_is_refused(alpine_db, stratlog):
    with sqlite3.connect(alpine_db) as conn:
        conn.execute("UPDATE stratlog_meta SET value='99' WHERE key='format_version'")
    conn.close()
    result = stratlog("--db", alpine_db, "timeline", "--brand", "alpine")
    assert result.code == 1
    assert "newer stratlog" in result.err


def test_a_query_on_a_missing_database_says_how_to_create_one_and_creates_nothing(tmp_path, stratlog):
    path = tmp_path / "missing.db"
    result = stratlog("--db", str(path), "kpis")
    assert result.code == 1
    assert "no stratlog database" in result.err and "stratlog demo" in result.err
    assert not path.exists()

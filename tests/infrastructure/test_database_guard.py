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


def test_a_wal_left_by_a_killed_writer_is_read_even_when_read_only_cannot_recover_it(alpine_db, monkeypatch):
    import sqlite3 as sqlite

    from stratlog.infrastructure import sqlite_guard
    original, uris = sqlite_guard._read_format, []

    def read_only_cannot_recover(uri, path):
        uris.append(uri)
        if uri.endswith("mode=ro"):
            raise sqlite.OperationalError("attempt to write a readonly database")
        return original(uri, path)

    monkeypatch.setattr(sqlite_guard, "_read_format", read_only_cannot_recover)
    before = digest(alpine_db)
    assert sqlite_guard.check_database_file(alpine_db) is False
    assert len(uris) == 2 and not uris[1].endswith("mode=ro")
    assert digest(alpine_db) == before

"""A --db file that is not a usable stratlog database is refused by every command and left as it was."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import ALPINE

COMMANDS = [["import", str(ALPINE)], ["record", "brand-registered", "acme", "--name", "Acme"],
            ["timeline"], ["projections", "rebuild"], ["export"]]


def digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def assert_refused_untouched(stratlog, path: str, message: str) -> None:
    before = digest(path)
    for command in COMMANDS:
        result = stratlog("--db", path, *command)
        assert result.code == 1, (command, result.err)
        assert message in result.err and "Traceback" not in result.err, (command, result.err)
        assert digest(path) == before, command


def test_binary_junk_is_refused_by_every_command_and_left_untouched(tmp_path, stratlog):
    path = tmp_path / "photo.db"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    assert_refused_untouched(stratlog, str(path), "is not a stratlog database (not an SQLite file); it was not touched")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photo.db"]


def test_an_sqlite_header_followed_by_junk_is_refused_untouched(tmp_path, stratlog):
    path = tmp_path / "fake.db"
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40)
    assert_refused_untouched(stratlog, str(path), "is not a readable stratlog database (file is not a database)")


def test_a_stratlog_database_cut_in_half_is_refused_untouched(alpine_db, stratlog):
    os.truncate(alpine_db, os.path.getsize(alpine_db) // 2)
    assert_refused_untouched(stratlog, alpine_db, "is not a readable stratlog database (database disk image is malformed)")


def test_a_database_written_by_a_newer_stratlog_is_refused_by_every_command_untouched(alpine_db, stratlog):
    with sqlite3.connect(alpine_db) as conn:
        conn.execute("UPDATE stratlog_meta SET value='99' WHERE key='format_version'")
    conn.close()
    assert_refused_untouched(stratlog, alpine_db, "was written by a newer stratlog (format 99")


def test_a_folder_given_as_the_database_is_refused(tmp_path, stratlog):
    folder = tmp_path / "db-folder"
    folder.mkdir()
    for command in COMMANDS:
        result = stratlog("--db", str(folder), *command)
        assert result.code == 1 and "is a folder, not a database file" in result.err, (command, result.err)
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("command", COMMANDS[2:], ids=lambda c: c[0])
def test_a_command_that_only_reads_creates_no_database(tmp_path, stratlog, command):
    path = tmp_path / "missing.db"
    result = stratlog("--db", str(path), *command)
    assert result.code == 1 and "no stratlog database" in result.err
    assert not path.exists()

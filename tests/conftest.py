"""Fixtures shared by every layer: a database file per test and a way to run the CLI in process."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ALPINE = ROOT / "examples" / "alpine-2023-06.yaml"


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A fresh database path of this test's own."""
    return str(tmp_path / "stratlog.db")


@pytest.fixture
def stratlog(capsys, monkeypatch, tmp_path):
    """Run `stratlog ARGS…` in this process; returns exit code, stdout and stderr."""
    from stratlog.cli.main import run

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STRATLOG_DB", raising=False)

    def invoke(*args: str) -> Result:
        capsys.readouterr()
        code = run(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def alpine_db(db, stratlog) -> str:
    """A database holding the bundled Alpine scenario."""
    assert stratlog("--db", db, "import", str(ALPINE)).code == 0
    return db


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def copy_fixture(name: str, tmp_path: Path) -> str:
    target = tmp_path / name
    shutil.copy(ROOT / "tests" / "fixtures" / name, target)
    return str(target)

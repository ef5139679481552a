"""Team mode's default read model lives in the user's cache folder as platformdirs places it, named without the password."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from stratlog.infrastructure.config import settings

URL = "postgresql://ana:Sekr3t@db.example.com/ledger"


def test_the_default_read_model_is_in_the_platforms_user_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("STRATLOG_READ_MODEL", raising=False)
    read_model = Path(settings(URL).read_model)
    assert read_model.parent == Path(platformdirs.user_cache_dir("stratlog", appauthor=False))
    assert read_model.parent.is_relative_to(tmp_path)
    assert read_model.name.startswith("ana-db-example-com-5432-ledger-") and "Sekr3t" not in str(read_model)


def test_xdg_cache_home_still_chooses_the_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("STRATLOG_READ_MODEL", raising=False)
    assert Path(settings(URL).read_model).parent == tmp_path / "cache" / "stratlog"

"""--db targets with a URL scheme are URLs, parsed and never taken for file paths (DESIGN §9 r2)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stratlog.domain.errors import InvalidInput
from stratlog.infrastructure.config import parse_url, settings, shown

UNREACHABLE = "127.0.0.1:1"  # nothing listens on port 1: the connection is refused at once
SECRETS = ["Sekr3t/x", "Sekr3t@x", "Sekr3t:x", "Sekr3t#x", "Se/kr@3t:x#y", "Sekr3t%2Fx"]


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """A private user cache folder (where team mode keeps its default read model)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.delenv("STRATLOG_READ_MODEL", raising=False)
    return folder


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("url", ["POSTGRESQL://ana@db.example.com/ledger", "  postgresql://ana@db.example.com/ledger",
                                 "postgresql+psycopg://ana@db.example.com/ledger", "Postgres://ana@db.example.com/ledger",
                                 "postgresql+PSYCOPG://ana@db.example.com:5432/ledger"])
def test_any_spelling_of_a_postgresql_scheme_selects_team_mode(url, cache):
    chosen = settings(url)
    assert chosen.team_mode
    assert chosen.address.url == "postgresql://ana@db.example.com:5432/ledger"
    assert Path(chosen.read_model).parent == cache / "stratlog"


@pytest.mark.parametrize("url", ["POSTGRESQL://postgres@127.0.0.1:1/ledger", " postgresql://postgres@127.0.0.1:1/ledger",
                                 "postgresql+psycopg://postgres@127.0.0.1:1/ledger"])
def test_a_record_to_an_unreachable_server_in_any_spelling_fails_and_creates_nothing_here(url, stratlog, tmp_path,
                                                                                          cache):
    done = stratlog("--db", url, "record", "brand-registered", "acme", "--name", "Acme")
    assert done.code == 1 and "cannot connect to the event store postgresql://postgres@127.0.0.1:1/ledger" in done.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache"]  # no folder named after the URL


@pytest.mark.parametrize("url, scheme", [("mysql://root:Sekr3t@db/ledger", "mysql"), ("sqlite:///x.db", "sqlite"),
                                         ("HTTP://example.com/ledger.db", "http"), (" s3://bucket/x.db", "s3")])
def test_any_other_scheme_is_refused_as_bad_input_and_nothing_is_created(url, scheme, stratlog, tmp_path, cache):
    done = stratlog("--db", url, "record", "brand-registered", "acme", "--name", "Acme")
    assert done.code == 2
    assert f"the scheme {scheme}:// is not supported; team mode takes postgresql://user:password@host:port/dbname" \
        in done.err
    assert "Sekr3t" not in done.err and "Traceback" not in done.err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_an_unsupported_scheme_in_the_environment_is_refused_naming_the_variable(stratlog, tmp_path, monkeypatch):
    monkeypatch.setenv("STRATLOG_DB", "mongodb://ana:Sekr3t@h/ledger")
    done = stratlog("events")
    assert done.code == 2 and "STRATLOG_DB: 'mongodb://ana:***@h/ledger': the scheme mongodb:// is not supported" \
        in done.err


@pytest.mark.parametrize("secret", SECRETS)
def test_a_password_with_special_characters_is_read_whole(secret):
    address = parse_url(f"postgresql://ana:{secret}@db.example.com:6543/ledger")
    expected = secret.replace("%2F", "/")
    assert (address.user, address.password, address.host, address.port, address.dbname) == (
        "ana", expected, "db.example.com", 6543, "ledger")


@pytest.mark.parametrize("secret", SECRETS)
def test_a_password_never_reaches_a_message_a_file_name_or_a_file(secret, stratlog, cache):
    url = f"postgresql://postgres:{secret}@{UNREACHABLE}/ledger"
    done = stratlog("--db", url, "record", "brand-registered", "acme", "--name", "Acme")
    assert done.code == 1 and "cannot connect to the event store postgresql://postgres@127.0.0.1:1/ledger" in done.err
    written = files_under(cache)
    assert written, "team mode made its read model in the cache folder"
    for word in {secret, secret.replace("%2F", "/"), "Sekr3t", "kr@3t"}:
        assert word not in done.out + done.err
        assert all(word not in str(path) and word.encode() not in path.read_bytes() for path in written)


@pytest.mark.parametrize("url", ["postgresql://ana:Sekr3t/x@db", "postgresql://ana:Sekr3t@db:99999/ledger",
                                 "postgresql://ana:Sekr3t@db/", "postgresql://ana:Sekr3t?x@db",
                                 "postgresql://ana:Sekr3t@db/ledger/more"])
def test_a_malformed_url_is_refused_without_its_password(url):
    with pytest.raises(InvalidInput) as refused:
        parse_url(url)
    assert "Sekr3t" not in str(refused.value) and "ana:***@" in str(refused.value)


def test_the_default_read_model_is_named_after_the_url_without_its_password(cache):
    with_password = settings("postgresql://ana:Sekr3t@db.example.com/ledger").read_model
    without = settings("postgresql://ana@db.example.com:5432/ledger").read_model
    assert with_password == without
    assert "Sekr3t" not in with_password and os.path.basename(with_password).startswith("ana-db-example-com-5432-ledger-")


def test_a_url_given_as_the_read_model_is_refused(stratlog, tmp_path):
    done = stratlog("--db", "postgresql://ana@db/ledger", "--read-model", "postgresql://ana:Sekr3t@db/other", "events")
    assert done.code == 2
    assert "--read-model 'postgresql://ana:***@db/other': the read model is a local SQLite file, not a URL" in done.err


def test_a_target_is_shown_without_its_password():
    assert shown("postgresql://ana:Se/kr@3t@db/ledger") == "postgresql://ana:***@db/ledger"
    assert shown(" POSTGRES://ana@db/ledger") == "POSTGRES://ana@db/ledger"
    assert shown("folder/ledger.db") == "folder/ledger.db"


@pytest.mark.parametrize("url", ["postgresql:postgres:s3cret@127.0.0.1:5432/ledger", "postgres:s3cret@db/ledger",
                                 "PostgreSQL:s3cret.db", "postgresql//postgres:s3cret@db/ledger",
                                 "postgresql+psycopg:s3cret@db/ledger"])
def test_a_team_url_without_its_slashes_is_refused_and_never_becomes_folders(url, stratlog, tmp_path, cache):
    done = stratlog("--db", url, "record", "brand-registered", "acme", "--name", "Acme")

    assert done.code == 2 and "looks like a team-mode URL without its '://'" in done.err
    assert "s3cret" not in done.err + done.out
    assert list(tmp_path.iterdir()) == [] or all(p.name == "cache" for p in tmp_path.iterdir())


def test_a_file_whose_name_starts_like_a_scheme_is_still_a_file():
    assert settings("postgres-history.db").team_mode is False


def test_without_the_postgresql_libraries_a_team_url_is_refused_before_any_file_is_made(stratlog, cache, monkeypatch):
    import stratlog.infrastructure.postgres_store as store
    monkeypatch.setattr(store, "PostgresApplicationRecorder", None)

    done = stratlog("--db", "postgresql://postgres@127.0.0.1:5432/ledger", "timeline")

    assert done.code == 1 and "needs the PostgreSQL libraries" in done.err
    assert files_under(cache) == []

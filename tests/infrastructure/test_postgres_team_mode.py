"""Team mode on a real PostgreSQL server: the Alpine scenario, writers at once, and the same answers as SQLite.

Each test that needs the server gets a fresh database on 127.0.0.1:5432 (user postgres, trust auth),
dropped afterwards. Without a reachable server these tests skip with the reason, except under CI
(CI=true), where a missing server fails the run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
import uuid
from pathlib import Path

import pytest
import yaml

from stratlog.domain.errors import InvalidInput
from stratlog.infrastructure.postgres_store import parse_url, postgres_env

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "alpine-2023-06.yaml"
STRATLOG = Path(sys.executable).with_name("stratlog")  # cli/main.py has no __main__ guard
SERVER = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
AS_OF = "2023-06-30"


# -- fixtures -----------------------------------------------------------------------------------
def _admin_connection():
    """An autocommit connection to the server's `postgres` database, or skip (fail under CI) with the reason."""
    try:
        import psycopg
        import eventsourcing.postgres  # noqa: F401  (needs psycopg_pool too: the `postgres` extra)
    except ImportError as missing:
        _no_server(f"the PostgreSQL libraries are not installed ({missing}); pip install '.[postgres]'")
    try:
        return psycopg.connect(**SERVER, dbname="postgres", connect_timeout=3, autocommit=True)
    except psycopg.Error as error:
        _no_server(f"no PostgreSQL server on {SERVER['host']}:{SERVER['port']} ({error})")


def _no_server(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI needs the PostgreSQL server: {reason}")
    pytest.skip(reason)


@pytest.fixture
def server():
    connection = _admin_connection()
    yield connection
    connection.close()


@pytest.fixture
def database_url(server):
    """A fresh, empty database for this test only, as a postgresql:// URL; dropped afterwards."""
    from psycopg import sql
    name = f"stratlog_test_{uuid.uuid4().hex[:12]}"
    server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield f"postgresql://{SERVER['user']}@{SERVER['host']}:{SERVER['port']}/{name}"
    server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def env(tmp_path):
    """The process environment for stratlog: no inherited --db, a private user cache folder."""
    clean = {k: v for k, v in os.environ.items() if k not in ("STRATLOG_DB", "STRATLOG_READ_MODEL")}
    return {**clean, "XDG_CACHE_HOME": str(tmp_path / "cache")}


def _connect(url: str):
    import psycopg
    address = parse_url(url)
    return psycopg.connect(host=address.host, port=address.port, user=address.user, dbname=address.dbname)


def run_stratlog(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(STRATLOG), *args], capture_output=True, text=True, env=env, timeout=120)


def answers(env: dict, *where: str) -> dict:
    """Every query's JSON answer for alpine, without the clocks of recording (they differ between databases)."""
    queries = {
        "timeline": ["timeline", "--brand", "alpine", "--as-of", AS_OF],
        "kpis": ["kpis", "--brand", "alpine", "--as-of", AS_OF],
        "audit": ["audit", "alpine", "--as-of", AS_OF],
        "state": ["state", "alpine", "--as-of", AS_OF],
        "events": ["events", "--brand", "alpine"],
    }
    result = {}
    for name, command in queries.items():
        done = run_stratlog(env, *where, *command, "--json")
        assert done.returncode == 0, done.stderr
        result[name] = _without_recording_clock(json.loads(done.stdout))
    result["events"] = sorted(result["events"], key=lambda row: row["statement_id"])
    return result


def _without_recording_clock(value):
    if isinstance(value, dict):
        return {k: _without_recording_clock(v) for k, v in value.items() if k not in ("recorded_at", "position")}
    if isinstance(value, list):
        return [_without_recording_clock(v) for v in value]
    return value


def split_alpine(folder: Path) -> tuple[Path, Path]:
    """The Alpine scenario as two files, both registering the brand: its models, and everything else."""
    document = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    registered = [s for s in document["statements"] if s["kind"] == "brand-registered"]
    models = [s for s in document["statements"] if s["kind"].startswith("model-")]
    rest = [s for s in document["statements"] if s not in models and s not in registered]
    files = []
    for name, statements in (("models.yaml", models), ("brand.yaml", rest)):
        path = folder / name
        path.write_text(yaml.safe_dump({"defaults": document["defaults"], "statements": registered + statements},
                                       allow_unicode=True, sort_keys=False), encoding="utf-8")
        files.append(path)
    return files[0], files[1]


# -- the URL and the install (no server needed) -------------------------------------------------
def test_a_postgresql_url_becomes_the_eventsourcing_postgres_settings():
    pytest.importorskip("eventsourcing.postgres")
    settings = postgres_env("postgresql://ana%20lyst:p%40ss:w@db.example.com:6543/strat%2Dlog")
    assert settings["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
    assert (settings["POSTGRES_USER"], settings["POSTGRES_PASSWORD"]) == ("ana lyst", "p@ss:w")
    assert (settings["POSTGRES_HOST"], settings["POSTGRES_PORT"], settings["POSTGRES_DBNAME"]) == (
        "db.example.com", "6543", "strat-log")
    assert settings["POSTGRES_CONNECT_TIMEOUT"] == "5" and settings["CREATE_TABLE"] == "yes"


def test_a_url_without_port_or_user_uses_5432_and_postgres_and_shows_no_password():
    address = parse_url("postgres://:secret@127.0.0.1/ledger")
    assert (address.port, address.user, address.password) == (5432, "postgres", "secret")
    assert address.url == "postgresql://postgres@127.0.0.1:5432/ledger"


@pytest.mark.parametrize("url, words", [
    ("postgresql://127.0.0.1:5432/", "names no database"),
    ("postgresql://127.0.0.1:99999/ledger", "port"),
    ("postgresql://127.0.0.1/ledger?sslmode=require", "sslmode=require"),
])
def test_a_malformed_url_is_refused_naming_the_problem(url, words):
    with pytest.raises(InvalidInput, match=words):
        parse_url(url)


def test_sqlite_users_install_no_postgresql_libraries_unless_they_ask_for_the_extra():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not [d for d in project["dependencies"] if "psycopg" in d or "[postgres]" in d]
    extra = " ".join(project["optional-dependencies"]["postgres"])
    assert "eventsourcing[postgres]" in extra and "psycopg[binary]" in extra


def test_team_mode_without_the_extra_says_how_to_install_it(tmp_path, env):
    blocked = ("import sys; sys.modules['psycopg'] = sys.modules['psycopg_pool'] = None; "
               "from stratlog.cli.main import main; main(sys.argv[1:])")
    done = subprocess.run([sys.executable, "-c", blocked, "--db", "postgresql://postgres@127.0.0.1/ledger",
                           "--read-model", str(tmp_path / "rm.db"), "import", str(EXAMPLE)],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert "pip install 'stratlog[postgres]'" in done.stderr and "Traceback" not in done.stderr


# -- environment failures: a message and exit 1, never a traceback ------------------------------
def test_an_unreachable_server_is_refused_with_a_message_that_hides_the_password(tmp_path, env):
    url = "postgresql://postgres:s3cret-pw@127.0.0.1:1/ledger"
    done = run_stratlog(env, "--db", url, "--read-model", str(tmp_path / "rm.db"), "import", str(EXAMPLE))
    assert done.returncode == 1
    assert "cannot connect to the event store postgresql://postgres@127.0.0.1:1/ledger" in done.stderr
    assert "Connection refused" in done.stderr
    assert "Traceback" not in done.stderr and "s3cret-pw" not in done.stderr + done.stdout


def test_an_unknown_role_is_refused_with_a_message(server, tmp_path, env):
    url = f"postgresql://no_such_analyst@{SERVER['host']}:{SERVER['port']}/postgres"
    done = run_stratlog(env, "--db", url, "--read-model", str(tmp_path / "rm.db"), "kpis", "--brand", "alpine")
    assert done.returncode == 1
    assert 'role "no_such_analyst" does not exist. Check the user and password in the URL.' in done.stderr
    assert "Traceback" not in done.stderr


# -- the shared log ------------------------------------------------------------------------------
def test_the_alpine_scenario_in_postgresql_answers_exactly_as_in_sqlite(database_url, tmp_path, env):
    team = ["--db", database_url, "--read-model", str(tmp_path / "analyst.db")]
    solo = ["--db", str(tmp_path / "solo.db")]
    for where in (team, solo):
        done = run_stratlog(env, *where, "import", str(EXAMPLE))
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("18 new statements, 0 already recorded")

    assert answers(env, *team) == answers(env, *solo)
    again = run_stratlog(env, *team, "import", str(EXAMPLE))
    assert again.stdout.startswith("0 new statements, 18 already recorded")
    verified = run_stratlog(env, *team, "projections", "verify")
    assert verified.returncode == 0 and "OK: the read model equals the fold." in verified.stdout
    with _connect(database_url) as conn:
        assert conn.execute("SELECT COUNT(*) FROM stratlog_events").fetchone()[0] == 18


def test_the_demo_in_team_mode_prints_what_it_prints_in_sqlite_mode(database_url, tmp_path, env):
    team = run_stratlog(env, "--db", database_url, "--read-model", str(tmp_path / "analyst.db"), "demo")
    solo = run_stratlog(env, "--db", str(tmp_path / "solo.db"), "demo")
    assert team.returncode == solo.returncode == 0, team.stderr + solo.stderr
    assert "18 new statements" in team.stdout
    assert _answer_lines(team.stdout) == _answer_lines(solo.stdout)


def _answer_lines(output: str) -> list[str]:
    """The demo's output without the lines that name the database."""
    return [line for line in output.splitlines() if not line.startswith(("Loaded", "Next:"))]


def test_two_analysts_writing_at_once_keep_every_statement_and_agree_with_sqlite(database_url, tmp_path, env):
    models, brand = split_alpine(tmp_path)
    writers = [subprocess.Popen([str(STRATLOG), "--db", database_url, "--read-model", str(tmp_path / f"{name}.db"),
                                 "import", str(file)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env)
               for name, file in (("ana", models), ("ben", brand))]
    outcomes = [writer.communicate(timeout=120) + (writer.returncode,) for writer in writers]
    assert [code for _, _, code in outcomes] == [0, 0], [err for _, err, _ in outcomes]
    assert sorted(int(out.split()[0]) for out, _, _ in outcomes) in ([7, 11], [6, 12])  # one of them registered alpine

    solo = ["--db", str(tmp_path / "solo.db")]
    assert run_stratlog(env, *solo, "import", str(models), str(brand)).returncode == 0
    expected = answers(env, *solo)
    for reader in ("ana", "ben", "cleo"):  # both writers' read models, and a new analyst's
        assert answers(env, "--db", database_url, "--read-model", str(tmp_path / f"{reader}.db")) == expected


def test_concurrent_writers_on_one_brand_lose_no_statement(database_url, tmp_path, env):
    """Four analysts report figures of the same brand at once: version conflicts are retried, none is lost."""
    assert run_stratlog(env, "--db", database_url, "--read-model", str(tmp_path / "setup.db"),
                    "import", str(EXAMPLE)).returncode == 0
    commands = []
    for analyst in range(4):
        steps = [[str(STRATLOG), "--db", database_url, "--read-model", str(tmp_path / f"analyst{analyst}.db"),
                  "record", "actual-reported", "alpine", "--kpi", "annual-sales", "--period", str(2000 + 10 * analyst + i),
                  "--value", str(1000 + i), "--unit", "vehicles", "--announced-on", "2023-06",
                  "--source-title", f"analyst {analyst}"] for i in range(3)]
        commands.append(" && ".join(subprocess.list2cmdline(step) for step in steps))
    workers = [subprocess.Popen(["sh", "-c", command], stderr=subprocess.PIPE, text=True, env=env) for command in commands]
    errors = [worker.communicate(timeout=180)[1] for worker in workers]
    assert [worker.returncode for worker in workers] == [0] * 4, errors

    done = run_stratlog(env, "--db", database_url, "--read-model", str(tmp_path / "reader.db"),
                    "events", "--kind", "actual-reported", "--json")
    periods = sorted(row["period"] for row in json.loads(done.stdout))
    assert periods == sorted(str(2000 + 10 * a + i) for a in range(4) for i in range(3))


# -- one read model, one event store -------------------------------------------------------------
def test_a_read_model_of_another_database_is_refused_naming_both(database_url, server, tmp_path, env):
    from psycopg import sql
    other = f"stratlog_test_{uuid.uuid4().hex[:12]}"
    server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(other)))
    try:
        read_model = str(tmp_path / "analyst.db")
        assert run_stratlog(env, "--db", database_url, "--read-model", read_model, "import", str(EXAMPLE)).returncode == 0
        other_url = database_url.rsplit("/", 1)[0] + "/" + other
        done = run_stratlog(env, "--db", other_url, "--read-model", read_model, "kpis", "--brand", "alpine")
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert f"the read model {read_model!r} indexes {database_url}, not {other_url}" in done.stderr
        as_ledger = run_stratlog(env, "--db", read_model, "kpis", "--brand", "alpine")
        assert as_ledger.returncode == 1
        assert f"is the local read model of {database_url}, not an event store" in as_ledger.stderr
    finally:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(other)))


def test_the_default_read_model_lives_in_the_user_cache_folder(database_url, tmp_path, env):
    assert run_stratlog(env, "--db", database_url, "import", str(EXAMPLE)).returncode == 0
    cached = list((tmp_path / "cache" / "stratlog").glob("*.db"))
    assert len(cached) == 1 and database_url.rsplit("/", 1)[1].replace("_", "-") in cached[0].name
    done = run_stratlog({**env, "STRATLOG_DB": database_url}, "kpis", "--brand", "alpine", "--as-of", AS_OF, "--json")
    assert len(json.loads(done.stdout)) == 6

"""Outputs never harm what they do not own: every command that writes a file refuses the database by any route.

Each output command (export, report, replay, backup, schema) is aimed at the database it reads through
every route we know — the same path, `./path`, the absolute path, a symbolic link, a hard link, a
linked folder, the -wal/-shm/-journal files and links to them, the read model in team mode — and must
exit 2 naming the option and the path, leaving the database byte for byte as it was and verifying.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ALPINE

EXE = str(Path(sys.executable).parent / "stratlog")
STATEMENTS = 18  # in the Alpine scenario
OUTPUTS = {  # command -> (arguments before the target, the option named in the refusal)
    "export": (["export", "--out"], "--out"),
    "report": (["report", "--brand", "alpine", "--out"], "--out"),
    "replay": (["replay", "--to", "2024", "--out"], "--out"),
    "backup": (["backup"], "FILE"),
    "schema": (["schema", "--out"], "--out"),
}


@pytest.fixture
def open_db(alpine_db):
    """The Alpine database with a reader holding it open, so that its -wal and -shm files exist."""
    reader = sqlite3.connect(alpine_db)
    reader.execute("SELECT COUNT(*) FROM stored_events").fetchone()
    assert Path(alpine_db + "-wal").exists() and Path(alpine_db + "-shm").exists()
    yield alpine_db
    reader.close()


def snapshot(db: str) -> dict[str, bytes]:
    return {suffix: Path(db + suffix).read_bytes() for suffix in ("", "-wal") if Path(db + suffix).exists()}


def assert_refused_everywhere(stratlog, db: str, target: str, what: str) -> None:
    """Every output command aimed at `target` exits 2 naming the option and the path; nothing changes."""
    before = snapshot(db)
    for command, (args, option) in OUTPUTS.items():
        result = stratlog("--db", db, *args, target)
        assert result.code == 2, (command, result.out, result.err)
        assert f"Error: {option}: {target!r} is {what}" in result.err, (command, result.err)
        assert "writing there would destroy it" in result.err
    assert snapshot(db) == before
    verified = stratlog("--db", db, "projections", "verify", "--max-dates", "3")
    assert verified.code == 0 and f"decoded and validated {STATEMENTS} stored events" in verified.out, verified.err


@pytest.mark.parametrize("route", ["same path", "./path", "absolute path"])
def test_every_output_aimed_at_the_database_by_its_name_is_refused(open_db, stratlog, tmp_path, route):
    target = {"same path": "stratlog.db", "./path": "./stratlog.db", "absolute path": str(tmp_path / "stratlog.db")}
    assert_refused_everywhere(stratlog, "stratlog.db", target[route], "the database 'stratlog.db'")


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_every_output_aimed_at_a_companion_file_of_the_database_is_refused(open_db, stratlog, suffix):
    assert_refused_everywhere(stratlog, open_db, open_db + suffix, f"the {suffix} file of the database {open_db!r}")


def test_every_output_aimed_at_a_symbolic_link_to_the_database_is_refused(open_db, stratlog, tmp_path):
    (tmp_path / "link.db").symlink_to(open_db)
    assert_refused_everywhere(stratlog, open_db, "link.db", f"the database {open_db!r} (through a link)")


def test_every_output_aimed_at_a_hard_link_to_the_database_is_refused(open_db, stratlog, tmp_path):
    os.link(open_db, tmp_path / "hard.db")
    assert_refused_everywhere(stratlog, open_db, "hard.db", f"the database {open_db!r} (through a link)")


def test_every_output_aimed_at_a_hard_link_to_the_wal_file_is_refused(open_db, stratlog, tmp_path):
    os.link(open_db + "-wal", tmp_path / "wal-copy")
    assert_refused_everywhere(stratlog, open_db, "wal-copy", f"the -wal file of the database {open_db!r} (through a link)")


def test_every_output_aimed_at_the_database_through_a_linked_folder_is_refused(open_db, stratlog, tmp_path):
    (tmp_path / "elsewhere").symlink_to(tmp_path)
    assert_refused_everywhere(stratlog, open_db, "elsewhere/stratlog.db",
                              f"the database {open_db!r} (through a link)")


def test_a_database_opened_through_a_link_is_protected_under_its_real_name_too(open_db, stratlog, tmp_path):
    (tmp_path / "link.db").symlink_to(open_db)
    assert_refused_everywhere(stratlog, "link.db", open_db + "-wal", "the -wal file of the database 'link.db'")


def test_every_output_aimed_at_the_team_mode_read_model_or_its_wal_is_refused(stratlog, tmp_path):
    read_model = tmp_path / "read-model.db"
    read_model.write_bytes(b"SQLite format 3\x00 stands in for the local read model")
    url = "postgresql://analyst@127.0.0.1:1/strategy"  # never contacted: the refusal comes first
    (tmp_path / "rm-link").symlink_to(read_model)
    for target, what in ((str(read_model), "the read model"), (f"{read_model}-wal", "the -wal file of the read model"),
                         ("rm-link", "the read model")):
        for command, (args, option) in OUTPUTS.items():
            result = stratlog("--db", url, "--read-model", str(read_model), *args, target)
            assert result.code == 2 and f"{option}: {target!r} is {what} {str(read_model)!r}" in result.err, command
    assert read_model.read_bytes() == b"SQLite format 3\x00 stands in for the local read model"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["read-model.db", "rm-link"]


def test_the_default_database_is_protected_from_schema_even_without_db(alpine_db, stratlog):
    before = Path("stratlog.db").read_bytes()
    result = stratlog("schema", "--out", "stratlog.db")
    assert result.code == 2 and "--out: 'stratlog.db' is the database 'stratlog.db'" in result.err
    assert Path("stratlog.db").read_bytes() == before


def test_a_text_output_refuses_to_replace_another_sqlite_database(alpine_db, stratlog, tmp_path):
    other = tmp_path / "other.db"
    assert stratlog("--db", str(other), "import", str(ALPINE)).code == 0
    before = other.read_bytes()
    for args in (["export", "--out"], ["report", "--out"], ["schema", "--out"]):
        result = stratlog("--db", alpine_db, *args, str(other))
        assert result.code == 2 and f"--out: {str(other)!r} is a SQLite database" in result.err, args
    assert other.read_bytes() == before


def test_a_sqlite_output_refuses_to_replace_a_file_that_is_not_sqlite(alpine_db, stratlog, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    for args, option in ((["backup"], "FILE"), (["replay", "--to", "2024", "--out"], "--out")):
        result = stratlog("--db", alpine_db, *args, str(notes))
        assert result.code == 2 and f"{option}: {str(notes)!r} exists and is not a SQLite file" in result.err
    assert notes.read_text() == "my notes\n"


def test_a_dash_means_standard_output_for_text_outputs(alpine_db, stratlog):
    export = stratlog("--db", alpine_db, "export", "--out", "-")
    assert export.code == 0 and json.loads(export.out.splitlines()[-1]) == {"stratlog_export": {"statements": 18}}
    report = stratlog("--db", alpine_db, "report", "--brand", "alpine", "--out", "-")
    assert report.code == 0 and report.out.rstrip().endswith("</html>")
    schema = stratlog("schema", "--out", "-")
    assert schema.code == 0 and json.loads(schema.out)["title"] == "stratlog import file"
    assert not Path("-").exists()


def test_a_dash_is_refused_for_sqlite_outputs_with_a_message(alpine_db, stratlog):
    for args, option in ((["backup", "-"], "FILE"), (["replay", "--to", "2024", "--out", "-"], "--out")):
        result = stratlog("--db", alpine_db, *args)
        assert result.code == 2 and f"{option}: '-' (standard output) cannot receive a SQLite file" in result.err
    assert not Path("-").exists()


def test_schema_writes_its_file_with_out(stratlog, tmp_path):
    assert stratlog("schema", "--out", "schema.json").code == 0
    assert json.loads((tmp_path / "schema.json").read_text(encoding="utf-8"))["title"] == "stratlog import file"


def test_every_output_replaces_an_existing_file_whole_and_keeps_its_permissions(alpine_db, stratlog, tmp_path):
    for args, name in ((["export", "--out"], "e.jsonl"), (["report", "--brand", "alpine", "--out"], "r.html"),
                       (["replay", "--to", "2024", "--out"], "p.db"), (["backup"], "b.db"), (["schema", "--out"], "s.json")):
        assert stratlog("--db", alpine_db, *args, name).code == 0
        os.chmod(name, 0o640)
        first = Path(name).stat().st_ino
        again = stratlog("--db", alpine_db, *args, name)
        assert again.code == 0, (args, again.err)
        assert Path(name).stat().st_ino != first and Path(name).stat().st_mode & 0o777 == 0o640, name
    assert not [p.name for p in tmp_path.iterdir() if "stratlog-tmp" in p.name]
    copy = stratlog("--db", "b.db", "projections", "verify", "--max-dates", "3")
    assert copy.code == 0 and f"decoded and validated {STATEMENTS} stored events" in copy.out


def test_an_output_through_a_symbolic_link_replaces_the_file_it_points_to(alpine_db, stratlog, tmp_path):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "latest.html").write_text("old report")
    (tmp_path / "latest.html").symlink_to(tmp_path / "reports" / "latest.html")
    assert stratlog("--db", alpine_db, "report", "--brand", "alpine", "--out", "latest.html").code == 0
    assert (tmp_path / "latest.html").is_symlink()
    assert (tmp_path / "reports" / "latest.html").read_text(encoding="utf-8").rstrip().endswith("</html>")


def test_export_under_the_c_locale_writes_utf8_and_round_trips_french_text(db, stratlog, tmp_path):
    name = "Automobiles Alpine — société"
    assert stratlog("--db", db, "record", "brand-registered", "alpine", "--name", name).code == 0
    env = {**{k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "LANG")},
           "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}
    to_stdout = subprocess.run([EXE, "--db", db, "export"], capture_output=True, env=env, timeout=60)
    assert to_stdout.returncode == 0 and b"Traceback" not in to_stdout.stderr, to_stdout.stderr
    assert name in to_stdout.stdout.decode("utf-8")
    to_file = subprocess.run([EXE, "--db", db, "export", "--out", "c.jsonl"], capture_output=True, env=env,
                             cwd=tmp_path, timeout=60)
    assert to_file.returncode == 0 and (tmp_path / "c.jsonl").read_bytes() == to_stdout.stdout
    copy = str(tmp_path / "copy.db")
    assert stratlog("--db", copy, "import", str(tmp_path / "c.jsonl")).code == 0
    assert json.loads(stratlog("--db", copy, "state", "alpine", "--json").out)["name"] == name


def test_a_pipe_is_written_as_a_stream_and_stays_a_pipe(alpine_db, stratlog, tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    reader = subprocess.Popen(["cat", str(pipe)], stdout=subprocess.PIPE)
    try:
        assert stratlog("--db", alpine_db, "export", "--out", str(pipe)).code == 0
        received = reader.communicate(timeout=60)[0].decode("utf-8").splitlines()
    finally:
        reader.kill()
    assert json.loads(received[-1]) == {"stratlog_export": {"statements": STATEMENTS}}
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    refused = stratlog("--db", alpine_db, "backup", str(pipe))
    assert refused.code == 2 and f"FILE: {str(pipe)!r} is a pipe or a device" in refused.err
    assert stat.S_ISFIFO(pipe.stat().st_mode)


def test_a_folder_or_a_missing_folder_is_refused_naming_the_option(alpine_db, stratlog, tmp_path):
    folder = stratlog("--db", alpine_db, "export", "--out", str(tmp_path))
    assert folder.code == 2 and f"--out: {str(tmp_path)!r} is a folder" in folder.err
    missing = stratlog("--db", alpine_db, "backup", "nowhere/copy.db")
    assert missing.code == 2 and "FILE: the folder of 'nowhere/copy.db' does not exist" in missing.err


@pytest.mark.parametrize("kind", ["text", "sqlite"])
def test_a_command_failing_half_way_keeps_the_previous_file_and_leaves_no_temporary(tmp_path, kind):
    from stratlog.infrastructure.config import settings
    from stratlog.infrastructure.outputs import output_target, sqlite_output, text_output
    target = tmp_path / "out"
    if kind == "text":
        target.write_text("previous\n")
    else:
        sqlite3.connect(target).execute("CREATE TABLE previous (x)").connection.close()
    before = target.read_bytes()
    output = output_target(str(target), "--out", settings(str(tmp_path / "stratlog.db")), sqlite=kind == "sqlite")
    with pytest.raises(KeyboardInterrupt):
        with (text_output if kind == "text" else sqlite_output)(output) as written:
            if kind == "text":
                written.write("half of the new file")
            else:
                sqlite3.connect(written).execute("CREATE TABLE half (x)").connection.close()
            raise KeyboardInterrupt
    assert target.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["out"]


def test_temporaries_of_killed_runs_are_removed_by_the_next_output_to_the_same_file(alpine_db, stratlog, tmp_path):
    dead = subprocess.Popen(["true"])
    dead.wait()  # its pid now names no process
    abandoned = tmp_path / f".copy.db.{dead.pid}-0a1b2c3d.stratlog-tmp"
    running = tmp_path / f".copy.db.{os.getpid()}-0a1b2c3d.stratlog-tmp"
    other = tmp_path / f".other.db.{dead.pid}-0a1b2c3d.stratlog-tmp"
    for path in (abandoned, Path(f"{abandoned}-journal"), running, other):
        path.write_bytes(b"half a file")
    assert stratlog("--db", alpine_db, "backup", "copy.db").code == 0
    assert not abandoned.exists() and not Path(f"{abandoned}-journal").exists()
    assert running.exists() and other.exists(), "a temporary of a live process or of another file was removed"


@pytest.mark.parametrize("command", ["replay", "backup"])
def test_a_sqlite_output_never_replaces_another_stratlog_ledger(alpine_db, stratlog, tmp_path, command):
    other = str(tmp_path / "other.db")
    assert stratlog("--db", other, "import", str(ALPINE)).code == 0
    before = Path(other).read_bytes()
    args, option = OUTPUTS[command]

    result = stratlog("--db", alpine_db, *args, other)

    assert result.code == 2 and f"{option}: {other!r} is a stratlog database that is not an earlier copy" in result.err
    assert Path(other).read_bytes() == before
    assert stratlog("--db", other, "projections", "verify", "--max-dates", "2").code == 0


def test_a_backup_replaces_an_earlier_backup_of_the_same_ledger(alpine_db, stratlog, tmp_path):
    copy = str(tmp_path / "copy.db")
    assert stratlog("--db", alpine_db, "backup", copy).code == 0
    stratlog("--db", alpine_db, "record", "brand-registered", "acme", "--name", "Acme")

    assert stratlog("--db", alpine_db, "backup", copy).code == 0
    assert "acme" in stratlog("--db", copy, "events", "--format", "csv").out


@pytest.mark.parametrize("command", sorted(OUTPUTS))
def test_an_empty_output_name_is_bad_input_naming_the_option(alpine_db, stratlog, command):
    args, option = OUTPUTS[command]

    result = stratlog("--db", alpine_db, *args, "")

    assert result.code == 2 and f"{option}: the file name is empty" in result.err

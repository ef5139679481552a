"""An output killed with SIGKILL at any moment leaves the previous file or the complete new one, never a part.

A database of a few thousand statements makes every output take a while. Each command is started over a
previous output, watched through /proc until it has its temporary open, and killed there and at later
moments; after every kill the destination must be byte for byte the old file or a complete new one.
A killed export leaves no temporary at all (its temporary has no name until it is complete); a killed
backup or replay may leave its hidden `.NAME.PID-….stratlog-tmp` (SQLite needs a name), which the next
run removes.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="watches the writer through /proc")

EXE = str(Path(sys.executable).parent / "stratlog")
BRANDS, MODELS = 10, 300
TOTAL = BRANDS * (MODELS + 1)
NOTE = "A long remark, so that the export is large enough to be killed half-way through writing it. " * 10
WAIT_SECONDS = 90
KILLS = 4  # moments per command: when its temporary opens, then every STEP CPU seconds after
STEP = 0.04


@pytest.fixture(scope="module")
def big_db(tmp_path_factory) -> str:
    """A database of TOTAL statements (brands and their planned models, with long notes)."""
    folder = tmp_path_factory.mktemp("big")
    lines = []
    for b in range(BRANDS):
        lines.append({"kind": "brand-registered", "brand": f"brand-{b}", "name": f"Brand {b} — société"})
        lines.extend({"kind": "model-planned", "brand": f"brand-{b}", "model": f"M{i}", "planned_for": str(2025 + i % 5),
                      "announced_on": f"{2015 + i % 9}-{1 + i % 12:02d}", "source": {"title": "Synthetic"},
                      "note": NOTE} for i in range(MODELS))
    (folder / "big.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    db = str(folder / "big.db")
    done = subprocess.run([EXE, "--db", db, "import", str(folder / "big.jsonl")], capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return db


class Writer:
    """A stratlog output command running as a subprocess, watched through /proc."""

    def __init__(self, db: str, args: list[str], folder: Path, log: Path):
        self.folder, self.log = folder, log
        with log.open("wb") as err:
            self.process = subprocess.Popen([EXE, "--db", db, *args], stdout=subprocess.DEVNULL, stderr=err)

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def output_files(self) -> list[tuple[str, int]]:
        """(where, size) of the files it has open in the output folder (an unnamed one reads '#… (deleted)')."""
        found = []
        for fd in Path(f"/proc/{self.process.pid}/fd").iterdir():
            try:
                where = os.readlink(fd)
                if where.startswith(f"{self.folder}/"):
                    found.append((where, os.stat(fd).st_size))
            except OSError:
                continue  # closed meanwhile
        return found

    def freeze_when(self, condition) -> bool:
        """Poll (bounded) until the condition holds, then SIGSTOP it; False if it finished first."""
        deadline = time.monotonic() + WAIT_SECONDS
        while self.process.poll() is None:
            try:
                if condition():
                    self.process.send_signal(signal.SIGSTOP)
                    return True
            except (FileNotFoundError, ProcessLookupError):
                pass  # the process ended between poll() and /proc
            assert time.monotonic() < deadline, "the output never reached the awaited moment"
            time.sleep(0.001)
        assert self.process.returncode == 0, self.log.read_text(errors="replace")
        return False

    def kill(self) -> bool:
        """SIGKILL; False if it had finished already (it may end between a poll and the signal)."""
        self.process.send_signal(signal.SIGKILL)
        code = self.process.wait(timeout=30)
        assert code in (0, -signal.SIGKILL), self.log.read_text(errors="replace")
        return code == -signal.SIGKILL


def run_to_the_end(db: str, args: list[str]) -> None:
    done = subprocess.run([EXE, "--db", db, *args], capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr


def complete_export(path: Path) -> bool:
    lines = path.read_text(encoding="utf-8").splitlines()
    return len(lines) == TOTAL + 1 and json.loads(lines[-1]) == {"stratlog_export": {"statements": TOTAL}}


def complete_sqlite(table: str, rows: int):
    def check(path: Path) -> bool:
        with sqlite3.connect(f"file:{path}?immutable=1", uri=True) as conn:
            whole = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            return whole and conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == rows
    return check


COMMANDS = {  # name -> (arguments before the target, file name, is it a complete new file?)
    "export": (["export", "--out"], "backup.jsonl", complete_export),
    "report": (["report", "--brand", "brand-9", "--out"], "report.html",
               lambda p: p.read_text(encoding="utf-8").rstrip().endswith("</html>") and "Brand 9" in p.read_text()),
    "backup": (["backup"], "copy.db", complete_sqlite("stored_events", TOTAL)),
    "replay": (["replay", "--to", "2030", "--out"], "replay.db", complete_sqlite("timeline", TOTAL - BRANDS)),
}


def previous_output(alpine_db: str, command: str, target: Path, big_db: str = "") -> bytes:
    """An earlier output to be kept or replaced whole: a text, the same command's file from a small database,
    or (a backup, which only ever replaces an earlier copy of the same ledger) a backup of the big one."""
    if command in ("export", "report"):
        target.write_text("an earlier output\n")
    else:
        run_to_the_end(big_db if command == "backup" else alpine_db, [*COMMANDS[command][0], str(target)])
    return target.read_bytes()


def leftovers(folder: Path, name: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != name)


def test_an_export_killed_while_writing_leaves_the_previous_file_and_no_temporary(big_db, alpine_db, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "backup.jsonl"
    old = previous_output(alpine_db, "export", target)
    writer = Writer(big_db, ["export", "--out", str(target)], folder, tmp_path / "export.err")
    assert writer.freeze_when(lambda: any("(deleted)" in where and size > 0 for where, size in writer.output_files())), \
        "the export ended before it was seen writing"
    assert target.read_bytes() == old and leftovers(folder, target.name) == []
    assert writer.kill()
    assert target.read_bytes() == old
    assert leftovers(folder, target.name) == [], "a killed export left a temporary behind"
    run_to_the_end(big_db, ["export", "--out", str(target)])
    assert complete_export(target) and leftovers(folder, target.name) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_an_output_killed_at_any_moment_is_the_old_file_or_the_complete_new_one(big_db, alpine_db, tmp_path, command):
    args, name, complete = COMMANDS[command]
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / name
    old = previous_output(alpine_db, command, target, big_db)
    killed_while_writing = 0
    for moment in range(KILLS):
        writer = Writer(big_db, [*args, str(target)], folder, tmp_path / f"{command}.err")
        if writer.freeze_when(writer.output_files):
            opened = writer.cpu_seconds()
            writer.process.send_signal(signal.SIGCONT)
            if writer.freeze_when(lambda: writer.cpu_seconds() >= opened + moment * STEP):
                writing = bool(writer.output_files())
                killed_while_writing += writer.kill() and writing
        assert target.read_bytes() == old or complete(target), f"a partial {name} after a kill at moment {moment}"
        assert all(".stratlog-tmp" in left for left in leftovers(folder, name)), leftovers(folder, name)
    if command != "report":  # the report is rendered first, then written in one go: too quick to catch reliably
        assert killed_while_writing, f"no kill landed while {command} was writing"
    run_to_the_end(big_db, [*args, str(target)])
    assert complete(target) and leftovers(folder, name) == [], "the next run did not clean up after the killed ones"

"""A full disk or a read-only folder never costs the previous output: a plain message, exit 1, no partial file.

Each output command first writes its file on a small tmpfs, then the disk is filled (or made read-only)
and the command runs again: it must say so plainly, keep the previous file byte for byte and leave no
temporary behind. Mounting needs root; without it these tests skip with the reason, except under CI.
"""

from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path

import pytest

OUTPUTS = {  # command -> (arguments before the target, the option named in the message, file name)
    "export": (["export", "--out"], "--out", "export.jsonl"),
    "report": (["report", "--brand", "alpine", "--out"], "--out", "report.html"),
    "replay": (["replay", "--to", "2024", "--out"], "--out", "replay.db"),
    "backup": (["backup"], "FILE", "backup.db"),
    "schema": (["schema", "--out"], "--out", "schema.json"),
}
LEFT_FREE = 8192  # smaller than any of the outputs above


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MB tmpfs mounted for this test only (unmounted afterwards, whatever happens)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        reason = f"cannot mount a small tmpfs here: {mounted.stderr.decode(errors='replace').strip()}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the full-disk tests: {reason}")
        pytest.skip(reason)
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def fill(folder: Path, leave: int = LEFT_FREE) -> None:
    """Fill the disk, then free `leave` bytes: less room than the output needs."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 65536)
    except OSError as error:
        assert error.errno == errno.ENOSPC
    finally:
        os.close(fd)
    os.truncate(folder / "filler", os.path.getsize(folder / "filler") - leave)


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "filler"}


@pytest.mark.parametrize("command", OUTPUTS)
def test_a_full_disk_keeps_the_previous_output_and_says_so_plainly(alpine_db, stratlog, small_disk, command):
    args, option, name = OUTPUTS[command]
    target = str(small_disk / name)
    assert stratlog("--db", alpine_db, *args, target).code == 0
    before = contents(small_disk)
    fill(small_disk)
    result = stratlog("--db", alpine_db, *args, target)
    assert result.code == 1, result.err
    assert result.err == (f"Error: {option}: the disk is full; {target!r} was not written "
                          f"(the previous file is unchanged)\n")
    assert contents(small_disk) == before, "the previous output changed or a temporary was left behind"


@pytest.mark.parametrize("command", ["export", "backup"])
def test_a_full_disk_before_the_first_output_leaves_no_file_at_all(alpine_db, stratlog, small_disk, command):
    args, option, name = OUTPUTS[command]
    fill(small_disk)
    result = stratlog("--db", alpine_db, *args, str(small_disk / name))
    assert result.code == 1 and "the disk is full" in result.err and "(nothing was written)" in result.err
    assert contents(small_disk) == {}


@pytest.mark.parametrize("command", OUTPUTS)
def test_a_read_only_folder_keeps_the_previous_output_and_says_so_plainly(alpine_db, stratlog, small_disk, command):
    args, option, name = OUTPUTS[command]
    target = str(small_disk / name)
    assert stratlog("--db", alpine_db, *args, target).code == 0
    before = contents(small_disk)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = stratlog("--db", alpine_db, *args, target)
    assert result.code == 1 and "Traceback" not in result.err
    assert result.err == (f"Error: {option}: cannot write there (Read-only file system); {target!r} was not written "
                          f"(the previous file is unchanged)\n")
    assert contents(small_disk) == before

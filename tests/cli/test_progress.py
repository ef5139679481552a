"""Long commands show rate and ETA on a terminal and stay quiet for scripts."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from stratlog.cli.progress import TerminalProgress, progress_for
from tests.conftest import ALPINE


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_shows_share_count_rate_and_eta():
    now = [0.0]
    bar = TerminalProgress(FakeTerminal(), clock=lambda: now[0])
    bar.start("importing", 1000)
    now[0] = 2.0
    bar.advance(500)
    assert bar.line().endswith(" 50% 500/1,000 · 250/s · ETA 2s")
    bar.finish()
    assert bar.stream.getvalue().startswith("\rimporting [")


def test_progress_is_shown_only_on_a_terminal():
    assert isinstance(progress_for(FakeTerminal()), TerminalProgress)
    assert not isinstance(progress_for(io.StringIO()), TerminalProgress)


def test_an_import_in_a_script_writes_nothing_on_stderr(tmp_path):
    exe = str(Path(sys.executable).parent / "stratlog")
    done = subprocess.run([exe, "--db", str(tmp_path / "s.db"), "import", str(ALPINE)], capture_output=True, text=True)
    rebuilt = subprocess.run([exe, "--db", str(tmp_path / "s.db"), "projections", "rebuild"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == ""
    assert rebuilt.returncode == 0 and rebuilt.stderr == ""


def test_a_count_without_a_known_total_shows_count_and_rate_and_redraws_sparingly():
    now = [0.0]
    bar = TerminalProgress(FakeTerminal(), clock=lambda: now[0])
    bar.start("validating file.jsonl", 0)
    for _ in range(1000):
        bar.advance()
    now[0] = 4.0
    assert bar.line() == "validating file.jsonl 1,000 · 250/s · 4s"
    assert bar.stream.getvalue().count("\r") == 1  # drawn at the start only: no redraw per statement

"""The README's tour runs as written (with real statement ids in place of the placeholders)."""

from __future__ import annotations

import shlex
import shutil

from tests.conftest import ROOT

PLACEHOLDERS = {"1b2c3d4e": 1, "5f6a7b8c": 4}  # placeholder id -> index of the command that printed it


def tour_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = text.split("## A tour", 1)[1].split("\n## ", 1)[0]
    return [line[2:] for line in tour.splitlines() if line.startswith("$ stratlog ")]


def test_the_quick_start_has_exactly_two_commands_and_ci_runs_the_second():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line for line in block.strip().splitlines() if line.strip()]
    assert len(commands) == 2 and commands[0].endswith("stratlog demo")
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_command_of_the_readme_tour_succeeds(tmp_path, stratlog, monkeypatch):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.setenv("STRATLOG_DB", str(tmp_path / "tour.db"))
    printed: list[str] = []
    commands = tour_commands()
    assert len(commands) >= 14
    for command in commands:
        for placeholder, index in PLACEHOLDERS.items():
            if placeholder in command:
                command = command.replace(placeholder, printed[index].strip()[:8])
        result = stratlog(*shlex.split(command, comments=True)[1:])  # a shell ignores # comments too
        assert result.code == 0, f"{command}\n{result.err}"
        printed.append(result.out)
    assert "deadline-moved" in printed[commands.index("stratlog audit acme annual-sales")]

"""`report --open` hands the written file to the browser through the standard webbrowser module."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ALPINE

FAKE_BROWSER = """#!{python}
import sys
from pathlib import Path
Path(sys.argv[2]).write_text(sys.argv[1], encoding="utf-8")
"""


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("STRATLOG_")}
    return subprocess.run([sys.executable, "-c", "from stratlog.cli.main import main; main()", *args], cwd=cwd,
                          env={**clean, **env}, capture_output=True, text=True, timeout=120)


def test_report_open_gives_the_browser_the_written_file(tmp_path):
    browser, told = tmp_path / "fake-browser", tmp_path / "told.txt"
    browser.write_text(FAKE_BROWSER.format(python=sys.executable), encoding="utf-8")
    browser.chmod(0o755)
    assert run(["--db", "a.db", "import", str(ALPINE)], tmp_path).returncode == 0
    done = run(["--db", "a.db", "report", "--brand", "alpine", "--out", "alpine.html", "--open"], tmp_path,
               BROWSER=f"{browser} %s {told}")
    assert done.returncode == 0, done.stderr
    assert told.read_text(encoding="utf-8") == (tmp_path / "alpine.html").resolve().as_uri()
    assert (tmp_path / "alpine.html").read_text(encoding="utf-8").lower().startswith("<!doctype html>")


def test_report_open_to_standard_output_is_refused_before_anything_is_written(alpine_db, stratlog):
    refused = stratlog("--db", alpine_db, "report", "--out", "-", "--open")
    assert refused.code == 2 and "--open needs a file to open; give --out FILE.html" in refused.err
    assert refused.out == ""

"""`stratlog serve`: how it says what is missing or wrong, --open, and that stopping it leaves nothing behind."""

from __future__ import annotations

import hashlib
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.serve_process import start_serve, stop_serve, wait_for

WITHOUT_DATASETTE = ("import sys; sys.modules['datasette'] = None; sys.argv[0] = 'stratlog'; "
                     "from stratlog.cli.main import main; main()")


def test_serve_without_datasette_installed_says_how_to_install_it(alpine_db, tmp_path):
    done = subprocess.run([sys.executable, "-c", WITHOUT_DATASETTE, "--db", alpine_db, "serve"],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == ("Error: stratlog serve needs Datasette, which is not installed; install it with: "
                           "pip install 'stratlog[serve]'\n")


def test_serve_refuses_a_database_that_does_not_exist_before_listening(stratlog, tmp_path):
    missing = str(tmp_path / "missing.db")
    result = stratlog("--db", missing, "serve", "--port", "0")
    assert result.code == 1 and result.err.startswith(f"Error: no stratlog database at {missing!r}")
    assert not Path(missing).exists()


def test_serve_refuses_a_port_in_use_and_names_it(alpine_db, stratlog):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = stratlog("--db", alpine_db, "serve", "--port", str(port))
    assert result.code == 1
    assert result.err == (f"Error: cannot listen on 127.0.0.1 port {port}: Address already in use; "
                          f"choose another with --port\n")


def test_serve_refuses_a_host_that_is_not_an_address_of_this_machine(alpine_db, stratlog):
    result = stratlog("--db", alpine_db, "serve", "--host", "192.0.2.1", "--port", "0")
    assert result.code == 1
    assert result.err == ("Error: cannot listen on 192.0.2.1 port 0: Cannot assign requested address; "
                          "give an address of this machine with --host\n")


def test_open_hands_the_pages_url_to_the_browser_once_serving(alpine_db, tmp_path):
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\nprintf "%s" "$1" > {opened}\n')
    browser.chmod(0o755)
    served = start_serve(alpine_db, tmp_path, "--open", env={"BROWSER": str(browser)})
    try:
        assert wait_for(served, opened.exists), served.output()
        assert opened.read_text() == f"{served.url}/-/stratlog"
    finally:
        stop_serve(served)


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_stopping_serve_removes_its_snapshot_and_leaves_the_database_untouched(alpine_db, tmp_path, how):
    before = hashlib.sha256(Path(alpine_db).read_bytes()).hexdigest()
    served = start_serve(alpine_db, tmp_path)
    try:
        snapshots = list(served.tmpdir.glob("stratlog-serve-*/stratlog.db"))
        assert len(snapshots) == 1 and not snapshots[0].with_name("stratlog.db-wal").exists()
    finally:
        code = stop_serve(served, how)
    out, err = served.output()
    assert code == 0, err
    assert out.startswith(f"Serving {served.url}/-/stratlog (read-only snapshot of {alpine_db}, 18 statements")
    assert out.endswith("Stopped; the snapshot was removed.\n")
    assert list(served.tmpdir.iterdir()) == []
    assert hashlib.sha256(Path(alpine_db).read_bytes()).hexdigest() == before

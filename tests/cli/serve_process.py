"""`stratlog serve` as a real process for tests: started on a free port, waited for (bounded), always stopped."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

STRATLOG = Path(sys.executable).with_name("stratlog")
READY_SECONDS = 30


@dataclass
class Served:
    """A running `stratlog serve`: its process, base URL, private TMPDIR and output files."""

    process: subprocess.Popen
    url: str
    tmpdir: Path
    out: Path
    err: Path

    def output(self) -> tuple[str, str]:
        return self.out.read_text(encoding="utf-8"), self.err.read_text(encoding="utf-8")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_serve(db: str, folder: Path, *options: str, env: dict | None = None) -> Served:
    """Start `stratlog --db DB serve --port P OPTIONS…` with its own TMPDIR; returns once it answers."""
    port, tmpdir = free_port(), folder / "serve-tmp"
    tmpdir.mkdir(parents=True)
    out, err = folder / "serve.out", folder / "serve.err"
    environment = {**{k: v for k, v in os.environ.items() if k != "STRATLOG_DB"}, "TMPDIR": str(tmpdir), **(env or {})}
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen([str(STRATLOG), "--db", db, "serve", "--port", str(port), *options],
                                   stdout=stdout, stderr=stderr, env=environment, cwd=folder)
    served = Served(process, f"http://127.0.0.1:{port}", tmpdir, out, err)
    try:
        _wait_until_answering(served)
    except BaseException:
        stop_serve(served)
        raise
    return served


def _wait_until_answering(served: Served) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while True:
        if served.process.poll() is not None:
            pytest.fail(f"stratlog serve exited with {served.process.returncode}: {served.output()[1][-2000:]}")
        try:
            with urllib.request.urlopen(f"{served.url}/-/stratlog", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"stratlog serve did not answer within {READY_SECONDS} s: {served.output()[1][-2000:]}")
        try:
            served.process.wait(timeout=0.2)  # a bounded pause that also notices an early exit
        except subprocess.TimeoutExpired:
            pass


def wait_for(served: Served, condition, seconds: float = 20) -> bool:
    """Whether `condition()` came true within `seconds` while the server ran (bounded pauses, no sleep)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline or served.process.poll() is not None:
            return condition()
        try:
            served.process.wait(timeout=0.1)
        except subprocess.TimeoutExpired:
            pass
    return True


def stop_serve(served: Served, how: int = signal.SIGTERM) -> int:
    """SIGTERM (or SIGINT, as Ctrl-C), a bounded wait, then SIGKILL if it is still there; returns the exit code."""
    if served.process.poll() is None:
        served.process.send_signal(how)
        try:
            return served.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            served.process.kill()
    return served.process.wait(timeout=20)

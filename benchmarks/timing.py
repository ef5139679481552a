"""Clocks and meters: statistics of repeated runs, and whole processes timed with their peak memory."""

from __future__ import annotations

import atexit
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


class ProcessFailed(RuntimeError):
    """Raised when a measured process exits with an error (its command and the end of its stderr are kept)."""


@dataclass(frozen=True)
class Run:
    """One whole process: wall time from spawn to exit, and its peak resident memory."""

    seconds: float
    peak_mb: float
    stdout: str


def console_script(name: str = "stratlog") -> str:
    """The console script installed next to this interpreter (the venv's `bin/stratlog`)."""
    path = Path(sys.executable).parent / name
    if not path.exists():
        raise FileNotFoundError(f"no console script {name!r} next to {sys.executable}; install stratlog into this venv")
    return str(path)


# The measured command runs under this small wrapper: a child spawned straight from the benchmark
# process would inherit the benchmark's own resident size in its ru_maxrss (Linux records the old
# address space's peak at exec), so the peak is read from the wrapper's RUSAGE_CHILDREN instead.
WRAPPER = ("import resource, subprocess, sys; code = subprocess.call(sys.argv[2:]); "
           "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
           "sys.exit(code)")


BYTECODE = tempfile.mkdtemp(prefix="stratlog-bytecode-")  # the measured processes' bytecode, kept for this run
atexit.register(shutil.rmtree, BYTECODE, True)


def compile_bytecode() -> None:
    """Compile stratlog's modules into BYTECODE once, before anything is timed (pip compiles them at install)."""
    import stratlog
    root = Path(stratlog.__file__).parent  # the package (an editable install: the checkout, whose .venv is left out)
    folders = [str(root / name) for name in ("domain", "application", "infrastructure", "cli")]
    env = {**os.environ, "PYTHONPYCACHEPREFIX": BYTECODE}
    for args in (["-l", str(root)], folders):
        subprocess.run([sys.executable, "-m", "compileall", "-q", *args], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run_process(args: list[str], cwd: str, log_dir: str, peak_memory: bool = False) -> Run:
    """Run `args` to completion; wall time around spawn-to-exit, and with `peak_memory` the peak memory of
    that command alone (through the wrapper, which adds its own start of a few tens of ms to the wall time).

    stdout and stderr go to files in `log_dir` (no pipe to drain while timing).
    """
    out_path, err_path = Path(log_dir) / "last.stdout", Path(log_dir) / "last.stderr"
    peak_path = Path(log_dir) / "last.maxrss"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRATLOG_") and k != "PYTHONDONTWRITEBYTECODE"}
    # Bytecode is kept (outside the source tree), as a pip install compiles it: an editable install or a
    # PYTHONDONTWRITEBYTECODE environment would otherwise compile stratlog's sources in every measured process.
    env["PYTHONPYCACHEPREFIX"] = BYTECODE
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        started = time.perf_counter()
        command = [sys.executable, "-c", WRAPPER, str(peak_path), *args] if peak_memory else args
        process = subprocess.run(command, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        seconds = time.perf_counter() - started
    if process.returncode != 0:
        tail = err_path.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise ProcessFailed(f"`{' '.join(args)}` exited with {process.returncode}:\n{tail}")
    peak_mib = int(peak_path.read_text()) / 1024 if peak_memory else 0.0
    return Run(seconds, peak_mib, out_path.read_text(encoding="utf-8", errors="replace"))


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(share * len(ordered))))
    return ordered[rank - 1]


@dataclass
class Series:
    """One quantity measured once per repetition."""

    name: str
    unit: str
    values: list[float]

    @property
    def min(self) -> float:
        return min(self.values)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def max(self) -> float:
        return max(self.values)
